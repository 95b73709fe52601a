//! The embedding API's wire format (docs/embed.md): what a page that embeds the app in an
//! `<iframe>` may ask of it through `postMessage`, and what the app tells it back. Pure, so every
//! bad request is tested natively; the browser glue (`ui::app::embed`) only reads a message's
//! fields and posts the answers.
//!
//! Every message is an object whose `type` starts with `paxoscope:`. Other messages are not ours
//! (decks, extensions and analytics share the channel) and are ignored without a word; ours are
//! checked field by field, and a bad one gets an error back and changes nothing.

use crate::sim::lessons::Lesson;
use crate::sim::link::MAX_LINK;
use crate::ui::guide::place;
use crate::ui::session::Session;

/// The prefix of every message type, in and out.
pub const PREFIX: &str = "paxoscope:";

/// What the embedding page asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Open a share link (a lesson, a run, with or without `#`); the app stays embedded.
    Load(String),
    /// One step forward.
    Step,
    /// One step back.
    Back,
    /// A clicker's forward: to the next beat in a lesson, one step otherwise.
    Next,
    /// A clicker's back: to the previous beat in a lesson, one step otherwise.
    Prev,
    /// Go to a lesson's beat (0 is the start).
    Beat(usize),
    /// Start auto-play (nothing happens if it is already playing).
    Play,
    /// Stop auto-play.
    Pause,
    /// Post the state now.
    Get,
}

/// A field of a message, as the browser glue read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    /// A string.
    Text(String),
    /// A number.
    Number(f64),
    /// Anything else, as JSON (or as the glue could show it).
    Other(String),
}

/// A message whose `type` starts with [`PREFIX`], read by the browser glue. (Reading it there,
/// rather than with serde_json here, keeps kilobytes out of the download.)
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Its type, prefix included.
    pub ty: String,
    /// The names of all its fields.
    pub keys: Vec<String>,
    /// Its `link` field.
    pub link: Option<Field>,
    /// Its `beat` field.
    pub beat: Option<Field>,
}

const NAMES: &str = "load, step, back, next, prev, beat, play, pause, get";

/// What a message asks for, or why it cannot be done. `None` for the types the app itself sends
/// (`state`, `error`): an app that is not in a frame posts to its own window.
pub fn request(m: &Message) -> Option<Result<Request, String>> {
    let name = m.ty.strip_prefix(PREFIX)?;
    let args: &[&str] = match name {
        "state" | "error" => return None,
        "load" => &["link"],
        "beat" => &["beat"],
        _ => &[],
    };
    let simple = match name {
        "step" => Some(Request::Step),
        "back" => Some(Request::Back),
        "next" => Some(Request::Next),
        "prev" => Some(Request::Prev),
        "play" => Some(Request::Play),
        "pause" => Some(Request::Pause),
        "get" => Some(Request::Get),
        "load" | "beat" => None,
        _ => return Some(Err(format!("unknown type {:?}; the types are {NAMES}, each after {PREFIX:?}", m.ty))),
    };
    // A field we do not know is most often a typo of one we do: say so rather than guess.
    if let Some(k) = m.keys.iter().find(|k| !matches!(k.as_str(), "type" | "id") && !args.contains(&k.as_str())) {
        let takes = if args.is_empty() { "no fields".to_string() } else { format!("only {:?}", args.join(", ")) };
        return Some(Err(format!("{:?} takes {takes} besides \"type\" and \"id\", not {k:?}", m.ty)));
    }
    Some(match (simple, &m.link, &m.beat) {
        (Some(r), _, _) => Ok(r),
        (None, Some(Field::Text(l)), _) if l.len() <= MAX_LINK => Ok(Request::Load(l.clone())),
        (None, Some(Field::Text(l)), _) => {
            Err(format!("the link is {} characters long; the limit is {MAX_LINK}", l.len()))
        }
        (None, _, Some(Field::Number(b))) if name == "beat" && b.fract() == 0.0 && (0.0..1e9).contains(b) => {
            Ok(Request::Beat(*b as usize))
        }
        (None, link, beat) => {
            let (field, want, got) = if name == "load" {
                ("link", "a share link as a string", link)
            } else {
                ("beat", "a whole number from 0", beat)
            };
            Err(format!("{:?} needs {field:?}: {want}, not {}", m.ty, shown(got.as_ref())))
        }
    })
}

fn shown(f: Option<&Field>) -> String {
    match f {
        None => "nothing".into(),
        Some(Field::Text(t)) => format!("{t:?}"),
        Some(Field::Number(n)) => number(*n),
        Some(Field::Other(o)) => o.clone(),
    }
}

/// A number as a page would have written it, to six decimals at most, without f64's Display (its
/// float formatting is about 11 KB of wasm, which every use of it in the browser build keeps).
fn number(n: f64) -> String {
    if !n.is_finite() {
        return if n.is_nan() {
            "NaN".into()
        } else if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if n.abs() >= 1e15 {
        return "a number too large to show".into();
    }
    let scaled = (n.abs() * 1e6).round() as u64;
    let (whole, frac) = (scaled / 1_000_000, scaled % 1_000_000);
    let sign = if n < 0.0 && scaled > 0 { "-" } else { "" };
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:06}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// What the app tells the embedding page: the step, the beat, what is chosen, and whether
/// safety holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The step on screen.
    pub step: usize,
    /// Steps recorded.
    pub steps: usize,
    /// The lesson being followed.
    pub lesson: Option<String>,
    /// Beats reached, while the run follows the lesson's script.
    pub beat: Option<usize>,
    /// The lesson's beats.
    pub beats: Option<usize>,
    /// The value chosen (the first, when agreement broke).
    pub chosen: Option<String>,
    /// Every safety property broken so far: its name as in traces, and what happened.
    pub broken: Vec<(String, String)>,
    /// Auto-play or a beat is playing.
    pub playing: bool,
    /// The share link of what is on screen (without `#`).
    pub link: String,
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn or_null<T: ToString>(v: Option<T>) -> String {
    v.map_or("null".into(), |v| v.to_string())
}

impl Status {
    /// The state of `s`, following `lesson` if any.
    pub fn of(s: &Session, lesson: Option<&Lesson>, playing: bool, link: String) -> Status {
        let p = lesson.map(|l| place(s, l));
        let w = s.world();
        let name = |inv| serde_json::to_string(inv).unwrap_or_default().trim_matches('"').to_string();
        Status {
            step: s.cursor(),
            steps: s.len(),
            lesson: lesson.map(|l| l.id.to_string()),
            beat: p.as_ref().filter(|p| !p.off).map(|p| p.done),
            beats: p.as_ref().map(|p| p.total),
            chosen: w.oracle().chosen().first().map(|(_, v)| v.as_str().to_string()),
            broken: w.oracle().violations().iter().map(|(inv, why)| (name(inv), why.clone())).collect(),
            playing,
            link,
        }
    }

    /// The state message as JSON (written by hand: a handful of fields do not need a serializer).
    pub fn to_json(&self) -> String {
        let broken: Vec<String> =
            self.broken.iter().map(|(r, d)| format!("{{\"rule\":{},\"detail\":{}}}", quote(r), quote(d))).collect();
        format!(
            "{{\"type\":\"{PREFIX}state\",\"step\":{},\"steps\":{},\"lesson\":{},\"beat\":{},\"beats\":{},\"chosen\":{},\"safe\":{},\"broken\":[{}],\"playing\":{},\"link\":{}}}",
            self.step,
            self.steps,
            or_null(self.lesson.as_deref().map(quote)),
            or_null(self.beat),
            or_null(self.beats),
            or_null(self.chosen.as_deref().map(quote)),
            self.broken.is_empty(),
            broken.join(","),
            self.playing,
            quote(&self.link),
        )
    }
}

/// The error message for a refused request.
pub fn error_json(error: &str) -> String {
    format!("{{\"type\":\"{PREFIX}error\",\"error\":{}}}", quote(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::lessons::build;
    use serde_json::Value;

    fn msg(ty: &str, fields: &[(&str, Field)]) -> Message {
        let mut keys = vec!["type".to_string(), "id".to_string()];
        keys.extend(fields.iter().map(|(k, _)| k.to_string()));
        let get = |k: &str| fields.iter().find(|(n, _)| *n == k).map(|(_, f)| f.clone());
        Message { ty: format!("{PREFIX}{ty}"), keys, link: get("link"), beat: get("beat") }
    }

    fn req(ty: &str, fields: &[(&str, Field)]) -> Result<Request, String> {
        request(&msg(ty, fields)).expect("a request")
    }

    #[test]
    fn every_request_reads() {
        for (ty, r) in [
            ("step", Request::Step),
            ("back", Request::Back),
            ("next", Request::Next),
            ("prev", Request::Prev),
            ("play", Request::Play),
            ("pause", Request::Pause),
            ("get", Request::Get),
        ] {
            assert_eq!(req(ty, &[]), Ok(r));
        }
        assert_eq!(req("beat", &[("beat", Field::Number(3.0))]), Ok(Request::Beat(3)));
        assert_eq!(
            req("load", &[("link", Field::Text("#lesson=happy-path".into()))]),
            Ok(Request::Load("#lesson=happy-path".into()))
        );
    }

    #[test]
    fn what_the_app_sends_is_not_a_request() {
        assert_eq!(request(&msg("state", &[])), None);
        assert_eq!(request(&msg("error", &[])), None);
        assert_eq!(request(&Message { ty: "reveal:slide".into(), keys: vec![], link: None, beat: None }), None);
    }

    #[test]
    fn bad_requests_say_what_is_wrong() {
        let t = |s: &str| Field::Text(s.into());
        let cases = [
            (req("jump", &[]), "unknown type \"paxoscope:jump\""),
            (req("beat", &[]), "needs \"beat\": a whole number from 0, not nothing"),
            (req("beat", &[("beat", Field::Number(-1.0))]), "not -1"),
            (req("beat", &[("beat", t("2"))]), "not \"2\""),
            (req("beat", &[("beat", Field::Number(1.5))]), "not 1.5"),
            (req("beat", &[("beat", Field::Number(-0.125))]), "not -0.125"),
            (req("beat", &[("beat", Field::Number(f64::NAN))]), "not NaN"),
            (req("beat", &[("beat", Field::Number(2e9))]), "not 2000000000"),
            (req("beat", &[("beat", Field::Other("[2]".into()))]), "not [2]"),
            (req("load", &[]), "needs \"link\""),
            (req("load", &[("link", Field::Number(3.0))]), "not 3"),
            (req("load", &[("link", t(&"a".repeat(MAX_LINK + 1)))]), "limit"),
            (
                req("step", &[("steps", Field::Number(3.0))]),
                "takes no fields besides \"type\" and \"id\", not \"steps\"",
            ),
            (req("beat", &[("beats", Field::Number(3.0))]), "only \"beat\""),
        ];
        for (r, want) in cases {
            let e = r.unwrap_err();
            assert!(e.contains(want), "{want}: {e}");
        }
    }

    #[test]
    fn the_state_says_step_beat_chosen_and_safety() {
        let l = build("happy-path").unwrap();
        let end = l.commands.len();
        let s = Session::from_commands(l.config.clone(), l.seed, &l.commands, end).unwrap();
        let st = Status::of(&s, Some(&l), false, "lesson=happy-path&beat=\"x\"".into());
        assert_eq!((st.step, st.steps, st.beat, st.beats), (end, end, Some(l.beats.len()), Some(l.beats.len())));
        assert!(st.chosen.is_some() && st.broken.is_empty());
        let v: Value = serde_json::from_str(&st.to_json()).unwrap();
        assert_eq!(v["type"], "paxoscope:state");
        assert_eq!(v["safe"], true);
        assert_eq!(v["lesson"], "happy-path");
        assert_eq!(v["link"], "lesson=happy-path&beat=\"x\"");
        assert_eq!(v["beat"], l.beats.len());
        let free = Status::of(&Session::new(l.config.clone(), 1).unwrap(), None, true, String::new());
        let v: Value = serde_json::from_str(&free.to_json()).unwrap();
        assert_eq!(
            (v["beat"].clone(), v["chosen"].clone(), v["playing"].clone()),
            (Value::Null, Value::Null, Value::Bool(true))
        );
        let e: Value = serde_json::from_str(&error_json("no \"way\"")).unwrap();
        assert_eq!((e["type"].as_str(), e["error"].as_str()), (Some("paxoscope:error"), Some("no \"way\"")));
    }

    #[test]
    fn a_broken_rule_is_named() {
        let l = build("durability").unwrap();
        let s = Session::from_commands(l.config.clone(), l.seed, &l.commands, l.commands.len()).unwrap();
        let st = Status::of(&s, Some(&l), false, String::new());
        assert!(!st.broken.is_empty(), "the durability lesson ends with safety broken");
        let v: Value = serde_json::from_str(&st.to_json()).unwrap();
        assert_eq!(v["safe"], false);
        assert!(v["broken"][0]["rule"].as_str().is_some_and(|r| !r.is_empty()), "{v}");
    }
}
