//! Carrying out what a handler recorded, and letting the oracle see it: the decision becomes an
//! event, sends go on the wire, timers are set, and what a node learned is announced. The oracle
//! reads decisions (a vote, a ballot started, a value committed) rather than message contents.

use super::{timer_index, World};
use crate::paxos::{Ballot, Decision, NodeId, Out, Outbox, Role};
use crate::sim::command::Event;

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

    /// Lets the oracle see each decision that matters to safety.
    fn audit(&mut self, node: NodeId, d: &Decision) {
        match *d {
            Decision::Began { ballot, .. } | Decision::Retry { ballot, .. } => {
                self.oracle.on_ballot_start(node, ballot);
                self.oracle.on_ballot_use(node, ballot, None);
            }
            Decision::QuorumOfPromises { ballot, own, source, .. } => {
                self.oracle.on_ballot_use(node, ballot, Some(source.value(own)))
            }
            Decision::Voted { ballot, value, promised } => {
                let majority = self.majority();
                self.oracle.on_vote(node, ballot, value, promised, majority);
            }
            Decision::QuorumOfVotes { value, .. } => self.oracle.on_outcome(node, "committed", value),
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
