//! The Multi-Paxos client: a stream of commands to the proposer it believes leads; it follows
//! redirects, retries with the next proposer after a timeout, and applies the log learners
//! announce, in order.

use super::{Cmd, LogDecision, LogMsg, Slot, MAX_SLOTS};
use crate::paxos::{Ctx, Decision, Msg, NodeId, Outbox, TimerKind, Why};
use serde::{Deserialize, Serialize};

/// One client's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogClient {
    /// Its index (0-based), which names its commands.
    pub index: u8,
    /// The proposer it believes leads (kept across a crash, like a configured address).
    pub leader: NodeId,
    /// Durable: how many commands it has sent (its last command's number).
    pub sent: u8,
    /// Volatile: commands answered (bit n-1 for command n).
    pub done: u64,
    /// Volatile: log entries learners announced.
    pub known: [Option<Cmd>; MAX_SLOTS],
    /// Volatile: slots applied, a gap-free prefix.
    pub applied: u8,
}

impl LogClient {
    /// Client `index`, believing P1 leads.
    pub fn new(index: u8) -> Self {
        LogClient { index, leader: NodeId::proposer(0), sent: 0, done: 0, known: [None; MAX_SLOTS], applied: 0 }
    }

    /// Its next command, if it has numbers left.
    pub fn next(&self) -> Option<Cmd> {
        Cmd::new(self.index, self.sent + 1)
    }

    /// Its oldest command not yet answered.
    pub fn unanswered(&self) -> Option<Cmd> {
        self.waiting().next()
    }

    /// Every command sent and not yet answered, oldest first.
    pub fn waiting(&self) -> impl Iterator<Item = Cmd> + '_ {
        (1..=self.sent).filter(|n| self.done & (1 << (n - 1)) == 0).filter_map(|n| Cmd::new(self.index, n))
    }

    /// The single entry point for a message.
    pub fn handle(&mut self, from: NodeId, msg: Msg, out: &mut Outbox) {
        match msg {
            Msg::Log(LogMsg::LogReply { slot, value }) => self.on_reply(slot, value, out),
            Msg::Log(LogMsg::Redirect { value, leader }) => self.on_redirect(value, leader, out),
            Msg::Log(LogMsg::LogAnnounce { slot, value }) => self.on_announce(slot, value, out),
            _ => {
                let _ = from;
                out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } })
            }
        }
    }

    /// Phase 0: send the next command to the believed leader and start the retry timer.
    pub fn submit(&mut self, value: Cmd, out: &mut Outbox) {
        self.sent = value.seq();
        out.decide(Decision::Log(LogDecision::Submitted { value, to: self.leader, retry: false }));
        out.send(self.leader, Msg::Log(LogMsg::Submit { value, retry: false }));
        out.set_timer(TimerKind::Retry);
    }

    fn on_reply(&mut self, slot: Slot, value: Cmd, out: &mut Outbox) {
        let bit = 1u64 << (value.seq().max(1) - 1);
        let first = self.done & bit == 0;
        self.done |= bit;
        out.decide(Decision::Log(LogDecision::Replied { value, slot, first }));
        if self.unanswered().is_none() {
            out.cancel_timer();
        }
    }

    fn on_redirect(&mut self, value: Cmd, leader: NodeId, out: &mut Outbox) {
        self.leader = leader;
        out.decide(Decision::Log(LogDecision::Redirected { value, leader }));
        if self.done & (1 << (value.seq().max(1) - 1)) == 0 {
            out.send(leader, Msg::Log(LogMsg::Submit { value, retry: false }));
        }
    }

    /// A learner's announcement. Applying one of its own commands answers it as a reply would:
    /// the client knows where it is in the log, so it neither waits for a reply nor retries it.
    fn on_announce(&mut self, slot: Slot, value: Cmd, out: &mut Outbox) {
        self.known[slot as usize % MAX_SLOTS] = Some(value);
        let before = self.applied;
        let waiting = self.unanswered().is_some();
        while let Some(Some(c)) = self.known.get(self.applied as usize).copied() {
            out.applied(self.applied, c);
            if c.client() == Some(NodeId::client(self.index)) && c.seq() > 0 {
                self.done |= 1 << (c.seq() - 1);
            }
            self.applied += 1;
        }
        out.decide(Decision::Log(LogDecision::Applied { slot, value, before, after: self.applied }));
        if waiting && self.unanswered().is_none() {
            out.cancel_timer();
        }
    }

    /// No answer in time: send the oldest unanswered command to the next proposer, flagged as a
    /// retry, so that proposer takes over.
    pub fn on_timeout(&mut self, ctx: &Ctx, out: &mut Outbox) {
        let Some(value) = self.unanswered() else {
            return out.decide(Decision::Ignored { why: Why::NothingToRetry });
        };
        self.leader = NodeId::proposer((self.leader.index + 1) % ctx.proposers.max(1));
        out.decide(Decision::Log(LogDecision::Submitted { value, to: self.leader, retry: true }));
        out.send(self.leader, Msg::Log(LogMsg::Submit { value, retry: true }));
        out.set_timer(TimerKind::Retry);
    }

    /// A crash forgets the answers and the log; the command counter is kept.
    pub fn crash(&mut self) {
        *self = LogClient { leader: self.leader, sent: self.sent, ..LogClient::new(self.index) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::outbox::{test_ctx, Out};

    const P1: NodeId = NodeId::proposer(0);
    const P2: NodeId = NodeId::proposer(1);
    fn x(n: u8) -> Cmd {
        Cmd::new(0, n).unwrap()
    }
    fn sent(out: &Outbox) -> Vec<(NodeId, LogMsg)> {
        out.items
            .iter()
            .filter_map(|o| match o {
                Out::Send { to, msg: Msg::Log(m) } => Some((*to, *m)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_client_sends_its_stream_in_order_to_the_believed_leader() {
        let mut c = LogClient::new(0);
        assert_eq!(c.next(), Some(x(1)));
        let mut out = Outbox::default();
        c.submit(x(1), &mut out);
        assert_eq!(sent(&out), vec![(P1, LogMsg::Submit { value: x(1), retry: false })]);
        assert_eq!((c.next(), c.unanswered()), (Some(x(2)), Some(x(1))));
    }

    #[test]
    fn a_redirect_resends_the_command_to_the_named_leader() {
        let mut c = LogClient::new(0);
        c.submit(x(1), &mut Outbox::default());
        let mut out = Outbox::default();
        c.handle(P1, Msg::Log(LogMsg::Redirect { value: x(1), leader: P2 }), &mut out);
        assert_eq!(c.leader, P2);
        assert_eq!(sent(&out), vec![(P2, LogMsg::Submit { value: x(1), retry: false })]);
    }

    #[test]
    fn a_timeout_retries_the_oldest_unanswered_command_with_the_next_proposer() {
        let mut c = LogClient::new(0);
        c.submit(x(1), &mut Outbox::default());
        c.submit(x(2), &mut Outbox::default());
        c.handle(P1, Msg::Log(LogMsg::LogReply { slot: 0, value: x(1) }), &mut Outbox::default());
        let mut out = Outbox::default();
        c.on_timeout(&test_ctx(), &mut out);
        assert_eq!(sent(&out), vec![(P2, LogMsg::Submit { value: x(2), retry: true })]);
    }

    #[test]
    fn a_command_applied_from_the_log_is_answered_and_not_retried() {
        let mut c = LogClient::new(0);
        c.submit(x(1), &mut Outbox::default());
        let mut out = Outbox::default();
        c.handle(NodeId::learner(0), Msg::Log(LogMsg::LogAnnounce { slot: 0, value: x(1) }), &mut out);
        assert_eq!(c.unanswered(), None, "applying its own X1 answers it");
        assert!(out.items.iter().any(|o| matches!(o, Out::CancelTimer)), "the retry timer stops");
        let mut out = Outbox::default();
        c.on_timeout(&test_ctx(), &mut out);
        assert!(sent(&out).is_empty(), "a late timeout has nothing to retry");
        // Another client's command in the log answers nothing of this one's.
        let mut c = LogClient::new(0);
        c.submit(x(1), &mut Outbox::default());
        let y1 = Cmd::new(1, 1).unwrap();
        c.handle(NodeId::learner(0), Msg::Log(LogMsg::LogAnnounce { slot: 0, value: y1 }), &mut Outbox::default());
        assert_eq!(c.unanswered(), Some(x(1)));
    }

    #[test]
    fn announced_entries_are_applied_only_as_a_gap_free_prefix() {
        let mut c = LogClient::new(0);
        let mut out = Outbox::default();
        c.handle(NodeId::learner(0), Msg::Log(LogMsg::LogAnnounce { slot: 1, value: x(2) }), &mut out);
        assert_eq!(c.applied, 0, "slot 1 is missing: nothing applied");
        c.handle(NodeId::learner(0), Msg::Log(LogMsg::LogAnnounce { slot: 0, value: x(1) }), &mut out);
        assert_eq!(c.applied, 2);
        let applied: Vec<_> = out.items.iter().filter(|o| matches!(o, Out::Applied(..))).collect();
        assert_eq!(applied, vec![&Out::Applied(0, x(1)), &Out::Applied(1, x(2))]);
    }
}
