//! The acceptor: the memory of Paxos. Its promise and its vote are written to disk before it
//! answers, which is why they survive a crash (and why amnesia is unsafe).

use super::msg::Msg;
use super::outbox::{Ctx, Outbox};
use super::types::{Ballot, NodeId, Proposal, Value};
use serde::{Deserialize, Serialize};

/// One acceptor's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Acceptor {
    /// Durable: the highest ballot it promised (P1a: it will ignore anything below).
    pub promised: Option<Ballot>,
    /// Durable: the proposal it last accepted.
    pub accepted: Option<Proposal>,
    /// Volatile: the value a Commit told it was chosen.
    pub committed: Option<Value>,
}

impl Acceptor {
    /// Does the promise allow `ballot`? Equal is allowed: a duplicate Prepare or Accept for the
    /// ballot already promised is answered again, which is harmless and keeps duplicates cheap.
    fn allows(&self, ballot: Ballot) -> bool {
        self.promised.is_none_or(|p| ballot >= p)
    }

    /// Phase 1b. Promise `ballot` if no higher ballot was promised, reporting the last vote
    /// (*Paxos Made Simple* §2.2: "respond with a promise not to accept any more proposals numbered
    /// less than n and with the highest-numbered proposal (if any) that it has accepted").
    pub fn on_prepare(&mut self, from: NodeId, ballot: Ballot, ctx: &Ctx, out: &mut Outbox) {
        if self.allows(ballot) {
            self.promised = Some(ballot);
            out.send(from, Msg::Promise { ballot, accepted: self.accepted });
        } else if let (true, Some(promised)) = (ctx.nacks, self.promised) {
            out.send(from, Msg::Nack { ballot, promised });
        }
    }

    /// Phase 2b. Accept unless a higher ballot was promised (P1a), then tell the proposer and
    /// every learner. The rule-breaking switch `accept_below_promise` skips the check.
    pub fn on_accept(&mut self, from: NodeId, ballot: Ballot, value: Value, ctx: &Ctx, out: &mut Outbox) {
        if self.allows(ballot) || ctx.unsafe_rules.accept_below_promise {
            // Accepting is also a promise for this ballot; never let the promise go down.
            self.promised = self.promised.max(Some(ballot));
            self.accepted = Some(Proposal { ballot, value });
            let msg = Msg::Accepted { ballot, value };
            out.send(from, msg);
            out.to_learners(ctx, msg);
        } else if let (true, Some(promised)) = (ctx.nacks, self.promised) {
            out.send(from, Msg::Nack { ballot, promised });
        }
    }

    /// Phase 3. Note the chosen value; nothing else depends on it.
    pub fn on_commit(&mut self, value: Value) {
        self.committed = Some(value);
    }

    /// A crash loses volatile state only.
    pub fn crash(&mut self) {
        self.committed = None;
    }

    /// A restart; with `amnesia` the disk is gone too, which is what makes it unsafe.
    pub fn restart(&mut self, amnesia: bool) {
        if amnesia {
            *self = Acceptor::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::outbox::{Out, UnsafeRules};

    fn ctx() -> Ctx {
        crate::paxos::outbox::test_ctx()
    }
    const P1: NodeId = NodeId::proposer(0);
    const P2: NodeId = NodeId::proposer(1);
    fn x() -> Value {
        Value::new("X").unwrap()
    }
    fn sends(out: &Outbox) -> Vec<(NodeId, Msg)> {
        out.items
            .iter()
            .filter_map(|o| match o {
                Out::Send { to, msg } => Some((*to, *msg)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn p1a_fresh_acceptor_promises_and_reports_no_vote() {
        let mut a = Acceptor::default();
        let mut out = Outbox::default();
        a.on_prepare(P1, Ballot::new(1, 0), &ctx(), &mut out);
        assert_eq!(a.promised, Some(Ballot::new(1, 0)));
        assert_eq!(sends(&out), vec![(P1, Msg::Promise { ballot: Ballot::new(1, 0), accepted: None })]);
    }

    #[test]
    fn p1b_promise_reports_the_last_accepted_proposal() {
        let prior = Proposal { ballot: Ballot::new(1, 0), value: x() };
        let mut a = Acceptor { promised: Some(Ballot::new(1, 0)), accepted: Some(prior), committed: None };
        let mut out = Outbox::default();
        a.on_prepare(P2, Ballot::new(2, 1), &ctx(), &mut out);
        assert_eq!(a.promised, Some(Ballot::new(2, 1)));
        assert_eq!(a.accepted, Some(prior));
        assert_eq!(sends(&out), vec![(P2, Msg::Promise { ballot: Ballot::new(2, 1), accepted: Some(prior) })]);
    }

    #[test]
    fn p1a_lower_prepare_is_refused_with_a_nack_and_changes_nothing() {
        let mut a = Acceptor { promised: Some(Ballot::new(2, 0)), ..Default::default() };
        let before = a;
        let mut out = Outbox::default();
        a.on_prepare(P2, Ballot::new(1, 1), &ctx(), &mut out);
        assert_eq!(a, before);
        assert_eq!(sends(&out), vec![(P2, Msg::Nack { ballot: Ballot::new(1, 1), promised: Ballot::new(2, 0) })]);
    }

    #[test]
    fn without_nacks_a_refusal_is_silent() {
        let mut a = Acceptor { promised: Some(Ballot::new(2, 0)), ..Default::default() };
        let mut out = Outbox::default();
        a.on_prepare(P2, Ballot::new(1, 1), &Ctx { nacks: false, ..ctx() }, &mut out);
        assert!(out.items.is_empty());
    }

    #[test]
    fn p2b_accept_at_the_promise_votes_and_tells_proposer_and_learners() {
        let mut a = Acceptor { promised: Some(Ballot::new(1, 0)), ..Default::default() };
        let mut out = Outbox::default();
        a.on_accept(P1, Ballot::new(1, 0), x(), &ctx(), &mut out);
        assert_eq!(a.accepted, Some(Proposal { ballot: Ballot::new(1, 0), value: x() }));
        let vote = Msg::Accepted { ballot: Ballot::new(1, 0), value: x() };
        assert_eq!(sends(&out), vec![(P1, vote), (NodeId::learner(0), vote)]);
    }

    #[test]
    fn p1a_accept_below_the_promise_is_refused() {
        let mut a = Acceptor { promised: Some(Ballot::new(2, 1)), ..Default::default() };
        let mut out = Outbox::default();
        a.on_accept(P1, Ballot::new(1, 0), x(), &ctx(), &mut out);
        assert_eq!(a.accepted, None);
        assert_eq!(sends(&out), vec![(P1, Msg::Nack { ballot: Ballot::new(1, 0), promised: Ballot::new(2, 1) })]);
    }

    #[test]
    fn unsafe_switch_accepts_below_the_promise_but_keeps_the_promise() {
        let mut a = Acceptor { promised: Some(Ballot::new(2, 1)), ..Default::default() };
        let mut out = Outbox::default();
        let c = Ctx { unsafe_rules: UnsafeRules { accept_below_promise: true, ..Default::default() }, ..ctx() };
        a.on_accept(P1, Ballot::new(1, 0), x(), &c, &mut out);
        assert_eq!(a.promised, Some(Ballot::new(2, 1)));
        assert_eq!(a.accepted.map(|p| p.ballot), Some(Ballot::new(1, 0)));
    }

    #[test]
    fn accept_without_prepare_raises_the_promise() {
        let mut a = Acceptor::default();
        let mut out = Outbox::default();
        a.on_accept(P1, Ballot::new(3, 0), x(), &ctx(), &mut out);
        assert_eq!(a.promised, Some(Ballot::new(3, 0)));
    }

    #[test]
    fn durable_fields_survive_a_crash_and_amnesia_wipes_them() {
        let prior = Proposal { ballot: Ballot::new(1, 0), value: x() };
        let mut a = Acceptor { promised: Some(Ballot::new(2, 1)), accepted: Some(prior), committed: Some(x()) };
        a.crash();
        a.restart(false);
        assert_eq!(a, Acceptor { promised: Some(Ballot::new(2, 1)), accepted: Some(prior), committed: None });
        a.crash();
        a.restart(true);
        assert_eq!(a, Acceptor::default());
    }
}
