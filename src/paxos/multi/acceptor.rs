//! The Multi-Paxos acceptor: one promise for the whole log (every slot ≥ the Prepare's first
//! slot), and one vote per slot. The rules are single-decree Paxos's, applied per slot.

use super::{Cmd, LogDecision, LogMsg, Slot, Vote, Votes, MAX_SLOTS};
use crate::paxos::{Ballot, Decision, Kind, Msg, NodeId, Switch, Why};
use crate::paxos::{Ctx, Outbox};
use serde::{Deserialize, Serialize};

/// One acceptor's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogAcceptor {
    /// Durable: the highest ballot promised, for every slot.
    pub promised: Option<Ballot>,
    /// Durable: its vote in each slot.
    pub votes: Votes,
    /// Volatile: slots a Commit said are chosen (bit s).
    pub committed: u16,
}

impl LogAcceptor {
    /// The single entry point for a log message.
    pub fn handle(&mut self, from: NodeId, msg: LogMsg, ctx: &Ctx, out: &mut Outbox) {
        match msg {
            LogMsg::LogPrepare { ballot, from: first } => self.on_prepare(from, ballot, first, ctx, out),
            LogMsg::LogAccept { slot, ballot, value } => self.on_accept(from, slot, ballot, value, ctx, out),
            LogMsg::LogCommit { slot, value, .. } => {
                self.committed |= 1 << slot;
                out.decide(Decision::Log(LogDecision::NotedCommit { slot, value }));
            }
            LogMsg::Submit { .. }
            | LogMsg::Redirect { .. }
            | LogMsg::LogPromise { .. }
            | LogMsg::LogAccepted { .. }
            | LogMsg::LogReply { .. }
            | LogMsg::LogAnnounce { .. }
            | LogMsg::CatchUp { .. } => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// Phase 1b for every slot ≥ `first`: promise only a ballot greater than the promise
    /// (`Paxos.tla`: `m.bal > maxBal`), and report every vote in those slots.
    pub fn on_prepare(&mut self, from: NodeId, ballot: Ballot, first: Slot, ctx: &Ctx, out: &mut Outbox) {
        match self.promised {
            Some(p) if ballot == p => {
                let voted = self.votes.iter().any(|(_, v)| v.ballot == ballot);
                let why = if voted { Why::AlreadyVotedIn { ballot } } else { Why::AlreadyPromised { ballot } };
                out.decide(Decision::Ignored { why });
            }
            Some(promised) if ballot < promised => refuse(from, Kind::Prepare, ballot, promised, ctx, out),
            previous => {
                self.promised = Some(ballot);
                let votes = self.votes.from(first);
                let reported = votes.iter().fold(0u16, |m, (s, _)| m | 1 << s);
                out.decide(Decision::Log(LogDecision::Promised { ballot, from: first, previous, reported }));
                out.send(from, Msg::Log(LogMsg::LogPromise { ballot, from: first, votes }));
            }
        }
    }

    /// Phase 2b in one slot: accept when `ballot` is at least the promise (the switch
    /// `accept_below_promise` skips the check); accepting raises the promise to `ballot`.
    pub fn on_accept(&mut self, from: NodeId, slot: Slot, ballot: Ballot, value: Cmd, ctx: &Ctx, out: &mut Outbox) {
        let promised = self.promised;
        match promised {
            Some(p) if ballot < p && !ctx.off(Switch::AcceptBelowPromise) => {
                refuse(from, Kind::Accept, ballot, p, ctx, out)
            }
            _ if slot as usize >= MAX_SLOTS => {
                out.decide(Decision::Ignored { why: Why::NotForRole { kind: Kind::Accept } })
            }
            _ => {
                self.promised = promised.max(Some(ballot));
                self.votes.set(slot, Some(Vote { ballot, cmd: value }));
                out.decide(Decision::Log(LogDecision::Voted { slot, ballot, value, promised }));
                let msg = Msg::Log(LogMsg::LogAccepted { slot, ballot, value });
                out.send(from, msg);
                out.to_learners(ctx, msg);
            }
        }
    }

    /// A crash loses only what a Commit told it.
    pub fn crash(&mut self) {
        self.committed = 0;
    }

    /// A restart; with amnesia, its promise and votes are gone too (unsafe).
    pub fn restart(&mut self, amnesia: bool) {
        if amnesia {
            *self = LogAcceptor::default();
        }
    }
}

/// A refusal, as in single-decree Paxos: a Nack names the higher promise (when Nacks are on).
fn refuse(from: NodeId, kind: Kind, ballot: Ballot, promised: Ballot, ctx: &Ctx, out: &mut Outbox) {
    out.decide(Decision::Refused { kind, ballot, promised, nack: ctx.nacks });
    if ctx.nacks {
        out.send(from, Msg::Nack { ballot, promised });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::outbox::Out;

    fn ctx() -> Ctx {
        crate::paxos::outbox::test_ctx()
    }
    const P1: NodeId = NodeId::proposer(0);
    fn x(n: u8) -> Cmd {
        Cmd::new(0, n).unwrap()
    }
    fn sends(out: &Outbox) -> Vec<(NodeId, Msg)> {
        out.items.iter().filter_map(|o| if let Out::Send { to, msg } = o { Some((*to, *msg)) } else { None }).collect()
    }

    #[test]
    fn phase1b_one_promise_reports_the_votes_of_every_slot_from_k() {
        let mut a = LogAcceptor::default();
        let mut out = Outbox::default();
        a.on_accept(P1, 0, Ballot::new(1, 0), x(1), &ctx(), &mut out);
        a.on_accept(P1, 2, Ballot::new(1, 0), x(2), &ctx(), &mut out);
        let _ = out.take();
        a.on_prepare(NodeId::proposer(1), Ballot::new(2, 1), 1, &ctx(), &mut out);
        let [(_, Msg::Log(LogMsg::LogPromise { votes, from: 1, .. }))] = sends(&out)[..] else { panic!("{out:?}") };
        assert_eq!(votes.iter().map(|(s, v)| (s, v.cmd)).collect::<Vec<_>>(), vec![(2, x(2))], "slot 1 is below k");
        assert_eq!(a.promised, Some(Ballot::new(2, 1)));
    }

    #[test]
    fn phase2b_per_slot_an_accept_below_the_promise_is_refused_in_that_slot_only() {
        let mut a = LogAcceptor { promised: Some(Ballot::new(2, 1)), ..Default::default() };
        let mut out = Outbox::default();
        a.on_accept(P1, 1, Ballot::new(1, 0), x(1), &ctx(), &mut out);
        assert_eq!(a.votes.get(1), None);
        assert_eq!(sends(&out), vec![(P1, Msg::Nack { ballot: Ballot::new(1, 0), promised: Ballot::new(2, 1) })]);
        let _ = out.take();
        a.on_accept(NodeId::proposer(1), 1, Ballot::new(2, 1), x(2), &ctx(), &mut out);
        assert_eq!(a.votes.get(1).map(|v| v.cmd), Some(x(2)));
        assert_eq!(sends(&out).len(), 2, "to the proposer and the learner");
    }

    #[test]
    fn phase1b_a_prepare_for_the_promised_ballot_gets_no_second_promise() {
        let mut a = LogAcceptor { promised: Some(Ballot::new(2, 1)), ..Default::default() };
        let mut out = Outbox::default();
        a.on_prepare(P1, Ballot::new(2, 1), 0, &ctx(), &mut out);
        assert!(sends(&out).is_empty());
    }

    #[test]
    fn votes_survive_a_crash_and_amnesia_wipes_them() {
        let mut a = LogAcceptor::default();
        a.on_accept(P1, 3, Ballot::new(1, 0), x(1), &ctx(), &mut Outbox::default());
        a.committed = 8;
        a.crash();
        a.restart(false);
        assert_eq!((a.committed, a.votes.get(3).map(|v| v.cmd)), (0, Some(x(1))));
        a.restart(true);
        assert_eq!(a, LogAcceptor::default());
    }
}
