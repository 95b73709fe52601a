//! The exhaustive explorer: breadth-first search over every ordering of deliveries, drops,
//! duplicates, crashes, restarts and timeouts, for small clusters, within bounds.
//!
//! Each transition is a real `World::apply`, so the explorer checks exactly the protocol the app
//! animates. States are stored in a compact canonical form (`world::codec`) and de-duplicated by
//! a 64-bit fingerprint; the frontier holds encodings, not worlds. Breadth-first order makes the
//! first violation found a shortest counterexample, which is rebuilt as ordinary commands.

mod table;

use super::command::{Command, Event, Invariant};
use super::config::Config;
use super::world::codec::{message_record, relevant, ValueTable, MSG_BYTES};
use super::world::{default_value, World};
use crate::paxos::{NodeId, Role};
use std::collections::VecDeque;
pub use table::{fingerprint, Seen};

/// How far the search may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Rounds in all: how many ballots may be started along any path, by all proposers together.
    /// With two proposers, 2 lets each run one ballot; 3 adds one retry (a timeout or a Nack).
    pub max_rounds: u32,
    /// Crashes allowed along any path (of proposers and acceptors).
    pub max_crashes: u8,
    /// Duplications allowed along any path.
    pub max_duplicates: u8,
    /// Drops allowed along any path. (For safety, a message never delivered is as good as
    /// dropped, so 0 loses nothing.)
    pub max_drops: u8,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds { max_rounds: 2, max_crashes: 0, max_duplicates: 0, max_drops: 0 }
    }
}

impl Bounds {
    /// Checks the bounds are in a range that can finish.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=6).contains(&self.max_rounds) {
            return Err(format!("rounds must be between 1 and 6, not {}", self.max_rounds));
        }
        for (name, v) in [("crashes", self.max_crashes), ("duplicates", self.max_duplicates), ("drops", self.max_drops)]
        {
            if v > 3 {
                return Err(format!("{name} must be between 0 and 3, not {v}"));
            }
        }
        Ok(())
    }
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every reachable state within the bounds was checked.
    Safe {
        /// Unique states.
        states: usize,
    },
    /// A safety property broke; `commands` replays it from a fresh world with the same seed.
    Violation {
        /// The whole run: the setup, then the shortest path found.
        commands: Vec<Command>,
        /// Which property.
        invariant: Invariant,
        /// What happened.
        detail: String,
        /// Unique states when it was found.
        states: usize,
    },
}

/// A step of the search, as stored: kind in the top byte, argument below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Deliver(u8),
    Drop(u8),
    Duplicate(u8),
    Crash(NodeId),
    Restart(NodeId),
    Timeout(NodeId),
}

impl Action {
    fn pack(self) -> u32 {
        let node = |n: NodeId| (n.role as u32) << 8 | n.index as u32;
        match self {
            Action::Deliver(k) => 1 << 24 | k as u32,
            Action::Drop(k) => 2 << 24 | k as u32,
            Action::Duplicate(k) => 3 << 24 | k as u32,
            Action::Crash(n) => 4 << 24 | node(n),
            Action::Restart(n) => 5 << 24 | node(n),
            Action::Timeout(n) => 6 << 24 | node(n),
        }
    }

    fn unpack(v: u32) -> Option<Action> {
        let node = NodeId { role: Role::ALL[((v >> 8) & 3) as usize], index: v as u8 };
        Some(match v >> 24 {
            1 => Action::Deliver(v as u8),
            2 => Action::Drop(v as u8),
            3 => Action::Duplicate(v as u8),
            4 => Action::Crash(node),
            5 => Action::Restart(node),
            6 => Action::Timeout(node),
            _ => return None,
        })
    }
}

/// A ballot starts when a proposer decides to start one.
fn is_ballot_start(e: &Event) -> bool {
    matches!(e, Event::Decided { decision, .. } if decision.started().is_some())
}

/// Delivers every message bound for a learner at once, in id order.
///
/// Learners are passive: what a learner may learn depends only on which votes and Commits exist,
/// not on when they arrive, and the oracle checks it against votes it already counted. Delivering
/// them eagerly keeps every safety verdict and removes their interleavings from the search.
pub fn settle_learners(w: &mut World, events: &mut Vec<Event>, mut record: Option<&mut Vec<Command>>) {
    while let Some(id) = w.in_flight().iter().find(|m| m.to.role == Role::Learner).map(|m| m.id) {
        let cmd = Command::Deliver { id };
        w.apply_into(&cmd, events);
        if let Some(r) = record.as_deref_mut() {
            r.push(cmd);
        }
    }
}

/// Bytes before the world encoding: duplicates, crashes, drops and ballots used on the path.
const COUNTERS: usize = 4;

/// A breadth-first search in progress. Call [`Explorer::run`] until it returns a verdict.
pub struct Explorer {
    bounds: Bounds,
    values: ValueTable,
    seed: u64,
    config: Config,
    prefix: Vec<Command>,
    root: World,
    base: World,
    work: World,
    queue: VecDeque<(Box<[u8]>, u16)>,
    seen: Seen,
    expanded: usize,
    depth: u16,
    peak_queue_bytes: usize,
    queue_bytes: usize,
    verdict: Option<Verdict>,
    buf: Vec<u8>,
    msgs: Vec<[u8; MSG_BYTES]>,
    events: Vec<Event>,
    actions: Vec<Action>,
}

/// Where a search stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Unique states seen.
    pub states: usize,
    /// States expanded.
    pub expanded: usize,
    /// Deepest level reached.
    pub depth: u16,
    /// States waiting to be expanded.
    pub frontier: usize,
    /// Finished?
    pub done: bool,
}

impl Explorer {
    /// A search from the world where every client has asked for its value (C1 "X" to P1, C2 "Y"
    /// to P2, …, cycling through the proposers).
    pub fn new(config: Config, seed: u64, bounds: Bounds) -> Result<Self, String> {
        bounds.validate()?;
        let mut root = World::new(config.clone(), seed)?;
        let mut prefix = Vec::new();
        for i in 0..config.clients {
            let client = NodeId::client(i);
            let leader = NodeId::proposer(i % config.proposers);
            if root.clients()[i as usize].leader != leader {
                prefix.push(Command::SetLeader { client, leader });
            }
            prefix.push(Command::Request { client, value: default_value(i) });
        }
        for c in &prefix {
            let _ = root.apply(c.clone());
        }
        let values = ValueTable::new((0..config.clients).map(default_value));
        let mut e = Explorer {
            bounds,
            values,
            seed,
            config,
            prefix,
            work: root.clone(),
            base: root.clone(),
            root,
            queue: VecDeque::new(),
            seen: Seen::new(),
            expanded: 0,
            depth: 0,
            peak_queue_bytes: 0,
            queue_bytes: 0,
            verdict: None,
            buf: Vec::new(),
            msgs: Vec::new(),
            events: Vec::new(),
            actions: Vec::new(),
        };
        e.buf.extend([0; COUNTERS]);
        e.root.encode_state(&e.values, &mut e.buf, &mut e.msgs);
        let fp = fingerprint(&e.buf);
        e.seen.insert(fp, 0, 0);
        e.push(0);
        Ok(e)
    }

    fn push(&mut self, depth: u16) {
        self.queue_bytes += self.buf.len() + 40;
        self.peak_queue_bytes = self.peak_queue_bytes.max(self.queue_bytes);
        self.queue.push_back((self.buf.as_slice().into(), depth));
    }

    /// The verdict, once the search is over.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// Where the search stands.
    pub fn progress(&self) -> Progress {
        Progress {
            states: self.seen.len(),
            expanded: self.expanded,
            depth: self.depth,
            frontier: self.queue.len(),
            done: self.verdict.is_some(),
        }
    }

    /// Peak bytes held by the search: the seen-table plus the largest frontier.
    pub fn peak_bytes(&self) -> usize {
        self.seen.bytes() + self.peak_queue_bytes
    }

    /// Has the search seen `w` (with learners settled) reached with these path counters:
    /// `[duplicates, crashes, drops, ballots]`?
    pub fn has_seen(&self, w: &World, counters: [u8; 4]) -> bool {
        let mut buf = counters.to_vec();
        let mut msgs = Vec::new();
        w.encode_state(&self.values, &mut buf, &mut msgs);
        self.seen.get(fingerprint(&buf)).is_some()
    }

    /// The commands that set up the search (leaders and requests).
    pub fn prefix(&self) -> &[Command] {
        &self.prefix
    }

    /// The config searched.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The seed of the world searched.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The bounds of the search, so a verdict can say what it covered.
    pub fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// Expands up to `budget` states; returns where the search stands.
    pub fn run(&mut self, budget: usize) -> Progress {
        for _ in 0..budget {
            if self.verdict.is_some() {
                break;
            }
            let Some((bytes, depth)) = self.queue.pop_front() else {
                self.verdict = Some(Verdict::Safe { states: self.seen.len() });
                break;
            };
            self.queue_bytes -= bytes.len() + 40;
            self.depth = self.depth.max(depth);
            self.expand(&bytes, depth);
            self.expanded += 1;
        }
        if self.verdict.is_none() && self.queue.is_empty() {
            self.verdict = Some(Verdict::Safe { states: self.seen.len() });
        }
        self.progress()
    }

    /// Lists the actions enabled in `self.work` (decoded with ids 1..n in canonical order).
    fn list_actions(&mut self, counters: [u8; COUNTERS]) {
        let [dups, crashes, drops, ballots] = counters;
        let b = self.bounds;
        let w = &self.work;
        let acts = &mut self.actions;
        acts.clear();
        let n = w.in_flight().len() as u8;
        for k in 0..n {
            acts.push(Action::Deliver(k));
            if drops < b.max_drops {
                acts.push(Action::Drop(k));
            }
            if dups < b.max_duplicates {
                acts.push(Action::Duplicate(k));
            }
        }
        for p in w.proposers() {
            if w.is_up(p.id) && p.phase.in_progress() && (ballots as u32) < b.max_rounds {
                acts.push(Action::Timeout(p.id));
            }
        }
        for node in w.config().nodes().filter(|n| matches!(n.role, Role::Proposer | Role::Acceptor)) {
            if !w.is_up(node) {
                acts.push(Action::Restart(node));
            } else if crashes < b.max_crashes {
                acts.push(Action::Crash(node));
            }
        }
    }

    fn expand(&mut self, bytes: &[u8], depth: u16) {
        let counters: [u8; COUNTERS] = [bytes[0], bytes[1], bytes[2], bytes[3]];
        let parent = fingerprint(bytes);
        self.base.decode_state(&self.values, &bytes[COUNTERS..]);
        self.work.restore_from(&self.base);
        self.list_actions(counters);
        for ai in 0..self.actions.len() {
            let action = self.actions[ai];
            if ai > 0 {
                self.work.restore_from(&self.base);
            }
            let mut c = counters;
            let cmd = match action {
                Action::Deliver(k) => Command::Deliver { id: k as u32 + 1 },
                Action::Drop(k) => {
                    c[2] += 1;
                    Command::Drop { id: k as u32 + 1 }
                }
                Action::Duplicate(k) => {
                    c[0] += 1;
                    Command::Duplicate { id: k as u32 + 1 }
                }
                Action::Crash(node) => {
                    c[1] += 1;
                    Command::Crash { node }
                }
                Action::Restart(node) => Command::Restart { node },
                Action::Timeout(node) => Command::Timeout { node },
            };
            self.events.clear();
            self.work.apply_into(&cmd, &mut self.events);
            settle_learners(&mut self.work, &mut self.events, None);
            if let Some((invariant, detail)) = self.events.iter().find_map(|e| {
                if let Event::Violated { invariant, detail } = e {
                    Some((*invariant, detail.clone()))
                } else {
                    None
                }
            }) {
                let commands = self.counterexample(parent, action);
                self.verdict = Some(Verdict::Violation { commands, invariant, detail, states: self.seen.len() });
                return;
            }
            let started = self.events.iter().filter(|e| is_ballot_start(e)).count();
            c[3] = c[3].saturating_add(started as u8);
            if c[3] as u32 > self.bounds.max_rounds {
                continue; // past the round bound: checked, but not explored further
            }
            self.buf.clear();
            self.buf.extend(c);
            self.work.encode_state(&self.values, &mut self.buf, &mut self.msgs);
            if self.seen.insert(fingerprint(&self.buf), parent, action.pack()) {
                self.push(depth + 1);
            }
        }
    }

    /// Rebuilds the path to `parent`, adds `last`, and turns it into commands on a real world.
    fn counterexample(&self, parent: u64, last: Action) -> Vec<Command> {
        let mut path = vec![last];
        let mut fp = parent;
        while let Some((p, a)) = self.seen.get(fp) {
            match Action::unpack(a) {
                Some(action) => path.push(action),
                None => break, // the root
            }
            fp = p;
        }
        path.reverse();
        let mut w = self.root.clone();
        let mut out = self.prefix.clone();
        for a in path {
            let cmd = match a {
                Action::Deliver(k) => Command::Deliver { id: self.nth_message(&w, k) },
                Action::Drop(k) => Command::Drop { id: self.nth_message(&w, k) },
                Action::Duplicate(k) => Command::Duplicate { id: self.nth_message(&w, k) },
                Action::Crash(node) => Command::Crash { node },
                Action::Restart(node) => Command::Restart { node },
                Action::Timeout(node) => Command::Timeout { node },
            };
            let mut events = w.apply(cmd.clone());
            out.push(cmd);
            if events.iter().any(|e| matches!(e, Event::Violated { .. })) {
                break;
            }
            // Settle the learners one delivery at a time, stopping where safety breaks.
            while let Some(id) = w.in_flight().iter().find(|m| m.to.role == Role::Learner).map(|m| m.id) {
                let cmd = Command::Deliver { id };
                events = w.apply(cmd.clone());
                out.push(cmd);
                if events.iter().any(|e| matches!(e, Event::Violated { .. })) {
                    return out;
                }
            }
        }
        out
    }

    /// The id of the `k`-th relevant message of `w` in canonical order.
    fn nth_message(&self, w: &World, k: u8) -> u32 {
        let mut recs: Vec<([u8; MSG_BYTES], u32)> =
            w.in_flight().iter().filter(|m| relevant(w, m)).map(|m| (message_record(&self.values, m), m.id)).collect();
        recs.sort();
        recs.get(k as usize).map_or(0, |r| r.1)
    }
}
