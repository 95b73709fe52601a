//! Lessons 1–6: how Paxos decides, what quorums buy, and why a new ballot adopts old values.

use super::util::*;
use super::{reconfigure, Builder, Claim, Goal, Meta, Recipe};
use crate::paxos::{Ballot, Kind, Phase};
use crate::sim::command::{DropReason, Event, Invariant};
use crate::sim::{Command, Config, Pick, World};

fn request(b: &mut Builder, text: &str, client: crate::paxos::NodeId, value: &str) {
    b.say(text).act(|s| {
        s.request(client, value);
    });
}

// ---- 1 -----------------------------------------------------------------------------------

pub const HAPPY_PATH: (Meta, Recipe) = (
    Meta {
        id: "happy-path",
        title: "The happy path",
        teaches: "One value travels through Phase 0, 1, 2 and 3 with nothing going wrong.",
        check: happy_check,
    },
    happy,
);

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
        "Two of three is a majority. No promise reported a vote, so P1 is free to propose its client's \"X\". Phase 2 begins: Accept 1.1 \"X\" goes to every acceptor.",
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
        "A2 accepts too. This is the moment \"X\" is chosen: a majority accepted it in one ballot. Look at the banner: no node knows yet.",
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
        "C1 hears from P1 that \"X\" was chosen: its request is answered. Every node that counts now agrees on \"X\".",
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

pub const ONE_ACCEPTOR: (Meta, Recipe) = (
    Meta {
        id: "one-acceptor",
        title: "Why one acceptor is not enough",
        teaches: "A single acceptor decides quickly, but when it crashes nothing can be decided.",
        check: one_check,
    },
    one,
);

fn one(b: &mut Builder) {
    reconfigure(b, Config { acceptors: 1, ..Config::default() });
    request(b, "A cluster with one acceptor. One vote is a majority of one, so deciding is quick.", C1, "X");
    b.act(|s| {
        s.settle(40);
    });
    b.say("A1 crashes. Its promise and vote are on disk, but while it is down, no quorum exists at all.").act(|s| {
        s.run(Command::Crash { node: a(0) });
    });
    b.say("C2 now believes P2 leads.").act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    request(b, "C2 asks P2 for \"Y\".", C2, "Y");
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.say("P2's Prepare is lost: A1 is down. Without a promise from a majority, P2 cannot even start Phase 2.").act(
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0)));
        },
    );
    b.say("P2's timer fires and it retries with a higher round. It will keep trying for ever: one crash stopped the whole system.")
        .act(|s| {
            s.ticks(1);
        });
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).to(a(0))).ticks(1).deliver(Pick::kind(Kind::Prepare).to(a(0)));
    });
    b.turn(
        "Your turn: click A1 and restart it, then step. P2's next Phase 1 reaches A1. Will P2 propose \"Y\" or \"X\"?",
    );
}

fn one_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen().map(|c| c.1) == Some(v("X")), "X is chosen by the single acceptor")?;
    ensure(w.proposers()[1].phase != Phase::Done, "P2 never decides while A1 is down")?;
    ensure(count(ev, |e| matches!(e, Event::TimedOut { .. })) >= 2, "P2 times out and retries")?;
    ensure(drops(ev, DropReason::ReceiverCrashed) >= 3, "messages to the crashed acceptor are lost")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 3 -----------------------------------------------------------------------------------

pub const MINORITY_CRASH: (Meta, Recipe) = (
    Meta {
        id: "minority-crash",
        title: "Majority quorums: a minority crash is harmless",
        teaches: "With three acceptors, any two form a majority, so one crash changes nothing.",
        check: minority_check,
    },
    minority,
);

fn minority(b: &mut Builder) {
    b.say("A3 crashes before anything happens. Two of three acceptors are left: still a majority.").act(|s| {
        s.run(Command::Crash { node: a(2) });
    });
    request(b, "C1 asks P1 for \"X\".", C1, "X");
    b.say(
        "P1 starts ballot 1.1 and sends Prepare to all three acceptors, crashed or not: it cannot know which are up.",
    )
    .act(|s| {
        s.deliver(Pick::kind(Kind::Request));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Prepare));
    });
    b.say("A1 and A2 promise; the Prepare to A3 was lost. Two promises are enough.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Promise));
    });
    b.say("A1 and A2 accept \"X\": a majority, so \"X\" is chosen without A3.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Accept));
    });
    b.say("Votes, commits and replies flow as usual; everything sent to A3 is simply lost.").act(|s| {
        s.settle(60);
    });
    b.turn("Your turn: Back up to before the accepts, crash A2 as well, and step on. What happens now?");
}

fn minority_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen().map(|c| c.1) == Some(v("X")), "X is chosen despite the crash")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(drops(ev, DropReason::ReceiverCrashed) >= 2, "messages to A3 are lost")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 4 -----------------------------------------------------------------------------------

pub const MAJORITY_CRASH: (Meta, Recipe) = (
    Meta {
        id: "majority-crash",
        title: "A majority crash blocks progress",
        teaches: "Without a majority nothing is decided: liveness is lost, but safety never is.",
        check: majority_check,
    },
    majority,
);

fn majority(b: &mut Builder) {
    b.say("A2 and A3 crash. Only A1 is left: one of three is not a majority.").act(|s| {
        s.run(Command::Crash { node: a(1) }).run(Command::Crash { node: a(2) });
    });
    request(b, "C1 asks P1 for \"X\" anyway.", C1, "X");
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Request)).deliver_all(Pick::kind(Kind::Prepare));
    });
    b.say("P1 holds one promise and needs two. It waits.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Promise));
    });
    b.say("P1's timer fires. It retries with round 2, and will again and again: liveness is lost.").act(|s| {
        s.ticks(1);
    });
    b.act(|s| {
        s.ticks(6);
    });
    b.say("Look at the safety panel: still green. Paxos may stop, but it never decides two things. That is the trade it makes.")
        .act(|s| {
            s.ticks(1);
        });
    b.turn("Your turn: restart A2 (click it) and step. One more acceptor makes a majority again, and the next retry decides.");
}

fn majority_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen().is_none(), "nothing is chosen")?;
    ensure(count(ev, |e| matches!(e, Event::TimedOut { .. })) >= 2, "P1 keeps retrying")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 5 -----------------------------------------------------------------------------------

pub const BALLOT_CONFLICT: (Meta, Recipe) = (
    Meta {
        id: "ballot-conflict",
        title: "Ballot conflict: pre-emption, Nack and retry",
        teaches: "A higher ballot pre-empts a lower one; the loser hears a Nack and retries higher.",
        check: conflict_check,
    },
    conflict,
);

fn conflict(b: &mut Builder) {
    b.say("C2 now believes P2 leads, while C1 still believes in P1: two would-be leaders.").act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    request(b, "C1 asks P1 for \"X\".", C1, "X");
    request(b, "C2 asks P2 for \"Y\".", C2, "Y");
    b.say("P1 starts ballot 1.1.").act(|s| {
        s.deliver(Pick::kind(Kind::Request).to(P1));
    });
    b.say("P2 starts ballot 1.2. Same round, but 1.2 > 1.1 because the proposer id breaks the tie.").act(|s| {
        s.deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
    });
    b.say("A1 promised 1.1, but 1.2 is higher: A1 now promises 1.2. The higher ballot pre-empts the lower one.").act(
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
        },
    );
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1)));
    });
    b.say("A2 already promised 1.2, so it refuses P1's 1.1 with a Nack naming the higher ballot.").act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1)));
    });
    b.say("The Nack reaches P1. It retries at once with ballot 2.1, a round above every round it has seen.").act(|s| {
        s.deliver(Pick::kind(Kind::Nack).to(P1));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Promise).to(P2));
    });
    b.say("P2 has its majority first and proposes \"Y\" in 1.2.").act(|s| {
        s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(0)));
    });
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(2)));
    });
    b.say("\"Y\" is chosen. P1's new ballot 2.1 is still on its way: its promises will report \"Y\", so P1 can only propose \"Y\".")
        .act(|s| {
            s.settle(120);
        });
    b.turn("Your turn: Back up to the Nack and drop it instead. P1 then learns nothing; what wakes it up?");
}

fn conflict_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen().map(|c| c.1) == Some(v("Y")), "Y is chosen")?;
    ensure(count(ev, |e| matches!(e, Event::Sent { msg: crate::paxos::Msg::Nack { .. }, .. })) >= 1, "a Nack is sent")?;
    ensure(w.proposers()[0].max_round >= 2, "P1 retries with a higher round")?;
    ensure(w.learners()[0].learned == Some(v("Y")), "L1 learns Y")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 6 -----------------------------------------------------------------------------------

pub const VALUE_ADOPTION: (Meta, Recipe) = (
    Meta {
        id: "value-adoption",
        title: "Value adoption: the quorums intersect",
        teaches:
            "A new ballot must adopt a value a majority may already have chosen; the overlapping acceptor carries it.",
        check: adoption_check,
    },
    adoption,
);

fn adoption(b: &mut Builder) {
    request(b, "C1 asks P1 for \"X\".", C1, "X");
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Request))
            .deliver_all(Pick::kind(Kind::Prepare))
            .deliver_all(Pick::kind(Kind::Promise));
    });
    b.say("A1 accepts \"X\" in ballot 1.1.").act(|s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(0)));
    });
    b.say("A2 accepts too: \"X\" is chosen by the quorum {A1, A2}.").act(|s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(1)));
    });
    b.highlight(&[a(0), a(1)], "the quorum that chose \"X\"");
    b.say("Then every other message of ballot 1.1 is lost: nobody learns that \"X\" was chosen.").act(|s| {
        s.drop_all(Pick::kind(Kind::Accept)).drop_all(Pick::kind(Kind::Accepted));
    });
    b.act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    request(b, "C2 asks P2 for \"Y\". P2 has never heard of \"X\".", C2, "Y");
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.say("P2's Prepare 1.2 reaches A2 and A3: a different majority.").act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1)));
    });
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(2)));
    });
    b.highlight(&[a(1), a(2)], "P2's quorum");
    b.say("A2 is in both quorums. Its promise carries its vote for \"X\" in 1.1 into P2's Phase 1.").act(|s| {
        s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(1)));
    });
    b.highlight(&[a(1)], "in both quorums: it carries \"X\"");
    b.say("P2 must propose \"X\", not \"Y\": the highest vote reported is \"X\" in 1.1 (P2c). Any two majorities overlap, so this always happens.")
        .act(|s| {
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(2)));
        });
    b.highlight(&[a(1)], "in both quorums: it carries \"X\"");
    b.act(|s| {
        s.settle(120);
    });
    b.turn("Your turn: open Cluster settings, add acceptors, and try to find two majorities that do not overlap.");
}

fn adoption_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.proposers()[1].proposed == Some(v("X")), "P2 proposes X, not Y")?;
    ensure(w.oracle().chosen().len() == 1 && w.chosen().map(|c| c.1) == Some(v("X")), "only X is ever chosen")?;
    ensure(w.clients()[1].outcome == Some(v("X")), "C2 hears X")?;
    ensure(!violated(ev, Invariant::Agreement) && !any_violation(ev), "safety holds")
}
