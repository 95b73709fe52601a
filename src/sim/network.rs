//! Messages in flight and the links between nodes: a seeded, sans-IO network in the shape of
//! str0m's netem. It holds data only; the world decides when things arrive.

use super::command::MsgId;
use crate::paxos::{Msg, NodeId, Role};
use serde::{Deserialize, Serialize};

/// A message on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InFlight {
    /// Unique within the run.
    pub id: MsgId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// The message.
    pub msg: Msg,
    /// Tick it was sent.
    pub sent_at: u64,
    /// Tick it is due to arrive.
    pub due: u64,
}

/// Slots per role in the fixed node numbering used for bit sets (the role maxima).
const SLOT_BASE: [u32; 4] = [0, 3, 8, 17];
/// Total slots: 3 clients + 5 proposers + 9 acceptors + 5 learners.
pub const SLOTS: usize = 22;

/// A node's position in bit sets and per-node arrays.
pub fn slot(node: NodeId) -> u32 {
    let r = match node.role {
        Role::Client => 0,
        Role::Proposer => 1,
        Role::Acceptor => 2,
        Role::Learner => 3,
    };
    SLOT_BASE[r] + node.index as u32
}

impl Clone for Network {
    fn clone(&self) -> Self {
        Network { msgs: self.msgs.clone(), groups: self.groups }
    }
    // Reuses the vector's allocation: the explorer restores worlds millions of times.
    fn clone_from(&mut self, src: &Self) {
        self.msgs.clone_from(&src.msgs);
        self.groups = src.groups;
    }
}

/// The in-flight set, kept sorted by id (ids only grow, so pushes keep it sorted).
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct Network {
    msgs: Vec<InFlight>,
    /// Partition group per slot; `None` when the network is whole.
    groups: Option<[u8; SLOTS]>,
}

impl Network {
    /// Keeps only the messages `f` accepts.
    pub fn retain(&mut self, f: impl FnMut(&InFlight) -> bool) {
        self.msgs.retain(f);
    }

    /// Every message in flight, by id.
    pub fn in_flight(&self) -> &[InFlight] {
        &self.msgs
    }

    /// The message with this id, if in flight.
    pub fn get(&self, id: MsgId) -> Option<&InFlight> {
        self.msgs.binary_search_by_key(&id, |m| m.id).ok().map(|i| &self.msgs[i])
    }

    /// Puts a message on the wire. Its id must be above every id so far.
    pub fn push(&mut self, m: InFlight) {
        debug_assert!(self.msgs.last().is_none_or(|l| l.id < m.id));
        self.msgs.push(m);
    }

    /// Empties the wire and heals it, keeping the allocation (for the explorer's decoder).
    pub fn clear(&mut self) {
        self.msgs.clear();
        self.groups = None;
    }

    /// Takes a message off the wire.
    pub fn take(&mut self, id: MsgId) -> Option<InFlight> {
        let i = self.msgs.binary_search_by_key(&id, |m| m.id).ok()?;
        Some(self.msgs.remove(i))
    }

    /// The message due first (ties broken by id).
    pub fn earliest(&self) -> Option<&InFlight> {
        self.msgs.iter().min_by_key(|m| (m.due, m.id))
    }

    /// Splits the network: each listed group talks only among itself; everyone unlisted is one
    /// more group.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        let mut g = [0u8; SLOTS];
        for (i, group) in groups.iter().enumerate() {
            for n in group {
                g[slot(*n) as usize] = i as u8 + 1;
            }
        }
        self.groups = Some(g);
    }

    /// Makes the network whole.
    pub fn heal(&mut self) {
        self.groups = None;
    }

    /// Is the network split?
    pub fn is_partitioned(&self) -> bool {
        self.groups.is_some()
    }

    /// The partition group of a node (0 is the group of unlisted nodes), if split.
    pub fn group(&self, node: NodeId) -> Option<u8> {
        self.groups.map(|g| g[slot(node) as usize])
    }

    /// Can `a` reach `b`?
    pub fn connected(&self, a: NodeId, b: NodeId) -> bool {
        self.groups.is_none_or(|g| g[slot(a) as usize] == g[slot(b) as usize])
    }
}
