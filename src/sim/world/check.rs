//! Which commands are enabled now, and why not: a refused command changes nothing.

use super::World;
use crate::paxos::{NodeId, Role};
use crate::sim::command::{Command, MsgId};
use crate::sim::config::{check_percent, MAX_DUPLICATE_PERCENT, MAX_LATENCY};
use crate::sim::network::{slot, Network};

fn reject(reason: String) -> Result<(), String> {
    Err(reason)
}

fn refuse_if(refused: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if refused {
        Err(why())
    } else {
        Ok(())
    }
}

impl World {
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
            Command::Request { client, value } => {
                self.exists(*client, Role::Client)?;
                refuse_if(!self.is_up(*client), || {
                    format!("{client} is crashed; restart it before it can ask for a value.")
                })?;
                self.check_log_request(*client, *value)
            }
            Command::SetLeader { client, leader } => {
                self.exists(*client, Role::Client)?;
                self.exists(*leader, Role::Proposer)?;
                let same = self.client_leader(*client) == *leader;
                refuse_if(same, || format!("{client} already believes {leader} is the leader."))
            }
            Command::Deliver { id } | Command::Drop { id } | Command::Duplicate { id } => self.in_flight_msg(*id),
            Command::Crash { node } | Command::Restart { node } | Command::Timeout { node } => {
                self.check_node(cmd, *node)
            }
            Command::Partition { groups } => self.check_partition(groups),
            Command::Heal => refuse_if(!self.net.is_partitioned(), || "The network is not partitioned.".into()),
            Command::SetLoss { percent } => check_percent("Loss", *percent, 100),
            Command::SetDuplicate { percent } => check_percent("Duplication", *percent, MAX_DUPLICATE_PERCENT),
            Command::SetLatency { min, max } => refuse_if(*min < 1 || min > max || *max > MAX_LATENCY, || {
                format!("Latency must satisfy 1 ≤ min ≤ max ≤ {MAX_LATENCY} ticks, not {min}..{max}.")
            }),
            Command::SetAmnesia { node, on } => {
                self.any_node(*node)?;
                let already = self.amnesia & (1 << slot(*node)) != 0;
                refuse_if(already && *on, || format!("{node} already restarts with amnesia."))?;
                refuse_if(!already && !*on, || format!("{node} already keeps its durable state across restarts."))
            }
            Command::SetBackoff { on } => {
                refuse_if(self.backoff == *on, || format!("Back-off is already {}.", if *on { "on" } else { "off" }))
            }
            Command::Tick => refuse_if(self.next_due().is_none(), || {
                "Nothing is in flight and no timer is running: ask a client for a value first.".into()
            }),
        }
    }

    /// Crash, restart and timeout: the node must exist and be in the right state.
    fn check_node(&self, cmd: &Command, node: NodeId) -> Result<(), String> {
        let up = self.is_up(node);
        match cmd {
            Command::Crash { .. } => {
                self.any_node(node)?;
                refuse_if(!up, || format!("{node} is already crashed."))
            }
            Command::Restart { .. } => {
                self.any_node(node)?;
                refuse_if(up, || format!("{node} is running; only a crashed node can restart."))
            }
            _ if self.nodes.log.is_some() => {
                if node.role != Role::Client {
                    self.exists(node, Role::Proposer)?;
                }
                self.any_node(node)?;
                refuse_if(!up, || format!("{node} is crashed; a crashed node has no timer."))?;
                self.check_log_timeout(node)
            }
            _ => {
                self.exists(node, Role::Proposer)?;
                refuse_if(!up, || format!("{node} is crashed; a crashed proposer has no timer."))?;
                let idle = !self.nodes.proposers[node.index as usize].phase.in_progress();
                refuse_if(idle, || format!("{node} has no ballot in progress, so there is nothing to time out."))
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
        if self.nodes.log.is_some() {
            let nodes = (0..self.cfg.proposers).map(NodeId::proposer).chain((0..self.cfg.clients).map(NodeId::client));
            v.extend(nodes.map(|node| Command::Timeout { node }).filter(|c| self.is_enabled(c)));
        }
        for p in self.nodes.proposers.iter().filter(|_| self.nodes.log.is_none()) {
            if self.is_up(p.id) && p.phase.in_progress() {
                v.push(Command::Timeout { node: p.id });
            }
        }
        for i in 0..self.cfg.clients {
            let c = NodeId::client(i);
            let request = self.next_request(c);
            if self.is_up(c) && self.is_enabled(&request) {
                v.push(request);
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
}
