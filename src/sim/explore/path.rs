//! Turning a found state back into a run: the moves that reached it, replayed on a real world as
//! ordinary commands. The search stored states renamed (symmetry) and with some messages left
//! out; the replay keeps, next to the real world, the world as the search saw it and the renaming
//! between the two, so every move lands on the right message and node.

use super::step::{is_harm, Action, Worker, COUNTERS};
use super::{is_ballot_start, settle_learners, Explorer};
use crate::paxos::Role;
use crate::sim::command::{Command, Event};
use crate::sim::world::codec::{message_record, relevant, Scratch};
use crate::sim::world::symmetry::Perm;
use crate::sim::world::World;

/// A run rebuilt: its commands (the search's setup first), and the steps (1-based) where a rule
/// was first broken and where harm followed, if they did.
pub(super) struct Run {
    pub commands: Vec<Command>,
    pub broken_at: Option<usize>,
    pub harm_at: Option<usize>,
}

impl Explorer {
    /// The search's view of a root, and the renaming from the real root to it.
    fn root_view(&self, root: &World) -> (World, Perm) {
        let mut out = vec![0; COUNTERS];
        let perm = if self.options.symmetry {
            root.encode_canonical(&self.values, &mut out, &mut Scratch::default())
        } else {
            root.encode_state(&self.values, &mut out, &mut Scratch::default());
            Perm::ID
        };
        let mut view = root.clone();
        view.decode_state(&self.values, &out[COUNTERS..]);
        (view, perm)
    }

    /// Replays `path` (the search's moves from root `r`) as real commands.
    pub(super) fn rebuild(&self, r: usize, path: &[Action]) -> Run {
        let root = &self.roots[r];
        let mut run = Run { commands: root.prefix.clone(), broken_at: None, harm_at: None };
        let mut real = root.world.clone();
        let (mut view, mut sigma) = self.root_view(&root.world);
        let mut ballots = root.counters[3];
        let last = |b: u8| self.options.last_ballots && b as u32 >= self.bounds.max_rounds;
        for a in path {
            real.mark_last_ballots(last(ballots));
            let back = sigma.inverse();
            let cmds = a.rename(|n| back.node(n)).commands(|k| nth_message(self, &real, k, &sigma));
            for cmd in cmds {
                let events = real.apply(cmd.clone());
                run.commands.push(cmd);
                note(&mut run, &events);
            }
            // The same move in the search's view, and the view renamed again as it was stored.
            let mut events = Vec::new();
            for cmd in a.commands(|k| k as u32 + 1) {
                view.apply_into(&cmd, &mut events);
            }
            settle_learners(&mut view, &mut events, None);
            ballots = ballots.saturating_add(events.iter().filter(|e| is_ballot_start(e)).count() as u8);
            view.set_last_ballots(last(ballots));
            let mut bytes = Vec::new();
            let p = if self.options.symmetry {
                view.encode_canonical(&self.values, &mut bytes, &mut Scratch::default())
            } else {
                view.encode_state(&self.values, &mut bytes, &mut Scratch::default());
                Perm::ID
            };
            view.decode_state(&self.values, &bytes);
            sigma = sigma.then(&p);
        }
        self.finish_with_learners(&mut real, &mut run);
        run
    }

    /// Harm a learner causes shows only once votes reach it: the search delivered them at once,
    /// the replay only when the harm needs them.
    fn finish_with_learners(&self, real: &mut World, run: &mut Run) {
        let wanted = |run: &Run| run.harm_at.is_some() || (self.options.stop_at_rule && run.broken_at.is_some());
        while !wanted(run) {
            let Some(id) = real.in_flight().iter().find(|m| m.to.role == Role::Learner).map(|m| m.id) else {
                break;
            };
            let cmd = Command::Deliver { id };
            let events = real.apply(cmd.clone());
            run.commands.push(cmd);
            note(run, &events);
        }
        // Nothing after the step the search stopped at belongs to the run.
        let end = if self.options.stop_at_rule { run.broken_at.or(run.harm_at) } else { run.harm_at };
        if let Some(end) = end {
            run.commands.truncate(end);
        }
    }
}

fn note(run: &mut Run, events: &[Event]) {
    let at = run.commands.len();
    for e in events {
        if let Event::Violated { invariant, .. } = e {
            if is_harm(*invariant) {
                run.harm_at.get_or_insert(at);
            } else {
                run.broken_at.get_or_insert(at);
            }
        }
    }
}

/// The id of the `k`-th message of `w` in the order the search numbered them: its relevant
/// messages (learners' are delivered at once, so never among them), renamed by `perm`, sorted.
fn nth_message(ex: &Explorer, w: &World, k: u8, perm: &Perm) -> u32 {
    let mut recs: Vec<([u8; crate::sim::world::codec::MSG_BYTES], u32)> = w
        .in_flight()
        .iter()
        .filter(|m| m.to.role != Role::Learner && relevant(w, m))
        .map(|m| (message_record(&ex.values, m, perm), m.id))
        .collect();
    crate::small_sort::sort(&mut recs);
    recs.get(k as usize).map_or(0, |r| r.1)
}

/// Encodes `w` as the search stores it, for checks from outside the search.
pub(super) fn stored_form(ex: &Explorer, w: &World, counters: [u8; COUNTERS]) -> Vec<u8> {
    let mut w = w.clone();
    w.set_last_ballots(ex.options.last_ballots && counters[3] as u32 >= ex.bounds.max_rounds);
    let mut out = Vec::new();
    Worker::encode(&w, counters, &ex.values, &ex.options, &mut out);
    out
}
