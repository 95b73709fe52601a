//! The boundary of the world: `Command`s go in, `Event`s come out. Both are plain data with a
//! stable JSON form (see `docs/trace-format.md`).

use crate::paxos::{Ballot, Msg, NodeId, Value};
use serde::{Deserialize, Serialize};

/// The id of a message in flight. Ids are never reused within a run.
pub type MsgId = u32;

/// Everything that can happen to the cluster. `World::apply` is the only way state changes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// Phase 0: `client` asks its believed leader to get `value` chosen.
    Request {
        /// The client.
        client: NodeId,
        /// The value it wants.
        value: Value,
    },
    /// Change which proposer a client believes leads.
    SetLeader {
        /// The client.
        client: NodeId,
        /// The proposer it should now send requests to.
        leader: NodeId,
    },
    /// Deliver an in-flight message now (drop rules for crashes and partitions still apply).
    Deliver {
        /// The message.
        id: MsgId,
    },
    /// Lose an in-flight message.
    Drop {
        /// The message.
        id: MsgId,
    },
    /// Put a second copy of an in-flight message on the wire.
    Duplicate {
        /// The message.
        id: MsgId,
    },
    /// Stop a node. Its volatile state is lost.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// Start a crashed node again from its durable state (or from nothing, with amnesia).
    Restart {
        /// The node.
        node: NodeId,
    },
    /// A proposer gives up on its ballot now and retries higher.
    Timeout {
        /// The proposer.
        node: NodeId,
    },
    /// Split the network. Nodes not listed form one more group together.
    Partition {
        /// The groups that can still talk among themselves.
        groups: Vec<Vec<NodeId>>,
    },
    /// Remove the partition.
    Heal,
    /// Set the chance that the network loses a message as it comes due.
    SetLoss {
        /// 0 to 100.
        percent: u8,
    },
    /// Set the chance that the network duplicates a message as it comes due.
    SetDuplicate {
        /// 0 to 50.
        percent: u8,
    },
    /// Set the range of message latencies in ticks.
    SetLatency {
        /// Fewest ticks.
        min: u32,
        /// Most ticks.
        max: u32,
    },
    /// Choose durable storage (off) or amnesia (on) for a node's next restart.
    SetAmnesia {
        /// The node.
        node: NodeId,
        /// Whether its restart wipes everything.
        on: bool,
    },
    /// Turn proposers' random back-off on or off.
    SetBackoff {
        /// On or off.
        on: bool,
    },
    /// Advance the clock to the next thing due and handle it: the earliest message (by due
    /// time, then id) or proposer timer. Messages already overdue go first, without moving the
    /// clock. This is one step of auto-play; loss and duplication chances apply here.
    Tick,
}

/// Why a message never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Someone dropped it on purpose.
    ByUser,
    /// The network lost it (loss rate).
    Lost,
    /// Its receiver is crashed.
    ReceiverCrashed,
    /// Its sender crashed before it arrived.
    SenderCrashed,
    /// It would cross the partition.
    Partitioned,
}

/// A safety property the oracle checks after every step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Invariant {
    /// At most one value is chosen.
    Agreement,
    /// A chosen value was requested by a client.
    Validity,
    /// Learners, commits and client replies carry only the chosen value.
    OnlyChosenIsLearned,
    /// An acceptor's promise never goes down.
    PromisesNeverDecrease,
    /// No acceptor accepts a ballot below its promise.
    AcceptRespectsPromise,
    /// Each ballot belongs to one proposer and carries one value; a proposer's ballots rise.
    BallotsUnique,
}

impl Invariant {
    /// Every invariant, in panel order.
    pub const ALL: [Invariant; 6] = [
        Invariant::Agreement,
        Invariant::Validity,
        Invariant::OnlyChosenIsLearned,
        Invariant::PromisesNeverDecrease,
        Invariant::AcceptRespectsPromise,
        Invariant::BallotsUnique,
    ];

    /// A one-line statement of the property.
    pub fn statement(self) -> &'static str {
        match self {
            Invariant::Agreement => "At most one value is chosen",
            Invariant::Validity => "Only a value some client requested can be chosen",
            Invariant::OnlyChosenIsLearned => "Learners, commits and replies carry only the chosen value",
            Invariant::PromisesNeverDecrease => "An acceptor's promise never goes down",
            Invariant::AcceptRespectsPromise => "No acceptor accepts below its promise",
            Invariant::BallotsUnique => "Each ballot has one owner and one value; a proposer's ballots rise",
        }
    }
}

/// What happened. A step's events are in causal order: a delivery is followed by the messages its
/// receiver sent in reaction, then by what nodes learned, then by the oracle's verdicts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A message was put on the wire.
    Sent {
        /// Its id.
        id: MsgId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// The message.
        msg: Msg,
        /// Tick it was sent.
        at: u64,
        /// Tick it is due.
        due: u64,
    },
    /// A message arrived and was handled.
    Delivered {
        /// Its id.
        id: MsgId,
    },
    /// A message will never arrive.
    Dropped {
        /// Its id.
        id: MsgId,
        /// Why.
        reason: DropReason,
    },
    /// A second copy of a message is on the wire.
    Duplicated {
        /// The original.
        id: MsgId,
        /// The new in-flight id of the copy.
        copy: MsgId,
        /// Tick the copy is due.
        due: u64,
    },
    /// A node stopped.
    Crashed {
        /// The node.
        node: NodeId,
    },
    /// A node started again.
    Restarted {
        /// The node.
        node: NodeId,
        /// Whether it lost its durable state too.
        amnesia: bool,
    },
    /// A proposer's timer fired.
    TimedOut {
        /// The proposer.
        node: NodeId,
    },
    /// Global view: a majority of acceptors has now accepted `value` in `ballot`.
    Chosen {
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Value,
    },
    /// A learner or client now knows the outcome.
    Learned {
        /// Who.
        node: NodeId,
        /// What.
        value: Value,
    },
    /// The command was not enabled; nothing changed.
    Rejected {
        /// Why, in words.
        reason: String,
    },
    /// A safety property broke at this step.
    Violated {
        /// Which property.
        invariant: Invariant,
        /// What exactly happened.
        detail: String,
    },
}
