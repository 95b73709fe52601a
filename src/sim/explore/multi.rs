//! The explorer for Multi-Paxos: the same breadth-first search as single-decree Paxos's, over
//! every ordering of deliveries, drops, duplicates, crashes, restarts, proposers' timeouts and
//! clients' retries, on a small log (2 slots, 2 proposers, 3 acceptors, two clients by default).
//!
//! Each move is a real `World::apply`, as in single-decree mode, and the per-slot log oracle
//! judges every step. A stored state is the world itself (logs do not fit the single-decree byte
//! codec), de-duplicated by a fingerprint of what can change what happens next
//! (`world::log_key`): learners, Commits to acceptors and Replies to clients are left out, for
//! the reasons given there.
//!
//! Bounds: ballots in all (`max_rounds`: with the default 2, the first leader's ballot and one
//! leader change), crashes, duplicates and drops as in single-decree mode, and at most one
//! client retry (a client timing out and asking the next proposer to take over). A leader's own
//! timeout only re-sends the Accepts of its open slots, copies of messages already sent, so it
//! is left out; a candidate's timeout starts a new ballot and counts as one.
//!
//! Reductions, each behind its switch in [`Options`] (the others do not apply here): symmetry
//! (acceptors are interchangeable) and last ballots (once no ballot may start and no node may
//! crash, Nacks that can change nothing, and the Prepares and Accepts refused with them, are
//! left out; see `world::log_key::log_relevant`).
//!
//! And a partial-order reduction (`Options::partial_order`, see `multi_order`), only to prove a
//! log with no rule switched off safe: a breach it finds is searched for again without it.
//!
//! Every move is exactly one command (a crash and a restart are two moves), so breadth-first
//! order makes the first breach found a shortest run, counting every step.

use super::multi_order::{ample, commutes_with_all};
use super::step::Action;
use super::{is_ballot_start, is_harm, Bounds, Options, Progress, Seen, Verdict};
use crate::paxos::multi::Stage;
use crate::paxos::{NodeId, Role};
use crate::sim::command::{Command, Event, Invariant};
use crate::sim::config::Config;
use crate::sim::world::log_key::{acceptor_perms, log_relevant};
use crate::sim::world::World;

/// Path counters: duplicates, crashes, drops, ballots started, client retries.
type Counters = [u8; 5];

/// Client retries allowed along any path: one leader change asked for by a client.
pub const MAX_RETRIES: u8 = 1;

/// A state waiting to be expanded: the world, its path counters, its fingerprint.
struct Node {
    world: World,
    counters: Counters,
    fp: u64,
}

/// A Multi-Paxos search in progress.
pub(super) struct MultiSearch {
    bounds: Bounds,
    options: Options,
    stop_at_rule: bool,
    root: World,
    prefix: Vec<Command>,
    seen: Seen,
    level: Vec<Node>,
    next: Vec<Node>,
    cursor: usize,
    expanded: usize,
    transitions: usize,
    depth: u16,
    peak_level_bytes: usize,
    verdict: Option<Verdict>,
    rule: Option<(Invariant, String)>,
    events: Vec<Event>,
    actions: Vec<Action>,
    /// Scratch world each move is tried on (copied only when it is a new state).
    work: World,
    /// Renamings of the acceptors states are fingerprinted under (just the identity without
    /// `Options::symmetry`).
    perms: Vec<[u8; 9]>,
    /// Is the partial-order reduction on (see `multi_order`)?
    pub(super) order: bool,
    /// Search again without it when it finds a breach (for a shortest run)?
    pub(super) recheck: bool,
    config: Config,
    seed: u64,
    /// What each state without a move holds (tests compare them with and without reductions).
    #[cfg(test)]
    pub(super) ends: std::collections::BTreeSet<String>,
}

/// The setup every search starts from: each client asks the proposer it believes leads (P1)
/// for its first command.
pub(super) fn setup(config: &Config, seed: u64) -> Result<(World, Vec<Command>), String> {
    let mut w = World::new(config.clone(), seed)?;
    let mut prefix = Vec::new();
    for i in 0..config.clients {
        let cmd = w.next_request(NodeId::client(i));
        for e in w.apply(cmd.clone()) {
            if let Event::Rejected { reason } = e {
                return Err(reason);
            }
        }
        prefix.push(cmd);
    }
    Ok((w, prefix))
}

impl MultiSearch {
    pub(super) fn new(config: &Config, seed: u64, bounds: Bounds, options: Options) -> Result<Self, String> {
        let (root, prefix) = setup(config, seed)?;
        let work = root.clone();
        let mut start = root.clone();
        start.keep_log_relevant();
        let counters = [0; 5];
        let perms = if options.symmetry { acceptor_perms(&root) } else { vec![[0, 1, 2, 3, 4, 5, 6, 7, 8]] };
        // Only where no rule is off: the reduction's argument leans on the rules (a proposer
        // commits only what a quorum voted for).
        let order = options.partial_order && config.mutations.is_empty() && config.amnesia.is_empty();
        let fp = start.log_fingerprint(&counters, &perms);
        let mut seen = Seen::new();
        seen.insert(fp, 0, Action::root(0));
        Ok(MultiSearch {
            bounds,
            options,
            stop_at_rule: options.stop_at_rule,
            root,
            prefix,
            seen,
            level: vec![Node { world: start, counters, fp }],
            next: Vec::new(),
            cursor: 0,
            expanded: 0,
            transitions: 0,
            depth: 0,
            peak_level_bytes: 0,
            verdict: None,
            rule: None,
            events: Vec::new(),
            actions: Vec::new(),
            work,
            perms,
            order,
            recheck: true,
            config: config.clone(),
            seed,
            #[cfg(test)]
            ends: Default::default(),
        })
    }

    pub(super) fn prefix(&self) -> &[Command] {
        &self.prefix
    }

    pub(super) fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    pub(super) fn progress(&self) -> Progress {
        Progress {
            states: self.seen.len(),
            expanded: self.expanded,
            transitions: self.transitions,
            depth: self.depth,
            frontier: self.level.len() - self.cursor + self.next.len(),
            done: self.verdict.is_some(),
        }
    }

    /// Peak bytes: the seen-table plus the largest two levels of worlds.
    pub(super) fn peak_bytes(&self) -> usize {
        self.seen.bytes() + self.peak_level_bytes
    }

    /// Has the search stored this world, reached with these counters? (With the partial-order
    /// reduction it stores only some of the states reachable in the last phase.)
    pub(super) fn has_seen(&self, w: &World, counters: Counters) -> bool {
        let mut w = w.clone();
        w.mark_last_ballots(last(&counters, &self.bounds, w.config(), &self.options));
        w.keep_log_relevant();
        if self.order {
            w.forget_counted_accepts();
        }
        self.seen.get(w.log_fingerprint(&counters, &self.perms)).is_some()
    }

    /// Expands up to `budget` states; returns where the search stands.
    pub(super) fn run(&mut self, budget: usize) -> Progress {
        let mut left = budget;
        while left > 0 && self.verdict.is_none() {
            if self.cursor == self.level.len() && !self.next_level() {
                break;
            }
            let i = self.cursor;
            self.cursor += 1;
            self.expanded += 1;
            left -= 1;
            self.expand(i);
        }
        self.progress()
    }

    fn next_level(&mut self) -> bool {
        let bytes = |l: &[Node]| l.iter().map(|n| world_bytes(&n.world)).sum::<usize>();
        self.peak_level_bytes = self.peak_level_bytes.max(bytes(&self.level) + bytes(&self.next));
        if self.next.is_empty() {
            let states = self.seen.len();
            self.verdict = Some(match self.rule.take() {
                Some((invariant, detail)) => Verdict::NoHarm { states, invariant, detail },
                None => Verdict::Safe { states },
            });
            self.recheck_without_order();
            return false;
        }
        self.level = std::mem::take(&mut self.next);
        self.cursor = 0;
        self.depth += 1;
        true
    }

    /// A verdict other than safe, found with the partial-order reduction, may rest on a run
    /// longer than needed: the search starts again without it.
    fn recheck_without_order(&mut self) {
        if !(self.order && self.recheck) || matches!(self.verdict, Some(Verdict::Safe { .. })) {
            return;
        }
        let options = Options { partial_order: false, ..self.options };
        if let Ok(plain) = MultiSearch::new(&self.config, self.seed, self.bounds, options) {
            *self = plain;
        }
    }

    /// Every move from level state `i`.
    fn expand(&mut self, i: usize) {
        let Node { world, counters, .. } = &self.level[i];
        list(world, *counters, &self.bounds, &mut self.actions);
        if self.order && last_phase(world, counters, &self.bounds) {
            if let Some(part) = ample(world, &self.actions) {
                self.actions = part;
            }
        }
        let fp = self.level[i].fp;
        #[cfg(test)]
        let before = self.transitions;
        for ai in 0..self.actions.len() {
            let action = self.actions[ai];
            let Some(c) = self.try_move(i, action) else { continue };
            self.transitions += 1;
            let broke = super::step::breach_in(&self.events);
            if let Some((invariant, detail)) = broke {
                if is_harm(invariant) || self.stop_at_rule {
                    // Breadth-first, one command a move: the first breach is a shortest one.
                    let mut path = self.path_to(fp);
                    path.push(action);
                    self.verdict = Some(self.rebuild(&path, invariant, detail));
                    self.recheck_without_order();
                    return;
                }
                self.rule.get_or_insert((invariant, detail));
            }
            let nfp = self.work_fingerprint(&c);
            if self.seen.insert(nfp, fp, action.pack()) {
                self.next.push(Node { world: self.work.clone(), counters: c, fp: nfp });
            }
        }
        #[cfg(test)]
        if self.transitions == before {
            self.ends.insert(end_summary(&self.level[i].world));
        }
    }

    /// Makes `action` from level state `i` on the scratch world; its path counters, or `None`
    /// when it starts more ballots than the bounds allow (then it is outside them).
    fn try_move(&mut self, i: usize, action: Action) -> Option<Counters> {
        let Node { world, counters, .. } = &self.level[i];
        let mut c = *counters;
        bump(&mut c, action);
        let w = &mut self.work;
        w.restore_log_from(world);
        self.events.clear();
        for cmd in action.commands(|k| world.in_flight().get(k as usize).map_or(0, |m| m.id)) {
            w.apply_into(&cmd, &mut self.events);
        }
        let started = self.events.iter().filter(|e| is_ballot_start(e)).count();
        c[3] = c[3].saturating_add(started as u8);
        if c[3] as u32 > self.bounds.max_rounds {
            return None;
        }
        w.mark_last_ballots(last(&c, &self.bounds, w.config(), &self.options));
        // A delivery that commutes with everything is the only move from its state: make it
        // now, and every such one after it, rather than store each state on the way.
        if self.order && last_phase(w, &c, &self.bounds) {
            loop {
                w.keep_log_relevant();
                let Some(id) = w.in_flight().iter().find(|m| commutes_with_all(w, m)).map(|m| m.id) else { break };
                w.apply_into(&Command::Deliver { id }, &mut self.events);
            }
        }
        Some(c)
    }

    /// The fingerprint of the scratch world, as stored (after the move's events are read).
    fn work_fingerprint(&mut self, c: &Counters) -> u64 {
        let w = &mut self.work;
        w.keep_log_relevant();
        if self.order {
            w.forget_counted_accepts();
        }
        w.log_fingerprint(c, &self.perms)
    }

    /// The moves from the root to a stored state.
    fn path_to(&self, fp: u64) -> Vec<Action> {
        let mut path = Vec::new();
        let mut at = fp;
        while let Some((p, a)) = self.seen.get(at) {
            match Action::unpack(a) {
                Some(action) => path.push(action),
                None => break,
            }
            at = p;
        }
        path.reverse();
        path
    }

    /// Replays `path` on the real world as commands: message `k` of a move is the `k`-th message
    /// still part of the search's state, which has the same id in the real world (ids are never
    /// reused, and the messages left out are never delivered by the search).
    fn rebuild(&self, path: &[Action], invariant: Invariant, detail: String) -> Verdict {
        let mut real = self.root.clone();
        let mut commands = self.prefix.clone();
        let (mut broken_at, mut harm_at) = (None, None);
        let mut c: Counters = [0; 5];
        for a in path {
            real.mark_last_ballots(last(&c, &self.bounds, real.config(), &self.options));
            bump(&mut c, *a);
            let id =
                |k: u8| real.in_flight().iter().filter(|m| log_relevant(&real, m)).nth(k as usize).map_or(0, |m| m.id);
            for cmd in a.commands(id) {
                let events = real.apply(cmd.clone());
                commands.push(cmd);
                let started = events.iter().filter(|e| is_ballot_start(e)).count();
                c[3] = c[3].saturating_add(started as u8);
                for e in &events {
                    if let Event::Violated { invariant, .. } = e {
                        let at = if is_harm(*invariant) { &mut harm_at } else { &mut broken_at };
                        at.get_or_insert(commands.len());
                    }
                }
            }
        }
        Verdict::Violation { commands, invariant, detail, states: self.seen.len(), broken_at, harm_at }
    }
}

/// May the search leave out what only a new ballot or a crash could make matter (see
/// `world::log_key::log_relevant`)? Only with two proposers at most, once neither can come.
fn last(c: &Counters, b: &Bounds, config: &Config, o: &Options) -> bool {
    o.last_ballots && config.proposers <= 2 && c[3] as u32 >= b.max_rounds && c[1] >= b.max_crashes
}

/// Is `w` in the last phase of the search, where every move left is a delivery: no ballot may
/// start, no node may crash or is down, no message may be dropped or copied, no client may retry?
fn last_phase(w: &World, c: &Counters, b: &Bounds) -> bool {
    let [dups, crashes, drops, ballots, retries] = *c;
    ballots as u32 >= b.max_rounds
        && crashes >= b.max_crashes
        && dups >= b.max_duplicates
        && drops >= b.max_drops
        && retries >= MAX_RETRIES
        && w.config().nodes().all(|n| w.is_up(n))
}

/// Counts a move against its bound.
fn bump(c: &mut Counters, a: Action) {
    match a {
        Action::Duplicate(_) => c[0] += 1,
        Action::Crash(_) | Action::Reboot(_) => c[1] += 1,
        Action::Drop(_) => c[2] += 1,
        Action::Timeout(n) if n.role == Role::Client => c[4] += 1,
        Action::Timeout(_) | Action::Deliver(_) | Action::Restart(_) => {}
    }
}

/// The moves enabled in `w`, in a fixed order.
fn list(w: &World, c: Counters, b: &Bounds, acts: &mut Vec<Action>) {
    let [dups, crashes, drops, ballots, retries] = c;
    acts.clear();
    let Some(log) = w.log() else { return };
    for k in 0..w.in_flight().len().min(255) as u8 {
        acts.push(Action::Deliver(k));
        if drops < b.max_drops {
            acts.push(Action::Drop(k));
        }
        if dups < b.max_duplicates {
            acts.push(Action::Duplicate(k));
        }
    }
    for p in &log.proposers {
        if w.is_up(p.id) && p.stage == Stage::Preparing && (ballots as u32) < b.max_rounds {
            acts.push(Action::Timeout(p.id));
        }
    }
    for (i, c) in log.clients.iter().enumerate() {
        let node = NodeId::client(i as u8);
        if retries < MAX_RETRIES && w.is_up(node) && c.unanswered().is_some() {
            acts.push(Action::Timeout(node));
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

/// About how many bytes a stored world holds: its own size and what it points to (every node's
/// log state, the messages, the oracle's records).
fn world_bytes(w: &World) -> usize {
    use crate::paxos::multi::{LogAcceptor, LogClient, LogLearner, LogNodes, LogProposer};
    use std::mem::size_of;
    let nodes = w.log().map_or(0, |l| {
        size_of::<LogNodes>()
            + l.proposers.len() * size_of::<LogProposer>()
            + l.acceptors.len() * size_of::<LogAcceptor>()
            + l.clients.len() * size_of::<LogClient>()
            + l.learners.len() * size_of::<LogLearner>()
    });
    let oracle = size_of::<crate::sim::log_oracle::LogOracle>() + 32 * w.oracle().requested().len() + 128;
    size_of::<Node>() + nodes + std::mem::size_of_val(w.in_flight()) + oracle
}

/// A state without a move, as far as safety goes: the oracle's records (every vote cast while
/// its slot was open, what is chosen in each slot) and every acceptor's promise and votes.
#[cfg(test)]
fn end_summary(w: &World) -> String {
    let acceptors: Vec<String> =
        w.log().map_or(Vec::new(), |l| l.acceptors.iter().map(|a| format!("{:?} {:?}", a.promised, a.votes)).collect());
    format!("{:?} {acceptors:?}", w.oracle().log())
}
