//! One state's moves: what the explorer may do from a state, and what each move leads to.

use super::{is_ballot_start, settle_learners, Bounds, Options};
use crate::paxos::{NodeId, Role};
use crate::sim::command::{Command, Event, Invariant};
use crate::sim::world::codec::{Scratch, ValueTable};
use crate::sim::world::World;

/// Bytes before the world encoding: duplicates, crashes, drops and ballots used on the path.
pub(super) const COUNTERS: usize = 4;

/// A move, named in the frame of the stored state: message `k` is its `k`-th message in
/// canonical order, nodes by their names there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Action {
    Deliver(u8),
    Drop(u8),
    Duplicate(u8),
    Crash(NodeId),
    Restart(NodeId),
    /// A crash followed at once by a restart (see `Options::instant_restarts`).
    Reboot(NodeId),
    Timeout(NodeId),
}

impl Action {
    pub(super) fn pack(self) -> u32 {
        let node = |n: NodeId| (n.role as u32) << 8 | n.index as u32;
        match self {
            Action::Deliver(k) => 1 << 24 | k as u32,
            Action::Drop(k) => 2 << 24 | k as u32,
            Action::Duplicate(k) => 3 << 24 | k as u32,
            Action::Crash(n) => 4 << 24 | node(n),
            Action::Restart(n) => 5 << 24 | node(n),
            Action::Timeout(n) => 6 << 24 | node(n),
            Action::Reboot(n) => 7 << 24 | node(n),
        }
    }

    /// The mark stored for root `i` of the search (not a move).
    pub(super) fn root(i: usize) -> u32 {
        8 << 24 | i as u32
    }

    /// The root index in a root's mark.
    pub(super) fn root_index(v: u32) -> usize {
        (v & 0xff_ffff) as usize
    }

    pub(super) fn unpack(v: u32) -> Option<Action> {
        let node = NodeId { role: Role::ALL[((v >> 8) & 3) as usize], index: v as u8 };
        Some(match v >> 24 {
            1 => Action::Deliver(v as u8),
            2 => Action::Drop(v as u8),
            3 => Action::Duplicate(v as u8),
            4 => Action::Crash(node),
            5 => Action::Restart(node),
            6 => Action::Timeout(node),
            7 => Action::Reboot(node),
            _ => return None,
        })
    }

    /// The commands the move is (one or two), given the id of each message by its canonical
    /// position. Not a `Vec`: the search makes one per move, and an allocation each was a fifth
    /// of the allocator's work.
    pub(super) fn commands(self, id: impl Fn(u8) -> u32) -> Moves {
        let (first, then) = match self {
            Action::Deliver(k) => (Command::Deliver { id: id(k) }, None),
            Action::Drop(k) => (Command::Drop { id: id(k) }, None),
            Action::Duplicate(k) => (Command::Duplicate { id: id(k) }, None),
            Action::Crash(node) => (Command::Crash { node }, None),
            Action::Restart(node) => (Command::Restart { node }, None),
            Action::Reboot(node) => (Command::Crash { node }, Some(Command::Restart { node })),
            Action::Timeout(node) => (Command::Timeout { node }, None),
        };
        std::iter::once(first).chain(then)
    }

    /// The move with its nodes renamed by `f`.
    pub(super) fn rename(self, f: impl Fn(NodeId) -> NodeId) -> Action {
        match self {
            Action::Crash(n) => Action::Crash(f(n)),
            Action::Restart(n) => Action::Restart(f(n)),
            Action::Reboot(n) => Action::Reboot(f(n)),
            Action::Timeout(n) => Action::Timeout(f(n)),
            Action::Deliver(_) | Action::Drop(_) | Action::Duplicate(_) => self,
        }
    }
}

/// The commands of one move, made at once (so they borrow nothing).
pub(super) type Moves = std::iter::Chain<std::iter::Once<Command>, std::option::IntoIter<Command>>;

/// What a move broke, if anything: harm before a rule, when one step does both (a rule broken
/// with a minority quorum, say, and a value told that was not chosen).
pub(super) fn breach_in(events: &[Event]) -> Option<(Invariant, String)> {
    let violated = || {
        events.iter().filter_map(|e| {
            if let Event::Violated { invariant, detail } = e {
                Some((*invariant, detail))
            } else {
                None
            }
        })
    };
    violated().find(|(i, _)| i.is_harm()).or_else(|| violated().next()).map(|(i, d)| (i, d.clone()))
}

/// Is a broken invariant harm (a value chosen or told wrongly), or only a rule broken?
pub fn is_harm(i: Invariant) -> bool {
    i.is_harm()
}

/// What a move led to.
pub(super) struct Next<'a> {
    pub action: Action,
    /// The new state's encoding (counters first).
    pub bytes: &'a [u8],
    /// The first invariant the move broke, with what happened.
    pub broke: Option<(Invariant, String)>,
}

/// The moves of the search's worlds: scratch space reused for every state.
pub(super) struct Worker {
    base: World,
    work: World,
    buf: Vec<u8>,
    scratch: Scratch,
    events: Vec<Event>,
    actions: Vec<Action>,
}

impl Worker {
    pub(super) fn new(root: &World) -> Self {
        Worker {
            base: root.clone(),
            work: root.clone(),
            buf: Vec::new(),
            scratch: Scratch::default(),
            events: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// Encodes `w` (counters first) as the search stores it.
    pub(super) fn encode(w: &World, counters: [u8; COUNTERS], values: &ValueTable, o: &Options, out: &mut Vec<u8>) {
        out.clear();
        out.extend(counters);
        let mut scratch = Scratch::default();
        if o.symmetry {
            w.encode_canonical(values, out, &mut scratch);
        } else {
            w.encode_state(values, out, &mut scratch);
        }
    }

    /// Every move from `state`, in a fixed order, with what it leads to.
    pub(super) fn expand(
        &mut self,
        state: &[u8],
        values: &ValueTable,
        bounds: &Bounds,
        o: &Options,
        mut each: impl FnMut(Next<'_>),
    ) {
        let counters: [u8; COUNTERS] = [state[0], state[1], state[2], state[3]];
        self.base.decode_primed(values, &state[COUNTERS..], &mut self.scratch);
        self.base.set_last_ballots(o.last_ballots && counters[3] as u32 >= bounds.max_rounds);
        self.list(counters, bounds, o);
        for ai in 0..self.actions.len() {
            let action = self.actions[ai];
            self.work.restore_from(&self.base);
            let mut c = counters;
            match action {
                Action::Drop(_) => c[2] += 1,
                Action::Duplicate(_) => c[0] += 1,
                Action::Crash(_) | Action::Reboot(_) => c[1] += 1,
                Action::Deliver(_) | Action::Restart(_) | Action::Timeout(_) => {}
            }
            self.events.clear();
            for cmd in action.commands(|k| k as u32 + 1) {
                self.work.apply_into(&cmd, &mut self.events);
            }
            settle_learners(&mut self.work, &mut self.events, None);
            let broke = breach_in(&self.events);
            let started = self.events.iter().filter(|e| is_ballot_start(e)).count();
            c[3] = c[3].saturating_add(started as u8);
            // A move that starts more ballots than the bounds allow is outside them: it is
            // neither checked nor explored (so "3 rounds in all" means exactly that).
            if c[3] as u32 > bounds.max_rounds {
                continue;
            }
            // Marked, not filtered: encoding leaves out what is no longer part of the state.
            let last = o.last_ballots && c[3] as u32 >= bounds.max_rounds;
            self.work.mark_last_ballots(last);
            self.scratch.moved = (last == self.base.last_ballots()).then(|| self.changed_by(action));
            self.buf.clear();
            self.buf.extend(c);
            if o.symmetry {
                self.work.encode_canonical(values, &mut self.buf, &mut self.scratch);
            } else {
                self.work.encode_state(values, &mut self.buf, &mut self.scratch);
            }
            self.scratch.moved = None;
            let bytes = self.buf.as_slice();
            each(Next { action, bytes, broke });
        }
    }

    /// The node whose state `action` changes (learners aside: every message to a learner is
    /// part of the state whatever the learner's state).
    fn changed_by(&self, action: Action) -> Option<NodeId> {
        match action {
            Action::Deliver(k) => self.base.in_flight().get(k as usize).map(|m| m.to),
            Action::Drop(_) | Action::Duplicate(_) => None,
            Action::Crash(n) | Action::Restart(n) | Action::Reboot(n) | Action::Timeout(n) => Some(n),
        }
    }

    /// The moves enabled in the decoded state (messages have ids 1..n in canonical order).
    fn list(&mut self, counters: [u8; COUNTERS], b: &Bounds, o: &Options) {
        let [dups, crashes, drops, ballots] = counters;
        let w = &self.base;
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
                acts.push(if o.instant_restarts { Action::Reboot(node) } else { Action::Crash(node) });
            }
        }
    }
}
