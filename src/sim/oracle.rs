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
use std::collections::{BTreeMap, BTreeSet};

/// The oracle's records. They only grow: they are history, not node state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Oracle {
    /// Acceptors that have ever accepted each (ballot, value), as a bit set. Votes for a value
    /// already chosen are not kept: they cannot choose anything new, and dropping them keeps the
    /// record (and every timeline checkpoint) small however long a run goes.
    votes: BTreeMap<(Ballot, Value), u16>,
    /// Each distinct chosen value, with the ballot that first chose it.
    chosen: Vec<(Ballot, Value)>,
    /// Every value a client requested.
    requested: BTreeSet<Value>,
    /// The last ballot each proposer started, and the value it proposed in it. Because each
    /// proposer's ballots must rise and must carry its own id, this is all it takes to catch a
    /// ballot used twice.
    last_started: [Option<(Ballot, Option<Value>)>; 5],
    /// Every breach so far, in order.
    violations: Vec<(Invariant, String)>,
    /// Verdicts of the current step, appended after its other events.
    pending: Vec<Event>,
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

    /// Entries in the vote record (for memory accounting).
    pub fn history_len(&self) -> usize {
        self.votes.len()
    }

    /// Hands over this step's verdicts.
    pub fn drain_into(&mut self, ev: &mut Vec<Event>) {
        ev.append(&mut self.pending);
    }

    fn violate(&mut self, invariant: Invariant, detail: String) {
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
        let voters = self.votes.entry((ballot, value)).or_insert(0);
        *voters |= 1 << a.index;
        if voters.count_ones() as u8 >= majority {
            self.chosen.push((ballot, value));
            self.votes.retain(|(_, v), _| *v != value);
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

    /// Proposer `p` started `ballot`; its ballots must rise.
    pub fn on_ballot_start(&mut self, p: NodeId, ballot: Ballot) {
        let last = self.last_started[p.index as usize];
        if let Some((prev, _)) = last.filter(|(prev, _)| ballot <= *prev) {
            self.violate(
                Invariant::BallotsUnique,
                format!("{p} started ballot {ballot} after already using {prev}: it forgot its round."),
            );
        }
        self.last_started[p.index as usize] = Some((ballot, None));
    }
}
