//! Time travel: undo, redo, seek and fork over a run.
//!
//! The run is its commands. Worlds are kept only as checkpoints every [`CHECKPOINT_EVERY`] steps;
//! seeking restores the nearest checkpoint at or before the target and replays from there.
//! Determinism makes the replayed world identical to the one first seen (RaftScope keeps a clone
//! per change; replay keeps memory to a few hundred bytes per step).

use super::command::{Command, Event, Step};
use super::config::Config;
use super::world::World;

/// Steps between stored worlds. Replaying up to 63 steps takes microseconds; a world of the
/// largest cluster in a busy run takes kilobytes, so sparser checkpoints keep memory per step low.
pub const CHECKPOINT_EVERY: usize = 64;

/// A run that can be rewound.
#[derive(Clone, Debug)]
pub struct Timeline {
    seed: u64,
    steps: Vec<Step>,
    cursor: usize,
    current: World,
    /// `checkpoints[k]` is the world after `k * CHECKPOINT_EVERY` steps.
    checkpoints: Vec<World>,
}

impl Timeline {
    /// A new run. Fails on a config out of range.
    pub fn new(config: Config, seed: u64) -> Result<Self, String> {
        let world = World::new(config, seed)?;
        Ok(Timeline { seed, steps: Vec::new(), cursor: 0, checkpoints: vec![world.clone()], current: world })
    }

    /// The world at the cursor.
    pub fn world(&self) -> &World {
        &self.current
    }
    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// The config.
    pub fn config(&self) -> &Config {
        self.current.config()
    }
    /// Every recorded step, including any future beyond the cursor.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
    /// How many steps are applied (0 is the start).
    pub fn cursor(&self) -> usize {
        self.cursor
    }
    /// Steps recorded in all.
    pub fn len(&self) -> usize {
        self.steps.len()
    }
    /// Is nothing recorded yet?
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
    /// The step that led to the current world, if any.
    pub fn last_step(&self) -> Option<&Step> {
        self.cursor.checked_sub(1).map(|i| &self.steps[i])
    }
    /// The commands up to the cursor.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.steps[..self.cursor].iter().map(|s| &s.command)
    }

    /// Applies a command at the cursor. In the past, this forks: the old future is discarded.
    /// A rejected command is returned but not recorded.
    pub fn apply(&mut self, cmd: Command) -> Vec<Event> {
        let events = self.current.apply(cmd.clone());
        if matches!(events.as_slice(), [Event::Rejected { .. }]) {
            return events;
        }
        self.steps.truncate(self.cursor);
        self.checkpoints.truncate(self.cursor / CHECKPOINT_EVERY + 1);
        self.steps.push(Step { command: cmd, events: events.clone() });
        self.cursor += 1;
        if self.cursor.is_multiple_of(CHECKPOINT_EVERY) {
            self.checkpoints.push(self.current.clone());
        }
        events
    }

    /// Moves to step `n` (clamped to what is recorded) without changing the record.
    pub fn seek(&mut self, n: usize) {
        let n = n.min(self.steps.len());
        if n == self.cursor {
            return;
        }
        let k = n / CHECKPOINT_EVERY;
        // Replay forward from where we are when that is shorter than from the checkpoint.
        if n < self.cursor || k * CHECKPOINT_EVERY > self.cursor {
            self.current = self.checkpoints[k].clone();
            self.cursor = k * CHECKPOINT_EVERY;
        }
        let mut scratch = Vec::new();
        while self.cursor < n {
            scratch.clear();
            self.current.apply_into(&self.steps[self.cursor].command, &mut scratch);
            debug_assert_eq!(scratch, self.steps[self.cursor].events, "replay diverged at step {}", self.cursor + 1);
            self.cursor += 1;
            if self.cursor.is_multiple_of(CHECKPOINT_EVERY) && self.checkpoints.len() == self.cursor / CHECKPOINT_EVERY
            {
                self.checkpoints.push(self.current.clone());
            }
        }
    }

    /// The world after `n` recorded steps, rebuilt from the nearest checkpoint (the cursor does
    /// not move).
    pub fn world_at(&self, n: usize) -> World {
        let n = n.min(self.steps.len());
        if n == self.cursor {
            return self.current.clone();
        }
        let k = (n / CHECKPOINT_EVERY).min(self.checkpoints.len() - 1);
        let (mut w, mut at) = if n > self.cursor && self.cursor >= k * CHECKPOINT_EVERY {
            (self.current.clone(), self.cursor)
        } else {
            (self.checkpoints[k].clone(), k * CHECKPOINT_EVERY)
        };
        let mut scratch = Vec::new();
        while at < n {
            scratch.clear();
            w.apply_into(&self.steps[at].command, &mut scratch);
            at += 1;
        }
        w
    }

    /// One step back. Returns false at the start.
    pub fn undo(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.seek(self.cursor - 1);
        true
    }

    /// One step forward along the recorded future. Returns false at the end.
    pub fn redo(&mut self) -> bool {
        if self.cursor == self.steps.len() {
            return false;
        }
        self.seek(self.cursor + 1);
        true
    }

    /// Rebuilds a run from its inputs alone. Rejected commands are skipped, as `apply` does.
    pub fn replay<'a>(
        config: Config,
        seed: u64,
        commands: impl IntoIterator<Item = &'a Command>,
    ) -> Result<Self, String> {
        let mut t = Timeline::new(config, seed)?;
        for c in commands {
            let _ = t.apply(c.clone());
        }
        Ok(t)
    }

    /// Approximate heap bytes held: steps, events and checkpoints.
    pub fn memory_bytes(&self) -> usize {
        let step = std::mem::size_of::<Step>();
        let ev = std::mem::size_of::<Event>();
        let steps: usize =
            self.steps.iter().map(|s| step + s.events.capacity() * ev + heap_of_command(&s.command)).sum();
        steps + self.checkpoints.len() * world_bytes(&self.current)
    }
}

fn heap_of_command(c: &Command) -> usize {
    match c {
        Command::Partition { groups } => groups.iter().map(|g| 24 + g.len() * 2).sum(),
        _ => 0,
    }
}

/// Rough size of one world: the struct plus its vectors.
pub fn world_bytes(w: &World) -> usize {
    use crate::paxos::Learner;
    use std::mem::{size_of, size_of_val};
    size_of::<World>()
        + size_of_val(w.clients())
        + size_of_val(w.proposers())
        + size_of_val(w.acceptors())
        + w.learners().iter().map(|l| size_of::<Learner>() + l.tallies.capacity() * 24).sum::<usize>()
        + size_of_val(w.in_flight())
        + w.oracle().history_len() * 48
}
