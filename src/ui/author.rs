//! The lesson a lecturer is writing in authoring mode: beats marked on the run, captions, "your
//! turn" goals, predict questions, or a challenge's goals. It only reads the run; turning it into
//! a lesson (and every check on it) is `sim::authored`'s job. Plain Rust, tested natively.

use crate::paxos::{Ballot, NodeId, Role, Value};
use crate::sim::authored::Authored;
use crate::sim::lessons::{Beat, Challenge, Claim, Goal, Highlight, Turn};
use crate::sim::timeline::Timeline;

/// The goals on the menu: the name shown, the role of the node it names (if any), whether it
/// takes a value, and what its number is (if it takes one), as the number field's placeholder.
pub const GOALS: [(&str, Option<Role>, bool, Option<&str>); 10] = [
    ("a value is chosen", None, true, None),
    ("a value is chosen while node N is down", Some(Role::Acceptor), false, None),
    ("two acceptors hold different accepted values", None, false, None),
    ("learner L learned value v", Some(Role::Learner), true, None),
    ("client C heard that v was chosen", Some(Role::Client), true, None),
    ("a ballot ≥ round b of proposer P was refused", Some(Role::Proposer), false, Some("round")),
    ("proposer P reached round r", Some(Role::Proposer), false, Some("round")),
    ("safety breaks (needs a rule switched off)", None, false, None),
    ("learner L applied slots s1–sN", Some(Role::Learner), false, Some("slots")),
    ("client C applied slots s1–sN", Some(Role::Client), false, Some("slots")),
];

/// The goals a log has: only a Multi-Paxos cluster offers them, and it offers them first, since
/// "a value is chosen" is met there as soon as any one slot is.
pub const LOG_GOALS: std::ops::Range<usize> = 8..10;

/// The goal being put together from the menu.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalForm {
    /// Index into [`GOALS`].
    pub kind: usize,
    /// The node it names, as written (`A2`).
    pub node: String,
    /// The value, as typed (may be empty where optional).
    pub value: String,
    /// The ballot's round or the round to reach.
    pub number: u32,
    /// The words for the student.
    pub prompt: String,
}

impl GoalForm {
    /// The goal the form describes, or what is missing.
    pub fn goal(&self) -> Result<Goal, String> {
        let (_, role, _, _) = GOALS.get(self.kind).ok_or("pick a goal from the menu")?;
        let node = || -> Result<NodeId, String> {
            let n = NodeId::parse(self.node.trim()).map_err(|e| format!("the goal's node: {e}"))?;
            match role {
                Some(r) if n.role != *r => Err(format!("this goal names a {}, not {n}", r.name())),
                _ => Ok(n),
            }
        };
        let value = || Value::new(self.value.trim()).map_err(|e| format!("the goal's value: {e}"));
        let number = || match self.number {
            0 => Err("the goal's round must be 1 or more".to_string()),
            n => Ok(n),
        };
        let slots = || match u8::try_from(self.number) {
            Ok(n @ 1..) => Ok(n),
            _ => Err(format!("the goal's slots must be 1 to {}", crate::paxos::multi::MAX_SLOTS)),
        };
        Ok(match self.kind {
            0 if self.value.trim().is_empty() => Goal::Chosen { value: None },
            0 => Goal::Chosen { value: Some(value()?) },
            1 => Goal::ChosenWhileDown { node: node()? },
            2 => Goal::AcceptorsDisagree,
            3 => Goal::Learned { node: node()?, value: value()? },
            4 => Goal::Heard { client: node()?, value: value()? },
            5 => Goal::Refused { ballot: Ballot { round: number()?, proposer: node()? } },
            6 => Goal::Round { proposer: node()?, round: number()? },
            7 => Goal::SafetyBreaks,
            8 | 9 => Goal::Applied { node: node()?, slots: slots()? },
            _ => return Err("pick a goal from the menu".into()),
        })
    }
}

/// A beat as it is being written: its step, the events that happen there (to bind the caption
/// to), the one chosen, its caption, and perhaps a "your turn" point.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftBeat {
    /// The step (1-based) it ends at.
    pub end: usize,
    /// What happens at that step, the most telling first.
    pub events: Vec<Claim>,
    /// Which of `events` the caption is about.
    pub on: usize,
    /// The caption.
    pub caption: String,
    /// A "your turn" point after it.
    pub turn: Option<Turn>,
    /// Nodes marked on the canvas at this beat, with why.
    pub highlight: Option<Highlight>,
    /// The mark's fields as typed (names, label).
    pub mark: (String, String),
    /// What is wrong with them, if anything.
    pub mark_error: Option<String>,
}

/// The whole draft.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The title.
    pub title: String,
    /// Words before the first step (or above a challenge's goals).
    pub intro: String,
    /// Beats, in step order.
    pub beats: Vec<DraftBeat>,
    /// Steps the class predicts before they happen.
    pub polls: Vec<usize>,
    /// A challenge rather than a lesson.
    pub challenge: bool,
    /// A challenge's goals.
    pub goals: Vec<Goal>,
    /// The goal menu's current choice.
    pub form: GoalForm,
}

impl Draft {
    /// An empty draft whose goal menu starts on the first goal the menu lists: for a
    /// Multi-Paxos cluster (`multi`), a log's.
    pub fn for_log(multi: bool) -> Self {
        let kind = if multi { LOG_GOALS.start } else { 0 };
        Draft { form: GoalForm { kind, ..GoalForm::default() }, ..Draft::default() }
    }

    /// Marks a beat at step `end` of the run in `t`, bound to the most telling event there.
    pub fn mark(&mut self, t: &Timeline, end: usize) -> Result<(), String> {
        if end == 0 || end > t.len() {
            return Err("Step forward first: a beat ends at a step of the run.".into());
        }
        if self.beats.iter().any(|b| b.end == end) {
            return Err(format!("Step {end} already ends a beat."));
        }
        let events = Claim::all_at(&t.world_at(end - 1), &t.steps()[end - 1], &t.world_at(end));
        if events.is_empty() {
            return Err(format!("Nothing happens at step {end} that a caption could be about."));
        }
        let at = self.beats.partition_point(|b| b.end < end);
        self.beats.insert(
            at,
            DraftBeat {
                end,
                events,
                on: 0,
                caption: String::new(),
                turn: None,
                highlight: None,
                mark: Default::default(),
                mark_error: None,
            },
        );
        Ok(())
    }

    /// Asks the class to predict step `step` (the next delivery) before it happens. In free play
    /// that step is not recorded yet; the panel says so until the run passes it.
    pub fn poll(&mut self, step: usize) {
        if !self.polls.contains(&step) {
            self.polls.push(step);
            crate::small_sort::sort(&mut self.polls);
        }
    }

    /// Marks the nodes named in `names` (e.g. "A1 A2") on the canvas at beat `k`, with `label`
    /// as the reason; no names clears the mark. What is typed is kept as typed, and a name the
    /// cluster lacks is reported at once (and blocks sharing), not only at share time.
    pub fn highlight(&mut self, t: &Timeline, k: usize, names: &str, label: &str) {
        let Some(b) = self.beats.get_mut(k) else { return };
        b.mark = (names.to_string(), label.to_string());
        match parse_mark(t, names, label) {
            Ok(h) => (b.highlight, b.mark_error) = (h, None),
            Err(e) => (b.highlight, b.mark_error) = (None, Some(e)),
        }
    }

    /// What stops the draft from being shared that only the panel knows of (the rest is
    /// `Authored::lesson`'s to say).
    pub fn check(&self) -> Result<(), String> {
        if let Some((k, e)) = self.beats.iter().enumerate().find_map(|(k, b)| b.mark_error.as_ref().map(|e| (k, e))) {
            return Err(format!("beat {}'s highlight: {e}", k + 1));
        }
        match self.polls.iter().find(|p| self.unasked(**p)) {
            Some(p) => {
                Err(format!("the question about step {p} would never be asked: mark a beat at step {p} or later"))
            }
            None => Ok(()),
        }
    }

    /// Whether a question about step `p` would never be asked: the clicker asks while playing
    /// to a beat, so a question after the last beat (of a lesson, not a challenge) is never reached.
    pub fn unasked(&self, p: usize) -> bool {
        !self.challenge && self.beats.last().is_none_or(|b| b.end < p)
    }

    /// The document for the run in `t`: a lesson's run up to its last beat or poll, a
    /// challenge's up to the step on screen (its starting situation). Not yet checked.
    pub fn authored(&self, t: &Timeline) -> Authored {
        let last = self.beats.iter().map(|b| b.end).chain(self.polls.iter().copied()).max().unwrap_or(0);
        let len = if self.challenge { t.cursor() } else { last.min(t.len()) };
        let (beats, polls, challenge) = if self.challenge {
            (vec![], vec![], Some(Challenge { prompt: self.intro.clone(), goals: self.goals.clone() }))
        } else {
            let beats = self.beats.iter().map(|b| Beat {
                end: b.end,
                // `mark` never keeps a beat without events, and `on` is set from them.
                on: b.events[b.on.min(b.events.len() - 1)].clone(),
                also: vec![],
                caption: b.caption.clone(),
                highlight: b.highlight.clone(),
                turn: b.turn.clone(),
            });
            (beats.collect(), self.polls.clone(), None)
        };
        Authored {
            title: self.title.clone(),
            intro: if self.challenge { String::new() } else { self.intro.clone() },
            config: t.config().clone(),
            seed: t.seed(),
            commands: t.steps()[..len].iter().map(|s| s.command.clone()).collect(),
            beats,
            polls,
            challenge,
        }
        .cleaned()
    }
}

/// The mark the fields describe, or why they do not.
fn parse_mark(t: &Timeline, names: &str, label: &str) -> Result<Option<Highlight>, String> {
    let mut nodes = Vec::new();
    for name in names.split([' ', ',']).filter(|n| !n.is_empty()) {
        let n = NodeId::parse(name)?;
        if !t.config().has(n) {
            return Err(format!("this cluster has no {n}"));
        }
        if !nodes.contains(&n) {
            nodes.push(n);
        }
    }
    Ok((!nodes.is_empty()).then(|| Highlight { nodes, label: label.trim().to_string() }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Command, Config};

    fn run() -> Timeline {
        let mut t = Timeline::new(Config::default(), 42).unwrap();
        t.apply(Command::Request { client: NodeId::client(0), value: Value::new("X").unwrap() });
        for _ in 0..30 {
            t.apply(Command::Tick);
        }
        t
    }

    #[test]
    fn a_marked_lesson_becomes_a_checked_lesson_that_travels_as_a_link() {
        let t = run();
        let mut d = Draft { title: "Mine".into(), ..Draft::default() };
        assert!(d.mark(&t, 0).is_err(), "step 0 ends no beat");
        for end in [8, 3] {
            d.mark(&t, end).unwrap();
        }
        assert!(d.mark(&t, 3).unwrap_err().contains("already"));
        assert_eq!(d.beats.iter().map(|b| b.end).collect::<Vec<_>>(), vec![3, 8], "kept in step order");
        assert!(d.authored(&t).lesson().unwrap_err().contains("no caption"));
        d.beats[0].caption = "First.".into();
        d.beats[1].caption = "Second,\nthen.".into();
        d.poll(5);
        d.highlight(&t, 1, "A1 A9", "a quorum");
        assert!(d.check().unwrap_err().contains("beat 2's highlight: this cluster has no A9"));
        assert_eq!(d.beats[1].mark, ("A1 A9".to_string(), "a quorum".to_string()), "kept as typed");
        d.highlight(&t, 1, "B1", "");
        assert!(d.check().is_err());
        d.highlight(&t, 1, "A1, A2 A1", "a quorum");
        assert_eq!(d.check(), Ok(()));
        let a = d.authored(&t);
        assert_eq!(
            a.beats[1].highlight,
            Some(Highlight { nodes: vec![NodeId::acceptor(0), NodeId::acceptor(1)], label: "a quorum".into() })
        );
        assert_eq!(a.commands.len(), 8, "the run ends at the last beat");
        assert_eq!(a.beats[1].caption, "Second, then.");
        let (back, lesson) = Authored::from_link(&a.to_link().unwrap()).unwrap();
        assert_eq!((back, lesson.beats.len(), lesson.polls), (a, 2, vec![5]));
    }

    #[test]
    fn the_goal_menu_builds_checked_goals_and_says_what_is_missing() {
        let mut f = GoalForm { kind: 3, node: "L1".into(), value: "X".into(), ..GoalForm::default() };
        assert_eq!(f.goal().unwrap(), Goal::Learned { node: NodeId::learner(0), value: Value::new("X").unwrap() });
        f.node = "A1".into();
        assert!(f.goal().unwrap_err().contains("names a learner"));
        f.kind = 5;
        f.node = "P2".into();
        assert!(f.goal().unwrap_err().contains("round must be 1"));
        f.number = 2;
        assert_eq!(f.goal().unwrap(), Goal::Refused { ballot: Ballot::new(2, 1) });
        f.kind = 0;
        f.value = String::new();
        assert_eq!(f.goal().unwrap(), Goal::Chosen { value: None });
        f = GoalForm { kind: 9, node: "L1".into(), ..GoalForm::default() };
        assert!(f.goal().unwrap_err().contains("names a client"));
        f.node = "C1".into();
        assert!(f.goal().unwrap_err().contains("slots must be 1 to"));
        f.number = 4;
        assert_eq!(f.goal().unwrap(), Goal::Applied { node: NodeId::client(0), slots: 4 });
        f.number = 300;
        assert!(f.goal().unwrap_err().contains("slots must be 1 to"), "no wrap to 44 slots");
        f.kind = GOALS.len();
        assert!(f.goal().unwrap_err().contains("pick a goal"));
    }

    #[test]
    fn a_log_goal_is_offered_first_in_multi_paxos_and_is_refused_where_no_log_can_meet_it() {
        assert_eq!(Draft::for_log(true).form.kind, LOG_GOALS.start);
        assert_eq!(Draft::for_log(false).form.kind, 0);
        assert!(LOG_GOALS.clone().all(|i| GOALS[i].3 == Some("slots")), "the log's goals are the ones counting slots");
        let applied = Goal::Applied { node: NodeId::learner(0), slots: 3 };
        let challenge = |t: &Timeline| {
            let d = Draft { title: "Log".into(), challenge: true, goals: vec![applied.clone()], ..Draft::default() };
            d.authored(t).lesson().map(|_| ())
        };
        assert!(challenge(&run()).unwrap_err().contains("goal 1 is about a Multi-Paxos log"));
        let multi = |slots| Config { mode: crate::sim::Mode::Multi, slots, ..Config::default() };
        assert_eq!(challenge(&Timeline::new(multi(8), 42).unwrap()), Ok(()));
        assert!(challenge(&Timeline::new(multi(2), 42).unwrap())
            .unwrap_err()
            .contains("asks for 3 slots, and this log has 2"));
    }

    #[test]
    fn a_challenge_starts_where_the_run_stands_and_needs_a_goal() {
        let mut t = run();
        t.seek(4);
        let mut d =
            Draft { title: "Break it".into(), challenge: true, intro: "Split the vote.".into(), ..Draft::default() };
        assert!(d.authored(&t).lesson().unwrap_err().contains("1 to 10 goals"));
        d.goals.push(Goal::AcceptorsDisagree);
        let l = d.authored(&t).lesson().unwrap();
        assert_eq!((l.commands.len(), l.challenge.map(|c| c.prompt)), (4, Some("Split the vote.".into())));
    }
}
