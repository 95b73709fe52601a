//! The deterministic world: the cluster, the network, the clock and the oracle.
//!
//! ```text
//!   Command ──▶ World::apply ──▶ Vec<Event>
//!                 │  check:    enabled? else Event::Rejected, nothing changes      (check.rs)
//!                 │  dispatch: deliver / drop / duplicate, timers, crashes        (dispatch.rs)
//!                 │  roles:    Cluster::deliver fills an Outbox and a Decision    (crate::paxos)
//!                 │  effects:  the decision, sends, timers, learned values        (effects.rs)
//!                 └  oracle:   chosen? any safety property broken?
//! ```
//! Everything is a function of (config, seed, commands): the same inputs give the same events.

mod check;
pub mod codec;
mod dispatch;
mod effects;
mod log;
pub mod log_key;
pub mod symmetry;

use super::command::{Command, DropReason, Event, MsgId};
use super::config::{Config, Mode};
use super::network::{slot, InFlight, Network};
use super::oracle::Oracle;
use super::rng::Rng;
use crate::paxos::multi::LogNodes;
use crate::paxos::{Acceptor, Ballot, Client, Cluster, Ctx, Learner, NodeId, Outbox, Proposer, Role, Switch, Value};
use std::sync::Arc;

/// What one node has found out about the single-decree outcome (see [`World::knowledge`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knowledge {
    /// It has not found out anything yet.
    Nothing,
    /// It holds the value the acceptors chose (the first, if a broken rule let two be chosen).
    Chosen(Value),
    /// It holds a value a majority chose after another value already was: chosen too, but its
    /// choosing broke agreement, which only a switched-off rule allows.
    Later(Value),
    /// It decided a value that no majority chose, or decided while nothing was chosen:
    /// agreement is broken, which only a switched-off rule allows.
    Other(Value),
}

/// Default values clients ask for in generated commands: C1 "X", C2 "Y", C3 "Z".
pub const DEFAULT_VALUES: [&str; 3] = ["X", "Y", "Z"];

/// The default value for client `index`.
pub fn default_value(index: u8) -> Value {
    Value::new(DEFAULT_VALUES[index as usize % 3]).expect("default values are valid")
}

/// A node's place in the timer array: proposers first, then clients (Multi-Paxos only).
fn timer_index(node: NodeId) -> usize {
    match node.role {
        Role::Client => 5 + node.index as usize,
        Role::Proposer | Role::Acceptor | Role::Learner => node.index as usize,
    }
}

/// What `Tick` would handle next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// A message arrives.
    Message {
        /// Its id.
        id: MsgId,
        /// When.
        at: u64,
    },
    /// A proposer's timer fires.
    Timer {
        /// The proposer.
        node: NodeId,
        /// When.
        at: u64,
    },
}

/// The whole simulated cluster. Read it freely; change it only through [`World::apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct World {
    cfg: Arc<Config>,
    ctx: Ctx,
    time: u64,
    rng: Rng,
    next_id: MsgId,
    nodes: Cluster,
    down: u32,
    amnesia: u32,
    net: Network,
    /// Timers: proposers 0–4, then (Multi-Paxos) clients 5–7.
    timers: [Option<u64>; 8],
    loss: u8,
    duplicate: u8,
    latency: (u32, u32),
    backoff: bool,
    oracle: Oracle,
    steps: u64,
    scratch: Outbox,
    /// The explorer may start no more ballots from this world: messages that could only start one
    /// are not part of its state. Never set outside the explorer.
    last_ballots: bool,
    /// Requests still on the wire will never be delivered: the explorer delivered the ones it
    /// wanted first (see `explore::Options::requests_first`). Never set outside the explorer.
    requests_held: bool,
}

impl World {
    /// A fresh cluster. Fails, with the reason, on a config out of range.
    pub fn new(cfg: Config, seed: u64) -> Result<Self, String> {
        cfg.validate()?;
        let amnesia = cfg.amnesia.iter().fold(0, |m, n| m | 1 << slot(*n));
        Ok(World {
            ctx: cfg.ctx(cfg.backoff),
            time: 0,
            rng: Rng::new(seed),
            next_id: 1,
            nodes: match cfg.mode {
                Mode::Single => Cluster::new(cfg.clients, cfg.proposers, cfg.acceptors, cfg.learners),
                Mode::Multi => Cluster::new_log(cfg.clients, cfg.proposers, cfg.acceptors, cfg.learners),
            },
            down: 0,
            amnesia,
            net: Network::default(),
            timers: [None; 8],
            loss: cfg.loss,
            duplicate: cfg.duplicate,
            latency: (cfg.latency_min, cfg.latency_max),
            backoff: cfg.backoff,
            oracle: if cfg.mode == Mode::Multi { Oracle::for_log() } else { Oracle::default() },
            steps: 0,
            scratch: Outbox::default(),
            last_ballots: false,
            requests_held: false,
            cfg: Arc::new(cfg),
        })
    }

    // ---- reading ------------------------------------------------------------------------

    /// The config the world was built from.
    pub fn config(&self) -> &Config {
        &self.cfg
    }
    /// Logical time in ticks.
    pub fn time(&self) -> u64 {
        self.time
    }
    /// Commands applied so far (rejected ones do not count).
    pub fn steps(&self) -> u64 {
        self.steps
    }
    /// Clients, by index.
    pub fn clients(&self) -> &[Client] {
        &self.nodes.clients
    }
    /// Proposers, by index.
    pub fn proposers(&self) -> &[Proposer] {
        &self.nodes.proposers
    }
    /// Acceptors, by index.
    pub fn acceptors(&self) -> &[Acceptor] {
        &self.nodes.acceptors
    }
    /// Learners, by index.
    pub fn learners(&self) -> &[Learner] {
        &self.nodes.learners
    }
    /// The single-decree outcome a node has found out, if any: a proposer that saw a majority of
    /// votes, an acceptor or learner told by a Commit or the votes, a client told by a reply.
    pub fn known_outcome(&self, n: NodeId) -> Option<Value> {
        let i = n.index as usize;
        match n.role {
            Role::Learner => self.nodes.learners.get(i)?.learned,
            Role::Client => self.nodes.clients.get(i)?.outcome,
            Role::Proposer => self.nodes.proposers.get(i)?.decided,
            Role::Acceptor => self.nodes.acceptors.get(i)?.committed,
        }
    }
    /// What a node has found out, measured against the values chosen: the banner's count of who
    /// knows and the canvas's ✓/✗ marks both read it, so they cannot disagree. Once a broken rule
    /// lets a second value be chosen, a node holding it is right that it was chosen (the banner
    /// says two were), but it stands on the side that broke agreement: a ✓ on every node made
    /// the broken run look healthy.
    pub fn knowledge(&self, n: NodeId) -> Knowledge {
        let chosen = self.oracle.chosen();
        match self.known_outcome(n) {
            None => Knowledge::Nothing,
            Some(v) if chosen.first().is_some_and(|c| c.1 == v) => Knowledge::Chosen(v),
            Some(v) if chosen.iter().any(|c| c.1 == v) => Knowledge::Later(v),
            // Before anything is chosen a node can only have decided through a switched-off rule.
            Some(v) => Knowledge::Other(v),
        }
    }
    /// Messages in flight, by id.
    pub fn in_flight(&self) -> &[InFlight] {
        self.net.in_flight()
    }
    /// One message in flight.
    pub fn message(&self, id: MsgId) -> Option<&InFlight> {
        self.net.get(id)
    }
    /// Is the node running?
    pub fn is_up(&self, node: NodeId) -> bool {
        self.down & (1 << slot(node)) == 0
    }
    /// Will the node's restart wipe even its durable state?
    pub fn is_amnesiac(&self, node: NodeId) -> bool {
        self.amnesia & (1 << slot(node)) != 0 || (node.role == Role::Acceptor && self.ctx.off(Switch::AcceptorAmnesia))
    }
    /// The partition group of a node, when the network is split.
    pub fn partition_group(&self, node: NodeId) -> Option<u8> {
        self.net.group(node)
    }
    /// Is the network split?
    pub fn is_partitioned(&self) -> bool {
        self.net.is_partitioned()
    }
    /// Can `a` reach `b` across the current partition?
    pub fn connected(&self, a: NodeId, b: NodeId) -> bool {
        self.net.connected(a, b)
    }
    /// A proposer's (or a Multi-Paxos client's) timer deadline, if running.
    pub fn timer(&self, node: NodeId) -> Option<u64> {
        self.timers.get(timer_index(node)).copied().flatten()
    }
    /// Single-decree Paxos or Multi-Paxos.
    pub fn mode(&self) -> Mode {
        self.cfg.mode
    }
    /// In Multi-Paxos mode, every node's log state.
    pub fn log(&self) -> Option<&LogNodes> {
        self.nodes.log.as_deref()
    }
    /// Loss chance in percent.
    pub fn loss(&self) -> u8 {
        self.loss
    }
    /// Duplication chance in percent.
    pub fn duplicate_rate(&self) -> u8 {
        self.duplicate
    }
    /// Latency range in ticks.
    pub fn latency(&self) -> (u32, u32) {
        self.latency
    }
    /// Is random back-off on?
    pub fn backoff(&self) -> bool {
        self.backoff
    }
    /// The oracle's records: chosen values and breaches.
    pub fn oracle(&self) -> &Oracle {
        &self.oracle
    }
    /// The first value chosen, with its ballot (global view).
    pub fn chosen(&self) -> Option<(Ballot, Value)> {
        self.oracle.chosen().first().copied()
    }
    /// Votes a true majority needs (what the oracle uses, whatever the switches say).
    pub fn majority(&self) -> u8 {
        self.cfg.acceptors / 2 + 1
    }
    /// Votes the roles believe they need (differs from the majority only under a switch).
    pub fn quorum(&self) -> u8 {
        self.ctx.quorum
    }

    /// What the next `Tick` would handle: the earliest message (ties by id) or timer; messages
    /// win ties with timers.
    pub fn next_due(&self) -> Option<Due> {
        let msg = self.net.earliest().map(|m| Due::Message { id: m.id, at: m.due });
        let clients = if self.nodes.log.is_some() { self.cfg.clients } else { 0 };
        let timer = (0..self.cfg.proposers)
            .map(NodeId::proposer)
            .chain((0..clients).map(NodeId::client))
            .filter_map(|n| self.timers[timer_index(n)].map(|t| (t, timer_index(n), n)))
            .min()
            .map(|(at, _, node)| Due::Timer { node, at });
        match (msg, timer) {
            (Some(Due::Message { at: m, .. }), Some(Due::Timer { at: t, .. })) if t < m => timer,
            (Some(_), _) => msg,
            _ => timer,
        }
    }

    // ---- changing -----------------------------------------------------------------------

    /// Applies one command and returns what happened. A command that is not enabled returns a
    /// single `Rejected` event and changes nothing.
    #[must_use]
    pub fn apply(&mut self, cmd: Command) -> Vec<Event> {
        let mut ev = Vec::new();
        self.apply_into(&cmd, &mut ev);
        ev
    }

    /// [`World::apply`] into a caller's buffer (events are appended), for hot loops.
    pub fn apply_into(&mut self, cmd: &Command, ev: &mut Vec<Event>) {
        if let Err(reason) = self.check(cmd) {
            ev.push(Event::Rejected { reason });
            return;
        }
        match cmd {
            Command::Request { client, value } => {
                self.oracle.on_request(*value);
                let mut out = self.take_scratch();
                match crate::paxos::multi::Cmd::parse(value.as_str()) {
                    Ok(cmd) if self.nodes.log.is_some() => self.nodes.submit(*client, cmd, &mut out),
                    _ => self.nodes.request(*client, *value, &mut out),
                }
                self.effects(*client, out, ev);
            }
            Command::SetLeader { client, leader } => self.set_leader(*client, *leader),
            Command::Deliver { id } => {
                if let Some(m) = self.net.take(*id) {
                    self.arrive(m, false, ev);
                }
            }
            Command::Drop { id } => {
                self.net.take(*id);
                ev.push(Event::Dropped { id: *id, reason: DropReason::ByUser });
            }
            Command::Duplicate { id } => self.duplicate_msg(*id, ev),
            Command::Crash { node } => self.crash(*node, ev),
            Command::Restart { node } => self.restart(*node, ev),
            Command::Timeout { node } => self.fire_timer(*node, ev),
            Command::Partition { groups } => self.net.partition(groups),
            Command::Heal => self.net.heal(),
            Command::SetLoss { percent } => self.loss = *percent,
            Command::SetDuplicate { percent } => self.duplicate = *percent,
            Command::SetLatency { min, max } => self.latency = (*min, *max),
            Command::SetAmnesia { node, on: true } => self.amnesia |= 1 << slot(*node),
            Command::SetAmnesia { node, on: false } => self.amnesia &= !(1 << slot(*node)),
            Command::SetBackoff { on } => {
                self.backoff = *on;
                self.ctx.backoff = *on;
            }
            Command::Tick => self.tick(ev),
        }
        self.oracle.drain_into(ev);
        self.steps += 1;
    }
}
