//! One sentence per decision, by role: what the node did and the rule that made it do so.

use super::{ballot_or_nothing, plural, Scene};
use crate::paxos::{Ballot, Cause, Decision, Kind, Msg, NodeId, Phase, Proposal, Source, Value, Via, Why};
use crate::sim::command::Command;

/// The sentence for `d`, made by `node` in the step of `sc`.
pub(super) fn sentence(sc: &Scene, node: NodeId, d: &Decision) -> String {
    let from = sc.msg.map(|m| m.from);
    match *d {
        Decision::Asked { value, leader } => format!(
            "Phase 0: {node} asks {leader} to get {value} chosen. {node} sends its request to {leader} because it believes {leader} is the leader."
        ),
        Decision::Heard { value, from, first, asked } => heard(sc, node, value, from, (first, asked)),
        Decision::Began { ballot, client, value } => format!(
            "{node} receives {client}'s request for {value} and starts Phase 1 with ballot {ballot}, above every round it remembers. Prepare {ballot} goes to {}.",
            every_acceptor(sc.before.config().acceptors)
        ),
        Decision::Queued { client, running, working_for } => format!(
            "{node} is already running ballot {} for {}; it will answer {client} once a value is chosen.",
            ballot_or_nothing(running),
            working_for.map_or("its first request".into(), |v| v.to_string())
        ),
        Decision::RepliedAtOnce { client, value } => {
            format!("{node} already committed {value}, so it replies to {client} at once.")
        }
        Decision::PromiseCounted { ballot, from, have, need, reported } => {
            promise_counted(sc, node, ballot, from, have, need, reported)
        }
        Decision::QuorumOfPromises { ballot, have, own, source } => {
            quorum_of_promises(sc, node, ballot, have, own, source)
        }
        Decision::VoteCounted { ballot, have, need, .. } => {
            format!("{node} has {have} of the {need} votes it needs for ballot {ballot}.")
        }
        Decision::QuorumOfVotes { ballot, value, have } => quorum_of_votes(sc, node, ballot, value, have),
        Decision::Retry { old, ballot, cause } => retry(sc, node, old, ballot, cause),
        Decision::BackingOff { ballot, promised } => format!(
            "{} refused {node}'s ballot {ballot} because it promised {promised}. {node} backs off for a random time before retrying, giving {} a chance to finish.",
            who(from),
            promised.proposer
        ),
        Decision::Promised { ballot, previous, reported } => promised_text(node, ballot, previous, reported, from),
        Decision::Refused { kind, ballot, promised, nack } => refused(node, kind, ballot, promised, nack, from),
        Decision::Voted { ballot, value, promised } => match promised {
            Some(p) if ballot < p => format!(
                "{node} accepts {value} in ballot {ballot} even though it promised {p}: the rule is switched off, and this is unsafe."
            ),
            _ => format!(
                "{node} accepts {value} in ballot {ballot}, since it has promised nothing higher, and tells {} and every learner (Phase 2b).",
                who(from)
            ),
        },
        Decision::NotedCommit { value } => {
            let ballot = sc.msg.and_then(|m| m.msg.ballot());
            format!("{node} notes that {value} was committed in ballot {}.", ballot_or_nothing(ballot))
        }
        Decision::Tallied { ballot, value, have, need } => {
            format!("{node} counts {have} of the {need} votes it needs for {value} in ballot {ballot}.")
        }
        Decision::Learned { value, via } => learned(sc, node, value, via),
        Decision::Ignored { why } => ignored(sc, node, why, from),
        Decision::Log(d) => super::log::sentence(sc, node, &d),
    }
}

fn every_acceptor(n: u8) -> String {
    if n == 1 {
        "the only acceptor, A1".into()
    } else {
        format!("all {}", plural(n, "acceptor"))
    }
}

/// "2 of 3 acceptors", or "the only acceptor".
fn of_acceptors(have: u8, n: u8) -> String {
    if n == 1 {
        "the only acceptor".into()
    } else {
        format!("{have} of {n} acceptors")
    }
}

fn who(n: Option<NodeId>) -> String {
    n.map_or("the proposer".into(), |n| n.to_string())
}

fn heard(sc: &Scene, node: NodeId, value: Value, from: NodeId, (first, asked): (bool, bool)) -> String {
    // With a safety rule switched off a client can be told another value than the one it
    // heard first: "hears again" contradicted its card, which keeps the first.
    let kept = sc.after.known_outcome(node).filter(|k| *k != value);
    match (first, asked) {
        (false, _) => match kept {
            Some(k) => format!(
                "{node} heard {k} before, and now {from} says {value} was chosen: two values are decided, so agreement is broken. {node} keeps {k}."
            ),
            None => format!("{node} hears again from {from} that {value} was chosen."),
        },
        (true, true) => format!("{node} hears from {from} that {value} was chosen. Its request is answered."),
        (true, false) => format!(
            "{node} hears from {from} that {value} was chosen. It had not asked, but learners tell every client."
        ),
    }
}

fn promise_counted(
    sc: &Scene,
    node: NodeId,
    ballot: Ballot,
    from: NodeId,
    have: u8,
    need: u8,
    reported: Option<Proposal>,
) -> String {
    let n = sc.before.config().acceptors;
    let mut s = format!("{node} has promises from {} for ballot {ballot}; it needs {need}.", of_acceptors(have, n));
    if let Some(p) = reported {
        // The rule, not its outcome: "which P1 will have to respect" answered the predict
        // question asked at the next promise, and a higher vote reported later would override it.
        s += &format!(
            " {from} reports it already accepted {} in ballot {}. If that is the highest vote the majority's promises report, {node} must propose {}.",
            p.value, p.ballot, p.value
        );
    }
    s
}

fn names(bits: u16) -> Vec<String> {
    (0..16).filter(|a| bits & (1 << a) != 0).map(|a| format!("A{}", a + 1)).collect()
}

fn quorum_of_promises(sc: &Scene, node: NodeId, ballot: Ballot, have: u8, own: Value, source: Source) -> String {
    let value = source.value(own);
    let n = sc.before.config().acceptors;
    let mut head = format!("{node} now has promises from {}, a quorum, and enters Phase 2.", of_acceptors(have, n));
    if have < sc.after.majority() {
        head = format!(
            "{node} now has promises from {have} of {n} acceptors, which the broken quorum rule counts as enough (it is not a majority), and enters Phase 2."
        );
    }
    match source {
        Source::Adopted { proposal, reporters } => {
            let reporters = names(reporters);
            let who = match reporters.len() {
                0 => "an acceptor in its quorum reports it".to_string(),
                1 => format!("{} reports it", reporters[0]),
                _ => format!("{} report they", reporters.join(" and ")),
            };
            if own == value {
                format!("{head} It proposes {value}: {who} already accepted {value} in ballot {}, and its own client wants {value} too. Accept {ballot} {value} goes to every acceptor.", proposal.ballot)
            } else {
                format!(
                    "{head} {node} must propose {value}, not its client's {own}: {who} already accepted {value} in ballot {}. Accept {ballot} {value} goes to every acceptor.",
                    proposal.ballot
                )
            }
        }
        Source::OwnValue => format!("{head} No promise reported an accepted value, so {node} is free to propose its client's value: Accept {ballot} {value} goes to every acceptor."),
        Source::IgnoredReported { proposal } => format!(
            "{head} It ignores the reported {} from ballot {} (the rule is switched off) and proposes its own {value}. This is unsafe.",
            proposal.value, proposal.ballot
        ),
    }
}

fn quorum_of_votes(sc: &Scene, node: NodeId, ballot: Ballot, value: Value, have: u8) -> String {
    if have < sc.after.majority() {
        let head = format!(
            "{node} has {} for {value} in ballot {ballot}, which the broken quorum rule counts as enough, so it commits {value}. But {have} of {} acceptors is not a majority",
            plural(have, "vote"),
            sc.after.config().acceptors
        );
        // Other votes may have made it chosen all the same: the words must match the banner.
        if sc.after.chosen().is_some_and(|(_, v)| v == value) {
            format!("{head}: {node} cannot know {value} is chosen. It is, by votes {node} has not counted; with this rule it could as well have committed a value that is not.")
        } else {
            format!("{head}: {value} is not actually chosen.")
        }
    } else {
        format!(
            "{node} sees a majority accept {value} in ballot {ballot}, so it now knows {value} is chosen. Phase 3: it commits to every acceptor and learner and replies to its waiting clients."
        )
    }
}

fn retry(sc: &Scene, node: NodeId, old: Option<Ballot>, ballot: Ballot, cause: Cause) -> String {
    let old = ballot_or_nothing(old);
    match cause {
        Cause::Nack { from, promised } => format!(
            "{from} refused {node}'s ballot {old} because it promised {promised}. {node} retries at once with ballot {ballot}, above every round it remembers."
        ),
        Cause::Timeout if matches!(sc.step.command, Command::Timeout { .. }) => format!(
            "{node} times out because you told it to: it gives up on ballot {old} and retries with ballot {ballot}, above every round it remembers."
        ),
        Cause::Timeout => format!(
            "{node}'s timer fires: ballot {old} did not finish in time (lost messages, a crash or a rival ballot). It retries with ballot {ballot}."
        ),
        Cause::BackoffOver => {
            format!("{node}'s back-off is over: it tries again with ballot {ballot}, above every round it remembers.")
        }
    }
}

fn promised_text(
    node: NodeId,
    ballot: Ballot,
    previous: Option<Ballot>,
    reported: Option<Proposal>,
    from: Option<NodeId>,
) -> String {
    let last = previous.map_or(String::new(), |p| format!(" (its last promise was {p})"));
    let report = match reported {
        None => "It has accepted nothing, so the promise carries no value.".to_string(),
        Some(Proposal { ballot: pb, value }) => {
            format!("It reports its earlier vote, {value} in ballot {pb}, which {} must respect.", who(from))
        }
    };
    format!("{node} promises ballot {ballot}: it has promised nothing higher{last}. {report}")
}

fn refused(node: NodeId, kind: Kind, ballot: Ballot, promised: Ballot, nack: bool, from: Option<NodeId>) -> String {
    let to = who(from);
    match (kind == Kind::Prepare, nack) {
        (true, true) => format!(
            "{node} refuses Prepare {ballot}: it already promised {promised}. The Nack tells {to} to retry with a higher round."
        ),
        (true, false) => format!(
            "{node} ignores Prepare {ballot}: it already promised {promised}. Nacks are off, so {to} will only notice when its timer fires."
        ),
        (false, true) => format!(
            "{node} refuses Accept {ballot}: it has since promised {promised}. The Nack tells {to} to retry higher."
        ),
        (false, false) => format!("{node} ignores Accept {ballot}: it has since promised {promised}."),
    }
}

fn learned(sc: &Scene, node: NodeId, value: Value, via: Via) -> String {
    match via {
        Via::Votes { ballot, have } if have < sc.after.majority() => format!(
            "{node} learns {value} from {} in ballot {ballot}, which the broken quorum rule counts as enough; {have} of {} acceptors is not a majority. It tells every client.",
            plural(have, "vote"),
            sc.after.config().acceptors
        ),
        Via::Votes { ballot, .. } => format!(
            "{node} learns {value}: a majority of acceptors voted for it in ballot {ballot}. It tells every client."
        ),
        Via::Commit { from } => format!("{node} learns {value} from {from}'s Commit and tells every client."),
    }
}

/// A proposer's state in words, for "it is now …".
pub(super) fn phase_words(phase: Phase, ballot: Option<Ballot>) -> String {
    let b = ballot_or_nothing(ballot);
    match phase {
        Phase::Idle => "idle".into(),
        Phase::Preparing => format!("in Phase 1 with ballot {b}"),
        Phase::Accepting => format!("in Phase 2 with ballot {b}"),
        Phase::BackingOff => format!("backing off after ballot {b}"),
        Phase::Done => format!("done, having committed in ballot {b}"),
    }
}

fn ignored(sc: &Scene, node: NodeId, why: Why, from: Option<NodeId>) -> String {
    let sender = who(from);
    match why {
        Why::AlreadyPromised { ballot } => format!(
            "{node} ignores Prepare {ballot}: it already promised {ballot} and answered once. An acceptor promises only a ballot higher than every ballot it has promised."
        ),
        Why::AlreadyVotedIn { ballot } => format!(
            "{node} ignores Prepare {ballot}: it already voted in ballot {ballot}. An acceptor promises only a ballot higher than every ballot it has promised or voted in."
        ),
        Why::MovedOn { kind, ballot, current, phase } => {
            let now = phase_words(phase, current);
            match kind {
                Kind::Promise => format!("{node} ignores {sender}'s promise for ballot {ballot}: it is now {now}."),
                Kind::Accepted => format!("{node} ignores {sender}'s vote for ballot {ballot}: it is now {now}."),
                Kind::Nack => format!(
                    "{node} ignores this Nack: it is about ballot {ballot}, and {node} has moved on (it is now {now})."
                ),
                Kind::Request
                | Kind::Prepare
                | Kind::Accept
                | Kind::Commit
                | Kind::Reply
                | Kind::Announce
                | Kind::Redirect => {
                    format!("{node} ignores {} {ballot}: it is now {now}.", kind.title())
                }
            }
        }
        Why::AlreadyCounted { kind, from, ballot } => {
            let what = if kind == Kind::Promise { "promise" } else { "vote" };
            format!("{node} already counted {from}'s {what} for ballot {ballot}; a second copy changes nothing.")
        }
        // With a safety rule switched off, a node can be told a value other than the one it
        // learned; saying "confirms" then would contradict the picture.
        Why::AlreadyLearned { value } => match sc.msg.map(|m| m.msg) {
            Some(Msg::Commit { value: told, .. }) if told != value => format!(
                "{node} learned {value} before, and now {sender}'s Commit says {told}: two values are decided, so agreement is broken. {node} keeps {value}."
            ),
            Some(Msg::Accepted { value: told, .. }) if told != value => format!(
                "{node} learned {value} before, and now receives a vote for {told}; it keeps {value}."
            ),
            _ if from.is_some_and(|f| f.role == crate::paxos::Role::Proposer) => {
                format!("{node} already knew the outcome; {sender}'s Commit confirms it.")
            }
            _ => format!("{node} already knows the outcome; another vote changes nothing."),
        },
        Why::NoValue { ballot } => format!(
            "{node} has a quorum of promises for ballot {ballot} but no value to propose: it forgot its client's request in a crash."
        ),
        Why::NothingToRetry => format!("{node}'s timer fires, but it has no ballot in progress."),
        Why::NotForRole { kind } => format!("{node} does not handle {} messages; it ignores this one.", kind.title()),
    }
}
