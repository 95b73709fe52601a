//! A seeded random schedule: which command happens next. It drives `paxoscope-cli simulate`, the
//! random-walk tests, the benchmark and the soak. Its own generator is separate from the world's,
//! so the recorded commands alone replay the run.

use super::command::Command;
use super::rng::Rng;
use super::world::World;
use crate::paxos::{NodeId, Role};

/// Which faults the schedule may inject.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Crash and restart nodes.
    pub crashes: bool,
    /// Duplicate messages.
    pub duplicates: bool,
    /// Drop messages on purpose.
    pub drops: bool,
    /// Partition and heal the network.
    pub partitions: bool,
}

impl Faults {
    /// Every fault on.
    pub const ALL: Faults = Faults { crashes: true, duplicates: true, drops: true, partitions: true };
}

/// Picks commands at random among the enabled ones, weighted towards progress.
#[derive(Clone, Debug)]
pub struct RandomScheduler {
    rng: Rng,
    faults: Faults,
    /// Multi-Paxos: the most client commands to send in all (`simulate --commands N`).
    commands: Option<usize>,
    sent: usize,
}

impl RandomScheduler {
    /// A schedule fixed by `seed`.
    pub fn new(seed: u64, faults: Faults) -> Self {
        RandomScheduler { rng: Rng::new(seed ^ 0x5EED_5C4E_D01E_0000), faults, commands: None, sent: 0 }
    }

    /// The same schedule, sending at most `n` client requests in all.
    pub fn with_commands(mut self, n: usize) -> Self {
        self.commands = Some(n);
        self
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.rng.below(items.len() as u64) as usize])
    }

    fn random_msg(&mut self, w: &World) -> Option<u32> {
        let n = w.in_flight().len();
        (n > 0).then(|| w.in_flight()[self.rng.below(n as u64) as usize].id)
    }

    fn random_node(&mut self, w: &World, role: Role) -> NodeId {
        NodeId { role, index: self.rng.below(w.config().count(role) as u64) as u8 }
    }

    fn any_node(&mut self, w: &World) -> NodeId {
        let role = Role::ALL[self.rng.below(4) as usize];
        self.random_node(w, role)
    }

    /// The next command. It is always enabled, unless the world has nothing at all to do and no
    /// client is up, in which case it is a `Tick` that the world will refuse.
    pub fn next(&mut self, w: &World) -> Command {
        for _ in 0..16 {
            let f = self.faults;
            let roll = self.rng.below(100);
            let cmd = match roll {
                0..=29 => Some(Command::Tick),
                30..=59 => self.random_msg(w).map(|id| Command::Deliver { id }),
                60..=65 => {
                    let c = self.random_node(w, Role::Client);
                    Some(w.next_request(c)).filter(|_| self.commands.is_none_or(|n| self.sent < n))
                }
                66..=68 => {
                    let client = self.random_node(w, Role::Client);
                    let leader = self.random_node(w, Role::Proposer);
                    Some(Command::SetLeader { client, leader })
                }
                // In Multi-Paxos, clients have timers too.
                69..=71 if w.log().is_some() && self.rng.percent(50) => {
                    Some(Command::Timeout { node: self.random_node(w, Role::Client) })
                }
                69..=71 => Some(Command::Timeout { node: self.random_node(w, Role::Proposer) }),
                72..=76 if f.drops => self.random_msg(w).map(|id| Command::Drop { id }),
                77..=81 if f.duplicates => self.random_msg(w).map(|id| Command::Duplicate { id }),
                82..=85 if f.crashes => Some(Command::Crash { node: self.any_node(w) }),
                86..=93 if f.crashes => {
                    let down: Vec<NodeId> = w.config().nodes().filter(|n| !w.is_up(*n)).collect();
                    self.pick(&down).map(|node| Command::Restart { node })
                }
                94..=96 if f.partitions => {
                    let side: Vec<NodeId> = w.config().nodes().filter(|_| self.rng.percent(50)).collect();
                    Some(Command::Partition { groups: vec![side] })
                }
                97..=99 if f.partitions => Some(Command::Heal),
                _ => None,
            };
            if let Some(cmd) = cmd.filter(|c| w.is_enabled(c)) {
                self.sent += matches!(cmd, Command::Request { .. }) as usize;
                return cmd;
            }
        }
        let fallback = w.next_request(NodeId::client(0));
        let more = self.commands.is_none_or(|n| self.sent < n);
        if w.is_enabled(&Command::Tick) || !more || !w.is_enabled(&fallback) {
            Command::Tick
        } else {
            self.sent += 1;
            fallback
        }
    }
}

/// Runs `steps` scheduled commands on a fresh world and returns the recorded run. This is
/// `paxoscope-cli simulate`, so any run found by a test can be reproduced from the shell.
pub fn simulate(config: super::Config, seed: u64, steps: usize, faults: Faults) -> Result<super::Timeline, String> {
    simulate_with(config, seed, steps, faults, None)
}

/// [`simulate`], sending at most `commands` client requests when given (`--commands N`).
pub fn simulate_with(
    config: super::Config,
    seed: u64,
    steps: usize,
    faults: Faults,
    commands: Option<usize>,
) -> Result<super::Timeline, String> {
    let mut t = super::Timeline::new(config, seed)?;
    let mut sched = RandomScheduler::new(seed, faults);
    if let Some(n) = commands {
        sched = sched.with_commands(n);
    }
    // A refused command is not recorded, so allow a few extra attempts to fill `steps`.
    for _ in 0..steps * 2 {
        if t.len() == steps {
            break;
        }
        let cmd = sched.next(t.world());
        let _ = t.apply(cmd);
    }
    Ok(t)
}
