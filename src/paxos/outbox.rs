//! What a role handler may do: record sends and timer requests. Nothing is performed here;
//! the world interprets the outbox (stateright's `Out`, openraft's `EngineOutput`).

use super::decision::Decision;
use super::msg::Msg;
use super::multi::{Cmd, Slot};
use super::rulebook::{Switch, Switches};
use super::types::{NodeId, Value};

/// The cluster facts a handler needs, passed in so that roles hold no configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ctx {
    /// Number of clients.
    pub clients: u8,
    /// Number of acceptors.
    pub acceptors: u8,
    /// Number of learners.
    pub learners: u8,
    /// Votes needed for a quorum (a majority unless a rule-breaking switch says otherwise).
    pub quorum: u8,
    /// Whether acceptors answer a refused ballot with a Nack.
    pub nacks: bool,
    /// Whether a refused proposer waits a random back-off before retrying.
    pub backoff: bool,
    /// Number of proposers (a Multi-Paxos client retries with the next one).
    pub proposers: u8,
    /// Slots in the log (Multi-Paxos).
    pub slots: u8,
    /// Rules switched off (unsafe on purpose).
    pub switches: Switches,
}

impl Ctx {
    /// Is the rule behind `s` switched off?
    pub fn off(&self, s: Switch) -> bool {
        self.switches.has(s)
    }
}

/// A timer a proposer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerKind {
    /// Give up on the current ballot if it has not finished in time.
    Retry,
    /// Wait a random back-off after a refusal before retrying.
    Backoff,
}

/// One recorded effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Out {
    /// Send `msg` to `to`.
    Send {
        /// Receiver.
        to: NodeId,
        /// Message.
        msg: Msg,
    },
    /// Start (or restart) this node's timer.
    SetTimer(TimerKind),
    /// Stop this node's timer.
    CancelTimer,
    /// This node has learned the chosen value (learners and clients).
    Learned(Value),
    /// Multi-Paxos: this node applied `slot` of the log (learners and clients, in order).
    Applied(Slot, Cmd),
}

/// The recorded effects of one handler call, in order, and the decision behind them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    /// Effects in the order they were recorded.
    pub items: Vec<Out>,
    /// Why: every handler records exactly one.
    pub decision: Option<Decision>,
}

impl Outbox {
    /// Records the handler's decision.
    pub fn decide(&mut self, d: Decision) {
        self.decision = Some(d);
    }

    /// Records a send.
    pub fn send(&mut self, to: NodeId, msg: Msg) {
        self.items.push(Out::Send { to, msg });
    }

    /// Records a send to every acceptor, in id order.
    pub fn to_acceptors(&mut self, ctx: &Ctx, msg: Msg) {
        for i in 0..ctx.acceptors {
            self.send(NodeId::acceptor(i), msg);
        }
    }

    /// Records a send to every learner, in id order.
    pub fn to_learners(&mut self, ctx: &Ctx, msg: Msg) {
        for i in 0..ctx.learners {
            self.send(NodeId::learner(i), msg);
        }
    }

    /// Records a send to every client, in id order.
    pub fn to_clients(&mut self, ctx: &Ctx, msg: Msg) {
        for i in 0..ctx.clients {
            self.send(NodeId::client(i), msg);
        }
    }

    /// Records a timer request.
    pub fn set_timer(&mut self, kind: TimerKind) {
        self.items.push(Out::SetTimer(kind));
    }

    /// Records a timer cancellation.
    pub fn cancel_timer(&mut self) {
        self.items.push(Out::CancelTimer);
    }

    /// Records that this node learned `value`.
    pub fn learned(&mut self, value: Value) {
        self.items.push(Out::Learned(value));
    }

    /// Records that this node applied a slot of the log.
    pub fn applied(&mut self, slot: Slot, cmd: Cmd) {
        self.items.push(Out::Applied(slot, cmd));
    }

    /// Empties the outbox, handing back what was recorded.
    #[must_use]
    pub fn take(&mut self) -> Vec<Out> {
        self.decision = None;
        std::mem::take(&mut self.items)
    }
}

/// The context the role unit tests share: 2 clients, 3 acceptors (quorum 2), 1 learner, Nacks on.
#[cfg(test)]
pub(crate) fn test_ctx() -> Ctx {
    Ctx {
        clients: 2,
        acceptors: 3,
        learners: 1,
        quorum: 2,
        nacks: true,
        backoff: false,
        proposers: 2,
        slots: 8,
        switches: Switches::default(),
    }
}
