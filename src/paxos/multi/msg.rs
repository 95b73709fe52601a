//! The messages of Multi-Paxos. Each names its slot, or the first slot of the log it is about.

use super::{slot_name, Cmd, Slot, Votes};
use crate::paxos::{Ballot, Kind, NodeId};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One Multi-Paxos message. Its `type` names never clash with single-decree ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LogMsg {
    /// Phase 0: a client asks for its command; `retry` after a timeout with its last leader.
    Submit {
        /// The command.
        value: Cmd,
        /// Sent after a timeout: the receiver should take over.
        retry: bool,
    },
    /// A follower tells a client which proposer it believes leads.
    Redirect {
        /// The command to send there.
        value: Cmd,
        /// The leader it believes in.
        leader: NodeId,
    },
    /// Phase 1a for every slot ≥ `from` at once.
    LogPrepare {
        /// The ballot.
        ballot: Ballot,
        /// The first slot.
        from: Slot,
    },
    /// Phase 1b: one promise for every slot ≥ `from`, with the acceptor's votes there.
    LogPromise {
        /// The ballot promised.
        ballot: Ballot,
        /// The first slot.
        from: Slot,
        /// Its votes in slots ≥ `from`.
        votes: Votes,
    },
    /// Phase 2a for one slot.
    LogAccept {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The command.
        value: Cmd,
    },
    /// Phase 2b for one slot.
    LogAccepted {
        /// The slot.
        slot: Slot,
        /// The ballot.
        ballot: Ballot,
        /// The command.
        value: Cmd,
    },
    /// Phase 3: the slot's command is chosen.
    LogCommit {
        /// The slot.
        slot: Slot,
        /// The ballot that chose it.
        ballot: Ballot,
        /// The command.
        value: Cmd,
    },
    /// The leader tells a client where its command landed.
    LogReply {
        /// The slot.
        slot: Slot,
        /// The command.
        value: Cmd,
    },
    /// A learner tells clients the entry it applied.
    LogAnnounce {
        /// The slot.
        slot: Slot,
        /// The command.
        value: Cmd,
    },
    /// A learner with a gap asks a proposer for the chosen slots ≥ `from`.
    CatchUp {
        /// Its first missing slot.
        from: Slot,
    },
}

fn slot_label(s: Slot) -> String {
    slot_name(s)
}

impl LogMsg {
    /// Its kind, for colours and counters (a catch-up is a request for entries).
    pub fn kind(&self) -> Kind {
        match self {
            LogMsg::Submit { .. } | LogMsg::CatchUp { .. } => Kind::Request,
            LogMsg::Redirect { .. } => Kind::Redirect,
            LogMsg::LogPrepare { .. } => Kind::Prepare,
            LogMsg::LogPromise { .. } => Kind::Promise,
            LogMsg::LogAccept { .. } => Kind::Accept,
            LogMsg::LogAccepted { .. } => Kind::Accepted,
            LogMsg::LogCommit { .. } => Kind::Commit,
            LogMsg::LogReply { .. } => Kind::Reply,
            LogMsg::LogAnnounce { .. } => Kind::Announce,
        }
    }

    /// The ballot it is about, if any.
    pub fn ballot(&self) -> Option<Ballot> {
        match *self {
            LogMsg::LogPrepare { ballot, .. }
            | LogMsg::LogPromise { ballot, .. }
            | LogMsg::LogAccept { ballot, .. }
            | LogMsg::LogAccepted { ballot, .. }
            | LogMsg::LogCommit { ballot, .. } => Some(ballot),
            LogMsg::Submit { .. }
            | LogMsg::Redirect { .. }
            | LogMsg::LogReply { .. }
            | LogMsg::LogAnnounce { .. }
            | LogMsg::CatchUp { .. } => None,
        }
    }

    /// The slot it is about, if it is about one.
    pub fn slot(&self) -> Option<Slot> {
        match *self {
            LogMsg::LogAccept { slot, .. }
            | LogMsg::LogAccepted { slot, .. }
            | LogMsg::LogCommit { slot, .. }
            | LogMsg::LogReply { slot, .. }
            | LogMsg::LogAnnounce { slot, .. } => Some(slot),
            LogMsg::Submit { .. }
            | LogMsg::Redirect { .. }
            | LogMsg::LogPrepare { .. }
            | LogMsg::LogPromise { .. }
            | LogMsg::CatchUp { .. } => None,
        }
    }

    /// Its label on a token: `Accept s3 2.1 "X2"`, `Promise 2.1 {s1: 1.1 "X1", s2: —}`.
    pub fn label(&self) -> String {
        match *self {
            LogMsg::Submit { value, retry } => format!("Request {value}{}", if retry { " (retry)" } else { "" }),
            LogMsg::Redirect { value, leader } => format!("Redirect {value} → {leader}"),
            LogMsg::LogPrepare { ballot, from } => format!("Prepare {ballot} ≥{}", slot_label(from)),
            LogMsg::LogPromise { ballot, from, votes } => format!("Promise {ballot} {}", votes_label(from, &votes)),
            LogMsg::LogAccept { slot, ballot, value } => format!("Accept {} {ballot} {value}", slot_label(slot)),
            LogMsg::LogAccepted { slot, ballot, value } => format!("Accepted {} {ballot} {value}", slot_label(slot)),
            LogMsg::LogCommit { slot, value, .. } => format!("Commit {} {value}", slot_label(slot)),
            LogMsg::LogReply { slot, value } => format!("Reply {} {value}", slot_label(slot)),
            LogMsg::LogAnnounce { slot, value } => format!("Learned {} {value}", slot_label(slot)),
            LogMsg::CatchUp { from } => format!("Catch up ≥{}", slot_label(from)),
        }
    }
}

/// `{s1: 1.1 "X1", s2: —}`: every slot from `from` to the highest vote, `—` where none.
pub fn votes_label(from: Slot, votes: &Votes) -> String {
    let mut s = String::from("{");
    let top = votes.highest().unwrap_or(from).max(from);
    for slot in from..=top {
        if slot > from {
            s.push_str(", ");
        }
        let _ = match votes.get(slot) {
            Some(v) => write!(s, "{}: {} {}", slot_label(slot), v.ballot, v.cmd),
            None => write!(s, "{}: —", slot_label(slot)),
        };
    }
    s.push('}');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::multi::Vote;

    #[test]
    fn tokens_name_their_slot() {
        let x2 = Cmd::new(0, 2).unwrap();
        assert_eq!(LogMsg::LogAccept { slot: 2, ballot: Ballot::new(2, 0), value: x2 }.label(), "Accept s3 2.1 \"X2\"");
        let mut votes = Votes::default();
        votes.set(0, Some(Vote { ballot: Ballot::new(1, 0), cmd: Cmd::new(0, 1).unwrap() }));
        votes.set(2, Some(Vote { ballot: Ballot::new(1, 0), cmd: Cmd::NOOP }));
        let p = LogMsg::LogPromise { ballot: Ballot::new(2, 0), from: 0, votes };
        assert_eq!(p.label(), "Promise 2.1 {s1: 1.1 \"X1\", s2: —, s3: 1.1 no-op}");
        assert_eq!(
            LogMsg::LogPromise { ballot: Ballot::new(2, 0), from: 1, votes: Votes::default() }.label(),
            "Promise 2.1 {s2: —}"
        );
    }
}
