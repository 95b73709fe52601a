//! Lessons 13–16: Multi-Paxos. A stable leader skips Phase 1, a new leader recovers the log, two
//! leaders preempt each other, and learners catch up. Each runs a small cluster (one client,
//! three acceptors, four slots) so that the cluster and the log grid both fit a projector.

// Recipes and outcome checks run only natively (tests/lessons.rs): the browser reads what the
// recipes build from builtin.txt, so it leaves them out, and with them the helpers only they use.
#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use super::util::*;
use super::{reconfigure, Builder, Claim, Goal, Meta};
use crate::paxos::multi::{Cmd, LogDecision};
use crate::paxos::{Decision, Kind, NodeId};
use crate::sim::command::Event;
use crate::sim::{Command, Config, Mode, Pick, Script, World};

/// The lessons' cluster: one client, three acceptors, four slots; proposers and learners vary.
fn small(proposers: u8, learners: u8) -> Config {
    Config { mode: Mode::Multi, clients: 1, proposers, acceptors: 3, learners, slots: 4, ..Config::default() }
}

const L2: NodeId = NodeId::learner(1);

fn x(n: u8) -> Cmd {
    Cmd::new(0, n).expect("lesson commands are valid")
}

fn chosen(w: &World, slot: u8) -> Option<Cmd> {
    w.oracle().log().and_then(|l| l.chosen(slot)).map(|(_, c)| c)
}

fn applied(w: &World, n: NodeId) -> u8 {
    let Some(log) = w.log() else { return 0 };
    match n.role {
        crate::paxos::Role::Learner => log.learners[n.index as usize].applied,
        _ => log.clients[n.index as usize].applied,
    }
}

fn sent(ev: &[Vec<Event>], kind: Kind) -> usize {
    count(ev, |e| matches!(e, Event::Sent { msg, .. } if msg.kind() == kind))
}

fn log_decided(ev: &[Vec<Event>], f: impl Fn(NodeId, &LogDecision) -> bool) -> bool {
    all(ev).any(|e| matches!(e, Event::Decided { node, decision: Decision::Log(d) } if f(*node, d)))
}

/// Delivers every message in flight, oldest first, except those to `last`; then those to `last`,
/// so the beat ends on what `last` does.
fn drain(s: &mut Script, last: NodeId) {
    for _ in 0..200 {
        let next = s.world().in_flight().iter().find(|m| m.to != last).map(|m| m.id);
        match next {
            Some(id) => s.run(Command::Deliver { id }),
            None => break,
        };
    }
    s.deliver_all(Pick::default().to(last));
}

// ---- 13 ----------------------------------------------------------------------------------

pub const STABLE_LEADER: Meta = Meta {
    id: "stable-leader",
    title: "Multi-Paxos: a stable leader",
    teaches: "A log of commands: the leader runs Phase 1 once, then each command costs one round trip.",
    #[cfg(not(target_arch = "wasm32"))]
    check: stable_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: stable,
};

fn stable(b: &mut Builder) {
    // One proposer: nothing competes with the leader, so every round trip can be counted.
    reconfigure(b, small(1, 1));
    b.beat(
        Claim::Asks { client: C1, value: v("X1") },
        "Multi-Paxos fills a log, one command per slot. C1 sends its first command, \"X1\", to P1.",
        |s| {
            s.next_command(C1);
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "P1 does not lead yet, so it runs Phase 1 once for every slot from s1 on: Prepare 1.1 goes to every acceptor. Round trip 1.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::Promises { by: a(1) },
        "A1 and A2 promise 1.1 for all slots from s1. They report no votes: their rows in the log hold only the promise (p 1.1), no vote.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0))).deliver(Pick::kind(Kind::Prepare).to(a(1)));
        },
    );
    b.beat(
        Claim::Leads { by: P1 },
        "Two promises of three: P1 leads every slot from s1 with ballot 1.1. It puts \"X1\" in s1: Accept s1 1.1 \"X1\". Round trip 2.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0))).deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    );
    b.beat(
        Claim::SlotChosen { slot: 0, value: x(1) },
        "A1 and A2 vote for it: \"X1\" is chosen in s1. The first command took two round trips, Phase 1 and Phase 2.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    );
    b.beat(
        Claim::Applies { node: C1, slot: 0 },
        "Everyone hears of it; C1 applies s1. P1 still holds ballot 1.1 for every later slot.",
        |s| drain(s, C1),
    );
    b.act(|s| {
        s.next_command(C1);
    });
    b.beat(
        Claim::Assigns { by: P1, slot: 1 },
        "C1 sends \"X2\". P1's ballot still holds, so Phase 1 is skipped: \"X2\" goes straight into s2 with Accept s2 1.1 \"X2\".",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::SlotChosen { slot: 1, value: x(2) },
        "A1 and A2 vote: \"X2\" is chosen in s2 after one round trip, not two.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    );
    b.beat(Claim::Applies { node: C1, slot: 1 }, "C1 applies s1–s2. No Prepare was sent for \"X2\".", |s| {
        drain(s, C1)
    })
    .turn_to(
        "Your turn: click C1 to send \"X3\", then step until C1 applies s1–s3. Is there a Prepare?",
        Goal::Applied { node: C1, slots: 3 },
    );
    b.act(|s| {
        s.next_command(C1);
    });
    b.beat(
        Claim::Assigns { by: P1, slot: 2 },
        "\"X3\" goes the same way: P1 assigns it s3 at once. Phase 1 ran once for the whole log.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(Claim::SlotChosen { slot: 2, value: x(3) }, "\"X3\" is chosen in s3: one round trip per command.", |s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
    });
}

fn stable_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure((0..3).all(|i| chosen(w, i) == Some(x(i + 1))), "X1, X2, X3 are chosen in s1, s2, s3")?;
    ensure(sent(ev, Kind::Prepare) == 3, "one Prepare to each acceptor, once")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 14 ----------------------------------------------------------------------------------

pub const LEADER_CRASH: Meta = Meta {
    id: "leader-crash",
    title: "Multi-Paxos: the leader crashes",
    teaches: "A new leader's Phase 1 recovers every accepted slot and fills the holes with no-ops.",
    #[cfg(not(target_arch = "wasm32"))]
    check: crash_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: crash,
};

/// The opening lessons 14 to 16 share: on the cluster `config`, P1 runs Phase 1 and gets C1's
/// first command chosen in s1, told by `caption` (beat 1).
fn p1_leads_and_x1_is_chosen(b: &mut Builder, config: Config, caption: &str) {
    reconfigure(b, config);
    b.act(|s| {
        s.next_command(C1).deliver(Pick::kind(Kind::Request));
        s.deliver_all(Pick::kind(Kind::Prepare));
        s.deliver(Pick::kind(Kind::Promise)).deliver(Pick::kind(Kind::Promise));
        s.deliver(Pick::kind(Kind::Accept).to(a(0)));
    });
    b.beat(Claim::SlotChosen { slot: 0, value: x(1) }, caption, |s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(1)));
    });
}

const P1_LEADS: &str = "P1 ran Phase 1 with ballot 1.1 and leads. C1's first command, \"X1\", is chosen in s1.";

fn crash(b: &mut Builder) {
    p1_leads_and_x1_is_chosen(b, small(2, 1), P1_LEADS);
    b.beat(Claim::Applies { node: C1, slot: 0 }, "The news spreads: C1 applies s1.", |s| drain(s, C1));
    b.act(|s| {
        s.next_command(C1).next_command(C1).deliver(Pick::kind(Kind::Request));
    });
    b.beat(
        Claim::Assigns { by: P1, slot: 2 },
        "C1 sends \"X2\" and \"X3\". P1 leads, so it puts them in s2 and s3 at once: their Accepts are on the wire.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::Votes { by: a(1), slot: 2 },
        "A2 accepts \"X3\" in s3. One vote of three: s3 is not chosen, and nobody has voted in s2.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)).slot(2));
        },
    );
    b.beat(
        Claim::Crashes { node: P1 },
        "P1 crashes mid-stream, and its Accepts still on the wire die with it. s2 is empty everywhere; s3 holds \"X3\" at A2 only.",
        |s| {
            s.run(Command::Crash { node: P1 });
        },
    );
    b.beat(Claim::TimesOut { node: C1 }, "C1 times out and sends \"X2\" again, this time to P2.", |s| {
        s.run(Command::Timeout { node: C1 });
    })
    .turn_to(
        "Your turn: step until C1 applies s1–s4. What ends up in s2, and why?",
        Goal::Applied { node: C1, slots: 4 },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "P2 does not lead, so it runs Phase 1 with ballot 1.2 for every slot from s1: it never heard that s1 is chosen.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P2));
        },
    );
    b.beat(
        Claim::Promises { by: a(1) },
        "A1 and A2 promise 1.2. Their promises carry their votes: both report \"X1\" in s1, and A2 also \"X3\" in s3, at ballot 1.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0))).deliver(Pick::kind(Kind::Prepare).to(a(1)));
        },
    );
    b.beat(
        Claim::Leads { by: P2 },
        "P2 leads. It re-proposes what was reported: \"X1\" in s1, \"X3\" in s3. s2 is a hole below, so P2 fills it with a no-op. \"X2\" goes to s4.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0))).deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    )
    .highlight(&[P2], "the new leader");
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(0)).slot(1));
    });
    b.beat(
        Claim::SlotChosen { slot: 1, value: Cmd::NOOP },
        "A1 and A2 accept the no-op in s2: it is chosen, and the hole is closed for good.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)).slot(1));
        },
    );
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(0)).slot(2));
    });
    b.beat(
        Claim::SlotChosen { slot: 2, value: x(3) },
        "\"X3\" is chosen in s3: the vote P1 left behind was kept.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)).slot(2));
        },
    );
}

fn crash_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(chosen(w, 0) == Some(x(1)), "slot 1 keeps X1")?;
    ensure(chosen(w, 1) == Some(Cmd::NOOP), "the hole in slot 2 is a no-op")?;
    ensure(chosen(w, 2) == Some(x(3)), "X3 is recovered in slot 3")?;
    let recovered = log_decided(ev, |n, d| {
        n == P2
            && matches!(d, LogDecision::Elected { recovered, noops, .. } if *recovered & 0b100 != 0 && *noops == 0b10)
    });
    ensure(recovered, "P2 recovers slot 3 and fills slot 2 with a no-op")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 15 ----------------------------------------------------------------------------------

pub const TWO_LEADERS: Meta = Meta {
    id: "two-leaders",
    title: "Multi-Paxos: two leaders at once",
    teaches: "Preemption costs round trips, but a slot never gets two values: Phase 1 carries the votes over.",
    #[cfg(not(target_arch = "wasm32"))]
    check: two_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: two,
};

fn two(b: &mut Builder) {
    p1_leads_and_x1_is_chosen(b, small(2, 1), P1_LEADS);
    b.act(|s| drain(s, C1));
    b.act(|s| {
        s.next_command(C1);
    });
    b.beat(
        Claim::Assigns { by: P1, slot: 1 },
        "C1 has applied s1 and sends \"X2\". P1 still leads: Accept s2 1.1 \"X2\" goes to every acceptor.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(Claim::Votes { by: a(2), slot: 1 }, "A3 accepts \"X2\" in s2. The other two Accepts are slow.", |s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(2)));
    });
    b.beat(
        Claim::TimesOut { node: C1 },
        "C1 gives up waiting and sends \"X2\" to P2 instead. P1 is alive and still believes it leads.",
        |s| {
            s.run(Command::Timeout { node: C1 });
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "P2 does not lead, so it starts Phase 1 with ballot 1.2. Two proposers now act as leader.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P2));
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "A1 and A3 promise 1.2, above P1's 1.1. A3's promise reports its vote: \"X2\" in s2 at ballot 1.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0))).deliver(Pick::kind(Kind::Prepare).to(a(2)));
        },
    );
    b.beat(
        Claim::Leads { by: P2 },
        "P2 leads with 1.2. It re-proposes what was reported: \"X1\" in s1 and \"X2\" in s2, A3's vote. P1 does not know yet.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0))).deliver(Pick::kind(Kind::Promise).from(a(2)));
        },
    )
    .highlight(&[P1, P2], "both believe they lead");
    b.beat(
        Claim::Refuses { by: a(0) },
        "P1's slow Accept s2 1.1 reaches A1, which promised 1.2: A1 refuses it. Preemption costs P1 that round trip.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(0)));
        },
    );
    b.beat(Claim::StepsDown { by: P1 }, "The Nack reaches P1: a higher ballot exists, so P1 steps down.", |s| {
        s.deliver(Pick::kind(Kind::Nack).to(P1));
    })
    .turn_to(
        "Your turn: step until C1 applies s1–s2. Which command can s2 still get?",
        Goal::Applied { node: C1, slots: 2 },
    );
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(0)).slot(1));
    });
    b.beat(
        Claim::SlotChosen { slot: 1, value: x(2) },
        "\"X2\" is chosen in s2 at 1.2: the command P1 had put there.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(2)).slot(1));
        },
    );
}

fn two_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(chosen(w, 0) == Some(x(1)) && chosen(w, 1) == Some(x(2)), "X1 and X2 in s1 and s2")?;
    let twice = w.log().is_some_and(|l| l.proposers[1].log.iter().filter(|c| **c == Some(x(2))).count() > 1);
    ensure(!twice, "P2 does not put the retried X2 in a second slot")?;
    ensure(log_decided(ev, |n, d| n == P1 && matches!(d, LogDecision::Demoted { .. })), "P1 steps down")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 16 ----------------------------------------------------------------------------------

pub const CATCH_UP: Meta = Meta {
    id: "learners-catch-up",
    title: "Multi-Paxos: learners catch up",
    teaches: "The chosen prefix against each learner's applied prefix: a learner applies only a log with no gap.",
    #[cfg(not(target_arch = "wasm32"))]
    check: catch_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: catch,
};

fn catch(b: &mut Builder) {
    p1_leads_and_x1_is_chosen(
        b,
        small(1, 2),
        "Two learners this time. P1 leads with ballot 1.1, and \"X1\" is chosen in s1.",
    );
    b.act(|s| {
        let not_l2 = |m: &crate::sim::network::InFlight| m.to != L2;
        while let Some(id) = s.world().in_flight().iter().find(|m| not_l2(m)).map(|m| m.id) {
            s.run(Command::Deliver { id });
        }
        s.deliver(Pick::kind(Kind::Accepted).to(L2));
    });
    b.beat(
        Claim::Applies { node: L2, slot: 0 },
        "Votes reach both learners: L1 and L2 apply s1. The chosen prefix and both applied prefixes are s1.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(L2));
        },
    );
    b.act(|s| {
        drain(s, L2);
        s.next_command(C1).deliver(Pick::kind(Kind::Request));
        s.deliver(Pick::kind(Kind::Accept).to(a(0)));
    });
    b.beat(
        Claim::SlotChosen { slot: 1, value: x(2) },
        "\"X2\" goes into s2 with one round trip, and it is chosen in s2.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    );
    b.beat(
        Claim::Lost { to: L2 },
        "The network loses A1's and A2's votes for s2 on their way to L2; their copies to L1 are still on the wire. L2 cannot know s2 is chosen.",
        |s| {
            s.drop_all(Pick::kind(Kind::Accepted).to(L2));
        },
    );
    b.beat(Claim::Applies { node: L1, slot: 1 }, "L1 applies s1–s2. L2 has applied only s1.", |s| {
        s.deliver_all(Pick::kind(Kind::Accepted).to(L1));
    })
    .turn_to("Your turn: step until L2 applies s1–s2. Who tells L2?", Goal::Applied { node: L2, slots: 2 });
    b.act(|s| {
        // Everything else about s2 is lost on its way to L2 too (A3's vote, P1's Commit).
        for _ in 0..200 {
            let lost = s.find(Pick::default().to(L2).slot(1));
            if let Some(id) = lost.first() {
                s.run(Command::Drop { id: *id });
                continue;
            }
            match s.world().in_flight().first().map(|m| m.id) {
                Some(id) => s.run(Command::Deliver { id }),
                None => break,
            };
        }
        s.next_command(C1).deliver(Pick::kind(Kind::Request));
        s.deliver_all(Pick::kind(Kind::Accept));
        s.deliver_all(Pick::kind(Kind::Accepted).to(L1));
        s.deliver_all(Pick::kind(Kind::Accepted).to(P1));
    });
    b.beat(
        Claim::Applies { node: C1, slot: 2 },
        "\"X3\" is chosen in s3. L1 applies s1–s3 and tells C1, which applies it too. Votes for s3 are on their way to L2.",
        |s| {
            s.deliver(Pick::kind(Kind::Announce).to(C1));
        },
    );
    b.beat(
        Claim::AsksForGap { by: L2 },
        "L2 now knows \"X3\" is in s3, but s2 is missing below it, so it applies nothing. P1's Commit has come too, so L2 asks P1 for every slot from s2.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(L2));
            s.deliver_all(Pick::kind(Kind::Commit).to(L2));
        },
    );
    b.beat(Claim::Applies { node: L2, slot: 2 }, "P1 resends: L2 fills the gap and applies s2, s3 in order.", |s| {
        s.deliver_all(Pick::kind(Kind::Request).from(L2));
        s.deliver(Pick::kind(Kind::Commit).to(L2).slot(1));
    });
}

fn catch_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure((0..3).all(|i| chosen(w, i) == Some(x(i + 1))), "X1, X2, X3 are chosen in s1, s2, s3")?;
    ensure(applied(w, L2) == 3, "L2 catches up to s1–s3")?;
    ensure(!any_violation(ev), "safety holds")
}
