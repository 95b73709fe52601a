//! Lessons 7–12: live-lock, lost and duplicated messages, partitions, durability, leader
//! estimates, and ballots as a generation clock.

// Recipes and outcome checks run only natively (tests/lessons.rs): the browser reads what the
// recipes build from builtin.txt, so it leaves them out, and with them the helpers only they use.
#![cfg_attr(target_arch = "wasm32", allow(dead_code, unused_imports))]

use super::util::*;
use super::{reconfigure, Builder, Claim, Goal, Meta};
use crate::paxos::{Ballot, Decision, Kind, Msg, NodeId, Source, Why};
use crate::sim::command::{DropReason, Event, Invariant};
use crate::sim::{Command, Config, Pick, Script, World};

fn started_ballots(ev: &[Vec<Event>], p: NodeId) -> Vec<Ballot> {
    let mut out: Vec<Ballot> = Vec::new();
    for e in all(ev) {
        if let Event::Sent { from, msg: Msg::Prepare { ballot }, .. } = e {
            if *from == p && out.last() != Some(ballot) {
                out.push(*ballot);
            }
        }
    }
    out
}

/// Lets the network run (ticks) until `on` happens at a step, at most `limit` ticks. If it never
/// does, the beat that ends here fails `verify_captions`, which names it.
fn tick_until(s: &mut Script, on: &Claim, limit: usize) {
    for _ in 0..limit {
        let len = s.len();
        s.ticks(1);
        if s.len() == len || s.last_step().is_some_and(|(before, step, after)| on.holds(before, &step, after)) {
            return;
        }
    }
}

/// A beat in which the network runs on its own until `on` happens.
fn run_until<'b>(b: &'b mut Builder, on: Claim, caption: &str) -> &'b mut Builder {
    let claim = on.clone();
    b.beat(on, caption, move |s| tick_until(s, &claim, 200))
}

/// Two promises make a quorum for `leader`'s ballot and it sends its Accepts.
fn quorum(s: &mut Script, leader: NodeId) {
    s.deliver(Pick::kind(Kind::Promise).to(leader).from(a(0))).deliver(Pick::kind(Kind::Promise).to(leader).from(a(1)));
}

// ---- 7 -----------------------------------------------------------------------------------

pub const DUELING: Meta = Meta {
    id: "dueling-proposers",
    title: "Dueling proposers live-lock",
    teaches: "Two proposers can pre-empt each other for ever; back-off (or a single leader) ends it.",
    #[cfg(not(target_arch = "wasm32"))]
    check: dueling_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: dueling,
};

/// The race: `leader`'s third promise arrives late (ignored), then `rival`'s higher Prepare
/// reaches every acceptor before `leader`'s Accepts do.
fn overtake(s: &mut Script, leader: NodeId, rival: NodeId) {
    s.deliver_all(Pick::kind(Kind::Promise).to(leader));
    s.deliver_all(Pick::kind(Kind::Prepare).from(rival));
}

/// `leader`'s Accepts land below every promise and are refused; the first Nack makes it retry at
/// once (back-off is off).
fn refused(s: &mut Script, leader: NodeId) {
    s.deliver_all(Pick::kind(Kind::Accept).from(leader));
    s.deliver(Pick::kind(Kind::Nack).to(leader));
}

fn dueling(b: &mut Builder) {
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "C1 asks P1 for \"X\". C2 now believes P2 leads, so it asks P2 for \"Y\". Two proposers, two values: each will run its own ballots.",
        |s| {
            s.run(Command::SetLeader { client: C2, leader: P2 }).request(C1, "X").request(C2, "Y");
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "P1 starts ballot 1.1 and P2 starts ballot 1.2, each with Prepares to A1, A2 and A3. Nothing is wrong yet: the order in which messages arrive decides what follows.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P1)).deliver(Pick::kind(Kind::Request).to(P2));
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "P1's Prepares arrive first. A1, A2 and A3 have promised nothing yet, so each promises 1.1.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Prepare).from(P1));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "Promises from A1 and A2 are a majority, and none reports a vote, so P1 proposes \"X\": Accept 1.1 \"X\" is on its way to every acceptor.",
        |s| quorum(s, P1),
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "But P2's Prepare 1.2 reaches A1, A2 and A3 before P1's Accept. 1.2 is higher than 1.1, so each promises 1.2 and will refuse anything lower.",
        |s| overtake(s, P1, P2),
    );
    b.beat(
        Claim::Starts { by: P1 },
        "Accept 1.1 \"X\" lands below every promise and is refused. The Nack names 1.2, so P1 retries at once with 2.1. Ballot 1.1 is wasted.",
        |s| refused(s, P1),
    )
    .highlight(&[P1], "lost ballot 1.1");
    b.beat(
        Claim::Proposes { by: P2, value: v("Y") },
        "P1 ignores the other Nacks for 1.1. Meanwhile P2 has promises for 1.2 from a majority, with no vote reported, so it proposes \"Y\".",
        |s| {
            s.deliver_all(Pick::kind(Kind::Nack).to(P1));
            quorum(s, P2);
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "The same race, mirrored: P1's Prepare 2.1 reaches A1, A2 and A3 before P2's Accept 1.2. 2.1 is higher than 1.2, so they promise 2.1.",
        |s| overtake(s, P2, P1),
    );
    b.beat(
        Claim::Starts { by: P2 },
        "Accept 1.2 \"Y\" is refused everywhere, and P2 retries at once with 3.2. Two ballots wasted so far, and no acceptor has accepted anything.",
        |s| refused(s, P2),
    )
    .highlight(&[P2], "lost ballot 1.2");
    b.beat(
        Claim::Starts { by: P1 },
        "Round three: P1 proposes \"X\" in 2.1, P2's Prepare 3.2 overtakes the Accepts, and P1 retries with 4.1. Each proposer's Prepare ruins the other's ballot.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Nack).to(P2));
            quorum(s, P1);
            overtake(s, P1, P2);
            refused(s, P1);
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "And again: 3.2 falls to 4.1, and P2 moves on to 5.2. Four ballots wasted, nothing accepted anywhere. This is live-lock: safety holds, but nothing is decided.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Nack).to(P1));
            quorum(s, P2);
            overtake(s, P2, P1);
            refused(s, P2);
        },
    )
    .highlight(&[P1, P2], "dueling")
    .turn_to(
        "Your turn: you are the network. Deliver two of the three Promises for 4.1 to P1 (a majority), then P2's Prepare 5.2 to A1, then P1's Accept 4.1 to A1, then the Nack. Push P1 to round 6: the duel lasts as long as the timing lines up.",
        Goal::Round { proposer: P1, round: 6 },
    );
    b.beat(
        Claim::Setting,
        "The cure: random back-off. From now on a refused proposer waits a random time before its next ballot, and its card says it \"backs off\". The network runs on its own from here.",
        |s| {
            s.run(Command::SetBackoff { on: true });
        },
    );
    run_until(
        b,
        Claim::BacksOff { by: P1 },
        "P1 proposes \"X\" in 4.1, but P2's Prepare 5.2 overtakes it once more and the Accept is refused. This time P1 does not retry at once: it backs off for a random time.",
    );
    run_until(
        b,
        Claim::Chosen { value: v("Y") },
        "While P1 waits, nothing overtakes P2's Accept 5.2: A1 and A2 accept \"Y\", a majority, so \"Y\" is chosen. P1's back-off has just ended; its Prepare 6.1 is on the wire, too late.",
    )
    .also(Claim::Accepts { by: a(1), value: v("Y") });
    run_until(
        b,
        Claim::Learns { node: L1, value: v("Y") },
        "L1 counts votes for \"Y\" in 5.2 from a majority: it learns \"Y\" and tells both clients.",
    );
    run_until(
        b,
        Claim::Learns { node: C2, value: v("Y") },
        "P2 saw a majority of votes and committed \"Y\"; its reply reaches C2, whose request is answered. Meanwhile P1's Prepare 6.1 reached all three acceptors: each promises 6.1 and reports its vote, \"Y\" in 5.2.",
    );
    run_until(
        b,
        Claim::Learns { node: C1, value: v("Y") },
        "C1 hears \"Y\" from L1. It asked for \"X\", but there is one value for everyone, and it is \"Y\".",
    );
    run_until(
        b,
        Claim::Proposes { by: P1, value: v("Y") },
        "P1 has its majority for 6.1, and the promises report \"Y\" in 5.2. So P1 proposes \"Y\", not its client's \"X\": the loser of the duel carries the winner's value.",
    )
    .highlight(&[P1], "adopts \"Y\"");
    run_until(
        b,
        Claim::Commits { by: P1, value: v("Y") },
        "P1 commits \"Y\" in 6.1. Seven ballots, five wasted, one value chosen. Back-off did not make Paxos safe (it always was); it let one proposer finish.",
    );
}

fn dueling_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let decisions = || {
        ev.iter().enumerate().flat_map(|(i, step)| {
            step.iter().filter_map(move |e| match e {
                Event::Decided { node, decision } => Some((i, *node, *decision)),
                _ => None,
            })
        })
    };
    let chosen_at = ev.iter().position(|s| s.iter().any(|e| matches!(e, Event::Chosen { .. })));
    let backoff_at = decisions().find(|(_, _, d)| matches!(d, Decision::BackingOff { .. })).map(|(i, ..)| i);
    let (Some(chosen_at), Some(backoff_at)) = (chosen_at, backoff_at) else {
        return Err("a proposer backs off and a value is chosen".into());
    };
    let started = decisions().filter(|(i, _, d)| *i < chosen_at && d.started().is_some()).count();
    ensure(started >= 6, "at least six ballots are started before anything is chosen")?;
    ensure(
        !decisions().any(|(i, _, d)| i < backoff_at && matches!(d, Decision::Voted { .. })),
        "no acceptor accepts anything before a proposer backs off",
    )?;
    ensure(
        (0..3)
            .all(|i| decisions().any(|(s, n, d)| s < backoff_at && n == a(i) && matches!(d, Decision::Refused { .. }))),
        "all three acceptors refuse during the duel",
    )?;
    ensure(!all(ev).any(|e| matches!(e, Event::Dropped { .. })), "the duel comes from timing alone: nothing is lost")?;
    ensure(w.oracle().chosen().len() == 1, "back-off ends the duel: one value is chosen")?;
    let chosen = w.chosen().map(|c| c.1);
    ensure(w.learners()[0].learned == chosen, "L1 learns it")?;
    ensure(w.clients().iter().all(|c| c.outcome == chosen), "both clients hear it")?;
    ensure(!any_violation(ev), "safety holds throughout")
}

// ---- 8 -----------------------------------------------------------------------------------

pub const LOST_AND_DUPLICATED: Meta = Meta {
    id: "lost-and-duplicated",
    title: "Lost Accept, lost Commit, duplicates: all harmless",
    teaches: "Paxos tolerates messages that are lost or arrive twice.",
    #[cfg(not(target_arch = "wasm32"))]
    check: lost_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: lost,
};

fn lost(b: &mut Builder) {
    // One client and one proposer: this lesson is about the network, not about rivals.
    reconfigure(b, Config { clients: 1, proposers: 1, ..Config::default() });
    b.beat(
        Claim::Asks { client: C1, value: v("X") },
        "C1 asks P1 for \"X\". In this lesson the network misbehaves: it loses some messages and duplicates others. Watch what each node does about it.",
        |s| {
            s.request(C1, "X");
        },
    );
    b.beat(Claim::Starts { by: P1 }, "P1 starts ballot 1.1 and sends Prepare 1.1 to A1, A2 and A3.", |s| {
        s.deliver(Pick::kind(Kind::Request));
    });
    b.beat(
        Claim::Duplicated,
        "The network duplicates the Prepare to A1: two copies are now on the wire. Real networks do this, for instance when a router or a retry layer resends a packet.",
        |s| {
            s.duplicate(Pick::kind(Kind::Prepare).to(a(0)));
        },
    );
    b.beat(
        Claim::Promises { by: a(0) },
        "The first copy reaches A1, which has promised nothing yet, so it promises 1.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0)));
        },
    );
    b.beat(
        Claim::Ignores { by: a(0) },
        "The copy arrives. A1 promises only a ballot above its promise (as in Lamport's Paxos.tla), and 1.1 is not above 1.1: no second Promise. Resending the same one would be safe too.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0)));
        },
    )
    .highlight(&[a(0)], "ignores the copy");
    b.beat(Claim::Promises { by: a(2) }, "A2 and A3 promise 1.1 as well. Three Promises head back to P1.", |s| {
        s.deliver(Pick::kind(Kind::Prepare).to(a(1))).deliver(Pick::kind(Kind::Prepare).to(a(2)));
    });
    b.beat(
        Claim::Lost { to: P1 },
        "A3's Promise is lost. P1 cannot tell a lost message from a slow one, and it does not need to: it only waits for a majority.",
        |s| {
            s.drop_msg(Pick::kind(Kind::Promise).from(a(2)));
        },
    );
    b.beat(
        Claim::Counts { by: P1 },
        "A1's Promise is duplicated on its way, and the first copy arrives: P1 counts A1, 1 of the 2 promises it needs.",
        |s| {
            s.duplicate(Pick::kind(Kind::Promise).from(a(0))).deliver(Pick::kind(Kind::Promise).from(a(0)));
        },
    );
    b.beat(
        Claim::Ignores { by: P1 },
        "The copy arrives. P1 counts acceptors, not messages: A1 is already counted, so it ignores the copy. Still 1 of 2: a copy cannot fake a majority.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0)));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "A2's Promise makes two acceptors, a majority. None reports a vote, so P1 proposes \"X\". A3's lost Promise was never needed.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    );
    b.beat(
        Claim::Lost { to: a(0) },
        "The Accept to A1 is lost. A1 will never vote in 1.1, but A2 and A3 are still a majority.",
        |s| {
            s.drop_msg(Pick::kind(Kind::Accept).to(a(0)));
        },
    )
    .turn_to(
        "Your turn: be a worse network. Drop the Accepts to A2 and A3 too, so nobody can vote in 1.1. Then press Step until P1's timer fires (or click P1: Time out now). Which ballot does P1 try next?",
        Goal::Round { proposer: P1, round: 2 },
    );
    b.beat(Claim::Accepts { by: a(1), value: v("X") }, "A2 accepts \"X\" in 1.1 and tells P1 and L1.", |s| {
        s.deliver(Pick::kind(Kind::Accept).to(a(1)));
    });
    b.beat(
        Claim::Chosen { value: v("X") },
        "A3 accepts \"X\" too. With A2 that is a majority in one ballot, so \"X\" is chosen, although A1 never saw the Accept.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(2)));
        },
    )
    .also(Claim::Accepts { by: a(2), value: v("X") });
    b.beat(
        Claim::Ignores { by: L1 },
        "A2's vote to L1 is duplicated. L1 counts the first copy (1 of 2) and ignores the second: it counts each acceptor once per ballot.",
        |s| {
            s.duplicate(Pick::kind(Kind::Accepted).from(a(1)).to(L1));
            s.deliver(Pick::kind(Kind::Accepted).from(a(1)).to(L1)).deliver(Pick::kind(Kind::Accepted).from(a(1)).to(L1));
        },
    )
    .highlight(&[L1], "counts A2 once");
    b.beat(
        Claim::Learns { node: L1, value: v("X") },
        "A3's vote is the second acceptor for \"X\" in 1.1: L1 learns \"X\" and tells C1.",
        |s| {
            s.deliver(Pick::kind(Kind::Accepted).from(a(2)).to(L1));
        },
    );
    b.beat(
        Claim::Commits { by: P1, value: v("X") },
        "P1 gets votes from A2 and A3 and commits \"X\": Commits go to the acceptors and L1, and a Reply to C1.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(P1));
        },
    );
    b.beat(
        Claim::Lost { to: L1 },
        "The Commit to L1 is lost. Harmless: L1 already learned \"X\" from the votes themselves.",
        |s| {
            s.drop_msg(Pick::kind(Kind::Commit).to(L1));
        },
    );
    b.beat(
        Claim::Learns { node: C1, value: v("X") },
        "C1 hears \"X\" from L1. Lost messages cost time, copies cost nothing, and neither can make Paxos choose a second value.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Commit));
            s.deliver(Pick::kind(Kind::Announce).to(C1));
        },
    );
}

fn lost_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let ignored = |node: NodeId, f: fn(&Why) -> bool| {
        all(ev).any(
            |e| matches!(e, Event::Decided { node: n, decision: Decision::Ignored { why } } if *n == node && f(why)),
        )
    };
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen in the first ballot")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(w.clients()[0].outcome == Some(v("X")), "C1 hears X")?;
    ensure(drops(ev, DropReason::ByUser) >= 3, "messages are lost")?;
    ensure(count(ev, |e| matches!(e, Event::Duplicated { .. })) >= 3, "messages are duplicated")?;
    ensure(ignored(a(0), |w| matches!(w, Why::AlreadyPromised { .. })), "A1 ignores the second Prepare")?;
    ensure(
        ignored(P1, |w| matches!(w, Why::AlreadyCounted { kind: Kind::Promise, .. })),
        "P1 counts the duplicated Promise once",
    )?;
    ensure(
        ignored(L1, |w| matches!(w, Why::AlreadyCounted { kind: Kind::Accepted, .. })),
        "L1 counts the duplicated vote once",
    )?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 9 -----------------------------------------------------------------------------------

pub const PARTITION: Meta = Meta {
    id: "partition",
    title: "Partitions: the minority side cannot choose",
    teaches: "Cut off from a majority, a proposer can only retry; the majority side still decides, and after healing the other side adopts its value.",
    #[cfg(not(target_arch = "wasm32"))]
    check: partition_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: partition,
};

fn partition(b: &mut Builder) {
    b.beat(
        Claim::Splits,
        "The network splits: C1, P1 and A1 on one side; C2, P2, A2, A3 and L1 on the other. No message can cross the cut.",
        |s| {
            s.run(Command::Partition { groups: vec![vec![C1, P1, a(0)]] });
        },
    )
    .highlight(&[C1, P1, a(0)], "the minority side");
    b.beat(
        Claim::Starts { by: P1 },
        "C1 asks P1 for \"X\". P1 cannot see the cut, so it starts ballot 1.1 as usual, with Prepares to A1, A2 and A3.",
        |s| {
            s.request(C1, "X").deliver(Pick::kind(Kind::Request).to(P1));
        },
    );
    b.beat(Claim::Lost { to: a(2) }, "The Prepares to A2 and A3 reach the cut and are lost.", |s| {
        s.deliver(Pick::kind(Kind::Prepare).to(a(1))).deliver(Pick::kind(Kind::Prepare).to(a(2)));
    });
    b.beat(
        Claim::Counts { by: P1 },
        "A1 promises 1.1, and P1 counts 1 of the 2 promises it needs. The only other acceptors are across the cut: the second promise can never come.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).to(a(0))).deliver(Pick::kind(Kind::Promise).to(P1));
        },
    );
    run_until(
        b,
        Claim::TimesOut { node: P1 },
        "Nothing more arrives, so P1's retry timer fires and it tries a higher ballot, 2.1. Same cut, same result.",
    )
    .also(Claim::Starts { by: P1 });
    run_until(
        b,
        Claim::TimesOut { node: P1 },
        "And again: P1's timer fires and it tries 3.1, with Prepares to all three. A1 will promise it as it promised 2.1, but one acceptor of three is never a majority: the minority side cannot choose anything.",
    )
    .also(Claim::Starts { by: P1 });
    b.beat(
        Claim::Lost { to: P1 },
        "C2 asks for \"Y\". It still believes P1 leads, so its request goes to P1 and dies at the cut.",
        |s| {
            s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P1));
        },
    );
    b.beat(
        Claim::Follows { client: C2, leader: P2 },
        "C2 hears nothing back and changes its estimate: it now believes P2 leads, and P2 is on its side of the cut.",
        |s| {
            s.run(Command::SetLeader { client: C2, leader: P2 });
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "C2 asks P2 for \"Y\", and P2 starts ballot 1.2. That is lower than P1's 3.1, but A2 and A3 never heard of 3.1.",
        |s| {
            s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "The Prepare to A1 is lost at the cut. A2 and A3 have promised nothing, so they promise 1.2.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Prepare).from(P2));
        },
    );
    b.beat(
        Claim::Proposes { by: P2, value: v("Y") },
        "Promises from A2 and A3 are a majority of three, and neither reports a vote, so P2 proposes \"Y\".",
        |s| {
            s.deliver_all(Pick::kind(Kind::Promise).to(P2));
        },
    );
    b.beat(
        Claim::Chosen { value: v("Y") },
        "A2 and A3 accept \"Y\" in 1.2 while the Accept to A1 dies at the cut. Two of three is a majority: \"Y\" is chosen, on the side of the cut that holds a majority.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accept).from(P2));
        },
    )
    .also(Claim::Accepts { by: a(2), value: v("Y") })
    .highlight(&[a(1), a(2)], "the majority");
    b.beat(
        Claim::Learns { node: L1, value: v("Y") },
        "L1 counts the votes of A2 and A3 and learns \"Y\". It tells every client, but its Learned \"Y\" to C1 will die at the cut.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(L1));
        },
    );
    b.beat(
        Claim::Learns { node: C2, value: v("Y") },
        "C2 hears \"Y\". L1's Learned \"Y\" to C1 is lost at the cut: C1 is still waiting, and P1 is still retrying.",
        |s| {
            s.deliver(Pick::kind(Kind::Announce).to(C1)).deliver(Pick::kind(Kind::Announce).to(C2));
        },
    )
    .turn_to(
        "Your turn: predict, then check. Click Heal, then press Step (or Play) until C1 hears an outcome. C1 asked P1 for \"X\": which value will it hear, and why?",
        Goal::Heard { client: C1, value: v("Y") },
    );
    b.beat(
        Claim::Heals,
        "The partition heals while P1's Prepares 3.1 are still on the wire. A2 and A3 hold \"Y\" in 1.2; P1 knows nothing of \"Y\".",
        |s| {
            s.run(Command::Heal);
        },
    );
    run_until(
        b,
        Claim::Promises { by: a(1) },
        "Prepare 3.1 now reaches A2. 3.1 is higher than 1.2, so A2 promises, and its promise reports its vote: \"Y\" in 1.2.",
    );
    run_until(
        b,
        Claim::Proposes { by: P1, value: v("Y") },
        "P1 has promises for 3.1 from a majority, and A2 reports \"Y\". So P1 must propose \"Y\", not its client's \"X\": the chosen value survives the cut.",
    )
    .highlight(&[P1], "adopts \"Y\"");
    run_until(
        b,
        Claim::Learns { node: C1, value: v("Y") },
        "C1 hears \"Y\". The cut delayed C1 but never split the decision: only the side with a majority of acceptors could choose.",
    );
}

fn partition_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let chosen_at = ev.iter().position(|s| s.iter().any(|e| matches!(e, Event::Chosen { .. }))).unwrap_or(ev.len());
    let p1 = |upto: usize, f: fn(&Decision) -> bool| {
        ev[..upto]
            .iter()
            .flatten()
            .filter(|e| matches!(e, Event::Decided { node, decision } if *node == P1 && f(decision)))
            .count()
    };
    ensure(drops(ev, DropReason::Partitioned) >= 6, "messages are lost at the cut")?;
    ensure(p1(chosen_at, |d| d.started().is_some()) >= 3, "P1 retries while it is cut off")?;
    ensure(
        p1(chosen_at, |d| matches!(d, Decision::QuorumOfPromises { .. })) == 0,
        "P1 never gets a majority while cut off",
    )?;
    ensure(w.oracle().chosen().len() == 1 && w.chosen().map(|c| c.1) == Some(v("Y")), "the majority side chooses Y")?;
    ensure(
        p1(ev.len(), |d| matches!(d, Decision::QuorumOfPromises { source: Source::Adopted { .. }, .. })) == 1,
        "after healing, P1 adopts Y",
    )?;
    ensure(w.clients().iter().all(|c| c.outcome == Some(v("Y"))), "both clients hear Y")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 10 ----------------------------------------------------------------------------------

pub const DURABILITY: Meta = Meta {
    id: "durability",
    title: "Durability: why promises live on disk",
    teaches: "A restarted acceptor keeps its promise; an amnesia restart lets two values be chosen.",
    #[cfg(not(target_arch = "wasm32"))]
    check: durability_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: durability,
};

fn durability(b: &mut Builder) {
    let mut cfg = Config::default();
    cfg.amnesia.insert(a(1));
    reconfigure(b, cfg);
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "A2 runs in amnesia mode (dashed outline): its disk does not survive a restart. C2 now believes P2 leads and asks it for \"Y\".",
        |s| {
            s.run(Command::SetLeader { client: C2, leader: P2 }).request(C2, "Y");
        },
    )
    .highlight(&[a(1)], "amnesia mode");
    b.beat(Claim::Starts { by: P2 }, "P2 starts ballot 1.2, with Prepares to A1, A2 and A3.", |s| {
        s.deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
    });
    b.beat(
        Claim::Counts { by: P2 },
        "A1 promised 1.2, and its Promise reaches P2, which counts it. An acceptor writes its promise to disk before it answers: the disk mark beside A1's promise.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(0)));
        },
    );
    b.beat(Claim::Crashes { node: a(0) }, "A1 crashes. What it kept in memory is gone; its disk is not.", |s| {
        s.run(Command::Crash { node: a(0) });
    });
    b.beat(
        Claim::Restarts { node: a(0), amnesia: false },
        "A1 restarts and reads its disk: it still promises 1.2. Nothing it told P2 before the crash is taken back.",
        |s| {
            s.run(Command::Restart { node: a(0) });
        },
    );
    b.beat(
        Claim::Lost { to: a(2) },
        "C1 asks P1 for \"X\", and P1 starts ballot 1.1. Its Prepares to A2 and A3 are lost on the way.",
        |s| {
            s.request(C1, "X").deliver(Pick::kind(Kind::Request).to(P1));
            s.drop_msg(Pick::kind(Kind::Prepare).from(P1).to(a(1)))
                .drop_msg(Pick::kind(Kind::Prepare).from(P1).to(a(2)));
        },
    );
    b.beat(
        Claim::Refuses { by: a(0) },
        "Prepare 1.1 reaches A1, which refuses it: 1.1 is below the 1.2 it promised before its crash. The durable promise protects P2's ballot.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
        },
    )
    .highlight(&[a(0)], "kept its promise");
    b.beat(
        Claim::Starts { by: P1 },
        "The Nack tells P1 about 1.2, so P1 retries at once with 2.1. Its Prepares 2.1 are slow: they will arrive much later.",
        |s| {
            s.deliver(Pick::kind(Kind::Nack).to(P1));
        },
    );
    b.beat(
        Claim::Proposes { by: P2, value: v("Y") },
        "A2 and A3 promise 1.2 too. With A1's promise P2 has a majority, with no vote reported, so it proposes \"Y\".",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1))).deliver(Pick::kind(Kind::Prepare).from(P2).to(a(2)));
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(1)));
        },
    );
    b.beat(
        Claim::Chosen { value: v("Y") },
        "A1 and A2 accept \"Y\" in 1.2, a majority: \"Y\" is chosen. Both votes are on disk. The Accept to A3 is slow and still on the wire.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P2).from(a(2)));
            s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(0))).deliver(Pick::kind(Kind::Accept).from(P2).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("Y") });
    b.beat(
        Claim::Learns { node: C2, value: v("Y") },
        "L1 learns \"Y\" from the votes, P2 commits it, and C2 hears \"Y\". As far as anyone can tell, the decision is final.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(L1)).deliver_all(Pick::kind(Kind::Accepted).to(P2));
            s.deliver(Pick::kind(Kind::Reply).to(C2));
        },
    )
    .turn_to(
        "Your turn: A2 is in amnesia mode. Click A2 to crash it, then restart it. Then deliver P1's Prepares 2.1 to A2 and A3, their Promises, and P1's Accepts to A2 and A3. Can you get \"X\" chosen as well?",
        Goal::Chosen { value: Some(v("X")) },
    );
    b.beat(
        Claim::Crashes { node: a(1) },
        "A2 crashes. On the screen its promise of 1.2 and its vote for \"Y\" are still there: a crash alone takes nothing from the disk.",
        |s| {
            s.run(Command::Crash { node: a(1) });
        },
    );
    b.beat(
        Claim::Restarts { node: a(1), amnesia: true },
        "A2 restarts with amnesia: its disk is wiped, and its promise of 1.2 and its vote for \"Y\" are gone. Its promise went down: a safety rule is broken.",
        |s| {
            s.run(Command::Restart { node: a(1) });
        },
    )
    .also(Claim::Breaks { invariant: Invariant::PromisesNeverDecrease })
    .highlight(&[a(1)], "forgot everything");
    b.beat(
        Claim::Promises { by: a(1) },
        "P1's slow Prepare 2.1 reaches A2. A2 remembers no promise and no vote, so it promises 2.1 and reports nothing.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1)));
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "Prepare 2.1 reaches A3, which promised 1.2 and accepted nothing: it promises 2.1 and reports nothing either.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(2)));
        },
    );
    b.beat(
        Claim::Refuses { by: a(2) },
        "P2's slow Accept 1.2 finally reaches A3, now below its promise of 2.1: refused. A3 never votes for \"Y\".",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(2)));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "A2 and A3 are a majority, and neither reports \"Y\": A2 forgot it and A3 never saw it. So P1 is free to propose \"X\".",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P1).from(a(1))).deliver(Pick::kind(Kind::Promise).to(P1).from(a(2)));
        },
    )
    .highlight(&[a(1), a(2)], "no vote reported");
    b.beat(
        Claim::Breaks { invariant: Invariant::Agreement },
        "A2 and A3 accept \"X\" in 2.1, a majority: \"X\" is chosen. But \"Y\" was chosen already. Two values are chosen, and agreement is broken.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(1))).deliver(Pick::kind(Kind::Accept).from(P1).to(a(2)));
        },
    )
    .also(Claim::Chosen { value: v("X") })
    .also(Claim::Accepts { by: a(2), value: v("X") });
    b.beat(
        Claim::Learns { node: C1, value: v("X") },
        "P1 commits \"X\" and C1 hears \"X\", while C2 heard \"Y\". One lost disk, and two clients act on different decisions. This is why promises and votes must be durable.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(P1)).deliver(Pick::kind(Kind::Reply).to(C1));
        },
    );
}

fn durability_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let a1_nack = all(ev).any(|e| matches!(e, Event::Sent { from, msg: Msg::Nack { .. }, .. } if *from == a(0)));
    ensure(a1_nack, "the durable A1 refuses the lower ballot after its restart")?;
    ensure(violated(ev, Invariant::PromisesNeverDecrease), "the amnesia restart lowers A2's promise")?;
    ensure(violated(ev, Invariant::Agreement), "two values are chosen")?;
    let chosen: Vec<_> = w.oracle().chosen().iter().map(|c| c.1).collect();
    ensure(chosen == [v("Y"), v("X")], "Y and then X are chosen")?;
    ensure(w.learners()[0].learned == Some(v("Y")), "L1 learned Y")?;
    let heard: Vec<_> = w.clients().iter().map(|c| c.outcome).collect();
    ensure(heard == [Some(v("X")), Some(v("Y"))], "C1 hears X while C2 heard Y")
}

// ---- 11 ----------------------------------------------------------------------------------

pub const LEADER_ESTIMATES: Meta = Meta {
    id: "leader-estimates",
    title: "Leader estimates: one leader is calm, two collide",
    teaches: "Clients follow their estimate; two believed leaders make a ballot conflict.",
    #[cfg(not(target_arch = "wasm32"))]
    check: leaders_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: leaders,
};

fn leaders(b: &mut Builder) {
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "Both clients believe P1 leads (the C1 and C2 tags on P1). C1 asks P1 for \"X\", and C2 asks P1 for \"Y\".",
        |s| {
            s.request(C1, "X").request(C2, "Y");
        },
    )
    .highlight(&[P1], "the believed leader");
    b.beat(
        Claim::Starts { by: P1 },
        "C1's request reaches P1 first, and P1 starts ballot 1.1 for \"X\", with Prepares to A1, A2 and A3.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).from(C1));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "C2's request finds P1 busy: P1 keeps its first value and will answer C2 with whatever is chosen. A majority promises 1.1, so P1 proposes \"X\".",
        |s| {
            s.deliver(Pick::kind(Kind::Request).from(C2));
            s.deliver_all(Pick::kind(Kind::Prepare));
            quorum(s, P1);
        },
    );
    b.beat(
        Claim::Follows { client: C2, leader: P2 },
        "C2 has heard nothing yet and grows impatient: it changes its estimate and now believes P2 leads. Clients can only guess who leads.",
        |s| {
            s.run(Command::SetLeader { client: C2, leader: P2 });
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "Now there are two believed leaders. C2 asks P2 for \"Y\", and P2 starts ballot 1.2, higher than P1's 1.1.",
        |s| {
            s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
        },
    )
    .highlight(&[P1, P2], "two believed leaders")
    .turn_to(
        "Your turn: you are the network. Deliver P1's three Accepts before P2's Prepares, then press Step until C2 hears an outcome. Two leaders need not collide: which value does C2 hear, though it asked P2 for \"Y\"?",
        Goal::Heard { client: C2, value: v("X") },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "Here the timing is against P1: P2's Prepare 1.2 reaches A1, A2 and A3 before P1's Accepts. 1.2 is higher than 1.1, so all three promise 1.2.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Promise).to(P1));
            s.deliver_all(Pick::kind(Kind::Prepare).from(P2));
        },
    );
    b.beat(
        Claim::Refuses { by: a(2) },
        "P1's Accept 1.1 arrives below every promise: A1, A2 and A3 refuse it with Nacks. The two leaders have collided.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accept).from(P1));
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "The first Nack names 1.2: P1 now knows P2 is active. With no back-off it retries at once with 2.1, and the other Nacks are ignored.",
        |s| {
            s.deliver(Pick::kind(Kind::Nack).to(P1));
        },
    );
    b.beat(
        Claim::Proposes { by: P2, value: v("Y") },
        "P2 counts promises for 1.2 from a majority. Nobody accepted 1.1, so no vote is reported, and P2 proposes \"Y\".",
        |s| {
            s.deliver_all(Pick::kind(Kind::Nack).to(P1));
            quorum(s, P2);
        },
    );
    b.beat(
        Claim::Chosen { value: v("Y") },
        "This time P2's Accepts win the race against P1's Prepares 2.1: A1 and A2 accept \"Y\" in 1.2, a majority. \"Y\" is chosen.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(0))).deliver(Pick::kind(Kind::Accept).from(P2).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("Y") });
    b.beat(
        Claim::Promises { by: a(1) },
        "P1's Prepare 2.1 arrives. 2.1 is higher than 1.2, so A1 and A2 promise it, and each reports its vote: \"Y\" in 1.2.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0))).deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1)));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("Y") },
        "P1 has a majority for 2.1, and both promises report \"Y\". So P1 proposes \"Y\", not its client's \"X\": a rival leader's value, once chosen, is the only safe one.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).to(P1).from(a(0))).deliver(Pick::kind(Kind::Promise).to(P1).from(a(1)));
        },
    )
    .highlight(&[P1], "adopts \"Y\"");
    b.beat(
        Claim::Commits { by: P2, value: v("Y") },
        "P2 gets votes from A1 and A2 and commits \"Y\". It replies to C2, which asked it.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(P2));
        },
    );
    b.beat(
        Claim::Learns { node: L1, value: v("Y") },
        "L1 counts the same votes and learns \"Y\". It tells both clients.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(L1));
        },
    );
    b.beat(
        Claim::Learns { node: C1, value: v("Y") },
        "C1 hears \"Y\" from L1. It asked for \"X\", but there is one value for everyone. The collision cost P1 a ballot and some time, never safety.",
        |s| {
            s.deliver(Pick::kind(Kind::Announce).to(C1));
        },
    );
    b.beat(
        Claim::Learns { node: C2, value: v("Y") },
        "C2 hears \"Y\" from P2. Both clients hear the same value, whoever they believed led.",
        |s| {
            s.deliver(Pick::kind(Kind::Reply).to(C2));
        },
    );
}

fn leaders_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(count(ev, |e| matches!(e, Event::Sent { msg: Msg::Nack { .. }, .. })) >= 3, "the two leaders collide")?;
    ensure(
        started_ballots(ev, P1).len() == 2 && started_ballots(ev, P2).len() == 1,
        "P1 runs 1.1 and 2.1, P2 runs 1.2",
    )?;
    ensure(w.oracle().chosen().len() == 1, "one value is chosen")?;
    let chosen = w.chosen().map(|c| c.1);
    ensure(w.learners()[0].learned == chosen, "L1 learns it")?;
    ensure(chosen.is_some() && w.clients().iter().all(|c| c.outcome == chosen), "both clients hear the one value")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 12 ----------------------------------------------------------------------------------

pub const GENERATION_CLOCK: Meta = Meta {
    id: "generation-clock",
    title: "Ballots as a generation clock",
    teaches: "(round, proposer) is unique to its proposer and always rises, even across a crash.",
    #[cfg(not(target_arch = "wasm32"))]
    check: clock_check,
    #[cfg(not(target_arch = "wasm32"))]
    recipe: clock,
};

fn clock(b: &mut Builder) {
    b.beat(
        Claim::Asks { client: C2, value: v("Y") },
        "C1 asks P1 for \"X\". C2 now believes P2 leads and asks it for \"Y\". Watch the ballot numbers in this lesson: each is a pair, a round and a proposer.",
        |s| {
            s.run(Command::SetLeader { client: C2, leader: P2 }).request(C1, "X").request(C2, "Y");
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "P1 starts ballot 1.1: round 1, proposer 1. The round comes first, the proposer's id second.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P1));
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "P2 starts ballot 1.2. Both chose round 1, yet the ballots differ: the proposer's id is part of the ballot, so no two proposers can ever share one.",
        |s| {
            s.deliver(Pick::kind(Kind::Request).to(P2));
        },
    );
    b.beat(Claim::Promises { by: a(0) }, "P2's Prepare reaches A1 first, and A1 promises 1.2.", |s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
    });
    b.beat(
        Claim::Refuses { by: a(0) },
        "Ballots compare by round, then by proposer: 1.1 is below 1.2. So A1 refuses P1's Prepare 1.1, and its Nack names 1.2.",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "The Nack reports round 1, so P1 moves to round 2, above every round it has seen: ballot 2.1. Like a generation number, a proposer's round only goes up.",
        |s| {
            s.deliver(Pick::kind(Kind::Nack).to(P1));
        },
    );
    b.beat(
        Claim::Crashes { node: P1 },
        "P1 crashes with ballot 2.1 under way, and its Prepares still on the wire are lost with it. Its memory is gone, but its highest round, 2, is on disk (the disk mark).",
        |s| {
            s.run(Command::Crash { node: P1 });
        },
    )
    .highlight(&[P1], "round 2 on disk");
    b.beat(
        Claim::Restarts { node: P1, amnesia: false },
        "P1 restarts from its disk: no ballot, no client, but it still knows round 2.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Prepare).from(P1));
            s.run(Command::Restart { node: P1 });
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "C1 asks again, and P1 starts ballot 3.1. It never reuses 1.1 or 2.1: a ballot number names one attempt, for ever.",
        |s| {
            s.request(C1, "X").deliver(Pick::kind(Kind::Request).from(C1).to(P1));
        },
    );
    b.beat(
        Claim::Proposes { by: P2, value: v("Y") },
        "Meanwhile P2's older ballot 1.2 carries on: A2 and A3 promise it, and with A1 that is a majority, so P2 proposes \"Y\".",
        |s| {
            s.deliver_all(Pick::kind(Kind::Prepare).from(P2));
            quorum(s, P2);
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "But P1's Prepare 3.1 reaches A1, A2 and A3 before P2's Accepts. Round 3 is the newest generation, so each promises 3.1.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Promise).to(P2));
            s.deliver_all(Pick::kind(Kind::Prepare).from(P1));
        },
    );
    b.beat(
        Claim::Refuses { by: a(2) },
        "P2's Accept 1.2 comes from an older generation: A1, A2 and A3 refuse it. A promise of 3.1 fences off every lower ballot.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accept).from(P2));
        },
    );
    b.beat(
        Claim::Starts { by: P2 },
        "The Nack reports round 3, so P2 jumps straight to round 4: ballot 4.2. Any proposer that hears of a higher round moves its own clock past it.",
        |s| {
            s.deliver(Pick::kind(Kind::Nack).to(P2));
        },
    );
    b.beat(
        Claim::Proposes { by: P1, value: v("X") },
        "P1 has promises for 3.1 from a majority, none reporting a vote, so it proposes \"X\".",
        |s| {
            s.deliver_all(Pick::kind(Kind::Nack).to(P2));
            quorum(s, P1);
        },
    );
    b.beat(
        Claim::Chosen { value: v("X") },
        "P1's Accepts land before P2's Prepares 4.2: A1 and A2 accept \"X\" in 3.1, a majority. \"X\" is chosen.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Promise).to(P1));
            s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(0))).deliver(Pick::kind(Kind::Accept).from(P1).to(a(1)));
        },
    )
    .also(Claim::Accepts { by: a(1), value: v("X") });
    b.beat(
        Claim::Proposes { by: P2, value: v("X") },
        "Prepare 4.2 arrives: 4.2 is above 3.1, so A1 and A2 promise and report \"X\" in 3.1. With that majority P2 must propose \"X\", not \"Y\".",
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0))).deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1)));
            quorum(s, P2);
        },
    )
    .highlight(&[P2], "adopts \"X\"");
    b.beat(
        Claim::Learns { node: L1, value: v("X") },
        "L1 counts the votes of A1 and A2 for \"X\" in 3.1 and learns \"X\". It tells both clients.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(L1));
        },
    );
    b.beat(
        Claim::Learns { node: C2, value: v("X") },
        "C1 and C2 hear \"X\". Five ballots (1.1 to 4.2), each owned by one proposer and above its owner's last, even across P1's crash.",
        |s| {
            s.deliver(Pick::kind(Kind::Announce).to(C1)).deliver(Pick::kind(Kind::Announce).to(C2));
        },
    )
    .turn_to(
        "Your turn: click P1 and switch on amnesia, then crash and restart it. Ask C1 for \"X\" again and step until P1 starts a ballot. Which ballot does it use, and what does the safety check say?",
        Goal::SafetyBreaks,
    );
}

fn clock_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let p1 = started_ballots(ev, P1);
    ensure(p1 == [Ballot::new(1, 0), Ballot::new(2, 0), Ballot::new(3, 0)], "P1 uses 1.1, 2.1, then 3.1")?;
    ensure(started_ballots(ev, P2) == [Ballot::new(1, 1), Ballot::new(4, 1)], "P2 uses 1.2, then jumps to 4.2")?;
    ensure(!violated(ev, Invariant::BallotsUnique) && !any_violation(ev), "ballots stay unique")?;
    ensure(w.oracle().chosen().len() == 1 && w.chosen().map(|c| c.1) == Some(v("X")), "X is chosen")?;
    ensure(w.clients().iter().all(|c| c.outcome == Some(v("X"))), "both clients hear X")
}
