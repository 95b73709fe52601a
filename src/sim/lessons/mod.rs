//! Guided lessons. A lesson is a config, a scripted run and a sequence of *beats*: the moments
//! worth talking about, each with words of its own. A beat's caption is bound to a [`Claim`], an
//! event the world can check ("when \"Y\" is chosen"), and is shown on the step where that event
//! happens, the beat's last step. Between beats the narration tells each step. A beat may mark
//! nodes on the canvas and may end with a "your turn" point, whose [`Goal`] the app checks.
//!
//! Built-in lessons are written by intent with [`Script`], so they run against the real world.
//! What those recipes build is kept as data (`builtin.txt`, an authored lesson's text form), and
//! every build, the browser's included, reads lessons from it; a test holds it equal to the
//! recipes. `tests/lessons.rs` replays every lesson, checks every caption's claims on its step and
//! the outcome the lesson promises.

pub mod audit;
mod basics;
mod breaking;
pub mod claim;
pub mod goal;
mod multi;

use super::authored::Authored;
use super::command::{Command, Event, Step};
use super::config::Config;
use super::script::Script;
use super::world::World;
use crate::paxos::NodeId;
pub use claim::Claim;
pub use goal::{Goal, Progress};
use serde::{Deserialize, Serialize};

/// Nodes to mark on the canvas, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    /// Which nodes.
    pub nodes: Vec<NodeId>,
    /// Why, in words.
    pub label: String,
}

/// A point where the student is invited to act, and what counts as success.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// What to try.
    pub prompt: String,
    /// What the app checks.
    pub goal: Goal,
}

/// One moment of a lesson.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Beat {
    /// The step (1-based) the beat ends at: its caption shows there.
    pub end: usize,
    /// The event the caption is about; it happens at `end`.
    pub on: Claim,
    /// Other things the caption says happened at `end`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Claim>,
    /// The lesson's words for this moment.
    pub caption: String,
    /// Nodes marked on the canvas at this beat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highlight: Option<Highlight>,
    /// A "your turn" point after this beat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<Turn>,
}

/// The outcome check of a lesson: the final world and every step's events.
pub type Check = fn(&World, &[Vec<Event>]) -> Result<(), String>;

/// A lesson that shows only its starting situation and asks the student to reach goals from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// What to do, in the lecturer's words.
    pub prompt: String,
    /// What the app checks, from the starting situation on; each is reported on its own.
    pub goals: Vec<Goal>,
}

/// One lesson, built and ready to play: a built-in one, or one a lecturer authored.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// Stable id, used in URLs (authored lessons travel whole and are all [`AUTHORED_ID`]).
    pub id: String,
    /// Position in the menu (1-based); 0 for an authored lesson, which is in no menu.
    pub number: usize,
    /// Title.
    pub title: String,
    /// What it shows, in a sentence (shown before the first step).
    pub teaches: String,
    /// Cluster settings.
    pub config: Config,
    /// World seed.
    pub seed: u64,
    /// The scripted commands.
    pub commands: Vec<Command>,
    /// The moments worth talking about, in order.
    pub beats: Vec<Beat>,
    /// Steps (1-based) the class is asked to predict before they happen, whether or not predict
    /// mode is on; each must be a delivery worth a question.
    pub polls: Vec<usize>,
    /// Set when the lesson is a challenge: the script is only the starting situation.
    pub challenge: Option<Challenge>,
    /// The outcome a built-in lesson promises; authored lessons promise only their captions.
    check: Option<Check>,
}

/// The id every authored lesson has (it is carried whole in its link, not looked up).
pub const AUTHORED_ID: &str = "authored";

impl Lesson {
    /// Replays the script and checks the outcome the lesson promises.
    pub fn verify(&self) -> Result<(), String> {
        let s = self.replay()?;
        match self.check {
            Some(check) => check(s.world(), s.events()),
            None => self.verify_captions(),
        }
    }

    /// A lesson made of parts a lecturer chose (see `sim::authored`, which checks them first).
    #[allow(clippy::too_many_arguments)]
    pub fn authored(
        title: String,
        teaches: String,
        config: Config,
        seed: u64,
        commands: Vec<Command>,
        beats: Vec<Beat>,
        polls: Vec<usize>,
        challenge: Option<Challenge>,
    ) -> Lesson {
        Lesson {
            id: AUTHORED_ID.into(),
            number: 0,
            title,
            teaches,
            config,
            seed,
            commands,
            beats,
            polls,
            challenge,
            check: None,
        }
    }

    /// Did a lecturer write it (rather than shipping with the app)?
    pub fn is_authored(&self) -> bool {
        self.number == 0
    }

    /// The first step after `n` the class is asked to predict, if any.
    pub fn next_poll(&self, n: usize) -> Option<usize> {
        self.polls.iter().copied().filter(|p| *p > n).min()
    }

    fn replay(&self) -> Result<Script, String> {
        let mut s = Script::new(self.config.clone(), self.seed)?;
        for c in &self.commands {
            s.run(c.clone());
        }
        s.finish()?;
        Ok(s)
    }

    /// Replays the script and checks that every beat's claims hold on the step its caption is
    /// shown on. The error names the beat, the step and the claim.
    pub fn verify_captions(&self) -> Result<(), String> {
        let mut w = World::new(self.config.clone(), self.seed)?;
        let mut beats = self.beats.iter().peekable();
        for (i, c) in self.commands.iter().enumerate() {
            let before = w.clone();
            let step = Step { command: c.clone(), events: w.apply(c.clone()) };
            while let Some(b) = beats.next_if(|b| b.end == i + 1) {
                for claim in std::iter::once(&b.on).chain(&b.also) {
                    if !claim.holds(&before, &step, &w) {
                        return Err(format!(
                            "beat {} (step {}) says \"{}\", but {claim} does not happen at that step",
                            self.beat_number(b),
                            b.end,
                            b.caption
                        ));
                    }
                }
            }
        }
        match beats.next() {
            Some(b) => Err(format!("beat {} ends at step {}, past the script", self.beat_number(b), b.end)),
            None => Ok(()),
        }
    }

    fn beat_number(&self, b: &Beat) -> usize {
        self.beats.iter().position(|x| std::ptr::eq(x, b)).map_or(0, |i| i + 1)
    }

    /// The beat whose caption shows at step `n` (1-based), if a beat ends there.
    pub fn beat_at(&self, n: usize) -> Option<(usize, &Beat)> {
        self.beats.iter().enumerate().find(|(_, b)| b.end == n).map(|(i, b)| (i + 1, b))
    }

    /// The number of beats whose end is at or before step `n`: where step `n` stands in the lesson.
    pub fn beats_done(&self, n: usize) -> usize {
        self.beats.iter().filter(|b| b.end <= n).count()
    }

    /// The step beat `k` (1-based) ends at; beat 0 is the start.
    pub fn beat_end(&self, k: usize) -> usize {
        k.checked_sub(1).and_then(|i| self.beats.get(i)).map_or(0, |b| b.end)
    }

    /// The step the next beat after step `n` ends at, if there is one.
    pub fn next_beat_end(&self, n: usize) -> Option<usize> {
        self.beats.iter().map(|b| b.end).find(|e| *e > n)
    }

    /// The step the last beat before step `n` ends at (0 when there is none).
    pub fn previous_beat_end(&self, n: usize) -> usize {
        self.beats.iter().map(|b| b.end).rfind(|e| *e < n).unwrap_or(0)
    }

    /// The "your turn" point at step `n`, if the beat ending there has one.
    pub fn turn(&self, n: usize) -> Option<&Turn> {
        self.beat_at(n).and_then(|(_, b)| b.turn.as_ref())
    }

    /// The highlight at step `n`, if the beat ending there has one.
    pub fn highlight(&self, n: usize) -> Option<&Highlight> {
        self.beat_at(n).and_then(|(_, b)| b.highlight.as_ref())
    }
}

/// Builds a lesson beat by beat (natively: the browser reads what it built from [`DATA`]).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
struct Builder {
    s: Script,
    beats: Vec<Beat>,
}

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Builder {
    fn new(config: Config, seed: u64) -> Self {
        Builder { s: Script::new(config, seed).expect("lesson configs are valid"), beats: Vec::new() }
    }

    /// Runs script actions that lead up to the next beat (they play as part of it).
    fn act(&mut self, f: impl FnOnce(&mut Script)) -> &mut Self {
        f(&mut self.s);
        self
    }

    /// Runs script actions, then ends a beat at the last step they add, with `caption` about
    /// `on`, which must happen at that step.
    fn beat(&mut self, on: Claim, caption: &str, f: impl FnOnce(&mut Script)) -> &mut Self {
        f(&mut self.s);
        self.end_beat(on, caption)
    }

    /// The part of `beat` that is not generic: one copy in the wasm, not one per recipe closure.
    fn end_beat(&mut self, on: Claim, caption: &str) -> &mut Self {
        let end = self.s.len();
        self.beats.push(Beat { end, on, also: vec![], caption: caption.into(), highlight: None, turn: None });
        self
    }

    /// Something else the last beat's caption says happened at its step.
    fn also(&mut self, claim: Claim) -> &mut Self {
        if let Some(b) = self.beats.last_mut() {
            b.also.push(claim);
        }
        self
    }

    /// Marks nodes at the last beat.
    fn highlight(&mut self, nodes: &[NodeId], label: &str) -> &mut Self {
        if let Some(b) = self.beats.last_mut() {
            b.highlight = Some(Highlight { nodes: nodes.to_vec(), label: label.into() });
        }
        self
    }

    /// Invites the student to act after the last beat, towards `goal`.
    fn turn_to(&mut self, prompt: &str, goal: Goal) -> &mut Self {
        if let Some(b) = self.beats.last_mut() {
            b.turn = Some(Turn { prompt: prompt.into(), goal });
        }
        self
    }

    fn finish(&mut self, meta: Meta, number: usize) -> Result<Lesson, String> {
        let commands = self.s.finish().map_err(|e| format!("lesson {}: {e}", meta.id))?;
        Ok(Lesson {
            id: meta.id.into(),
            number,
            title: meta.title.into(),
            teaches: meta.teaches.into(),
            config: self.s.world().config().clone(),
            seed: 1,
            commands,
            beats: std::mem::take(&mut self.beats),
            polls: Vec::new(),
            challenge: None,
            #[cfg(not(target_arch = "wasm32"))]
            check: Some(meta.check),
            #[cfg(target_arch = "wasm32")]
            check: None,
        })
    }
}

/// A lesson's catalogue entry.
#[derive(Clone, Copy)]
struct Meta {
    id: &'static str,
    title: &'static str,
    teaches: &'static str,
    /// Only natively: the browser never verifies a built-in lesson, so it does not carry the
    /// checks (about 5 KB of the download).
    #[cfg(not(target_arch = "wasm32"))]
    check: Check,
    /// Only natively: how the lesson is written. The browser reads what it builds from
    /// [`DATA`], which a native test holds equal to it.
    #[cfg(not(target_arch = "wasm32"))]
    recipe: Recipe,
}

#[cfg(not(target_arch = "wasm32"))]
type Recipe = fn(&mut Builder);

const LESSONS: [Meta; 16] = [
    basics::HAPPY_PATH,
    basics::ONE_ACCEPTOR,
    basics::MINORITY_CRASH,
    basics::MAJORITY_CRASH,
    basics::BALLOT_CONFLICT,
    basics::VALUE_ADOPTION,
    breaking::DUELING,
    breaking::LOST_AND_DUPLICATED,
    breaking::PARTITION,
    breaking::DURABILITY,
    breaking::LEADER_ESTIMATES,
    breaking::GENERATION_CLOCK,
    multi::STABLE_LEADER,
    multi::LEADER_CRASH,
    multi::TWO_LEADERS,
    multi::CATCH_UP,
];

/// How many lessons there are.
pub const COUNT: usize = LESSONS.len();

/// Every lesson as (id, number, title, what it teaches), in menu order. A lesson's number is its
/// place in the menu. Cheap: builds nothing.
pub fn catalog() -> impl Iterator<Item = (&'static str, usize, &'static str, &'static str)> {
    LESSONS.iter().enumerate().map(|(i, m)| (m.id, i + 1, m.title, m.teaches))
}

/// The id of the lesson after `id` in the menu, if there is one.
pub fn next_after(id: &str) -> Option<&'static str> {
    let i = LESSONS.iter().position(|m| m.id == id)?;
    LESSONS.get(i + 1).map(|m| m.id)
}

/// The lesson before `id`, if there is one.
pub fn previous_before(id: &str) -> Option<&'static str> {
    let i = LESSONS.iter().position(|m| m.id == id)?;
    i.checked_sub(1).map(|j| LESSONS[j].id)
}

/// Every built-in lesson's run and beats in the compact text form of an authored lesson's link
/// (`Authored::to_text`), one record per lesson in menu order, each titled with its lesson's id.
/// The browser builds lessons from this rather than from the recipes, which would cost it about
/// 16 KB of code; `data_is_what_the_recipes_build` holds it equal to what the recipes build, and
/// `PAXOSCOPE_BLESS=1 cargo test --lib lessons` rewrites it after a recipe changes.
#[cfg(not(target_arch = "wasm32"))]
const DATA: &str = include_str!("builtin.txt");

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The browser does not download the lessons' text with the app (about 10 KB gzipped that
    /// free play never needs): trunk copies `builtin.txt` beside it, and the app fetches it when
    /// a lesson is first opened, then hands it to [`load`].
    static LOADED: std::cell::OnceCell<&'static str> = const { std::cell::OnceCell::new() };
}

/// The lessons' text: natively always there, in the browser once [`load`]ed.
fn data() -> Result<&'static str, String> {
    #[cfg(not(target_arch = "wasm32"))]
    let text = Some(DATA);
    #[cfg(target_arch = "wasm32")]
    let text = LOADED.with(|d| d.get().copied());
    text.ok_or_else(|| "the lessons have not been loaded".into())
}

/// Whether [`build`] can build a lesson without [`load`] first.
pub fn loaded() -> bool {
    data().is_ok()
}

/// A fingerprint of `builtin.txt`, computed while compiling (the text itself stays out of the
/// browser build): the app asks for `builtin.txt?v=` it, so a browser never pairs a new app with
/// an old build's lessons from its HTTP cache.
pub const DATA_VERSION: u32 = {
    let b = include_bytes!("builtin.txt");
    let (mut h, mut i) = (0x811c_9dc5_u32, 0);
    while i < b.len() {
        h = (h ^ b[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
};

/// Takes the fetched lessons' text, once: refused (and nothing kept) unless it holds one record
/// per lesson, the first titled with the first lesson's id.
#[cfg(target_arch = "wasm32")]
pub fn load(text: String) -> Result<(), String> {
    if loaded() {
        return Ok(());
    }
    let records = text.trim_end_matches('\n').split(RECORD).count();
    if records != COUNT || !text.starts_with(LESSONS[0].id) {
        return Err("the file is not this app's lessons' text".into());
    }
    LOADED.with(|d| d.set(String::leak(text)).ok());
    Ok(())
}

/// Separates the records of [`DATA`] (a record never holds a control character but tabs and the
/// unit separator, see `Authored::to_text`).
const RECORD: &str = "\n\u{1e}\n";

fn find(id: &str) -> Result<(usize, &'static Meta), String> {
    LESSONS.iter().enumerate().find(|(_, m)| m.id == id).ok_or_else(|| {
        let ids: Vec<&str> = LESSONS.iter().map(|m| m.id).collect();
        format!("there is no lesson {id:?}; the lessons are {}", ids.join(", "))
    })
}

/// Builds a lesson by id, from [`DATA`].
pub fn build(id: &str) -> Result<Lesson, String> {
    let (i, meta) = find(id)?;
    from_record(data()?.trim_end_matches('\n').split(RECORD).nth(i).unwrap_or_default(), i, meta)
}

/// Lesson `i` (0-based) of the menu, from its record in [`DATA`].
fn from_record(record: &str, i: usize, meta: &Meta) -> Result<Lesson, String> {
    let id = meta.id;
    let a = Authored::from_text(record).map_err(|e| format!("lesson {id} is damaged: {e}"))?;
    if a.title != id {
        return Err(format!("lesson {id} is damaged: its record is {:?}'s", a.title));
    }
    Ok(Lesson {
        id: meta.id.into(),
        number: i + 1,
        title: meta.title.into(),
        teaches: meta.teaches.into(),
        config: a.config,
        seed: a.seed,
        commands: a.commands,
        beats: a.beats,
        polls: a.polls,
        challenge: a.challenge,
        #[cfg(not(target_arch = "wasm32"))]
        check: Some(meta.check),
        #[cfg(target_arch = "wasm32")]
        check: None,
    })
}

/// Builds a lesson by id from its recipe: what [`DATA`] must hold.
#[cfg(not(target_arch = "wasm32"))]
pub fn from_recipe(id: &str) -> Result<Lesson, String> {
    let (i, meta) = find(id)?;
    let mut b = Builder::new(Config::default(), 1);
    (meta.recipe)(&mut b);
    b.finish(*meta, i + 1)
}

/// What [`DATA`] should hold: every recipe's lesson in the text form.
#[cfg(not(target_arch = "wasm32"))]
pub fn data_from_recipes() -> Result<String, String> {
    let mut records = Vec::new();
    for m in &LESSONS {
        let l = from_recipe(m.id)?;
        let doc = Authored {
            title: m.id.into(),
            intro: String::new(),
            config: l.config,
            seed: l.seed,
            commands: l.commands,
            beats: l.beats,
            polls: l.polls,
            challenge: l.challenge,
        };
        records.push(doc.to_text()?);
    }
    Ok(records.join(RECORD) + "\n")
}

/// Starts a lesson's builder on a config other than the default (the first call in a recipe).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn reconfigure(b: &mut Builder, config: Config) {
    *b = Builder::new(config, 1);
}

/// Helpers shared by the lesson files.
mod util {
    // Some serve only the outcome checks, which the browser build leaves out.
    #![cfg_attr(target_arch = "wasm32", allow(dead_code))]
    use super::super::command::{DropReason, Event, Invariant};
    use crate::paxos::{NodeId, Value};

    pub const C1: NodeId = NodeId::client(0);
    pub const C2: NodeId = NodeId::client(1);
    pub const P1: NodeId = NodeId::proposer(0);
    pub const P2: NodeId = NodeId::proposer(1);
    pub const L1: NodeId = NodeId::learner(0);
    pub const fn a(i: u8) -> NodeId {
        NodeId::acceptor(i)
    }
    pub fn v(s: &str) -> Value {
        Value::new(s).expect("lesson values are valid")
    }
    pub fn all(ev: &[Vec<Event>]) -> impl Iterator<Item = &Event> {
        ev.iter().flatten()
    }
    pub fn violated(ev: &[Vec<Event>], inv: Invariant) -> bool {
        all(ev).any(|e| matches!(e, Event::Violated { invariant, .. } if *invariant == inv))
    }
    pub fn any_violation(ev: &[Vec<Event>]) -> bool {
        all(ev).any(|e| matches!(e, Event::Violated { .. }))
    }
    pub fn count(ev: &[Vec<Event>], f: impl Fn(&Event) -> bool) -> usize {
        all(ev).filter(|e| f(e)).count()
    }
    pub fn drops(ev: &[Vec<Event>], why: DropReason) -> usize {
        count(ev, |e| matches!(e, Event::Dropped { reason, .. } if *reason == why))
    }
    pub fn ensure(ok: bool, what: &str) -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err(what.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_sixteen_lessons_with_unique_ids() {
        let ids: std::collections::BTreeSet<_> = catalog().map(|c| c.0).collect();
        assert_eq!(ids.len(), 16);
        assert_eq!(catalog().map(|c| c.1).collect::<Vec<_>>(), (1..=16).collect::<Vec<_>>());
        assert!(build("nope").unwrap_err().contains("happy-path"));
        assert_eq!(next_after("happy-path"), Some("one-acceptor"));
        assert_eq!(previous_before("one-acceptor"), Some("happy-path"));
        assert_eq!(previous_before("happy-path"), None);
        assert_eq!(next_after("generation-clock"), Some("stable-leader"));
        assert_eq!(next_after("learners-catch-up"), None);
    }

    /// The browser plays what the recipes build: the data holds their runs and beats exactly.
    #[test]
    fn data_is_what_the_recipes_build() {
        let fresh = data_from_recipes().unwrap();
        if fresh != DATA && std::env::var_os("PAXOSCOPE_BLESS").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/sim/lessons/builtin.txt"), &fresh).unwrap();
            panic!("src/sim/lessons/builtin.txt rewritten from the recipes: build again");
        }
        assert!(fresh == DATA, "src/sim/lessons/builtin.txt is stale: run PAXOSCOPE_BLESS=1 cargo test --lib lessons");
        for (id, ..) in catalog() {
            let (data, recipe) = (build(id).unwrap(), from_recipe(id).unwrap());
            assert_eq!((data.number, &data.title, &data.teaches), (recipe.number, &recipe.title, &recipe.teaches));
            assert_eq!(
                (&data.config, data.seed, &data.commands),
                (&recipe.config, recipe.seed, &recipe.commands),
                "{id}"
            );
            assert_eq!(
                (&data.beats, &data.polls, &data.challenge),
                (&recipe.beats, &recipe.polls, &recipe.challenge),
                "{id}"
            );
        }
    }

    #[test]
    fn a_damaged_record_says_which_lesson() {
        let second = DATA.split(RECORD).nth(1).unwrap();
        let e = from_record(second, 0, &LESSONS[0]).unwrap_err();
        assert_eq!(e, "lesson happy-path is damaged: its record is \"one-acceptor\"'s");
        let e = from_record("happy-path\n\nnot a run\n\n", 0, &LESSONS[0]).unwrap_err();
        assert!(e.starts_with("lesson happy-path is damaged: "), "{e}");
    }
}
