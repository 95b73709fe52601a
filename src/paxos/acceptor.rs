//! The acceptor: the memory of Paxos. Its promise and its vote are written to disk before it
//! answers, which is why they survive a crash (and why amnesia is unsafe).

use super::decision::{Decision, Why};
use super::msg::{Kind, Msg};
use super::outbox::{Ctx, Outbox};
use super::planted::{planted, Bug};
use super::rulebook::Switch;
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
    /// The single entry point: a message from `from` arrives.
    pub fn handle(&mut self, from: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        match msg {
            Msg::Prepare { ballot } => self.on_prepare(from, ballot, ctx, out),
            Msg::Accept { ballot, value } => self.on_accept(from, ballot, value, ctx, out),
            Msg::Commit { value, .. } => self.on_commit(value, out),
            Msg::Request { .. }
            | Msg::Promise { .. }
            | Msg::Nack { .. }
            | Msg::Accepted { .. }
            | Msg::Reply { .. }
            | Msg::Announce { .. }
            | Msg::Log(_) => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// Phase 1b. Promise `ballot` only if it is greater than every ballot promised, reporting the
    /// last vote (*Paxos Made Simple* §2.2: "respond with a promise not to accept any more
    /// proposals numbered less than n and with the highest-numbered proposal (if any) that it has
    /// accepted"). A Prepare for the ballot already promised gets no second Promise: `Paxos.tla`'s
    /// Phase1b requires `m.bal > maxBal`, and accepting a ballot raises `maxBal` to it.
    pub fn on_prepare(&mut self, from: NodeId, ballot: Ballot, ctx: &Ctx, out: &mut Outbox) {
        match self.promised {
            Some(p) if ballot == p => {
                let why = if self.accepted.is_some_and(|a| a.ballot == ballot) {
                    Why::AlreadyVotedIn { ballot }
                } else {
                    Why::AlreadyPromised { ballot }
                };
                out.decide(Decision::Ignored { why });
            }
            Some(promised) if ballot < promised => self.refuse(from, Kind::Prepare, ballot, promised, ctx, out),
            previous => {
                self.promised = Some(ballot);
                let reported = if planted(Bug::PromiseWithoutVote) { None } else { self.accepted };
                out.decide(Decision::Promised { ballot, previous, reported });
                out.send(from, Msg::Promise { ballot, accepted: reported });
            }
        }
    }

    /// Phase 2b. Accept when `ballot` is at least the promise (P1a), then tell the proposer and
    /// every learner. The rule-breaking switch `accept_below_promise` skips the check.
    pub fn on_accept(&mut self, from: NodeId, ballot: Ballot, value: Value, ctx: &Ctx, out: &mut Outbox) {
        let promised = self.promised;
        match promised {
            Some(p) if ballot < p && !ctx.off(Switch::AcceptBelowPromise) => {
                self.refuse(from, Kind::Accept, ballot, p, ctx, out)
            }
            _ => {
                // Accepting is also a promise for this ballot; never let the promise go down.
                self.promised = promised.max(Some(ballot));
                self.accepted = Some(Proposal { ballot, value });
                out.decide(Decision::Voted { ballot, value, promised });
                let msg = Msg::Accepted { ballot, value };
                out.send(from, msg);
                out.to_learners(ctx, msg);
            }
        }
    }

    fn refuse(&self, from: NodeId, kind: Kind, ballot: Ballot, promised: Ballot, ctx: &Ctx, out: &mut Outbox) {
        out.decide(Decision::Refused { kind, ballot, promised, nack: ctx.nacks });
        if ctx.nacks {
            out.send(from, Msg::Nack { ballot, promised });
        }
    }

    /// Phase 3. Note the chosen value; nothing else depends on it.
    pub fn on_commit(&mut self, value: Value, out: &mut Outbox) {
        self.committed = Some(value);
        out.decide(Decision::NotedCommit { value });
    }

    /// A crash loses volatile state only.
    pub fn crash(&mut self) {
        self.committed = None;
        if planted(Bug::ForgetVoteOnCrash) {
            self.accepted = None;
        }
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
    use crate::paxos::outbox::Out;
    use crate::paxos::rulebook::Switches;

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
        let c = Ctx { switches: Switches::default().with(Switch::AcceptBelowPromise), ..ctx() };
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
    fn phase1b_a_second_prepare_for_the_promised_ballot_gets_no_new_promise() {
        // Paxos.tla, Phase1b: m.bal > maxBal. A duplicate Prepare is ignored.
        let mut a = Acceptor::default();
        let mut out = Outbox::default();
        a.on_prepare(P1, Ballot::new(1, 0), &ctx(), &mut out);
        let _ = out.take();
        a.on_prepare(P1, Ballot::new(1, 0), &ctx(), &mut out);
        assert!(sends(&out).is_empty());
        assert_eq!(out.decision, Some(Decision::Ignored { why: Why::AlreadyPromised { ballot: Ballot::new(1, 0) } }));
    }

    #[test]
    fn phase1b_a_late_prepare_for_a_ballot_already_voted_in_gets_no_promise() {
        // `simulate --seed 82 --steps 9` used to re-promise 1.1 after voting in it.
        let mut a = Acceptor::default();
        let mut out = Outbox::default();
        a.on_accept(P1, Ballot::new(1, 0), x(), &ctx(), &mut out);
        let _ = out.take();
        a.on_prepare(P1, Ballot::new(1, 0), &ctx(), &mut out);
        assert!(sends(&out).is_empty(), "no second promise for a ballot it voted in");
        assert_eq!(out.decision, Some(Decision::Ignored { why: Why::AlreadyVotedIn { ballot: Ballot::new(1, 0) } }));
        assert_eq!(a.promised, Some(Ballot::new(1, 0)));
    }

    #[test]
    fn phase2b_accepts_a_ballot_equal_to_its_promise() {
        let mut a = Acceptor { promised: Some(Ballot::new(2, 1)), ..Default::default() };
        let mut out = Outbox::default();
        a.on_accept(P2, Ballot::new(2, 1), x(), &ctx(), &mut out);
        assert!(matches!(out.decision, Some(Decision::Voted { .. })));
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
