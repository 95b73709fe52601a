//! The boundary of the world: `Command`s go in, `Event`s come out. Both are plain data with a
//! stable JSON form (see `docs/trace-format.md`).

use crate::paxos::multi::{Cmd, Slot};
use crate::paxos::{Ballot, Decision, Msg, NodeId, Value};
use serde::{Deserialize, Serialize};

/// The id of a message in flight. Ids are never reused within a run.
pub type MsgId = u32;

/// Everything that can happen to the cluster. `World::apply` is the only way state changes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawCommand")]
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
    /// Its sender crashed while it was in flight (it is lost at the crash).
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
    /// A proposer that heard of votes proposes the highest-numbered one's value (P2c).
    AdoptsReportedValue,
    /// A proposer moves on only with promises, and a value is chosen only with votes, from a
    /// majority of the acceptors.
    QuorumIsMajority,
    /// Multi-Paxos: every learner and client applies the log in slot order, without gaps.
    AppliedInOrder,
}

impl Invariant {
    /// Every invariant, in panel order.
    pub const ALL: [Invariant; 9] = [
        Invariant::Agreement,
        Invariant::Validity,
        Invariant::OnlyChosenIsLearned,
        Invariant::PromisesNeverDecrease,
        Invariant::AcceptRespectsPromise,
        Invariant::BallotsUnique,
        Invariant::AdoptsReportedValue,
        Invariant::QuorumIsMajority,
        Invariant::AppliedInOrder,
    ];

    /// Does the property exist in this mode (the log's order only in Multi-Paxos)?
    pub fn in_mode(self, mode: crate::sim::Mode) -> bool {
        self != Invariant::AppliedInOrder || mode == crate::sim::Mode::Multi
    }

    /// Is breaking it harm (a value chosen or told wrongly), rather than a rule of the protocol
    /// broken? A rule broken matters for the harm it lets follow.
    pub fn is_harm(self) -> bool {
        match self {
            Invariant::Agreement | Invariant::Validity | Invariant::OnlyChosenIsLearned | Invariant::AppliedInOrder => {
                true
            }
            Invariant::PromisesNeverDecrease
            | Invariant::AcceptRespectsPromise
            | Invariant::BallotsUnique
            | Invariant::AdoptsReportedValue
            | Invariant::QuorumIsMajority => false,
        }
    }

    /// The statement as it reads in `mode`: in Multi-Paxos the value-level properties hold for
    /// each slot of the log.
    pub fn statement_in(self, mode: crate::sim::Mode) -> &'static str {
        match (self, mode) {
            (Invariant::Agreement, crate::sim::Mode::Multi) => "At most one value is chosen in each slot",
            (Invariant::Validity, crate::sim::Mode::Multi) => {
                "Only a command some client sent (or a no-op) can be chosen in a slot"
            }
            (Invariant::OnlyChosenIsLearned, crate::sim::Mode::Multi) => {
                "Learners, commits and replies carry only each slot's chosen value"
            }
            (inv, _) => inv.statement(),
        }
    }

    /// A one-line statement of the property.
    pub fn statement(self) -> &'static str {
        match self {
            Invariant::Agreement => "At most one value is chosen",
            Invariant::Validity => "Only a value some client requested can be chosen",
            Invariant::OnlyChosenIsLearned => "Learners, commits and replies carry only the chosen value",
            Invariant::PromisesNeverDecrease => "An acceptor's promise never goes down",
            Invariant::AcceptRespectsPromise => "No acceptor accepts below its promise",
            Invariant::BallotsUnique => "Each ballot has one owner and one value; a proposer's ballots rise",
            Invariant::AdoptsReportedValue => "A proposer proposes the highest-numbered value its quorum reported",
            Invariant::QuorumIsMajority => "Promises and votes are counted only from a majority",
            Invariant::AppliedInOrder => "Learners and clients apply the log in slot order, without gaps",
        }
    }
}

/// What happened. A step's events are in causal order: a delivery is followed by the messages its
/// receiver sent in reaction, then by what nodes learned, then by the oracle's verdicts.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A node decided what to do about a message, a timer or a request, and why. It comes
    /// right after what reached the node and before the messages the decision sends.
    Decided {
        /// The node.
        node: NodeId,
        /// What it decided.
        decision: Decision,
    },
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
    /// Global view, Multi-Paxos: a majority of acceptors has now accepted `value` in `slot`.
    SlotChosen {
        /// The slot (0-based; `s1` is 0).
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The command.
        value: Cmd,
    },
    /// Multi-Paxos: a learner or client applied `slot` of the log.
    Applied {
        /// Who.
        node: NodeId,
        /// The slot.
        slot: Slot,
        /// Its command.
        value: Cmd,
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

/// One applied command and what it caused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The command.
    pub command: Command,
    /// Its events, in order.
    pub events: Vec<Event>,
}

impl Step {
    /// The decisions made in this step, with the node that made each, in order.
    pub fn decisions(&self) -> impl Iterator<Item = (NodeId, &Decision)> + '_ {
        self.events.iter().filter_map(|e| {
            if let Event::Decided { node, decision } = e {
                Some((*node, decision))
            } else {
                None
            }
        })
    }
}

/// A command as it appears in JSON: a `type` and whichever fields that type takes. Reading this
/// flat record and then checking it is much smaller code than serde's internally tagged enum,
/// which matters for the browser build, and says exactly which field is missing or unexpected.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommand {
    #[serde(rename = "type")]
    kind: String,
    client: Option<NodeId>,
    value: Option<Value>,
    leader: Option<NodeId>,
    id: Option<MsgId>,
    node: Option<NodeId>,
    groups: Option<Vec<Vec<NodeId>>>,
    percent: Option<u8>,
    min: Option<u32>,
    max: Option<u32>,
    on: Option<bool>,
}

impl TryFrom<RawCommand> for Command {
    type Error = String;

    fn try_from(r: RawCommand) -> Result<Self, String> {
        let kind = r.kind.clone();
        let need = |name: &str| format!("a {kind:?} command needs a {name:?} field");
        let present: Vec<&str> = [
            ("client", r.client.is_some()),
            ("value", r.value.is_some()),
            ("leader", r.leader.is_some()),
            ("id", r.id.is_some()),
            ("node", r.node.is_some()),
            ("groups", r.groups.is_some()),
            ("percent", r.percent.is_some()),
            ("min", r.min.is_some()),
            ("max", r.max.is_some()),
            ("on", r.on.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, p)| p.then_some(n))
        .collect();
        let (cmd, takes): (Command, &[&str]) = match kind.as_str() {
            "request" => (
                Command::Request {
                    client: r.client.ok_or_else(|| need("client"))?,
                    value: r.value.ok_or_else(|| need("value"))?,
                },
                &["client", "value"],
            ),
            "set_leader" => (
                Command::SetLeader {
                    client: r.client.ok_or_else(|| need("client"))?,
                    leader: r.leader.ok_or_else(|| need("leader"))?,
                },
                &["client", "leader"],
            ),
            "deliver" => (Command::Deliver { id: r.id.ok_or_else(|| need("id"))? }, &["id"]),
            "drop" => (Command::Drop { id: r.id.ok_or_else(|| need("id"))? }, &["id"]),
            "duplicate" => (Command::Duplicate { id: r.id.ok_or_else(|| need("id"))? }, &["id"]),
            "crash" => (Command::Crash { node: r.node.ok_or_else(|| need("node"))? }, &["node"]),
            "restart" => (Command::Restart { node: r.node.ok_or_else(|| need("node"))? }, &["node"]),
            "timeout" => (Command::Timeout { node: r.node.ok_or_else(|| need("node"))? }, &["node"]),
            "partition" => (Command::Partition { groups: r.groups.ok_or_else(|| need("groups"))? }, &["groups"]),
            "heal" => (Command::Heal, &[]),
            "set_loss" => (Command::SetLoss { percent: r.percent.ok_or_else(|| need("percent"))? }, &["percent"]),
            "set_duplicate" => {
                (Command::SetDuplicate { percent: r.percent.ok_or_else(|| need("percent"))? }, &["percent"])
            }
            "set_latency" => (
                Command::SetLatency { min: r.min.ok_or_else(|| need("min"))?, max: r.max.ok_or_else(|| need("max"))? },
                &["min", "max"],
            ),
            "set_amnesia" => (
                Command::SetAmnesia { node: r.node.ok_or_else(|| need("node"))?, on: r.on.ok_or_else(|| need("on"))? },
                &["node", "on"],
            ),
            "set_backoff" => (Command::SetBackoff { on: r.on.ok_or_else(|| need("on"))? }, &["on"]),
            "tick" => (Command::Tick, &[]),
            other => return Err(format!("unknown command type {other:?}")),
        };
        if let Some(extra) = present.iter().find(|p| !takes.contains(p)) {
            return Err(format!("a {kind:?} command does not take a {extra:?} field"));
        }
        Ok(cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_round_trips_through_json() {
        let x = Value::new("X").unwrap();
        let a = NodeId::acceptor(1);
        for c in [
            Command::Request { client: NodeId::client(0), value: x },
            Command::SetLeader { client: NodeId::client(1), leader: NodeId::proposer(1) },
            Command::Deliver { id: 3 },
            Command::Drop { id: 4 },
            Command::Duplicate { id: 5 },
            Command::Crash { node: a },
            Command::Restart { node: a },
            Command::Timeout { node: NodeId::proposer(0) },
            Command::Partition { groups: vec![vec![a]] },
            Command::Heal,
            Command::SetLoss { percent: 10 },
            Command::SetDuplicate { percent: 5 },
            Command::SetLatency { min: 1, max: 4 },
            Command::SetAmnesia { node: a, on: true },
            Command::SetBackoff { on: false },
            Command::Tick,
        ] {
            let j = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Command>(&j).unwrap(), c, "{j}");
        }
    }

    #[test]
    fn malformed_commands_say_which_field() {
        let err = |j: &str| serde_json::from_str::<Command>(j).unwrap_err().to_string();
        assert!(err(r#"{"type":"crash"}"#).contains("needs a \"node\""));
        assert!(err(r#"{"type":"tick","node":"A1"}"#).contains("does not take a \"node\""));
        assert!(err(r#"{"type":"explode"}"#).contains("unknown command type"));
        assert!(err(r#"{"type":"crash","node":"A1","colour":"red"}"#).contains("unknown field"));
    }
}
