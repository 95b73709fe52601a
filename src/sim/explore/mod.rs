//! The exhaustive explorer: breadth-first search over every ordering of deliveries, drops,
//! duplicates, crashes, restarts and timeouts, for small clusters, within bounds.
//!
//! Each move is a real `World::apply`, so the explorer checks exactly the protocol the app
//! animates. States are stored in a compact canonical form (`world::codec`) and de-duplicated by
//! a 64-bit fingerprint; each level of the search is one buffer of encodings. Breadth-first order
//! makes the first breach found a shortest one, which is rebuilt as ordinary commands.
//!
//! By default the search looks for *harm*: two values chosen, a value chosen that nobody asked
//! for, or a node told a value that was not chosen. A rule switched off is noted where it first
//! breaks, and the search goes on to the harm it leads to; `stop_at_rule` stops at the rule.
//!
//! Reductions, each with a switch in [`Options`] and each keeping every verdict (a test checks
//! them against the search without them, on every rule switch and every planted bug):
//! - **symmetry**: acceptors are interchangeable, and so are learners (`world::symmetry`);
//! - **last ballots**: once no ballot may start, a Nack can only start one (or delay a
//!   proposer, which for safety is no different from its replies never arriving), so Nacks, and
//!   the Prepares and Accepts an acceptor will refuse, are left out;
//! - **requests first**: nothing reaches a proposer before its client's request, so requests are
//!   delivered before anything else (a partial-order reduction), from one starting world per set
//!   of requests ever delivered. Not with duplicates: a copy of a request can arrive late;
//! - **instant restarts**: a crashed node restarts at once. While down it only loses messages,
//!   and a lost message is no different, for safety, from one never delivered;
//! - **partial order** (Multi-Paxos only, to prove a log with no rule switched off safe): once
//!   no ballot can start, deliveries that cannot affect one another are tried in one order
//!   (`multi_order`); a breach it finds is searched for again without it.

mod frontier;
mod multi;
mod multi_order;
#[cfg(test)]
mod multi_tests;
#[cfg(not(target_arch = "wasm32"))]
mod parallel;
mod path;
mod step;
mod table;
#[cfg(test)]
mod tests;

use super::command::{Command, Event, Invariant};
use super::config::Config;
use super::world::codec::ValueTable;
use super::world::{default_value, World};
use crate::paxos::{NodeId, Role};
use frontier::Frontier;
pub use step::is_harm;
use step::{Action, Worker, COUNTERS};
pub use table::{fingerprint, Seen};

/// How far the search may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Ballots in all: how many may be started along any path, by all proposers together.
    /// With two proposers, 3 lets each run one ballot and one of them retry (a timeout or a
    /// Nack), so a proposer can meet votes from two earlier ballots.
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
        Bounds { max_rounds: 3, max_crashes: 0, max_duplicates: 0, max_drops: 0 }
    }
}

impl Bounds {
    /// The default bounds, raised to what `config` needs to show its switches: amnesia, by the
    /// switch or on chosen nodes, only shows after a crash and a restart.
    pub fn for_config(config: &Config) -> Bounds {
        let mut b = Bounds::default();
        if config.mode == crate::sim::Mode::Multi {
            b.max_rounds = MULTI_ROUNDS;
        }
        if needs_crash(config) {
            b.max_crashes = 1;
        }
        b
    }

    /// Why these bounds cannot show what `config` switched off, if they cannot.
    pub fn lacks(&self, config: &Config) -> Option<String> {
        (needs_crash(config) && self.max_crashes == 0)
            .then(|| "amnesia only shows after a crash and a restart, so allow at least one crash".to_string())
    }

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

/// Ballots in all in a Multi-Paxos search by default: the first leader's, and one leader change.
pub const MULTI_ROUNDS: u32 = 2;

pub use multi::MAX_RETRIES;

/// How to search: where to stop, and which reductions to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Stop at the first rule broken, rather than search on for the harm it leads to.
    pub stop_at_rule: bool,
    /// Store one world per renaming of acceptors and learners.
    pub symmetry: bool,
    /// Leave out what can only start a ballot once none may start.
    pub last_ballots: bool,
    /// Deliver clients' requests before anything else (unless duplicates are allowed: a copy
    /// of a request can arrive much later).
    pub requests_first: bool,
    /// A crashed node restarts at once.
    pub instant_restarts: bool,
    /// Multi-Paxos only: in the last phase, make at once a delivery that commutes with every
    /// other move (a partial-order reduction, used only to prove a log with no rule switched
    /// off safe; see `multi_order`).
    pub partial_order: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            stop_at_rule: false,
            symmetry: true,
            last_ballots: true,
            requests_first: true,
            instant_restarts: true,
            partial_order: true,
        }
    }
}

impl Options {
    /// No reduction at all (the reference the reductions are checked against).
    pub const PLAIN: Options = Options {
        stop_at_rule: false,
        symmetry: false,
        last_ballots: false,
        requests_first: false,
        instant_restarts: false,
        partial_order: false,
    };
}

/// How a search ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every reachable state within the bounds was checked, and no rule broke.
    Safe {
        /// Unique states.
        states: usize,
    },
    /// A rule switched off was broken, but no harm followed within the bounds.
    NoHarm {
        /// Unique states.
        states: usize,
        /// The first rule seen broken.
        invariant: Invariant,
        /// How.
        detail: String,
    },
    /// A safety property broke; `commands` replays it from a fresh world with the same seed.
    Violation {
        /// The whole run: the setup, then the shortest path found.
        commands: Vec<Command>,
        /// The property the search stopped at (harm, unless it stops at rules).
        invariant: Invariant,
        /// What happened.
        detail: String,
        /// Unique states when it was found.
        states: usize,
        /// The step (1-based) where a rule switched off was first broken, if one was.
        broken_at: Option<usize>,
        /// The step where harm followed, if it did.
        harm_at: Option<usize>,
    },
}

/// Does the config lose memory on a crash (the switch, or amnesia on chosen nodes)?
fn needs_crash(config: &Config) -> bool {
    !config.amnesia.is_empty() || config.mutations.contains(&crate::paxos::Switch::AcceptorAmnesia)
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

/// Where a search stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Unique states seen.
    pub states: usize,
    /// States expanded.
    pub expanded: usize,
    /// Moves tried (transitions).
    pub transitions: usize,
    /// Deepest level reached.
    pub depth: u16,
    /// States waiting to be expanded.
    pub frontier: usize,
    /// Finished?
    pub done: bool,
}

/// A breadth-first search in progress. Call [`Explorer::run`] until it returns a verdict.
pub struct Explorer {
    bounds: Bounds,
    options: Options,
    values: ValueTable,
    seed: u64,
    config: Config,
    /// Where the search starts: one world per set of requests delivered (see `start`).
    roots: Vec<Root>,
    seen: Seen,
    level: Frontier,
    next: Frontier,
    cursor: usize,
    expanded: usize,
    transitions: usize,
    depth: u16,
    peak_frontier: usize,
    verdict: Option<Verdict>,
    /// The shortest breach so far, until no shorter one can come.
    best: Option<Verdict>,
    rule: Option<(Invariant, String)>,
    worker: Worker,
    threads: usize,
    /// The search itself, in Multi-Paxos mode (the fields above then hold only its setup).
    multi: Option<Box<multi::MultiSearch>>,
}

impl Explorer {
    /// A search from the world where every client has asked for its value (C1 "X" to P1, C2 "Y"
    /// to P2, …, cycling through the proposers), with the default options.
    pub fn new(config: Config, seed: u64, bounds: Bounds) -> Result<Self, String> {
        Explorer::with(config, seed, bounds, Options::default())
    }

    /// A search with the given options.
    pub fn with(config: Config, seed: u64, bounds: Bounds, options: Options) -> Result<Self, String> {
        bounds.validate()?;
        if config.mode == crate::sim::Mode::Multi {
            return Explorer::multi(config, seed, bounds, options);
        }
        let roots = start(&config, seed, &bounds, &options)?;
        let values = ValueTable::new((0..config.clients).map(default_value));
        let mut e = Explorer::fresh(config, seed, bounds, options, values, roots, None);
        let mut bytes = Vec::new();
        for (i, r) in e.roots.iter().enumerate() {
            Worker::encode(&r.world, r.counters, &e.values, &e.options, &mut bytes);
            if e.seen.insert(fingerprint(&bytes), 0, Action::root(i)) {
                e.level.push(&bytes);
            }
        }
        e.check_setup();
        Ok(e)
    }

    /// A search not yet started from `roots`: nothing seen, nothing expanded, one thread.
    fn fresh(
        config: Config,
        seed: u64,
        bounds: Bounds,
        options: Options,
        values: ValueTable,
        roots: Vec<Root>,
        multi: Option<Box<multi::MultiSearch>>,
    ) -> Self {
        Explorer {
            bounds,
            options,
            values,
            seed,
            config,
            worker: Worker::new(&roots[0].world),
            roots,
            seen: Seen::new(),
            level: Frontier::default(),
            next: Frontier::default(),
            cursor: 0,
            expanded: 0,
            transitions: 0,
            depth: 0,
            peak_frontier: 0,
            verdict: None,
            best: None,
            rule: None,
            threads: 1,
            multi,
        }
    }

    /// A Multi-Paxos search (see `multi`): it runs on one thread, and the setup is its root.
    fn multi(config: Config, seed: u64, bounds: Bounds, options: Options) -> Result<Self, String> {
        let search = multi::MultiSearch::new(&config, seed, bounds, options)?;
        let (world, prefix) = multi::setup(&config, seed)?;
        let roots = vec![Root { world, prefix, counters: [0; COUNTERS] }];
        Ok(Explorer::fresh(config, seed, bounds, options, ValueTable::default(), roots, Some(Box::new(search))))
    }

    /// A breach in the setup itself (a rule switch can break a rule as the first ballots start):
    /// the shortest over the roots.
    fn check_setup(&mut self) {
        for r in &self.roots {
            let Ok(t) = crate::sim::Timeline::replay(self.config.clone(), self.seed, &r.prefix) else {
                continue;
            };
            let broken = t.steps().iter().enumerate().find_map(|(i, s)| {
                s.events.iter().find_map(|e| match e {
                    Event::Violated { invariant, detail } => Some((i + 1, *invariant, detail.clone())),
                    _ => None,
                })
            });
            let Some((at, invariant, detail)) = broken else { continue };
            if !(is_harm(invariant) || self.options.stop_at_rule) {
                self.rule.get_or_insert((invariant, detail));
                continue;
            }
            let v = Verdict::Violation {
                commands: r.prefix[..at].to_vec(),
                invariant,
                detail,
                // Found in the setup run, before the search has seen any state.
                states: 0,
                broken_at: (!is_harm(invariant)).then_some(at),
                harm_at: is_harm(invariant).then_some(at),
            };
            if self.verdict.as_ref().is_none_or(|b| steps(&v) < steps(b)) {
                self.verdict = Some(v);
            }
        }
    }

    /// Searches with `n` threads (natively; in the browser the search runs on one).
    pub fn set_threads(&mut self, n: usize) {
        self.threads = n.max(1);
    }

    /// The verdict, once the search is over.
    pub fn verdict(&self) -> Option<&Verdict> {
        if let Some(m) = &self.multi {
            return m.verdict();
        }
        self.verdict.as_ref()
    }

    /// Where the search stands.
    pub fn progress(&self) -> Progress {
        if let Some(m) = &self.multi {
            return m.progress();
        }
        Progress {
            states: self.seen.len(),
            expanded: self.expanded,
            transitions: self.transitions,
            depth: self.depth,
            frontier: self.level.len() - self.cursor + self.next.len(),
            done: self.verdict.is_some(),
        }
    }

    /// Peak bytes held by the search: the seen-table plus the largest two levels.
    pub fn peak_bytes(&self) -> usize {
        if let Some(m) = &self.multi {
            return m.peak_bytes();
        }
        self.seen.bytes() + self.peak_frontier
    }

    /// Has the search stored `w` (with learners settled), reached with these path counters
    /// `[duplicates, crashes, drops, ballots]`?
    /// (In Multi-Paxos mode the counters also hold client retries, which this leaves at 0.)
    pub fn has_seen(&self, w: &World, counters: [u8; 4]) -> bool {
        if let Some(m) = &self.multi {
            let [d, c, r, b] = counters;
            return m.has_seen(w, [d, c, r, b, 0]);
        }
        self.seen.get(fingerprint(&path::stored_form(self, w, counters))).is_some()
    }

    /// The commands that set up the search: leaders and requests, and, when requests go first,
    /// every request's delivery. (The search also starts from the worlds where only some of the
    /// requests are ever delivered.)
    pub fn prefix(&self) -> &[Command] {
        if let Some(m) = &self.multi {
            return m.prefix();
        }
        &self.roots[0].prefix
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

    /// The options of the search.
    pub fn options(&self) -> Options {
        self.options
    }

    /// Expands up to `budget` states; returns where the search stands.
    pub fn run(&mut self, budget: usize) -> Progress {
        if let Some(m) = &mut self.multi {
            return m.run(budget);
        }
        let mut left = budget;
        while left > 0 && self.verdict.is_none() {
            if self.cursor == self.level.len() && !self.next_level() {
                break;
            }
            let n = self.expand_some(left);
            left = left.saturating_sub(n.max(1));
        }
        self.progress()
    }

    /// Moves to the next level; false (with the verdict) when there is none.
    fn next_level(&mut self) -> bool {
        self.peak_frontier = self.peak_frontier.max(self.level.bytes() + self.next.bytes());
        // Runs found from the next level on have at least depth + 2 moves.
        self.settle_best(self.depth as usize + 2);
        if self.verdict.is_some() {
            return false;
        }
        if self.next.is_empty() {
            let states = self.seen.len();
            if let Some(best) = self.best.take() {
                self.verdict = Some(best);
                return false;
            }
            self.verdict = Some(match self.rule.take() {
                Some((invariant, detail)) => Verdict::NoHarm { states, invariant, detail },
                None => Verdict::Safe { states },
            });
            return false;
        }
        std::mem::swap(&mut self.level, &mut self.next);
        self.next.clear();
        self.cursor = 0;
        self.depth += 1;
        true
    }

    /// Expands up to `budget` states of the current level (all at once with several threads);
    /// returns how many.
    fn expand_some(&mut self, budget: usize) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        if self.threads > 1 && self.level.len() - self.cursor >= 64 {
            return parallel::expand_level(self, budget);
        }
        let start = self.cursor;
        let end = (start + budget).min(self.level.len());
        let mut breaches = Vec::new();
        let mut batch = Batch::default();
        while self.cursor < end && self.verdict.is_none() {
            let i = self.cursor;
            self.cursor += 1;
            self.expanded += 1;
            let Explorer { worker, values, bounds, options, level, next, seen, rule, transitions, .. } = self;
            let state = level.get(i);
            let parent = fingerprint(state);
            batch.clear();
            worker.expand(state, values, bounds, options, |n| {
                *transitions += 1;
                if let Some((invariant, detail)) = n.broke {
                    if is_harm(invariant) || options.stop_at_rule {
                        breaches.push((n.action, invariant, detail));
                        return;
                    }
                    rule.get_or_insert((invariant, detail));
                }
                let fp = fingerprint(n.bytes);
                seen.prefetch(fp);
                batch.push(fp, n.action, n.bytes);
            });
            // Inserted in the order found, as without the batch: parents and counts are the same.
            for (fp, action, bytes) in batch.iter() {
                if seen.insert(fp, parent, action.pack()) {
                    next.push(bytes);
                }
            }
            for (action, invariant, detail) in breaches.drain(..) {
                self.consider(parent, action, invariant, detail);
            }
        }
        self.cursor - start
    }

    /// A breach found: the run that reaches it, rebuilt. Counting every step, a run can be
    /// longer than its moves (a reboot is two steps, and learners are told the votes they need),
    /// so a run is final only once no shorter one can come later in the search.
    fn consider(&mut self, parent: u64, action: Action, invariant: Invariant, detail: String) {
        if self.verdict.is_some() {
            return;
        }
        let (root, mut path) = self.path_to(parent);
        path.push(action);
        let run = self.rebuild(root, &path);
        let v = Verdict::Violation {
            commands: run.commands,
            invariant,
            detail,
            states: self.seen.len(),
            broken_at: run.broken_at,
            harm_at: run.harm_at,
        };
        let len = steps(&v);
        if self.best.as_ref().is_none_or(|b| len < steps(b)) {
            self.best = Some(v);
        }
        self.settle_best(self.depth as usize + 1);
    }

    /// The best run found becomes the verdict once every run still to come has at least
    /// `moves` moves after the setup, so none can be shorter.
    fn settle_best(&mut self, moves: usize) {
        let setup = self.roots.iter().map(|r| r.prefix.len()).min().unwrap_or(0);
        if self.best.as_ref().is_some_and(|b| steps(b) <= setup + moves) {
            // The count is of every state seen when the search stopped, as its progress says,
            // not when the run was first found: the search went on until no shorter one could come.
            let seen = self.seen.len();
            self.verdict = self.best.take().map(|mut v| {
                if let Verdict::Violation { states, .. } = &mut v {
                    *states = seen;
                }
                v
            });
        }
    }

    /// The root a stored state `fp` was reached from, and the moves from there.
    fn path_to(&self, fp: u64) -> (usize, Vec<Action>) {
        let mut path = Vec::new();
        let mut at = fp;
        while let Some((p, a)) = self.seen.get(at) {
            match Action::unpack(a) {
                Some(action) => path.push(action),
                None => {
                    path.reverse();
                    return (Action::root_index(a), path);
                }
            }
            at = p;
        }
        path.reverse();
        (0, path)
    }
}

/// A state's successors, held until all their table slots are being fetched at once.
#[derive(Default)]
struct Batch {
    found: Vec<(u64, Action, u32)>,
    bytes: Vec<u8>,
}

impl Batch {
    fn clear(&mut self) {
        self.found.clear();
        self.bytes.clear();
    }

    fn push(&mut self, fp: u64, action: Action, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
        self.found.push((fp, action, self.bytes.len() as u32));
    }

    fn iter(&self) -> impl Iterator<Item = (u64, Action, &[u8])> {
        let starts = std::iter::once(0).chain(self.found.iter().map(|f| f.2));
        self.found
            .iter()
            .zip(starts)
            .map(|(&(fp, action, end), start)| (fp, action, &self.bytes[start as usize..end as usize]))
    }
}

/// Steps in a run (the setup included).
fn steps(v: &Verdict) -> usize {
    match v {
        Verdict::Violation { commands, .. } => commands.len(),
        Verdict::Safe { .. } | Verdict::NoHarm { .. } => 0,
    }
}

/// A world the search starts from.
struct Root {
    world: World,
    /// The commands that make it.
    prefix: Vec<Command>,
    /// Path counters: `[duplicates, crashes, drops, ballots]`; the prefix may start ballots.
    counters: [u8; COUNTERS],
}

/// The worlds where the search starts. Every client has asked for its value. Without
/// `requests_first` that is the one root. With it, the search delivers requests before anything
/// else, which loses nothing: a proposer does nothing before its request, and delivering it
/// earlier only puts its Prepares on the wire earlier. But a run may never deliver some
/// requests, and such a run is shorter and starts fewer ballots, so there is one root for every
/// non-empty set of requests delivered (all of them first); the others are held, never
/// delivered.
fn start(config: &Config, seed: u64, b: &Bounds, o: &Options) -> Result<Vec<Root>, String> {
    let mut base = World::new(config.clone(), seed)?;
    let mut prefix = Vec::new();
    for i in 0..config.clients {
        let client = NodeId::client(i);
        let leader = NodeId::proposer(i % config.proposers);
        if base.clients()[i as usize].leader != leader {
            prefix.push(Command::SetLeader { client, leader });
        }
        prefix.push(Command::Request { client, value: default_value(i) });
    }
    for c in &prefix {
        let _ = base.apply(c.clone());
    }
    // A duplicated request can arrive again long after the first (a proposer that crashed
    // meanwhile starts a new ballot for it), so with duplicates requests cannot all go first.
    if !o.requests_first || b.max_duplicates > 0 {
        return Ok(vec![Root { world: base, prefix, counters: [0; COUNTERS] }]);
    }
    let all = (1u32 << config.clients) - 1;
    let mut sets: Vec<u32> = (1..=all).collect();
    // All requests first, then fewer and fewer, so ties go to the run with every request.
    crate::small_sort::sort_by_key(&mut sets, |m| (std::cmp::Reverse(m.count_ones()), *m));
    let requests: Vec<(u8, u32)> = base
        .in_flight()
        .iter()
        .filter(|m| m.msg.kind() == crate::paxos::Kind::Request)
        .map(|m| (m.from.index, m.id))
        .collect();
    let roots = sets.into_iter().map(|set| {
        let (mut world, mut prefix) = (base.clone(), prefix.clone());
        let mut ballots = 0u8;
        for &(_, id) in requests.iter().filter(|(client, _)| set & 1 << client != 0) {
            let c = Command::Deliver { id };
            ballots += world.apply(c.clone()).iter().filter(|e| is_ballot_start(e)).count() as u8;
            prefix.push(c);
        }
        world.hold_requests();
        Root { world, prefix, counters: [0, 0, 0, ballots] }
    });
    // A root that starts more ballots than the bounds allow is outside them; one that starts
    // the last ballot allowed is stored as every later state is (see `Options::last_ballots`).
    let roots = roots.filter(|r| r.counters[3] as u32 <= b.max_rounds).map(|mut r| {
        r.world.mark_last_ballots(o.last_ballots && r.counters[3] as u32 >= b.max_rounds);
        r
    });
    Ok(roots.collect())
}
