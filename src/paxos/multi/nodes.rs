//! Every node's Multi-Paxos state, and the one way a message reaches a role (the log's
//! counterpart of `Cluster`'s single-decree vectors; `Cluster::deliver` hands over to it).

use super::{Cmd, LogAcceptor, LogClient, LogLearner, LogProposer};
use crate::paxos::{Ctx, Msg, NodeId, Outbox, Role};

/// The cluster's Multi-Paxos roles.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LogNodes {
    /// Clients.
    pub clients: Vec<LogClient>,
    /// Proposers.
    pub proposers: Vec<LogProposer>,
    /// Acceptors.
    pub acceptors: Vec<LogAcceptor>,
    /// Learners.
    pub learners: Vec<LogLearner>,
}

impl LogNodes {
    /// A fresh cluster: everyone believes P1 leads.
    pub fn new(clients: u8, proposers: u8, acceptors: u8, learners: u8) -> Self {
        LogNodes {
            clients: (0..clients).map(LogClient::new).collect(),
            proposers: (0..proposers).map(|i| LogProposer::new(NodeId::proposer(i))).collect(),
            acceptors: vec![LogAcceptor::default(); acceptors as usize],
            learners: vec![LogLearner::default(); learners as usize],
        }
    }

    /// `msg` from `from` reaches `to`.
    pub fn deliver(&mut self, from: NodeId, to: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        let i = to.index as usize;
        match (to.role, msg) {
            (Role::Client, _) => self.clients[i].handle(from, msg, out),
            (Role::Proposer, _) => self.proposers[i].handle(from, msg, ctx, out),
            (Role::Acceptor, Msg::Log(m)) => self.acceptors[i].handle(from, m, ctx, out),
            (Role::Acceptor, _) => {
                out.decide(crate::paxos::Decision::Ignored { why: crate::paxos::Why::NotForRole { kind: msg.kind() } })
            }
            (Role::Learner, _) => self.learners[i].handle(from, msg, ctx, out),
        }
    }

    /// A client sends its next command.
    pub fn submit(&mut self, client: NodeId, value: Cmd, out: &mut Outbox) {
        self.clients[client.index as usize].submit(value, out);
    }

    /// A proposer's or a client's timer fires.
    pub fn timeout(&mut self, node: NodeId, ctx: &Ctx, out: &mut Outbox) {
        let i = node.index as usize;
        match node.role {
            Role::Client => self.clients[i].on_timeout(ctx, out),
            Role::Proposer => self.proposers[i].on_timeout(ctx, out),
            Role::Acceptor | Role::Learner => {}
        }
    }

    /// A crash: volatile state is lost.
    pub fn crash(&mut self, node: NodeId) {
        let i = node.index as usize;
        match node.role {
            Role::Client => self.clients[i].crash(),
            Role::Proposer => self.proposers[i].crash(),
            Role::Acceptor => self.acceptors[i].crash(),
            Role::Learner => self.learners[i].crash(),
        }
    }

    /// A restart from disk (or from nothing, with amnesia).
    pub fn restart(&mut self, node: NodeId, amnesia: bool) {
        let i = node.index as usize;
        match node.role {
            Role::Client | Role::Learner => {}
            Role::Proposer => self.proposers[i].restart(amnesia),
            Role::Acceptor => self.acceptors[i].restart(amnesia),
        }
    }
}
