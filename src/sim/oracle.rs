//! The safety oracle: the global view no node has. It records every vote ever cast, decides the
//! moment a value is *chosen*, and checks the safety properties of *Paxos Made Simple* at every
//! step.
//!
//! | property | paper |
//! |---|---|
//! | agreement: at most one value chosen | §2.1 safety requirements |
//! | validity: only a proposed (requested) value is chosen | §2.1 |
//! | learners, commits and replies carry only the chosen value | §2.1 "a process never learns that a value has been chosen unless it actually has been" |
//! | promises never decrease | §2.2 P1a, durability in §2.4 |
//! | no accept below the promise | §2.2 P1a |
//! | ballots unique and rising | §2.2 "different proposals have different numbers" |

use super::command::{Event, Invariant};
use crate::paxos::{Ballot, NodeId, Value};
use std::collections::BTreeSet;

/// The oracle's records. They only grow: they are history, not node state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Oracle {
    /// Acceptors that have ever accepted each (ballot, value), as a bit set. Votes for a value
    /// already chosen are not kept: they cannot choose anything new, and dropping them keeps the
    /// record (and every timeline checkpoint) small however long a run goes.
    votes: Vec<(Ballot, Value, u16)>,
    /// Each distinct chosen value, with the ballot that first chose it.
    chosen: Vec<(Ballot, Value)>,
    /// Every value a client requested.
    requested: BTreeSet<Value>,
    /// The last ballot each proposer started, and the value it proposed in it. Because each
    /// proposer's ballots must rise and must carry its own id, this is all it takes to catch a
    /// ballot used twice.
    last_started: [Option<(Ballot, Option<Value>)>; 5],
    /// The highest ballot each proposer ever started. After an amnesia restart a proposer starts
    /// again from round 1, and every ballot it then starts at or below this one is a reuse.
    max_started: [Option<Ballot>; 5],
    /// Every breach so far, in order.
    violations: Vec<(Invariant, String)>,
    /// Verdicts of the current step, appended after its other events.
    pending: Vec<Event>,
    /// Multi-Paxos: the same records per slot (see `super::log_oracle`).
    pub(crate) log: Option<Box<super::log_oracle::LogOracle>>,
}

impl Oracle {
    /// The values chosen so far, each with the ballot that first chose it. More than one means
    /// agreement is broken.
    pub fn chosen(&self) -> &[(Ballot, Value)] {
        &self.chosen
    }

    /// Every breach so far.
    pub fn violations(&self) -> &[(Invariant, String)] {
        &self.violations
    }

    /// Every value a client asked for.
    pub fn requested(&self) -> &BTreeSet<Value> {
        &self.requested
    }

    /// A summary of which recorded (ballot, value) pairs acceptor `i` voted for, that does not
    /// depend on what the other acceptors are called (for the explorer's symmetry).
    pub(crate) fn voter_signature(&self, i: usize) -> u64 {
        self.votes
            .iter()
            .filter(|(_, _, who)| who & (1 << i) != 0)
            .map(|(b, v, _)| {
                let x = (b.round as u64) << 16 | (b.proposer.index as u64) << 8 | v.as_str().as_bytes()[0] as u64;
                x.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            })
            .fold(0, u64::wrapping_add)
    }

    /// Entries in the vote record (for memory accounting).
    pub fn history_len(&self) -> usize {
        self.votes.len()
    }

    /// Appends the explorer-relevant history: votes, chosen values and each proposer's last
    /// ballot. (Requests are fixed before exploring; breaches end the search.)
    pub(crate) fn encode(
        &self,
        out: &mut Vec<u8>,
        val: impl Fn(Value) -> u8,
        ballot: impl Fn(&mut Vec<u8>, Option<Ballot>),
        voters: impl Fn(u16) -> u16,
    ) {
        out.push(self.votes.len() as u8);
        for (b, v, who) in &self.votes {
            ballot(out, Some(*b));
            out.push(val(*v));
            out.extend(voters(*who).to_le_bytes());
        }
        out.push(self.chosen.len() as u8);
        for (b, v) in &self.chosen {
            ballot(out, Some(*b));
            out.push(val(*v));
        }
        for last in &self.last_started {
            ballot(out, last.map(|l| l.0));
            out.push(last.and_then(|l| l.1).map_or(0xFF, &val));
        }
        for max in &self.max_started {
            ballot(out, *max);
        }
    }

    /// Reads what [`Oracle::encode`] wrote. Breaches are cleared: the explorer stops at the first.
    pub(crate) fn decode(
        &mut self,
        r: &mut super::world::codec::Reader,
        val: impl Fn(u8) -> Option<Value>,
        ballot: impl Fn(&mut super::world::codec::Reader) -> Option<Ballot>,
    ) {
        let fallback = || Value::new("?").expect("valid");
        self.votes.clear();
        for _ in 0..r.u8() {
            let b = ballot(r).unwrap_or(Ballot::new(0, 0));
            let v = val(r.u8()).unwrap_or_else(fallback);
            let voters = u16::from_le_bytes([r.u8(), r.u8()]);
            self.votes.push((b, v, voters));
        }
        self.chosen.clear();
        for _ in 0..r.u8() {
            let b = ballot(r).unwrap_or(Ballot::new(0, 0));
            let v = val(r.u8()).unwrap_or_else(fallback);
            self.chosen.push((b, v));
        }
        for last in &mut self.last_started {
            let b = ballot(r);
            let v = val(r.u8());
            *last = b.map(|b| (b, v));
        }
        for max in &mut self.max_started {
            *max = ballot(r);
        }
        self.violations.clear();
        self.pending.clear();
    }

    /// Hashes the history the Multi-Paxos explorer keeps: each proposer's ballots (for
    /// uniqueness) and the log's votes, chosen slots and applied prefixes.
    pub(crate) fn hash_log_history(&self, h: &mut impl std::hash::Hasher, voters: impl Fn(u16) -> u16) {
        use std::hash::Hash;
        (self.last_started, self.max_started).hash(h);
        if let Some(log) = self.log.as_deref() {
            log.hash_renamed(h, voters);
        }
    }

    /// Copies the explorer-relevant history of `src`, reusing allocations.
    pub(crate) fn copy_history_from(&mut self, src: &Oracle) {
        self.votes.clone_from(&src.votes);
        self.chosen.clone_from(&src.chosen);
        self.last_started = src.last_started;
        self.max_started = src.max_started;
        if let (Some(dst), Some(src)) = (self.log.as_deref_mut(), src.log.as_deref()) {
            dst.copy_from(src);
        }
        self.violations.clear();
        self.pending.clear();
    }

    /// Queues an event of this step (a chosen slot).
    pub(crate) fn note(&mut self, e: Event) {
        self.pending.push(e);
    }

    /// Hands over this step's verdicts.
    pub fn drain_into(&mut self, ev: &mut Vec<Event>) {
        ev.append(&mut self.pending);
    }

    pub(crate) fn violate(&mut self, invariant: Invariant, detail: String) {
        if !self.violations.iter().any(|(i, d)| *i == invariant && *d == detail) {
            self.pending.push(Event::Violated { invariant, detail: detail.clone() });
            self.violations.push((invariant, detail));
        }
    }

    fn is_chosen(&self, v: Value) -> bool {
        self.chosen.iter().any(|(_, c)| *c == v)
    }

    /// A client asked for `v`.
    pub fn on_request(&mut self, v: Value) {
        self.requested.insert(v);
    }

    /// Acceptor `a` accepted (ballot, value) while it had promised `promised`. A true majority
    /// (`majority`) of voters for one (ballot, value) makes the value chosen, right now.
    pub fn on_vote(&mut self, a: NodeId, ballot: Ballot, value: Value, promised: Option<Ballot>, majority: u8) {
        if let Some(p) = promised.filter(|p| ballot < *p) {
            self.violate(
                Invariant::AcceptRespectsPromise,
                format!("{a} accepted ballot {ballot} although it had promised {p}."),
            );
        }
        if self.is_chosen(value) {
            return;
        }
        // Few (ballot, value) pairs are ever open at once, so a sorted vector beats a tree here
        // (and clones and encodes without allocating per entry).
        let i = match self.votes.binary_search_by(|(b, v, _)| (*b, *v).cmp(&(ballot, value))) {
            Ok(i) => i,
            Err(i) => {
                self.votes.insert(i, (ballot, value, 0));
                i
            }
        };
        self.votes[i].2 |= 1 << a.index;
        if self.votes[i].2.count_ones() as u8 >= majority {
            self.chosen.push((ballot, value));
            self.votes.retain(|(_, v, _)| *v != value);
            self.pending.push(Event::Chosen { ballot, value });
            if self.chosen.len() > 1 {
                let (b0, v0) = self.chosen[0];
                self.violate(
                    Invariant::Agreement,
                    format!("{value} is chosen in ballot {ballot}, but {v0} was already chosen in ballot {b0}."),
                );
            }
            if !self.requested.contains(&value) {
                self.violate(Invariant::Validity, format!("{value} is chosen, but no client asked for it."));
            }
        }
    }

    /// An acceptor's promise changed from `before` to `after` (on a delivery or a restart).
    pub fn on_promise_change(&mut self, a: NodeId, before: Option<Ballot>, after: Option<Ballot>, why: &str) {
        if after < before {
            let (b, now) =
                (before.map_or("nothing".into(), |b| b.to_string()), after.map_or("nothing".into(), |b| b.to_string()));
            self.violate(Invariant::PromisesNeverDecrease, format!("{a}'s promise went down from {b} to {now}{why}."));
        }
    }

    /// `node` tells others (`what`: "committed", "replied", "learned") that `v` is chosen.
    pub fn on_outcome(&mut self, node: NodeId, what: &str, v: Value) {
        if !self.is_chosen(v) {
            let detail = match self.chosen.first() {
                Some((_, c)) => format!("{node} {what} {v}, but the chosen value is {c}."),
                None => format!("{node} {what} {v}, but no value has been chosen yet."),
            };
            self.violate(Invariant::OnlyChosenIsLearned, detail);
        }
    }

    /// Proposer `p` sent Prepare or Accept with `ballot` (and, for Accept, `value`).
    pub fn on_ballot_use(&mut self, p: NodeId, ballot: Ballot, value: Option<Value>) {
        if ballot.proposer != p {
            self.violate(
                Invariant::BallotsUnique,
                format!("{p} used ballot {ballot}, which belongs to {}.", ballot.proposer),
            );
        }
        let slot = &mut self.last_started[p.index as usize];
        let Some((current, proposed)) = slot else {
            return;
        };
        if *current != ballot {
            return; // a delayed Accept re-sent for an older ballot changes nothing here
        }
        match (*proposed, value) {
            (None, Some(v)) => *proposed = Some(v),
            (Some(o), Some(v)) if o != v => {
                self.violate(Invariant::BallotsUnique, format!("Ballot {ballot} carried two values: {o} and {v}."))
            }
            _ => {}
        }
    }

    /// Proposer `p` started `ballot`; its ballots must rise above every ballot it ever started.
    pub fn on_ballot_start(&mut self, p: NodeId, ballot: Ballot) {
        let i = p.index as usize;
        if let Some(prev) = self.max_started[i].filter(|prev| ballot <= *prev) {
            self.violate(
                Invariant::BallotsUnique,
                format!("{p} started ballot {ballot} after already using {prev}: it forgot its round."),
            );
        }
        self.last_started[i] = Some((ballot, None));
        self.max_started[i] = self.max_started[i].max(Some(ballot));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ballot_reused_after_an_amnesia_restart_is_flagged() {
        let p2 = NodeId::proposer(1);
        let mut o = Oracle::default();
        for round in 1..=3 {
            o.on_ballot_start(p2, Ballot::new(round, 1));
        }
        assert!(o.violations().is_empty());
        // Amnesia: the proposer starts over from round 1, reusing 1.2, 2.2 and 3.2.
        for round in 1..=4 {
            o.on_ballot_start(p2, Ballot::new(round, 1));
        }
        let flagged: Vec<&str> = o.violations().iter().map(|(_, d)| d.as_str()).collect();
        assert_eq!(
            flagged,
            [
                "P2 started ballot 1.2 after already using 3.2: it forgot its round.",
                "P2 started ballot 2.2 after already using 3.2: it forgot its round.",
                "P2 started ballot 3.2 after already using 3.2: it forgot its round.",
            ]
        );
    }
}
