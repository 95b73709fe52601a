//! "Your turn" goals: what the student is asked to make happen, as a predicate over the run since
//! the turn began. The app checks the goal after every step and says whether it was reached, and
//! why (or what is still missing).

use crate::paxos::{Ballot, Decision, NodeId, Value};
use crate::sim::command::{Event, Step};
use crate::sim::world::World;
use serde::{Deserialize, Serialize};

/// A goal, checkable on any run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawGoal")]
pub enum Goal {
    /// Some value is chosen (or `value`, when given).
    Chosen {
        /// The value that must be chosen, if any particular one.
        #[serde(default)]
        value: Option<Value>,
    },
    /// A value is chosen at a step when `node` is down.
    ChosenWhileDown {
        /// The node that must be down.
        node: NodeId,
    },
    /// `client` hears that `value` was chosen.
    Heard {
        /// The client.
        client: NodeId,
        /// The value.
        value: Value,
    },
    /// `node` (a learner) learns `value`.
    Learned {
        /// The learner.
        node: NodeId,
        /// The value.
        value: Value,
    },
    /// Two acceptors hold different accepted values at the same time.
    AcceptorsDisagree,
    /// An acceptor refuses a ballot at or above `ballot`.
    Refused {
        /// The lowest ballot that counts.
        ballot: Ballot,
    },
    /// A proposer reaches round `round` or higher.
    Round {
        /// The proposer.
        proposer: NodeId,
        /// The round.
        round: u32,
    },
    /// A safety property breaks (possible only with a rule switched off or amnesia).
    SafetyBreaks,
    /// Multi-Paxos: `node` (a learner or client) has applied the log from s1 up to `slots` slots.
    Applied {
        /// The learner or client.
        node: NodeId,
        /// How many slots, from s1, with no gap.
        slots: u8,
    },
}

/// A goal as it appears in JSON, read flat and then checked (see `RawClaim` for why).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    value: Option<Value>,
    node: Option<NodeId>,
    client: Option<NodeId>,
    ballot: Option<Ballot>,
    proposer: Option<NodeId>,
    round: Option<u32>,
    slots: Option<u8>,
}

impl TryFrom<RawGoal> for Goal {
    type Error = String;

    fn try_from(r: RawGoal) -> Result<Self, String> {
        let kind = r.kind.as_str();
        let need = |name: &str| format!("a {kind:?} goal needs a {name:?} field");
        let present = [
            ("value", r.value.is_some()),
            ("node", r.node.is_some()),
            ("client", r.client.is_some()),
            ("ballot", r.ballot.is_some()),
            ("proposer", r.proposer.is_some()),
            ("round", r.round.is_some()),
            ("slots", r.slots.is_some()),
        ];
        let node = || r.node.ok_or_else(|| need("node"));
        let value = || r.value.ok_or_else(|| need("value"));
        let (goal, takes): (Goal, &[&str]) = match kind {
            "chosen" => (Goal::Chosen { value: r.value }, &["value"]),
            "chosen_while_down" => (Goal::ChosenWhileDown { node: node()? }, &["node"]),
            "heard" => {
                (Goal::Heard { client: r.client.ok_or_else(|| need("client"))?, value: value()? }, &["client", "value"])
            }
            "learned" => (Goal::Learned { node: node()?, value: value()? }, &["node", "value"]),
            "acceptors_disagree" => (Goal::AcceptorsDisagree, &[]),
            "refused" => (Goal::Refused { ballot: r.ballot.ok_or_else(|| need("ballot"))? }, &["ballot"]),
            "round" => (
                Goal::Round {
                    proposer: r.proposer.ok_or_else(|| need("proposer"))?,
                    round: r.round.ok_or_else(|| need("round"))?,
                },
                &["proposer", "round"],
            ),
            "safety_breaks" => (Goal::SafetyBreaks, &[]),
            "applied" => {
                (Goal::Applied { node: node()?, slots: r.slots.ok_or_else(|| need("slots"))? }, &["node", "slots"])
            }
            other => return Err(format!("unknown goal type {other:?}")),
        };
        match present.iter().find(|(n, p)| *p && !takes.contains(n)) {
            Some((extra, _)) => Err(format!("a {kind:?} goal does not take a {extra:?} field")),
            None => Ok(goal),
        }
    }
}

/// Where the student stands on a goal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Reached?
    pub reached: bool,
    /// Why it was reached, or what is still missing, in a sentence.
    pub why: String,
}

/// What a client hears and a learner learns is final: a goal for another value can no longer be
/// reached on this run, and "Not yet." alone promised more steps would help.
const OUT_OF_REACH: &str = " That is final, so this run can no longer reach the goal: step back to before it.";

fn reached(why: String) -> Progress {
    Progress { reached: true, why }
}
fn not_yet(why: String) -> Progress {
    Progress { reached: false, why }
}

impl Goal {
    /// Checks the goal against the steps taken since the turn began (`start` is the world then,
    /// `now` the world after `since`).
    pub fn check(&self, start: &World, since: &[Step], now: &World) -> Progress {
        let events = || since.iter().flat_map(|s| s.events.iter());
        match *self {
            Goal::Chosen { value } => {
                let chosen = now.oracle().chosen();
                match (value, chosen.first()) {
                    (None, Some((b, v))) => reached(format!("{v} is chosen in ballot {b}.")),
                    (Some(want), _) if chosen.iter().any(|(_, v)| *v == want) => {
                        reached(format!("{want} is chosen: a majority of acceptors accepted it in one ballot."))
                    }
                    (Some(want), Some((_, v))) => not_yet(format!("{v} is chosen; {want} is not, yet.")),
                    (_, None) => not_yet("Nothing is chosen yet: no majority of acceptors accepted one value.".into()),
                }
            }
            Goal::ChosenWhileDown { node } => chosen_while_down(start, since, now, node),
            Goal::Heard { client, value } => match now.clients()[client.index as usize].outcome {
                Some(v) if v == value => reached(format!("{client} heard that {value} was chosen.")),
                Some(v) => not_yet(format!("{client} heard {v}, not {value}.{OUT_OF_REACH}")),
                None => not_yet(format!("{client} has not heard an outcome yet.")),
            },
            Goal::Learned { node, value } => match now.learners()[node.index as usize].learned {
                Some(v) if v == value => reached(format!("{node} learned {value}.")),
                Some(v) => not_yet(format!("{node} learned {v}, not {value}.{OUT_OF_REACH}")),
                None => not_yet(format!("{node} has not learned anything yet.")),
            },
            Goal::AcceptorsDisagree => disagree(now),
            Goal::Refused { ballot } => {
                let refused = since.iter().flat_map(|s| s.decisions()).find_map(|(n, d)| {
                    if let Decision::Refused { ballot: b, promised, .. } = *d {
                        (b >= ballot).then_some((n, b, promised))
                    } else {
                        None
                    }
                });
                match refused {
                    Some((n, b, p)) => reached(format!("{n} refused ballot {b}: it had promised {p}.")),
                    None => not_yet(format!("No acceptor has refused a ballot of {ballot} or higher yet.")),
                }
            }
            Goal::Round { proposer, round } => {
                let r = now.proposers()[proposer.index as usize].max_round;
                if r >= round {
                    reached(format!("{proposer} has reached round {r}."))
                } else {
                    not_yet(format!("{proposer} is at round {r}; the goal is round {round}."))
                }
            }
            Goal::SafetyBreaks => match events().find_map(|e| {
                if let Event::Violated { detail, .. } = e {
                    Some(detail.clone())
                } else {
                    None
                }
            }) {
                Some(d) => reached(format!("Safety broke: {d}")),
                None => not_yet("Every safety property still holds.".into()),
            },
            Goal::Applied { node, slots } => applied(now, node, slots),
        }
    }

    /// The goal in words, for the "your turn" card.
    pub fn describe(&self) -> String {
        match self {
            Goal::Chosen { value: None } => "get a value chosen".into(),
            Goal::Chosen { value: Some(v) } => format!("get {v} chosen"),
            Goal::ChosenWhileDown { node } => format!("get a value chosen while {node} is down"),
            Goal::Heard { client, value } => format!("make {client} hear that {value} was chosen"),
            Goal::Learned { node, value } => format!("make {node} learn {value}"),
            Goal::AcceptorsDisagree => "make two acceptors hold different accepted values".into(),
            Goal::Refused { ballot } => format!("get an acceptor to refuse a ballot of {ballot} or higher"),
            Goal::Round { proposer, round } => format!("push {proposer} to round {round}"),
            Goal::SafetyBreaks => "break safety".into(),
            Goal::Applied { node, slots } => format!("make {node} apply {}", span(*slots)),
        }
    }

    /// The nodes a goal names; each must exist in the lesson's cluster.
    pub fn nodes(&self) -> Vec<NodeId> {
        match *self {
            Goal::ChosenWhileDown { node } | Goal::Learned { node, .. } | Goal::Applied { node, .. } => vec![node],
            Goal::Heard { client, .. } => vec![client],
            Goal::Round { proposer, .. } => vec![proposer],
            Goal::Refused { ballot } => vec![ballot.proposer],
            Goal::Chosen { .. } | Goal::AcceptorsDisagree | Goal::SafetyBreaks => vec![],
        }
    }
}

fn chosen_while_down(start: &World, since: &[Step], now: &World, node: NodeId) -> Progress {
    let mut down = !start.is_up(node);
    for s in since {
        for e in &s.events {
            if let Event::Crashed { node: n } = e {
                down |= *n == node;
            }
            if let Event::Restarted { node: n, .. } = e {
                down &= *n != node;
            }
            if let (Event::Chosen { value, ballot }, true) = (e, down) {
                return reached(format!("{value} was chosen in ballot {ballot} while {node} was down."));
            }
        }
    }
    match (now.is_up(node), now.chosen()) {
        (_, Some((_, v))) => not_yet(format!("{v} was chosen, but not while {node} was down.")),
        (true, None) => not_yet(format!("{node} is up. Crash it first (click it), then get a value chosen.")),
        (false, None) => not_yet(format!("{node} is down, but nothing is chosen yet.")),
    }
}

fn disagree(now: &World) -> Progress {
    let votes: Vec<(usize, Value)> =
        now.acceptors().iter().enumerate().filter_map(|(i, a)| a.accepted.map(|p| (i, p.value))).collect();
    for (i, v) in &votes {
        if let Some((j, w)) = votes.iter().find(|(_, w)| w != v) {
            return reached(format!("A{} holds {v} and A{} holds {w}.", i + 1, j + 1));
        }
    }
    not_yet("Every acceptor that has accepted something holds the same value.".into())
}

/// `s1` or `s1–s4`.
fn span(slots: u8) -> String {
    match slots {
        0 | 1 => "s1".into(),
        n => format!("s1–s{n}"),
    }
}

fn applied(now: &World, node: NodeId, slots: u8) -> Progress {
    let Some(log) = now.log() else {
        return not_yet("This goal is about a Multi-Paxos log, and this cluster runs single-decree Paxos.".into());
    };
    let have = match node.role {
        crate::paxos::Role::Learner => log.learners.get(node.index as usize).map(|l| l.applied),
        crate::paxos::Role::Client => log.clients.get(node.index as usize).map(|c| c.applied),
        crate::paxos::Role::Proposer | crate::paxos::Role::Acceptor => None,
    };
    match have {
        Some(n) if n >= slots => reached(format!("{node} has applied {} with no gap.", span(n))),
        Some(0) => not_yet(format!("{node} has applied nothing yet; the goal is {}.", span(slots))),
        Some(n) => not_yet(format!("{node} has applied {}; the goal is {}.", span(n), span(slots))),
        None => not_yet(format!("{node} applies no log: only learners and clients do.")),
    }
}
