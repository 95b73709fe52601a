//! The client: Phase 0. It asks the proposer it believes leads, and waits to hear the outcome.

use super::decision::{Decision, Why};
use super::msg::Msg;
use super::outbox::Outbox;
use super::types::{NodeId, Value};
use serde::{Deserialize, Serialize};

/// One client's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Client {
    /// The proposer it believes is the leader. Kept across a crash, like a configured address.
    pub leader: NodeId,
    /// Volatile: the value it last asked for.
    pub requested: Option<Value>,
    /// Volatile: the chosen value, once a proposer or learner told it.
    pub outcome: Option<Value>,
}

impl Client {
    /// A client that believes `leader` leads.
    pub fn new(leader: NodeId) -> Self {
        Client { leader, requested: None, outcome: None }
    }

    /// The single entry point: a message from `from` arrives.
    pub fn handle(&mut self, from: NodeId, msg: Msg, out: &mut Outbox) {
        match msg {
            Msg::Reply { value } | Msg::Announce { value } => self.on_outcome(from, value, out),
            Msg::Request { .. }
            | Msg::Prepare { .. }
            | Msg::Promise { .. }
            | Msg::Nack { .. }
            | Msg::Accept { .. }
            | Msg::Accepted { .. }
            | Msg::Commit { .. }
            | Msg::Log(_) => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// Phase 0: send the request to the believed leader.
    pub fn request(&mut self, value: Value, out: &mut Outbox) {
        self.requested = Some(value);
        out.decide(Decision::Asked { value, leader: self.leader });
        out.send(self.leader, Msg::Request { value });
    }

    /// A Reply from a proposer or an Announce from a learner. The first outcome is kept.
    pub fn on_outcome(&mut self, from: NodeId, value: Value, out: &mut Outbox) {
        let first = self.outcome.is_none();
        out.decide(Decision::Heard { value, from, first, asked: self.requested.is_some() });
        if first {
            self.outcome = Some(value);
            out.learned(value);
        }
    }

    /// A crash forgets the request and the outcome.
    pub fn crash(&mut self) {
        self.requested = None;
        self.outcome = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::outbox::Out;

    #[test]
    fn phase0_request_goes_to_the_believed_leader() {
        let mut c = Client::new(NodeId::proposer(1));
        let mut out = Outbox::default();
        let y = Value::new("Y").unwrap();
        c.request(y, &mut out);
        assert_eq!(out.items, vec![Out::Send { to: NodeId::proposer(1), msg: Msg::Request { value: y } }]);
        assert_eq!(c.requested, Some(y));
    }

    #[test]
    fn the_first_outcome_is_kept() {
        let mut c = Client::new(NodeId::proposer(0));
        let mut out = Outbox::default();
        let x = Value::new("X").unwrap();
        c.on_outcome(NodeId::learner(0), x, &mut out);
        c.on_outcome(NodeId::learner(0), x, &mut out);
        assert_eq!(c.outcome, Some(x));
        assert_eq!(out.items, vec![Out::Learned(x)]);
    }
}
