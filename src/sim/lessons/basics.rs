//! Lessons 1–6: how Paxos decides, what quorums buy, and why a new ballot adopts old values.

// Recipes and outcome checks run only natively (tests/lessons.rs): the browser reads what the
// recipes build from builtin.txt, so it leaves them out, and with them the helpers only they use.
#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use super::util::*;
use super::{reconfigure, Builder, Claim, Goal, Meta};
use crate::paxos::{Ballot, Kind, Phase};
use crate::sim::command::{DropReason, Event, Invariant};
use crate::sim::{Command, Config, Pick, World};

// ---- 1 -----------------------------------------------------------------------------------

pub const HAPPY_PATH: Meta = Meta {
    id: "happy-path",
    title: "The happy path",
    teaches: "One value travels through Phase 0, 1, 2 and 3 with nothing going wrong.",
    #[cfg(not(target_arch = "wasm32"))]
    check: happy_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: happy,
};

fn happy(b: &mut Builder) {
    // One proposer: the happy path needs no rival. C2 is there to hear the outcome it never asked
    // for, and for the student's turn.
    reconfigure(b, Config { proposers: 1, ..Config::default() });
    b.beat(
        Claim::Asks { client: C1, value: v("X") },
        "Phase 0. A client never talks to acceptors: C1 hands its value \"X\" to the proposer it believes leads, P1.",
        |s| {
            s.request(C1, "X");
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "P1 picks ballot 1.1 (round 1 of proposer 1) and starts Phase 1: Prepare 1.1 goes to every acceptor, asking each to promise to ignore anything lower.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::Promises { by: a(0) },
        "Phase 1b. A1 has promised nothing yet, so it promises 1.1. Its promise also reports its last vote: none.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0)));
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "A2 and A3 promise 1.1 as well. Three promises are on their way back to P1.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(1))).deliver(Pick::kind(Kind::Prepare).to(a(2)));
        },
    );
    b.beat(Claim::Counts { by: P1 }, "P1 counts promises. One of three is not yet a majority.", |s| {
        s.deliver(Pick::kind(Kind::Promise).from(a(0)));
    });
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "Two of three is a majority. No promise reported a vote, so P1 is free to propose its client's \"X\". Phase 2 begins: Accept 1.1 \"X\" goes to every acceptor, and P1's card now counts votes.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    );
    b.beat(
        Claim::Ignores { by: P1 },
        "A3's promise arrives late. P1 already has a majority and has moved on to Phase 2, so it ignores it: Paxos never waits for everyone.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(2)));
        },
    );
    b.beat(
        Claim::Accepts { by: a(0), value: v("X") },
        "Phase 2b. A1 accepts \"X\" in ballot 1.1 and tells P1 and the learner.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0)));
        },
    );
    b.beat(
        Claim::Chosen { value: v("X") },
        "A2 accepts too. This is the moment \"X\" is chosen: a majority accepted it in one ballot. The Chosen banner says it: no node knows yet.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("X") });
    b.beat(
        Claim::Counts { by: P1 },
        "A3 accepts as well. P1 counts the votes for ballot 1.1 as they arrive: one so far.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(2))).deliver(Pick::kind(Kind::Accepted).to(P1));
        },
    );
    b.beat(
        Claim::Commits { by: P1, value: v("X") },
        "Phase 3. With a majority of votes, P1 knows \"X\" is chosen. It commits to acceptors and learners and replies to C1.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(P1));
        },
    );
    b.beat(Claim::Counts { by: L1 }, "The learner counts votes on its own; it does not need P1's Commit.", |s| {
        s.deliver(Pick::kind(Kind::Accepted).to(L1));
    });
    b.beat(
        Claim::Learns { node: L1, value: v("X") },
        "L1 has votes from a majority in one ballot: it learns \"X\" and announces it to every client.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(L1));
        },
    );
    b.beat(
        Claim::Learns { node: C1, value: v("X") },
        "C1 hears from P1 that \"X\" was chosen: its request is answered. Every node that has found out agrees on \"X\".",
        |s| {
            s.deliver(Pick::kind(Kind::Reply).to(C1));
        },
    )
    .turn_to(
        "Your turn: click C2 and ask for \"Y\", then step. P1 has already committed \"X\". What will C2 hear, and why can nobody ever choose \"Y\" now?",
        Goal::Heard { client: C2, value: v("X") },
    );
}

fn happy_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen in ballot 1.1")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(w.clients()[0].outcome == Some(v("X")), "C1 hears X")?;
    ensure(w.proposers()[0].phase == Phase::Done, "P1 reaches Phase 3")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 2 -----------------------------------------------------------------------------------

pub const ONE_ACCEPTOR: Meta = Meta {
    id: "one-acceptor",
    title: "Why one acceptor is not enough",
    teaches: "A single acceptor decides quickly, but when it crashes nothing can be decided.",
    #[cfg(not(target_arch = "wasm32"))]
    check: one_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: one,
};

fn one(b: &mut Builder) {
    // Two proposers and two clients: P1 decides for C1 before the crash, P2 tries for C2 after it,
    // and L1 has nothing to learn until A1 is back.
    reconfigure(b, Config { acceptors: 1, ..Config::default() });
    b.beat(
        Claim::Asks { client: C1, value: v("X") },
        "A cluster with a single acceptor, A1. C1 asks P1 to get \"X\" chosen.",
        |s| {
            s.request(C1, "X");
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "P1 starts ballot 1.1. Its Prepare goes to every acceptor, and here that is only A1.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(Claim::Promises { by: a(0) }, "A1 has promised nothing, so it promises 1.1 and reports no vote.", |s| {
        s.deliver(Pick::kind(Kind::Prepare));
    });
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "One promise from one acceptor is a majority of one. P1 proposes its client's \"X\" at once.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise));
        },
    );
    b.beat(
        Claim::Chosen { value: v("X") },
        "A1 accepts \"X\", and that single vote is a majority: \"X\" is chosen. Two round trips, one disk: deciding alone is fast.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept));
        },
    )
    .also(Claim::Accepts { by: a(0), value: v("X") });
    b.beat(
        Claim::Crashes { node: a(0) },
        "A1 crashes with its votes to P1 and L1 still on the wire, and they die with it. Its promise and vote are safe on disk, but \"X\" is chosen and no running node knows.",
        |s| {
            s.run(Command::Crash { node: a(0) });
        },
    )
    .also(Claim::Lost { to: P1 })
    .also(Claim::Lost { to: L1 });
    b.act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "C2 now believes P2 leads and asks it for \"Y\". P2 has never heard of \"X\".",
        |s| {
            s.request(C2, "Y");
        },
    );
    b.beat(Claim::Starts { by: P2 }, "P2 starts ballot 1.2 and sends Prepare 1.2 to A1, the only acceptor.", |s| {
        s.deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.beat(
        Claim::Lost { to: a(0) },
        "Prepare 1.2 is lost: A1 is down. With no promise, P2 cannot reach Phase 2, and it cannot even find out that \"X\" was chosen.",
        |s| {
            s.ticks(1);
        },
    );
    b.beat(
        Claim::TimesOut { node: P1 },
        "P1 heard no votes for 1.1, so its timer fires and it retries with ballot 2.1. That Prepare has nowhere to go either.",
        |s| {
            s.ticks(1);
        },
    );
    b.beat(Claim::TimesOut { node: P2 }, "P2's timer fires too, and it retries with ballot 2.2.", |s| {
        s.ticks(1);
    });
    b.beat(
        Claim::Lost { to: a(0) },
        "Both new Prepares are lost too. Until A1 comes back, the proposers retry in vain and C1, C2 and L1 wait: one crash stopped the whole cluster.",
        |s| {
            s.ticks(2);
        },
    )
    .turn_to(
        "Your turn: click A1 to restart it, then step until L1 learns a value. A1 kept its disk. Will L1 learn C1's \"X\" or C2's \"Y\", and why?",
        Goal::Learned { node: L1, value: v("X") },
    );
}

fn one_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen by the single acceptor in ballot 1.1")?;
    ensure(!w.is_up(a(0)), "A1 is still down at the end")?;
    ensure(w.learners()[0].learned.is_none(), "L1 never learns X while A1 is down")?;
    ensure(w.clients().iter().all(|c| c.outcome.is_none()), "no client hears an outcome")?;
    ensure(w.proposers().iter().all(|p| p.phase != Phase::Done), "no proposer can finish a ballot")?;
    ensure(count(ev, |e| matches!(e, Event::TimedOut { .. })) >= 2, "both proposers time out and retry")?;
    ensure(drops(ev, DropReason::SenderCrashed) >= 2, "A1's votes die with it")?;
    ensure(drops(ev, DropReason::ReceiverCrashed) >= 3, "messages to the crashed acceptor are lost")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 3 -----------------------------------------------------------------------------------

pub const MINORITY_CRASH: Meta = Meta {
    id: "minority-crash",
    title: "Majority quorums: a minority crash is harmless",
    teaches: "With three acceptors, any two form a majority, so one crash changes nothing.",
    #[cfg(not(target_arch = "wasm32"))]
    check: minority_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: minority,
};

fn minority(b: &mut Builder) {
    // One client and one proposer: nobody competes, so every difference comes from the crash.
    reconfigure(b, Config { clients: 1, proposers: 1, ..Config::default() });
    b.beat(
        Claim::Asks { client: C1, value: v("X") },
        "Three acceptors this time. C1 asks P1 to get \"X\" chosen.",
        |s| {
            s.request(C1, "X");
        },
    );
    b.beat(Claim::Starts { by: P1 }, "P1 starts ballot 1.1 and sends Prepare 1.1 to all three acceptors.", |s| {
        s.deliver(Pick::kind(Kind::Request));
    });
    b.beat(
        Claim::Promises { by: a(2) },
        "A1, A2 and A3 each promise 1.1. Three promises are on their way back to P1.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Prepare));
        },
    );
    b.beat(
        Claim::Crashes { node: a(2) },
        "A3 crashes, and its promise, still on the wire, is lost with it. Two of three acceptors are up, and two of three is a majority.",
        |s| {
            s.run(Command::Crash { node: a(2) });
        },
    )
    .also(Claim::Lost { to: P1 })
    .highlight(&[a(0), a(1)], "still a majority")
    .turn_to(
        "Your turn: A3 is down. Step until a value is chosen, and watch every message to and from A3. Does P1 wait for A3?",
        Goal::ChosenWhileDown { node: a(2) },
    );
    b.beat(
        Claim::Counts { by: P1 },
        "P1 counts A1's promise: one of the two it needs. It needs two of three, not all three.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0)));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "A2's promise makes two, a majority. P1 proposes \"X\" and sends Accept 1.1 to all three, A3 included: P1 cannot tell who is down.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    );
    b.beat(
        Claim::Accepts { by: a(0), value: v("X") },
        "A1 accepts \"X\" in ballot 1.1: one vote of the two needed.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0)));
        },
    );
    b.beat(Claim::Lost { to: a(2) }, "The Accept to A3 is lost. A3 will never vote in ballot 1.1.", |s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(2)));
    });
    b.beat(
        Claim::Chosen { value: v("X") },
        "A2 accepts \"X\": \"X\" is chosen by A1 and A2. A3 never saw the Accept, and it did not need to.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("X") })
    .highlight(&[a(0), a(1)], "the majority that chose \"X\"");
    b.beat(
        Claim::Commits { by: P1, value: v("X") },
        "P1 gets votes from A1 and A2, a majority: it commits \"X\" to every acceptor and learner and replies to C1.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(P1).from(a(0)))
                .deliver(Pick::kind(Kind::Accepted).to(P1).from(a(1)));
        },
    );
    b.beat(
        Claim::Learns { node: L1, value: v("X") },
        "L1 counts the same two votes and learns \"X\" on its own. It announces it to C1.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(L1).from(a(0)))
                .deliver(Pick::kind(Kind::Accepted).to(L1).from(a(1)));
        },
    );
    b.beat(
        Claim::Learns { node: C1, value: v("X") },
        "C1 hears from P1 that \"X\" was chosen. The crash of A3 cost nothing, not even a retry.",
        |s| {
            s.deliver(Pick::kind(Kind::Reply).to(C1));
        },
    );
    b.beat(Claim::Lost { to: a(2) }, "P1's Commit to A3 is lost too: A3 is still down.", |s| {
        s.deliver(Pick::kind(Kind::Commit).to(a(2)));
    });
    b.beat(
        Claim::Restarts { node: a(2), amnesia: false },
        "A3 restarts. Its disk holds its promise for 1.1 and no vote: it missed the decision entirely, and \"X\" is still chosen, because a majority is enough.",
        |s| {
            s.settle(10).run(Command::Restart { node: a(2) });
        },
    );
}

fn minority_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen in ballot 1.1 despite the crash")?;
    ensure(w.acceptors()[2].accepted.is_none(), "A3 never voted")?;
    ensure(w.is_up(a(2)), "A3 is back at the end")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(w.clients()[0].outcome == Some(v("X")), "C1 hears X")?;
    ensure(count(ev, |e| matches!(e, Event::TimedOut { .. })) == 0, "nobody had to retry")?;
    ensure(drops(ev, DropReason::ReceiverCrashed) >= 2, "messages to A3 are lost")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 4 -----------------------------------------------------------------------------------

pub const MAJORITY_CRASH: Meta = Meta {
    id: "majority-crash",
    title: "A majority crash blocks progress",
    teaches: "With a majority down nothing can be decided, but a value chosen before the crash survives on disk and is the one learned after a restart.",
    #[cfg(not(target_arch = "wasm32"))]
    check: majority_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: majority,
};

fn majority(b: &mut Builder) {
    // After the crash the clock runs the lesson. C2 asks a few ticks after P1 proposed, so P2's
    // retries come 10 ticks after P1's. A2 restarts in that gap, once P1's retry 2.1 has missed
    // it, so the first ballot to meet its vote is P2's, whose client asked for "Y".
    b.act(|s| {
        s.request(C1, "X");
    });
    b.beat(
        Claim::Starts { by: P1 },
        "C1 asks P1 for \"X\", and P1 starts ballot 1.1: Prepare 1.1 goes to all three acceptors.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(Claim::Promises { by: a(2) }, "A1, A2 and A3 each promise 1.1 and report no vote.", |s| {
        s.deliver_all(Pick::kind(Kind::Prepare));
    });
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "Promises from A1 and A2 make a majority. P1 proposes \"X\": Accept 1.1 goes to all three acceptors.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0))).deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    );
    b.beat(
        Claim::Chosen { value: v("X") },
        "A1 and A2 accept \"X\": \"X\" is chosen in ballot 1.1. Each wrote its vote to disk before sending it.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("X") })
    .highlight(&[a(0), a(1)], "they hold the votes for \"X\"");
    b.beat(
        Claim::Crashes { node: a(1) },
        "A1 and A2 crash, a majority of the acceptors, and their votes still on the wire die with them. \"X\" is chosen, and only their disks know it.",
        |s| {
            s.run(Command::Crash { node: a(0) }).run(Command::Crash { node: a(1) });
        },
    )
    .also(Claim::Lost { to: L1 });
    b.beat(
        Claim::Lost { to: a(2) },
        "The network loses the Accept to A3. A3, the one acceptor still up, never voted.",
        |s| {
            s.drop_msg(Pick::kind(Kind::Accept).to(a(2)));
        },
    );
    b.act(|s| {
        s.ticks(1).run(Command::SetLeader { client: C2, leader: P2 });
    });
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "A3's late Promise reaches P1, already in Phase 2, which ignores it. C2 now believes P2 leads and asks it for \"Y\". Nobody running knows that \"X\" was chosen.",
        |s| {
            s.request(C2, "Y");
        },
    );
    b.beat(Claim::Starts { by: P2 }, "P2 starts ballot 1.2 and sends Prepare 1.2 to all three acceptors.", |s| {
        s.ticks(1);
    });
    b.beat(Claim::Lost { to: a(1) }, "The Prepares to A1 and A2 are lost: both are down.", |s| {
        s.ticks(2);
    });
    b.beat(
        Claim::Counts { by: P2 },
        "A3 promises 1.2 with no vote to report, and P2 counts it: one of the two it needs. Were one enough, P2 would propose \"Y\" and a second value would be chosen beside \"X\".",
        |s| {
            s.ticks(2);
        },
    );
    b.beat(
        Claim::TimesOut { node: P1 },
        "P1 heard no votes for 1.1, so its timer fires and it retries with ballot 2.1.",
        |s| {
            s.ticks(1);
        },
    );
    b.beat(
        Claim::Counts { by: P1 },
        "Again only A3 can promise. Every retry will end this way: while a majority is down, nothing can be decided. Liveness is lost, yet safety holds: the cluster stays ✓ safe.",
        |s| {
            s.ticks(4);
        },
    )
    .turn_to(
        "Your turn: restart A1 or A2 (click it), then step until C2 hears an answer. C2 asked for \"Y\". Will it hear \"Y\" or \"X\"? Watch what the restarted acceptor reports.",
        Goal::Heard { client: C2, value: v("X") },
    );
    b.beat(
        Claim::Restarts { node: a(1), amnesia: false },
        "A2 restarts. Its disk still holds its vote: \"X\" in ballot 1.1.",
        |s| {
            s.run(Command::Restart { node: a(1) });
        },
    );
    b.beat(
        Claim::TimesOut { node: P2 },
        "P2's timer fires and it retries with ballot 2.2. This time two acceptors are up to answer.",
        |s| {
            s.ticks(1);
        },
    );
    b.beat(
        Claim::Promises { by: a(1) },
        "A3 promises 2.2, and so does A2, reporting its vote: \"X\" in ballot 1.1. The vote outlived the crash.",
        |s| {
            s.ticks(3);
        },
    )
    .highlight(&[a(1)], "it still holds \"X\"");
    b.beat(
        Claim::Proposes { by: P2, value: v("X") },
        "P2 has promises from a majority. It must propose \"X\", not C2's \"Y\": the highest vote reported is \"X\" in 1.1.",
        |s| {
            s.ticks(2);
        },
    );
    b.beat(
        Claim::Learns { node: L1, value: v("X") },
        "A3 and A2 accept \"X\" in ballot 2.2. L1 counts their votes and learns \"X\": the first node running that knows it.",
        |s| {
            s.ticks(6);
        },
    );
    b.beat(
        Claim::Learns { node: C2, value: v("X") },
        "L1 tells both clients. C2 asked for \"Y\" and hears \"X\": the decision made before the crash was kept. Progress came back with a majority, and safety never left.",
        |s| {
            s.ticks(3);
        },
    );
}

fn majority_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen before the crash")?;
    ensure(w.oracle().chosen().len() == 1, "nothing else is ever chosen")?;
    ensure(count(ev, |e| matches!(e, Event::TimedOut { .. })) >= 2, "the proposers keep retrying")?;
    ensure(w.proposers()[1].proposed == Some(v("X")), "P2 proposes X, not Y")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(w.clients()[1].outcome == Some(v("X")), "C2 hears X")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 5 -----------------------------------------------------------------------------------

pub const BALLOT_CONFLICT: Meta = Meta {
    id: "ballot-conflict",
    title: "Ballot conflict: pre-emption, Nack and retry",
    teaches: "A higher ballot pre-empts a lower one; the loser hears a Nack and retries higher.",
    #[cfg(not(target_arch = "wasm32"))]
    check: conflict_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: conflict,
};

fn conflict(b: &mut Builder) {
    b.act(|s| {
        s.request(C1, "X").run(Command::SetLeader { client: C2, leader: P2 });
    });
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "C1 asks P1 for \"X\", while C2, which now believes P2 leads, asks P2 for \"Y\". Two would-be leaders, each unaware of the other.",
        |s| {
            s.request(C2, "Y");
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "P1 starts ballot 1.1 and P2 starts 1.2. Same round, but 1.2 is higher: the proposer's number breaks the tie, so no two proposers share a ballot.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P1)).deliver(Pick::kind(Kind::Request).to(P2));
        },
    );
    b.beat(
        Claim::Promises { by: a(0) },
        "P1's Prepare reaches A1 first. A1 has promised nothing, so it promises 1.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
        },
    );
    b.beat(
        Claim::Promises { by: a(0) },
        "Then P2's Prepare 1.2 arrives. 1.2 is above 1.1, so A1 promises 1.2 as well: from now on it refuses ballot 1.1. The higher ballot pre-empts the lower.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
        },
    )
    .highlight(&[a(0)], "promised 1.1, then 1.2");
    b.beat(
        Claim::Promises { by: a(1) },
        "At A2 the order is reversed: P2's Prepare 1.2 comes first, and A2 promises 1.2.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1)));
        },
    );
    b.beat(
        Claim::Refuses { by: a(1) },
        "P1's Prepare 1.1 reaches A2 too late. A2 promised 1.2 and never promises below it, so it refuses, with a Nack naming 1.2.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1)));
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "The Nack reaches P1. It gives up on 1.1 at once and starts ballot 2.1: a round above the highest round it has heard of.",
        |s| {
            s.deliver(Pick::kind(Kind::Nack).to(P1));
        },
    );
    b.beat(
        Claim::Ignores { by: P1 },
        "A1's promise for 1.1 arrives now, and P1 ignores it: a promise counts only for the ballot it was made for, and P1 has moved on to 2.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P1));
        },
    );
    b.beat(
        Claim::Proposes { by: P2, value: v("Y") },
        "P2 has promises for 1.2 from A1 and A2, a majority, none reporting a vote. It proposes its client's \"Y\": Accept 1.2 \"Y\" goes to all three.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(0))).deliver(Pick::kind(Kind::Promise).to(P2).from(a(1)));
        },
    )
    .turn_to(
        "Your turn: P1's Prepare 2.1 and P2's Accept 1.2 are racing. Deliver Prepare 2.1 to A2 first, then P2's Accept 1.2 to A2. What does A2 do with the Accept, and why?",
        Goal::Refused { ballot: Ballot::new(1, 1) },
    );
    b.beat(
        Claim::Accepts { by: a(0), value: v("Y") },
        "Here P2's Accept reaches A1 first. A1 promised 1.2, and an acceptor accepts any ballot at or above its promise, so A1 accepts \"Y\".",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0)));
        },
    );
    b.beat(
        Claim::Chosen { value: v("Y") },
        "A3 has seen no Prepare yet and promised nothing above 1.2, so it accepts \"Y\"; accepting 1.2 also makes 1.2 its promise. With A1, that is a majority: \"Y\" is chosen.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(2)));
        },
    )
    .also(Claim::Accepts { by: a(2), value: v("Y") })
    .highlight(&[a(0), a(2)], "the majority that chose \"Y\"");
    b.beat(
        Claim::Promises { by: a(0) },
        "Now P1's Prepare 2.1 reaches A1. 2.1 is above A1's promise of 1.2, so A1 promises 2.1, and its promise reports its vote: \"Y\" in 1.2.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("Y") },
        "A2 promises 2.1 too. P1 has a majority, and must propose \"Y\", not its client's \"X\": \"Y\" in 1.2 is the highest vote reported. A pre-empted proposer cannot undo what was chosen.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1)))
                .deliver(Pick::kind(Kind::Promise).to(P1).from(a(0)))
                .deliver(Pick::kind(Kind::Promise).to(P1).from(a(1)));
        },
    );
    b.beat(
        Claim::Commits { by: P2, value: v("Y") },
        "Votes for 1.2 from A1 and A3 reach P2: a majority. P2 knows \"Y\" is chosen, commits it and replies to C2.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(P2).from(a(0)))
                .deliver(Pick::kind(Kind::Accepted).to(P2).from(a(2)));
        },
    );
    b.beat(
        Claim::Learns { node: L1, value: v("Y") },
        "L1 counts the same two votes, learns \"Y\" and announces it to both clients.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(L1).from(a(0)))
                .deliver(Pick::kind(Kind::Accepted).to(L1).from(a(2)));
        },
    );
    b.beat(
        Claim::Learns { node: C1, value: v("Y") },
        "C1 asked for \"X\" and hears \"Y\". Losing the race cost P1 its client's value, never agreement: both proposers now push the same \"Y\".",
        |s| {
            s.deliver(Pick::kind(Kind::Announce).to(C1));
        },
    );
}

fn conflict_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 1), v("Y"))), "Y is chosen in ballot 1.2")?;
    ensure(count(ev, |e| matches!(e, Event::Sent { msg: crate::paxos::Msg::Nack { .. }, .. })) >= 1, "a Nack is sent")?;
    ensure(w.proposers()[0].ballot == Some(Ballot::new(2, 0)), "P1 retries with ballot 2.1")?;
    ensure(w.proposers()[0].proposed == Some(v("Y")), "P1 proposes Y, not X, in ballot 2.1")?;
    ensure(w.proposers()[1].decided == Some(v("Y")), "P2 commits Y")?;
    ensure(w.learners()[0].learned == Some(v("Y")), "L1 learns Y")?;
    ensure(w.clients()[0].outcome == Some(v("Y")), "C1 hears Y")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 6 -----------------------------------------------------------------------------------

pub const VALUE_ADOPTION: Meta = Meta {
    id: "value-adoption",
    title: "Value adoption: the quorums intersect",
    teaches: "A new ballot must adopt a value a majority may already have chosen; the overlapping acceptor carries it.",
    #[cfg(not(target_arch = "wasm32"))]
    check: adoption_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: adoption,
};

fn adoption(b: &mut Builder) {
    b.act(|s| {
        s.request(C1, "X");
    });
    b.beat(
        Claim::Starts { by: P1 },
        "C1 asks P1 for \"X\", and P1 starts ballot 1.1: Prepare 1.1 goes to all three acceptors.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::Promises { by: a(1) },
        "A1 and A2 promise 1.1. Neither has voted, so neither reports a value.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0))).deliver(Pick::kind(Kind::Prepare).to(a(1)));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "Two promises are a majority, and no vote was reported, so P1 may propose its client's \"X\": Accept 1.1 \"X\" goes to all three.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Promise));
        },
    );
    b.beat(Claim::Accepts { by: a(0), value: v("X") }, "A1 accepts \"X\" in ballot 1.1.", |s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(0)));
    });
    b.beat(
        Claim::Chosen { value: v("X") },
        "A2 accepts \"X\" too: \"X\" is chosen, by the quorum {A1, A2}. Nothing can ever change that; the question is how later ballots find out.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("X") })
    .highlight(&[a(0), a(1)], "the quorum that chose \"X\"");
    b.beat(
        Claim::Lost { to: L1 },
        "The network loses all of ballot 1.1's other messages: A3 hears nothing, and neither P1 nor L1 sees a vote. \"X\" is chosen, and no node knows it.",
        |s| {
            s.drop_all(Pick::kind(Kind::Prepare))
                .drop_all(Pick::kind(Kind::Accept))
                .drop_all(Pick::kind(Kind::Accepted));
        },
    );
    b.act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    b.beat(Claim::Asks { client: C2, value: v("Y") }, "C2, which now believes P2 leads, asks it for \"Y\".", |s| {
        s.request(C2, "Y");
    });
    b.beat(
        Claim::Starts { by: P2 },
        "P2 starts ballot 1.2. It has never heard of \"X\", and nothing in Phase 1 tells it what was chosen: only what acceptors voted for.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P2));
        },
    )
    .turn_to(
        "Your turn: crash any one acceptor you like, even A1 or A2, then step until C2 hears an answer. C2 asked for \"Y\". Which value does it hear, and which promise told P2 about \"X\"?",
        Goal::Heard { client: C2, value: v("X") },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "P2's Prepare reaches A3 first. A3 never voted, so it promises 1.2 and reports nothing.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(2)));
        },
    );
    b.beat(
        Claim::Promises { by: a(1) },
        "A2 promises 1.2 as well, and its promise reports its vote: \"X\" in ballot 1.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1)));
        },
    )
    .highlight(&[a(1), a(2)], "P2's quorum");
    b.beat(
        Claim::Counts { by: P2 },
        "P2 counts A3's promise: one of two, with no vote in it. Were a whole majority to report no vote, nothing could have been chosen, and \"Y\" would be safe.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(2)));
        },
    );
    b.beat(
        Claim::Proposes { by: P2, value: v("X") },
        "A2's promise completes the majority, and it carries \"X\". So P2 must propose \"X\", not \"Y\": the highest vote reported wins (P2c).",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(1)));
        },
    )
    .highlight(&[a(1)], "in both quorums: it carries \"X\"");
    b.beat(
        Claim::Accepts { by: a(2), value: v("X") },
        "A3 accepts \"X\" in ballot 1.2. It never saw ballot 1.1, yet it now votes for the value 1.1 chose.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(2)));
        },
    );
    b.beat(
        Claim::Commits { by: P2, value: v("X") },
        "A2 accepts \"X\" in 1.2 as well. With votes from A3 and A2, P2 knows \"X\" is chosen: it commits it and replies to C2.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(1)))
                .deliver(Pick::kind(Kind::Accepted).to(P2).from(a(2)))
                .deliver(Pick::kind(Kind::Accepted).to(P2).from(a(1)));
        },
    );
    b.beat(
        Claim::Learns { node: L1, value: v("X") },
        "L1 counts the same votes of ballot 1.2 and learns \"X\". It announces it to both clients.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).to(L1).from(a(2)))
                .deliver(Pick::kind(Kind::Accepted).to(L1).from(a(1)));
        },
    );
    b.beat(
        Claim::Learns { node: C2, value: v("X") },
        "C2 asked for \"Y\" and hears \"X\" from P2. Any two majorities of three share an acceptor, so every later ballot meets a vote for \"X\".",
        |s| {
            s.deliver(Pick::kind(Kind::Reply).to(C2));
        },
    );
    b.beat(
        Claim::Learns { node: C1, value: v("X") },
        "C1 hears \"X\" from L1, though P1 never saw a vote. When P1's timer fires, its next ballot will meet \"X\" in its promises and adopt it too.",
        |s| {
            s.deliver(Pick::kind(Kind::Announce).to(C1));
        },
    );
}

fn adoption_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen in ballot 1.1")?;
    ensure(w.proposers()[1].proposed == Some(v("X")), "P2 proposes X, not Y")?;
    ensure(w.proposers()[1].decided == Some(v("X")), "P2 commits X")?;
    ensure(w.oracle().chosen().len() == 1, "only X is ever chosen")?;
    ensure(w.acceptors()[2].accepted.map(|p| p.value) == Some(v("X")), "A3 votes for X in ballot 1.2")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(w.clients().iter().all(|c| c.outcome == Some(v("X"))), "C1 and C2 hear X")?;
    ensure(!violated(ev, Invariant::Agreement) && !any_violation(ev), "safety holds")
}

#[cfg(test)]
mod tests {
    //! Every "your turn" goal of lessons 1–6 can be reached from its point by what a student can
    //! click, and is not reached before they act.
    use super::super::build;
    use super::*;
    use crate::sim::{Script, Step};

    /// Replays lesson `id` to its `k`-th turn (0-based), checks the goal is not reached yet, plays
    /// the student's `moves` from there and checks the goal is reached, with safety intact.
    fn reached(id: &str, k: usize, moves: impl FnOnce(&mut Script)) {
        let l = build(id).unwrap();
        let (end, turn) = l.beats.iter().filter_map(|b| b.turn.as_ref().map(|t| (b.end, t))).nth(k).unwrap();
        let goal = &turn.goal;
        let mut s = Script::new(l.config.clone(), l.seed).unwrap();
        for c in &l.commands[..end] {
            s.run(c.clone());
        }
        let start = s.world().clone();
        assert!(!goal.check(&start, &[], &start).reached, "{id}: {} holds before the student acts", goal.describe());
        moves(&mut s);
        assert_eq!(s.error(), None, "{id}: a move was refused");
        let since: Vec<Step> = s.commands()[end..]
            .iter()
            .zip(&s.events()[end..])
            .map(|(c, e)| Step { command: c.clone(), events: e.clone() })
            .collect();
        let p = goal.check(&start, &since, s.world());
        assert!(p.reached, "{id}: {} is not reached: {}", goal.describe(), p.why);
        assert!(s.world().oracle().violations().is_empty(), "{id}: safety broke");
    }

    #[test]
    fn lesson_1_c2_hears_x() {
        reached("happy-path", 0, |s| {
            s.request(C2, "Y").ticks(10);
        });
    }

    #[test]
    fn lesson_2_restarting_the_acceptor_lets_l1_learn_x() {
        reached("one-acceptor", 0, |s| {
            s.run(Command::Restart { node: a(0) }).ticks(60);
        });
    }

    #[test]
    fn lesson_3_x_is_chosen_while_a3_is_down() {
        reached("minority-crash", 0, |s| {
            s.ticks(30);
        });
    }

    #[test]
    fn lesson_4_either_restart_lets_c2_hear_x() {
        for node in [a(0), a(1)] {
            reached("majority-crash", 0, |s| {
                s.run(Command::Restart { node }).ticks(80);
            });
        }
    }

    #[test]
    fn lesson_5_an_acceptor_refuses_p2s_accept() {
        reached("ballot-conflict", 0, |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1))).deliver(Pick::kind(Kind::Accept).from(P2).to(a(1)));
        });
    }

    #[test]
    fn lesson_6_whichever_acceptor_crashes_c2_hears_x() {
        reached("value-adoption", 0, |s| {
            s.ticks(60);
        });
        for node in [a(0), a(1), a(2)] {
            reached("value-adoption", 0, |s| {
                s.run(Command::Crash { node }).ticks(80);
            });
        }
    }
}
