//! The Multi-Paxos proposer: a follower, a candidate running Phase 1 for every slot ≥ k, or the
//! leader, which gets each new command chosen with one Accept/Accepted round trip.

use super::{Campaign, Cmd, LogDecision, LogMsg, Slot, Slots, Votes, MAX_SLOTS};
use crate::paxos::{Ballot, Decision, Kind, Msg, NodeId, Switch, Why};
use crate::paxos::{Ctx, Outbox, TimerKind};
use serde::{Deserialize, Serialize};

/// Where a proposer stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Not leading: it redirects clients to the leader it believes in.
    #[default]
    Follower,
    /// Phase 1 for every slot ≥ `from`: collecting promises.
    Preparing,
    /// Phase 1 done: each command costs one Accept round.
    Leading,
}

/// Commands a candidate holds while Phase 1 runs.
pub const QUEUE: usize = 4;

/// One proposer's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogProposer {
    /// Which proposer.
    pub id: NodeId,
    /// Durable: the highest round used or seen.
    pub max_round: u32,
    /// Volatile: follower, candidate or leader.
    pub stage: Stage,
    /// Volatile: its current ballot.
    pub ballot: Option<Ballot>,
    /// Volatile: the proposer it believes leads (at first, P1).
    pub leader: NodeId,
    /// Volatile: Phase 1 covers every slot ≥ this one.
    pub from: Slot,
    /// Volatile: acceptors that promised the current ballot.
    pub promises: u16,
    /// Volatile: the highest-ballot vote reported in each slot during Phase 1.
    pub reported: Votes,
    /// Volatile: which acceptors reported that vote, per slot (narration reads it).
    pub reporters: [u16; MAX_SLOTS],
    /// Volatile: the command it proposed (or knows chosen) in each slot.
    pub log: [Option<Cmd>; MAX_SLOTS],
    /// Volatile: acceptors that accepted each slot in the current ballot.
    pub accepts: [u16; MAX_SLOTS],
    /// Volatile: slots it knows are chosen.
    pub chosen: Slots,
    /// Volatile: commands waiting for Phase 1 to end.
    pub queue: [Option<Cmd>; QUEUE],
}

fn bit(n: NodeId) -> u16 {
    1 << n.index
}

impl LogProposer {
    /// A fresh follower that believes P1 leads.
    pub fn new(id: NodeId) -> Self {
        LogProposer {
            id,
            max_round: 0,
            stage: Stage::Follower,
            ballot: None,
            leader: NodeId::proposer(0),
            from: 0,
            promises: 0,
            reported: Votes::default(),
            reporters: [0; MAX_SLOTS],
            log: [None; MAX_SLOTS],
            accepts: [0; MAX_SLOTS],
            chosen: 0,
            queue: [None; QUEUE],
        }
    }

    /// The single entry point for a message.
    pub fn handle(&mut self, from: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        match msg {
            Msg::Log(LogMsg::Submit { value, retry }) => self.on_submit(from, value, retry, ctx, out),
            Msg::Log(LogMsg::LogPromise { ballot, votes, .. }) => self.on_promise(from, ballot, votes, ctx, out),
            Msg::Log(LogMsg::LogAccepted { slot, ballot, value }) => {
                self.on_accepted(from, slot, ballot, value, ctx, out)
            }
            Msg::Log(LogMsg::CatchUp { from: first }) => self.on_catch_up(from, first, out),
            Msg::Nack { ballot, promised } => self.on_nack(from, ballot, promised, out),
            _ => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// The slot a command is in, if it is in this proposer's log.
    pub fn slot_of(&self, cmd: Cmd) -> Option<Slot> {
        self.log.iter().position(|c| *c == Some(cmd)).map(|s| s as Slot)
    }

    /// The next free slot at or above `from`.
    pub fn next_free(&self) -> Slot {
        (self.from..MAX_SLOTS as u8).find(|s| self.log[*s as usize].is_none()).unwrap_or(MAX_SLOTS as u8)
    }

    /// Slots proposed in the current ballot and not yet known chosen.
    pub fn open(&self) -> Slots {
        (0..MAX_SLOTS).filter(|s| self.log[*s].is_some() && self.chosen & (1 << s) == 0).fold(0, |m, s| m | 1 << s)
    }

    /// Phase 0: a client's command. A leader gives it the next free slot; a candidate queues it;
    /// a follower redirects it, unless it believes it leads or the client retries after a
    /// timeout, and then it starts Phase 1.
    pub fn on_submit(&mut self, client: NodeId, value: Cmd, retry: bool, ctx: &Ctx, out: &mut Outbox) {
        if let Some(slot) = self.slot_of(value) {
            let chosen = self.chosen & (1 << slot) != 0;
            out.decide(Decision::Log(LogDecision::Known { value, slot, chosen }));
            if chosen {
                out.send(client, Msg::Log(LogMsg::LogReply { slot, value }));
            }
            return;
        }
        match self.stage {
            Stage::Leading => self.assign(value, ctx, out),
            Stage::Preparing => self.enqueue(value, out),
            Stage::Follower if !retry && self.leader != self.id => {
                out.decide(Decision::Log(LogDecision::Redirect { client, value, leader: self.leader }));
                out.send(client, Msg::Log(LogMsg::Redirect { value, leader: self.leader }));
            }
            Stage::Follower => {
                self.queue = [Some(value), None, None, None];
                self.campaign(Campaign::Request { client, value, retry }, ctx, out);
            }
        }
    }

    fn enqueue(&mut self, value: Cmd, out: &mut Outbox) {
        match (self.queue.iter_mut().find(|q| q.is_none()), self.ballot) {
            (Some(q), Some(ballot)) => {
                *q = Some(value);
                out.decide(Decision::Log(LogDecision::Queued { value, ballot }));
            }
            _ => out.decide(Decision::Log(LogDecision::Full { value })),
        }
    }

    /// A leader's fast path: the next free slot, straight to Phase 2.
    fn assign(&mut self, value: Cmd, ctx: &Ctx, out: &mut Outbox) {
        let (slot, Some(ballot)) = (self.next_free(), self.ballot) else { return };
        if slot >= ctx.slots {
            return out.decide(Decision::Log(LogDecision::Full { value }));
        }
        self.log[slot as usize] = Some(value);
        out.decide(Decision::Log(LogDecision::Assigned { value, slot, ballot }));
        out.to_acceptors(ctx, Msg::Log(LogMsg::LogAccept { slot, ballot, value }));
        out.set_timer(TimerKind::Retry);
    }

    /// Phase 1a for every slot from the first one it does not know to be chosen.
    fn campaign(&mut self, cause: Campaign, ctx: &Ctx, out: &mut Outbox) {
        self.max_round += 1;
        let owner = if ctx.off(Switch::SharedBallots) { NodeId::proposer(0) } else { self.id };
        let ballot = Ballot { round: self.max_round, proposer: owner };
        let from = (0..MAX_SLOTS as u8).find(|s| self.chosen & (1 << s) == 0).unwrap_or(MAX_SLOTS as u8);
        for s in 0..MAX_SLOTS {
            if self.chosen & (1 << s) == 0 {
                self.log[s] = None;
            }
        }
        *self = LogProposer {
            stage: Stage::Preparing,
            ballot: Some(ballot),
            leader: self.id,
            from,
            promises: 0,
            reported: Votes::default(),
            reporters: [0; MAX_SLOTS],
            accepts: [0; MAX_SLOTS],
            ..*self
        };
        out.decide(Decision::Log(LogDecision::Campaign { ballot, from, cause }));
        out.to_acceptors(ctx, Msg::Log(LogMsg::LogPrepare { ballot, from }));
        out.set_timer(TimerKind::Retry);
    }

    /// Is a reply about `ballot` still awaited in `stage`? If not, why it is ignored.
    fn stale(&self, kind: Kind, ballot: Ballot, stage: Stage) -> Option<Decision> {
        (self.ballot != Some(ballot) || self.stage != stage).then_some(Decision::Log(LogDecision::Stale {
            kind,
            ballot,
            current: self.ballot,
        }))
    }

    /// Phase 1b received. Keep the highest-ballot vote reported per slot; with a quorum, lead.
    pub fn on_promise(&mut self, from: NodeId, ballot: Ballot, votes: Votes, ctx: &Ctx, out: &mut Outbox) {
        if let Some(d) = self.stale(Kind::Promise, ballot, Stage::Preparing) {
            return out.decide(d);
        }
        if self.promises & bit(from) != 0 {
            return out.decide(Decision::Log(LogDecision::AlreadyCounted { kind: Kind::Promise, from }));
        }
        self.promises |= bit(from);
        let mut reported = 0;
        for (s, v) in votes.iter().filter(|(s, _)| *s >= self.from) {
            reported |= 1 << s;
            match self.reported.get(s) {
                Some(h) if h.ballot > v.ballot => {}
                Some(h) if h.ballot == v.ballot => self.reporters[s as usize] |= bit(from),
                _ => {
                    self.reported.set(s, Some(v));
                    self.reporters[s as usize] = bit(from);
                }
            }
        }
        let have = self.promises.count_ones() as u8;
        if have < ctx.quorum {
            let d = LogDecision::PromiseCounted { ballot, from, have, need: ctx.quorum, reported };
            return out.decide(Decision::Log(d));
        }
        self.elect(ballot, have, ctx, out);
    }

    /// Phase 1 done: re-propose the highest-ballot value reported in each slot (P2c, per slot),
    /// fill holes below the highest reported slot with no-ops, then the queued commands.
    fn elect(&mut self, ballot: Ballot, have: u8, ctx: &Ctx, out: &mut Outbox) {
        let top = if ctx.off(Switch::SkipRecovery) { None } else { self.reported.highest() };
        let known = self.log;
        let mut queue = self.queue.into_iter().flatten().filter(|c| !known.contains(&Some(*c)));
        let (mut recovered, mut noops, mut fresh) = (0u16, 0u16, 0u16);
        for s in self.from..top.map_or(self.from, |t| t + 1) {
            if self.chosen & (1 << s) != 0 {
                continue;
            }
            let (cmd, set) = match self.reported.get(s) {
                // P2c off: its own command where one was reported, else a no-op.
                Some(_) if ctx.off(Switch::IgnoreReportedValues) => match queue.next() {
                    Some(c) => (c, &mut fresh),
                    None => (Cmd::NOOP, &mut noops),
                },
                Some(v) => (v.cmd, &mut recovered),
                None => (Cmd::NOOP, &mut noops),
            };
            self.log[s as usize] = Some(cmd);
            *set |= 1 << s;
        }
        // A queued command that recovery has just put back in its slot (a client's retry of a
        // command the old leader had proposed) is not given a second slot.
        let queued: Vec<Cmd> = queue.collect();
        for c in queued {
            if self.log.contains(&Some(c)) {
                continue;
            }
            let s = self.next_free();
            if s < ctx.slots {
                self.log[s as usize] = Some(c);
                fresh |= 1 << s;
            }
        }
        self.stage = Stage::Leading;
        self.queue = [None; QUEUE];
        let d = LogDecision::Elected { ballot, from: self.from, have, recovered, noops, fresh };
        out.decide(Decision::Log(d));
        for s in super::slots_of(recovered | noops | fresh) {
            let value = self.log[s as usize].unwrap_or(Cmd::NOOP);
            out.to_acceptors(ctx, Msg::Log(LogMsg::LogAccept { slot: s, ballot, value }));
        }
        if recovered | noops | fresh == 0 {
            out.cancel_timer();
        } else {
            out.set_timer(TimerKind::Retry);
        }
    }

    /// Phase 2b received. A quorum in a slot chooses it: commit it and reply to its client.
    pub fn on_accepted(&mut self, from: NodeId, slot: Slot, ballot: Ballot, value: Cmd, ctx: &Ctx, out: &mut Outbox) {
        let i = slot as usize % MAX_SLOTS;
        let stale = self.stale(Kind::Accepted, ballot, Stage::Leading);
        if let Some(d) =
            stale.or((self.chosen & (1 << i) != 0).then_some(Decision::Log(LogDecision::AlreadyKnown { slot })))
        {
            return out.decide(d);
        }
        if self.accepts[i] & bit(from) != 0 {
            return out.decide(Decision::Log(LogDecision::AlreadyCounted { kind: Kind::Accepted, from }));
        }
        self.accepts[i] |= bit(from);
        let (have, need) = (self.accepts[i].count_ones() as u8, ctx.quorum);
        if have < need {
            return out.decide(Decision::Log(LogDecision::VoteCounted { slot, ballot, have, need }));
        }
        self.chosen |= 1 << i;
        self.log[i] = Some(value);
        out.decide(Decision::Log(LogDecision::SlotChosen { slot, ballot, value, have }));
        let commit = Msg::Log(LogMsg::LogCommit { slot, ballot, value });
        out.to_acceptors(ctx, commit);
        out.to_learners(ctx, commit);
        if let Some(c) = value.client() {
            out.send(c, Msg::Log(LogMsg::LogReply { slot, value }));
        }
        if self.open() == 0 {
            out.cancel_timer();
        }
    }

    /// A learner missed slots: send it every chosen slot from `first` on that this proposer knows.
    pub fn on_catch_up(&mut self, learner: NodeId, first: Slot, out: &mut Outbox) {
        let slots = (first as usize..MAX_SLOTS).filter(|s| self.chosen & (1 << s) != 0).fold(0u16, |m, s| m | 1 << s);
        out.decide(Decision::Log(LogDecision::Resent { to: learner, slots }));
        for s in super::slots_of(slots) {
            let value = self.log[s as usize].unwrap_or(Cmd::NOOP);
            let ballot = self.ballot.unwrap_or(Ballot::new(0, self.id.index));
            out.send(learner, Msg::Log(LogMsg::LogCommit { slot: s, ballot, value }));
        }
    }

    /// A refusal: someone promised a higher ballot. A candidate or leader steps down and
    /// remembers who leads; it does not fight back (a client's retry or a timeout will).
    pub fn on_nack(&mut self, by: NodeId, ballot: Ballot, promised: Ballot, out: &mut Outbox) {
        self.max_round = self.max_round.max(promised.round);
        if promised.proposer != self.id {
            self.leader = promised.proposer;
        }
        if self.ballot != Some(ballot) || self.stage == Stage::Follower {
            return out.decide(Decision::Log(LogDecision::Stale { kind: Kind::Nack, ballot, current: self.ballot }));
        }
        self.stage = Stage::Follower;
        self.queue = [None; QUEUE];
        out.decide(Decision::Log(LogDecision::Demoted { ballot, promised, by }));
        out.cancel_timer();
    }

    /// The timer fired. A candidate's Phase 1 is stuck: it tries again with a higher ballot. A
    /// leader's ballot still holds, so it only sends the Accepts of its open slots again.
    pub fn on_timeout(&mut self, ctx: &Ctx, out: &mut Outbox) {
        match (self.stage, self.ballot) {
            (Stage::Preparing, _) => self.campaign(Campaign::Timeout, ctx, out),
            (Stage::Leading, Some(ballot)) if self.open() != 0 => {
                let slots = self.open();
                out.decide(Decision::Log(LogDecision::Retransmit { ballot, slots }));
                for slot in super::slots_of(slots) {
                    let value = self.log[slot as usize].unwrap_or(Cmd::NOOP);
                    out.to_acceptors(ctx, Msg::Log(LogMsg::LogAccept { slot, ballot, value }));
                }
                out.set_timer(TimerKind::Retry);
            }
            _ => out.decide(Decision::Ignored { why: Why::NothingToRetry }),
        }
    }

    /// Is there something a timeout would retry?
    pub fn stuck(&self) -> bool {
        self.stage == Stage::Preparing || (self.stage == Stage::Leading && self.open() != 0)
    }

    /// A crash keeps only the round.
    pub fn crash(&mut self) {
        *self = LogProposer { max_round: self.max_round, ..LogProposer::new(self.id) };
    }

    /// A restart; with amnesia, the round too.
    pub fn restart(&mut self, amnesia: bool) {
        if amnesia {
            *self = LogProposer::new(self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::multi::Vote;
    use crate::paxos::outbox::{test_ctx, Out};

    const C1: NodeId = NodeId::client(0);
    const P1: NodeId = NodeId::proposer(0);
    const P2: NodeId = NodeId::proposer(1);
    fn a(i: u8) -> NodeId {
        NodeId::acceptor(i)
    }
    fn x(n: u8) -> Cmd {
        Cmd::new(0, n).unwrap()
    }
    fn b(round: u32, p: u8) -> Ballot {
        Ballot::new(round, p)
    }
    fn accepts(out: &Outbox) -> Vec<(Slot, Cmd)> {
        let mut v: Vec<_> = out
            .items
            .iter()
            .filter_map(|o| match o {
                Out::Send { to, msg: Msg::Log(LogMsg::LogAccept { slot, value, .. }) } if *to == a(0) => {
                    Some((*slot, *value))
                }
                _ => None,
            })
            .collect();
        v.sort();
        v
    }
    fn prepares(out: &Outbox) -> usize {
        out.items.iter().filter(|o| matches!(o, Out::Send { msg: Msg::Log(LogMsg::LogPrepare { .. }), .. })).count()
    }
    fn vote(round: u32, p: u8, cmd: Cmd) -> Option<Vote> {
        Some(Vote { ballot: b(round, p), cmd })
    }

    /// P1 led with ballot 1.1 and got X1 chosen in slot 1; it is a fresh leader for later tests.
    fn leader() -> LogProposer {
        let mut p = LogProposer::new(P1);
        let mut out = Outbox::default();
        p.on_submit(C1, x(1), false, &test_ctx(), &mut out);
        p.on_promise(a(0), b(1, 0), Votes::default(), &test_ctx(), &mut out);
        p.on_promise(a(1), b(1, 0), Votes::default(), &test_ctx(), &mut out);
        p.on_accepted(a(0), 0, b(1, 0), x(1), &test_ctx(), &mut out);
        p.on_accepted(a(1), 0, b(1, 0), x(1), &test_ctx(), &mut out);
        assert_eq!((p.stage, p.chosen), (Stage::Leading, 1));
        p
    }

    #[test]
    fn phase1a_covers_every_slot_from_the_first_not_known_chosen() {
        let mut p = leader();
        let mut out = Outbox::default();
        p.campaign(Campaign::Timeout, &test_ctx(), &mut out);
        let sent: Vec<_> = out
            .items
            .iter()
            .filter_map(|o| match o {
                Out::Send { msg: Msg::Log(LogMsg::LogPrepare { ballot, from }), .. } => Some((*ballot, *from)),
                _ => None,
            })
            .collect();
        assert_eq!(sent, vec![(b(2, 0), 1); 3], "Prepare 2.1 from s2 to each acceptor");
    }

    #[test]
    fn a_stable_leader_skips_phase1_one_accept_round_per_command() {
        let mut p = leader();
        let mut out = Outbox::default();
        p.on_submit(C1, x(2), false, &test_ctx(), &mut out);
        assert_eq!(prepares(&out), 0, "no Phase 1 while ballot 1.1 holds");
        assert_eq!(accepts(&out), vec![(1, x(2))], "X2 goes to the next free slot, s2");
    }

    #[test]
    fn p2c_per_slot_the_new_leader_reproposes_the_highest_ballot_vote_and_fills_holes_with_noops() {
        let mut p = LogProposer::new(P2);
        let mut out = Outbox::default();
        p.on_submit(C1, x(4), true, &test_ctx(), &mut out);
        let (mut v1, mut v2) = (Votes::default(), Votes::default());
        v1.set(0, vote(1, 0, x(1)));
        v1.set(2, vote(1, 0, x(2)));
        v2.set(0, vote(1, 0, x(1)));
        v2.set(2, vote(2, 0, x(3)));
        p.on_promise(a(0), b(1, 1), v1, &test_ctx(), &mut out);
        p.on_promise(a(1), b(1, 1), v2, &test_ctx(), &mut out);
        assert_eq!(p.stage, Stage::Leading);
        assert_eq!(
            accepts(&out),
            vec![(0, x(1)), (1, Cmd::NOOP), (2, x(3)), (3, x(4))],
            "s1 X1; s2 a hole; s3 the 2.1 vote beats the 1.1 one; the new command in s4"
        );
    }

    #[test]
    fn skip_recovery_switch_gives_reported_slots_to_new_commands() {
        let mut ctx = test_ctx();
        ctx.switches = ctx.switches.with(Switch::SkipRecovery);
        let mut p = LogProposer::new(P2);
        let mut out = Outbox::default();
        p.on_submit(C1, x(2), true, &ctx, &mut out);
        let mut v = Votes::default();
        v.set(0, vote(1, 0, x(1)));
        p.on_promise(a(0), b(1, 1), v, &ctx, &mut out);
        p.on_promise(a(1), b(1, 1), v, &ctx, &mut out);
        assert_eq!(accepts(&out), vec![(0, x(2))], "slot 1 reused although X1 was reported there");
    }

    #[test]
    fn a_nack_demotes_the_leader_and_it_follows_the_higher_ballot() {
        let mut p = leader();
        let mut out = Outbox::default();
        p.on_nack(a(0), b(1, 0), b(2, 1), &mut out);
        assert_eq!((p.stage, p.leader, p.max_round), (Stage::Follower, P2, 2));
        let mut out = Outbox::default();
        p.on_submit(C1, x(2), false, &test_ctx(), &mut out);
        let redirect = Out::Send { to: C1, msg: Msg::Log(LogMsg::Redirect { value: x(2), leader: P2 }) };
        assert!(out.items.contains(&redirect), "{out:?}");
    }

    #[test]
    fn a_quorum_of_accepted_in_one_slot_commits_that_slot_only() {
        let mut p = leader();
        let mut out = Outbox::default();
        p.on_submit(C1, x(2), false, &test_ctx(), &mut out);
        p.on_submit(C1, x(3), false, &test_ctx(), &mut out);
        p.on_accepted(a(0), 2, b(1, 0), x(3), &test_ctx(), &mut out);
        p.on_accepted(a(2), 2, b(1, 0), x(3), &test_ctx(), &mut out);
        assert_eq!(p.chosen, 0b101, "s3 chosen, s2 still open");
        assert_eq!(p.open(), 0b10);
        let mut out = Outbox::default();
        p.on_timeout(&test_ctx(), &mut out);
        assert_eq!(accepts(&out), vec![(1, x(2))], "the retry resends only the open slot");
    }

    #[test]
    fn a_promise_for_an_old_ballot_is_stale() {
        let mut p = leader();
        let mut out = Outbox::default();
        p.on_promise(a(2), b(1, 0), Votes::default(), &test_ctx(), &mut out);
        assert!(matches!(out.decision, Some(Decision::Log(LogDecision::Stale { .. }))), "{out:?}");
    }
}
