//! The deterministic world: the cluster, the network, the clock and the oracle.
//!
//! ```text
//!   Command ──▶ World::apply ──▶ Vec<Event>
//!                 │  check: enabled? else Event::Rejected, nothing changes
//!                 │  network: deliver / drop / duplicate, latency from the world's Rng
//!                 │  roles:   paxos handlers fill an Outbox
//!                 │  effects: sends, timers, learned values
//!                 └  oracle:  chosen? any safety property broken?
//! ```
//! Everything is a function of (config, seed, commands): the same inputs give the same events.

use super::command::{Command, DropReason, Event, MsgId};
use super::config::{check_percent, Config, Mutation, MAX_DUPLICATE_PERCENT, MAX_LATENCY};
use super::network::{slot, InFlight, Network};
use super::oracle::Oracle;
use super::rng::Rng;
use crate::paxos::{
    Acceptor, Ballot, Client, Ctx, Learner, Msg, NodeId, Out, Outbox, Proposer, Role, TimerKind, Value,
};
use std::rc::Rc;

#[path = "world_codec.rs"]
pub mod codec;

/// Default values clients ask for in generated commands: C1 "X", C2 "Y", C3 "Z".
pub const DEFAULT_VALUES: [&str; 3] = ["X", "Y", "Z"];

/// The default value for client `index`.
pub fn default_value(index: u8) -> Value {
    Value::new(DEFAULT_VALUES[index as usize % 3]).expect("default values are valid")
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
    cfg: Rc<Config>,
    ctx: Ctx,
    time: u64,
    rng: Rng,
    next_id: MsgId,
    clients: Vec<Client>,
    proposers: Vec<Proposer>,
    acceptors: Vec<Acceptor>,
    learners: Vec<Learner>,
    down: u32,
    amnesia: u32,
    net: Network,
    timers: [Option<u64>; 5],
    loss: u8,
    duplicate: u8,
    latency: (u32, u32),
    backoff: bool,
    oracle: Oracle,
    steps: u64,
    scratch: Outbox,
}

fn reject(reason: String) -> Result<(), String> {
    Err(reason)
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
            clients: (0..cfg.clients).map(|_| Client::new(NodeId::proposer(0))).collect(),
            proposers: (0..cfg.proposers).map(|i| Proposer::new(NodeId::proposer(i))).collect(),
            acceptors: vec![Acceptor::default(); cfg.acceptors as usize],
            learners: vec![Learner::default(); cfg.learners as usize],
            down: 0,
            amnesia,
            net: Network::default(),
            timers: [None; 5],
            loss: cfg.loss,
            duplicate: cfg.duplicate,
            latency: (cfg.latency_min, cfg.latency_max),
            backoff: cfg.backoff,
            oracle: Oracle::default(),
            steps: 0,
            scratch: Outbox::default(),
            cfg: Rc::new(cfg),
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
        &self.clients
    }
    /// Proposers, by index.
    pub fn proposers(&self) -> &[Proposer] {
        &self.proposers
    }
    /// Acceptors, by index.
    pub fn acceptors(&self) -> &[Acceptor] {
        &self.acceptors
    }
    /// Learners, by index.
    pub fn learners(&self) -> &[Learner] {
        &self.learners
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
        self.amnesia & (1 << slot(node)) != 0
            || (node.role == Role::Acceptor && self.cfg.mutations.contains(&Mutation::AcceptorAmnesia))
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
    /// A proposer's timer deadline, if running.
    pub fn timer(&self, proposer: NodeId) -> Option<u64> {
        self.timers.get(proposer.index as usize).copied().flatten()
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
        let timer = (0..self.cfg.proposers)
            .filter_map(|i| self.timers[i as usize].map(|t| (t, i)))
            .min()
            .map(|(at, i)| Due::Timer { node: NodeId::proposer(i), at });
        match (msg, timer) {
            (Some(Due::Message { at: m, .. }), Some(Due::Timer { at: t, .. })) if t < m => timer,
            (Some(_), _) => msg,
            _ => timer,
        }
    }

    // ---- checking -----------------------------------------------------------------------

    fn exists(&self, node: NodeId, role: Role) -> Result<(), String> {
        if node.role != role {
            return reject(format!("{node} is not a {}.", role.name()));
        }
        if !self.cfg.has(node) {
            let n = self.cfg.count(role);
            return reject(format!(
                "There is no {node}: this cluster has {n} {}{}.",
                role.name(),
                if n == 1 { "" } else { "s" }
            ));
        }
        Ok(())
    }

    fn any_node(&self, node: NodeId) -> Result<(), String> {
        self.exists(node, node.role)
    }

    fn in_flight_msg(&self, id: MsgId) -> Result<(), String> {
        match self.net.get(id) {
            Some(_) => Ok(()),
            None => reject(format!("Message #{id} is not in flight: it was delivered or dropped, or never sent.")),
        }
    }

    /// Why `cmd` is not enabled now, or `Ok` if it is.
    pub fn check(&self, cmd: &Command) -> Result<(), String> {
        match cmd {
            Command::Request { client, .. } => {
                self.exists(*client, Role::Client)?;
                if !self.is_up(*client) {
                    return reject(format!("{client} is crashed; restart it before it can ask for a value."));
                }
                Ok(())
            }
            Command::SetLeader { client, leader } => {
                self.exists(*client, Role::Client)?;
                self.exists(*leader, Role::Proposer)?;
                if self.clients[client.index as usize].leader == *leader {
                    return reject(format!("{client} already believes {leader} is the leader."));
                }
                Ok(())
            }
            Command::Deliver { id } | Command::Drop { id } | Command::Duplicate { id } => self.in_flight_msg(*id),
            Command::Crash { node } => {
                self.any_node(*node)?;
                if !self.is_up(*node) {
                    return reject(format!("{node} is already crashed."));
                }
                Ok(())
            }
            Command::Restart { node } => {
                self.any_node(*node)?;
                if self.is_up(*node) {
                    return reject(format!("{node} is running; only a crashed node can restart."));
                }
                Ok(())
            }
            Command::Timeout { node } => {
                self.exists(*node, Role::Proposer)?;
                if !self.is_up(*node) {
                    return reject(format!("{node} is crashed; a crashed proposer has no timer."));
                }
                if !self.proposers[node.index as usize].phase.in_progress() {
                    return reject(format!("{node} has no ballot in progress, so there is nothing to time out."));
                }
                Ok(())
            }
            Command::Partition { groups } => self.check_partition(groups),
            Command::Heal => {
                if !self.net.is_partitioned() {
                    return reject("The network is not partitioned.".into());
                }
                Ok(())
            }
            Command::SetLoss { percent } => check_percent("Loss", *percent, 100),
            Command::SetDuplicate { percent } => check_percent("Duplication", *percent, MAX_DUPLICATE_PERCENT),
            Command::SetLatency { min, max } => {
                if *min < 1 || min > max || *max > MAX_LATENCY {
                    return reject(format!(
                        "Latency must satisfy 1 ≤ min ≤ max ≤ {MAX_LATENCY} ticks, not {min}..{max}."
                    ));
                }
                Ok(())
            }
            Command::SetAmnesia { node, on } => {
                self.any_node(*node)?;
                if self.amnesia & (1 << slot(*node)) != 0 && *on {
                    return reject(format!("{node} already restarts with amnesia."));
                }
                if self.amnesia & (1 << slot(*node)) == 0 && !*on {
                    return reject(format!("{node} already keeps its durable state across restarts."));
                }
                Ok(())
            }
            Command::SetBackoff { on } => {
                if self.backoff == *on {
                    return reject(format!("Back-off is already {}.", if *on { "on" } else { "off" }));
                }
                Ok(())
            }
            Command::Tick => {
                if self.next_due().is_none() {
                    return reject(
                        "Nothing is in flight and no timer is running: ask a client for a value first.".into(),
                    );
                }
                Ok(())
            }
        }
    }

    fn check_partition(&self, groups: &[Vec<NodeId>]) -> Result<(), String> {
        let mut seen = 0u32;
        for n in groups.iter().flatten() {
            self.any_node(*n)?;
            if seen & (1 << slot(*n)) != 0 {
                return reject(format!("{n} is listed in two partition groups."));
            }
            seen |= 1 << slot(*n);
        }
        let mut net = Network::default();
        net.partition(groups);
        let mut labels = self.cfg.nodes().map(|n| net.group(n));
        let first = labels.next().flatten();
        if labels.all(|g| g == first) {
            return reject("A partition needs at least two groups of nodes.".into());
        }
        Ok(())
    }

    /// Is `cmd` enabled now?
    pub fn is_enabled(&self, cmd: &Command) -> bool {
        self.check(cmd).is_ok()
    }

    /// Every enabled command over the finite command space, in a fixed order: tick; deliver,
    /// drop and duplicate per message (by id); timeouts; requests (with each client's default
    /// value); leader changes; crash or restart per node; heal, or isolating each single node;
    /// amnesia toggles. Settings with numeric ranges are left out.
    pub fn enabled_commands(&self) -> Vec<Command> {
        let mut v = Vec::new();
        if self.next_due().is_some() {
            v.push(Command::Tick);
        }
        for m in self.net.in_flight() {
            v.extend([Command::Deliver { id: m.id }, Command::Drop { id: m.id }, Command::Duplicate { id: m.id }]);
        }
        for p in &self.proposers {
            if self.is_up(p.id) && p.phase.in_progress() {
                v.push(Command::Timeout { node: p.id });
            }
        }
        for i in 0..self.cfg.clients {
            let c = NodeId::client(i);
            if self.is_up(c) {
                v.push(Command::Request { client: c, value: default_value(i) });
            }
        }
        for i in 0..self.cfg.clients {
            for p in 0..self.cfg.proposers {
                let cmd = Command::SetLeader { client: NodeId::client(i), leader: NodeId::proposer(p) };
                if self.is_enabled(&cmd) {
                    v.push(cmd);
                }
            }
        }
        for n in self.cfg.nodes() {
            v.push(if self.is_up(n) { Command::Crash { node: n } } else { Command::Restart { node: n } });
        }
        if self.net.is_partitioned() {
            v.push(Command::Heal);
        } else {
            v.extend(self.cfg.nodes().map(|n| Command::Partition { groups: vec![vec![n]] }));
        }
        for n in self.cfg.nodes() {
            v.push(Command::SetAmnesia { node: n, on: self.amnesia & (1 << slot(n)) == 0 });
        }
        v
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
                self.clients[client.index as usize].request(*value, &mut out);
                self.effects(*client, out, ev);
            }
            Command::SetLeader { client, leader } => self.clients[client.index as usize].leader = *leader,
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

    fn take_scratch(&mut self) -> Outbox {
        std::mem::take(&mut self.scratch)
    }

    fn tick(&mut self, ev: &mut Vec<Event>) {
        match self.next_due() {
            Some(Due::Message { id, at }) => {
                self.time = self.time.max(at);
                if let Some(m) = self.net.take(id) {
                    self.arrive(m, true, ev);
                }
            }
            Some(Due::Timer { node, at }) => {
                self.time = self.time.max(at);
                self.fire_timer(node, ev);
            }
            None => {}
        }
    }

    /// A message reaches its receiver, unless a crash or the partition (or, when the network
    /// itself delivers it, the loss rate) stops it.
    fn arrive(&mut self, m: InFlight, by_network: bool, ev: &mut Vec<Event>) {
        let reason = if !self.is_up(m.to) {
            Some(DropReason::ReceiverCrashed)
        } else if !self.is_up(m.from) {
            Some(DropReason::SenderCrashed)
        } else if !self.net.connected(m.from, m.to) {
            Some(DropReason::Partitioned)
        } else if by_network && self.loss > 0 && self.rng.percent(self.loss) {
            Some(DropReason::Lost)
        } else {
            None
        };
        if let Some(reason) = reason {
            ev.push(Event::Dropped { id: m.id, reason });
            return;
        }
        if by_network && self.duplicate > 0 && self.rng.percent(self.duplicate) {
            let copy = self.put_on_wire(m.from, m.to, m.msg);
            ev.push(Event::Duplicated { id: m.id, copy: copy.id, due: copy.due });
        }
        ev.push(Event::Delivered { id: m.id });
        self.dispatch(m.from, m.to, m.msg, ev);
    }

    fn duplicate_msg(&mut self, id: MsgId, ev: &mut Vec<Event>) {
        if let Some(m) = self.net.get(id).copied() {
            let copy = self.put_on_wire(m.from, m.to, m.msg);
            ev.push(Event::Duplicated { id, copy: copy.id, due: copy.due });
        }
    }

    /// Runs the receiver's handler and applies its effects.
    fn dispatch(&mut self, from: NodeId, to: NodeId, msg: Msg, ev: &mut Vec<Event>) {
        let mut out = self.take_scratch();
        let ctx = self.ctx;
        let i = to.index as usize;
        match (to.role, msg) {
            (Role::Acceptor, Msg::Prepare { ballot }) => {
                let before = self.acceptors[i].promised;
                self.acceptors[i].on_prepare(from, ballot, &ctx, &mut out);
                self.oracle.on_promise_change(to, before, self.acceptors[i].promised, "");
            }
            (Role::Acceptor, Msg::Accept { ballot, value }) => {
                let before = self.acceptors[i].promised;
                self.acceptors[i].on_accept(from, ballot, value, &ctx, &mut out);
                let voted = out.items.iter().any(|o| matches!(o, Out::Send { msg: Msg::Accepted { .. }, .. }));
                if voted {
                    self.oracle.on_vote(to, ballot, value, before, self.majority());
                }
                self.oracle.on_promise_change(to, before, self.acceptors[i].promised, "");
            }
            (Role::Acceptor, Msg::Commit { value, .. }) => self.acceptors[i].on_commit(value),
            (Role::Proposer, Msg::Request { value }) => self.proposers[i].on_request(from, value, &ctx, &mut out),
            (Role::Proposer, Msg::Promise { ballot, accepted }) => {
                self.proposers[i].on_promise(from, ballot, accepted, &ctx, &mut out)
            }
            (Role::Proposer, Msg::Accepted { ballot, value }) => {
                self.proposers[i].on_accepted(from, ballot, value, &ctx, &mut out)
            }
            (Role::Proposer, Msg::Nack { ballot, promised }) => {
                self.proposers[i].on_nack(ballot, promised, &ctx, &mut out)
            }
            (Role::Learner, Msg::Accepted { ballot, value }) => {
                self.learners[i].on_accepted(from, ballot, value, &ctx, &mut out)
            }
            (Role::Learner, Msg::Commit { value, .. }) => self.learners[i].on_commit(value, &ctx, &mut out),
            (Role::Client, Msg::Reply { value } | Msg::Announce { value }) => {
                self.clients[i].on_outcome(value, &mut out)
            }
            // No role sends anything else to these receivers; ignoring keeps the world total.
            _ => {}
        }
        self.effects(to, out, ev);
    }

    /// Carries out what a handler recorded: sends first (so a delivery is followed by its
    /// reactions), then what the node learned.
    fn effects(&mut self, node: NodeId, mut out: Outbox, ev: &mut Vec<Event>) {
        let mut started = false;
        for item in &out.items {
            match *item {
                Out::Send { to, msg } => {
                    self.audit_send(node, msg, &mut started);
                    let m = self.put_on_wire(node, to, msg);
                    ev.push(Event::Sent { id: m.id, from: node, to, msg, at: m.sent_at, due: m.due });
                }
                Out::SetTimer(kind) => self.set_timer(node, kind),
                Out::CancelTimer => self.timers[node.index as usize] = None,
                Out::Learned(_) => {}
            }
        }
        for item in &out.items {
            if let Out::Learned(value) = *item {
                ev.push(Event::Learned { node, value });
                self.oracle.on_outcome(node, "learned", value);
            }
        }
        out.items.clear();
        self.scratch = out;
    }

    /// Lets the oracle see ballots and outcomes as they leave a node.
    fn audit_send(&mut self, node: NodeId, msg: Msg, started: &mut bool) {
        match msg {
            Msg::Prepare { ballot } if !*started => {
                *started = true;
                self.oracle.on_ballot_start(node, ballot);
                self.oracle.on_ballot_use(node, ballot, None);
            }
            Msg::Accept { ballot, value } => self.oracle.on_ballot_use(node, ballot, Some(value)),
            Msg::Commit { value, .. } => self.oracle.on_outcome(node, "committed", value),
            Msg::Reply { value } => self.oracle.on_outcome(node, "replied", value),
            _ => {}
        }
    }

    fn put_on_wire(&mut self, from: NodeId, to: NodeId, msg: Msg) -> InFlight {
        let id = self.next_id;
        self.next_id += 1;
        let (lo, hi) = self.latency;
        let due = self.time + self.rng.range(lo as u64, hi as u64);
        let m = InFlight { id, from, to, msg, sent_at: self.time, due };
        self.net.push(m);
        m
    }

    fn set_timer(&mut self, node: NodeId, kind: TimerKind) {
        let t = self.cfg.timeout as u64;
        let wait = match (kind, self.backoff) {
            (TimerKind::Retry, false) => t,
            (TimerKind::Retry, true) => t + self.rng.below(t),
            (TimerKind::Backoff, _) => 1 + self.rng.below(t),
        };
        self.timers[node.index as usize] = Some(self.time + wait);
    }

    fn fire_timer(&mut self, node: NodeId, ev: &mut Vec<Event>) {
        self.timers[node.index as usize] = None;
        ev.push(Event::TimedOut { node });
        let mut out = self.take_scratch();
        let ctx = self.ctx;
        self.proposers[node.index as usize].on_timeout(&ctx, &mut out);
        self.effects(node, out, ev);
    }

    fn crash(&mut self, node: NodeId, ev: &mut Vec<Event>) {
        self.down |= 1 << slot(node);
        let i = node.index as usize;
        match node.role {
            Role::Client => self.clients[i].crash(),
            Role::Proposer => {
                self.proposers[i].crash();
                self.timers[i] = None;
            }
            Role::Acceptor => self.acceptors[i].crash(),
            Role::Learner => self.learners[i].crash(),
        }
        ev.push(Event::Crashed { node });
    }

    fn restart(&mut self, node: NodeId, ev: &mut Vec<Event>) {
        self.down &= !(1 << slot(node));
        let amnesia = self.is_amnesiac(node);
        let i = node.index as usize;
        ev.push(Event::Restarted { node, amnesia });
        match node.role {
            Role::Client => {}
            Role::Proposer => self.proposers[i].restart(amnesia),
            Role::Acceptor => {
                let before = self.acceptors[i].promised;
                self.acceptors[i].restart(amnesia);
                let after = self.acceptors[i].promised;
                self.oracle.on_promise_change(node, before, after, " (an amnesia restart wiped its disk)");
            }
            Role::Learner => {}
        }
    }
}
