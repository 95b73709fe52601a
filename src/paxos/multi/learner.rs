//! The Multi-Paxos learner: it counts votes per slot, learns a slot from a quorum or a Commit,
//! applies the log in order (only a gap-free prefix), and asks for the slots it missed.

use super::{Cmd, LogDecision, LogMsg, Slot, MAX_SLOTS};
use crate::paxos::{Ballot, Ctx, Decision, Kind, Msg, NodeId, Outbox, Why};
use serde::{Deserialize, Serialize};

/// Votes counted in one slot, for its highest ballot seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlotTally {
    /// The ballot.
    pub ballot: Ballot,
    /// The command.
    pub value: Cmd,
    /// Acceptors that voted for it (bit i = A(i+1)).
    pub voters: u16,
}

/// One learner's state; all volatile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogLearner {
    /// Votes per slot.
    pub tallies: [Option<SlotTally>; MAX_SLOTS],
    /// What it knows is chosen, per slot.
    pub known: [Option<Cmd>; MAX_SLOTS],
    /// Slots applied: the log's prefix 0..applied.
    pub applied: u8,
    /// The applied prefix when it last asked for missing slots (so it asks once per gap).
    pub asked_at: Option<u8>,
}

impl LogLearner {
    /// The single entry point for a message.
    pub fn handle(&mut self, from: NodeId, msg: Msg, ctx: &Ctx, out: &mut Outbox) {
        match msg {
            Msg::Log(LogMsg::LogAccepted { slot, ballot, value }) => {
                self.on_accepted(from, slot, ballot, value, ctx, out)
            }
            Msg::Log(LogMsg::LogCommit { slot, value, .. }) => self.on_commit(from, slot, value, ctx, out),
            _ => out.decide(Decision::Ignored { why: Why::NotForRole { kind: msg.kind() } }),
        }
    }

    /// A vote in one slot. Votes in different ballots do not add up; a higher ballot starts over.
    pub fn on_accepted(&mut self, from: NodeId, slot: Slot, ballot: Ballot, value: Cmd, ctx: &Ctx, out: &mut Outbox) {
        let i = slot as usize % MAX_SLOTS;
        if self.known[i].is_some() {
            return out.decide(Decision::Log(LogDecision::AlreadyKnown { slot }));
        }
        let t = match self.tallies[i] {
            Some(t) if t.ballot > ballot => {
                let d = LogDecision::Stale { kind: Kind::Accepted, ballot, current: Some(t.ballot) };
                return out.decide(Decision::Log(d));
            }
            Some(t) if t.ballot == ballot => t,
            _ => SlotTally { ballot, value, voters: 0 },
        };
        if t.voters & (1 << from.index) != 0 {
            return out.decide(Decision::Log(LogDecision::AlreadyCounted { kind: Kind::Accepted, from }));
        }
        let t = SlotTally { voters: t.voters | 1 << from.index, ..t };
        self.tallies[i] = Some(t);
        let (have, need) = (t.voters.count_ones() as u8, ctx.quorum);
        if have >= need {
            self.learn(slot, value, None, ctx, out);
        } else {
            out.decide(Decision::Log(LogDecision::Tallied { slot, ballot, value, have, need }));
        }
    }

    /// Phase 3: a proposer's Commit for one slot.
    pub fn on_commit(&mut self, from: NodeId, slot: Slot, value: Cmd, ctx: &Ctx, out: &mut Outbox) {
        if self.known[slot as usize % MAX_SLOTS].is_none() {
            return self.learn(slot, value, Some(from), ctx, out);
        }
        // Known already (from votes), but the Commit names a proposer to ask about a gap below.
        if self.ask(slot, from, out) {
            out.decide(Decision::Log(LogDecision::AskedForGap { first: self.applied, to: from }));
        } else {
            out.decide(Decision::Log(LogDecision::AlreadyKnown { slot }));
        }
    }

    /// Asks `proposer` for the slots from the first gap, if one lies below `slot` and it has not
    /// asked at this point yet.
    fn ask(&mut self, slot: Slot, proposer: NodeId, out: &mut Outbox) -> bool {
        let gap = slot > self.applied && self.asked_at != Some(self.applied);
        if gap {
            self.asked_at = Some(self.applied);
            out.send(proposer, Msg::Log(LogMsg::CatchUp { from: self.applied }));
        }
        gap
    }

    /// Knows `slot`; applies every slot of the gap-free prefix, telling each client; if a gap
    /// remains below what it knows and it heard from a proposer, asks that proposer once.
    fn learn(&mut self, slot: Slot, value: Cmd, committer: Option<NodeId>, ctx: &Ctx, out: &mut Outbox) {
        self.known[slot as usize % MAX_SLOTS] = Some(value);
        let before = self.applied;
        while let Some(Some(c)) = self.known.get(self.applied as usize).copied() {
            out.applied(self.applied, c);
            out.to_clients(ctx, Msg::Log(LogMsg::LogAnnounce { slot: self.applied, value: c }));
            self.applied += 1;
        }
        let asked = committer.is_some_and(|p| self.ask(slot, p, out));
        let d =
            LogDecision::Learned { slot, value, by_commit: committer.is_some(), before, after: self.applied, asked };
        out.decide(Decision::Log(d));
    }

    /// A crash forgets everything.
    pub fn crash(&mut self) {
        *self = LogLearner::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::outbox::Out;

    fn ctx() -> Ctx {
        crate::paxos::outbox::test_ctx()
    }
    fn x(n: u8) -> Cmd {
        Cmd::new(0, n).unwrap()
    }
    const P1: NodeId = NodeId::proposer(0);

    #[test]
    fn applies_only_a_gap_free_prefix_in_slot_order() {
        let mut l = LogLearner::default();
        let mut out = Outbox::default();
        l.on_commit(P1, 1, x(2), &ctx(), &mut out);
        assert_eq!(l.applied, 0, "slot 1 waits for slot 0");
        assert!(out.items.contains(&Out::Send { to: P1, msg: Msg::Log(LogMsg::CatchUp { from: 0 }) }));
        let _ = out.take();
        l.on_commit(P1, 0, x(1), &ctx(), &mut out);
        assert_eq!(l.applied, 2);
        let applied: Vec<_> =
            out.items.iter().filter_map(|o| if let Out::Applied(s, c) = o { Some((*s, *c)) } else { None }).collect();
        assert_eq!(applied, vec![(0, x(1)), (1, x(2))]);
    }

    #[test]
    fn a_quorum_of_votes_in_one_slot_and_ballot_learns_it() {
        let mut l = LogLearner::default();
        let mut out = Outbox::default();
        let b = Ballot::new(1, 0);
        l.on_accepted(NodeId::acceptor(0), 0, b, x(1), &ctx(), &mut out);
        l.on_accepted(NodeId::acceptor(1), 0, Ballot::new(2, 1), x(1), &ctx(), &mut out);
        assert_eq!(l.known[0], None, "votes in different ballots do not add up");
        l.on_accepted(NodeId::acceptor(2), 0, Ballot::new(2, 1), x(1), &ctx(), &mut out);
        assert_eq!(l.known[0], Some(x(1)));
        assert_eq!(l.applied, 1);
    }
}
