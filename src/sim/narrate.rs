//! Plain-English narration: one or two sentences per step saying what happened and *why*.
//! It reads the world before and after the step, so it can name the rule that decided the outcome.

use super::command::{Command, DropReason, Event};
use super::config::Mutation;
use super::network::InFlight;
use super::timeline::Step;
use super::world::World;
use crate::paxos::{Ballot, Msg, NodeId, Phase, Proposal, Role};
use std::fmt::Write;

/// What the narration panel shows for a step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narration {
    /// The sentences.
    pub text: String,
    /// A value became chosen in this step.
    pub chosen: bool,
    /// A safety property broke in this step.
    pub violated: bool,
}

fn ballot_or_nothing(b: Option<Ballot>) -> String {
    b.map_or("nothing".into(), |b| b.to_string())
}

fn sent<'a>(step: &'a Step) -> impl Iterator<Item = (NodeId, NodeId, Msg)> + 'a {
    step.events.iter().filter_map(|e| match e {
        Event::Sent { from, to, msg, .. } => Some((*from, *to, *msg)),
        _ => None,
    })
}

fn sent_kind(step: &Step, kind: &str) -> Option<(NodeId, NodeId, Msg)> {
    sent(step).find(|(_, _, m)| m.kind() == kind)
}

fn plural(n: u8, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Narrates `step`, given the worlds just before and just after it.
pub fn narrate(before: &World, step: &Step, after: &World) -> Narration {
    let mut text = match &step.command {
        Command::Request { client, value } => {
            let leader = before.clients()[client.index as usize].leader;
            format!("Phase 0: {client} asks {leader} to get {value} chosen. {client} sends its request to {leader} because it believes {leader} is the leader.")
        }
        Command::SetLeader { client, leader } => {
            let mut s = format!("{client} now believes {leader} is the leader, so its next request goes to {leader}.");
            if let Some(other) = after.clients().iter().enumerate().find(|(_, c)| c.leader != *leader) {
                let _ = write!(
                    s,
                    " C{} still sends to {}: two believed leaders can mean a ballot conflict.",
                    other.0 + 1,
                    other.1.leader
                );
            }
            s
        }
        Command::Deliver { id } | Command::Drop { id } | Command::Duplicate { id } => match before.message(*id) {
            Some(m) => handle_message(before, step, after, m),
            None => format!("Message #{id}."),
        },
        Command::Tick => match step.events.iter().find_map(|e| match e {
            Event::Delivered { id } | Event::Dropped { id, .. } => Some(*id),
            _ => None,
        }) {
            Some(id) => match before.message(id) {
                Some(m) => handle_message(before, step, after, m),
                None => String::new(),
            },
            None => timeout_text(before, step, after),
        },
        Command::Timeout { node } => {
            let (pb, pa) = (&before.proposers()[node.index as usize], &after.proposers()[node.index as usize]);
            format!(
                "{node} times out because you told it to: it gives up on ballot {} and retries with ballot {}, above every round it has seen.",
                ballot_or_nothing(pb.ballot),
                ballot_or_nothing(pa.ballot)
            )
        }
        Command::Crash { node } => crash_text(before, *node),
        Command::Restart { node } => restart_text(after, step, *node),
        Command::Partition { .. } => {
            let groups = partition_groups(after);
            format!("The network is split into {groups}. Messages that cross the cut are dropped when they come due.")
        }
        Command::Heal => "The partition heals: every node can reach every other again.".into(),
        Command::SetLoss { percent } => {
            format!("The network now loses {percent}% of messages as they come due (on Step and Play).")
        }
        Command::SetDuplicate { percent } => {
            format!("The network now duplicates {percent}% of messages as they come due (on Step and Play).")
        }
        Command::SetLatency { min, max } => format!("Messages now take between {min} and {max} ticks to arrive."),
        Command::SetAmnesia { node, on: true } => {
            format!("{node} is now in amnesia mode: its next restart will wipe even its durable state. This is unsafe.")
        }
        Command::SetAmnesia { node, on: false } => {
            format!("{node} now keeps its durable state on disk across restarts.")
        }
        Command::SetBackoff { on: true } => {
            "Back-off is on: a refused proposer waits a random time before retrying, and timeouts vary.".into()
        }
        Command::SetBackoff { on: false } => "Back-off is off: a refused proposer retries at once.".into(),
    };
    let mut n = Narration::default();
    for e in &step.events {
        match e {
            Event::Chosen { ballot, value } => {
                n.chosen = true;
                let _ = write!(text, " That makes a majority: {value} is now chosen in ballot {ballot}. This is the global view; no node knows it yet.");
            }
            Event::Violated { detail, .. } => {
                n.violated = true;
                let _ = write!(text, " Safety is broken: {detail}");
            }
            _ => {}
        }
    }
    n.text = text;
    n
}

/// The partition groups in words, the groups someone listed first and everyone else last:
/// `{C1, P1, A1} | {C2, P2, A2, A3, L1}`.
pub fn partition_groups(w: &World) -> String {
    let mut groups: Vec<(u8, Vec<String>)> = Vec::new();
    for node in w.config().nodes() {
        let g = w.partition_group(node).unwrap_or(0);
        match groups.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(node.to_string()),
            None => groups.push((g, vec![node.to_string()])),
        }
    }
    // Group 0 holds the nodes nobody listed.
    groups.sort_by_key(|(g, _)| if *g == 0 { u8::MAX } else { *g });
    groups.iter().map(|(_, v)| format!("{{{}}}", v.join(", "))).collect::<Vec<_>>().join(" | ")
}

fn handle_message(before: &World, step: &Step, after: &World, m: &InFlight) -> String {
    let what = format!("{} from {} to {}", m.msg.label(), m.from, m.to);
    let mut prefix = String::new();
    for e in &step.events {
        match e {
            Event::Dropped { id, reason } if *id == m.id => {
                return match reason {
                    DropReason::ByUser => {
                        format!("{what} is dropped: it will never arrive. Paxos must cope with lost messages.")
                    }
                    DropReason::Lost => format!("The network loses {what} (loss rate {}%).", before.loss()),
                    DropReason::ReceiverCrashed => format!("{what} is lost: {} is crashed.", m.to),
                    DropReason::SenderCrashed => format!("{what} is lost: {} crashed before it arrived.", m.from),
                    DropReason::Partitioned => format!("{what} is lost: it cannot cross the partition."),
                };
            }
            Event::Duplicated { id, copy, .. } if *id == m.id => {
                if matches!(step.command, Command::Duplicate { .. }) {
                    return format!("{what} is duplicated: a second copy (#{copy}) is now in flight. Paxos must not mind receiving it twice.");
                }
                prefix = format!("The network duplicates {what} (copy #{copy} follows). ");
            }
            _ => {}
        }
    }
    prefix + &arrival(before, step, after, m)
}

fn arrival(before: &World, step: &Step, after: &World, m: &InFlight) -> String {
    let (from, to) = (m.from, m.to);
    let i = to.index as usize;
    match m.msg {
        Msg::Request { value } => {
            let (pb, pa) = (&before.proposers()[i], &after.proposers()[i]);
            if let Some(d) = pb.decided {
                format!("{to} already committed {d}, so it replies to {from} at once.")
            } else if pb.phase == Phase::Idle {
                let b = ballot_or_nothing(pa.ballot);
                format!(
                    "{to} receives {from}'s request for {value} and starts Phase 1 with ballot {b}, above every round it has seen. Prepare {b} goes to all {}.",
                    plural(before.config().acceptors, "acceptor")
                )
            } else {
                format!(
                    "{to} is already running ballot {} for {}; it will answer {from} once a value is chosen.",
                    ballot_or_nothing(pb.ballot),
                    pb.value.map_or("its first request".into(), |v| v.to_string())
                )
            }
        }
        Msg::Prepare { ballot } => {
            let a = &before.acceptors()[i];
            if let Some((_, _, Msg::Promise { accepted, .. })) = sent_kind(step, "promise") {
                let last = match a.promised {
                    Some(p) if p == ballot => {
                        " (it already promised this very ballot, so it repeats its promise)".to_string()
                    }
                    Some(p) => format!(" (its last promise was {p})"),
                    None => String::new(),
                };
                let report = match accepted {
                    None => "It has accepted nothing, so the promise carries no value.".to_string(),
                    Some(Proposal { ballot: pb, value }) => {
                        format!("It reports its earlier vote, {value} in ballot {pb}, which {from} must respect.")
                    }
                };
                format!("{to} promises ballot {ballot}: it has promised nothing higher{last}. {report}")
            } else if let Some((_, _, Msg::Nack { promised, .. })) = sent_kind(step, "nack") {
                format!("{to} refuses Prepare {ballot}: it already promised {promised}. The Nack tells {from} to retry with a higher round.")
            } else {
                format!(
                    "{to} ignores Prepare {ballot}: it already promised {}. Nacks are off, so {from} will only notice when its timer fires.",
                    ballot_or_nothing(a.promised)
                )
            }
        }
        Msg::Promise { ballot, accepted } => promise_text(before, step, after, from, to, ballot, accepted),
        Msg::Nack { ballot, promised } => {
            let pa = &after.proposers()[i];
            if let Some((_, _, Msg::Prepare { ballot: nb })) = sent_kind(step, "prepare") {
                format!("{from} refused {to}'s ballot {ballot} because it promised {promised}. {to} retries at once with ballot {nb}, above every round it has seen.")
            } else if pa.phase == Phase::BackingOff && before.proposers()[i].phase != Phase::BackingOff {
                format!("{from} refused {to}'s ballot {ballot} because it promised {promised}. {to} backs off for a random time before retrying, giving {} a chance to finish.", promised.proposer)
            } else {
                format!(
                    "{to} ignores this Nack: it is about ballot {ballot}, and {to} has moved on (it is now {}).",
                    phase_words(pa.phase, pa.ballot)
                )
            }
        }
        Msg::Accept { ballot, value } => {
            let a = &before.acceptors()[i];
            if sent_kind(step, "accepted").is_some() {
                if a.promised.is_some_and(|p| ballot < p) {
                    format!("{to} accepts {value} in ballot {ballot} even though it promised {}: the rule is switched off, and this is unsafe.", ballot_or_nothing(a.promised))
                } else {
                    format!("{to} accepts {value} in ballot {ballot}, since it has promised nothing higher, and tells {from} and every learner (Phase 2b).")
                }
            } else if sent_kind(step, "nack").is_some() {
                format!(
                    "{to} refuses Accept {ballot}: it has since promised {}. The Nack tells {from} to retry higher.",
                    ballot_or_nothing(a.promised)
                )
            } else {
                format!("{to} ignores Accept {ballot}: it has since promised {}.", ballot_or_nothing(a.promised))
            }
        }
        Msg::Accepted { ballot, value } => match to.role {
            Role::Proposer => {
                let pa = &after.proposers()[i];
                if sent_kind(step, "commit").is_some() {
                    let seen = after.proposers()[i].accepts.count_ones() as u8;
                    if seen < after.majority() {
                        format!(
                            "{to} has {seen} vote(s) for {value} in ballot {ballot}, which the broken quorum rule counts as enough, so it commits {value}. But {seen} of {} acceptors is not a majority: {value} is not actually chosen.",
                            after.config().acceptors
                        )
                    } else {
                        format!(
                            "{to} sees a majority accept {value} in ballot {ballot}, so it now knows {value} is chosen. Phase 3: it commits to every acceptor and learner and replies to its waiting clients."
                        )
                    }
                } else if pa.phase == Phase::Accepting && pa.ballot == Some(ballot) {
                    format!(
                        "{to} has {} of the {} votes it needs for ballot {ballot}.",
                        pa.accepts.count_ones(),
                        after.quorum()
                    )
                } else {
                    format!(
                        "{to} ignores {from}'s vote for ballot {ballot}: it is now {}.",
                        phase_words(pa.phase, pa.ballot)
                    )
                }
            }
            _ => {
                let (lb, la) = (&before.learners()[i], &after.learners()[i]);
                if lb.learned.is_some() {
                    format!("{to} already knows the outcome; another vote changes nothing.")
                } else if la.learned.is_some() {
                    let votes = la
                        .tallies
                        .iter()
                        .find(|t| t.ballot == ballot && t.value == value)
                        .map_or(0, |t| t.voters.count_ones() as u8);
                    if votes > 0 && votes < after.majority() {
                        format!(
                            "{to} learns {value} from {votes} vote(s) in ballot {ballot}, which the broken quorum rule counts as enough; {votes} of {} acceptors is not a majority. It tells every client.",
                            after.config().acceptors
                        )
                    } else {
                        format!("{to} learns {value}: a majority of acceptors voted for it in ballot {ballot}. It tells every client.")
                    }
                } else {
                    let k = la
                        .tallies
                        .iter()
                        .find(|t| t.ballot == ballot && t.value == value)
                        .map_or(0, |t| t.voters.count_ones());
                    format!("{to} counts {k} of the {} votes it needs for {value} in ballot {ballot}.", after.quorum())
                }
            }
        },
        Msg::Commit { ballot, value } => match to.role {
            Role::Acceptor => format!("{to} notes that {value} was committed in ballot {ballot}."),
            _ if before.learners()[i].learned.is_some() => {
                format!("{to} already knew the outcome; {from}'s Commit confirms it.")
            }
            _ => format!("{to} learns {value} from {from}'s Commit and tells every client."),
        },
        Msg::Reply { value } | Msg::Announce { value } => {
            if before.clients()[i].outcome.is_some() {
                format!("{to} hears again from {from} that {value} was chosen.")
            } else {
                match before.clients()[i].requested {
                    Some(_) => format!("{to} hears from {from} that {value} was chosen. Its request is answered."),
                    None => format!("{to} hears from {from} that {value} was chosen. It had not asked, but learners tell every client."),
                }
            }
        }
    }
}

fn phase_words(phase: Phase, ballot: Option<Ballot>) -> String {
    let b = ballot_or_nothing(ballot);
    match phase {
        Phase::Idle => "idle".into(),
        Phase::Preparing => format!("in Phase 1 with ballot {b}"),
        Phase::Accepting => format!("in Phase 2 with ballot {b}"),
        Phase::BackingOff => format!("backing off after ballot {b}"),
        Phase::Done => format!("done: it committed in ballot {b}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn promise_text(
    before: &World,
    step: &Step,
    after: &World,
    from: NodeId,
    to: NodeId,
    ballot: Ballot,
    accepted: Option<Proposal>,
) -> String {
    let i = to.index as usize;
    let (pb, pa) = (&before.proposers()[i], &after.proposers()[i]);
    let n = before.config().acceptors;
    if pb.phase != Phase::Preparing || pb.ballot != Some(ballot) {
        return format!(
            "{to} ignores {from}'s promise for ballot {ballot}: it is now {}.",
            phase_words(pb.phase, pb.ballot)
        );
    }
    let k = pa.promises.count_ones() as u8;
    let Some((_, _, Msg::Accept { value, .. })) = sent_kind(step, "accept") else {
        let mut s =
            format!("{to} has promises from {k} of {n} acceptors for ballot {ballot}; it needs {}.", after.quorum());
        if let Some(p) = accepted {
            let _ = write!(
                s,
                " {from} reports it already accepted {} in ballot {}, which {to} will have to respect.",
                p.value, p.ballot
            );
        }
        return s;
    };
    let head = format!("{to} now has promises from {k} of {n} acceptors, a quorum, and enters Phase 2.");
    let own = pa.value;
    match pa.highest_reported {
        Some(h) if h.value == value => {
            let reporters: Vec<String> = (0..n)
                .filter(|a| pa.promises & (1 << a) != 0 && before.acceptors()[*a as usize].accepted == Some(h))
                .map(|a| format!("A{}", a + 1))
                .collect();
            let who = match reporters.len() {
                0 => "an acceptor in its quorum reports it".to_string(),
                1 => format!("{} reports it", reporters[0]),
                _ => format!("{} report they", reporters.join(" and ")),
            };
            if own == Some(value) {
                format!("{head} It proposes {value}: {who} already accepted {value} in ballot {}, and its own client wants {value} too. Accept {ballot} {value} goes to every acceptor.", h.ballot)
            } else {
                format!(
                    "{head} {to} must propose {value}, not its client's {}: {who} already accepted {value} in ballot {}. Accept {ballot} {value} goes to every acceptor.",
                    own.map_or("value".into(), |v| v.to_string()),
                    h.ballot
                )
            }
        }
        Some(h) if before.config().mutations.contains(&Mutation::IgnoreReportedValues) => format!(
            "{head} It ignores the reported {} from ballot {} (the rule is switched off) and proposes its own {value}. This is unsafe.",
            h.value, h.ballot
        ),
        _ => format!("{head} No promise reported an accepted value, so {to} is free to propose its client's value: Accept {ballot} {value} goes to every acceptor."),
    }
}

fn timeout_text(before: &World, step: &Step, after: &World) -> String {
    let Some(node) = step.events.iter().find_map(|e| if let Event::TimedOut { node } = e { Some(*node) } else { None })
    else {
        return String::new();
    };
    let (pb, pa) = (&before.proposers()[node.index as usize], &after.proposers()[node.index as usize]);
    let new = ballot_or_nothing(pa.ballot);
    if pb.phase == Phase::BackingOff {
        format!("{node}'s back-off is over: it tries again with ballot {new}, above every round it has seen.")
    } else {
        format!(
            "{node}'s timer fires: ballot {} did not finish in time (lost messages, a crash or a rival ballot). It retries with ballot {new}.",
            ballot_or_nothing(pb.ballot)
        )
    }
}

fn crash_text(before: &World, node: NodeId) -> String {
    let i = node.index as usize;
    let amnesia = before.is_amnesiac(node);
    match node.role {
        Role::Acceptor => {
            let a = &before.acceptors()[i];
            let vote = a.accepted.map_or("none".into(), |p| format!("{} in {}", p.value, p.ballot));
            let mut s = format!(
                "{node} crashes. Its promise ({}) and its vote ({vote}) are on disk and survive; messages to it are lost until it restarts.",
                ballot_or_nothing(a.promised)
            );
            if amnesia {
                s.push_str(" It is in amnesia mode, so its restart will wipe even those.");
            }
            s
        }
        Role::Proposer => {
            let p = &before.proposers()[i];
            if amnesia {
                format!("{node} crashes and loses its ballot in progress. It is in amnesia mode, so it will forget its highest round ({}) too.", p.max_round)
            } else {
                format!("{node} crashes and loses its ballot in progress. Its highest round ({}) is on disk, so it will never reuse a ballot.", p.max_round)
            }
        }
        Role::Learner => format!("{node} crashes and forgets what it learned; after a restart it can learn again."),
        Role::Client => format!("{node} crashes and forgets its request and any answer."),
    }
}

fn restart_text(after: &World, step: &Step, node: NodeId) -> String {
    let amnesia = step.events.iter().any(|e| matches!(e, Event::Restarted { amnesia: true, .. }));
    let i = node.index as usize;
    match (node.role, amnesia) {
        (Role::Acceptor, false) => {
            let a = &after.acceptors()[i];
            let vote = a.accepted.map_or("has no vote".into(), |p| format!("voted for {} in {}", p.value, p.ballot));
            format!("{node} restarts from disk: it still promised {} and {vote}.", ballot_or_nothing(a.promised))
        }
        (Role::Acceptor, true) => format!("{node} restarts with amnesia: its promise and its vote are gone. It may now promise or accept what it refused before, which is unsafe."),
        (Role::Proposer, false) => format!("{node} restarts idle; its next ballot will be above round {}.", after.proposers()[i].max_round),
        (Role::Proposer, true) => format!("{node} restarts with amnesia: it forgot its round, so it may reuse an old ballot. This is unsafe."),
        _ => format!("{node} restarts with an empty memory."),
    }
}
