//! Determinism and time travel: the same inputs give byte-identical events; replay, undo, redo,
//! seek and fork all agree with the run as first seen (madsim's run-twice check).

use paxoscope::sim::{simulate, Command, Config, Faults, Timeline, Trace, TraceFile, World};

fn faulty() -> Config {
    Config { loss: 15, duplicate: 10, ..Config::default() }
}

fn trace_json(seed: u64) -> String {
    Trace::from_timeline(&simulate(faulty(), seed, 400, Faults::ALL).unwrap()).to_json()
}

#[test]
fn same_config_seed_and_commands_give_byte_identical_events() {
    for seed in [0, 1, 7, 99, 12345] {
        assert_eq!(trace_json(seed), trace_json(seed), "seed {seed}");
    }
    assert_ne!(trace_json(1), trace_json(2), "the seed matters");
}

#[test]
fn the_seed_alone_changes_latencies() {
    let run = |seed| {
        let mut w = World::new(Config::default(), seed).unwrap();
        let _ = w.apply(Command::Request {
            client: paxoscope::paxos::NodeId::client(0),
            value: paxoscope::paxos::Value::new("X").unwrap(),
        });
        w.in_flight()[0].due
    };
    assert!((0..20).map(run).collect::<std::collections::BTreeSet<_>>().len() > 1);
}

#[test]
fn replay_from_config_seed_and_commands_rebuilds_the_identical_state() {
    let t = simulate(faulty(), 5, 400, Faults::ALL).unwrap();
    let r = Timeline::replay(t.config().clone(), t.seed(), t.commands()).unwrap();
    assert_eq!(r.world(), t.world());
    assert_eq!(r.steps(), t.steps());
}

#[test]
fn trace_json_round_trips_and_replays() {
    let t = simulate(faulty(), 11, 300, Faults::ALL).unwrap();
    let json = Trace::from_timeline(&t).to_json();
    let parsed = TraceFile::parse(&json).unwrap();
    let r = parsed.replay().unwrap();
    assert_eq!(Trace::from_timeline(&r).to_json(), json);
    assert_eq!(r.world(), t.world());
}

#[test]
fn undo_then_redo_is_the_identity_at_every_step() {
    let mut t = simulate(faulty(), 3, 150, Faults::ALL).unwrap();
    let end = t.world().clone();
    let mut worlds = vec![end.clone()];
    while t.undo() {
        worlds.push(t.world().clone());
    }
    assert_eq!(t.cursor(), 0);
    assert_eq!(t.world(), &World::new(faulty(), 3).unwrap());
    worlds.pop();
    while t.redo() {
        assert_eq!(Some(t.world()), worlds.pop().as_ref(), "redo to step {}", t.cursor());
    }
    assert_eq!(t.world(), &end);
}

#[test]
fn seek_anywhere_matches_a_fresh_replay_of_that_prefix() {
    let mut t = simulate(faulty(), 8, 200, Faults::ALL).unwrap();
    let cmds: Vec<Command> = t.commands().cloned().collect();
    for n in [0, 1, 31, 32, 33, 64, 100, 199, 200, 17, 150, 3] {
        t.seek(n);
        let fresh = Timeline::replay(faulty(), 8, &cmds[..n]).unwrap();
        assert_eq!(t.world(), fresh.world(), "seek({n})");
        assert_eq!(t.len(), 200, "seeking never changes the record");
    }
}

#[test]
fn acting_in_the_past_forks_the_timeline() {
    let mut t = simulate(faulty(), 4, 120, Faults::ALL).unwrap();
    let original: Vec<Command> = t.commands().cloned().collect();
    t.seek(50);
    let alt = Command::SetLoss { percent: 77 };
    assert!(t.world().is_enabled(&alt));
    let _ = t.apply(alt.clone());
    assert_eq!(t.len(), 51, "the old future is gone");
    assert_eq!(t.cursor(), 51);
    assert_eq!(t.steps()[50].command, alt);
    assert_eq!(t.commands().take(50).cloned().collect::<Vec<_>>(), original[..50]);
    // Undo and redo still work on the new branch.
    assert!(t.undo());
    assert!(t.redo());
    assert_eq!(t.world().loss(), 77);
    let fresh = Timeline::replay(faulty(), 4, t.commands()).unwrap();
    assert_eq!(fresh.world(), t.world());
}

#[test]
fn a_rejected_command_changes_nothing_and_is_not_recorded() {
    let mut t = Timeline::new(Config::default(), 1).unwrap();
    let before = t.world().clone();
    for cmd in [
        Command::Deliver { id: 99 },
        Command::Restart { node: paxoscope::paxos::NodeId::acceptor(0) },
        Command::Timeout { node: paxoscope::paxos::NodeId::proposer(0) },
        Command::Crash { node: paxoscope::paxos::NodeId::acceptor(8) },
        Command::Heal,
        Command::Tick,
        Command::SetLoss { percent: 101 },
        Command::SetLatency { min: 5, max: 2 },
        Command::Partition { groups: vec![] },
    ] {
        let ev = t.apply(cmd.clone());
        assert!(
            matches!(ev.as_slice(), [paxoscope::sim::Event::Rejected { reason }] if !reason.is_empty()),
            "{cmd:?}: {ev:?}"
        );
        assert!(!t.world().is_enabled(&cmd));
    }
    assert_eq!(t.world(), &before);
    assert_eq!(t.len(), 0);
}

#[test]
fn enabled_commands_are_deterministic_and_all_enabled() {
    let t = simulate(faulty(), 21, 60, Faults::ALL).unwrap();
    let a = t.world().enabled_commands();
    assert_eq!(a, t.world().clone().enabled_commands());
    assert!(!a.is_empty());
    for c in &a {
        assert!(t.world().is_enabled(c), "{c:?}");
        let mut w = t.world().clone();
        let ev = w.apply(c.clone());
        assert!(!matches!(ev.as_slice(), [paxoscope::sim::Event::Rejected { .. }]), "{c:?}");
    }
}

#[test]
fn timeline_memory_stays_modest_over_long_runs() {
    let t = simulate(Config { proposers: 5, acceptors: 9, ..faulty() }, 2, 20_000, Faults::ALL).unwrap();
    let per_step = t.memory_bytes() / t.len();
    assert!(per_step < 2048, "{per_step} bytes per step");
}
