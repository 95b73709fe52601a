//! Narration says what happened and why, in sentences, for every kind of step.

use paxoscope::paxos::{Kind, NodeId};
use paxoscope::sim::narrate::narrate_step;
use paxoscope::sim::{simulate, Command, Config, Faults, Pick, Script, Timeline};

const C1: NodeId = NodeId::client(0);
const C2: NodeId = NodeId::client(1);
const P1: NodeId = NodeId::proposer(0);
const P2: NodeId = NodeId::proposer(1);
fn a(i: u8) -> NodeId {
    NodeId::acceptor(i)
}

fn story(s: &Script) -> Vec<String> {
    let t = Timeline::replay(s.world().config().clone(), 1, s.commands()).unwrap();
    (1..=t.len()).map(|n| narrate_step(&t, n).unwrap().text).collect()
}

#[test]
fn happy_path_is_told_phase_by_phase() {
    let mut s = Script::new(Config::default(), 1).unwrap();
    s.request(C1, "X").settle(100);
    let lines = story(&s);
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(lines[0].starts_with("Phase 0: C1 asks P1 to get \"X\" chosen."), "{}", lines[0]);
    assert!(has("P1 receives C1's request for \"X\" and starts Phase 1 with ballot 1.1"));
    assert!(has("A1 promises ballot 1.1: it has promised nothing higher. It has accepted nothing, so the promise carries no value."));
    assert!(has("No promise reported an accepted value, so P1 is free to propose its client's value: Accept 1.1 \"X\" goes to every acceptor."));
    assert!(has("accepts \"X\" in ballot 1.1, since it has promised nothing higher"));
    assert!(has("\"X\" is now chosen in ballot 1.1. This is the global view; no node knows it yet."));
    assert!(has("P1 sees a majority accept \"X\" in ballot 1.1"));
    assert!(has("L1 learns \"X\""));
    assert!(has("C1 hears from P1 that \"X\" was chosen."));
    assert!(lines.iter().all(|l| !l.is_empty() && l.ends_with('.')), "{lines:#?}");
}

#[test]
fn a_refused_prepare_names_the_promise_and_the_retry() {
    let mut s = Script::new(Config::default(), 1).unwrap();
    s.run(Command::SetLeader { client: C2, leader: P2 });
    // P1 gets to round 2 first (a timeout), so A2 promises 2.1 and then refuses P2's 1.2.
    s.request(C1, "X").deliver(Pick::kind(Kind::Request)).run(Command::Timeout { node: P1 });
    s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1))).deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1)));
    s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2)).deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1)));
    let lines = story(&s);
    assert!(
        lines.last().unwrap().contains(
            "A2 refuses Prepare 1.2: it already promised 2.1. The Nack tells P2 to retry with a higher round."
        ),
        "{}",
        lines.last().unwrap()
    );
}

#[test]
fn adoption_says_which_value_must_be_proposed_and_why() {
    let mut s = Script::new(Config::default(), 1).unwrap();
    s.request(C1, "X")
        .deliver_all(Pick::kind(Kind::Request))
        .deliver_all(Pick::kind(Kind::Prepare))
        .deliver_all(Pick::kind(Kind::Promise));
    s.deliver(Pick::kind(Kind::Accept).to(a(0)));
    s.drop_all(Pick::kind(Kind::Accept));
    s.run(Command::SetLeader { client: C2, leader: P2 }).request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
    s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0))).deliver(Pick::kind(Kind::Prepare).from(P2).to(a(2)));
    s.deliver(Pick::kind(Kind::Promise).to(P2)).deliver(Pick::kind(Kind::Promise).to(P2));
    assert_eq!(s.error(), None);
    let last = story(&s).pop().unwrap();
    assert!(
        last.contains(
            "P2 must propose \"X\", not its client's \"Y\": A1 reports it already accepted \"X\" in ballot 1.1."
        ),
        "{last}"
    );
}

#[test]
fn failures_are_told_with_their_consequence() {
    let mut cfg = Config::default();
    cfg.amnesia.insert(a(1));
    let mut s = Script::new(cfg, 1).unwrap();
    s.request(C1, "X").deliver(Pick::kind(Kind::Request)).deliver(Pick::kind(Kind::Prepare).to(a(1)));
    s.run(Command::Crash { node: a(1) });
    s.drop_msg(Pick::kind(Kind::Prepare).to(a(0)));
    s.run(Command::Restart { node: a(1) });
    s.run(Command::Partition { groups: vec![vec![P1, a(0)]] });
    s.deliver(Pick::kind(Kind::Prepare).to(a(2)));
    s.run(Command::Heal);
    let lines = story(&s);
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(has("A2 crashes. Its promise (1.1) and its vote (none) are on disk and survive"));
    assert!(has("It is in amnesia mode, so its restart will wipe even those."));
    assert!(has("The message it had in flight is lost with it: here a crash loses"), "its Promise to P1 dies with it");
    assert!(has("is dropped: it will never arrive"));
    assert!(has("A2 restarts with amnesia: its promise and its vote are gone."));
    assert!(has(
        "A rule of Paxos is broken (an acceptor's promise never goes down): A2's promise went down from 1.1 to nothing"
    ));
    assert!(has("The network is split into {P1, A1} | {C1, C2, P2, A2, A3, L1}."));
    assert!(has("is lost: it cannot cross the partition."));
    assert!(has("The partition heals"));
}

#[test]
fn every_step_of_random_runs_gets_a_sentence() {
    for seed in 0..30 {
        let t = simulate(Config { loss: 10, duplicate: 10, ..Config::default() }, seed, 150, Faults::ALL).unwrap();
        for n in 1..=t.len() {
            let text = narrate_step(&t, n).unwrap().text;
            assert!(
                text.len() > 20 && text.ends_with('.'),
                "seed {seed} step {n}: {text:?} for {:?}",
                t.steps()[n - 1]
            );
        }
    }
}

#[test]
fn a_broken_quorum_is_called_out_and_unasked_clients_are_not_answered() {
    let mut cfg = Config::default();
    cfg.mutations.insert(paxoscope::paxos::Switch::MinorityQuorum);
    let mut s = Script::new(cfg, 1).unwrap();
    s.request(C1, "X").deliver(Pick::kind(Kind::Request)).deliver(Pick::kind(Kind::Prepare).to(a(0)));
    s.deliver(Pick::kind(Kind::Promise)).deliver(Pick::kind(Kind::Accept).to(a(0)));
    s.deliver(Pick::kind(Kind::Accepted).to(NodeId::learner(0))).deliver(Pick::kind(Kind::Accepted).to(P1));
    s.deliver(Pick::kind(Kind::Announce).to(C2));
    let lines = story(&s);
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(has("L1 learns \"X\" from 1 vote in ballot 1.1, which the broken quorum rule counts as enough; 1 of 3 acceptors is not a majority."), "{lines:#?}");
    assert!(has("P1 has 1 vote for \"X\" in ballot 1.1, which the broken quorum rule counts as enough"), "{lines:#?}");
    assert!(has("C2 hears from L1 that \"X\" was chosen. It had not asked"), "{lines:#?}");
}

#[test]
fn a_forced_timeout_says_who_forced_it() {
    let mut s = Script::new(Config::default(), 1).unwrap();
    s.request(C1, "X").deliver(Pick::kind(Kind::Request)).run(Command::Timeout { node: P1 });
    let last = story(&s).pop().unwrap();
    assert!(
        last.starts_with("P1 times out because you told it to: it gives up on ballot 1.1 and retries with ballot 2.1"),
        "{last}"
    );
}

/// Rules switched off are flagged where they break, with the rule named: a proposer that ignores
/// the value its quorum reported breaks P2c (`AdoptsReportedValue`), and one that goes on with
/// fewer than a majority breaks `QuorumIsMajority`. Correct Paxos breaks neither, under faults.
#[test]
fn switched_off_p2c_and_majority_are_flagged_where_they_break() {
    use paxoscope::paxos::Switch;
    use paxoscope::sim::explore::{Bounds, Explorer, Verdict};
    use paxoscope::sim::{Event, Invariant};
    let cases = [
        (Switch::IgnoreReportedValues, Invariant::AdoptsReportedValue),
        (Switch::MinorityQuorum, Invariant::QuorumIsMajority),
    ];
    for (switch, rule) in cases {
        let mut cfg = Config::default();
        cfg.mutations.insert(switch);
        let mut ex = Explorer::new(cfg.clone(), 42, Bounds::for_config(&cfg)).unwrap();
        while !ex.run(100_000).done {}
        let Some(Verdict::Violation { commands, broken_at: Some(at), .. }) = ex.verdict().cloned() else {
            panic!("{switch}: {:?}", ex.verdict());
        };
        let t = Timeline::replay(cfg, 42, &commands).unwrap();
        let flagged = t.steps()[at - 1]
            .events
            .iter()
            .any(|e| matches!(e, Event::Violated { invariant, .. } if *invariant == rule));
        assert!(flagged, "{switch}: step {at} flags {rule:?}");
    }
    for seed in 0..20 {
        let t = simulate(Config::default(), seed, 400, Faults::ALL).unwrap();
        let broken = t.world_at(t.len()).oracle().violations().to_vec();
        assert!(broken.is_empty(), "correct Paxos keeps P2c and majorities (seed {seed}): {broken:?}");
    }
}

#[test]
fn multi_paxos_crashes_and_restarts_tell_the_log_nodes_state() {
    let cfg = Config { mode: paxoscope::sim::Mode::Multi, ..Config::default() };
    let mut s = Script::new(cfg, 1).unwrap();
    s.next_command(C1);
    // Deliver until the log holds the command; nothing is left waiting that matters.
    for _ in 0..200 {
        let Some(id) = s.world().in_flight().first().map(|m| m.id) else { break };
        s.run(Command::Deliver { id });
    }
    s.run(Command::Crash { node: P1 });
    s.run(Command::Crash { node: a(0) });
    s.run(Command::Restart { node: a(0) });
    s.run(Command::Restart { node: P1 });
    let lines = story(&s);
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    // P1 ran ballot 1.1: its round on disk is 1, not the single-decree proposer's 0.
    assert!(has("P1 crashes and loses its ballot in progress. Its highest round (1) is on disk"), "{lines:#?}");
    assert!(has("A1 crashes. Its promise (1.1) and its votes (s1: X1 in 1.1) are on disk and survive"), "{lines:#?}");
    assert!(has("A1 restarts from disk: it still has its promise (1.1) and its votes (s1: X1 in 1.1)."), "{lines:#?}");
    assert!(has("P1 restarts idle; its next ballot will be above round 1."), "{lines:#?}");
}

#[test]
fn a_minority_quorum_commit_says_whether_the_value_is_chosen_all_the_same() {
    use paxoscope::paxos::Switch;
    let mut cfg = Config::default();
    cfg.mutations.insert(Switch::MinorityQuorum);
    let story_of = |accepts: &[u8]| {
        let mut s = Script::new(cfg.clone(), 1).unwrap();
        s.request(C1, "X").deliver(Pick::kind(Kind::Request));
        s.deliver(Pick::kind(Kind::Prepare).to(a(0))).deliver(Pick::kind(Kind::Promise).to(P1));
        for &i in accepts {
            s.deliver(Pick::kind(Kind::Accept).to(a(i)));
        }
        s.deliver(Pick::kind(Kind::Accepted).to(P1));
        assert_eq!(s.error(), None);
        story(&s)
    };
    // One vote of three: P1 commits "X", which nobody else voted for.
    let alone = story_of(&[0]);
    assert!(
        alone.iter().any(|l| l.contains("1 of 3 acceptors is not a majority: \"X\" is not actually chosen.")),
        "{alone:#?}"
    );
    // Two acceptors voted, so "X" is chosen, though P1 has counted one vote: the words say both.
    let both = story_of(&[0, 1]);
    assert!(
        both.iter().any(|l| l.contains(
            "1 of 3 acceptors is not a majority: P1 cannot know \"X\" is chosen. It is, by votes P1 has not counted"
        )),
        "{both:#?}"
    );
    assert!(both.iter().all(|l| !l.contains("not actually chosen")), "{both:#?}");
}

/// L1 learns "X" from A1's lone vote, which the broken quorum rule counts as enough; then P2 gets
/// "Y" accepted by A2 and A3, a real majority, and commits it to L1.
fn two_values_decided() -> Script {
    use paxoscope::paxos::Switch;
    let mut cfg = Config::default();
    cfg.mutations.insert(Switch::MinorityQuorum);
    let mut s = Script::new(cfg, 1).unwrap();
    s.run(Command::SetLeader { client: C2, leader: P2 });
    s.request(C1, "X").deliver(Pick::kind(Kind::Request).to(P1));
    s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0))).deliver(Pick::kind(Kind::Promise).to(P1));
    s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(0))).deliver(Pick::kind(Kind::Accepted).to(NodeId::learner(0)));
    s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
    s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1))).deliver(Pick::kind(Kind::Promise).to(P2));
    s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(1))).deliver(Pick::kind(Kind::Accept).from(P2).to(a(2)));
    s.deliver(Pick::kind(Kind::Accepted).from(a(1)).to(P2));
    s.deliver(Pick::kind(Kind::Commit).from(P2).to(NodeId::learner(0)));
    assert_eq!(s.error(), None);
    s
}

#[test]
fn a_commit_for_another_value_than_the_one_learned_says_agreement_is_broken() {
    let last = story(&two_values_decided()).pop().unwrap();
    assert_eq!(
        last,
        "L1 learned \"X\" before, and now P2's Commit says \"Y\": two values are decided, so agreement is broken. L1 keeps \"X\"."
    );
}

/// The browser test of the chosen banner (e2e/cluster.test.mjs) imports this situation as a
/// trace; the file must be what the script produces. `UPDATE_FIXTURES=1` rewrites it.
#[test]
fn the_two_values_decided_fixture_is_current() {
    let s = two_values_decided();
    let t = Timeline::replay(s.world().config().clone(), 1, s.commands()).unwrap();
    let json = paxoscope::sim::Trace::from_timeline(&t).to_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/fixtures/two-values-decided.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, &json).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(on_disk == json, "{path} is out of date: run UPDATE_FIXTURES=1 cargo test --test narration");
}

/// The banner's "who knows" and the canvas's ✓/✗ marks read `World::knowledge`: a node that
/// decided while nothing was chosen, or decided another value, holds `Other`, never `Chosen`.
#[test]
fn knowledge_is_measured_against_the_chosen_value() {
    use paxoscope::sim::Knowledge;
    let s = two_values_decided();
    let t = Timeline::replay(s.world().config().clone(), 1, s.commands()).unwrap();
    let (l1, x, y) =
        (NodeId::learner(0), paxoscope::paxos::Value::new("X").unwrap(), paxoscope::paxos::Value::new("Y").unwrap());
    // L1 learned "X" from A1's lone vote: nothing is chosen, so it cannot know a chosen value.
    let learned = (0..=t.len()).find(|&k| t.world_at(k).known_outcome(l1).is_some()).unwrap();
    let w = t.world_at(learned);
    assert_eq!(w.chosen(), None);
    assert_eq!(w.knowledge(l1), Knowledge::Other(x));
    assert_eq!(w.knowledge(P2), Knowledge::Nothing);
    // At the end "Y" is chosen: L1 still holds "X", P2 decided "Y".
    let end = t.world_at(t.len());
    assert_eq!(end.chosen().map(|c| c.1), Some(y));
    assert_eq!(end.knowledge(l1), Knowledge::Other(x));
    assert_eq!(end.knowledge(P2), Knowledge::Chosen(y));
}

/// With "proposers ignore reported values" switched off, P2 gets "Y" chosen in 1.2 and P1 later
/// gets "X" chosen in 4.1; C1, told "Y" first, then hears "X" from P1.
fn two_values_chosen() -> Timeline {
    let mut cmds = vec!["l-C2-P2", "q-C1-X", "q-C2-Y"];
    cmds.extend(std::iter::repeat_n("t", 142));
    let link =
        paxoscope::sim::link::Link::parse(&format!("s=42&n=2.2.3.1&mu=ignore_reported_values&run={}", cmds.join("~")))
            .unwrap();
    Timeline::replay(link.config.clone(), link.seed, link.commands.iter()).unwrap()
}

#[test]
fn a_client_told_a_second_value_is_said_to_keep_its_first() {
    let t = two_values_chosen();
    let lines: Vec<String> = (1..=t.len()).map(|n| narrate_step(&t, n).unwrap().text).collect();
    assert!(
        lines.iter().any(|l| l == "C1 heard \"Y\" before, and now P1 says \"X\" was chosen: two values are decided, so agreement is broken. C1 keeps \"Y\"."),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains("C1 hears again from P1 that \"X\"")));
}

/// Two values chosen: a node holding the first knows the chosen value; one holding the second
/// holds a value chosen too, but on the side that broke agreement (its mark is red).
#[test]
fn with_two_values_chosen_the_second_is_known_as_chosen_later() {
    use paxoscope::sim::Knowledge;
    let t = two_values_chosen();
    let w = t.world_at(t.len());
    let chosen: Vec<_> = w.oracle().chosen().iter().map(|c| c.1.to_string()).collect();
    assert_eq!(chosen, ["\"Y\"", "\"X\""]);
    let x = paxoscope::paxos::Value::new("X").unwrap();
    assert_eq!(w.known_outcome(P1), Some(x));
    assert_eq!(w.knowledge(P1), Knowledge::Later(x));
    let y = paxoscope::paxos::Value::new("Y").unwrap();
    let c1 = paxoscope::paxos::NodeId::client(0);
    assert_eq!((w.known_outcome(c1), w.knowledge(c1)), (Some(y), Knowledge::Chosen(y)));
}
