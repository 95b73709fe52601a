//! Lessons 7–12: live-lock, lost and duplicated messages, partitions, durability, leader
//! estimates, and ballots as a generation clock.

use super::util::*;
use super::{reconfigure, Builder, Meta, Recipe};
use crate::paxos::{Ballot, Kind, Msg, NodeId};
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

// ---- 7 -----------------------------------------------------------------------------------

pub const DUELING: (Meta, Recipe) = (
    Meta {
        id: "dueling-proposers",
        title: "Dueling proposers live-lock",
        teaches: "Two proposers can pre-empt each other for ever; back-off (or a single leader) ends it.",
        check: dueling_check,
    },
    dueling,
);

/// One round of the duel: `first` finishes Phase 1, then `second`'s Prepare pre-empts it just
/// before its Accept lands, and the Nack makes `first` retry higher.
fn round(s: &mut Script, first: NodeId, second: NodeId) {
    s.deliver_all(Pick::kind(Kind::Prepare).from(first).to(a(0)))
        .deliver_all(Pick::kind(Kind::Prepare).from(first).to(a(1)));
    s.deliver_all(Pick::kind(Kind::Promise).to(first));
    s.deliver(Pick::kind(Kind::Prepare).from(second).to(a(0))).deliver(Pick::kind(Kind::Prepare).from(second).to(a(1)));
    s.deliver(Pick::kind(Kind::Accept).from(first).to(a(0))).deliver(Pick::kind(Kind::Nack).to(first));
    // Tidy the canvas: the rest of the losing ballot and A3's traffic are lost in the storm.
    s.drop_all(Pick::kind(Kind::Accept).from(first)).drop_all(Pick::kind(Kind::Nack));
    s.drop_all(Pick::kind(Kind::Prepare).to(a(2))).drop_all(Pick::kind(Kind::Promise).from(a(2)));
}

fn dueling(b: &mut Builder) {
    b.say("C1 believes P1 leads; C2 now believes P2 leads.").act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    b.act(|s| {
        s.request(C1, "X").request(C2, "Y");
    });
    b.say("Both proposers start Phase 1: ballots 1.1 and 1.2.").act(|s| {
        s.deliver(Pick::kind(Kind::Request).to(P1)).deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.say("Round 1: P1 gets its promises, but P2's higher Prepare reaches the acceptors just before P1's Accept. A Nack, and P1 retries.")
        .act(|s| round(s, P1, P2));
    b.say("Round 2: now P2 reaches Phase 2, and P1's new ballot pre-empts it the same way.").act(|s| round(s, P2, P1));
    b.say("Round 3: and again. Each proposer keeps destroying the other's ballot. Watch the \"ballots wasted\" counter: this is live-lock. Safety holds; progress does not.")
        .act(|s| round(s, P1, P2));
    b.turn(
        "Your turn: step a few more rounds by hand. Can you make the duel go on for ever? (Next resumes the lesson.)",
    );
    b.say("The cure: random back-off. After a Nack a proposer waits a random time, so one of them gets through first.")
        .act(|s| {
            s.run(Command::SetBackoff { on: true });
        });
    b.act(|s| {
        s.ticks(400);
    });
}

fn dueling_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let before_choice: usize = ev
        .iter()
        .take_while(|step| !step.iter().any(|e| matches!(e, Event::Chosen { .. })))
        .flatten()
        .filter(|e| matches!(e, Event::Sent { msg: Msg::Prepare { .. }, to, .. } if *to == a(0)))
        .count();
    ensure(before_choice >= 5, "at least five ballots are wasted before anything is chosen")?;
    ensure(w.chosen().is_some(), "back-off ends the duel: a value is chosen")?;
    ensure(!any_violation(ev), "safety holds throughout")
}

// ---- 8 -----------------------------------------------------------------------------------

pub const LOST_AND_DUPLICATED: (Meta, Recipe) = (
    Meta {
        id: "lost-and-duplicated",
        title: "Lost Accept, lost Commit, duplicates: all harmless",
        teaches: "Paxos tolerates messages that are lost or arrive twice.",
        check: lost_check,
    },
    lost,
);

fn lost(b: &mut Builder) {
    b.act(|s| {
        s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    });
    b.say("The network duplicates P1's Prepare to A1: two copies are on their way.").act(|s| {
        s.duplicate(Pick::kind(Kind::Prepare).to(a(0)));
    });
    b.say("A1 gets the Prepare twice. Promising the same ballot twice changes nothing.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Prepare));
    });
    b.say("A3's Promise is lost.").act(|s| {
        s.drop_msg(Pick::kind(Kind::Promise).from(a(2)));
    });
    b.say("P1 counts A1's promise once, however many copies arrive.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Promise));
    });
    b.say("The Accept to A1 is lost. A2 and A3 are still a majority.").act(|s| {
        s.drop_msg(Pick::kind(Kind::Accept).to(a(0)));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Accept));
    });
    b.say("A vote to the learner is duplicated; L1 counts each acceptor once.").act(|s| {
        s.duplicate(Pick::kind(Kind::Accepted).to(L1));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Accepted));
    });
    b.say("The Commit to L1 is lost. Harmless: L1 already learned from the votes themselves.").act(|s| {
        s.drop_all(Pick::kind(Kind::Commit).to(L1));
    });
    b.act(|s| {
        s.settle(60);
    });
    b.turn(
        "Your turn: Back up to the start and drop every Accept. What wakes P1 up, and which ballot finally decides?",
    );
}

fn lost_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(w.chosen() == Some((Ballot::new(1, 0), v("X"))), "X is chosen in the first ballot")?;
    ensure(w.learners()[0].learned == Some(v("X")), "L1 learns X")?;
    ensure(drops(ev, DropReason::ByUser) >= 3, "messages were lost")?;
    ensure(count(ev, |e| matches!(e, Event::Duplicated { .. })) >= 2, "messages were duplicated")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 9 -----------------------------------------------------------------------------------

pub const PARTITION: (Meta, Recipe) = (
    Meta {
        id: "partition",
        title: "Partitions: the minority side cannot choose",
        teaches: "Cut off from the majority, a proposer can only retry; once healed, it decides.",
        check: partition_check,
    },
    partition,
);

fn partition(b: &mut Builder) {
    b.say("The network splits: C1, P1 and A1 on one side, everyone else on the other.").act(|s| {
        s.run(Command::Partition { groups: vec![vec![C1, P1, a(0)]] });
    });
    b.act(|s| {
        s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    });
    b.say("P1's Prepares to A2 and A3 cannot cross the cut. A1 alone is not a majority.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Prepare));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Promise));
    });
    b.say("P1's timer fires again and again. The minority side cannot choose anything.").act(|s| {
        s.ticks(8);
    });
    b.turn("Your turn: before healing, give C2 a value to ask P2 on the majority side. Can the majority side decide?");
    b.say("The partition heals.").act(|s| {
        s.run(Command::Heal);
    });
    b.say("P1's next retry reaches a majority and decides.").act(|s| {
        s.ticks(200);
    });
}

fn partition_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(drops(ev, DropReason::Partitioned) >= 4, "messages are lost at the cut")?;
    let heal = ev.iter().position(|s| s.is_empty()).unwrap_or(0);
    ensure(!ev[..heal].iter().flatten().any(|e| matches!(e, Event::Chosen { .. })), "nothing is chosen while split")?;
    ensure(w.chosen().map(|c| c.1) == Some(v("X")), "X is chosen after healing")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 10 ----------------------------------------------------------------------------------

pub const DURABILITY: (Meta, Recipe) = (
    Meta {
        id: "durability",
        title: "Durability: why promises live on disk",
        teaches: "A restarted acceptor keeps its promise; an amnesia restart lets two values be chosen.",
        check: durability_check,
    },
    durability,
);

fn durability(b: &mut Builder) {
    let mut cfg = Config::default();
    cfg.amnesia.insert(a(1));
    reconfigure(b, cfg);
    b.say("C2 believes P2 leads. A2 runs in amnesia mode (the dashed outline): its disk does not survive a restart.")
        .act(|s| {
            s.run(Command::SetLeader { client: C2, leader: P2 });
        });
    b.act(|s| {
        s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.say("A1 promises ballot 1.2.").act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
    });
    b.say("A1 crashes and restarts. Its promise was on disk, so it still promises 1.2.").act(|s| {
        s.run(Command::Crash { node: a(0) }).run(Command::Restart { node: a(0) });
    });
    b.act(|s| {
        s.request(C1, "X").deliver(Pick::kind(Kind::Request).to(P1));
    });
    b.say("P1's lower ballot 1.1 reaches A1, which refuses it: the durable promise protects ballot 1.2.").act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
    });
    b.act(|s| {
        s.drop_all(Pick::kind(Kind::Prepare).from(P1)).deliver(Pick::kind(Kind::Nack).to(P1));
    });
    b.say("P2 wins A2 as well and gets \"Y\" accepted by A1 and A2: \"Y\" is chosen.").act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(1))).deliver_all(Pick::kind(Kind::Promise).to(P2));
        s.deliver(Pick::kind(Kind::Accept).from(P2).to(a(0))).deliver(Pick::kind(Kind::Accept).from(P2).to(a(1)));
        s.drop_all(Pick::kind(Kind::Accept)).drop_all(Pick::kind(Kind::Accepted));
    });
    b.turn("Your turn: guess what happens if A2 now forgets everything.");
    b.say("A2 crashes and restarts with amnesia: its promise of 1.2 and its vote for \"Y\" are gone. The safety panel already objects.")
        .act(|s| {
            s.run(Command::Crash { node: a(1) }).run(Command::Restart { node: a(1) });
        });
    b.say("P1's retry, ballot 2.1, reaches A2 and A3. Neither reports \"Y\": A2 forgot it and A3 never saw it.").act(
        |s| {
            s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(1))).deliver(Pick::kind(Kind::Prepare).from(P1).to(a(2)));
            s.deliver(Pick::kind(Kind::Promise).to(P1).from(a(1))).deliver(Pick::kind(Kind::Promise).to(P1).from(a(2)));
        },
    );
    b.highlight(&[a(1)], "forgot its vote for \"Y\"");
    b.say("So P1 proposes \"X\", and A2 and A3 accept it. \"X\" is chosen too: agreement is broken. This is why promises and votes must be durable.")
        .act(|s| {
            s.deliver(Pick::kind(Kind::Accept).from(P1).to(a(1))).deliver(Pick::kind(Kind::Accept).from(P1).to(a(2)));
        });
}

fn durability_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let a1_nack = all(ev).any(|e| matches!(e, Event::Sent { from, msg: Msg::Nack { .. }, .. } if *from == a(0)));
    ensure(a1_nack, "the durable A1 refuses the lower ballot after its restart")?;
    ensure(violated(ev, Invariant::PromisesNeverDecrease), "the amnesia restart lowers A2's promise")?;
    ensure(violated(ev, Invariant::Agreement), "two values are chosen")?;
    ensure(w.oracle().chosen().len() == 2, "Y and X are both chosen")
}

// ---- 11 ----------------------------------------------------------------------------------

pub const LEADER_ESTIMATES: (Meta, Recipe) = (
    Meta {
        id: "leader-estimates",
        title: "Leader estimates: one leader is calm, two collide",
        teaches: "Clients follow their estimate; two believed leaders make a ballot conflict.",
        check: leaders_check,
    },
    leaders,
);

fn leaders(b: &mut Builder) {
    b.say("Both clients believe P1 leads (see the C1 and C2 tags on P1). Both ask it for a value.").act(|s| {
        s.request(C1, "X").request(C2, "Y");
    });
    b.say("P1 takes C1's request first and starts one ballot for \"X\".").act(|s| {
        s.deliver(Pick::kind(Kind::Request).from(C1));
    });
    b.say("C2's request finds P1 busy. One leader, one ballot: P1 will answer C2 with whatever is chosen.").act(|s| {
        s.deliver(Pick::kind(Kind::Request).from(C2));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Prepare)).deliver_all(Pick::kind(Kind::Promise));
    });
    b.say("C2 grows impatient and switches its estimate to P2.").act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 });
    });
    b.say("Now there are two believed leaders. C2 asks P2, which starts ballot 1.2.").act(|s| {
        s.request(C2, "Y").deliver(Pick::kind(Kind::Request).to(P2));
    });
    b.say("P2's higher ballot reaches every acceptor before P1's Accepts.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Prepare).from(P2));
    });
    b.say("P1's Accepts arrive too late: Nacks. The two leaders collided.").act(|s| {
        s.deliver_all(Pick::kind(Kind::Accept).from(P1));
    });
    b.act(|s| {
        s.deliver_all(Pick::kind(Kind::Promise).to(P2)).deliver_all(Pick::kind(Kind::Accept).from(P2));
    });
    b.act(|s| {
        s.settle(200);
    });
    b.turn("Your turn: Back up to the switch and keep C2 on P1 instead. Count the Nacks.");
}

fn leaders_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    ensure(count(ev, |e| matches!(e, Event::Sent { msg: Msg::Nack { .. }, .. })) >= 2, "the two leaders collide")?;
    ensure(!started_ballots(ev, P1).is_empty() && !started_ballots(ev, P2).is_empty(), "both proposers run ballots")?;
    let chosen = w.chosen().map(|c| c.1);
    ensure(chosen.is_some() && w.clients().iter().all(|c| c.outcome == chosen), "both clients hear the one value")?;
    ensure(!any_violation(ev), "safety holds")
}

// ---- 12 ----------------------------------------------------------------------------------

pub const GENERATION_CLOCK: (Meta, Recipe) = (
    Meta {
        id: "generation-clock",
        title: "Ballots as a generation clock",
        teaches: "(round, proposer) is unique to its proposer and always rises, even across a crash.",
        check: clock_check,
    },
    clock,
);

fn clock(b: &mut Builder) {
    b.act(|s| {
        s.run(Command::SetLeader { client: C2, leader: P2 }).request(C1, "X").request(C2, "Y");
    });
    b.say("P1 starts ballot 1.1.").act(|s| {
        s.deliver(Pick::kind(Kind::Request).to(P1));
    });
    b.say("P2 starts ballot 1.2. Both chose round 1, yet the ballots differ: the proposer's id is part of the ballot, so no two proposers can ever share one.")
        .act(|s| {
            s.deliver(Pick::kind(Kind::Request).to(P2));
        });
    b.act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P2).to(a(0)));
    });
    b.say("Ballots are ordered by round, then proposer: 1.1 < 1.2, so A1 refuses P1.").act(|s| {
        s.deliver(Pick::kind(Kind::Prepare).from(P1).to(a(0)));
    });
    b.say("P1 jumps to round 2, above every round it has seen: ballot 2.1. Like a generation number, it only goes up.")
        .act(|s| {
            s.deliver(Pick::kind(Kind::Nack).to(P1));
        });
    b.say("P1 crashes. Its highest round (2) is on disk.").act(|s| {
        s.run(Command::Crash { node: P1 });
    });
    b.act(|s| {
        s.run(Command::Restart { node: P1 });
    });
    b.say("C1 asks again. P1 starts ballot 3.1, never reusing 1.1 or 2.1.").act(|s| {
        s.request(C1, "X").deliver(Pick::kind(Kind::Request).from(C1).to(P1));
    });
    b.act(|s| {
        s.settle(200);
    });
    b.turn("Your turn: put P1 in amnesia mode (click it), crash and restart it, and ask C1 again. Which ballot does it use, and what does the safety panel say?");
}

fn clock_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let p1 = started_ballots(ev, P1);
    ensure(p1.starts_with(&[Ballot::new(1, 0), Ballot::new(2, 0), Ballot::new(3, 0)]), "P1 uses 1.1, 2.1, then 3.1")?;
    ensure(p1.windows(2).all(|w| w[0] < w[1]), "P1's ballots always rise")?;
    ensure(started_ballots(ev, P2).first() == Some(&Ballot::new(1, 1)), "P2 uses 1.2")?;
    ensure(!violated(ev, Invariant::BallotsUnique) && !any_violation(ev), "ballots stay unique")?;
    ensure(w.chosen().is_some(), "a value is chosen")
}
