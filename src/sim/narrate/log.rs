//! One sentence per Multi-Paxos decision: what the node did in which slot, and the rule behind it.

use super::{ballot_or_nothing, Scene};
use crate::paxos::multi::{slot_name, slots_of, Campaign, LogDecision, LogProposer, Slot, Slots};
use crate::paxos::{Kind, NodeId};

fn names(set: u16) -> String {
    let v: Vec<String> = (0..16).filter(|i| set & (1 << i) != 0).map(|i| NodeId::acceptor(i).to_string()).collect();
    match v.len() {
        0 => "no acceptor".into(),
        1 => v[0].clone(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

fn slot_list(set: Slots) -> String {
    let v: Vec<String> = slots_of(set).map(slot_name).collect();
    match v.len() {
        0 => "no slot".into(),
        1 => format!("slot {}", v[0]),
        n => format!("slots {} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

/// The sentence for `d`, made by `node` in the step of `sc`.
pub(super) fn sentence(sc: &Scene, node: NodeId, d: &LogDecision) -> String {
    let from = sc.msg.map(|m| m.from);
    let sender = from.map_or("someone".to_string(), |f| f.to_string());
    match *d {
        LogDecision::Submitted { value, to, retry: false } => {
            format!("Phase 0: {node} sends its command {value} to {to}, the proposer it believes leads.")
        }
        LogDecision::Submitted { value, to, retry: true } => format!(
            "{node} heard nothing about {value} in time, so it retries with {to}, asking it to take over as leader."
        ),
        LogDecision::Replied { value, slot, first: true } => {
            // The reply answers the command; the card's "applied" waits for a learner, in order.
            let s = slot_name(slot);
            format!("{node} hears that its command {value} is chosen in slot {s}: answered. It applies the log up to {s} once learners have announced every slot up to it.")
        }
        LogDecision::Replied { value, slot, .. } => {
            format!("{node} already knew that {value} is in slot {}; this reply changes nothing.", slot_name(slot))
        }
        LogDecision::Redirected { value, leader } => {
            format!("{node} follows the redirect: it now believes {leader} leads and sends {value} there.")
        }
        LogDecision::Applied { slot, value, before, after } => applied(node, slot, value, before, after, "hears from a learner"),
        LogDecision::Redirect { client, value, leader } => format!(
            "{node} is not the leader; it believes {leader} is, so it redirects {client}'s {value} there instead of running Phase 1."
        ),
        LogDecision::Campaign { ballot, from, cause } => campaign(node, ballot, from, cause),
        LogDecision::Queued { value, ballot } => {
            format!("{node} is still in Phase 1 with ballot {ballot}; {value} waits until Phase 1 is done.")
        }
        LogDecision::PromiseCounted { ballot, have, need, reported, .. } => format!(
            "{node} counts {sender}'s promise: {have} of the {need} it needs for ballot {ballot}. {sender} reports votes in {}.",
            slot_list(reported)
        ),
        LogDecision::Elected { ballot, from, have, recovered, noops, fresh } => {
            let p = sc.after.log().map(|l| l.proposers[node.index as usize]);
            elected(node, ballot, from, have, recovered, noops, fresh, p.as_ref())
        }
        LogDecision::Assigned { value, slot, ballot } => format!(
            "{node} leads with ballot {ballot}, whose Phase 1 already covers every slot, so {value} goes straight to slot {} with Accept: one round trip, no Prepare.",
            slot_name(slot)
        ),
        LogDecision::Known { value, slot, chosen: true } => {
            format!("{node} already has {value} chosen in slot {}, so it replies at once instead of proposing it twice.", slot_name(slot))
        }
        LogDecision::Known { value, slot, .. } => {
            format!("{node} is already getting {value} chosen in slot {}; a second request changes nothing.", slot_name(slot))
        }
        LogDecision::Full { value } => format!("{node} has no free slot for {value}; the log is full (or Phase 1's queue is)."),
        LogDecision::VoteCounted { slot, ballot, have, need } => {
            format!("{node} has {have} of the {need} votes it needs in slot {} for ballot {ballot}.", slot_name(slot))
        }
        LogDecision::SlotChosen { slot, ballot, value, have } => format!(
            "{node} has {have} votes for {value} in slot {} (ballot {ballot}): a majority, so it is chosen. {node} commits slot {} to acceptors and learners{}.",
            slot_name(slot),
            slot_name(slot),
            value.client().map_or(String::new(), |c| format!(" and replies to {c}"))
        ),
        LogDecision::Demoted { ballot, promised, by } => format!(
            "{by} refused {node}'s ballot {ballot}: it promised {promised}. {node} stops leading and now believes {} leads; it does not fight back.",
            promised.proposer
        ),
        LogDecision::Retransmit { ballot, slots } => format!(
            "{node}'s timer fires with {} still open. Its ballot {ballot} still holds, so it sends those Accepts again instead of running Phase 1.",
            slot_list(slots)
        ),
        LogDecision::AskedForGap { first, to } => format!(
            "{node} already knows this slot, but it has a gap from slot {}: it asks {to} for the slots it missed.",
            slot_name(first)
        ),
        LogDecision::Resent { to, slots } => {
            format!("{to} missed some slots, so {node} sends it the Commit of {} again.", slot_list(slots))
        }
        LogDecision::Promised { ballot, from, previous, reported } => format!(
            "{node} promises ballot {ballot} for every slot from {} (it had promised {}) and reports its votes there: {}.",
            slot_name(from),
            ballot_or_nothing(previous),
            if reported == 0 { "none".to_string() } else { slot_list(reported) }
        ),
        LogDecision::Voted { slot, ballot, value, promised } => match promised {
            Some(p) if ballot < p => format!(
                "{node} accepts {value} in slot {} and ballot {ballot} even though it promised {p}: the rule is switched off, and this is unsafe.",
                slot_name(slot)
            ),
            _ => format!(
                "{node} accepts {value} in slot {} (ballot {ballot}), since it has promised nothing higher, and tells {sender} and every learner.",
                slot_name(slot)
            ),
        },
        LogDecision::NotedCommit { slot, value } => format!("{node} notes that {value} is committed in slot {}.", slot_name(slot)),
        LogDecision::Tallied { slot, ballot, value, have, need } => format!(
            "{node} counts {have} of the {need} votes it needs for {value} in slot {} (ballot {ballot}).",
            slot_name(slot)
        ),
        LogDecision::Learned { slot, value, by_commit, before, after, asked } => {
            let how = if by_commit { format!("{sender}'s Commit") } else { "a majority of votes".into() };
            let mut s = applied(node, slot, value, before, after, &format!("learns from {how}"));
            if asked {
                s.push_str(&format!(" It asks {sender} for the slots it missed."));
            }
            s
        }
        // The same ballot: the message is late, not outdated; the phase that wanted it is over.
        LogDecision::Stale { kind: Kind::Promise, ballot, current } if current == Some(ballot) => format!(
            "{node} ignores {sender}'s promise for ballot {ballot}: its Phase 1 with that ballot is over, so it no longer waits for promises."
        ),
        LogDecision::Stale { kind, ballot, current } if current == Some(ballot) => {
            format!("{node} ignores this late {} about ballot {ballot}: it no longer waits for it.", kind.title())
        }
        LogDecision::Stale { kind, ballot, current } => format!(
            "{node} ignores this {} about ballot {ballot}: it is now at {} and no longer waits for it.",
            kind.title(),
            ballot_or_nothing(current)
        ),
        LogDecision::AlreadyCounted { kind, from } => {
            let what = if kind == Kind::Promise { "promise" } else { "vote" };
            format!("{node} already counted {from}'s {what}; a second copy changes nothing.")
        }
        LogDecision::AlreadyKnown { slot } => format!("{node} already knows slot {}; this changes nothing.", slot_name(slot)),
    }
}

fn applied(node: NodeId, slot: Slot, value: crate::paxos::multi::Cmd, before: u8, after: u8, how: &str) -> String {
    let s = slot_name(slot);
    if after > before {
        let range = if after - before == 1 {
            slot_name(before)
        } else {
            format!("{} to {}", slot_name(before), slot_name(after - 1))
        };
        format!(
            "{node} {how} that {value} is in slot {s} and applies {range}: its log is now applied up to {}.",
            slot_name(after - 1)
        )
    } else if slot < before {
        format!("{node} {how} that {value} is in slot {s}, which it already applied.")
    } else {
        format!(
            "{node} {how} that {value} is in slot {s}, but slot {} is still a gap, so it applies nothing yet: a log is applied in order.",
            slot_name(before)
        )
    }
}

fn campaign(node: NodeId, ballot: crate::paxos::Ballot, from: Slot, cause: Campaign) -> String {
    let why = match cause {
        Campaign::Request { client, value, retry: true } => {
            format!("{client} had no answer for {value} in time and sent it to {node} as a retry, so {node} takes over")
        }
        Campaign::Request { client, value, .. } => {
            format!("{client} asks for {value} and {node} believes it leads, but it has no ballot yet")
        }
        Campaign::Timeout => format!("{node}'s timer fired with work unfinished"),
    };
    format!(
        "{why}: {node} starts Phase 1 with ballot {ballot} for every slot from {} at once. One Prepare covers the whole rest of the log.",
        slot_name(from)
    )
}

#[allow(clippy::too_many_arguments)]
fn elected(
    node: NodeId,
    ballot: crate::paxos::Ballot,
    from: Slot,
    have: u8,
    recovered: Slots,
    noops: Slots,
    fresh: Slots,
    p: Option<&LogProposer>,
) -> String {
    let mut s = format!(
        "{node} has {have} promises for ballot {ballot}: Phase 1 is done for every slot from {}, and {node} leads.",
        slot_name(from)
    );
    let Some(p) = p else { return s };
    for slot in slots_of(recovered) {
        if let Some(v) = p.reported.get(slot) {
            s.push_str(&format!(
                " {node} re-proposes {} in slot {} because {} {} it accepted in ballot {}, the highest ballot reported there.",
                v.cmd,
                slot_name(slot),
                names(p.reporters[slot as usize]),
                if p.reporters[slot as usize].count_ones() == 1 { "reports" } else { "report" },
                v.ballot
            ));
        }
    }
    for slot in slots_of(noops) {
        s.push_str(&format!(" Slot {} is a hole, so {node} fills it with a no-op.", slot_name(slot)));
    }
    for slot in slots_of(fresh) {
        if let Some(c) = p.log[slot as usize] {
            s.push_str(&format!(" {c} goes to slot {}.", slot_name(slot)));
        }
    }
    if recovered | noops | fresh == 0 {
        s.push_str(" Nothing was accepted there, so the log continues from here.");
    }
    s
}
