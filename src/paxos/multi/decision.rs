//! Why each Multi-Paxos step happened, as data (the log's counterpart of `crate::paxos::Decision`,
//! which wraps it as `Decision::Log`). Slot sets are bit sets, so a decision stays small; the
//! values in them are in the deciding node's log, which narration reads in the world after.

use super::{Cmd, Slot, Slots};
use crate::paxos::{Ballot, Kind, NodeId};
use serde::{Deserialize, Serialize};

/// What started a proposer's Phase 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Campaign {
    /// A request reached a proposer that believes it leads (or is asked to take over by a retry).
    Request {
        /// The client.
        client: NodeId,
        /// Its command.
        value: Cmd,
        /// Was it a client's retry after a timeout?
        retry: bool,
    },
    /// Its timer fired with slots still open: it tries again with a higher ballot.
    Timeout,
}

/// What a node decided in Multi-Paxos mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LogDecision {
    // ---- client ----------------------------------------------------------------------------
    /// A client sends its next command (or retries one) to the proposer it believes leads.
    Submitted {
        /// The command.
        value: Cmd,
        /// Where.
        to: NodeId,
        /// A retry after a timeout.
        retry: bool,
    },
    /// A client hears which slot its command is in.
    Replied {
        /// The command.
        value: Cmd,
        /// The slot.
        slot: Slot,
        /// Was this news?
        first: bool,
    },
    /// A client follows a redirect and sends its command to the leader named.
    Redirected {
        /// The command.
        value: Cmd,
        /// The leader.
        leader: NodeId,
    },
    /// A learner or client notes a log entry; with no gap below, it applies the prefix.
    Applied {
        /// The slot it heard of.
        slot: Slot,
        /// Its command.
        value: Cmd,
        /// Slots applied before.
        before: u8,
        /// Slots applied now (a gap-free prefix).
        after: u8,
    },

    // ---- proposer --------------------------------------------------------------------------
    /// A follower redirects a client to the leader it believes in.
    Redirect {
        /// The client.
        client: NodeId,
        /// Its command.
        value: Cmd,
        /// The leader.
        leader: NodeId,
    },
    /// Phase 1a for every slot ≥ `from`.
    Campaign {
        /// The new ballot.
        ballot: Ballot,
        /// The first slot not known chosen.
        from: Slot,
        /// What started it.
        cause: Campaign,
    },
    /// A command waits for Phase 1 to finish.
    #[serde(rename = "log_queued")]
    Queued {
        /// The command.
        value: Cmd,
        /// The ballot in Phase 1.
        ballot: Ballot,
    },
    /// A promise counted, short of a quorum.
    #[serde(rename = "log_promise_counted")]
    PromiseCounted {
        /// The ballot.
        ballot: Ballot,
        /// The acceptor.
        from: NodeId,
        /// Promises so far.
        have: u8,
        /// Needed.
        need: u8,
        /// Slots in which it reported a vote.
        reported: Slots,
    },
    /// A quorum promised: the proposer leads for slots ≥ `from` and sends Accepts.
    Elected {
        /// The ballot.
        ballot: Ballot,
        /// The first slot of Phase 1.
        from: Slot,
        /// Promises in hand.
        have: u8,
        /// Slots where it re-proposes the highest-ballot value reported.
        recovered: Slots,
        /// Holes below its highest reported slot, filled with no-ops.
        noops: Slots,
        /// Slots given new commands.
        fresh: Slots,
    },
    /// A leader puts a new command in the next free slot: Phase 2 at once, no Phase 1.
    Assigned {
        /// The command.
        value: Cmd,
        /// The slot.
        slot: Slot,
        /// The leader's ballot.
        ballot: Ballot,
    },
    /// The command is already in this proposer's log.
    Known {
        /// The command.
        value: Cmd,
        /// Its slot.
        slot: Slot,
        /// Is that slot chosen (then it replies)?
        chosen: bool,
    },
    /// The log has no free slot (or the Phase 1 queue is full); the command is not taken.
    Full {
        /// The command.
        value: Cmd,
    },
    /// A vote counted, short of a quorum.
    #[serde(rename = "log_vote_counted")]
    VoteCounted {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// Votes so far.
        have: u8,
        /// Needed.
        need: u8,
    },
    /// A quorum voted: the slot is chosen; commit it and reply to its client.
    SlotChosen {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The command.
        value: Cmd,
        /// Votes in hand.
        have: u8,
    },
    /// A Nack: a higher ballot was promised, so this proposer stops leading.
    Demoted {
        /// Its ballot.
        ballot: Ballot,
        /// The higher promise.
        promised: Ballot,
        /// The acceptor that said so.
        by: NodeId,
    },
    /// A leader's timer fired with slots still open: it sends their Accepts again, same ballot.
    Retransmit {
        /// Its ballot.
        ballot: Ballot,
        /// The open slots.
        slots: Slots,
    },
    /// A learner with a gap asks the proposer that committed for the slots from `first` on.
    AskedForGap {
        /// Its first missing slot.
        first: Slot,
        /// The proposer asked.
        to: NodeId,
    },
    /// A learner asked for the chosen slots from `from` on; they are sent again.
    Resent {
        /// The learner.
        to: NodeId,
        /// Slots sent.
        slots: Slots,
    },

    // ---- acceptor --------------------------------------------------------------------------
    /// Phase 1b for every slot ≥ `from`, reporting its votes there.
    #[serde(rename = "log_promised")]
    Promised {
        /// The ballot.
        ballot: Ballot,
        /// The first slot.
        from: Slot,
        /// The promise it replaces.
        previous: Option<Ballot>,
        /// Slots in which it reports a vote.
        reported: Slots,
    },
    /// Phase 2b in one slot.
    #[serde(rename = "log_voted")]
    Voted {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The command.
        value: Cmd,
        /// Its promise just before.
        promised: Option<Ballot>,
    },
    /// A Commit reached an acceptor.
    #[serde(rename = "log_noted_commit")]
    NotedCommit {
        /// The slot.
        slot: Slot,
        /// The command.
        value: Cmd,
    },

    // ---- learner ---------------------------------------------------------------------------
    /// A vote counted for a slot, short of a quorum.
    #[serde(rename = "log_tallied")]
    Tallied {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The command.
        value: Cmd,
        /// Votes so far.
        have: u8,
        /// Needed.
        need: u8,
    },
    /// A learner now knows a slot; it applies what it can and asks for what it misses.
    #[serde(rename = "log_learned")]
    Learned {
        /// The slot.
        slot: Slot,
        /// The command.
        value: Cmd,
        /// From a Commit (else from a quorum of votes).
        by_commit: bool,
        /// Slots applied before.
        before: u8,
        /// Slots applied now.
        after: u8,
        /// It asked for the gap below.
        asked: bool,
    },

    // ---- any role --------------------------------------------------------------------------
    /// A reply about another ballot, or that this node no longer waits for.
    Stale {
        /// What arrived.
        kind: Kind,
        /// Its ballot.
        ballot: Ballot,
        /// The node's ballot now.
        current: Option<Ballot>,
    },
    /// The same acceptor's promise or vote was already counted.
    AlreadyCounted {
        /// Promise or Accepted.
        kind: Kind,
        /// The acceptor.
        from: NodeId,
    },
    /// It already knows this slot.
    AlreadyKnown {
        /// The slot.
        slot: Slot,
    },
}

impl LogDecision {
    /// The Paxos phase a decision moves its node into, if any.
    pub fn enters_phase(&self) -> Option<u8> {
        match self {
            LogDecision::Campaign { .. } => Some(1),
            LogDecision::Elected { .. } | LogDecision::Assigned { .. } => Some(2),
            LogDecision::SlotChosen { .. } => Some(3),
            LogDecision::Submitted { .. }
            | LogDecision::Replied { .. }
            | LogDecision::Redirected { .. }
            | LogDecision::Applied { .. }
            | LogDecision::Redirect { .. }
            | LogDecision::Queued { .. }
            | LogDecision::PromiseCounted { .. }
            | LogDecision::Known { .. }
            | LogDecision::Full { .. }
            | LogDecision::VoteCounted { .. }
            | LogDecision::Demoted { .. }
            | LogDecision::Resent { .. }
            | LogDecision::Retransmit { .. }
            | LogDecision::AskedForGap { .. }
            | LogDecision::Promised { .. }
            | LogDecision::Voted { .. }
            | LogDecision::NotedCommit { .. }
            | LogDecision::Tallied { .. }
            | LogDecision::Learned { .. }
            | LogDecision::Stale { .. }
            | LogDecision::AlreadyCounted { .. }
            | LogDecision::AlreadyKnown { .. } => None,
        }
    }
}
