//! The messages nodes send each other, named as in the paper, with the phase in each doc line.

use super::multi::LogMsg;
use super::types::{Ballot, Proposal, Value};
use serde::{Deserialize, Serialize};

/// One message on the wire. Every variant is `Copy`: values are stored inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Msg {
    /// Phase 0: a client asks the proposer it believes leads to get `value` chosen.
    Request {
        /// The value the client wants.
        value: Value,
    },
    /// Phase 1a: "promise me you will ignore every ballot below `ballot`".
    Prepare {
        /// The proposer's new ballot.
        ballot: Ballot,
    },
    /// Phase 1b: the promise, carrying the highest-ballot proposal this acceptor already accepted.
    Promise {
        /// The ballot promised.
        ballot: Ballot,
        /// What the acceptor accepted before, if anything.
        accepted: Option<Proposal>,
    },
    /// A refusal (optional in the paper): `ballot` is below what the acceptor `promised`.
    Nack {
        /// The ballot refused.
        ballot: Ballot,
        /// The higher ballot the acceptor already promised.
        promised: Ballot,
    },
    /// Phase 2a: "accept `value` in `ballot`".
    Accept {
        /// The proposer's ballot.
        ballot: Ballot,
        /// The value it must propose (adopted or its client's).
        value: Value,
    },
    /// Phase 2b: the acceptor's vote, sent to the proposer and every learner.
    Accepted {
        /// The ballot accepted.
        ballot: Ballot,
        /// The value accepted.
        value: Value,
    },
    /// Phase 3: the proposer saw a majority of votes and tells acceptors and learners.
    Commit {
        /// The ballot that won.
        ballot: Ballot,
        /// The chosen value.
        value: Value,
    },
    /// Phase 3: the proposer tells a client which value was chosen.
    Reply {
        /// The chosen value.
        value: Value,
    },
    /// Phase 3: a learner tells a client which value it learned.
    Announce {
        /// The learned value.
        value: Value,
    },
    /// A Multi-Paxos message (the `multi` mode); its own `type` names tell it apart.
    #[serde(untagged)]
    Log(LogMsg),
}

/// The kind of a message, in phase order: legends, counters, colours and scripts use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Phase 0.
    Request,
    /// Phase 1a.
    Prepare,
    /// Phase 1b.
    Promise,
    /// A refusal.
    Nack,
    /// Phase 2a.
    Accept,
    /// Phase 2b.
    Accepted,
    /// Phase 3, to acceptors and learners.
    Commit,
    /// Phase 3, proposer to client.
    Reply,
    /// Phase 3, learner to client.
    Announce,
    /// Multi-Paxos: a follower names the leader to a client.
    Redirect,
}

impl Kind {
    /// Every kind, in phase order.
    pub const ALL: [Kind; 10] = [
        Kind::Request,
        Kind::Prepare,
        Kind::Promise,
        Kind::Nack,
        Kind::Accept,
        Kind::Accepted,
        Kind::Commit,
        Kind::Reply,
        Kind::Announce,
        Kind::Redirect,
    ];

    /// The name used in traces, CSS classes and `data-type` attributes.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Prepare => "prepare",
            Kind::Promise => "promise",
            Kind::Nack => "nack",
            Kind::Accept => "accept",
            Kind::Accepted => "accepted",
            Kind::Commit => "commit",
            Kind::Reply => "reply",
            Kind::Announce => "announce",
            Kind::Redirect => "redirect",
        }
    }

    /// Position in [`Kind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind's name as written on a token (`Prepare`, `Learned`).
    pub fn title(self) -> &'static str {
        match self {
            Kind::Request => "Request",
            Kind::Prepare => "Prepare",
            Kind::Promise => "Promise",
            Kind::Nack => "Nack",
            Kind::Accept => "Accept",
            Kind::Accepted => "Accepted",
            Kind::Commit => "Commit",
            Kind::Reply => "Reply",
            Kind::Announce => "Learned",
            Kind::Redirect => "Redirect",
        }
    }
}

impl Msg {
    /// The message's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Msg::Request { .. } => Kind::Request,
            Msg::Prepare { .. } => Kind::Prepare,
            Msg::Promise { .. } => Kind::Promise,
            Msg::Nack { .. } => Kind::Nack,
            Msg::Accept { .. } => Kind::Accept,
            Msg::Accepted { .. } => Kind::Accepted,
            Msg::Commit { .. } => Kind::Commit,
            Msg::Reply { .. } => Kind::Reply,
            Msg::Announce { .. } => Kind::Announce,
            Msg::Log(m) => m.kind(),
        }
    }

    /// The ballot the message is about, if it has one.
    pub fn ballot(&self) -> Option<Ballot> {
        match *self {
            Msg::Prepare { ballot }
            | Msg::Promise { ballot, .. }
            | Msg::Nack { ballot, .. }
            | Msg::Accept { ballot, .. }
            | Msg::Accepted { ballot, .. }
            | Msg::Commit { ballot, .. } => Some(ballot),
            Msg::Log(m) => m.ballot(),
            Msg::Request { .. } | Msg::Reply { .. } | Msg::Announce { .. } => None,
        }
    }

    /// The slot of the log it is about (Multi-Paxos messages about one slot only).
    pub fn slot(&self) -> Option<u8> {
        match self {
            Msg::Log(m) => m.slot(),
            _ => None,
        }
    }

    /// The Paxos phase the message belongs to (0 to 3).
    pub fn phase(&self) -> u8 {
        match self {
            Msg::Request { .. } => 0,
            Msg::Prepare { .. } | Msg::Promise { .. } => 1,
            Msg::Nack { .. } | Msg::Accept { .. } | Msg::Accepted { .. } => 2,
            Msg::Commit { .. } | Msg::Reply { .. } | Msg::Announce { .. } => 3,
            Msg::Log(m) => match m.kind() {
                Kind::Request | Kind::Redirect => 0,
                Kind::Prepare | Kind::Promise => 1,
                Kind::Nack | Kind::Accept | Kind::Accepted => 2,
                Kind::Commit | Kind::Reply | Kind::Announce => 3,
            },
        }
    }

    /// A short label for a token on screen, e.g. `Promise 2.1 (1.1,"X")` or `Nack 2.1 < 3.2`.
    pub fn label(&self) -> String {
        match self {
            Msg::Request { value } => format!("Request {value}"),
            Msg::Prepare { ballot } => format!("Prepare {ballot}"),
            Msg::Promise { ballot, accepted: None } => format!("Promise {ballot}"),
            Msg::Promise { ballot, accepted: Some(p) } => {
                format!("Promise {ballot} ({},{})", p.ballot, p.value)
            }
            Msg::Nack { ballot, promised } => format!("Nack {ballot} < {promised}"),
            Msg::Accept { ballot, value } => format!("Accept {ballot} {value}"),
            Msg::Accepted { ballot, value } => format!("Accepted {ballot} {value}"),
            Msg::Commit { ballot, value } => format!("Commit {ballot} {value}"),
            Msg::Reply { value } => format!("Reply {value}"),
            Msg::Announce { value } => format!("Learned {value}"),
            Msg::Log(m) => m.label(),
        }
    }
}
