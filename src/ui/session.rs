//! The app's state outside the DOM: the timeline, a narration per step, and play settings.
//! Pure Rust, so it is tested natively; the Yew layer only renders it and calls its methods.

use crate::paxos::Ballot;
use crate::sim::link::Link;
use crate::sim::narrate::{narrate, Narration};
use crate::sim::{Command, Config, Event, Step, Timeline, Trace, TraceFile, World};
use std::collections::BTreeSet;

/// Play speeds, as multiples of the base pace.
pub const SPEEDS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];
/// How each speed is written.
pub const SPEED_LABELS: [&str; 5] = ["0.25×", "0.5×", "1×", "2×", "4×"];
/// Index of 1× in [`SPEEDS`].
pub const DEFAULT_SPEED: usize = 2;
/// Milliseconds per step of auto-play at 1×.
pub const BASE_STEP_MS: f64 = 900.0;

/// A mark on the timeline scrubber.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A proposer entered Phase 1, 2 or 3 at this step.
    Phase(u8),
    /// A value became chosen.
    Chosen,
    /// A safety property broke: harm.
    Violation,
    /// A switched-off rule broke; no harm yet.
    RuleBroken,
}

/// Counts of ballots, for the contention counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BallotStats {
    /// Ballots any proposer started.
    pub started: usize,
    /// Ballots that reached a commit.
    pub committed: usize,
    /// Ballots abandoned without a commit.
    pub wasted: usize,
}

/// Everything the screen shows, minus layout.
#[derive(Clone, Debug)]
pub struct Session {
    timeline: Timeline,
    narrations: Vec<Narration>,
    before: World,
    /// The earliest step at which a command was applied by hand (see `hand_from`).
    hand_from: Option<usize>,
    /// Auto-play is running.
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
}

impl Session {
    /// A fresh run.
    pub fn new(config: Config, seed: u64) -> Result<Self, String> {
        let timeline = Timeline::new(config, seed)?;
        let before = timeline.world().clone();
        Ok(Session { timeline, narrations: Vec::new(), before, hand_from: None, playing: false, speed: DEFAULT_SPEED })
    }

    /// Rebuilds a run from its inputs and moves to `cursor`. Every command must be enabled when
    /// its turn comes; otherwise the message names the step.
    pub fn from_commands(config: Config, seed: u64, commands: &[Command], cursor: usize) -> Result<Self, String> {
        let mut s = Session::new(config, seed)?;
        for (i, c) in commands.iter().enumerate() {
            s.record(c.clone()).map_err(|e| format!("step {} cannot be replayed: {e}", i + 1))?;
        }
        if cursor > commands.len() {
            return Err(format!("step {cursor} is past the end of the run ({} steps)", commands.len()));
        }
        s.seek(cursor);
        Ok(s)
    }

    /// As many of `commands` as the world enables, in order, stopping at the first it refuses;
    /// the view is at step 0. This is a script replayed on other settings: a switched-off rule
    /// or another cluster can make a later step of it impossible.
    pub fn replaying(config: Config, seed: u64, commands: &[Command]) -> Result<Self, String> {
        let mut s = Session::new(config, seed)?;
        for c in commands {
            if s.record(c.clone()).is_err() {
                break;
            }
        }
        s.seek(0);
        Ok(s)
    }

    /// The earliest step at which a command was applied by hand rather than replayed from a
    /// recording (a lesson's script, a link): where the run became the student's own.
    pub fn hand_from(&self) -> Option<usize> {
        self.hand_from
    }

    /// The timeline.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }
    /// The world now.
    pub fn world(&self) -> &World {
        self.timeline.world()
    }
    /// The world just before the current step (the start, at step 0).
    pub fn before(&self) -> &World {
        &self.before
    }
    /// Steps applied.
    pub fn cursor(&self) -> usize {
        self.timeline.cursor()
    }
    /// Steps recorded.
    pub fn len(&self) -> usize {
        self.timeline.len()
    }
    /// Nothing recorded?
    pub fn is_empty(&self) -> bool {
        self.timeline.is_empty()
    }
    /// The step that led here.
    pub fn last_step(&self) -> Option<&Step> {
        self.timeline.last_step()
    }
    /// The narration of the step that led here.
    pub fn narration(&self) -> Option<&Narration> {
        self.cursor().checked_sub(1).and_then(|i| self.narrations.get(i))
    }
    /// Narration of every recorded step.
    pub fn narrations(&self) -> &[Narration] {
        &self.narrations
    }
    /// Current speed multiplier.
    pub fn speed_factor(&self) -> f64 {
        SPEEDS[self.speed]
    }
    /// Milliseconds per auto-play step at the current speed.
    pub fn step_ms(&self) -> f64 {
        BASE_STEP_MS / self.speed_factor()
    }

    /// Applies a command at the cursor (forking if in the past). A command that is not enabled
    /// changes nothing and returns the world's reason.
    pub fn apply(&mut self, cmd: Command) -> Result<(), String> {
        let at = self.cursor();
        self.record(cmd)?;
        self.hand_from = Some(self.hand_from.map_or(at, |h| h.min(at)));
        Ok(())
    }

    /// Applies a recorded command at the cursor, as `apply` does, without counting it as done by hand.
    fn record(&mut self, cmd: Command) -> Result<(), String> {
        let prev = self.timeline.world().clone();
        let events = self.timeline.apply(cmd);
        if let [Event::Rejected { reason }] = events.as_slice() {
            return Err(reason.clone());
        }
        let n = self.timeline.cursor();
        self.narrations.truncate(n - 1);
        let step = self.timeline.last_step().expect("a step was just recorded");
        let mut narration = narrate(&prev, step, self.timeline.world());
        if let Some(note) = crate::sim::narrate::harm_follows(self.timeline.steps(), n) {
            narration.text.push_str(&note);
        }
        self.narrations.push(narration);
        self.before = prev;
        Ok(())
    }

    /// Can Step do anything?
    pub fn can_step(&self) -> bool {
        self.cursor() < self.len() || self.world().is_enabled(&Command::Tick)
    }

    /// The next event: along the recorded future if there is one (so stepping after Back never
    /// discards anything), else the next thing due in the world.
    pub fn step(&mut self) -> Result<(), String> {
        if self.cursor() < self.len() {
            self.forward();
            Ok(())
        } else {
            self.apply(Command::Tick)
        }
    }

    /// Moves to step `n`.
    pub fn seek(&mut self, n: usize) {
        self.timeline.seek(n);
        let c = self.timeline.cursor();
        self.before = if c == 0 { self.timeline.world().clone() } else { self.timeline.world_at(c - 1) };
    }

    /// One step back; false at the start.
    pub fn back(&mut self) -> bool {
        let ok = self.cursor() > 0;
        if ok {
            self.seek(self.cursor() - 1);
        }
        ok
    }

    /// One step forward along the recorded future; false at its end.
    pub fn forward(&mut self) -> bool {
        let ok = self.cursor() < self.len();
        if ok {
            self.seek(self.cursor() + 1);
        }
        ok
    }

    /// Faster, up to 4×.
    pub fn faster(&mut self) {
        self.speed = (self.speed + 1).min(SPEEDS.len() - 1);
    }

    /// Slower, down to 0.25×.
    pub fn slower(&mut self) {
        self.speed = self.speed.saturating_sub(1);
    }

    /// Ballots started so far, those that reached a commit, and those wasted (neither committed
    /// nor still running): the cost of contention.
    pub fn ballot_stats(&self) -> BallotStats {
        let mut started = BTreeSet::new();
        let mut committed = BTreeSet::new();
        for step in &self.timeline.steps()[..self.cursor()] {
            for (_, d) in step.decisions() {
                started.extend(d.started());
                committed.extend(d.committed());
            }
        }
        // Built by inserting, not `collect`: a BTreeSet collected from an iterator sorts with the
        // standard sort, several KB of wasm for this one type.
        let mut running: BTreeSet<Ballot> = BTreeSet::new();
        running.extend(
            self.world()
                .proposers()
                .iter()
                .filter(|p| p.phase.in_progress() && self.world().is_up(p.id))
                .filter_map(|p| p.ballot)
                // In Multi-Paxos a candidate's or leader's ballot is still in use, not wasted.
                .chain(self.world().log().into_iter().flat_map(|l| {
                    l.proposers
                        .iter()
                        .filter(|p| {
                            p.stage != crate::paxos::multi::proposer::Stage::Follower && self.world().is_up(p.id)
                        })
                        .filter_map(|p| p.ballot)
                })),
        );
        let wasted = started.iter().filter(|b| !committed.contains(b) && !running.contains(b)).count();
        BallotStats { started: started.len(), committed: committed.len(), wasted }
    }

    /// What the run has cost up to the cursor.
    pub fn run_stats(&self) -> crate::sim::metrics::RunStats {
        let n = self.cursor();
        let steps = &self.timeline.steps()[..n];
        // The clock after each step, replayed from the start (cheap: only when metrics are shown).
        let mut w = self.timeline.world_at(0);
        let mut times = Vec::with_capacity(n);
        let mut scratch = Vec::new();
        for s in steps {
            scratch.clear();
            w.apply_into(&s.command, &mut scratch);
            times.push(w.time());
        }
        crate::sim::metrics::stats(steps, &times)
    }

    /// The share link for what is on screen.
    pub fn link(&self, lesson: Option<&str>) -> Link {
        Link {
            lesson: lesson.map(str::to_string),
            hand: self.hand_from,
            ..Link::of_run(
                self.timeline.config().clone(),
                self.timeline.seed(),
                self.timeline.steps().iter().map(|s| s.command.clone()).collect(),
                self.cursor(),
            )
        }
    }

    /// Rebuilds a session from a share link.
    pub fn from_link(link: &Link) -> Result<Self, String> {
        let mut s = Session::from_commands(link.config.clone(), link.seed, &link.commands, link.cursor)?;
        s.hand_from = link.hand;
        Ok(s)
    }

    /// Rebuilds a session from a trace: every recorded event must match the replay.
    pub fn from_trace(trace: &TraceFile) -> Result<Self, String> {
        trace.replay()?;
        let cmds: Vec<Command> = trace.commands().cloned().collect();
        Session::from_commands(trace.config.clone(), trace.seed, &cmds, cmds.len())
    }

    /// The trace of everything recorded (including a future beyond the cursor).
    pub fn trace(&self) -> Trace {
        let mut t = Trace::from_timeline(&self.timeline);
        t.steps = self.timeline.steps().to_vec();
        t
    }

    /// Scrubber marks: phase entries, the moment of choice and breaches, by step (1-based).
    pub fn markers(&self) -> Vec<(usize, Marker)> {
        let mut out = Vec::new();
        for (i, s) in self.timeline.steps().iter().enumerate() {
            let phase = s.decisions().filter_map(|(_, d)| d.enters_phase()).max();
            for e in &s.events {
                if let Event::Chosen { .. } = e {
                    out.push((i + 1, Marker::Chosen));
                }
                if let Event::Violated { invariant, .. } = e {
                    out.push((i + 1, if invariant.is_harm() { Marker::Violation } else { Marker::RuleBroken }));
                }
            }
            if let Some(p) = phase {
                out.push((i + 1, Marker::Phase(p)));
            }
        }
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::{NodeId, Value};

    fn request() -> Command {
        Command::Request { client: NodeId::client(0), value: Value::new("X").unwrap() }
    }

    #[test]
    fn stepping_runs_the_happy_path_to_a_choice_with_a_sentence_per_step() {
        let mut s = Session::new(Config::default(), 7).unwrap();
        assert!(!s.can_step(), "nothing to step before a request");
        s.apply(request()).unwrap();
        let mut n = 0;
        while s.world().chosen().is_none() && n < 100 {
            s.step().unwrap();
            n += 1;
        }
        assert!(s.world().chosen().is_some());
        assert_eq!(s.narrations().len(), s.len());
        assert!(s.narration().unwrap().text.len() > 10);
        assert!(s.markers().iter().any(|(_, m)| *m == Marker::Chosen));
        assert!(s.markers().iter().any(|(_, m)| *m == Marker::Phase(2)));
    }

    #[test]
    fn back_then_step_follows_the_recorded_future() {
        let mut s = Session::new(Config::default(), 7).unwrap();
        s.apply(request()).unwrap();
        for _ in 0..6 {
            s.step().unwrap();
        }
        let end = s.world().clone();
        assert!(s.back() && s.back());
        assert_eq!(s.cursor(), 5);
        assert_eq!(s.before(), &s.timeline().world_at(4));
        s.step().unwrap();
        s.step().unwrap();
        assert_eq!(s.world(), &end);
        assert_eq!(s.len(), 7);
    }

    #[test]
    fn acting_in_the_past_forks_and_renarrates() {
        let mut s = Session::new(Config::default(), 7).unwrap();
        s.apply(request()).unwrap();
        for _ in 0..6 {
            s.step().unwrap();
        }
        s.seek(2);
        s.apply(Command::Crash { node: NodeId::acceptor(0) }).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s.narrations().len(), 3);
        assert!(s.narration().unwrap().text.starts_with("A1 crashes"));
    }

    #[test]
    fn a_refused_command_reports_why_and_changes_nothing() {
        let mut s = Session::new(Config::default(), 7).unwrap();
        let before = s.world().clone();
        let e = s.apply(Command::Restart { node: NodeId::acceptor(0) }).unwrap_err();
        assert!(e.contains("only a crashed node can restart"));
        assert_eq!(s.world(), &before);
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn from_commands_rebuilds_and_refuses_bad_input() {
        let mut s = Session::new(Config::default(), 3).unwrap();
        s.apply(request()).unwrap();
        for _ in 0..5 {
            s.step().unwrap();
        }
        let cmds: Vec<Command> = s.timeline().commands().cloned().collect();
        let r = Session::from_commands(Config::default(), 3, &cmds, 4).unwrap();
        assert_eq!(r.cursor(), 4);
        assert_eq!(r.len(), 6);
        assert_eq!(r.timeline().world_at(6), *s.world());
        assert!(Session::from_commands(Config::default(), 3, &cmds, 9).unwrap_err().contains("past the end"));
        let bad = vec![Command::Deliver { id: 42 }];
        assert!(Session::from_commands(Config::default(), 3, &bad, 0).unwrap_err().contains("step 1"));
    }

    #[test]
    fn links_and_traces_round_trip_the_session() {
        let mut s = Session::new(Config::default(), 5).unwrap();
        s.apply(request()).unwrap();
        for _ in 0..8 {
            s.step().unwrap();
        }
        s.seek(6);
        let l = s.link(Some("happy-path"));
        let r = Session::from_link(&crate::sim::link::Link::parse(&l.to_hash()).unwrap()).unwrap();
        assert_eq!((r.cursor(), r.len()), (6, 9));
        assert_eq!(r.world(), s.world());
        let t = Session::from_trace(&TraceFile::parse(&s.trace().to_json()).unwrap()).unwrap();
        assert_eq!(t.len(), 9);
        assert_eq!(t.timeline().world_at(6), *s.world());
    }

    #[test]
    fn dueling_wastes_ballots_and_the_counter_sees_it() {
        // At the lesson's your-turn point, four rounds of the duel are over.
        let l = crate::sim::lessons::build("dueling-proposers").unwrap();
        let turn = l.beats.iter().find(|b| b.turn.is_some()).unwrap().end;
        let s = Session::from_commands(l.config.clone(), l.seed, &l.commands, turn).unwrap();
        let b = s.ballot_stats();
        assert_eq!(b.committed, 0);
        assert_eq!((b.started, b.wasted), (6, 4), "two ballots are still running: {b:?}");
    }

    #[test]
    fn speed_stays_within_quarter_to_four_times() {
        let mut s = Session::new(Config::default(), 1).unwrap();
        for _ in 0..10 {
            s.faster();
        }
        assert_eq!(s.speed_factor(), 4.0);
        for _ in 0..10 {
            s.slower();
        }
        assert_eq!(s.speed_factor(), 0.25);
    }
}
