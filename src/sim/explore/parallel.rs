//! Expanding part of a level on several threads (natively only).
//!
//! Each thread expands a contiguous slice of the level with its own worlds and keeps what every
//! move led to. The results are then taken in one by one, in the order a single thread would
//! have found them, so the states stored, the counts and the counterexample are the same for any
//! number of threads.

use super::step::Action;
use super::step::Worker;
use super::{fingerprint, is_harm, Explorer};
use crate::sim::command::Invariant;

/// Expands up to `budget` states of the current level; returns how many.
pub(super) fn expand_level(ex: &mut Explorer, budget: usize) -> usize {
    let start = ex.cursor;
    let end = (start + budget).min(ex.level.len());
    let threads = ex.threads.min(end - start).max(1);
    let per = (end - start).div_ceil(threads);
    let results: Vec<Vec<(u64, Vec<Found>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (lo, hi) = (start + t * per, (start + (t + 1) * per).min(end));
                let ex = &*ex;
                s.spawn(move || expand_slice(ex, lo, hi))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("an explorer thread panicked")).collect()
    });
    for (parent, found) in results.into_iter().flatten() {
        if ex.verdict.is_some() {
            break;
        }
        ex.cursor += 1;
        ex.expanded += 1;
        ex.take_state(parent, found);
    }
    ex.cursor - start
}

/// What every move from states `lo..hi` leads to. A state already stored before this level is
/// left out here (storing it again would do nothing), which saves copying it.
fn expand_slice(ex: &Explorer, lo: usize, hi: usize) -> Vec<(u64, Vec<Found>)> {
    let mut worker = Worker::new(&ex.roots[0].world);
    let mut out = Vec::with_capacity(hi.saturating_sub(lo));
    for i in lo..hi {
        let state = ex.level.get(i);
        let mut found = Vec::new();
        worker.expand(state, &ex.values, &ex.bounds, &ex.options, |n| {
            let known = ex.seen.get(fingerprint(n.bytes)).is_some();
            found.push(Found { action: n.action, bytes: (!known).then(|| n.bytes.to_vec()), broke: n.broke });
        });
        out.push((fingerprint(state), found));
    }
    out
}

/// One move's result, owned (to cross threads, and to be taken in after the expansion).
pub(super) struct Found {
    action: Action,
    /// The new state, unless it was stored before this expansion began.
    bytes: Option<Vec<u8>>,
    broke: Option<(Invariant, String)>,
}

impl Explorer {
    /// Takes in every move of one state, in search order, as [`Explorer::expand_some`] does.
    fn take_state(&mut self, parent: u64, found: Vec<Found>) {
        let mut breaches = Vec::new();
        for f in found {
            self.transitions += 1;
            if let Some((invariant, detail)) = f.broke {
                if is_harm(invariant) || self.options.stop_at_rule {
                    breaches.push((f.action, invariant, detail));
                    continue;
                }
                self.rule.get_or_insert((invariant, detail));
            }
            if let Some(bytes) = f.bytes {
                if self.seen.insert(fingerprint(&bytes), parent, f.action.pack()) {
                    self.next.push(&bytes);
                }
            }
        }
        for (action, invariant, detail) in breaches {
            self.consider(parent, action, invariant, detail);
        }
    }
}
