//! What Paxos costs: messages per phase, ballots started and wasted, and steps and logical time to
//! a decision, for one run or averaged over many seeded runs as a setting varies.

use super::command::Step;
use super::command::{Command, Event};
use super::config::Config;
use super::world::{default_value, World};
use crate::paxos::NodeId;
use std::collections::BTreeSet;

/// Counts for one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunStats {
    /// Messages sent in each phase (0: requests, 1: prepare/promise, 2: accept/accepted and Nacks,
    /// 3: commits and replies).
    pub messages: [usize; 4],
    /// Messages lost (dropped for any reason).
    pub lost: usize,
    /// Ballots started.
    pub ballots: usize,
    /// Ballots that reached a commit.
    pub committed: usize,
    /// Steps until a value was chosen, if it was.
    pub steps_to_choice: Option<usize>,
    /// Logical time at which a value was chosen, if it was.
    pub time_to_choice: Option<u64>,
}

impl RunStats {
    /// Every message sent.
    pub fn total(&self) -> usize {
        self.messages.iter().sum()
    }
    /// Ballots that did not end in a commit.
    pub fn wasted(&self) -> usize {
        self.ballots.saturating_sub(self.committed)
    }
}

/// Counts the first `upto` steps of a run. `times[i]` is the world's clock after step `i + 1`.
pub fn stats(steps: &[Step], times: &[u64]) -> RunStats {
    let mut s = RunStats::default();
    let (mut started, mut committed) = (BTreeSet::new(), BTreeSet::new());
    for (i, step) in steps.iter().enumerate() {
        for e in &step.events {
            match e {
                Event::Sent { msg, .. } => s.messages[msg.phase() as usize] += 1,
                Event::Decided { decision, .. } => {
                    started.extend(decision.started());
                    committed.extend(decision.committed());
                }
                Event::Dropped { .. } => s.lost += 1,
                Event::Chosen { .. } | Event::SlotChosen { .. } => {
                    if s.steps_to_choice.is_none() {
                        s.steps_to_choice = Some(i + 1);
                        s.time_to_choice = times.get(i).copied();
                    }
                }
                // Nothing else is counted.
                Event::Delivered { .. }
                | Event::Duplicated { .. }
                | Event::Crashed { .. }
                | Event::Restarted { .. }
                | Event::TimedOut { .. }
                | Event::Learned { .. }
                | Event::Applied { .. }
                | Event::Rejected { .. }
                | Event::Violated { .. } => {}
            }
        }
    }
    s.ballots = started.len();
    s.committed = committed.len();
    s
}

/// Runs one seeded trial: C1 (and C2, to P2, when there are two proposers and two clients, so
/// that ballots compete) ask for values, then the network runs (ticks) until a value is chosen
/// or `max_steps` pass.
pub fn trial(config: &Config, seed: u64, max_steps: usize) -> Result<RunStats, String> {
    let mut w = World::new(config.clone(), seed)?;
    let mut steps = Vec::new();
    let mut times = Vec::new();
    let mut setup = vec![Command::Request { client: NodeId::client(0), value: default_value(0) }];
    if config.clients >= 2 && config.proposers >= 2 {
        setup.push(Command::SetLeader { client: NodeId::client(1), leader: NodeId::proposer(1) });
        setup.push(Command::Request { client: NodeId::client(1), value: default_value(1) });
    }
    fn run(w: &mut World, c: Command, steps: &mut Vec<Step>, times: &mut Vec<u64>) {
        let events = w.apply(c.clone());
        steps.push(Step { command: c, events });
        times.push(w.time());
    }
    for c in setup {
        run(&mut w, c, &mut steps, &mut times);
    }
    while steps.len() < max_steps && w.chosen().is_none() && w.is_enabled(&Command::Tick) {
        run(&mut w, Command::Tick, &mut steps, &mut times);
    }
    Ok(stats(&steps, &times))
}

/// One point of a sweep: a setting's value and the averages over its trials.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    /// The value of the setting.
    pub x: u32,
    /// Trials run.
    pub trials: usize,
    /// Fraction of trials that chose a value within the step limit.
    pub decided: f64,
    /// Mean messages sent until the choice (decided trials only).
    pub messages: f64,
    /// Mean logical time until the choice (decided trials only).
    pub time: f64,
    /// Mean ballots wasted.
    pub wasted: f64,
}

/// Averages `seeds` trials for each value of a setting applied by `set`.
pub fn sweep(
    base: &Config,
    xs: &[u32],
    seeds: u64,
    max_steps: usize,
    set: impl Fn(&mut Config, u32),
) -> Result<Vec<SweepPoint>, String> {
    xs.iter()
        .map(|&x| {
            let mut cfg = base.clone();
            set(&mut cfg, x);
            let runs: Vec<RunStats> = (0..seeds).map(|s| trial(&cfg, s, max_steps)).collect::<Result<_, _>>()?;
            let done: Vec<&RunStats> = runs.iter().filter(|r| r.steps_to_choice.is_some()).collect();
            let mean = |f: &dyn Fn(&RunStats) -> f64, v: &[&RunStats]| {
                if v.is_empty() {
                    0.0
                } else {
                    v.iter().map(|r| f(r)).sum::<f64>() / v.len() as f64
                }
            };
            let all: Vec<&RunStats> = runs.iter().collect();
            Ok(SweepPoint {
                x,
                trials: runs.len(),
                decided: done.len() as f64 / runs.len().max(1) as f64,
                messages: mean(&|r| r.total() as f64, &done),
                time: mean(&|r| r.time_to_choice.unwrap_or(0) as f64, &done),
                wasted: mean(&|r| r.wasted() as f64, &all),
            })
        })
        .collect()
}

/// One point of the log-cost chart: what a stream of `commands` commands costs, per command.
#[derive(Clone, Debug, PartialEq)]
pub struct LogCost {
    /// Commands sent, one after another.
    pub commands: u32,
    /// Multi-Paxos with a stable leader (Phase 1 once, then Phase 2 per command): messages sent
    /// per command, averaged over the seeds.
    pub multi: f64,
    /// The Phase 1 messages (Prepare, Promise) among `multi`, per command.
    pub multi_phase1: f64,
    /// Single-decree Paxos run afresh for each command (Phase 1 and Phase 2 each time): messages
    /// sent per command, averaged over the seeds.
    pub single: f64,
}

/// Sends C1's next `commands` commands one at a time, each run until nothing is in flight, and
/// counts everything sent.
fn stream(config: &Config, seed: u64, commands: u32, max_steps: usize) -> Result<RunStats, String> {
    let mut w = World::new(config.clone(), seed)?;
    let (mut steps, mut times) = (Vec::new(), Vec::new());
    for _ in 0..commands {
        let c = w.next_request(NodeId::client(0));
        let mut cmds = vec![c];
        let mut n = 0;
        while let Some(c) = cmds.pop() {
            let events = w.apply(c.clone());
            steps.push(Step { command: c, events });
            times.push(w.time());
            n += 1;
            if !w.in_flight().is_empty() && w.is_enabled(&Command::Tick) && n < max_steps {
                cmds.push(Command::Tick);
            }
        }
    }
    Ok(stats(&steps, &times))
}

/// Messages per command against the number of commands, from real seeded runs of the world on
/// `base`'s cluster (no faults): a Multi-Paxos stable leader against single-decree Paxos run
/// once per command.
pub fn log_cost(base: &Config, xs: &[u32], seeds: u64) -> Result<Vec<LogCost>, String> {
    let clean = Config {
        loss: 0,
        duplicate: 0,
        amnesia: Default::default(),
        mutations: Default::default(),
        slots: crate::paxos::multi::MAX_SLOTS as u8,
        ..base.clone()
    };
    let multi = Config { mode: super::config::Mode::Multi, ..clean.clone() };
    let single = Config { mode: super::config::Mode::Single, ..clean };
    // One single-decree instance per command: each costs the same on average, whatever the count.
    let mut one = 0.0;
    for seed in 0..seeds {
        one += stream(&single, seed, 1, 5_000)?.total() as f64;
    }
    let one = one / seeds.max(1) as f64;
    xs.iter()
        .map(|&n| {
            let (mut all, mut p1) = (0.0, 0.0);
            for seed in 0..seeds {
                let r = stream(&multi, seed, n, 5_000)?;
                all += r.total() as f64;
                p1 += r.messages[1] as f64;
            }
            let per = (seeds.max(1) * n.max(1) as u64) as f64;
            Ok(LogCost { commands: n, multi: all / per, multi_phase1: p1 / per, single: one })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Script;

    #[test]
    fn the_happy_path_costs_what_the_phases_say() {
        let mut s = Script::new(Config::default(), 1).unwrap();
        s.request(NodeId::client(0), "X").settle(100);
        let steps: Vec<Step> =
            s.commands().iter().zip(s.events()).map(|(c, e)| Step { command: c.clone(), events: e.clone() }).collect();
        let st = stats(&steps, &vec![0; steps.len()]);
        // 1 request; 3 prepares + 3 promises; 3 accepts + 6 votes; 4 commits + 1 reply + 2 announcements.
        assert_eq!(st.messages, [1, 6, 9, 7]);
        assert_eq!((st.ballots, st.committed, st.wasted()), (1, 1, 0));
        assert!(st.steps_to_choice.is_some());
    }

    #[test]
    fn more_acceptors_cost_more_messages_and_loss_costs_time() {
        let base = Config { clients: 1, proposers: 1, ..Config::default() };
        let by_size = sweep(&base, &[1, 3, 5, 7, 9], 20, 2_000, |c, n| c.acceptors = n as u8).unwrap();
        assert!(by_size.iter().all(|p| p.decided == 1.0));
        assert!(by_size.windows(2).all(|w| w[0].messages < w[1].messages), "{by_size:?}");
        let by_loss = sweep(&base, &[0, 30], 30, 3_000, |c, p| c.loss = p as u8).unwrap();
        assert!(by_loss[1].time > by_loss[0].time, "{by_loss:?}");
    }

    /// Paxos Made Simple, section 3: a stable leader runs Phase 1 once for all instances, so
    /// each command after the first costs only Phase 2 (and the commit), while single-decree
    /// Paxos pays Phase 1 for every command.
    #[test]
    fn a_stable_leader_pays_phase_1_once_and_approaches_the_phase_2_cost() {
        let base = Config::default();
        let pts = log_cost(&base, &[1, 2, 4, 8, 16], 4).unwrap();
        let phase1 = 2.0 * base.acceptors as f64; // a Prepare to each acceptor, a Promise back
        for p in &pts {
            assert_eq!(p.multi_phase1 * p.commands as f64, phase1, "Phase 1 runs once: {p:?}");
        }
        // Without Phase 1, every command costs the same: the Phase 2 cost.
        let phase2: Vec<f64> = pts.iter().map(|p| p.multi - p.multi_phase1).collect();
        assert!(phase2.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-9), "{phase2:?}");
        assert!(pts.windows(2).all(|w| w[1].multi < w[0].multi), "{pts:?}");
        let last = pts.last().unwrap();
        assert!(last.multi - phase2[0] <= phase1 / 16.0 + 1e-9, "{pts:?}");
        // Single-decree Paxos pays at least Phase 1 again for every command.
        assert!(pts.iter().all(|p| p.single >= phase2[0] + phase1 - 1e-9), "{pts:?}");
        assert!(pts.iter().all(|p| p.single == pts[0].single));
    }

    #[test]
    fn competing_proposers_waste_ballots_sometimes() {
        let runs: Vec<RunStats> = (0..40).map(|s| trial(&Config::default(), s, 3_000).unwrap()).collect();
        assert!(runs.iter().all(|r| r.steps_to_choice.is_some()));
        assert!(runs.iter().any(|r| r.wasted() > 0));
    }
}
