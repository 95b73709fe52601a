//! `cargo bench --bench world`: how fast the world applies commands, with invariant checks on,
//! and what the timeline costs in time and memory. Prints figures; asserts nothing.

use paxoscope::sim::{Command, Config, Faults, RandomScheduler, Timeline, World};
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("BENCH_COMMANDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let cfg =
        Config { clients: 3, proposers: 5, acceptors: 9, learners: 5, loss: 5, duplicate: 5, ..Config::default() };
    let seed = 2026;

    // The schedule: chosen once by the seeded scheduler, then replayed in the timed loops.
    let mut w = World::new(cfg.clone(), seed).unwrap();
    let mut sched = RandomScheduler::new(seed, Faults::ALL);
    let mut cmds: Vec<Command> = Vec::with_capacity(n);
    let mut ev = Vec::new();
    let t0 = Instant::now();
    for _ in 0..n {
        let c = sched.next(&w);
        ev.clear();
        w.apply_into(&c, &mut ev);
        cmds.push(c);
    }
    let with_sched = t0.elapsed().as_secs_f64();
    let decided = w.chosen().is_some();
    let violations = w.oracle().violations().len();

    let mut w = World::new(cfg.clone(), seed).unwrap();
    let t0 = Instant::now();
    let mut events = 0usize;
    for c in &cmds {
        ev.clear();
        w.apply_into(c, &mut ev);
        events += ev.len();
    }
    let bare = t0.elapsed().as_secs_f64();

    let mut t = Timeline::new(cfg, seed).unwrap();
    let t0 = Instant::now();
    for c in &cmds {
        let _ = t.apply(c.clone());
    }
    let recorded = t0.elapsed().as_secs_f64();
    let per_step = t.memory_bytes() as f64 / t.len() as f64;

    println!(
        "world bench: {n} commands, 3 clients, 5 proposers, 9 acceptors, 5 learners, all faults, invariant checks on"
    );
    println!("  value chosen: {decided}; violations: {violations}; events: {events}");
    println!("  apply without timeline:      {:>10.0} commands/s", n as f64 / bare);
    println!("  apply with scheduler:        {:>10.0} commands/s", n as f64 / with_sched);
    println!("  apply with timeline record:  {:>10.0} commands/s", n as f64 / recorded);
    println!(
        "  timeline memory:             {:>10.0} bytes/step ({} steps, {:.1} MB)",
        per_step,
        t.len(),
        t.memory_bytes() as f64 / 1e6
    );

    multi(n, seed);
}

/// Multi-Paxos, a log of 8 slots: the same measure (world commands applied per second, every
/// fault, invariant checks per slot on), on the default 2/2/3/1 cluster in multi mode.
fn multi(n: usize, seed: u64) {
    let cfg = Config { mode: paxoscope::sim::Mode::Multi, slots: 8, loss: 5, duplicate: 5, ..Config::default() };
    let mut w = World::new(cfg.clone(), seed).unwrap();
    let mut sched = RandomScheduler::new(seed, Faults::ALL);
    let mut cmds: Vec<Command> = Vec::with_capacity(n);
    let mut ev = Vec::new();
    // A fresh world every 300 commands, so the log keeps filling instead of staying full.
    let mut starts = Vec::new();
    for i in 0..n {
        if i % 300 == 0 {
            w = World::new(cfg.clone(), seed + i as u64).unwrap();
            sched = RandomScheduler::new(seed + i as u64, Faults::ALL);
            starts.push(i);
        }
        let c = sched.next(&w);
        ev.clear();
        w.apply_into(&c, &mut ev);
        cmds.push(c);
    }
    let t0 = Instant::now();
    let mut slots = 0usize;
    for (k, chunk) in cmds.chunks(300).enumerate() {
        let mut w = World::new(cfg.clone(), seed + (k * 300) as u64).unwrap();
        for c in chunk {
            ev.clear();
            w.apply_into(c, &mut ev);
        }
        slots += w.oracle().log().map_or(0, |l| l.chosen_prefix() as usize);
        assert!(w.oracle().violations().is_empty());
    }
    let bare = t0.elapsed().as_secs_f64();
    println!(
        "multi-paxos bench: {n} commands in runs of 300, 8 slots, 2 clients, 2 proposers, 3 acceptors, all faults"
    );
    println!("  chosen prefix slots in all runs: {slots}");
    println!("  apply without timeline:      {:>10.0} commands/s", n as f64 / bare);
}
