//! Why each step happened, as data. Every handler records exactly one [`Decision`] next to the
//! messages it sends, so narration, prediction, metrics, lesson captions and the world's own checks
//! read the reason instead of working it out again from what was sent.
//!
//! Adding a decision: add a variant here, record it in the handler that makes it, then follow the
//! compiler's errors (narration and every other reader match exhaustively).

use super::msg::Kind;
use super::multi::LogDecision;
use super::proposer::Phase;
use super::types::{Ballot, NodeId, Proposal, Value};
use serde::{Deserialize, Serialize};

/// What a node decided when a message, a timer or a user's command reached it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    // ---- client ----------------------------------------------------------------------------
    /// Phase 0: the client sent its value to the proposer it believes leads.
    Asked {
        /// The value.
        value: Value,
        /// Where it went.
        leader: NodeId,
    },
    /// A proposer or learner told the client the outcome.
    Heard {
        /// The value chosen.
        value: Value,
        /// Who told it.
        from: NodeId,
        /// Whether this was news (the first outcome it heard).
        first: bool,
        /// Whether the client had asked for a value itself.
        asked: bool,
    },

    // ---- proposer --------------------------------------------------------------------------
    /// Phase 1a: a client's request started a ballot.
    Began {
        /// The new ballot.
        ballot: Ballot,
        /// The client that asked.
        client: NodeId,
        /// The value it asked for.
        value: Value,
    },
    /// A request reached a proposer busy with a ballot: it will answer this client too.
    Queued {
        /// The client.
        client: NodeId,
        /// The ballot it is running.
        running: Option<Ballot>,
        /// The value it is working for (its first request).
        working_for: Option<Value>,
    },
    /// A request reached a proposer that already committed: it answers at once.
    RepliedAtOnce {
        /// The client.
        client: NodeId,
        /// The value it committed.
        value: Value,
    },
    /// A promise counted towards the quorum, not yet reached.
    PromiseCounted {
        /// The ballot.
        ballot: Ballot,
        /// The acceptor.
        from: NodeId,
        /// Promises so far.
        have: u8,
        /// Promises needed.
        need: u8,
        /// What that acceptor reported having accepted.
        reported: Option<Proposal>,
    },
    /// Phase 2a: a quorum promised, so the proposer sends Accept with the one safe value:
    /// [`Source::value`] of `source` and `own`.
    QuorumOfPromises {
        /// The ballot.
        ballot: Ballot,
        /// Promises in hand.
        have: u8,
        /// The value its client asked for.
        own: Value,
        /// Where the proposed value comes from.
        source: Source,
    },
    /// A vote counted towards the quorum, not yet reached.
    VoteCounted {
        /// The ballot.
        ballot: Ballot,
        /// The acceptor.
        from: NodeId,
        /// Votes so far.
        have: u8,
        /// Votes needed.
        need: u8,
    },
    /// Phase 3: a quorum voted, so the proposer commits and replies to its waiting clients.
    QuorumOfVotes {
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Value,
        /// Votes in hand.
        have: u8,
    },
    /// A new, higher ballot after the old one failed.
    Retry {
        /// The ballot given up on.
        old: Option<Ballot>,
        /// The new ballot.
        ballot: Ballot,
        /// What ended the old one.
        cause: Cause,
    },
    /// A refusal, with back-off on: wait a random time before retrying.
    BackingOff {
        /// The refused ballot.
        ballot: Ballot,
        /// The higher ballot the acceptor promised.
        promised: Ballot,
    },

    // ---- acceptor --------------------------------------------------------------------------
    /// Phase 1b: a promise, reporting the highest-numbered proposal accepted.
    Promised {
        /// The ballot promised.
        ballot: Ballot,
        /// The promise it replaces.
        previous: Option<Ballot>,
        /// Its vote, reported.
        reported: Option<Proposal>,
    },
    /// A Prepare or Accept below the promise.
    Refused {
        /// Prepare or Accept.
        kind: Kind,
        /// The ballot refused.
        ballot: Ballot,
        /// The higher ballot promised.
        promised: Ballot,
        /// Whether a Nack says so (off when Nacks are off).
        nack: bool,
    },
    /// Phase 2b: the acceptor votes, and tells the proposer and every learner.
    Voted {
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Value,
        /// Its promise just before (above `ballot` only when a rule is switched off).
        promised: Option<Ballot>,
    },
    /// A Commit reached an acceptor; it notes the chosen value.
    NotedCommit {
        /// The value.
        value: Value,
    },

    // ---- learner ---------------------------------------------------------------------------
    /// A vote counted towards a quorum for one (ballot, value), not yet reached.
    Tallied {
        /// The ballot.
        ballot: Ballot,
        /// The value.
        value: Value,
        /// Votes for it so far.
        have: u8,
        /// Votes needed.
        need: u8,
    },
    /// The learner now knows the outcome, and tells every client.
    Learned {
        /// The value.
        value: Value,
        /// How it found out.
        via: Via,
    },

    // ---- any role --------------------------------------------------------------------------
    /// Nothing changed, for this reason.
    Ignored {
        /// Why.
        why: Why,
    },
    /// A Multi-Paxos decision (the `multi` mode); its own `type` names tell it apart.
    #[serde(untagged)]
    Log(LogDecision),
}

/// Where a proposer's Phase 2 value came from (*Paxos Made Simple* P2c).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Source {
    /// The highest-numbered proposal reported in the quorum's promises.
    Adopted {
        /// That proposal.
        proposal: Proposal,
        /// The acceptors in the quorum that reported it (bit i is A(i+1)).
        reporters: u16,
    },
    /// No promise reported a vote, so the client's value is free to propose.
    OwnValue,
    /// A vote was reported but the P2c rule is switched off: the client's value regardless.
    IgnoredReported {
        /// The proposal that should have been adopted.
        proposal: Proposal,
    },
}

/// What ended a ballot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cause {
    /// A Nack named a higher promise.
    Nack {
        /// The acceptor.
        from: NodeId,
        /// Its promise.
        promised: Ballot,
    },
    /// The timer fired (or a user said time out).
    Timeout,
    /// The random back-off after a refusal is over.
    BackoffOver,
}

impl Source {
    /// The value proposed, given the proposer's own (its client's) value.
    pub fn value(&self, own: Value) -> Value {
        match self {
            Source::Adopted { proposal, .. } => proposal.value,
            Source::OwnValue | Source::IgnoredReported { .. } => own,
        }
    }
}

/// How a learner found out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Via {
    /// It counted a quorum of votes for one (ballot, value).
    Votes {
        /// The ballot.
        ballot: Ballot,
        /// Votes counted.
        have: u8,
    },
    /// A proposer's Commit told it.
    Commit {
        /// The proposer.
        from: NodeId,
    },
}

/// Why a node changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Why {
    /// A Prepare for the ballot already promised: a Promise was sent for it once, and Phase 1b
    /// answers only a ballot greater than every ballot promised (`Paxos.tla`: `m.bal > maxBal`).
    AlreadyPromised {
        /// The ballot.
        ballot: Ballot,
    },
    /// A late Prepare for a ballot the acceptor already voted in.
    AlreadyVotedIn {
        /// The ballot.
        ballot: Ballot,
    },
    /// A reply about a ballot or phase the proposer has moved past.
    MovedOn {
        /// What arrived.
        kind: Kind,
        /// The ballot it was about.
        ballot: Ballot,
        /// The proposer's ballot now.
        current: Option<Ballot>,
        /// The proposer's phase now.
        phase: Phase,
    },
    /// The same acceptor's promise or vote for this ballot was already counted.
    AlreadyCounted {
        /// Promise or Accepted.
        kind: Kind,
        /// The acceptor.
        from: NodeId,
        /// The ballot.
        ballot: Ballot,
    },
    /// The learner already knows the outcome.
    AlreadyLearned {
        /// What it knows.
        value: Value,
    },
    /// A quorum promised, but the proposer has no value to propose (it restarted and forgot it).
    NoValue {
        /// The ballot.
        ballot: Ballot,
    },
    /// The timer fired with no ballot in progress.
    NothingToRetry,
    /// A message this role never handles.
    NotForRole {
        /// What arrived.
        kind: Kind,
    },
}

impl Decision {
    /// The Paxos phase a decision moves its node into, if it starts one: 1 for a new ballot,
    /// 2 for an Accept, 3 for a commit.
    pub fn enters_phase(&self) -> Option<u8> {
        match self {
            Decision::Began { .. } | Decision::Retry { .. } => Some(1),
            Decision::QuorumOfPromises { .. } => Some(2),
            Decision::QuorumOfVotes { .. } => Some(3),
            Decision::Log(d) => d.enters_phase(),
            Decision::Asked { .. }
            | Decision::Heard { .. }
            | Decision::Queued { .. }
            | Decision::RepliedAtOnce { .. }
            | Decision::PromiseCounted { .. }
            | Decision::VoteCounted { .. }
            | Decision::BackingOff { .. }
            | Decision::Promised { .. }
            | Decision::Refused { .. }
            | Decision::Voted { .. }
            | Decision::NotedCommit { .. }
            | Decision::Tallied { .. }
            | Decision::Learned { .. }
            | Decision::Ignored { .. } => None,
        }
    }

    /// The ballot a decision started, if it started one.
    pub fn started(&self) -> Option<Ballot> {
        match *self {
            Decision::Began { ballot, .. } | Decision::Retry { ballot, .. } => Some(ballot),
            Decision::Log(LogDecision::Campaign { ballot, .. }) => Some(ballot),
            Decision::Log(_) => None,
            Decision::Asked { .. }
            | Decision::Heard { .. }
            | Decision::Queued { .. }
            | Decision::RepliedAtOnce { .. }
            | Decision::PromiseCounted { .. }
            | Decision::QuorumOfPromises { .. }
            | Decision::VoteCounted { .. }
            | Decision::QuorumOfVotes { .. }
            | Decision::BackingOff { .. }
            | Decision::Promised { .. }
            | Decision::Refused { .. }
            | Decision::Voted { .. }
            | Decision::NotedCommit { .. }
            | Decision::Tallied { .. }
            | Decision::Learned { .. }
            | Decision::Ignored { .. } => None,
        }
    }

    /// The ballot a decision committed in (Phase 3), if it committed.
    pub fn committed(&self) -> Option<Ballot> {
        if let Decision::QuorumOfVotes { ballot, .. } | Decision::Log(LogDecision::SlotChosen { ballot, .. }) = *self {
            Some(ballot)
        } else {
            None
        }
    }
}
