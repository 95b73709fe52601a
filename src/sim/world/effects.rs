//! Carrying out what a handler recorded, and letting the oracle see it: the decision becomes an
//! event, sends go on the wire, timers are set, and what a node learned is announced. The oracle
//! reads decisions (a vote, a ballot started, a value committed) rather than message contents.

use super::{timer_index, World};
use crate::paxos::{Ballot, Decision, NodeId, Out, Outbox, Role};
use crate::sim::command::{Event, Invariant};

impl World {
    pub(super) fn take_scratch(&mut self) -> Outbox {
        std::mem::take(&mut self.scratch)
    }

    /// What the oracle watches across a handler call: an acceptor's promise, which must never go
    /// down, whatever the call was.
    pub(super) fn watch(&self, node: NodeId) -> Option<Ballot> {
        match node.role {
            Role::Acceptor => self.promise_of(node),
            Role::Client | Role::Proposer | Role::Learner => None,
        }
    }

    pub(super) fn observe(&mut self, node: NodeId, before: Option<Ballot>, why: &str) {
        if node.role == Role::Acceptor {
            let after = self.promise_of(node);
            self.oracle.on_promise_change(node, before, after, why);
        }
    }

    /// Carries out what a handler recorded: its decision, then sends (so a delivery is followed
    /// by its reactions), then what the node learned.
    pub(super) fn effects(&mut self, node: NodeId, mut out: Outbox, ev: &mut Vec<Event>) {
        if let Some(decision) = out.decision.take() {
            self.audit(node, &decision);
            ev.push(Event::Decided { node, decision });
        }
        for item in &out.items {
            match *item {
                Out::Send { to, msg } => {
                    let m = self.put_on_wire(node, to, msg);
                    ev.push(Event::Sent { id: m.id, from: node, to, msg, at: m.sent_at, due: m.due });
                }
                Out::SetTimer(kind) => self.set_timer(node, kind),
                Out::CancelTimer => self.timers[timer_index(node)] = None,
                Out::Learned(_) | Out::Applied(..) => {}
            }
        }
        for item in &out.items {
            match *item {
                Out::Learned(value) => {
                    ev.push(Event::Learned { node, value });
                    self.oracle.on_outcome(node, "learned", value);
                }
                Out::Applied(slot, value) => {
                    ev.push(Event::Applied { node, slot, value });
                    self.oracle.on_apply(node, slot, value);
                }
                Out::Send { .. } | Out::SetTimer(_) | Out::CancelTimer => {}
            }
        }
        out.items.clear();
        self.scratch = out;
    }

    /// A quorum smaller than a majority (only with the minority-quorum switch) breaks the rule
    /// that any two quorums share an acceptor.
    pub(super) fn check_quorum(&mut self, node: NodeId, ballot: Ballot, have: u8, what: &str) {
        let majority = self.majority();
        if have < majority {
            let detail = format!(
                "{node} had {have} of {} acceptors' {what} in ballot {ballot}: a majority is {majority}, so two quorums need not share an acceptor.",
                self.cfg.acceptors
            );
            self.oracle.violate(Invariant::QuorumIsMajority, detail);
        }
    }

    /// Lets the oracle see each decision that matters to safety.
    fn audit(&mut self, node: NodeId, d: &Decision) {
        match *d {
            Decision::Began { ballot, .. } | Decision::Retry { ballot, .. } => {
                self.oracle.on_ballot_start(node, ballot);
                self.oracle.on_ballot_use(node, ballot, None);
            }
            Decision::QuorumOfPromises { ballot, own, source, have } => {
                self.oracle.on_ballot_use(node, ballot, Some(source.value(own)));
                if let crate::paxos::Source::IgnoredReported { proposal } = source {
                    let detail = format!(
                        "{node} proposes its own {own} in ballot {ballot}, though its quorum reported {} accepted in ballot {}: it had to propose that value (P2c).",
                        proposal.value, proposal.ballot
                    );
                    self.oracle.violate(Invariant::AdoptsReportedValue, detail);
                }
                self.check_quorum(node, ballot, have, "promises, so it went on to Phase 2");
            }
            Decision::Voted { ballot, value, promised } => {
                let majority = self.majority();
                self.oracle.on_vote(node, ballot, value, promised, majority);
            }
            Decision::QuorumOfVotes { value, have, ballot } => {
                self.check_quorum(node, ballot, have, "votes, so it counted its value chosen");
                self.oracle.on_outcome(node, "committed", value);
            }
            Decision::RepliedAtOnce { value, .. } => self.oracle.on_outcome(node, "replied", value),
            Decision::Log(d) => self.audit_log(node, &d),
            // Learned values are checked as they are announced, below; the rest change nothing
            // the oracle checks.
            Decision::Asked { .. }
            | Decision::Heard { .. }
            | Decision::Queued { .. }
            | Decision::PromiseCounted { .. }
            | Decision::VoteCounted { .. }
            | Decision::BackingOff { .. }
            | Decision::Promised { .. }
            | Decision::Refused { .. }
            | Decision::NotedCommit { .. }
            | Decision::Tallied { .. }
            | Decision::Learned { .. }
            | Decision::Ignored { .. } => {}
        }
    }
}
