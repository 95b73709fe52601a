//! The Multi-Paxos explorer: each rule switch that applies to the log is caught with the harm
//! it allows, in a shortest run that replays in a real world and breaks the named slot; the
//! correct protocol is safe within the bounds that can be searched here.

use super::*;
use crate::paxos::Switch;
use crate::sim::{Mode, Timeline};

/// The log the explorer covers: 2 slots, 2 proposers, 3 acceptors, two clients (C1 "X1" and
/// C2 "Y1", both sent to P1), with one switch.
fn log_config(switch: Option<Switch>) -> Config {
    let mut c = Config { mode: Mode::Multi, slots: 2, ..Config::default() };
    c.mutations.extend(switch);
    c
}

fn search(cfg: &Config, bounds: Bounds, options: Options) -> (Verdict, Progress) {
    let mut ex = Explorer::with(cfg.clone(), 42, bounds, options).unwrap();
    while !ex.run(100_000).done {}
    (ex.verdict().cloned().unwrap(), ex.progress())
}

/// The breach found for `switch`, checked against a replay: the run is a real one, and its last
/// step breaks `invariant` in slot s1 (as the oracle names it).
fn breach(switch: Switch, invariant: Invariant, steps: usize) -> Verdict {
    let cfg = log_config(Some(switch));
    let (v, p) = search(&cfg, Bounds::for_config(&cfg), Options::default());
    let Verdict::Violation { commands, invariant: found, detail, harm_at, .. } = &v else {
        panic!("{switch}: no counterexample: {v:?}");
    };
    assert_eq!(*found, invariant, "{switch}: {detail}");
    assert!(detail.contains("slot s1"), "{switch}: the breach names its slot: {detail}");
    assert_eq!(commands.len(), steps, "{switch}: a shortest run, counting every step");
    assert_eq!(*harm_at, Some(commands.len()), "{switch}: harm at the last step");
    let t = Timeline::replay(cfg, 42, commands).expect("the counterexample replays");
    let last = &t.steps().last().expect("steps").events;
    assert!(
        last.iter().any(
            |e| matches!(e, Event::Violated { invariant: i, detail: d } if *i == invariant && d.contains("slot s1"))
        ),
        "{switch}: the replay's last step breaks {invariant:?} in s1: {last:?}"
    );
    println!("{switch}: {invariant:?} in {steps} steps after {} states", p.states);
    v
}

#[test]
fn skip_recovery_breaks_per_slot_agreement() {
    // P1 gets "X1" chosen in s1; C2 retries "Y1" with P2, which takes over, hears of "X1" in s1,
    // skips recovering it, and puts "Y1" there: two commands chosen in one slot.
    let v = breach(Switch::SkipRecovery, Invariant::Agreement, 17);
    let Verdict::Violation { broken_at, harm_at, .. } = v else { unreachable!() };
    // The rule it breaks (P2c, per slot) is marked where P2 puts "Y1" over the reported "X1".
    assert!(broken_at.is_some_and(|b| Some(b) < harm_at), "P2c broken before the harm: {broken_at:?} {harm_at:?}");
}

#[test]
fn ignore_reported_values_breaks_per_slot_agreement() {
    breach(Switch::IgnoreReportedValues, Invariant::Agreement, 17);
}

#[test]
fn minority_quorum_commits_a_command_not_chosen() {
    breach(Switch::MinorityQuorum, Invariant::OnlyChosenIsLearned, 7);
}

#[test]
fn accept_below_promise_marks_the_rule_then_the_harm() {
    // Paxos.tla: an acceptor accepts only a ballot at least its maxBal.
    let v = breach(Switch::AcceptBelowPromise, Invariant::Agreement, 17);
    let Verdict::Violation { broken_at, harm_at, .. } = v else { unreachable!() };
    assert!(broken_at.is_some_and(|b| Some(b) < harm_at), "the broken rule is marked before the harm");
}

#[test]
fn shared_ballots_break_a_rule_but_no_harm_follows_within_two_ballots() {
    let cfg = log_config(Some(Switch::SharedBallots));
    let (v, _) = search(&cfg, Bounds::for_config(&cfg), Options::default());
    assert!(matches!(v, Verdict::NoHarm { invariant: Invariant::BallotsUnique, .. }), "{v:?}");
}

#[test]
fn amnesia_needs_a_crash_in_multi_mode_too() {
    let cfg = log_config(Some(Switch::AcceptorAmnesia));
    assert_eq!(Bounds::for_config(&cfg).max_crashes, 1);
    assert!(Bounds { max_crashes: 0, ..Bounds::for_config(&cfg) }.lacks(&cfg).is_some());
}

#[test]
fn the_correct_log_is_safe_with_one_leader_and_the_bounds_are_counted() {
    let cfg = log_config(None);
    assert_eq!(Bounds::for_config(&cfg).max_rounds, MULTI_ROUNDS);
    let one = Bounds { max_rounds: 1, ..Bounds::for_config(&cfg) };
    let (v, p) = search(&cfg, one, Options::default());
    assert!(matches!(v, Verdict::Safe { .. }), "{v:?}");
    // Symmetry only merges renamed worlds: without it, the same verdict from more states.
    let (plain, q) = search(&cfg, one, Options { symmetry: false, ..Options::default() });
    assert_eq!(plain, Verdict::Safe { states: q.states });
    assert!(q.states > p.states, "{} states with symmetry, {} without", p.states, q.states);
}

#[test]
fn symmetry_keeps_the_shortest_counterexample() {
    let cfg = log_config(Some(Switch::SkipRecovery));
    let plain = Options { symmetry: false, ..Options::default() };
    let (v, _) = search(&cfg, Bounds::for_config(&cfg), plain);
    assert!(matches!(&v, Verdict::Violation { commands, invariant: Invariant::Agreement, .. } if commands.len() == 17));
}

#[test]
fn the_reductions_keep_every_verdict_and_its_length() {
    // Each reduction against the search without it, on every switch that shows within the
    // bounds (and on the correct log with one ballot).
    let gist = |v: &Verdict| match v {
        Verdict::Safe { .. } => "safe".to_string(),
        Verdict::NoHarm { invariant, .. } => format!("no harm ({invariant:?})"),
        Verdict::Violation { commands, invariant, broken_at, .. } => {
            format!("{invariant:?} in {} steps, rule first: {}", commands.len(), broken_at.is_some())
        }
    };
    let plain = Options { symmetry: false, last_ballots: false, ..Options::default() };
    for switch in [Switch::MinorityQuorum, Switch::SkipRecovery, Switch::AcceptBelowPromise, Switch::SharedBallots] {
        let cfg = log_config(Some(switch));
        let b = Bounds::for_config(&cfg);
        let (v, p) = search(&cfg, b, Options::default());
        let (w, q) = search(&cfg, b, plain);
        assert_eq!(gist(&v), gist(&w), "{switch}");
        assert!(p.states <= q.states, "{switch}: {} states reduced, {} plain", p.states, q.states);
    }
}

#[test]
fn the_correct_log_of_one_slot_is_safe_through_a_leader_change() {
    // Two ballots: P1 leads, then a client's retry makes P2 take over and recover the slot.
    // Safe with and without the last-ballots reduction, which must not change the verdict.
    let cfg = Config { slots: 1, ..log_config(None) };
    let b = Bounds::for_config(&cfg);
    let (v, p) = search(&cfg, b, Options::default());
    assert!(matches!(v, Verdict::Safe { .. }), "{v:?}");
    let (w, q) = search(&cfg, b, Options { last_ballots: false, ..Options::default() });
    assert!(matches!(w, Verdict::Safe { .. }), "{w:?}");
    assert!(p.states < q.states, "{} states reduced, {} without last ballots", p.states, q.states);
    // The same slot with the switch: the new leader does not recover it, and breaks agreement.
    let cfg = Config { slots: 1, ..log_config(Some(Switch::SkipRecovery)) };
    let (v, _) = search(&cfg, b, Options::default());
    assert!(matches!(v, Verdict::Violation { invariant: Invariant::Agreement, .. }), "{v:?}");
}

#[test]
fn the_correct_log_of_two_slots_is_safe_through_a_leader_change() {
    // The config: 2 slots, 2 proposers, 3 acceptors, one leader change. Proven with the
    // partial-order reduction (without it the search runs to millions of states).
    let cfg = log_config(None);
    let (v, p) = search(&cfg, Bounds::for_config(&cfg), Options::default());
    assert!(matches!(v, Verdict::Safe { .. }), "{v:?}");
    println!("2 slots proven safe in {} states", p.states);
}

/// A search of `cfg` within `b` without symmetry (so acceptors keep their names in the
/// records), with or without the partial-order reduction: its verdict, its states, and what
/// each state without a move holds.
fn ends(cfg: &Config, b: Bounds, partial_order: bool) -> (Verdict, usize, std::collections::BTreeSet<String>) {
    let options = Options { partial_order, symmetry: false, ..Options::default() };
    let mut s = multi::MultiSearch::new(cfg, 42, b, options).unwrap();
    while !s.run(100_000).done {}
    (s.verdict().cloned().unwrap(), s.progress().states, std::mem::take(&mut s.ends))
}

#[test]
fn the_partial_order_reduction_keeps_the_verdict_and_every_end() {
    // A partial-order reduction keeps every state without a move (the ample-set conditions
    // without the cycle proviso): the votes cast along the way, what is chosen, and every
    // acceptor's votes at the end of each run are the same with it as without it, from fewer
    // states. One slot through a leader change; two slots with one leader; one client's
    // command on a log of two slots through a leader change.
    let one_slot = Config { slots: 1, ..log_config(None) };
    let one_client = Config { clients: 1, ..log_config(None) };
    let b = |c: &Config| Bounds::for_config(c);
    let cases = [
        (one_slot.clone(), b(&one_slot), 5),
        (log_config(None), Bounds { max_rounds: 1, ..b(&log_config(None)) }, 2),
        (one_client.clone(), b(&one_client), 5),
    ];
    for (cfg, bounds, factor) in cases {
        let (v, p, reduced) = ends(&cfg, bounds, true);
        let (w, q, plain) = ends(&cfg, bounds, false);
        assert!(matches!(v, Verdict::Safe { .. }) && matches!(w, Verdict::Safe { .. }), "{v:?} {w:?}");
        assert!(p * factor < q, "{p} states reduced, {q} without the reduction");
        assert!(plain.len() > 3, "{} ends", plain.len());
        assert_eq!(reduced, plain, "{} slots, {} clients, {} ballots", cfg.slots, cfg.clients, bounds.max_rounds);
    }
}

/// The Multi-Paxos search of `switch`'s log with the partial-order reduction forced on (the
/// explorer leaves it off when a rule is switched off), searching again without it or not.
fn ordered(switch: Switch, recheck: bool) -> Verdict {
    let cfg = log_config(Some(switch));
    let mut s = multi::MultiSearch::new(&cfg, 42, Bounds::for_config(&cfg), Options::default()).unwrap();
    assert!(!s.order, "{switch}: off where a rule is switched off");
    s.order = true;
    s.recheck = recheck;
    while !s.run(100_000).done {}
    s.verdict().cloned().unwrap()
}

#[test]
fn the_partial_order_reduction_still_reaches_every_agreement_breach() {
    // It keeps every breach reachable (perhaps by a longer run): on the switches that break
    // agreement, it finds a breach of agreement by itself.
    for switch in [Switch::SkipRecovery, Switch::IgnoreReportedValues, Switch::AcceptBelowPromise] {
        let v = ordered(switch, false);
        assert!(matches!(v, Verdict::Violation { invariant: Invariant::Agreement, .. }), "{switch}: {v:?}");
    }
}

#[test]
fn a_breach_found_with_the_partial_order_reduction_is_searched_again_for_a_shortest_run() {
    let v = ordered(Switch::SkipRecovery, true);
    let Verdict::Violation { commands, invariant: Invariant::Agreement, .. } = &v else { panic!("{v:?}") };
    assert_eq!(commands.len(), 17, "the shortest run, as without the reduction");
    let cfg = log_config(Some(Switch::SkipRecovery));
    let t = Timeline::replay(cfg, 42, commands).expect("the counterexample replays");
    assert!(t.steps().last().is_some_and(|s| s.events.iter().any(|e| matches!(e, Event::Violated { .. }))));
}
