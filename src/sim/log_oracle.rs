//! The safety oracle for Multi-Paxos: single-decree Paxos's properties, per slot, plus the log's
//! own: every learner and client applies slots in order, without gaps, and only chosen commands.
//! Every breach names its slot.

use super::command::{Event, Invariant};
use super::oracle::Oracle;
use crate::paxos::multi::{slot_name, Cmd, Slot, MAX_SLOTS};
use crate::paxos::{Ballot, NodeId, Role};

/// The log's records; like the rest of the oracle's, they are history, not node state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LogOracle {
    /// Acceptors that ever accepted each (slot, ballot, command), while the slot was not chosen.
    votes: Vec<(Slot, Ballot, Cmd, u16)>,
    /// Per slot, the command chosen first, with its ballot.
    chosen: [Option<(Ballot, Cmd)>; MAX_SLOTS],
    /// Per slot, a different command chosen after it (safety broken), the latest: the grid shows
    /// both, as the narration tells both.
    later: [Option<(Ballot, Cmd)>; MAX_SLOTS],
    /// Per learner (0–4) and client (5–7), the next slot it should apply.
    applied: [u8; 8],
    /// Test builds only: every vote ever cast, as (slot, ballot, command, acceptors), never
    /// pruned, so the explorer's tests can tell runs apart by the votes cast along the way.
    #[cfg(test)]
    cast: Vec<(Slot, Ballot, Cmd, u16)>,
}

impl LogOracle {
    /// A second, different command chosen in `slot` after the first (safety broken), if any.
    pub fn chosen_again(&self, slot: Slot) -> Option<(Ballot, Cmd)> {
        self.later.get(slot as usize).copied().flatten()
    }

    /// The command chosen in `slot`, if any.
    pub fn chosen(&self, slot: Slot) -> Option<(Ballot, Cmd)> {
        self.chosen.get(slot as usize).copied().flatten()
    }

    /// Hashes the records with each set of voters renamed by `voters` (the explorer's symmetry;
    /// the votes stay in order, as they are sorted by slot, ballot and command).
    pub(crate) fn hash_renamed(&self, h: &mut impl std::hash::Hasher, voters: impl Fn(u16) -> u16) {
        use std::hash::Hash;
        for (s, b, c, who) in &self.votes {
            (s, b, c, voters(*who)).hash(h);
        }
        (self.votes.len(), self.chosen, self.applied).hash(h);
        #[cfg(test)]
        for (s, b, c, who) in &self.cast {
            (s, b, c, voters(*who)).hash(h);
        }
    }

    /// Copies `src`, reusing this record's allocation.
    pub(crate) fn copy_from(&mut self, src: &LogOracle) {
        self.votes.clone_from(&src.votes);
        self.chosen = src.chosen;
        self.later = src.later;
        self.applied = src.applied;
        #[cfg(test)]
        self.cast.clone_from(&src.cast);
    }

    /// How many slots from the start are chosen, without a gap: the chosen prefix.
    pub fn chosen_prefix(&self) -> u8 {
        self.chosen.iter().take_while(|c| c.is_some()).count() as u8
    }
}

fn applier(node: NodeId) -> Option<usize> {
    match node.role {
        Role::Learner => Some(node.index as usize),
        Role::Client => Some(5 + node.index as usize),
        Role::Proposer | Role::Acceptor => None,
    }
}

impl Oracle {
    /// An oracle for a Multi-Paxos world.
    pub fn for_log() -> Self {
        let mut o = Oracle::default();
        o.log = Some(Box::default());
        o
    }

    /// The log's records, in Multi-Paxos mode.
    pub fn log(&self) -> Option<&LogOracle> {
        self.log.as_deref()
    }

    /// Acceptor `a` accepted `cmd` in `slot` and `ballot`, having promised `promised`. A true
    /// majority for one (slot, ballot, command) chooses it, right now.
    pub fn on_slot_vote(
        &mut self,
        a: NodeId,
        slot: Slot,
        ballot: Ballot,
        cmd: Cmd,
        promised: Option<Ballot>,
        majority: u8,
    ) {
        if let Some(p) = promised.filter(|p| ballot < *p) {
            let detail =
                format!("In slot {}, {a} accepted ballot {ballot} although it had promised {p}.", slot_name(slot));
            self.violate(Invariant::AcceptRespectsPromise, detail);
        }
        let requested = cmd.is_noop() || cmd.value().is_some_and(|v| self.requested().contains(&v));
        let Some(log) = self.log.as_deref_mut() else { return };
        #[cfg(test)]
        match log.cast.binary_search_by(|(s, b, c, _)| (*s, *b, *c).cmp(&(slot, ballot, cmd))) {
            Ok(i) => log.cast[i].3 |= 1 << a.index,
            Err(i) => log.cast.insert(i, (slot, ballot, cmd, 1 << a.index)),
        }
        if log.chosen(slot).is_some_and(|(_, c)| c == cmd) {
            return;
        }
        let key = (slot, ballot, cmd);
        let i = match log.votes.binary_search_by(|(s, b, c, _)| (*s, *b, *c).cmp(&key)) {
            Ok(i) => i,
            Err(i) => {
                log.votes.insert(i, (slot, ballot, cmd, 0));
                i
            }
        };
        log.votes[i].3 |= 1 << a.index;
        if (log.votes[i].3.count_ones() as u8) < majority {
            return;
        }
        let first = log.chosen[slot as usize % MAX_SLOTS];
        match first {
            None => log.chosen[slot as usize % MAX_SLOTS] = Some((ballot, cmd)),
            Some(_) => log.later[slot as usize % MAX_SLOTS] = Some((ballot, cmd)),
        }
        log.votes.retain(|(s, _, c, _)| !(*s == slot && *c == cmd));
        self.note(Event::SlotChosen { slot, ballot, value: cmd });
        let s = slot_name(slot);
        if let Some((b0, c0)) = first {
            self.violate(
                Invariant::Agreement,
                format!("In slot {s}, {cmd} is chosen in ballot {ballot}, but {c0} was already chosen there in ballot {b0}."),
            );
        }
        if !requested {
            self.violate(Invariant::Validity, format!("In slot {s}, {cmd} is chosen, but no client asked for it."));
        }
    }

    /// `node` says (`what`: "committed", "replied") that `cmd` is chosen in `slot`.
    pub fn on_slot_outcome(&mut self, node: NodeId, what: &str, slot: Slot, cmd: Cmd) {
        let Some(log) = self.log.as_deref() else { return };
        let s = slot_name(slot);
        let detail = match log.chosen(slot) {
            Some((_, c)) if c == cmd => return,
            Some((_, c)) => format!("{node} {what} {cmd} in slot {s}, but the command chosen there is {c}."),
            None => format!("{node} {what} {cmd} in slot {s}, but nothing is chosen there yet."),
        };
        self.violate(Invariant::OnlyChosenIsLearned, detail);
    }

    /// A learner or client applied `slot`: it must be the next slot, and the chosen command.
    pub fn on_apply(&mut self, node: NodeId, slot: Slot, cmd: Cmd) {
        let Some(i) = applier(node) else { return };
        let Some(log) = self.log.as_deref_mut() else { return };
        let expected = log.applied[i];
        log.applied[i] = slot + 1;
        if slot != expected {
            let detail = format!(
                "{node} applied slot {} before slot {}: a log is applied in order, without gaps.",
                slot_name(slot),
                slot_name(expected)
            );
            self.violate(Invariant::AppliedInOrder, detail);
        }
        self.on_slot_outcome(node, "applied", slot, cmd);
    }

    /// A node crashed: a learner or client starts its log again from slot 1.
    pub fn on_crash(&mut self, node: NodeId) {
        if let (Some(i), Some(log)) = (applier(node), self.log.as_deref_mut()) {
            log.applied[i] = 0;
        }
    }
}
