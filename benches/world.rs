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
}
