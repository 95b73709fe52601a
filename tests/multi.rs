//! Multi-Paxos: named scenarios run against the real world, each checking per-slot outcomes and
//! the oracle's verdict. The rule each checks is in its name.

use paxoscope::paxos::multi::{Cmd, LogDecision, Stage};
use paxoscope::paxos::{Decision, Kind, NodeId, Switch};
use paxoscope::sim::{Command, Config, Event, Invariant, Mode, Pick, Script, World};

const C1: NodeId = NodeId::client(0);
const C2: NodeId = NodeId::client(1);
const P1: NodeId = NodeId::proposer(0);
const P2: NodeId = NodeId::proposer(1);
const L1: NodeId = NodeId::learner(0);
fn a(i: u8) -> NodeId {
    NodeId::acceptor(i)
}
fn x(n: u8) -> Cmd {
    Cmd::new(0, n).unwrap()
}
fn y(n: u8) -> Cmd {
    Cmd::new(1, n).unwrap()
}

fn multi() -> Config {
    Config { mode: Mode::Multi, ..Config::default() }
}

fn request(s: &mut Script, c: NodeId) {
    s.next_command(c);
}

fn chosen(w: &World, slot: u8) -> Option<Cmd> {
    w.oracle().log().and_then(|l| l.chosen(slot)).map(|(_, c)| c)
}

fn events(s: &Script) -> Vec<&Event> {
    s.events().iter().flatten().collect()
}

/// Delivers every message in flight until none is left (no faults).
fn settle(s: &mut Script) {
    for _ in 0..500 {
        let Some(m) = s.world().in_flight().first() else {
            assert_eq!(s.error(), None);
            return;
        };
        let id = m.id;
        s.run(Command::Deliver { id });
    }
    let n = s.narrations();
    panic!("no end in 500 steps:\n{}", n[n.len() - 12..].join("\n"));
}

fn to(n: NodeId) -> Pick {
    Pick::default().to(n)
}

#[test]
fn stable_leader_runs_phase1_once_then_one_round_trip_per_command() {
    let mut s = Script::new(multi(), 1).unwrap();
    request(&mut s, C1);
    settle(&mut s);
    for _ in 0..3 {
        request(&mut s, C1);
        settle(&mut s);
    }
    let w = s.world();
    assert_eq!((0..4).map(|i| chosen(w, i)).collect::<Vec<_>>(), (1..=4).map(|n| Some(x(n))).collect::<Vec<_>>());
    let prepares =
        events(&s).iter().filter(|e| matches!(e, Event::Sent { msg, .. } if msg.kind() == Kind::Prepare)).count();
    assert_eq!(prepares, 3, "one Prepare to each acceptor, once");
    assert_eq!(w.log().unwrap().learners[0].applied, 4);
    assert_eq!(w.log().unwrap().clients[0].applied, 4);
    assert_eq!(w.log().unwrap().proposers[0].stage, Stage::Leading);
    assert!(w.oracle().violations().is_empty());
}

#[test]
fn a_follower_redirects_the_client_to_the_leader() {
    let mut s = Script::new(multi(), 1).unwrap();
    request(&mut s, C1);
    settle(&mut s);
    s.run(Command::SetLeader { client: C2, leader: P2 });
    request(&mut s, C2);
    settle(&mut s);
    let redirected = s.world().log().unwrap().clients[1].leader;
    assert_eq!(redirected, P1);
    assert_eq!(chosen(s.world(), 1), Some(y(1)));
}

/// The leader crashes with X2 accepted by A1 only and X3 accepted by a majority; its
/// successor recovers X3 (P2c per slot), fills slot 2 with... whatever the highest report says.
#[test]
fn leader_crash_new_leader_recovers_accepted_slots_and_fills_holes_with_noops() {
    let mut s = Script::new(multi(), 1).unwrap();
    request(&mut s, C1);
    settle(&mut s); // X1 chosen in slot 1 with ballot 1.1
    request(&mut s, C1); // X2 → slot 2
    request(&mut s, C1); // X3 → slot 3
                         // P1 sends Accept s2 and s3; only A2 gets s3, nobody gets s2.
    s.deliver(to(P1)); // Request X2
    s.deliver(to(P1)); // Request X3
    s.deliver(to(a(1)).slot(2));
    s.run(Command::Crash { node: P1 });
    // C1 times out and retries X2 with P2, which takes over.
    s.run(Command::Timeout { node: C1 });
    settle(&mut s);
    let w = s.world();
    assert_eq!(chosen(w, 0), Some(x(1)), "slot 1 keeps X1");
    assert_eq!(chosen(w, 2), Some(x(3)), "A2's vote for X3 in slot 3 is recovered");
    assert_eq!(chosen(w, 1), Some(Cmd::NOOP), "slot 2 was a hole: a no-op fills it");
    assert_eq!(chosen(w, 3), Some(x(2)), "the retried X2 goes to the next free slot");
    let elected = s.events().iter().flatten().find_map(|e| match e {
        Event::Decided { node, decision: Decision::Log(LogDecision::Elected { recovered, noops, .. }) }
            if *node == P2 =>
        {
            Some((*recovered, *noops))
        }
        _ => None,
    });
    assert_eq!(elected, Some((0b101, 0b10)), "X1 and X3 recovered, slot 2 a hole");
    let told = s.narrations().join("\n");
    assert!(
        told.contains("P2 re-proposes \"X3\" in slot s3 because A2 reports it accepted in ballot 1.1")
            && told.contains("Slot s2 is a hole, so P2 fills it with a no-op."),
        "{told}"
    );
    assert!(w.oracle().violations().is_empty(), "{:?}", w.oracle().violations());
    assert_eq!(w.log().unwrap().learners[0].applied, 4);
}

#[test]
fn dueling_leaders_preempt_each_other_and_the_log_stays_consistent() {
    let mut s = Script::new(multi(), 1).unwrap();
    request(&mut s, C1);
    settle(&mut s);
    request(&mut s, C1);
    s.deliver(to(P1)); // P1 sends Accept s2 X2
                       // C2 retries with P2: P2 takes over while P1's Accepts are in flight.
    request(&mut s, C2);
    s.run(Command::Timeout { node: C2 });
    settle(&mut s);
    // P1 still believes it leads: its next Accept meets P2's higher promise.
    assert_eq!(s.world().log().unwrap().proposers[0].stage, Stage::Leading);
    request(&mut s, C1);
    settle(&mut s);
    let demoted = events(&s).iter().any(
        |e| matches!(e, Event::Decided { node, decision: Decision::Log(LogDecision::Demoted { .. }) } if *node == P1),
    );
    assert!(demoted, "a Nack demotes P1");
    s.run(Command::Timeout { node: C1 });
    settle(&mut s);
    let w = s.world();
    assert!(w.oracle().violations().is_empty(), "{:?}", w.oracle().violations());
    assert!((0..8).any(|slot| chosen(w, slot) == Some(x(3))), "X3 gets a slot through P2");
    let l = &w.log().unwrap().learners[0];
    for slot in 0..l.applied {
        assert_eq!(l.known[slot as usize], chosen(w, slot), "learner and oracle agree in slot {slot}");
    }
}

#[test]
fn lost_accepts_in_one_slot_only_leave_that_slot_open_until_the_retry() {
    let mut s = Script::new(multi(), 1).unwrap();
    request(&mut s, C1);
    settle(&mut s);
    request(&mut s, C1);
    request(&mut s, C1);
    s.deliver(to(P1));
    s.deliver(to(P1));
    // Drop every Accept for slot 2 (index 1).
    assert_eq!(s.find(Pick::kind(Kind::Accept).slot(1)).len(), 3);
    s.drop_all(Pick::kind(Kind::Accept).slot(1));
    settle(&mut s);
    let w = s.world();
    assert_eq!((chosen(w, 1), chosen(w, 2)), (None, Some(x(3))), "slot 3 is chosen, slot 2 is not");
    assert_eq!(w.log().unwrap().learners[0].applied, 1, "the learner stops at the gap");
    s.run(Command::Timeout { node: P1 });
    settle(&mut s);
    let w = s.world();
    assert_eq!(chosen(w, 1), Some(x(2)), "the leader's new Phase 1 gets X2 chosen");
    assert_eq!(w.log().unwrap().learners[0].applied, 3);
    assert!(w.oracle().violations().is_empty());
}

/// The new switch must break agreement: a leader that skips recovery reuses a chosen slot.
#[test]
fn skip_recovery_breaks_agreement_in_a_chosen_slot() {
    let mut cfg = multi();
    cfg.mutations.insert(Switch::SkipRecovery);
    let mut s = Script::new(cfg, 1).unwrap();
    request(&mut s, C1);
    settle(&mut s);
    request(&mut s, C2);
    s.run(Command::Timeout { node: C2 });
    s.run(Command::Crash { node: P1 });
    settle(&mut s);
    let broken =
        s.world().oracle().violations().iter().any(|(i, d)| *i == Invariant::Agreement && d.contains("slot s1"));
    assert!(broken, "{:?}", s.world().oracle().violations());
    // The oracle keeps both commands, for the log grid to show what the narration tells.
    let log = s.world().oracle().log().unwrap();
    let (first, again) = (log.chosen(0).unwrap().1, log.chosen_again(0).unwrap().1);
    assert_eq!(first, x(1));
    assert_ne!(again, first);
    assert_eq!(log.chosen_again(1), None, "s2 has one command chosen");
}

#[test]
fn a_restarted_learner_catches_up_from_the_committer() {
    let mut s = Script::new(multi(), 1).unwrap();
    request(&mut s, C1);
    settle(&mut s);
    request(&mut s, C1);
    settle(&mut s);
    s.run(Command::Crash { node: L1 });
    s.run(Command::Restart { node: L1 });
    assert_eq!(s.world().log().unwrap().learners[0].applied, 0);
    request(&mut s, C1);
    settle(&mut s);
    assert_eq!(s.world().log().unwrap().learners[0].applied, 3, "it asked for slots 1 and 2");
    assert!(s.world().oracle().violations().is_empty());
}

#[test]
fn a_client_may_only_send_the_next_command_of_its_stream() {
    let mut w = World::new(multi(), 1).unwrap();
    let ev = w.apply(Command::Request { client: C1, value: paxoscope::paxos::Value::new("X2").unwrap() });
    assert!(matches!(&ev[..], [Event::Rejected { reason }] if reason.contains("\"X1\"")));
    let ev = w.apply(Command::Timeout { node: C1 });
    assert!(matches!(&ev[..], [Event::Rejected { .. }]));
}

/// The explorer searches the log too: with a minority quorum, P1 commits "X1" in slot s1 while
/// only one acceptor holds it, and the run it returns replays to that breach.
#[test]
fn the_explorer_searches_multi_mode_and_its_run_replays() {
    use paxoscope::sim::explore::{Bounds, Explorer, Verdict};
    use paxoscope::sim::{Invariant, Timeline};
    let mut cfg = Config { slots: 2, ..multi() };
    cfg.mutations.insert(paxoscope::paxos::Switch::MinorityQuorum);
    let mut ex = Explorer::new(cfg.clone(), 1, Bounds::for_config(&cfg)).expect("multi mode is searched");
    while !ex.run(10_000).done {}
    let Some(Verdict::Violation { commands, invariant, detail, .. }) = ex.verdict().cloned() else {
        panic!("{:?}", ex.verdict());
    };
    assert_eq!(invariant, Invariant::OnlyChosenIsLearned);
    assert!(detail.contains("slot s1"), "{detail}");
    let t = Timeline::replay(cfg, 1, &commands).unwrap();
    assert!(t.world_at(t.len()).oracle().violations().iter().any(|(i, d)| *i == invariant && d.contains("slot s1")));
}

/// Trace format version 2 carries multi mode: every log message and decision reads back as
/// itself (their `type` names sit beside single-decree ones), so exported runs replay exactly.
#[test]
fn multi_traces_round_trip_through_json_and_replay_under_every_fault() {
    use paxoscope::sim::{simulate, Faults, Trace, TraceFile};
    for seed in 0..40 {
        let cfg = Config { loss: 10, duplicate: 10, ..multi() };
        let t = simulate(cfg, seed, 300, Faults::ALL).unwrap();
        let trace = Trace::from_timeline(&t);
        let json = trace.to_json();
        let back = TraceFile::parse(&json).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        for e in t.steps().iter().flat_map(|s| &s.events) {
            let j = serde_json::to_string(e).unwrap();
            assert_eq!(&serde_json::from_str::<Event>(&j).unwrap(), e, "{j} reads back as itself");
        }
        back.replay().unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}
