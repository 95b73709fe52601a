//! Every "your turn" goal of lessons 7-12 can be reached from its point by what a student can
//! click (the prompt says what), and is not reached before they act. (Lessons 1-6: the tests at
//! the end of src/sim/lessons/basics.rs.)

use paxoscope::paxos::{Kind, NodeId};
use paxoscope::sim::lessons::{build, Goal};
use paxoscope::sim::{Command, Pick, Script, Step};

/// Forks lesson `id` at its `k`-th turn, applies the student's clicks, and checks the goal.
fn reach(id: &str, k: usize, clicks: impl FnOnce(&mut Script)) {
    let l = build(id).unwrap();
    let turns: Vec<_> = l.beats.iter().filter(|b| b.turn.is_some()).collect();
    let b = turns[k];
    let goal: Goal = b.turn.as_ref().unwrap().goal.clone();
    let mut s = Script::new(l.config.clone(), l.seed).unwrap();
    for c in &l.commands[..b.end] {
        s.run(c.clone());
    }
    let start = s.world().clone();
    let before = s.len();
    let p = goal.check(&start, &[], &start);
    assert!(!p.reached, "{id}: goal {goal:?} already reached at the turn: {}", p.why);
    clicks(&mut s);
    s.finish().unwrap_or_else(|e| panic!("{id}: a click was refused: {e}"));
    let since: Vec<Step> = s.commands()[before..]
        .iter()
        .zip(&s.events()[before..])
        .map(|(c, e)| Step { command: c.clone(), events: e.clone() })
        .collect();
    let p = goal.check(&start, &since, s.world());
    println!("{id} turn {k}: {goal:?} after {} clicks: reached={} ({})", since.len(), p.reached, p.why);
    assert!(p.reached, "{id}: {}", p.why);
}

fn a(i: u8) -> NodeId {
    NodeId::acceptor(i)
}
const P1: NodeId = NodeId::proposer(0);
const P2: NodeId = NodeId::proposer(1);
#[allow(dead_code)]
const C1: NodeId = NodeId::client(0);
#[allow(dead_code)]
const C2: NodeId = NodeId::client(1);
#[allow(dead_code)]
const L1: NodeId = NodeId::learner(0);

#[test]
fn turn_dueling() {
    reach("dueling-proposers", 0, |s| {
        s.deliver(Pick::kind(Kind::Promise).to(P1)).deliver(Pick::kind(Kind::Promise).to(P1));
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
        s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(0)));
        s.deliver(Pick::kind(Kind::Nack).to(P1));
    });
}
#[test]
fn turn_lost() {
    reach("lost-and-duplicated", 0, |s| {
        s.drop_msg(Pick::kind(Kind::Accept).to(a(1))).drop_msg(Pick::kind(Kind::Accept).to(a(2)));
        s.ticks(1);
    });
}
#[test]
fn turn_partition() {
    reach("partition", 0, |s| {
        s.run(Command::Heal);
        for _ in 0..200 {
            if s.world().clients()[0].outcome.is_some() {
                break;
            }
            s.ticks(1);
        }
    });
}
#[test]
fn turn_durability() {
    reach("durability", 0, |s| {
        s.run(Command::Crash { node: a(1) }).run(Command::Restart { node: a(1) });
        s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1))).deliver(Pick::kind(Kind::Prepare).from(P1).to(a(2)));
        s.deliver(Pick::kind(Kind::Promise).to(P1).from(a(1))).deliver(Pick::kind(Kind::Promise).to(P1).from(a(2)));
        s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(1))).deliver(Pick::kind(Kind::Accept).from(P1).to(a(2)));
    });
}
#[test]
fn turn_leaders() {
    reach("leader-estimates", 0, |s| {
        s.deliver_all(Pick::kind(Kind::Accept).from(P1));
        for _ in 0..200 {
            if s.world().clients()[1].outcome.is_some() {
                break;
            }
            s.ticks(1);
        }
    });
}
#[test]
fn turn_clock() {
    reach("generation-clock", 0, |s| {
        s.run(Command::SetAmnesia { node: P1, on: true })
            .run(Command::Crash { node: P1 })
            .run(Command::Restart { node: P1 });
        s.request(C1, "X");
        for _ in 0..50 {
            if s.world().proposers()[0].ballot.is_some() {
                break;
            }
            s.ticks(1);
        }
    });
}

// Multi-Paxos lessons 13-16: the goal is an applied prefix, reached by sending and stepping.

/// Delivers the oldest message in flight until none is left.
fn step_all(s: &mut Script) {
    s.settle(300);
}

#[test]
fn turn_stable_leader() {
    reach("stable-leader", 0, |s| {
        s.next_command(C1);
        step_all(s);
        assert_eq!(
            s.all_events()
                .filter(|e| matches!(e, paxoscope::sim::Event::Sent { msg, .. } if msg.kind() == Kind::Prepare))
                .count(),
            3,
            "X4 costs no Prepare"
        );
    });
}
#[test]
fn turn_leader_crash() {
    reach("leader-crash", 0, step_all);
}
#[test]
fn turn_two_leaders() {
    reach("two-leaders", 0, step_all);
}
#[test]
fn turn_learners_catch_up() {
    reach("learners-catch-up", 0, step_all);
}
