//! The explorer against planted bugs and against itself: each classic mistake is caught within
//! the default bounds (or the smallest bounds named for it), and every reduction keeps every
//! verdict, counterexample length included.
//!
//! These are unit tests because the bugs are planted in the protocol with
//! `paxos::planted::plant`, which exists only in the library's own test build. A planted bug
//! lives in one thread, so these searches run on one.

use super::*;
use crate::paxos::planted::{plant, Bug};
use crate::paxos::Switch;

const BUGS: [Bug; 5] =
    [Bug::AdoptLowest, Bug::CountMessages, Bug::ForgetVoteOnCrash, Bug::PromiseWithoutVote, Bug::AcceptWithoutQuorum];

/// The bounds that catch `bug`: the defaults, unless it needs a fault to show.
fn bounds_for(bug: Bug) -> Bounds {
    match bug {
        // Counting messages only goes wrong when a message arrives twice.
        Bug::CountMessages => Bounds { max_duplicates: 1, ..Bounds::default() },
        // Forgetting on a crash needs a crash.
        Bug::ForgetVoteOnCrash => Bounds { max_crashes: 1, ..Bounds::default() },
        Bug::AdoptLowest | Bug::PromiseWithoutVote | Bug::AcceptWithoutQuorum => Bounds::default(),
    }
}

fn search(cfg: &Config, bounds: Bounds, options: Options, bug: Option<Bug>) -> (Verdict, Progress) {
    plant(bug);
    let mut ex = Explorer::with(cfg.clone(), 42, bounds, options).unwrap();
    while !ex.run(100_000).done {}
    plant(None);
    (ex.verdict().cloned().unwrap(), ex.progress())
}

/// What must not change with a reduction: the kind of verdict, the property, and for a
/// counterexample its length and whether a switched-off rule broke on the way.
fn gist(v: &Verdict) -> String {
    match v {
        Verdict::Safe { .. } => "safe".into(),
        Verdict::NoHarm { invariant, .. } => format!("no harm ({invariant:?} broken)"),
        Verdict::Violation { commands, invariant, broken_at, .. } => {
            format!("{invariant:?} in {} steps (rule broken first: {})", commands.len(), broken_at.is_some())
        }
    }
}

#[test]
fn every_planted_bug_is_caught_within_the_bounds_named_for_it() {
    let cfg = Config::default();
    for bug in BUGS {
        let b = bounds_for(bug);
        let (v, p) = search(&cfg, b, Options::default(), Some(bug));
        let Verdict::Violation { commands, invariant, harm_at, states, .. } = &v else {
            panic!("{bug:?} survived {b:?}: {v:?}");
        };
        assert!(is_harm(*invariant), "{bug:?}: the search stops at harm, not {invariant:?}");
        assert_eq!(*harm_at, Some(commands.len()), "{bug:?}: harm at the last step");
        // The verdict's count is the one the progress shows when the search stops.
        assert_eq!(*states, p.states, "{bug:?}: the verdict counts every state seen");
        println!("{bug:?} within {b:?}: {} after {} states", gist(&v), p.states);
        // The same bounds call the correct protocol safe, so it is the bug that was caught.
        let (v, _) = search(&cfg, b, Options::default(), None);
        assert!(matches!(v, Verdict::Safe { .. }), "{bug:?}'s bounds without the bug: {v:?}");
    }
}

/// Every switch (amnesia with the crash it needs), every planted bug, and the correct protocol.
fn cases() -> Vec<(String, Config, Bounds, Option<Bug>)> {
    let mut out = Vec::new();
    for s in Switch::SINGLE {
        let mut cfg = Config::default();
        cfg.mutations.insert(s);
        let b = Bounds::for_config(&cfg);
        out.push((s.name().to_string(), cfg, b, None));
    }
    // Amnesia on one acceptor only: the others stay interchangeable, that one does not.
    let mut cfg = Config::default();
    cfg.amnesia.insert(crate::paxos::NodeId::acceptor(1));
    out.push(("amnesia on A2".into(), cfg.clone(), Bounds::for_config(&cfg), None));
    for bug in BUGS {
        out.push((format!("{bug:?}"), Config::default(), bounds_for(bug), Some(bug)));
    }
    out.push(("correct, 2 rounds".into(), Config::default(), Bounds { max_rounds: 2, ..Bounds::default() }, None));
    out.push((
        "correct, 2 rounds, 1 crash, 1 duplicate".into(),
        Config::default(),
        Bounds { max_rounds: 2, max_crashes: 1, max_duplicates: 1, ..Bounds::default() },
        None,
    ));
    out
}

#[test]
fn every_reduction_keeps_every_verdict_and_counterexample_length() {
    type TurnOff = fn(&mut Options);
    let off: [(&str, TurnOff); 4] = [
        ("symmetry", |o| o.symmetry = false),
        ("last ballots", |o| o.last_ballots = false),
        ("requests first", |o| o.requests_first = false),
        ("instant restarts", |o| o.instant_restarts = false),
    ];
    for (name, cfg, b, bug) in cases() {
        let (want, p) = search(&cfg, b, Options::default(), bug);
        println!("{name}: {} ({} states)", gist(&want), p.states);
        for (reduction, turn_off) in off {
            let mut o = Options::default();
            turn_off(&mut o);
            let (got, q) = search(&cfg, b, o, bug);
            assert_eq!(gist(&got), gist(&want), "{name} without {reduction}");
            println!("  without {reduction}: {} states", q.states);
        }
        // No reduction at all, where that search is small enough for a test run.
        if b.max_crashes == 0 && b.max_duplicates == 0 {
            let (got, q) = search(&cfg, b, Options::PLAIN, bug);
            assert_eq!(gist(&got), gist(&want), "{name} with no reduction");
            println!("  with none: {} states", q.states);
        }
    }
}

#[test]
fn stopping_at_the_rule_shows_the_rule_and_searching_on_shows_the_harm() {
    let mut cfg = Config::default();
    cfg.mutations.insert(Switch::AcceptBelowPromise);
    let stop = Options { stop_at_rule: true, ..Options::default() };
    let (v, _) = search(&cfg, Bounds::default(), stop, None);
    let Verdict::Violation { commands, invariant, broken_at, harm_at, .. } = v else { panic!("{v:?}") };
    assert_eq!((invariant, broken_at, harm_at), (Invariant::AcceptRespectsPromise, Some(commands.len()), None));
    let (v, _) = search(&cfg, Bounds::default(), Options::default(), None);
    let Verdict::Violation { commands, invariant, broken_at, harm_at, .. } = v else { panic!("{v:?}") };
    assert_eq!(invariant, Invariant::Agreement);
    assert!(broken_at.unwrap() < harm_at.unwrap() && harm_at == Some(commands.len()), "{broken_at:?} {harm_at:?}");
}

#[test]
fn one_thread_or_several_give_the_same_search() {
    let mut cfg = Config::default();
    cfg.mutations.insert(Switch::IgnoreReportedValues);
    for cfg in [Config::default(), cfg] {
        let run = |threads| {
            let mut ex = Explorer::new(cfg.clone(), 42, Bounds { max_crashes: 1, ..Bounds::default() }).unwrap();
            ex.set_threads(threads);
            while !ex.run(100_000).done {}
            (ex.verdict().cloned(), ex.progress())
        };
        assert_eq!(run(1), run(3));
    }
}

/// The search reads a decoded state's message records back rather than making them again
/// (`World::decode_primed`), and re-encodes decoded worlds: both are right only if a state decodes
/// to a world that encodes to the same bytes, message records included. Checked on every state
/// of a search with faults, with and without symmetry.
#[test]
fn decoded_states_encode_back_to_the_same_bytes_and_records() {
    use crate::sim::world::codec::{message_record, Scratch};
    use crate::sim::world::symmetry::Perm;
    let cfg = Config::default();
    let bounds = Bounds { max_crashes: 1, max_duplicates: 1, ..Bounds::default() };
    for options in [Options::default(), Options::PLAIN] {
        let mut ex = Explorer::with(cfg.clone(), 42, bounds, options).unwrap();
        let mut world = ex.roots[0].world.clone();
        let (mut scratch, mut again, mut checked, mut from) = (Scratch::default(), Vec::new(), 0, 0);
        while checked < 20_000 && !ex.run(500).done {
            // Each state once: the next level grows until it becomes the current one.
            if ex.next.len() < from {
                from = 0;
            }
            for i in from..ex.next.len() {
                let state = &ex.next.get(i)[step::COUNTERS..];
                world.decode_primed(&ex.values, state, &mut scratch);
                let made: Vec<_> = world.in_flight().iter().map(|m| message_record(&ex.values, m, &Perm::ID)).collect();
                assert_eq!(scratch.known, made, "state {i}");
                again.clear();
                world.encode_state(&ex.values, &mut again, &mut Scratch::default());
                assert_eq!(again, state, "state {i}");
                checked += 1;
            }
            from = ex.next.len();
        }
        assert!(checked >= 20_000, "the check saw {checked} states");
    }
}
