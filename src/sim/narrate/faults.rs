//! What the world did around the protocol: messages lost or copied, crashes and restarts,
//! partitions, leader estimates and network settings.

use super::{ballot_or_nothing, Scene};
use crate::paxos::{NodeId, Role};
use crate::sim::command::{Command, DropReason, Event, Step};
use crate::sim::network::InFlight;
use crate::sim::world::World;
use std::fmt::Write;

/// A message that will never arrive, and why.
pub(super) fn dropped(before: &World, what: &str, m: &InFlight, reason: DropReason) -> String {
    match reason {
        DropReason::ByUser => format!("{what} is dropped: it will never arrive. Paxos must cope with lost messages."),
        DropReason::Lost => format!("The network loses {what} (loss rate {}%).", before.loss()),
        DropReason::ReceiverCrashed => format!("{what} is lost: {} is crashed.", m.to),
        DropReason::SenderCrashed => format!("{what} is lost: {} crashed while it was in flight.", m.from),
        DropReason::Partitioned => format!("{what} is lost: it cannot cross the partition."),
    }
}

/// A command that changes the world around the protocol rather than delivering anything.
pub(super) fn command(before: &World, step: &Step, after: &World) -> String {
    match &step.command {
        Command::SetLeader { client, leader } => {
            let mut s = format!("{client} now believes {leader} is the leader, so its next request goes to {leader}.");
            if let Some((i, other)) = after.clients().iter().enumerate().find(|(_, c)| c.leader != *leader) {
                let _ = write!(
                    s,
                    " C{} still sends to {}: two believed leaders can mean a ballot conflict.",
                    i + 1,
                    other.leader
                );
            }
            s
        }
        Command::Crash { node } => crash(before, step, *node),
        Command::Restart { node } => restart(after, step, *node),
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
        // The protocol's own steps are told by their decisions.
        Command::Request { .. }
        | Command::Deliver { .. }
        | Command::Drop { .. }
        | Command::Duplicate { .. }
        | Command::Timeout { .. }
        | Command::Tick => super::decided(&Scene { before, after, step, msg: None }),
    }
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
    crate::small_sort::sort_by_key(&mut groups, |(g, _)| if *g == 0 { u8::MAX } else { *g });
    groups.iter().map(|(_, v)| format!("{{{}}}", v.join(", "))).collect::<Vec<_>>().join(" | ")
}

fn crash(before: &World, step: &Step, node: NodeId) -> String {
    let mut s = crashed(before, node);
    let lost =
        step.events.iter().filter(|e| matches!(e, Event::Dropped { reason: DropReason::SenderCrashed, .. })).count();
    // Losing them is this simulator's model of a crash, not a rule of Paxos, so the words say so
    // (and why it is fair: any message may be lost).
    let why = "here a crash loses what the node sent but was not yet delivered, a loss Paxos must survive anyway.";
    match lost {
        0 => {}
        1 => {
            let _ = write!(s, " The message it had in flight is lost with it: {why}");
        }
        n => {
            let _ = write!(s, " The {n} messages it had in flight are lost with it: {why}");
        }
    }
    s
}

fn crashed(before: &World, node: NodeId) -> String {
    let amnesia = before.is_amnesiac(node);
    match node.role {
        Role::Acceptor => {
            let (promise, vote) = acceptor_disk(before, node);
            let mut s = format!(
                "{node} crashes. Its promise ({promise}) and its {vote} are on disk and survive; messages to it are lost until it restarts."
            );
            if amnesia {
                s.push_str(" It is in amnesia mode, so its restart will wipe even those.");
            }
            s
        }
        Role::Proposer => {
            let round = max_round(before, node);
            if amnesia {
                format!("{node} crashes and loses its ballot in progress. It is in amnesia mode, so it will forget its highest round ({round}) too.")
            } else {
                format!("{node} crashes and loses its ballot in progress. Its highest round ({round}) is on disk, so it will never reuse a ballot.")
            }
        }
        Role::Learner => format!("{node} crashes and forgets what it learned; after a restart it can learn again."),
        Role::Client => format!("{node} crashes and forgets its request and any answer."),
    }
}

/// A proposer's highest round, in either mode.
fn max_round(w: &World, node: NodeId) -> u32 {
    let i = node.index as usize;
    w.log().map_or_else(|| w.proposers()[i].max_round, |l| l.proposers[i].max_round)
}

/// What an acceptor keeps on disk, in either mode: its promise, and its vote ("vote (X in 1.1)")
/// or, in Multi-Paxos, its votes slot by slot ("votes (s1: X1 in 1.1)").
fn acceptor_disk(w: &World, node: NodeId) -> (String, String) {
    let i = node.index as usize;
    match w.log() {
        Some(l) => {
            let a = &l.acceptors[i];
            let votes: Vec<String> = a
                .votes
                .iter()
                .map(|(slot, v)| format!("{}: {} in {}", crate::paxos::multi::slot_name(slot), v.cmd.name(), v.ballot))
                .collect();
            let votes = if votes.is_empty() { "none".to_string() } else { votes.join(", ") };
            (ballot_or_nothing(a.promised), format!("votes ({votes})"))
        }
        None => {
            let a = &w.acceptors()[i];
            let vote = a.accepted.map_or("none".into(), |p| format!("{} in {}", p.value, p.ballot));
            (ballot_or_nothing(a.promised), format!("vote ({vote})"))
        }
    }
}

fn restart(after: &World, step: &Step, node: NodeId) -> String {
    let amnesia = step.events.iter().any(|e| matches!(e, Event::Restarted { amnesia: true, .. }));
    match (node.role, amnesia) {
        (Role::Acceptor, false) => {
            let (promise, vote) = acceptor_disk(after, node);
            format!("{node} restarts from disk: it still has its promise ({promise}) and its {vote}.")
        }
        (Role::Acceptor, true) => format!("{node} restarts with amnesia: its promise and its vote are gone. It may now promise or accept what it refused before, which is unsafe."),
        (Role::Proposer, false) => format!("{node} restarts idle; its next ballot will be above round {}.", max_round(after, node)),
        (Role::Proposer, true) => format!("{node} restarts with amnesia: it forgot its round, so it may reuse an old ballot. This is unsafe."),
        (Role::Client | Role::Learner, _) => format!("{node} restarts with an empty memory."),
    }
}
