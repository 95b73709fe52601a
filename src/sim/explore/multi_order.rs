//! The Multi-Paxos explorer's partial-order reduction (`Options::partial_order`): in the last
//! phase of a search, deliveries that cannot affect one another are tried in one order only.
//!
//! The last phase: no ballot may start, no node may crash or is down, no message may be dropped
//! or duplicated, and no client may retry. Every move left is a delivery, and a delivery changes
//! only its receiver (and the oracle's records of votes); deliveries to different nodes commute.
//! Three kinds of delivery also commute with every delivery to the same node, now and later:
//!
//! - **an Accept to an acceptor** when every message to that acceptor is an Accept of the same
//!   ballot, and every proposer that may still send Accepts (a candidate, or a leader while a
//!   Submit or Redirect is in flight) uses that ballot. Then all it will ever receive are
//!   Accepts of one ballot, which set its votes per slot and its promise to that ballot in any
//!   order. (No Prepare can be sent in the last phase: Prepares start ballots.)
//! - **a Prepare or Accept an acceptor refuses for good**: it promised the highest ballot there
//!   is, and none can start. It stays as it is and sends the same Nack whenever it comes.
//! - **an Accepted to the leader of its ballot** when no Nack can ever reach that leader: none
//!   is in flight, and no ballot above its own exists (no acceptor promised one, no proposer
//!   holds one, none is on the wire), nor an older ballot of its own on the wire. Accepteds of
//!   one ballot only add to a slot's count, and once the slot is chosen the rest are ignored;
//!   a Submit to the leader finds its slot or takes a free one either way. (Which acceptors were
//!   counted in a chosen slot is never read again, so the search forgets it: see
//!   `World::forget_counted_accepts`.)
//!
//! Such a move is independent of every other move on any path and stays enabled, so it is the
//! only move tried from its state; the search makes it at once, with every such move after
//! it, without storing the states on the way. Otherwise only the deliveries to a closed set of
//! nodes are tried ([`ample`]). These are the ample-set conditions (the moves tried are
//! persistent; a cycle passes through a fully expanded state), so every state without a move
//! stays reachable, and so does every breach: moves only add votes, whether two commands are
//! ever chosen in a slot, or one nobody asked for, depends only on the votes cast, and a
//! proposer commits or replies only what a quorum voted for. But a run to a breach can get
//! longer, so the search uses the reduction only to prove a correct log safe: for a config with
//! a rule switched off it is not used, and any breach it finds is searched for again without
//! it, for a shortest run.

use super::step::Action;
use crate::paxos::multi::{LogMsg, Stage};
use crate::paxos::{Ballot, Msg, NodeId, Role};
use crate::sim::network::InFlight;
use crate::sim::world::World;

/// The moves to try from `w` (in the last phase), a part of `all` (its deliveries), or `None`
/// for all of them: one delivery that commutes with everything, or else the deliveries to the
/// smallest set of nodes that no node outside it can ever send to ([`closed_set`]), unless
/// that set has a Redirect, or a Submit to a follower, to deliver.
///
/// No move is put off forever around a cycle (the cycle proviso): in the last phase every
/// delivery lowers, in this order, the proposers still preparing (no ballot starts, so each is
/// elected at most once), the free slots of leaders (a leader fills a slot once per ballot, and
/// a demoted one keeps none), or the messages weighed Prepare 3, Accept 2, any other 1 (each
/// delivery sends at most one lighter message, besides an election's or a new slot's Accepts),
/// except a Submit answered with a Redirect (only a follower redirects) and a Redirect answered
/// with a Submit. So a cycle is made only of those, and a state that has one to deliver is
/// expanded in full.
pub(super) fn ample(w: &World, all: &[Action]) -> Option<Vec<Action>> {
    let msg = |a: &Action| match a {
        Action::Deliver(k) => w.in_flight().get(*k as usize),
        Action::Drop(_)
        | Action::Duplicate(_)
        | Action::Crash(_)
        | Action::Restart(_)
        | Action::Reboot(_)
        | Action::Timeout(_) => None,
    };
    if let Some(a) = all.iter().find(|a| msg(a).is_some_and(|m| commutes_with_all(w, m))) {
        return Some(vec![*a]);
    }
    let mut best: Option<Vec<Action>> = None;
    let mut tried = 0u64;
    for seed in all.iter().filter_map(msg).map(|m| m.to) {
        if tried & bit(seed) != 0 {
            continue;
        }
        tried |= bit(seed);
        let set = closed_set(w, seed);
        let part: Vec<Action> = all.iter().copied().filter(|a| msg(a).is_some_and(|m| set & bit(m.to) != 0)).collect();
        let may_cycle = part.iter().filter_map(msg).any(|m| may_cycle(w, m));
        if !may_cycle && part.len() < best.as_ref().map_or(all.len(), Vec::len) {
            best = Some(part);
        }
    }
    best
}

/// Can delivering `m` be part of a cycle: a Redirect, or a Submit to a follower (which may
/// answer it with a Redirect)? See [`ample`].
fn may_cycle(w: &World, m: &InFlight) -> bool {
    match m.msg {
        Msg::Log(LogMsg::Redirect { .. }) => true,
        Msg::Log(LogMsg::Submit { .. }) => {
            w.log().and_then(|l| l.proposers.get(m.to.index as usize)).is_none_or(|p| p.stage == Stage::Follower)
        }
        _ => false,
    }
}

/// A node as one bit of a set (16 per role: more than any config holds).
fn bit(n: NodeId) -> u64 {
    1 << ((n.role as u64) * 16 + n.index as u64 % 16)
}

/// The smallest set of nodes holding `seed` and every node that may ever send a message to a
/// node in the set (in the last phase, without learners). Deliveries to nodes outside it touch
/// other nodes, and can never put a message on the wire for a node inside it, so until a
/// delivery inside it is made, everything outside it is independent of it: its deliveries are
/// a persistent set (the ample-set condition for a partial-order reduction).
fn closed_set(w: &World, seed: NodeId) -> u64 {
    let mut set = bit(seed);
    loop {
        let mut grown = set;
        for n in w.config().nodes().filter(|n| set & bit(*n) != 0) {
            grown |= senders(w, n);
        }
        if grown == set {
            return set;
        }
        set = grown;
    }
}

/// The nodes that may still send a message to `n`, in the last phase: no ballot starts (so no
/// Prepare is sent), no client retries, and learners, Commits and Replies are not part of the
/// search's state.
fn senders(w: &World, n: NodeId) -> u64 {
    let Some(log) = w.log() else { return u64::MAX };
    let wire = w.in_flight();
    match n.role {
        // Accepts come from a candidate once elected, or from a leader given a command (and
        // commands move only as Submits and Redirects); not counted, Accepts the acceptor will
        // refuse for good (they commute with all it receives: see `refused_for_good`).
        Role::Acceptor => {
            let commands_move =
                wire.iter().any(|o| matches!(o.msg, Msg::Log(LogMsg::Submit { .. } | LogMsg::Redirect { .. })));
            let promised = log.acceptors.get(n.index as usize).and_then(|a| a.promised);
            let top = promised.filter(|p| Some(*p) == top_ballot(w));
            log.proposers
                .iter()
                .filter(|p| p.stage == Stage::Preparing || (p.stage == Stage::Leading && commands_move))
                .filter(|p| top.is_none_or(|t| p.ballot.is_none_or(|b| b >= t)))
                .fold(0, |s, p| s | bit(p.id))
        }
        // An acceptor answers a Prepare or Accept of this proposer's. A client sends a command
        // where a Redirect tells it to: one in flight, or one a proposer will send for its
        // Submit (a follower's leader can change before then, so to any proposer).
        Role::Proposer => wire.iter().fold(0, |s, o| match (o.to.role, o.msg) {
            (Role::Acceptor, Msg::Log(LogMsg::LogPrepare { .. } | LogMsg::LogAccept { .. })) if o.from == n => {
                s | bit(o.to)
            }
            (Role::Client, Msg::Log(LogMsg::Redirect { .. })) => s | bit(o.to),
            (Role::Proposer, Msg::Log(LogMsg::Submit { .. })) if o.from.role == Role::Client => s | bit(o.from),
            _ => s,
        }),
        // A follower redirects a client's command.
        Role::Client => wire.iter().fold(0, |s, o| match o.msg {
            Msg::Log(LogMsg::Submit { .. }) if o.from == n => s | bit(o.to),
            _ => s,
        }),
        Role::Learner => 0,
    }
}

/// May message `m` (part of the search's state in `w`, in the last phase) be delivered as the
/// only move from `w`?
pub(super) fn commutes_with_all(w: &World, m: &InFlight) -> bool {
    match (m.to.role, m.msg) {
        (Role::Acceptor, Msg::Log(LogMsg::LogPrepare { ballot, .. })) => refused_for_good(w, m, ballot),
        (Role::Acceptor, Msg::Log(LogMsg::LogAccept { ballot, .. })) => {
            refused_for_good(w, m, ballot) || one_ballot_to(w, m, ballot)
        }
        (Role::Proposer, Msg::Log(LogMsg::LogAccepted { ballot, .. })) => no_nack_can_come(w, m, ballot),
        (Role::Client | Role::Proposer | Role::Acceptor | Role::Learner, _) => false,
    }
}

/// The highest ballot anywhere: held by a proposer, promised by an acceptor, or on the wire. In
/// the last phase no ballot starts, so none will ever be higher.
fn top_ballot(w: &World) -> Option<Ballot> {
    let log = w.log()?;
    let held = log.proposers.iter().filter_map(|p| p.ballot);
    let promised = log.acceptors.iter().filter_map(|a| a.promised);
    let wire = w.in_flight().iter().filter_map(|m| m.msg.ballot());
    held.chain(promised).chain(wire).max()
}

/// Has `m`'s acceptor promised the highest ballot there will ever be, above `ballot`, or as
/// high (a Prepare)? Then it refuses (or ignores) the message, now and later, without changing,
/// and the Nack it sends names that promise whenever it is sent.
fn refused_for_good(w: &World, m: &InFlight, ballot: Ballot) -> bool {
    let Some(a) = w.log().and_then(|l| l.acceptors.get(m.to.index as usize)) else { return false };
    let prepare = matches!(m.msg, Msg::Log(LogMsg::LogPrepare { .. }));
    a.promised.is_some_and(|p| (ballot < p || (prepare && ballot == p)) && Some(p) == top_ballot(w))
}

/// Is every message to `m`'s acceptor, now and to come, an Accept of `ballot`?
fn one_ballot_to(w: &World, m: &InFlight, ballot: Ballot) -> bool {
    let Some(log) = w.log() else { return false };
    let only_accepts = w
        .in_flight()
        .iter()
        .filter(|o| o.to == m.to)
        .all(|o| matches!(o.msg, Msg::Log(LogMsg::LogAccept { ballot: b, .. }) if b == ballot));
    // A leader sends new Accepts only for a command it is given, and commands move only as
    // Submits and Redirects (clients cannot retry in the last phase).
    let commands_move =
        w.in_flight().iter().any(|o| matches!(o.msg, Msg::Log(LogMsg::Submit { .. } | LogMsg::Redirect { .. })));
    let senders_agree = log.proposers.iter().all(|p| match p.stage {
        Stage::Follower => true,
        Stage::Preparing => p.ballot == Some(ballot),
        Stage::Leading => p.ballot == Some(ballot) || !commands_move,
    });
    only_accepts && senders_agree
}

/// Is `m`'s proposer the leader of `ballot`, with no Nack in flight to it and none to come?
fn no_nack_can_come(w: &World, m: &InFlight, ballot: Ballot) -> bool {
    let Some(log) = w.log() else { return false };
    let Some(p) = log.proposers.get(m.to.index as usize) else { return false };
    let leads = p.stage == Stage::Leading && p.ballot == Some(ballot);
    let no_higher = log.acceptors.iter().all(|a| a.promised.is_none_or(|b| b <= ballot))
        && log.proposers.iter().all(|q| q.ballot.is_none_or(|b| b <= ballot));
    let wire_ok = w.in_flight().iter().all(|o| match o.msg {
        Msg::Nack { .. } => o.to != m.to,
        Msg::Log(LogMsg::LogPrepare { ballot: b, .. } | LogMsg::LogAccept { ballot: b, .. }) => {
            b <= ballot && (o.from != m.to || b == ballot)
        }
        _ => true,
    });
    leads && no_higher && wire_ok
}
