//! Share links: a run in the URL hash, short enough to paste into a chat.
//!
//! `s=42&n=2.2.3.1&run=q-C1-X~t~t~d7~c-A2&at=4` is seed 42, 2 clients, 2 proposers, 3 acceptors
//! and 1 learner, then five commands, viewed at step 4. Settings left at their defaults are
//! omitted. Every field is checked; a damaged link is refused with a message that says where.
//!
//! A lesson followed as written needs no run: `lesson=ballot-conflict&beat=3` opens it at its
//! third beat, `&at=14` at a step, `&p=1` in presenter mode and `&pr=1` with predict mode on (so a
//! lecturer's prepared link, a reload and a student's shared link keep it). `&q=1` says a question
//! about the next step was open, and is asked again; `&q=r2` that the answer to the question about
//! the last step was on screen, choice 2 picked (`&q=r`: none), and is shown again. A lesson a
//! lecturer authored travels whole, packed in `L=` (see `sim::authored`), in place of `lesson=`.
//!
//! `cx=1` marks a run as the explorer's counterexample, so whoever opens it is told what it is.
//!
//! `embed` (a bare word, or `embed=1`) in any link shows only the canvas, the narration and the
//! step controls, for an `<iframe>` (see docs/embed.md): `#embed&lesson=happy-path&beat=2`.

use super::command::Command;
use super::config::Config;
use crate::paxos::Switch;
use crate::paxos::{NodeId, Value};

/// Longest hash accepted, in characters.
pub const MAX_LINK: usize = 1_000_000;
/// Most commands accepted in a link.
pub const MAX_LINK_STEPS: usize = 100_000;

/// Everything a share link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The cluster and network settings.
    pub config: Config,
    /// The world's seed.
    pub seed: u64,
    /// Every recorded command.
    pub commands: Vec<Command>,
    /// The step on screen.
    pub cursor: usize,
    /// The lesson being followed, if any.
    pub lesson: Option<String>,
    /// An authored lesson being followed, packed (what `sim::authored` reads); never together
    /// with `lesson`.
    pub authored: Option<String>,
    /// The lesson's beat on screen (a lesson link without a run); it decides the step, and
    /// `cursor` is then not written.
    pub beat: Option<usize>,
    /// Presenter mode.
    pub presenter: bool,
    /// Predict mode: the app asks what happens before a delivery.
    pub predict: bool,
    /// Embedded in another page: canvas, narration and step controls only.
    pub embed: bool,
    /// The run is the explorer's counterexample (a run link only).
    pub counterexample: bool,
    /// The first step done by hand in a lesson's run (a run link with a lesson only). A student's
    /// own steps can be the script's very steps; without this, a shared "your turn" attempt
    /// reopened as the lesson followed further, its goal gone.
    pub hand: Option<usize>,
    /// A question about the step on screen: open, or answered.
    pub ask: Asked,
}

/// Where a link was copied in a question's life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Asked {
    /// No question on screen.
    #[default]
    No,
    /// A question about the next step was open (predict mode's, or a lesson's own): whoever
    /// opens the link is asked it, rather than shown the step before it with nothing to answer.
    Open,
    /// The answer to the question about the last step was on screen, with the choice picked
    /// (counted from 0), if any: a student's "why is it this?" link shows that answer.
    Answered(Option<usize>),
    /// `q=` held something else. The rest of the link opens, and says so: whether a question
    /// was showing is how the link was seen, not what it shows, so it costs no one the lesson.
    Unreadable,
}

impl Link {
    /// A run and the step on screen, nothing else.
    pub fn of_run(config: Config, seed: u64, commands: Vec<Command>, cursor: usize) -> Self {
        Link {
            config,
            seed,
            commands,
            cursor,
            lesson: None,
            authored: None,
            beat: None,
            presenter: false,
            predict: false,
            embed: false,
            counterexample: false,
            hand: None,
            ask: Asked::No,
        }
    }

    /// A lesson followed as written, at step `at`: at its beat `beat` when the step ends one.
    pub fn of_lesson(id: &str, at: usize, beat: Option<usize>) -> Self {
        Link { lesson: Some(id.into()), beat, ..Link::of_run(Config::default(), 42, Vec::new(), at) }
    }

    /// An authored lesson (packed as `code`) followed as written, at step `at`.
    pub fn of_authored(code: &str, at: usize, beat: Option<usize>) -> Self {
        Link { authored: Some(code.into()), beat, ..Link::of_run(Config::default(), 42, Vec::new(), at) }
    }

    /// Is this a lesson link without a run of its own (the lesson's script is the run)?
    pub fn is_lesson_script(&self) -> bool {
        self.names_lesson() && self.commands.is_empty()
    }

    /// Does the link name a lesson, built in (`lesson=`) or authored (`L=`)?
    fn names_lesson(&self) -> bool {
        self.lesson.is_some() || self.authored.is_some()
    }

    /// The lesson named or carried, as it is written in the link (`lesson=…` or `L=…`).
    fn lesson_field(&self) -> Option<String> {
        match (&self.lesson, &self.authored) {
            (_, Some(code)) => Some(format!("L={code}")),
            (Some(id), None) => Some(format!("lesson={}", lesson_id(id))),
            (None, None) => None,
        }
    }
}

fn escape(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn unescape(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or_else(|| format!("bad escape in {s:?}"))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad escape in {s:?}"))?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("bad text in {s:?}"))
}

fn nodes(list: &[NodeId]) -> String {
    list.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(".")
}

/// The short form of one command.
pub fn encode_command(c: &Command) -> String {
    match c {
        Command::Tick => "t".into(),
        Command::Deliver { id } => format!("d{id}"),
        Command::Drop { id } => format!("x{id}"),
        Command::Duplicate { id } => format!("u{id}"),
        Command::Crash { node } => format!("c-{node}"),
        Command::Restart { node } => format!("r-{node}"),
        Command::Timeout { node } => format!("o-{node}"),
        Command::Request { client, value } => format!("q-{client}-{}", escape(value.as_str())),
        Command::SetLeader { client, leader } => format!("l-{client}-{leader}"),
        Command::Partition { groups } => format!("p-{}", groups.iter().map(|g| nodes(g)).collect::<Vec<_>>().join("_")),
        Command::Heal => "h".into(),
        Command::SetLoss { percent } => format!("L{percent}"),
        Command::SetDuplicate { percent } => format!("D{percent}"),
        Command::SetLatency { min, max } => format!("T{min}-{max}"),
        Command::SetAmnesia { node, on } => format!("M-{node}-{}", *on as u8),
        Command::SetBackoff { on } => format!("B{}", *on as u8),
    }
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("{s:?} is not a number"))
}

/// Parses one short command.
pub fn decode_command(s: &str) -> Result<Command, String> {
    let node = |t: &str| NodeId::parse(t);
    let parts: Vec<&str> = s.split('-').collect();
    let (head, rest) = s.split_at(s.chars().next().map_or(0, |c| c.len_utf8()));
    Ok(match (head, parts.as_slice()) {
        ("t", ["t"]) => Command::Tick,
        ("h", ["h"]) => Command::Heal,
        ("d", _) => Command::Deliver { id: num(rest)? },
        ("x", _) => Command::Drop { id: num(rest)? },
        ("u", _) => Command::Duplicate { id: num(rest)? },
        ("c", [_, n]) => Command::Crash { node: node(n)? },
        ("r", [_, n]) => Command::Restart { node: node(n)? },
        ("o", [_, n]) => Command::Timeout { node: node(n)? },
        ("q", [_, c, v]) => Command::Request { client: node(c)?, value: Value::new(&unescape(v)?)? },
        ("l", [_, c, p]) => Command::SetLeader { client: node(c)?, leader: node(p)? },
        ("p", [_, g]) => Command::Partition {
            groups: g
                .split('_')
                .map(|grp| grp.split('.').filter(|x| !x.is_empty()).map(node).collect::<Result<Vec<_>, _>>())
                .collect::<Result<_, _>>()?,
        },
        ("L", _) => Command::SetLoss { percent: num(rest)? },
        ("D", _) => Command::SetDuplicate { percent: num(rest)? },
        ("T", [lo, hi]) => Command::SetLatency { min: num(&lo[1..])?, max: num(hi)? },
        ("M", [_, n, on]) => Command::SetAmnesia { node: node(n)?, on: *on == "1" },
        ("B", _) => Command::SetBackoff { on: rest == "1" },
        _ => return Err(format!("{s:?} is not a command")),
    })
}

/// `q=`: `1` (a question open), `r` (its answer shown) or `r` and the choice picked (`r2`);
/// anything else is [`Asked::Unreadable`].
fn asked(v: &str) -> Asked {
    match (v, v.strip_prefix('r').map(str::parse::<usize>)) {
        ("1", _) => Asked::Open,
        ("r", _) => Asked::Answered(None),
        (_, Some(Ok(k @ 1..=9))) => Asked::Answered(Some(k - 1)),
        _ => Asked::Unreadable,
    }
}

/// A lesson id as written in a link: as it is when it is plain (`ballot-conflict`), else escaped.
fn lesson_id(id: &str) -> String {
    if id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        id.to_string()
    } else {
        escape(id)
    }
}

impl Link {
    /// The hash, without the leading `#`.
    pub fn to_hash(&self) -> String {
        let mut tail = Vec::new();
        if self.counterexample && !self.is_lesson_script() {
            tail.push("cx=1".to_string());
        }
        if self.presenter {
            tail.push("p=1".to_string());
        }
        if self.predict {
            tail.push("pr=1".to_string());
        }
        match self.ask {
            Asked::No | Asked::Unreadable => {}
            Asked::Open => tail.push("q=1".to_string()),
            Asked::Answered(None) => tail.push("q=r".to_string()),
            Asked::Answered(Some(k)) => tail.push(format!("q=r{}", k + 1)),
        }
        if self.embed {
            tail.push("embed".to_string());
        }
        if self.is_lesson_script() {
            let at = match self.beat {
                Some(b) => format!("beat={b}"),
                None => format!("at={}", self.cursor),
            };
            return [self.lesson_field().into_iter().collect(), vec![at], tail].concat().join("&");
        }
        let c = &self.config;
        let d = Config::default();
        let mut f =
            vec![format!("s={}", self.seed), format!("n={}.{}.{}.{}", c.clients, c.proposers, c.acceptors, c.learners)];
        if c.nacks != d.nacks {
            f.push(format!("nk={}", c.nacks as u8));
        }
        if !c.amnesia.is_empty() {
            f.push(format!("am={}", nodes(&c.amnesia.iter().copied().collect::<Vec<_>>())));
        }
        if !c.mutations.is_empty() {
            f.push(format!("mu={}", c.mutations.iter().map(|m| m.name()).collect::<Vec<_>>().join(".")));
        }
        if (c.latency_min, c.latency_max) != (d.latency_min, d.latency_max) {
            f.push(format!("lt={}-{}", c.latency_min, c.latency_max));
        }
        if c.loss != d.loss {
            f.push(format!("ls={}", c.loss));
        }
        if c.duplicate != d.duplicate {
            f.push(format!("dp={}", c.duplicate));
        }
        if c.timeout != d.timeout {
            f.push(format!("to={}", c.timeout));
        }
        if c.backoff != d.backoff {
            f.push(format!("bo={}", c.backoff as u8));
        }
        if c.mode != d.mode {
            f.push(format!("md={}", c.mode.name()));
        }
        if c.slots != d.slots {
            f.push(format!("sl={}", c.slots));
        }
        f.extend(self.lesson_field());
        if !self.commands.is_empty() {
            f.push(format!("run={}", self.commands.iter().map(encode_command).collect::<Vec<_>>().join("~")));
        }
        if self.cursor != self.commands.len() {
            f.push(format!("at={}", self.cursor));
        }
        if let (Some(h), true) = (self.hand, self.names_lesson()) {
            f.push(format!("hd={h}"));
        }
        f.extend(tail);
        f.join("&")
    }

    /// Parses a hash (with or without `#`). Every field is checked; the config is validated.
    pub fn parse(hash: &str) -> Result<Link, String> {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        if hash.len() > MAX_LINK {
            return Err(format!("the link is {} characters long; the limit is {MAX_LINK}", hash.len()));
        }
        let mut link = Link { cursor: usize::MAX, ..Link::of_run(Config::default(), 42, Vec::new(), 0) };
        for field in hash.split('&').filter(|f| !f.is_empty()) {
            // The one field that reads well as a bare word: `#embed`.
            if field == "embed" {
                link.embed = true;
                continue;
            }
            let (k, v) = field.split_once('=').ok_or_else(|| format!("{field:?} is not a key=value field"))?;
            let c = &mut link.config;
            let bad = |what: &str| format!("{k}={v:?} is not {what}");
            match k {
                "s" => link.seed = v.parse().map_err(|_| bad("a seed"))?,
                "n" => {
                    let n: Vec<u8> =
                        v.split('.').map(|x| x.parse()).collect::<Result<_, _>>().map_err(|_| bad("four counts"))?;
                    let [a, b, cc, d] = n[..] else { return Err(bad("four counts")) };
                    (c.clients, c.proposers, c.acceptors, c.learners) = (a, b, cc, d);
                }
                "nk" => c.nacks = v == "1",
                "am" => {
                    for id in v.split('.').filter(|x| !x.is_empty()) {
                        c.amnesia.insert(NodeId::parse(id)?);
                    }
                }
                "mu" => {
                    for m in v.split('.').filter(|x| !x.is_empty()) {
                        c.mutations.insert(Switch::parse(m)?);
                    }
                }
                "lt" => {
                    let (a, b) = v.split_once('-').ok_or_else(|| bad("a latency range"))?;
                    (c.latency_min, c.latency_max) = (num(a)?, num(b)?);
                }
                "ls" => c.loss = v.parse().map_err(|_| bad("a loss rate"))?,
                "dp" => c.duplicate = v.parse().map_err(|_| bad("a duplicate rate"))?,
                "to" => c.timeout = v.parse().map_err(|_| bad("a timeout"))?,
                "bo" => c.backoff = v == "1",
                "md" => c.mode = crate::sim::Mode::parse(v)?,
                "sl" => c.slots = v.parse().map_err(|_| bad("a number of slots"))?,
                "lesson" => link.lesson = Some(unescape(v)?),
                // Checked when it is unpacked; here it is only text of link characters.
                "L" => link.authored = Some(v.to_string()),
                "run" => {
                    let parts: Vec<&str> = v.split('~').collect();
                    if parts.len() > MAX_LINK_STEPS {
                        return Err(format!("the link has {} steps; the limit is {MAX_LINK_STEPS}", parts.len()));
                    }
                    link.commands = parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| decode_command(p).map_err(|e| format!("step {}: {e}", i + 1)))
                        .collect::<Result<_, _>>()?;
                }
                "at" => link.cursor = v.parse().map_err(|_| bad("a step number"))?,
                "hd" => link.hand = Some(v.parse().map_err(|_| bad("a step number"))?),
                "beat" => link.beat = Some(v.parse().map_err(|_| bad("a beat number"))?),
                "p" => link.presenter = v == "1",
                "pr" => link.predict = v == "1",
                "q" => link.ask = asked(v),
                "cx" => link.counterexample = v == "1",
                "embed" => link.embed = v == "1",
                _ => return Err(format!("unknown field {k:?}")),
            }
        }
        link.config.validate()?;
        if link.lesson.is_some() && link.authored.is_some() {
            return Err("lesson= and L= cannot both be given".into());
        }
        if link.counterexample && link.commands.is_empty() {
            return Err("cx= marks a run, and the link has no run=".into());
        }
        if link.hand.is_some() && (!link.names_lesson() || link.is_lesson_script()) {
            return Err("hd= marks a lesson's run: it needs a lesson= (or L=) and a run=".into());
        }
        if link.hand.is_some_and(|h| h > link.commands.len()) {
            return Err(format!("hd= is past the end of the run ({} steps)", link.commands.len()));
        }
        if link.beat.is_some() && !link.is_lesson_script() {
            return Err("beat= needs a lesson= (or L=) and no run=".into());
        }
        if link.is_lesson_script() {
            // Steps and beats are checked against the lesson when it is built.
            if link.cursor == usize::MAX {
                link.cursor = 0;
            }
            return Ok(link);
        }
        if link.cursor == usize::MAX {
            link.cursor = link.commands.len();
        }
        if link.cursor > link.commands.len() {
            return Err(format!("it points at step {} but has only {} steps", link.cursor, link.commands.len()));
        }
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Faults};

    #[test]
    fn a_multi_run_round_trips_with_its_mode_and_slots() {
        let cfg = Config { mode: crate::sim::Mode::Multi, slots: 5, ..Config::default() };
        let t = simulate(cfg.clone(), 3, 80, Faults::ALL).unwrap();
        let cmds: Vec<Command> = t.steps().iter().map(|s| s.command.clone()).collect();
        let link = Link::of_run(cfg.clone(), 3, cmds.clone(), cmds.len());
        let hash = link.to_hash();
        assert!(hash.contains("md=multi") && hash.contains("sl=5"), "{hash}");
        let back = Link::parse(&hash).unwrap();
        assert_eq!((back.config, back.commands), (cfg, cmds));
        assert!(Link::parse("s=1&md=paxos").unwrap_err().contains("unknown mode"));
        assert!(Link::parse("s=1&md=multi&sl=17").unwrap_err().contains("slots"));
    }

    #[test]
    fn every_command_round_trips() {
        let v = Value::new("a b.c~d%e").unwrap();
        let cmds = vec![
            Command::Tick,
            Command::Deliver { id: 12 },
            Command::Drop { id: 3 },
            Command::Duplicate { id: 99 },
            Command::Crash { node: NodeId::acceptor(1) },
            Command::Restart { node: NodeId::learner(4) },
            Command::Timeout { node: NodeId::proposer(2) },
            Command::Request { client: NodeId::client(0), value: v },
            Command::SetLeader { client: NodeId::client(2), leader: NodeId::proposer(4) },
            Command::Partition {
                groups: vec![vec![NodeId::proposer(0), NodeId::acceptor(0)], vec![NodeId::learner(0)]],
            },
            Command::Heal,
            Command::SetLoss { percent: 30 },
            Command::SetDuplicate { percent: 5 },
            Command::SetLatency { min: 1, max: 9 },
            Command::SetAmnesia { node: NodeId::acceptor(2), on: true },
            Command::SetBackoff { on: true },
        ];
        for c in cmds {
            let s = encode_command(&c);
            assert!(!s.contains(['~', '&', '#', '=']), "{s}");
            assert_eq!(decode_command(&s).unwrap(), c, "{s}");
        }
    }

    #[test]
    fn links_round_trip_runs_and_settings() {
        let mut cfg = Config { acceptors: 5, nacks: false, loss: 10, backoff: true, ..Config::default() };
        cfg.amnesia.insert(NodeId::acceptor(1));
        cfg.mutations.insert(Switch::SharedBallots);
        let t = simulate(cfg.clone(), 9, 120, Faults::ALL).unwrap();
        let link = Link {
            lesson: Some("ballot-conflict".into()),
            presenter: true,
            ..Link::of_run(cfg, 9, t.commands().cloned().collect(), 70)
        };
        let h = link.to_hash();
        assert_eq!(Link::parse(&h).unwrap(), link);
        assert_eq!(Link::parse(&format!("#{h}")).unwrap(), link);
    }

    #[test]
    fn the_default_link_is_short() {
        let l = Link::of_run(Config::default(), 42, vec![], 0);
        assert_eq!(l.to_hash(), "s=42&n=2.2.3.1");
    }

    #[test]
    fn predict_mode_travels_with_any_link() {
        let lesson = Link { predict: true, presenter: true, ..Link::of_lesson("value-adoption", 9, Some(3)) };
        assert_eq!(lesson.to_hash(), "lesson=value-adoption&beat=3&p=1&pr=1");
        let back = Link::parse(&lesson.to_hash()).unwrap();
        assert_eq!((back.predict, back.presenter, back.beat), (true, true, Some(3)));
        let run = Link { predict: true, ..Link::of_run(Config::default(), 7, vec![Command::Tick], 1) };
        assert_eq!(Link::parse(&run.to_hash()).unwrap(), run);
        assert!(!Link::parse("s=7&run=t").unwrap().predict);
    }

    #[test]
    fn an_open_question_travels_with_the_link() {
        let lesson = Link { predict: true, ask: Asked::Open, ..Link::of_lesson("value-adoption", 9, None) };
        assert_eq!(lesson.to_hash(), "lesson=value-adoption&at=9&pr=1&q=1");
        assert_eq!(Link::parse(&lesson.to_hash()).unwrap(), lesson);
        let run = Link { ask: Asked::Open, ..Link::of_run(Config::default(), 7, vec![Command::Tick], 1) };
        assert_eq!(Link::parse(&run.to_hash()).unwrap(), run);
        assert_eq!(Link::parse("lesson=value-adoption&at=9").unwrap().ask, Asked::No);
    }

    #[test]
    fn a_revealed_answer_travels_with_the_link_and_its_pick_and_a_damaged_one_is_left_out() {
        let picked = Link { ask: Asked::Answered(Some(1)), ..Link::of_lesson("value-adoption", 10, Some(6)) };
        assert_eq!(picked.to_hash(), "lesson=value-adoption&beat=6&q=r2");
        assert_eq!(Link::parse(&picked.to_hash()).unwrap().ask, Asked::Answered(Some(1)));
        let none = Link { ask: Asked::Answered(None), ..Link::of_run(Config::default(), 7, vec![Command::Tick], 1) };
        assert_eq!(Link::parse(&none.to_hash()).unwrap(), none);
        for bad in ["q=2", "q=r0", "q=r10", "q=rx", "q="] {
            let link = Link::parse(&format!("lesson=value-adoption&beat=6&{bad}")).unwrap();
            assert_eq!((link.ask, link.beat), (Asked::Unreadable, Some(6)), "{bad}: the rest of the link opens");
            assert_eq!(link.to_hash(), "lesson=value-adoption&beat=6");
        }
    }

    #[test]
    fn lesson_links_carry_the_beat_or_the_step_and_presenter_mode() {
        let at_beat = Link { presenter: true, ..Link::of_lesson("ballot-conflict", 14, Some(5)) };
        assert_eq!(at_beat.to_hash(), "lesson=ballot-conflict&beat=5&p=1");
        let back = Link::parse("lesson=ballot-conflict&beat=5&p=1").unwrap();
        assert_eq!((back.lesson, back.beat, back.presenter), (at_beat.lesson, Some(5), true));
        let at_step = Link::parse("#lesson=ballot-conflict&at=14").unwrap();
        assert_eq!((at_step.cursor, at_step.beat, at_step.presenter), (14, None, false));
        assert!(Link::parse("s=1&run=t&beat=2").unwrap_err().contains("beat= needs a lesson"));
    }

    #[test]
    fn authored_lessons_travel_packed_in_their_own_field() {
        let at_beat = Link { presenter: true, ..Link::of_authored("AbC-_9", 7, Some(2)) };
        assert_eq!(at_beat.to_hash(), "L=AbC-_9&beat=2&p=1");
        let back = Link::parse("L=AbC-_9&beat=2&p=1").unwrap();
        assert_eq!((back.authored.as_deref(), back.beat, back.presenter), (Some("AbC-_9"), Some(2), true));
        let run = Link { authored: Some("xyz".into()), ..Link::of_run(Config::default(), 3, vec![Command::Tick], 1) };
        assert_eq!(run.to_hash(), "s=3&n=2.2.3.1&L=xyz&run=t");
        assert_eq!(Link::parse(&run.to_hash()).unwrap(), run);
        assert!(Link::parse("lesson=happy-path&L=xyz").unwrap_err().contains("cannot both"));
    }

    #[test]
    fn a_counterexample_is_marked_on_its_run_only() {
        let cx = Link { counterexample: true, ..Link::of_run(Config::default(), 7, vec![Command::Tick], 1) };
        assert_eq!(cx.to_hash(), "s=7&n=2.2.3.1&run=t&cx=1");
        assert_eq!(Link::parse(&cx.to_hash()).unwrap(), cx);
        assert!(!Link::parse("s=7&run=t").unwrap().counterexample);
        assert!(Link::parse("s=7&cx=1").unwrap_err().contains("no run="));
        let lesson = Link { counterexample: true, ..Link::of_lesson("happy-path", 3, Some(1)) };
        assert_eq!(lesson.to_hash(), "lesson=happy-path&beat=1", "a lesson's script is not a counterexample");
    }

    #[test]
    fn a_lessons_run_carries_where_the_student_took_over() {
        let run = vec![Command::Tick, Command::Tick, Command::Tick];
        let l = Link { hand: Some(1), lesson: Some("durability".into()), ..Link::of_run(Config::default(), 7, run, 2) };
        assert_eq!(l.to_hash(), "s=7&n=2.2.3.1&lesson=durability&run=t~t~t&at=2&hd=1");
        assert_eq!(Link::parse(&l.to_hash()).unwrap(), l);
        // Outside a lesson there is no script to part from: the field is not written.
        let free = Link { hand: Some(0), ..Link::of_run(Config::default(), 7, vec![Command::Tick], 1) };
        assert_eq!(free.to_hash(), "s=7&n=2.2.3.1&run=t");
        assert!(Link::parse("s=7&run=t&hd=0").unwrap_err().contains("needs a lesson="));
        assert!(Link::parse("lesson=durability&beat=2&hd=0").unwrap_err().contains("and a run="));
        assert!(Link::parse("s=7&lesson=durability&run=t&hd=2").unwrap_err().contains("past the end"));
        assert!(Link::parse("s=7&lesson=durability&run=t&hd=x").unwrap_err().contains("not a step number"));
    }

    #[test]
    fn embed_is_a_bare_word_that_goes_with_any_link() {
        let bare = Link::parse("#embed").unwrap();
        assert!(bare.embed && bare.commands.is_empty() && bare.lesson.is_none());
        let lesson = Link::parse("embed&lesson=happy-path&beat=2").unwrap();
        assert!(lesson.embed && lesson.is_lesson_script());
        assert_eq!(lesson.to_hash(), "lesson=happy-path&beat=2&embed");
        let run = Link { embed: true, ..Link::of_run(Config::default(), 7, vec![Command::Tick], 1) };
        assert_eq!(Link::parse(&run.to_hash()).unwrap(), run);
        assert!(Link::parse("s=1&embed=1").unwrap().embed);
        assert!(!Link::parse("s=1&embed=0").unwrap().embed);
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        let cases = [
            ("s=x", "not a seed"),
            ("n=2.2.30.1", "acceptors must be between 1 and 9"),
            ("n=2.2", "four counts"),
            ("s=1&run=t~d7x~t", "step 2"),
            ("s=1&run=c-Q9", "unknown node id"),
            ("s=1&run=t&at=5", "only 1 steps"),
            ("zz=1", "unknown field"),
            ("s", "not a key=value"),
            ("mu=nope", "unknown mutation"),
            ("am=A7", "not in this cluster"),
            ("run=q-C1-%2", "bad escape"),
            ("run=q-C1-%22", "quotes"),
        ];
        for (h, want) in cases {
            let e = Link::parse(h).unwrap_err();
            assert!(e.contains(want), "{h}: {e}");
        }
        assert!(Link::parse(&"t~".repeat(600_000)).is_err());
    }
}
