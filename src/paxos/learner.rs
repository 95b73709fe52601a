//! The learner: it counts votes. A majority of acceptors voting for one value in one ballot
//! means that value is chosen; a Commit from a proposer says the same thing.

use super::decision::{Decision, Via, Why};
use super::msg::{Kind, Msg};
use super::outbox::{Ctx, Outbox};
use super::types::{Ballot, NodeId, Value};
use serde::{Deserialize, Serialize};

/// Votes seen for one (ballot, value): bit i is acceptor A(i+1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tally {
    /// The ballot voted in.
    pub ballot: Ballot,
    /// The value voted for.
    pub value: Value,
    /// Which acceptors voted.
    pub voters: u16,
}

/// One learner's state. All of it is volatile: a restarted learner simply learns again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Learner {
    /// Votes per (ballot, value), in arrival order.
    pub tallies: Vec<Tally>,
    /// The value learned, once known.
    pub learned: Option<Value>,
}

impl Learner {
    /// The single entry point: a message from `from` arrives.
    pub fn handle(&mut self, from: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        match msg {
            Msg::Accepted { ballot, value } => self.on_accepted(from, ballot, value, ctx, out),
            Msg::Commit { value, .. } => self.on_commit(from, value, ctx, out),
            Msg::Request { .. }
            | Msg::Prepare { .. }
            | Msg::Promise { .. }
            | Msg::Nack { .. }
            | Msg::Accept { .. }
            | Msg::Reply { .. }
            | Msg::Announce { .. }
            | Msg::Log(_) => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// A Phase 2b vote. A quorum for the same (ballot, value) means it is chosen.
    pub fn on_accepted(&mut self, from: NodeId, ballot: Ballot, value: Value, ctx: &Ctx, out: &mut Outbox) {
        if let Some(known) = self.learned {
            return out.decide(Decision::Ignored { why: Why::AlreadyLearned { value: known } });
        }
        let pos = match self.tallies.iter().position(|t| t.ballot == ballot && t.value == value) {
            Some(p) => p,
            None => {
                self.tallies.push(Tally { ballot, value, voters: 0 });
                self.tallies.len() - 1
            }
        };
        let t = &mut self.tallies[pos];
        if t.voters & (1 << from.index) != 0 {
            return out.decide(Decision::Ignored { why: Why::AlreadyCounted { kind: Kind::Accepted, from, ballot } });
        }
        t.voters |= 1 << from.index;
        let (have, need) = (t.voters.count_ones() as u8, ctx.quorum);
        if have >= need {
            self.learn(value, Via::Votes { ballot, have }, ctx, out);
        } else {
            out.decide(Decision::Tallied { ballot, value, have, need });
        }
    }

    /// Phase 3: a proposer's Commit.
    pub fn on_commit(&mut self, from: NodeId, value: Value, ctx: &Ctx, out: &mut Outbox) {
        match self.learned {
            Some(known) => out.decide(Decision::Ignored { why: Why::AlreadyLearned { value: known } }),
            None => self.learn(value, Via::Commit { from }, ctx, out),
        }
    }

    fn learn(&mut self, value: Value, via: Via, ctx: &Ctx, out: &mut Outbox) {
        self.learned = Some(value);
        out.decide(Decision::Learned { value, via });
        out.learned(value);
        out.to_clients(ctx, Msg::Announce { value });
    }

    /// A crash forgets everything; learners keep nothing on disk.
    pub fn crash(&mut self) {
        *self = Learner::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::outbox::Out;

    fn ctx() -> Ctx {
        crate::paxos::outbox::test_ctx()
    }
    fn x() -> Value {
        Value::new("X").unwrap()
    }

    #[test]
    fn learns_from_a_majority_of_votes_in_one_ballot_and_announces() {
        let mut l = Learner::default();
        let mut out = Outbox::default();
        l.on_accepted(NodeId::acceptor(0), Ballot::new(1, 0), x(), &ctx(), &mut out);
        assert_eq!(l.learned, None);
        l.on_accepted(NodeId::acceptor(2), Ballot::new(1, 0), x(), &ctx(), &mut out);
        assert_eq!(l.learned, Some(x()));
        let ann = Msg::Announce { value: x() };
        assert_eq!(
            out.items,
            vec![
                Out::Learned(x()),
                Out::Send { to: NodeId::client(0), msg: ann },
                Out::Send { to: NodeId::client(1), msg: ann }
            ]
        );
    }

    #[test]
    fn votes_in_different_ballots_do_not_add_up() {
        let mut l = Learner::default();
        let mut out = Outbox::default();
        l.on_accepted(NodeId::acceptor(0), Ballot::new(1, 0), x(), &ctx(), &mut out);
        l.on_accepted(NodeId::acceptor(1), Ballot::new(2, 1), x(), &ctx(), &mut out);
        assert_eq!(l.learned, None);
        assert!(out.items.is_empty());
    }

    #[test]
    fn a_duplicate_vote_counts_once() {
        let mut l = Learner::default();
        let mut out = Outbox::default();
        l.on_accepted(NodeId::acceptor(0), Ballot::new(1, 0), x(), &ctx(), &mut out);
        l.on_accepted(NodeId::acceptor(0), Ballot::new(1, 0), x(), &ctx(), &mut out);
        assert_eq!(l.learned, None);
    }

    #[test]
    fn learns_from_a_commit_once() {
        let mut l = Learner::default();
        let mut out = Outbox::default();
        l.on_commit(NodeId::proposer(0), x(), &ctx(), &mut out);
        l.on_commit(NodeId::proposer(0), x(), &ctx(), &mut out);
        assert_eq!(l.learned, Some(x()));
        assert_eq!(out.items.iter().filter(|o| matches!(o, Out::Learned(_))).count(), 1);
    }
}
