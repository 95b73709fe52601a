//! Lesson 13: Multi-Paxos, a replicated log with a stable leader.

use super::util::*;
use super::{reconfigure, Builder, Claim, Goal, Meta, Recipe};
use crate::paxos::multi::Cmd;
use crate::paxos::{Kind, Msg};
use crate::sim::command::Event;
use crate::sim::{Config, Mode, Pick, World};

// ---- 13 ----------------------------------------------------------------------------------

pub const STABLE_LEADER: (Meta, Recipe) = (
    Meta {
        id: "stable-leader",
        title: "Multi-Paxos: a stable leader skips Phase 1",
        teaches: "A leader runs Phase 1 once for every slot of the log; after that each command costs one Accept/Accepted round trip.",
        check: stable_check,
    },
    stable,
);

fn x(n: u8) -> Cmd {
    Cmd::new(0, n).expect("C1's commands")
}

fn stable(b: &mut Builder) {
    // One client and one proposer: nothing competes with the leader, so every saving is visible.
    reconfigure(b, Config { mode: Mode::Multi, clients: 1, proposers: 1, slots: 4, ..Config::default() });
    b.beat(
        Claim::Asks { client: C1, value: v("X1") },
        "Multi-Paxos chooses a log of commands, one per slot. C1 sends its first command \"X1\" to P1, the proposer it believes leads.",
        |s| {
            s.next_command(C1);
        },
    );
    b.beat(
        Claim::Starts { by: P1 },
        "P1 does not lead yet, so it runs Phase 1 once for the whole log: Prepare 1.1 for every slot from s1 goes to all three acceptors. Round trip 1 begins.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::Promises { by: a(2) },
        "A1, A2 and A3 each promise ballot 1.1 for every slot from s1. No acceptor has a vote to report in any slot.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Prepare));
        },
    );
    b.beat(
        Claim::Leads { by: P1 },
        "Promises from A1 and A2 make a majority: P1 leads with ballot 1.1 (see the bracket on the log). It puts \"X1\" in slot s1 and sends Accept s1 1.1. Round trip 2 begins.",
        |s| {
            s.deliver(Pick::kind(Kind::Promise).from(a(0))).deliver(Pick::kind(Kind::Promise).from(a(1)));
        },
    );
    b.beat(
        Claim::SlotChosen { slot: 0, value: x(1) },
        "A1 and A2 accept \"X1\" in slot s1, so \"X1\" is chosen there. The first command cost two round trips: Prepare/Promise, then Accept/Accepted.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    )
    .highlight(&[a(0), a(1)], "a majority for s1");
    b.act(|s| {
        s.settle(100);
    });
    b.beat(
        Claim::Asks { client: C1, value: v("X2") },
        "P1 commits s1, L1 applies it, and C1 hears where \"X1\" landed. Now C1 sends its second command, \"X2\".",
        |s| {
            s.next_command(C1);
        },
    );
    b.beat(
        Claim::Assigns { by: P1, slot: 1 },
        "P1 still leads with ballot 1.1, and its Phase 1 already covers every slot. So it skips Phase 1: \"X2\" goes straight to slot s2 with Accept s2 1.1.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::SlotChosen { slot: 1, value: x(2) },
        "A1 and A2 accept \"X2\" in slot s2, so \"X2\" is chosen there after one round trip, not two.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    );
    b.act(|s| {
        s.settle(100);
    });
    b.beat(
        Claim::Asks { client: C1, value: v("X3") },
        "Slot s2 is committed and applied. C1 sends its third command, \"X3\".",
        |s| {
            s.next_command(C1);
        },
    )
    .turn_to(
        "Your turn: step until \"X3\" is chosen, counting the round trips. Does any Prepare go out?",
        Goal::Prefix { slots: 3 },
    );
    b.beat(
        Claim::Assigns { by: P1, slot: 2 },
        "Again no Phase 1: P1 gives \"X3\" the next free slot, s3, and sends Accept s3 1.1 at once.",
        |s| {
            s.deliver(Pick::kind(Kind::Request));
        },
    );
    b.beat(
        Claim::SlotChosen { slot: 2, value: x(3) },
        "A1 and A2 accept \"X3\" in slot s3, so \"X3\" is chosen there: one more round trip.",
        |s| {
            s.deliver(Pick::kind(Kind::Accept).to(a(0))).deliver(Pick::kind(Kind::Accept).to(a(1)));
        },
    );
    b.beat(
        Claim::Applies { node: L1, slot: 2 },
        "L1 counts the votes of A1 and A2 in s3 and applies it: its log is s1–s3, with no gap. Three commands cost one Phase 1 and three Accept round trips; single-decree Paxos would have paid six.",
        |s| {
            s.deliver_all(Pick::kind(Kind::Accepted).to(L1));
        },
    );
}

fn stable_check(w: &World, ev: &[Vec<Event>]) -> Result<(), String> {
    let log = w.oracle().log().ok_or("the lesson runs in multi mode")?;
    for n in 1..=3 {
        ensure(log.chosen(n - 1).map(|(_, c)| c) == Some(x(n)), "X1, X2, X3 are chosen in s1, s2, s3")?;
    }
    let prepares = count(ev, |e| matches!(e, Event::Sent { msg, .. } if msg.kind() == Kind::Prepare));
    ensure(prepares == 3, "one Prepare to each acceptor, once")?;
    let accepts = count(ev, |e| {
        matches!(e, Event::Sent { msg: Msg::Log(_), .. })
            && matches!(e, Event::Sent { msg, .. } if msg.kind() == Kind::Accept)
    });
    ensure(accepts == 9, "three Accepts per command")?;
    ensure(w.log().is_some_and(|l| l.learners[0].applied == 3), "L1 applies s1–s3")?;
    ensure(!any_violation(ev), "safety holds")
}
