//! Guided lessons: a config, a scripted run, a caption per step, highlights, and "your turn"
//! points where the student takes over (and the timeline forks). Each lesson is written by intent
//! with [`Script`], so it runs against the real world; native tests replay every lesson and check
//! the outcome its captions promise.

mod basics;
mod breaking;

use super::command::{Command, Event};
use super::config::Config;
use super::script::Script;
use super::world::World;
use crate::paxos::NodeId;

/// Nodes to mark on the canvas at a step, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// The step (1-based) the mark belongs to.
    pub step: usize,
    /// Which nodes.
    pub nodes: Vec<NodeId>,
    /// Why, in words.
    pub label: String,
}

/// A point where the student is invited to act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// The step (1-based) after which the prompt appears.
    pub step: usize,
    /// What to try.
    pub prompt: String,
}

/// The outcome check of a lesson: the final world and every step's events.
pub type Check = fn(&World, &[Vec<Event>]) -> Result<(), String>;

/// One lesson, built and ready to play.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// Stable id, used in URLs.
    pub id: &'static str,
    /// Position in the menu (1-based).
    pub number: usize,
    /// Title.
    pub title: &'static str,
    /// What it shows, in a sentence.
    pub teaches: &'static str,
    /// Cluster settings.
    pub config: Config,
    /// World seed.
    pub seed: u64,
    /// The scripted commands.
    pub commands: Vec<Command>,
    /// One caption per command: the lesson's own words, or the narration where it has none.
    pub captions: Vec<String>,
    /// Whether each caption is the lesson's own words.
    pub written: Vec<bool>,
    /// Marks on the canvas.
    pub highlights: Vec<Highlight>,
    /// "Your turn" points.
    pub turns: Vec<Turn>,
    check: Check,
}

impl Lesson {
    /// Replays the script and checks the outcome the captions promise.
    pub fn verify(&self) -> Result<(), String> {
        let mut s = Script::new(self.config.clone(), self.seed)?;
        for c in &self.commands {
            s.run(c.clone());
        }
        s.finish()?;
        (self.check)(s.world(), s.events())
    }

    /// The caption of step `n` (1-based).
    pub fn caption(&self, n: usize) -> Option<&str> {
        n.checked_sub(1).and_then(|i| self.captions.get(i)).map(String::as_str)
    }

    /// The highlight at step `n`, if any.
    pub fn highlight(&self, n: usize) -> Option<&Highlight> {
        self.highlights.iter().find(|h| h.step == n)
    }

    /// The "your turn" prompt after step `n`, if any.
    pub fn turn(&self, n: usize) -> Option<&Turn> {
        self.turns.iter().find(|t| t.step == n)
    }
}

/// Builds a lesson step by step.
struct Builder {
    s: Script,
    written: Vec<Option<String>>,
    highlights: Vec<Highlight>,
    turns: Vec<Turn>,
    pending: Option<String>,
}

impl Builder {
    fn new(config: Config, seed: u64) -> Self {
        let s = Script::new(config, seed).expect("lesson configs are valid");
        Builder { s, written: Vec::new(), highlights: Vec::new(), turns: Vec::new(), pending: None }
    }

    /// The next step's caption.
    fn say(&mut self, text: &str) -> &mut Self {
        self.pending = Some(text.to_string());
        self
    }

    /// Runs script actions; the pending caption goes to the first step they add.
    fn act(&mut self, f: impl FnOnce(&mut Script)) -> &mut Self {
        self.act_dyn(Box::new(f))
    }

    /// One copy of the bookkeeping for every recipe step, however many closures call it.
    fn act_dyn(&mut self, f: Box<dyn FnOnce(&mut Script) + '_>) -> &mut Self {
        let before = self.s.len();
        f(&mut self.s);
        for i in before..self.s.len() {
            self.written.push(if i == before { self.pending.take() } else { None });
        }
        self
    }

    /// Marks nodes at the last step.
    fn highlight(&mut self, nodes: &[NodeId], label: &str) -> &mut Self {
        self.highlights.push(Highlight { step: self.s.len(), nodes: nodes.to_vec(), label: label.into() });
        self
    }

    /// Invites the student to act after the last step.
    fn turn(&mut self, prompt: &str) -> &mut Self {
        self.turns.push(Turn { step: self.s.len(), prompt: prompt.into() });
        self
    }

    fn finish(&mut self, meta: Meta, number: usize) -> Result<Lesson, String> {
        let commands = self.s.finish().map_err(|e| format!("lesson {}: {e}", meta.id))?;
        let captions =
            self.written.iter().zip(self.s.narrations()).map(|(w, n)| w.clone().unwrap_or_else(|| n.clone())).collect();
        Ok(Lesson {
            id: meta.id,
            number,
            title: meta.title,
            teaches: meta.teaches,
            config: self.s.world().config().clone(),
            seed: 1,
            written: self.written.iter().map(Option::is_some).collect(),
            captions,
            commands,
            highlights: std::mem::take(&mut self.highlights),
            turns: std::mem::take(&mut self.turns),
            check: meta.check,
        })
    }
}

/// A lesson's catalogue entry.
#[derive(Clone, Copy)]
struct Meta {
    id: &'static str,
    title: &'static str,
    teaches: &'static str,
    check: Check,
}

type Recipe = fn(&mut Builder);

const LESSONS: [(Meta, Recipe); 12] = [
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
];

/// How many lessons there are.
pub const COUNT: usize = LESSONS.len();

/// Every lesson as (id, number, title, what it teaches), in menu order. A lesson's number is its
/// place in the menu. Cheap: builds nothing.
pub fn catalog() -> impl Iterator<Item = (&'static str, usize, &'static str, &'static str)> {
    LESSONS.iter().enumerate().map(|(i, (m, _))| (m.id, i + 1, m.title, m.teaches))
}

/// Builds a lesson by id.
pub fn build(id: &str) -> Result<Lesson, String> {
    let (i, (meta, recipe)) = LESSONS.iter().enumerate().find(|(_, (m, _))| m.id == id).ok_or_else(|| {
        let ids: Vec<&str> = LESSONS.iter().map(|(m, _)| m.id).collect();
        format!("there is no lesson {id:?}; the lessons are {}", ids.join(", "))
    })?;
    let mut b = Builder::new(Config::default(), 1);
    recipe(&mut b);
    b.finish(*meta, i + 1)
}

/// Starts a lesson's builder on a config other than the default (the first call in a recipe).
fn reconfigure(b: &mut Builder, config: Config) {
    *b = Builder::new(config, 1);
}

/// Helpers shared by the lesson files.
mod util {
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
    fn there_are_twelve_lessons_with_unique_ids() {
        let ids: std::collections::BTreeSet<_> = catalog().map(|c| c.0).collect();
        assert_eq!(ids.len(), 12);
        assert_eq!(catalog().map(|c| c.1).collect::<Vec<_>>(), (1..=12).collect::<Vec<_>>());
        assert!(build("nope").unwrap_err().contains("happy-path"));
    }
}
