//! Random walks with every fault on: crashes, loss, duplication and partitions. The oracle checks
//! every safety property after every step (openraft's fuzzer, madsim's seed habits).
//!
//! Widen the search with `PAXOSCOPE_SEEDS=20000 cargo test --release --test random_walk`.
//! A failure prints the seed and the CLI command that reproduces it.

use paxoscope::paxos::multi::LogMsg;
use paxoscope::paxos::{Ballot, Msg, NodeId, Role};
use paxoscope::sim::{simulate, Config, Event, Faults, Step};
use std::collections::{BTreeMap, BTreeSet};

const STEPS: usize = 300;

fn seeds() -> u64 {
    std::env::var("PAXOSCOPE_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2000)
}

fn walk(cfg: &Config, flags: &str) -> (u64, u64) {
    let n = seeds();
    let mut decided = 0;
    for seed in 0..n {
        let t = simulate(cfg.clone(), seed, STEPS, Faults::ALL).unwrap();
        assert_eq!(t.cursor(), t.len());
        for (i, step) in t.steps().iter().enumerate() {
            for e in &step.events {
                if let Event::Violated { invariant, detail } = e {
                    panic!(
                        "seed {seed}, step {}: {invariant:?}: {detail}\nreproduce: cargo run --bin paxoscope-cli -- simulate --seed {seed} --steps {STEPS} --crashes --duplicates --drops --partitions {flags}",
                        i + 1
                    );
                }
            }
        }
        if let Err(e) = promises_follow_phase1b(t.steps()) {
            panic!("seed {seed}: {e}\nreproduce: cargo run --bin paxoscope-cli -- simulate --seed {seed} --steps {STEPS} --crashes --duplicates --drops --partitions {flags}");
        }
        decided += t.world().chosen().is_some() as u64;
    }
    (decided, n)
}

/// Phase 1b (*Paxos Made Simple* §2.2, `Paxos.tla`: `m.bal > maxBal`): no acceptor sends two
/// Promises for one ballot, and none promises a ballot it has already voted in. An amnesia restart
/// wipes what an acceptor promised, so its record starts again there.
fn promises_follow_phase1b(steps: &[Step]) -> Result<(), String> {
    let mut promised: BTreeMap<NodeId, BTreeSet<Ballot>> = BTreeMap::new();
    let mut voted: BTreeMap<NodeId, BTreeSet<Ballot>> = BTreeMap::new();
    for (i, step) in steps.iter().enumerate() {
        for e in &step.events {
            match e {
                Event::Restarted { node, amnesia: true } => {
                    promised.remove(node);
                    voted.remove(node);
                }
                Event::Sent {
                    from,
                    msg: Msg::Promise { ballot, .. } | Msg::Log(LogMsg::LogPromise { ballot, .. }),
                    ..
                } if from.role == Role::Acceptor => {
                    if voted.entry(*from).or_default().contains(ballot) {
                        return Err(format!("step {}: {from} promised {ballot} after voting in it", i + 1));
                    }
                    if !promised.entry(*from).or_default().insert(*ballot) {
                        return Err(format!("step {}: {from} sent a second Promise for {ballot}", i + 1));
                    }
                }
                Event::Sent {
                    from,
                    msg: Msg::Accepted { ballot, .. } | Msg::Log(LogMsg::LogAccepted { ballot, .. }),
                    ..
                } if from.role == Role::Acceptor => {
                    voted.entry(*from).or_default().insert(*ballot);
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[test]
fn safety_holds_on_every_random_walk_with_all_faults() {
    let cfg = Config { loss: 10, duplicate: 10, ..Config::default() };
    let (decided, n) = walk(&cfg, "--loss 10 --duplicate-rate 10");
    // Not a liveness guarantee, but a walk that never decides would test nothing.
    assert!(decided * 2 > n, "only {decided} of {n} walks chose a value");
}

#[test]
fn safety_holds_on_random_walks_of_the_largest_cluster() {
    let cfg =
        Config { clients: 3, proposers: 5, acceptors: 9, learners: 5, loss: 5, duplicate: 5, ..Config::default() };
    let (decided, n) = walk(&cfg, "--clients 3 --proposers 5 --acceptors 9 --learners 5 --loss 5 --duplicate-rate 5");
    assert!(decided > 0, "none of {n} walks chose a value");
}

#[test]
fn safety_holds_without_nacks_and_with_backoff() {
    let cfg = Config { nacks: false, backoff: true, acceptors: 5, ..Config::default() };
    let (decided, n) = walk(&cfg, "--acceptors 5 --no-nacks --backoff");
    assert!(decided * 2 > n, "only {decided} of {n} walks chose a value");
}

#[test]
fn the_phase1b_check_can_fail() {
    // The same run with one Promise sent twice must be caught.
    let t = simulate(Config::default(), 3, 200, Faults::ALL).unwrap();
    assert!(promises_follow_phase1b(t.steps()).is_ok());
    let mut steps = t.steps().to_vec();
    let promise =
        steps.iter().flat_map(|s| &s.events).find(|e| matches!(e, Event::Sent { msg: Msg::Promise { .. }, .. }));
    let promise = promise.expect("the walk sends a promise").clone();
    steps.last_mut().unwrap().events.push(promise);
    assert!(promises_follow_phase1b(&steps).is_err());
}

#[test]
fn the_walk_does_catch_breaches_when_a_rule_is_broken() {
    // Proof that the check above can fail: with every acceptor amnesiac, some walk breaks safety.
    let mut cfg = Config { loss: 10, duplicate: 10, ..Config::default() };
    cfg.mutations.insert(paxoscope::paxos::Switch::AcceptorAmnesia);
    let broken = (0..seeds()).find(|seed| {
        let t = simulate(cfg.clone(), *seed, STEPS, Faults::ALL).unwrap();
        t.steps()
            .iter()
            .flat_map(|s| &s.events)
            .any(|e| matches!(e, Event::Violated { invariant: paxoscope::sim::Invariant::Agreement, .. }))
    });
    assert!(broken.is_some(), "no walk found the disagreement amnesia allows");
}

/// Multi-Paxos under every fault: per-slot agreement and validity, only chosen commands applied,
/// and every log applied in order (the oracle checks all of it on every step).
#[test]
fn multi_paxos_safety_holds_on_every_random_walk_with_all_faults() {
    let cfg = Config { loss: 10, duplicate: 10, mode: paxoscope::sim::Mode::Multi, ..Config::default() };
    let (_, n) = walk(&cfg, "--mode multi --loss 10 --duplicate-rate 10");
    let mut slots = 0;
    for seed in 0..n.min(200) {
        let t = simulate(cfg.clone(), seed, STEPS, Faults::ALL).unwrap();
        slots += t.steps().iter().flat_map(|s| &s.events).filter(|e| matches!(e, Event::SlotChosen { .. })).count();
    }
    assert!(slots > 200, "only {slots} slots chosen in 200 walks");
}
