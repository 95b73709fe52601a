//! The proposer: it runs ballots on behalf of clients. Phase 1 learns what may already be chosen;
//! Phase 2 proposes the only value that is safe to propose; Phase 3 spreads the news.

use super::decision::{Cause, Decision, Source, Why};
use super::msg::{Kind, Msg};
use super::outbox::{Ctx, Outbox, TimerKind};
use super::planted::{planted, Bug};
use super::rulebook::Switch;
use super::types::{Ballot, NodeId, Proposal, Value};
use serde::{Deserialize, Serialize};

/// Where a proposer is in its current attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// No request yet (Phase 0: waiting for a client).
    #[default]
    Idle,
    /// Phase 1: Prepare sent, collecting promises.
    Preparing,
    /// Phase 2: Accept sent, collecting votes.
    Accepting,
    /// Refused; waiting a random back-off before the next ballot.
    BackingOff,
    /// Phase 3 done: it saw a majority of votes and committed.
    Done,
}

impl Phase {
    /// Is an attempt under way that a timeout would restart?
    pub fn in_progress(self) -> bool {
        matches!(self, Phase::Preparing | Phase::Accepting | Phase::BackingOff)
    }

    /// The Paxos phase number shown on screen.
    pub fn number(self) -> u8 {
        match self {
            Phase::Idle => 0,
            Phase::Preparing | Phase::BackingOff => 1,
            Phase::Accepting => 2,
            Phase::Done => 3,
        }
    }
}

/// One proposer's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Proposer {
    /// Which proposer this is.
    pub id: NodeId,
    /// Durable: the highest round it has used or seen, so a new ballot is always higher
    /// than every ballot it knows of and never reuses one of its own.
    pub max_round: u32,
    /// Volatile: the phase of the current attempt.
    pub phase: Phase,
    /// Volatile: the current ballot.
    pub ballot: Option<Ballot>,
    /// Volatile: the value its client asked for.
    pub value: Option<Value>,
    /// Volatile: the highest-ballot proposal reported in this ballot's promises.
    pub highest_reported: Option<Proposal>,
    /// Volatile: the acceptors whose promises reported `highest_reported` (bit i = A(i+1)).
    /// Only narration reads it: it never changes what the proposer does.
    pub reporters: u16,
    /// Volatile: the value it sent in Accept (adopted or its client's).
    pub proposed: Option<Value>,
    /// Volatile: acceptors that promised the current ballot (bit i = A(i+1)).
    pub promises: u16,
    /// Volatile: acceptors that accepted the current ballot.
    pub accepts: u16,
    /// Volatile: clients waiting for a reply (bit i = C(i+1)).
    pub waiting: u8,
    /// Volatile: the proposer it believes leads: itself while it runs the highest ballot it knows,
    /// or the owner of a higher ballot a Nack told it about.
    pub leader: NodeId,
    /// Volatile: the value it committed, once Phase 3 is reached.
    pub decided: Option<Value>,
}

fn bit(node: NodeId) -> u16 {
    1 << node.index
}

impl Proposer {
    /// A fresh proposer.
    pub fn new(id: NodeId) -> Self {
        Proposer {
            id,
            max_round: 0,
            phase: Phase::Idle,
            ballot: None,
            value: None,
            highest_reported: None,
            reporters: 0,
            proposed: None,
            promises: 0,
            accepts: 0,
            waiting: 0,
            leader: id,
            decided: None,
        }
    }

    /// The single entry point: a message from `from` arrives.
    pub fn handle(&mut self, from: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        match msg {
            Msg::Request { value } => self.on_request(from, value, ctx, out),
            Msg::Promise { ballot, accepted } => self.on_promise(from, ballot, accepted, ctx, out),
            Msg::Accepted { ballot, value } => self.on_accepted(from, ballot, value, ctx, out),
            Msg::Nack { ballot, promised } => self.on_nack(from, ballot, promised, ctx, out),
            Msg::Prepare { .. }
            | Msg::Accept { .. }
            | Msg::Commit { .. }
            | Msg::Reply { .. }
            | Msg::Announce { .. }
            | Msg::Log(_) => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// Phase 0. A client asks for `value`. A proposer that already committed answers at once;
    /// an idle one starts Phase 1; a busy one keeps its first value and adds the client to the
    /// list to answer.
    pub fn on_request(&mut self, client: NodeId, value: Value, ctx: &Ctx, out: &mut Outbox) {
        if let Some(v) = self.decided {
            out.decide(Decision::RepliedAtOnce { client, value: v });
            out.send(client, Msg::Reply { value: v });
            return;
        }
        self.waiting |= bit(client) as u8;
        let first = *self.value.get_or_insert(value);
        if self.phase == Phase::Idle {
            let ballot = self.start_ballot(ctx, out);
            out.decide(Decision::Began { ballot, client, value: first });
        } else {
            out.decide(Decision::Queued { client, running: self.ballot, working_for: self.value });
        }
    }

    /// Phase 1a. Pick a round above every round seen and ask every acceptor for promises.
    fn start_ballot(&mut self, ctx: &Ctx, out: &mut Outbox) -> Ballot {
        self.max_round += 1;
        // The shared-ballots switch stamps every ballot as P1's: the uniqueness rule is gone.
        let owner = if ctx.off(Switch::SharedBallots) { NodeId::proposer(0) } else { self.id };
        let ballot = Ballot { round: self.max_round, proposer: owner };
        self.ballot = Some(ballot);
        self.phase = Phase::Preparing;
        self.promises = 0;
        self.accepts = 0;
        self.highest_reported = None;
        self.reporters = 0;
        self.proposed = None;
        self.leader = self.id;
        out.to_acceptors(ctx, Msg::Prepare { ballot });
        out.set_timer(TimerKind::Retry);
        ballot
    }

    /// Why a reply about `ballot` of `kind` no longer matters, if it does not: the proposer has
    /// moved to another ballot, or past the phase that waits for it. The explorer uses this too,
    /// to leave such messages out of its states.
    pub fn moved_on(&self, kind: Kind, ballot: Ballot) -> Option<Why> {
        let waiting = match kind {
            Kind::Promise => self.phase == Phase::Preparing,
            Kind::Accepted => self.phase == Phase::Accepting,
            Kind::Nack => matches!(self.phase, Phase::Preparing | Phase::Accepting),
            Kind::Request
            | Kind::Prepare
            | Kind::Accept
            | Kind::Commit
            | Kind::Reply
            | Kind::Announce
            | Kind::Redirect => true,
        };
        (self.ballot != Some(ballot) || !waiting).then_some(Why::MovedOn {
            kind,
            ballot,
            current: self.ballot,
            phase: self.phase,
        })
    }

    /// Phase 1b received. Once a majority promised, send Phase 2a with the value of the
    /// highest-ballot proposal they reported, or, only if none reported one, the client's value
    /// (*Paxos Made Simple* P2c).
    pub fn on_promise(
        &mut self,
        from: NodeId,
        ballot: Ballot,
        accepted: Option<Proposal>,
        ctx: &Ctx,
        out: &mut Outbox,
    ) {
        if let Some(why) = self.moved_on(Kind::Promise, ballot) {
            return out.decide(Decision::Ignored { why });
        }
        let counts_messages = planted(Bug::CountMessages);
        if self.promises & bit(from) != 0 && !counts_messages {
            return out.decide(Decision::Ignored { why: Why::AlreadyCounted { kind: Kind::Promise, from, ballot } });
        }
        // (Planted bug: one more bit per message, so a duplicate counts twice.)
        self.promises = if counts_messages { self.promises << 1 | 1 } else { self.promises | bit(from) };
        // A lower-numbered report leaves the highest one standing (the planted bug keeps the lowest).
        let lowest = planted(Bug::AdoptLowest);
        let stands = |new: Ballot, held: Ballot| if lowest { new > held } else { new < held };
        if let Some(p) = accepted {
            match self.highest_reported {
                Some(h) if p.ballot == h.ballot => self.reporters |= bit(from),
                Some(h) if stands(p.ballot, h.ballot) => {}
                _ => {
                    self.highest_reported = Some(p);
                    self.reporters = bit(from);
                }
            }
        }
        let need = if planted(Bug::AcceptWithoutQuorum) { 1 } else { ctx.quorum };
        let have = self.promises.count_ones() as u8;
        if have < need {
            return out.decide(Decision::PromiseCounted { ballot, from, have, need, reported: accepted });
        }
        let Some(own) = self.value else {
            // Only a request starts a ballot, so this cannot happen; if it did, proposing
            // nothing is the safe answer.
            return out.decide(Decision::Ignored { why: Why::NoValue { ballot } });
        };
        let source = match self.highest_reported {
            Some(proposal) if ctx.off(Switch::IgnoreReportedValues) => Source::IgnoredReported { proposal },
            Some(proposal) => Source::Adopted { proposal, reporters: self.reporters },
            None => Source::OwnValue,
        };
        let value = source.value(own);
        self.phase = Phase::Accepting;
        self.proposed = Some(value);
        out.decide(Decision::QuorumOfPromises { ballot, have, own, source });
        out.to_acceptors(ctx, Msg::Accept { ballot, value });
        out.set_timer(TimerKind::Retry);
    }

    /// Phase 2b received. A majority of votes for this ballot means the value is chosen:
    /// commit to acceptors and learners and answer the waiting clients (Phase 3).
    pub fn on_accepted(&mut self, from: NodeId, ballot: Ballot, value: Value, ctx: &Ctx, out: &mut Outbox) {
        if let Some(why) = self.moved_on(Kind::Accepted, ballot) {
            return out.decide(Decision::Ignored { why });
        }
        if self.accepts & bit(from) != 0 {
            return out.decide(Decision::Ignored { why: Why::AlreadyCounted { kind: Kind::Accepted, from, ballot } });
        }
        self.accepts |= bit(from);
        let (have, need) = (self.accepts.count_ones() as u8, ctx.quorum);
        if have < need {
            return out.decide(Decision::VoteCounted { ballot, from, have, need });
        }
        self.phase = Phase::Done;
        self.decided = Some(value);
        out.decide(Decision::QuorumOfVotes { ballot, value, have });
        out.cancel_timer();
        out.to_acceptors(ctx, Msg::Commit { ballot, value });
        out.to_learners(ctx, Msg::Commit { ballot, value });
        for i in 0..ctx.clients {
            if self.waiting & (1 << i) != 0 {
                out.send(NodeId::client(i), Msg::Reply { value });
            }
        }
        self.waiting = 0;
    }

    /// A refusal. Remember the higher round, note who leads now, and retry above it (at once,
    /// or after a random back-off when back-off is on). Only the first Nack per ballot retries.
    pub fn on_nack(&mut self, from: NodeId, ballot: Ballot, promised: Ballot, ctx: &Ctx, out: &mut Outbox) {
        self.max_round = self.max_round.max(promised.round);
        if promised.proposer != self.id {
            self.leader = promised.proposer;
        }
        if let Some(why) = self.moved_on(Kind::Nack, ballot) {
            return out.decide(Decision::Ignored { why });
        }
        if ctx.backoff {
            self.phase = Phase::BackingOff;
            out.decide(Decision::BackingOff { ballot, promised });
            out.set_timer(TimerKind::Backoff);
        } else {
            let ballot_now = self.start_ballot(ctx, out);
            out.decide(Decision::Retry {
                old: Some(ballot),
                ballot: ballot_now,
                cause: Cause::Nack { from, promised },
            });
        }
    }

    /// The timer fired: the attempt is stuck (or the back-off is over). Try a higher ballot.
    pub fn on_timeout(&mut self, ctx: &Ctx, out: &mut Outbox) {
        if !self.phase.in_progress() {
            return out.decide(Decision::Ignored { why: Why::NothingToRetry });
        }
        let cause = if self.phase == Phase::BackingOff { Cause::BackoffOver } else { Cause::Timeout };
        let old = self.ballot;
        let ballot = self.start_ballot(ctx, out);
        out.decide(Decision::Retry { old, ballot, cause });
    }

    /// A crash loses everything but `max_round`.
    pub fn crash(&mut self) {
        *self = Proposer { max_round: self.max_round, ..Proposer::new(self.id) };
    }

    /// A restart; with `amnesia` the round is forgotten too, so old ballots can be reused.
    pub fn restart(&mut self, amnesia: bool) {
        if amnesia {
            *self = Proposer::new(self.id);
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
    const C1: NodeId = NodeId::client(0);
    fn v(s: &str) -> Value {
        Value::new(s).unwrap()
    }
    fn a(i: u8) -> NodeId {
        NodeId::acceptor(i)
    }
    fn b11() -> Ballot {
        Ballot::new(1, 0)
    }
    fn preparing() -> Proposer {
        let mut p = Proposer::new(P1);
        p.on_request(C1, v("X"), &ctx(), &mut Outbox::default());
        p
    }

    #[test]
    fn phase0_request_starts_phase1_with_prepare_to_every_acceptor() {
        let mut p = Proposer::new(P1);
        let mut out = Outbox::default();
        p.on_request(C1, v("X"), &ctx(), &mut out);
        assert_eq!(p.phase, Phase::Preparing);
        assert_eq!(p.ballot, Some(b11()));
        assert_eq!(p.max_round, 1);
        let prep = Msg::Prepare { ballot: b11() };
        assert_eq!(
            out.items,
            vec![
                Out::Send { to: a(0), msg: prep },
                Out::Send { to: a(1), msg: prep },
                Out::Send { to: a(2), msg: prep },
                Out::SetTimer(TimerKind::Retry)
            ]
        );
    }

    #[test]
    fn phase2_needs_a_majority_of_promises() {
        let mut p = preparing();
        let mut out = Outbox::default();
        p.on_promise(a(0), b11(), None, &ctx(), &mut out);
        assert_eq!(p.phase, Phase::Preparing);
        assert!(out.items.is_empty());
        p.on_promise(a(1), b11(), None, &ctx(), &mut out);
        assert_eq!(p.phase, Phase::Accepting);
        let acc = Msg::Accept { ballot: b11(), value: v("X") };
        assert_eq!(
            &out.items[..3],
            &[Out::Send { to: a(0), msg: acc }, Out::Send { to: a(1), msg: acc }, Out::Send { to: a(2), msg: acc }]
        );
    }

    #[test]
    fn p2c_proposer_adopts_the_highest_ballot_value_reported() {
        let mut p = Proposer::new(P1);
        p.max_round = 4;
        p.on_request(C1, v("Y"), &ctx(), &mut Outbox::default());
        let b = p.ballot.unwrap();
        let mut out = Outbox::default();
        p.on_promise(a(0), b, Some(Proposal { ballot: Ballot::new(1, 1), value: v("old") }), &ctx(), &mut out);
        p.on_promise(a(1), b, Some(Proposal { ballot: Ballot::new(3, 1), value: v("new") }), &ctx(), &mut out);
        assert_eq!(p.proposed, Some(v("new")));
        assert_eq!(p.value, Some(v("Y")), "its client's value is kept for the record");
    }

    #[test]
    fn unsafe_switch_ignores_reported_values() {
        let mut p = preparing();
        let c = Ctx { switches: Switches::default().with(Switch::IgnoreReportedValues), ..ctx() };
        let mut out = Outbox::default();
        p.on_promise(a(0), b11(), Some(Proposal { ballot: Ballot::new(1, 1), value: v("Z") }), &c, &mut out);
        p.on_promise(a(1), b11(), None, &c, &mut out);
        assert_eq!(p.proposed, Some(v("X")));
    }

    #[test]
    fn stale_promises_are_ignored() {
        let mut p = preparing();
        let mut out = Outbox::default();
        p.on_promise(a(0), Ballot::new(7, 1), None, &ctx(), &mut out);
        assert_eq!(p.promises, 0);
        assert!(out.items.is_empty());
    }

    #[test]
    fn phase3_majority_of_votes_commits_and_replies() {
        let mut p = preparing();
        let mut out = Outbox::default();
        p.on_promise(a(0), b11(), None, &ctx(), &mut out);
        p.on_promise(a(1), b11(), None, &ctx(), &mut out);
        let _ = out.take();
        p.on_accepted(a(2), b11(), v("X"), &ctx(), &mut out);
        assert!(out.items.is_empty());
        p.on_accepted(a(0), b11(), v("X"), &ctx(), &mut out);
        assert_eq!(p.phase, Phase::Done);
        let commit = Msg::Commit { ballot: b11(), value: v("X") };
        assert_eq!(
            out.items,
            vec![
                Out::CancelTimer,
                Out::Send { to: a(0), msg: commit },
                Out::Send { to: a(1), msg: commit },
                Out::Send { to: a(2), msg: commit },
                Out::Send { to: NodeId::learner(0), msg: commit },
                Out::Send { to: C1, msg: Msg::Reply { value: v("X") } },
            ]
        );
    }

    #[test]
    fn nack_retries_above_every_round_seen() {
        let mut p = preparing();
        let mut out = Outbox::default();
        p.on_nack(a(0), b11(), Ballot::new(5, 1), &ctx(), &mut out);
        assert_eq!(p.ballot, Some(Ballot::new(6, 0)));
        assert_eq!(p.phase, Phase::Preparing);
        assert_eq!(out.items[0], Out::Send { to: a(0), msg: Msg::Prepare { ballot: Ballot::new(6, 0) } });
        // A second Nack for the old ballot does not start yet another ballot.
        let _ = out.take();
        p.on_nack(a(0), b11(), Ballot::new(5, 1), &ctx(), &mut out);
        assert!(out.items.is_empty());
        assert_eq!(p.ballot, Some(Ballot::new(6, 0)));
    }

    #[test]
    fn with_backoff_a_nack_waits_for_the_timer() {
        let mut p = preparing();
        let mut out = Outbox::default();
        p.on_nack(a(0), b11(), Ballot::new(2, 1), &Ctx { backoff: true, ..ctx() }, &mut out);
        assert_eq!(p.phase, Phase::BackingOff);
        assert_eq!(p.leader, NodeId::proposer(1));
        assert_eq!(out.items, vec![Out::SetTimer(TimerKind::Backoff)]);
        p.on_timeout(&ctx(), &mut out);
        assert_eq!(p.ballot, Some(Ballot::new(3, 0)));
    }

    #[test]
    fn a_committed_proposer_answers_new_requests_at_once() {
        let mut p = preparing();
        p.phase = Phase::Done;
        p.decided = Some(v("X"));
        let mut out = Outbox::default();
        p.on_request(NodeId::client(1), v("Y"), &ctx(), &mut out);
        assert_eq!(out.items, vec![Out::Send { to: NodeId::client(1), msg: Msg::Reply { value: v("X") } }]);
    }

    #[test]
    fn crash_keeps_only_the_round_and_amnesia_forgets_it() {
        let mut p = preparing();
        p.crash();
        p.restart(false);
        assert_eq!(p, Proposer { max_round: 1, ..Proposer::new(P1) });
        p.restart(true);
        assert_eq!(p, Proposer::new(P1));
    }

    #[test]
    fn shared_ballot_switch_stamps_ballots_as_p1() {
        let mut p = Proposer::new(NodeId::proposer(1));
        let c = Ctx { switches: Switches::default().with(Switch::SharedBallots), ..ctx() };
        p.on_request(C1, v("Y"), &c, &mut Outbox::default());
        assert_eq!(p.ballot, Some(Ballot::new(1, 0)));
    }
}
