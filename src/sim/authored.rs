//! Lessons and challenges a lecturer authors: the document, its JSON file
//! (`docs/lesson-format.md`), its short link, and the checks that turn it into a [`Lesson`] that
//! plays exactly like a built-in one.
//!
//! The link is the document in a compact text form (the run in the share-link notation, a beat
//! per line, a caption's event as its place in the list of what happened at that step),
//! compressed by [`super::pack`] and written in URL-safe base64 behind a version byte. Both the
//! file and the link are checked in full before anything is shown; an error says what and where.

use super::command::{Command, Step};
use super::config::Config;
use super::lessons::{Beat, Challenge, Claim, Goal, Highlight, Lesson, Turn};
use super::link::Link;
use super::pack;
use super::trace::Head;
use super::world::World;
use crate::paxos::NodeId;
use crate::sim::json_error::{plain, plain_in};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The `format` field of a lesson file.
pub const FORMAT: &str = "paxoscope-lesson";
/// The file version this build writes and reads.
pub const VERSION: u32 = 1;
/// The first byte of a packed link: which text form and dictionary it uses.
pub const LINK_VERSION: u8 = 1;
/// Largest lesson file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 512 * 1024;
/// Longest link code accepted, in characters (a link this long is already far past any chat app).
pub const MAX_LINK_CHARS: usize = 64 * 1024;
/// Most steps in an authored run.
pub const MAX_STEPS: usize = 2_000;
/// Most beats, polls and goals.
pub const MAX_BEATS: usize = 100;
/// Most polls.
pub const MAX_POLLS: usize = 100;
/// Most goals of a challenge.
pub const MAX_GOALS: usize = 10;
/// Longest title, in characters.
pub const MAX_TITLE: usize = 100;
/// Longest caption, prompt, label or introduction, in characters.
pub const MAX_TEXT: usize = 500;
/// The longest address a chat app or an LMS link field is trusted to keep whole. A lesson whose
/// address is longer is shared as a file instead.
pub const LINK_BUDGET: usize = 2_000;

/// A lesson (or challenge) as a lecturer wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Authored {
    /// The title.
    pub title: String,
    /// Shown before the first step (for a challenge, above its goals).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro: String,
    /// The cluster and network settings.
    pub config: Config,
    /// The world's seed.
    pub seed: u64,
    /// The run: a lesson's script, or a challenge's starting situation.
    pub commands: Vec<Command>,
    /// A lesson's beats (a challenge has none: it shows only where it starts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub beats: Vec<Beat>,
    /// Steps (1-based) the class predicts before they happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub polls: Vec<usize>,
    /// Set for a challenge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Challenge>,
}

/// The file: the document behind a format name and a version.
#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    #[serde(flatten)]
    lesson: &'a Authored,
}

/// The file as read, once its head is known to be right.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    title: String,
    #[serde(default)]
    intro: String,
    config: Config,
    seed: u64,
    commands: Vec<Command>,
    #[serde(default)]
    beats: Vec<Beat>,
    #[serde(default)]
    polls: Vec<usize>,
    #[serde(default)]
    challenge: Option<Challenge>,
}

/// Text as one paragraph: control characters (new lines, tabs) become spaces and the ends are
/// trimmed. Captions are read aloud and drawn on one strip; the link uses control characters as
/// separators.
pub fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

fn text(what: &str, s: &str, max: usize) -> Result<(), String> {
    let n = s.chars().count();
    if n > max {
        return Err(format!("{what} is {n} characters long; the limit is {max}"));
    }
    if s.chars().any(char::is_control) {
        return Err(format!("{what} has a line break or another control character"));
    }
    Ok(())
}

fn exists(config: &Config, what: &str, nodes: &[NodeId]) -> Result<(), String> {
    match nodes.iter().find(|n| !config.has(**n)) {
        Some(n) => Err(format!(
            "{what} names {n}, which is not in this cluster (it has {} {}s)",
            config.count(n.role),
            n.role.name()
        )),
        None => Ok(()),
    }
}

/// A goal the cluster can reach: the nodes it names exist, and a log's goal is for a Multi-Paxos
/// log with that many slots (else the student would be set a goal no run can meet).
fn fits(config: &Config, what: &str, goal: &Goal) -> Result<(), String> {
    exists(config, what, &goal.nodes())?;
    match *goal {
        Goal::Applied { .. } if config.mode.is_single() => {
            Err(format!("{what} is about a Multi-Paxos log, and this cluster runs single-decree Paxos"))
        }
        Goal::Applied { slots, .. } if slots == 0 || slots > config.slots => {
            Err(format!("{what} asks for {slots} slots, and this log has {}", config.slots))
        }
        _ => Ok(()),
    }
}

impl Authored {
    /// The same document with every text cleaned (see [`clean`]).
    pub fn cleaned(mut self) -> Self {
        self.title = clean(&self.title);
        self.intro = clean(&self.intro);
        for b in &mut self.beats {
            b.caption = clean(&b.caption);
            if let Some(h) = &mut b.highlight {
                h.label = clean(&h.label);
            }
            if let Some(t) = &mut b.turn {
                t.prompt = clean(&t.prompt);
            }
        }
        if let Some(c) = &mut self.challenge {
            c.prompt = clean(&c.prompt);
        }
        self
    }

    /// Checks everything short of replaying: sizes, texts, and that every node named exists.
    fn check_shape(&self) -> Result<(), String> {
        let c = &self.config;
        c.validate().map_err(|e| format!("its cluster settings are out of range: {e}"))?;
        if self.title.trim().is_empty() {
            return Err("it has no title".into());
        }
        text("the title", &self.title, MAX_TITLE)?;
        text("the introduction", &self.intro, MAX_TEXT)?;
        if self.commands.len() > MAX_STEPS {
            return Err(format!("its run has {} steps; the limit is {MAX_STEPS}", self.commands.len()));
        }
        if self.beats.len() > MAX_BEATS || self.polls.len() > MAX_POLLS {
            return Err(format!(
                "it has {} beats and {} polls; the limit is {MAX_BEATS} of each",
                self.beats.len(),
                self.polls.len()
            ));
        }
        for (k, b) in self.beats.iter().enumerate() {
            let k = k + 1;
            text(&format!("beat {k}'s caption"), &b.caption, MAX_TEXT)?;
            if b.caption.trim().is_empty() {
                return Err(format!("beat {k} has no caption"));
            }
            for claim in std::iter::once(&b.on).chain(&b.also) {
                exists(c, &format!("beat {k}'s event"), &claim.nodes())?;
            }
            if let Some(h) = &b.highlight {
                text(&format!("beat {k}'s highlight label"), &h.label, MAX_TEXT)?;
                exists(c, &format!("beat {k}'s highlight"), &h.nodes)?;
            }
            if let Some(t) = &b.turn {
                text(&format!("beat {k}'s your-turn prompt"), &t.prompt, MAX_TEXT)?;
                fits(c, &format!("beat {k}'s goal"), &t.goal)?;
            }
        }
        match &self.challenge {
            Some(ch) => {
                text("the challenge's prompt", &ch.prompt, MAX_TEXT)?;
                if ch.goals.is_empty() || ch.goals.len() > MAX_GOALS {
                    return Err(format!("a challenge needs 1 to {MAX_GOALS} goals, not {}", ch.goals.len()));
                }
                for (i, g) in ch.goals.iter().enumerate() {
                    fits(c, &format!("goal {}", i + 1), g)?;
                }
                if !self.beats.is_empty() || !self.polls.is_empty() {
                    return Err("a challenge has no beats or polls: it shows only its starting situation".into());
                }
            }
            None if self.beats.is_empty() => return Err("a lesson needs at least one beat".into()),
            None => {}
        }
        Ok(())
    }

    /// Checks the document in full and builds the lesson it describes: the run replays, every
    /// beat ends inside it in order and its events happen at its step, every poll is a step of it.
    pub fn lesson(&self) -> Result<Lesson, String> {
        self.check_shape()?;
        let mut w = World::new(self.config.clone(), self.seed)?;
        for (i, cmd) in self.commands.iter().enumerate() {
            w.check(cmd).map_err(|e| format!("step {} of its run cannot be replayed: {e}", i + 1))?;
            let _ = w.apply(cmd.clone());
        }
        let len = self.commands.len();
        let mut last = 0;
        for (k, b) in self.beats.iter().enumerate() {
            if b.end <= last || b.end > len {
                return Err(format!(
                    "beat {} ends at step {}; beats end in order, after step {last} and by step {len}",
                    k + 1,
                    b.end
                ));
            }
            last = b.end;
        }
        let mut polls = self.polls.clone();
        crate::small_sort::sort(&mut polls);
        polls.dedup();
        if let Some(p) = polls.iter().find(|p| **p == 0 || **p > len) {
            return Err(format!("a poll asks about step {p}, but the run has steps 1 to {len}"));
        }
        let lesson = Lesson::authored(
            self.title.clone(),
            self.intro.clone(),
            self.config.clone(),
            self.seed,
            self.commands.clone(),
            self.beats.clone(),
            polls,
            self.challenge.clone(),
        );
        lesson.verify_captions()?;
        Ok(lesson)
    }

    /// The lesson file: compact JSON, versioned (compact reuses the serializers the trace export already has).
    pub fn to_json(&self) -> String {
        let out = FileOut { format: FORMAT, version: VERSION, lesson: self };
        serde_json::to_string(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Reads a lesson file: size, JSON, format, version, shape, then every check of
    /// [`Authored::lesson`]. Returns the document and its lesson.
    pub fn from_json(text: &str) -> Result<(Authored, Lesson), String> {
        if text.len() > MAX_FILE_BYTES {
            return Err(format!(
                "the file is {} KB; a lesson file is at most {} KB",
                text.len() / 1024,
                MAX_FILE_BYTES / 1024
            ));
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| format!("the file is not valid JSON: {}", plain(&e)))?;
        match head.format.map(|f| f.get().trim()) {
            Some(_) if head.names(FORMAT) => {}
            Some(other) => return Err(format!("this is not a Paxoscope lesson: its format is {other}")),
            None => return Err(format!("this is not a Paxoscope lesson: it has no \"format\": \"{FORMAT}\" field")),
        }
        match head.version() {
            Some(Some(v)) if v == VERSION as u64 => {}
            Some(Some(v)) => {
                return Err(format!("this lesson file is version {v}; this Paxoscope reads version {VERSION}"))
            }
            _ => return Err("the lesson file has no version number".into()),
        }
        let f: FileIn = serde_json::from_str(text)
            .map_err(|e| format!("the file does not match the lesson format: {}", plain_in(&e, text)))?;
        let a = Authored {
            title: f.title,
            intro: f.intro,
            config: f.config,
            seed: f.seed,
            commands: f.commands,
            beats: f.beats,
            polls: f.polls,
            challenge: f.challenge,
        }
        .cleaned();
        let l = a.lesson()?;
        Ok((a, l))
    }

    /// Does this text claim to be a lesson file (whether or not it is a good one)?
    pub fn is_lesson_file(text: &str) -> bool {
        serde_json::from_str::<Head>(text).is_ok_and(|h| h.names(FORMAT))
    }

    /// The link code (what follows `L=` in the address). Checks the document first.
    pub fn to_link(&self) -> Result<String, String> {
        self.lesson()?;
        let text = self.to_text()?;
        let mut bytes = vec![LINK_VERSION];
        bytes.extend(pack::compress(text.as_bytes())?);
        Ok(pack::to_base64url(&bytes))
    }

    /// Reads a link code, then every check of [`Authored::lesson`].
    pub fn from_link(code: &str) -> Result<(Authored, Lesson), String> {
        if code.len() > MAX_LINK_CHARS {
            return Err(format!(
                "the lesson in the link is {} characters long; the limit is {MAX_LINK_CHARS}",
                code.len()
            ));
        }
        let bytes = pack::from_base64url(code).map_err(|e| format!("the lesson in the link is damaged: {e}"))?;
        match bytes.first() {
            Some(&LINK_VERSION) => {}
            // A version a little above ours is a newer Paxoscope's; any other first byte is a
            // cut or mistyped link, which a version number would only make puzzling.
            Some(&v) if v > LINK_VERSION && v < LINK_VERSION + 8 => {
                return Err(format!(
                "the lesson in the link is version {v}, from a newer Paxoscope; this one reads version {LINK_VERSION}"
            ))
            }
            Some(_) => return Err("the lesson in the link is damaged: it does not start as a lesson link does".into()),
            None => return Err("the link holds no lesson".into()),
        }
        let text = pack::decompress(&bytes[1..]).map_err(|e| format!("the lesson in the link is damaged: {e}"))?;
        let text =
            String::from_utf8(text).map_err(|_| "the lesson in the link is damaged: it is not text".to_string())?;
        let a = Authored::from_text(&text).map_err(|e| format!("the lesson in the link is damaged: {e}"))?;
        let l = a.lesson()?;
        Ok((a, l))
    }

    /// How long the whole address is, on a site at `origin` (scheme, host and path, up to `#`).
    pub fn link_length(code: &str, origin: &str) -> usize {
        origin.len() + "#L=".len() + code.len()
    }
}

/// Separates the parts of a field in the link's text form.
const UNIT: char = '\u{1f}';

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Every claim that holds at each of the steps `ends`, by step: what a caption's event is
/// chosen from.
fn claims_at(
    config: &Config,
    seed: u64,
    commands: &[Command],
    ends: &[usize],
) -> Result<BTreeMap<usize, Vec<Claim>>, String> {
    let mut w = World::new(config.clone(), seed)?;
    let mut out = BTreeMap::new();
    for (i, c) in commands.iter().enumerate() {
        let before = w.clone();
        let step = Step { command: c.clone(), events: w.apply(c.clone()) };
        if ends.contains(&(i + 1)) {
            out.insert(i + 1, Claim::all_at(&before, &step, &w));
        }
    }
    Ok(out)
}

impl Authored {
    /// The compact text form the link compresses: a line each for the title, the introduction,
    /// the run, the polls and the challenge, then a line per beat.
    pub(crate) fn to_text(&self) -> Result<String, String> {
        let run = Link::of_run(self.config.clone(), self.seed, self.commands.clone(), self.commands.len()).to_hash();
        let polls: Vec<String> = self.polls.iter().map(usize::to_string).collect();
        let challenge = self.challenge.as_ref().map_or(String::new(), |c| {
            std::iter::once(c.prompt.clone())
                .chain(c.goals.iter().map(json))
                .collect::<Vec<_>>()
                .join(&UNIT.to_string())
        });
        let mut lines = vec![clean(&self.title), clean(&self.intro), run, polls.join("."), challenge];
        let ends: Vec<usize> = self.beats.iter().map(|b| b.end).collect();
        let claims = claims_at(&self.config, self.seed, &self.commands, &ends)?;
        for b in &self.beats {
            let at = claims.get(&b.end).map_or(&[][..], Vec::as_slice);
            // An event is usually one of those the step offers: its place in that list is enough.
            let event: Vec<String> = std::iter::once(&b.on)
                .chain(&b.also)
                .map(|c| at.iter().position(|x| x == c).map_or_else(|| json(c), |i| i.to_string()))
                .collect();
            let highlight = b.highlight.as_ref().map_or(String::new(), |h| {
                let nodes: Vec<String> = h.nodes.iter().map(NodeId::to_string).collect();
                format!("{}{UNIT}{}", nodes.join("."), clean(&h.label))
            });
            let turn =
                b.turn.as_ref().map_or(String::new(), |t| format!("{}{UNIT}{}", clean(&t.prompt), json(&t.goal)));
            let mut fields = vec![b.end.to_string(), event.join(&UNIT.to_string()), clean(&b.caption), highlight, turn];
            while fields.last().is_some_and(String::is_empty) {
                fields.pop();
            }
            lines.push(fields.join("\t"));
        }
        Ok(lines.join("\n"))
    }

    pub(crate) fn from_text(text: &str) -> Result<Authored, String> {
        let mut lines = text.split('\n');
        let mut line = |what: &str| lines.next().ok_or_else(|| format!("it has no {what}"));
        let (title, intro) = (line("title")?.to_string(), line("introduction")?.to_string());
        let run = Link::parse(line("run")?)?;
        let polls = line("polls")?
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<usize>().map_err(|_| format!("{p:?} is not a step number")))
            .collect::<Result<Vec<_>, _>>()?;
        let challenge = match line("challenge")? {
            "" => None,
            c => {
                let mut parts = c.split(UNIT);
                let prompt = parts.next().unwrap_or_default().to_string();
                let goals = parts.map(goal).collect::<Result<Vec<_>, _>>()?;
                Some(Challenge { prompt, goals })
            }
        };
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
        let ends = rows
            .iter()
            .map(|r| r[0].parse::<usize>().map_err(|_| format!("{:?} is not a step number", r[0])))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(e) = ends.iter().find(|e| **e == 0 || **e > run.commands.len()) {
            return Err(format!("a beat ends at step {e}, past the run"));
        }
        let claims = claims_at(&run.config, run.seed, &run.commands, &ends)?;
        let beats = rows
            .iter()
            .zip(&ends)
            .map(|(r, e)| beat(r, claims.get(e).map_or(&[][..], Vec::as_slice)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Authored {
            title,
            intro,
            config: run.config,
            seed: run.seed,
            commands: run.commands,
            beats,
            polls,
            challenge,
        }
        .cleaned())
    }
}

fn goal(s: &str) -> Result<Goal, String> {
    serde_json::from_str(s).map_err(|e| format!("a goal is damaged: {}", plain(&e)))
}

/// One beat line of the text form; `at` is what happened at its step.
fn beat(r: &[&str], at: &[Claim]) -> Result<Beat, String> {
    let field = |i: usize| r.get(i).copied().unwrap_or_default();
    let mut events = field(1).split(UNIT).map(|e| match e.parse::<usize>() {
        Ok(i) => at.get(i).cloned().ok_or_else(|| format!("a beat's event {i} is not one of its step's")),
        Err(_) => serde_json::from_str::<Claim>(e).map_err(|x| format!("a beat's event is damaged: {}", plain(&x))),
    });
    let on = events.next().ok_or("a beat has no event")??;
    let also = events.collect::<Result<Vec<_>, _>>()?;
    let highlight = match field(3) {
        "" => None,
        h => {
            let (nodes, label) = h.split_once(UNIT).unwrap_or((h, ""));
            let nodes = nodes.split('.').filter(|n| !n.is_empty()).map(NodeId::parse).collect::<Result<_, _>>()?;
            Some(Highlight { nodes, label: label.to_string() })
        }
    };
    let turn = match field(4) {
        "" => None,
        t => {
            let (prompt, g) = t.split_once(UNIT).ok_or("a your-turn point has no goal")?;
            Some(Turn { prompt: prompt.to_string(), goal: goal(g)? })
        }
    };
    let end = field(0).parse().map_err(|_| "a beat has no step")?;
    Ok(Beat { end, on, also, caption: field(2).to_string(), highlight, turn })
}

#[cfg(test)]
mod tests;
