//! The world's Multi-Paxos side: which commands are enabled, and what the oracle sees of each
//! log decision. Everything else (the network, timers, crashes) is shared with single-decree mode.

use super::World;
use crate::paxos::multi::{Cmd, LogDecision};
use crate::paxos::{Ballot, NodeId, Role, Value};
use crate::sim::command::Command;

impl World {
    /// An acceptor's promise, in either mode (what the oracle watches).
    pub(super) fn promise_of(&self, node: NodeId) -> Option<Ballot> {
        match self.log() {
            Some(log) => log.acceptors[node.index as usize].promised,
            None => self.acceptors()[node.index as usize].promised,
        }
    }

    /// The request a client makes next: its default value, or in Multi-Paxos its next command.
    pub fn next_request(&self, client: NodeId) -> Command {
        let value = match self.log() {
            Some(log) => log.clients.get(client.index as usize).and_then(|c| c.next()).and_then(Cmd::value),
            None => None,
        };
        Command::Request { client, value: value.unwrap_or_else(|| super::default_value(client.index)) }
    }

    /// A client now believes `leader` leads.
    pub(super) fn set_leader(&mut self, client: NodeId, leader: NodeId) {
        let i = client.index as usize;
        match &mut self.nodes.log {
            Some(log) => log.clients[i].leader = leader,
            None => self.nodes.clients[i].leader = leader,
        }
    }

    /// The leader a client believes in, in either mode.
    pub fn client_leader(&self, client: NodeId) -> NodeId {
        let i = client.index as usize;
        match self.log() {
            Some(log) => log.clients[i].leader,
            None => self.clients()[i].leader,
        }
    }

    /// Multi-Paxos: a client may ask only for the next command of its stream.
    pub(super) fn check_log_request(&self, client: NodeId, value: Value) -> Result<(), String> {
        let Some(log) = self.log() else { return Ok(()) };
        let c = &log.clients[client.index as usize];
        match c.next() {
            Some(next) if next.value() == Some(value) => Ok(()),
            Some(next) => {
                Err(format!("In multi mode {client} sends its commands in order: its next one is {next}, not {value}."))
            }
            None => Err(format!("{client} has sent all the commands it can.")),
        }
    }

    /// Multi-Paxos: a timeout needs something to retry.
    pub(super) fn check_log_timeout(&self, node: NodeId) -> Result<(), String> {
        let Some(log) = self.log() else { return Ok(()) };
        let i = node.index as usize;
        match node.role {
            Role::Client if log.clients[i].unanswered().is_none() => {
                Err(format!("{node} has no unanswered command, so there is nothing to retry."))
            }
            Role::Proposer if !log.proposers[i].stuck() => {
                Err(format!("{node} has no Phase 1 and no slot in progress, so there is nothing to time out."))
            }
            _ => Ok(()),
        }
    }

    /// A new leader must re-propose, in each slot, the highest-ballot vote its quorum reported
    /// there (P2c, per slot); a command or no-op put over such a vote breaks that rule.
    fn check_recovered(&mut self, node: NodeId, slot: crate::paxos::multi::Slot, ballot: crate::paxos::Ballot) {
        let Some(p) = self.log().map(|l| &l.proposers[node.index as usize]) else { return };
        let (Some(vote), Some(put)) = (p.reported.get(slot), p.log.get(slot as usize).copied().flatten()) else {
            return;
        };
        if vote.cmd != put {
            let detail = format!(
                "{node} puts {put} in slot {} in ballot {ballot}, though its quorum reported {} accepted there in ballot {}: it had to re-propose that (P2c).",
                crate::paxos::multi::slot_name(slot),
                vote.cmd,
                vote.ballot
            );
            self.oracle.violate(crate::sim::command::Invariant::AdoptsReportedValue, detail);
        }
    }

    /// Lets the oracle see each log decision that matters to safety.
    pub(super) fn audit_log(&mut self, node: NodeId, d: &LogDecision) {
        match *d {
            LogDecision::Campaign { ballot, .. } => {
                self.oracle.on_ballot_start(node, ballot);
                self.oracle.on_ballot_use(node, ballot, None);
            }
            LogDecision::Voted { slot, ballot, value, promised } => {
                let majority = self.majority();
                self.oracle.on_slot_vote(node, slot, ballot, value, promised, majority);
            }
            LogDecision::SlotChosen { slot, value, ballot, have } => {
                let what = format!("votes in {}, so it counted it chosen", crate::paxos::multi::slot_name(slot));
                self.check_quorum(node, ballot, have, &what);
                self.oracle.on_slot_outcome(node, "committed", slot, value)
            }
            LogDecision::Elected { ballot, have, noops, fresh, .. } => {
                self.check_quorum(node, ballot, have, "promises, so it took the lead");
                for slot in crate::paxos::multi::slots_of(noops | fresh) {
                    self.check_recovered(node, slot, ballot);
                }
            }
            LogDecision::Assigned { slot, ballot, .. } => self.check_recovered(node, slot, ballot),
            LogDecision::Known { slot, value, chosen: true } => {
                self.oracle.on_slot_outcome(node, "replied", slot, value)
            }
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
            | LogDecision::NotedCommit { .. }
            | LogDecision::Tallied { .. }
            | LogDecision::Learned { .. }
            | LogDecision::Stale { .. }
            | LogDecision::AlreadyCounted { .. }
            | LogDecision::AlreadyKnown { .. } => {}
        }
    }
}
