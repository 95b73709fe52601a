//! The cluster's protocol state, and the one way a message reaches a role: [`Cluster::deliver`]
//! takes (from, to, message) and hands it to the receiver's role. The world around it owns time,
//! the network, failures and observation; it never looks inside a message to decide what a node
//! does.

use super::multi::{Cmd, LogNodes};
use super::outbox::{Ctx, Outbox};
use super::types::{NodeId, Role, Value};
use super::{Acceptor, Client, Learner, Msg, Proposer};

/// Every node's protocol state, by role and index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cluster {
    /// Clients, by index.
    pub clients: Vec<Client>,
    /// Proposers, by index.
    pub proposers: Vec<Proposer>,
    /// Acceptors, by index.
    pub acceptors: Vec<Acceptor>,
    /// Learners, by index.
    pub learners: Vec<Learner>,
    /// In Multi-Paxos mode, every node's log state; the vectors above then stay idle.
    pub log: Option<Box<LogNodes>>,
}

impl Cluster {
    /// A fresh cluster of the given shape. Every client starts out believing P1 leads.
    pub fn new(clients: u8, proposers: u8, acceptors: u8, learners: u8) -> Self {
        Cluster {
            clients: (0..clients).map(|_| Client::new(NodeId::proposer(0))).collect(),
            proposers: (0..proposers).map(|i| Proposer::new(NodeId::proposer(i))).collect(),
            acceptors: vec![Acceptor::default(); acceptors as usize],
            learners: vec![Learner::default(); learners as usize],
            log: None,
        }
    }

    /// A fresh Multi-Paxos cluster of the given shape.
    pub fn new_log(clients: u8, proposers: u8, acceptors: u8, learners: u8) -> Self {
        let log = Some(Box::new(LogNodes::new(clients, proposers, acceptors, learners)));
        Cluster { log, ..Cluster::new(clients, proposers, acceptors, learners) }
    }

    /// Multi-Paxos: a client sends its next command.
    pub fn submit(&mut self, client: NodeId, cmd: Cmd, out: &mut Outbox) {
        if let Some(log) = &mut self.log {
            log.submit(client, cmd, out);
        }
    }

    /// `msg` from `from` reaches `to`: its role handles it and records what it sends, and why.
    pub fn deliver(&mut self, from: NodeId, to: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        if let Some(log) = &mut self.log {
            return log.deliver(from, to, msg, ctx, out);
        }
        let i = to.index as usize;
        match to.role {
            Role::Client => self.clients[i].handle(from, msg, out),
            Role::Proposer => self.proposers[i].handle(from, msg, ctx, out),
            Role::Acceptor => self.acceptors[i].handle(from, msg, ctx, out),
            Role::Learner => self.learners[i].handle(from, msg, ctx, out),
        }
    }

    /// Phase 0: a client asks its believed leader for `value`.
    pub fn request(&mut self, client: NodeId, value: Value, out: &mut Outbox) {
        self.clients[client.index as usize].request(value, out);
    }

    /// A proposer's timer fires.
    pub fn timeout(&mut self, proposer: NodeId, ctx: &Ctx, out: &mut Outbox) {
        if let Some(log) = &mut self.log {
            return log.timeout(proposer, ctx, out);
        }
        self.proposers[proposer.index as usize].on_timeout(ctx, out);
    }

    /// A node stops: it loses what it keeps only in memory.
    pub fn crash(&mut self, node: NodeId) {
        if let Some(log) = &mut self.log {
            return log.crash(node);
        }
        let i = node.index as usize;
        match node.role {
            Role::Client => self.clients[i].crash(),
            Role::Proposer => self.proposers[i].crash(),
            Role::Acceptor => self.acceptors[i].crash(),
            Role::Learner => self.learners[i].crash(),
        }
    }

    /// A node starts again from what it kept on disk; with `amnesia`, from nothing.
    pub fn restart(&mut self, node: NodeId, amnesia: bool) {
        if let Some(log) = &mut self.log {
            return log.restart(node, amnesia);
        }
        let i = node.index as usize;
        match node.role {
            // Clients and learners keep nothing on disk: a crash already emptied them.
            Role::Client | Role::Learner => {}
            Role::Proposer => self.proposers[i].restart(amnesia),
            Role::Acceptor => self.acceptors[i].restart(amnesia),
        }
    }
}
