//! What a lesson's words say happened at a step, as data the world can check. A beat's caption
//! is bound to a claim ("when A2 restarts", "when \"Y\" is chosen") and is shown on the step where
//! that claim holds; `tests/lessons.rs` replays every lesson and checks each one.

use crate::paxos::multi::{slot_name, Cmd, LogDecision, Slot};
use crate::paxos::{Decision, NodeId, Value};
use crate::sim::command::{Command, Event, Invariant, Step};
use crate::sim::world::World;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Something that happens at one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawClaim")]
pub enum Claim {
    /// A client asks for `value`.
    Asks {
        /// The client.
        client: NodeId,
        /// Its value.
        value: Value,
    },
    /// A proposer starts a ballot (its first, or a retry).
    Starts {
        /// The proposer.
        by: NodeId,
    },
    /// An acceptor promises.
    Promises {
        /// The acceptor.
        by: NodeId,
    },
    /// An acceptor refuses a Prepare or an Accept below its promise.
    Refuses {
        /// The acceptor.
        by: NodeId,
    },
    /// A proposer or learner counts a promise or a vote, short of a quorum.
    Counts {
        /// The node.
        by: NodeId,
    },
    /// A node ignores what reached it (a stale reply, a second Prepare, a late vote).
    Ignores {
        /// The node.
        by: NodeId,
    },
    /// A proposer reaches a quorum of promises and proposes `value`.
    Proposes {
        /// The proposer.
        by: NodeId,
        /// The value in its Accept.
        value: Value,
    },
    /// An acceptor accepts `value`.
    Accepts {
        /// The acceptor.
        by: NodeId,
        /// The value.
        value: Value,
    },
    /// `value` becomes chosen (the global view).
    Chosen {
        /// The value.
        value: Value,
    },
    /// A proposer sees a quorum of votes and commits `value`.
    Commits {
        /// The proposer.
        by: NodeId,
        /// The value.
        value: Value,
    },
    /// A learner or a client learns `value`.
    Learns {
        /// Who.
        node: NodeId,
        /// What.
        value: Value,
    },
    /// A message, to `to`, never arrives (dropped, lost, or blocked by a crash or a partition).
    Lost {
        /// Its receiver.
        to: NodeId,
    },
    /// A second copy of a message is put on the wire.
    Duplicated,
    /// A node crashes.
    Crashes {
        /// The node.
        node: NodeId,
    },
    /// A node restarts.
    Restarts {
        /// The node.
        node: NodeId,
        /// Whether it lost its disk too.
        amnesia: bool,
    },
    /// A proposer's timer fires.
    TimesOut {
        /// The proposer.
        node: NodeId,
    },
    /// A client now believes `leader` leads.
    Follows {
        /// The client.
        client: NodeId,
        /// The proposer.
        leader: NodeId,
    },
    /// The network splits.
    Splits,
    /// The network heals.
    Heals,
    /// A setting of the network or the proposers changes (loss, latency, back-off, amnesia).
    Setting,
    /// A safety property breaks.
    Breaks {
        /// Which.
        invariant: Invariant,
    },
    // added for lessons 7-12
    /// A refused proposer waits a random back-off before its next ballot, instead of retrying at
    /// once.
    BacksOff {
        /// The proposer.
        by: NodeId,
    },
    // Multi-Paxos
    /// `value` becomes chosen in `slot` (0-based; the global view).
    SlotChosen {
        /// The slot.
        slot: Slot,
        /// The command.
        value: Cmd,
    },
    /// A proposer's Phase 1 ends with a quorum: it leads.
    Leads {
        /// The proposer.
        by: NodeId,
    },
    /// A leader gives a new command a slot, with no Phase 1.
    Assigns {
        /// The leader.
        by: NodeId,
        /// The slot.
        slot: Slot,
    },
    /// An acceptor votes in a slot.
    Votes {
        /// The acceptor.
        by: NodeId,
        /// The slot.
        slot: Slot,
    },
    /// A learner or client applies a slot.
    Applies {
        /// Who.
        node: NodeId,
        /// The slot.
        slot: Slot,
    },
    /// A leader is preempted and steps down.
    StepsDown {
        /// The proposer.
        by: NodeId,
    },
    /// A follower redirects a client to the leader it believes in.
    Redirects {
        /// The proposer.
        by: NodeId,
    },
    /// A learner that knows a slot above a gap asks a proposer for the slots it is missing.
    AsksForGap {
        /// The learner.
        by: NodeId,
    },
}

fn log_decided(step: &Step, who: NodeId, f: impl Fn(&LogDecision) -> bool) -> bool {
    decided(step, who, |d| matches!(d, Decision::Log(l) if f(l)))
}

/// A claim as it appears in JSON: a `type` and the fields that type takes, read flat and then
/// checked (as commands are: far smaller in the browser build than serde's tagged enums).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    #[serde(rename = "type")]
    kind: String,
    client: Option<NodeId>,
    value: Option<Value>,
    by: Option<NodeId>,
    to: Option<NodeId>,
    node: Option<NodeId>,
    amnesia: Option<bool>,
    leader: Option<NodeId>,
    invariant: Option<Invariant>,
}

impl TryFrom<RawClaim> for Claim {
    type Error = String;

    fn try_from(r: RawClaim) -> Result<Self, String> {
        let kind = r.kind.as_str();
        let need = |name: &str| format!("a {kind:?} claim needs a {name:?} field");
        let present = [
            ("client", r.client.is_some()),
            ("value", r.value.is_some()),
            ("by", r.by.is_some()),
            ("to", r.to.is_some()),
            ("node", r.node.is_some()),
            ("amnesia", r.amnesia.is_some()),
            ("leader", r.leader.is_some()),
            ("invariant", r.invariant.is_some()),
        ];
        let by = || r.by.ok_or_else(|| need("by"));
        let node = || r.node.ok_or_else(|| need("node"));
        let value = || r.value.ok_or_else(|| need("value"));
        let (claim, takes): (Claim, &[&str]) = match kind {
            "asks" => {
                (Claim::Asks { client: r.client.ok_or_else(|| need("client"))?, value: value()? }, &["client", "value"])
            }
            "starts" => (Claim::Starts { by: by()? }, &["by"]),
            "promises" => (Claim::Promises { by: by()? }, &["by"]),
            "refuses" => (Claim::Refuses { by: by()? }, &["by"]),
            "counts" => (Claim::Counts { by: by()? }, &["by"]),
            "ignores" => (Claim::Ignores { by: by()? }, &["by"]),
            "proposes" => (Claim::Proposes { by: by()?, value: value()? }, &["by", "value"]),
            "accepts" => (Claim::Accepts { by: by()?, value: value()? }, &["by", "value"]),
            "chosen" => (Claim::Chosen { value: value()? }, &["value"]),
            "commits" => (Claim::Commits { by: by()?, value: value()? }, &["by", "value"]),
            "learns" => (Claim::Learns { node: node()?, value: value()? }, &["node", "value"]),
            "lost" => (Claim::Lost { to: r.to.ok_or_else(|| need("to"))? }, &["to"]),
            "duplicated" => (Claim::Duplicated, &[]),
            "crashes" => (Claim::Crashes { node: node()? }, &["node"]),
            "restarts" => (
                Claim::Restarts { node: node()?, amnesia: r.amnesia.ok_or_else(|| need("amnesia"))? },
                &["node", "amnesia"],
            ),
            "times_out" => (Claim::TimesOut { node: node()? }, &["node"]),
            "follows" => (
                Claim::Follows {
                    client: r.client.ok_or_else(|| need("client"))?,
                    leader: r.leader.ok_or_else(|| need("leader"))?,
                },
                &["client", "leader"],
            ),
            "splits" => (Claim::Splits, &[]),
            "heals" => (Claim::Heals, &[]),
            "setting" => (Claim::Setting, &[]),
            "breaks" => (Claim::Breaks { invariant: r.invariant.ok_or_else(|| need("invariant"))? }, &["invariant"]),
            "backs_off" => (Claim::BacksOff { by: by()? }, &["by"]),
            other => return Err(format!("unknown claim type {other:?}")),
        };
        match present.iter().find(|(n, p)| *p && !takes.contains(n)) {
            Some((extra, _)) => Err(format!("a {kind:?} claim does not take a {extra:?} field")),
            None => Ok(claim),
        }
    }
}

impl Claim {
    /// The nodes a claim names; each must exist in the lesson's cluster.
    pub fn nodes(&self) -> Vec<NodeId> {
        match *self {
            Claim::Asks { client, .. } => vec![client],
            Claim::Follows { client, leader } => vec![client, leader],
            Claim::Starts { by }
            | Claim::Promises { by }
            | Claim::Refuses { by }
            | Claim::Counts { by }
            | Claim::Ignores { by }
            | Claim::Proposes { by, .. }
            | Claim::Accepts { by, .. }
            | Claim::Commits { by, .. }
            | Claim::BacksOff { by }
            | Claim::Leads { by }
            | Claim::Assigns { by, .. }
            | Claim::Votes { by, .. }
            | Claim::StepsDown { by }
            | Claim::Redirects { by }
            | Claim::AsksForGap { by } => vec![by],
            Claim::Applies { node, .. } => vec![node],
            Claim::SlotChosen { .. } => vec![],
            Claim::Learns { node, .. }
            | Claim::Crashes { node }
            | Claim::Restarts { node, .. }
            | Claim::TimesOut { node } => vec![node],
            Claim::Lost { to } => vec![to],
            Claim::Chosen { .. }
            | Claim::Duplicated
            | Claim::Splits
            | Claim::Heals
            | Claim::Setting
            | Claim::Breaks { .. } => vec![],
        }
    }
}

fn decided(step: &Step, who: NodeId, f: impl Fn(&Decision) -> bool) -> bool {
    step.decisions().any(|(n, d)| n == who && f(d))
}

impl Claim {
    /// Does the claim hold at `step`, which led from `before` to `after`?
    pub fn holds(&self, before: &World, step: &Step, after: &World) -> bool {
        let ev = &step.events;
        match *self {
            Claim::Asks { client, value } => decided(step, client, |d| {
                matches!(d, Decision::Asked { value: v, .. } if *v == value)
                    || matches!(d, Decision::Log(LogDecision::Submitted { value: c, .. }) if c.value() == Some(value))
            }),
            Claim::Starts { by } => decided(step, by, |d| d.started().is_some()),
            Claim::Promises { by } => decided(step, by, |d| {
                matches!(d, Decision::Promised { .. } | Decision::Log(LogDecision::Promised { .. }))
            }),
            Claim::Refuses { by } => decided(step, by, |d| matches!(d, Decision::Refused { .. })),
            Claim::Ignores { by } => decided(step, by, |d| matches!(d, Decision::Ignored { .. })),
            Claim::Counts { by } => decided(step, by, |d| {
                matches!(d, Decision::PromiseCounted { .. } | Decision::VoteCounted { .. } | Decision::Tallied { .. })
            }),
            Claim::Proposes { by, value } => decided(
                step,
                by,
                |d| matches!(d, Decision::QuorumOfPromises { own, source, .. } if source.value(*own) == value),
            ),
            Claim::Accepts { by, value } => {
                decided(step, by, |d| matches!(d, Decision::Voted { value: v, .. } if *v == value))
            }
            Claim::Chosen { value } => ev.iter().any(|e| matches!(e, Event::Chosen { value: v, .. } if *v == value)),
            Claim::Commits { by, value } => {
                decided(step, by, |d| matches!(d, Decision::QuorumOfVotes { value: v, .. } if *v == value))
            }
            Claim::Learns { node, value } => {
                ev.iter().any(|e| matches!(e, Event::Learned { node: n, value: v } if *n == node && *v == value))
            }
            Claim::Lost { to } => ev.iter().any(|e| {
                if let Event::Dropped { id, .. } = e {
                    before.message(*id).is_some_and(|m| m.to == to)
                } else {
                    false
                }
            }),
            Claim::Duplicated => ev.iter().any(|e| matches!(e, Event::Duplicated { .. })),
            Claim::Crashes { node } => ev.iter().any(|e| matches!(e, Event::Crashed { node: n } if *n == node)),
            Claim::Restarts { node, amnesia } => {
                ev.iter().any(|e| matches!(e, Event::Restarted { node: n, amnesia: a } if *n == node && *a == amnesia))
            }
            Claim::TimesOut { node } => ev.iter().any(|e| matches!(e, Event::TimedOut { node: n } if *n == node)),
            Claim::Follows { client, leader } => after.client_leader(client) == leader,
            Claim::Splits => after.is_partitioned() && matches!(step.command, Command::Partition { .. }),
            Claim::Heals => !after.is_partitioned() && matches!(step.command, Command::Heal),
            Claim::Setting => matches!(
                step.command,
                Command::SetLoss { .. }
                    | Command::SetDuplicate { .. }
                    | Command::SetLatency { .. }
                    | Command::SetAmnesia { .. }
                    | Command::SetBackoff { .. }
            ),
            Claim::Breaks { invariant } => {
                ev.iter().any(|e| matches!(e, Event::Violated { invariant: i, .. } if *i == invariant))
            }
            Claim::BacksOff { by } => decided(step, by, |d| matches!(d, Decision::BackingOff { .. })),
            Claim::SlotChosen { slot, value } => {
                ev.iter().any(|e| matches!(e, Event::SlotChosen { slot: s, value: v, .. } if *s == slot && *v == value))
            }
            Claim::Leads { by } => log_decided(step, by, |d| matches!(d, LogDecision::Elected { .. })),
            Claim::Assigns { by, slot } => {
                log_decided(step, by, |d| matches!(d, LogDecision::Assigned { slot: s, .. } if *s == slot))
            }
            Claim::Votes { by, slot } => {
                log_decided(step, by, |d| matches!(d, LogDecision::Voted { slot: s, .. } if *s == slot))
            }
            Claim::Applies { node, slot } => {
                ev.iter().any(|e| matches!(e, Event::Applied { node: n, slot: s, .. } if *n == node && *s == slot))
            }
            Claim::StepsDown { by } => log_decided(step, by, |d| matches!(d, LogDecision::Demoted { .. })),
            Claim::Redirects { by } => log_decided(step, by, |d| matches!(d, LogDecision::Redirect { .. })),
            Claim::AsksForGap { by } => log_decided(step, by, |d| {
                matches!(d, LogDecision::AskedForGap { .. } | LogDecision::Learned { asked: true, .. })
            }),
        }
    }
}

impl Claim {
    /// Every claim that holds at a step, the most telling first: what a caption written for this
    /// step is most likely about. Authoring offers the first one.
    pub fn all_at(before: &World, step: &Step, after: &World) -> Vec<Claim> {
        let mut out = Vec::new();
        for e in &step.events {
            if let Event::Violated { invariant, .. } = e {
                out.push(Claim::Breaks { invariant: *invariant });
            }
        }
        for e in &step.events {
            if let Event::Chosen { value, .. } = e {
                out.push(Claim::Chosen { value: *value });
            }
            if let Event::SlotChosen { slot, value, .. } = e {
                out.push(Claim::SlotChosen { slot: *slot, value: *value });
            }
        }
        for e in &step.events {
            if let Event::Learned { node, value } = e {
                out.push(Claim::Learns { node: *node, value: *value });
            }
            if let Event::Applied { node, slot, .. } = e {
                out.push(Claim::Applies { node: *node, slot: *slot });
            }
        }
        for (n, d) in step.decisions() {
            out.extend(Claim::of_decision(n, d));
        }
        for e in &step.events {
            match e {
                Event::Crashed { node } => out.push(Claim::Crashes { node: *node }),
                Event::Restarted { node, amnesia } => out.push(Claim::Restarts { node: *node, amnesia: *amnesia }),
                Event::TimedOut { node } => out.push(Claim::TimesOut { node: *node }),
                Event::Dropped { id, .. } => out.extend(before.message(*id).map(|m| Claim::Lost { to: m.to })),
                Event::Duplicated { .. } => out.push(Claim::Duplicated),
                Event::Decided { .. }
                | Event::Sent { .. }
                | Event::Delivered { .. }
                | Event::Chosen { .. }
                | Event::SlotChosen { .. }
                | Event::Applied { .. }
                | Event::Learned { .. }
                | Event::Rejected { .. }
                | Event::Violated { .. } => {}
            }
        }
        match &step.command {
            Command::Partition { .. } => out.push(Claim::Splits),
            Command::Heal => out.push(Claim::Heals),
            Command::SetLeader { client, leader } => out.push(Claim::Follows { client: *client, leader: *leader }),
            Command::SetLoss { .. }
            | Command::SetDuplicate { .. }
            | Command::SetLatency { .. }
            | Command::SetAmnesia { .. }
            | Command::SetBackoff { .. } => out.push(Claim::Setting),
            Command::Request { .. }
            | Command::Deliver { .. }
            | Command::Drop { .. }
            | Command::Duplicate { .. }
            | Command::Crash { .. }
            | Command::Restart { .. }
            | Command::Timeout { .. }
            | Command::Tick => {}
        }
        debug_assert!(out.iter().all(|c| c.holds(before, step, after)));
        out
    }

    fn of_decision(n: NodeId, d: &Decision) -> Option<Claim> {
        Some(match *d {
            Decision::Asked { value, .. } => Claim::Asks { client: n, value },
            Decision::Began { .. } | Decision::Retry { .. } => Claim::Starts { by: n },
            Decision::Promised { .. } => Claim::Promises { by: n },
            Decision::Refused { .. } => Claim::Refuses { by: n },
            Decision::QuorumOfPromises { own, source, .. } => Claim::Proposes { by: n, value: source.value(own) },
            Decision::Voted { value, .. } => Claim::Accepts { by: n, value },
            Decision::QuorumOfVotes { value, .. } => Claim::Commits { by: n, value },
            Decision::PromiseCounted { .. } | Decision::VoteCounted { .. } | Decision::Tallied { .. } => {
                Claim::Counts { by: n }
            }
            Decision::Ignored { .. } => Claim::Ignores { by: n },
            Decision::BackingOff { .. } => Claim::BacksOff { by: n },
            Decision::Log(l) => return Claim::of_log(n, &l),
            // Told by the events they cause (a learned value) or too small to caption alone.
            Decision::Heard { .. }
            | Decision::Queued { .. }
            | Decision::RepliedAtOnce { .. }
            | Decision::NotedCommit { .. }
            | Decision::Learned { .. } => return None,
        })
    }
}

impl Claim {
    fn of_log(n: NodeId, d: &LogDecision) -> Option<Claim> {
        Some(match *d {
            LogDecision::Submitted { value, .. } => Claim::Asks { client: n, value: value.value()? },
            LogDecision::Campaign { .. } => Claim::Starts { by: n },
            LogDecision::Promised { .. } => Claim::Promises { by: n },
            LogDecision::Voted { slot, .. } => Claim::Votes { by: n, slot },
            LogDecision::Elected { .. } => Claim::Leads { by: n },
            LogDecision::Assigned { slot, .. } => Claim::Assigns { by: n, slot },
            LogDecision::Demoted { .. } => Claim::StepsDown { by: n },
            LogDecision::Redirect { .. } => Claim::Redirects { by: n },
            LogDecision::AskedForGap { .. } | LogDecision::Learned { asked: true, .. } => Claim::AsksForGap { by: n },
            LogDecision::PromiseCounted { .. } | LogDecision::VoteCounted { .. } | LogDecision::Tallied { .. } => {
                Claim::Counts { by: n }
            }
            LogDecision::Stale { .. } | LogDecision::AlreadyCounted { .. } | LogDecision::AlreadyKnown { .. } => {
                Claim::Ignores { by: n }
            }
            LogDecision::Replied { .. }
            | LogDecision::Redirected { .. }
            | LogDecision::Applied { .. }
            | LogDecision::Queued { .. }
            | LogDecision::Known { .. }
            | LogDecision::Full { .. }
            | LogDecision::SlotChosen { .. }
            | LogDecision::Resent { .. }
            | LogDecision::Retransmit { .. }
            | LogDecision::NotedCommit { .. }
            | LogDecision::Learned { .. } => return None,
        })
    }
}

impl fmt::Display for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Claim::Asks { client, value } => write!(f, "{client} asks for {value}"),
            Claim::Starts { by } => write!(f, "{by} starts a ballot"),
            Claim::Promises { by } => write!(f, "{by} promises"),
            Claim::Refuses { by } => write!(f, "{by} refuses"),
            Claim::Ignores { by } => write!(f, "{by} ignores what arrives"),
            Claim::Counts { by } => write!(f, "{by} counts a promise or vote"),
            Claim::Proposes { by, value } => write!(f, "{by} proposes {value}"),
            Claim::Accepts { by, value } => write!(f, "{by} accepts {value}"),
            Claim::Chosen { value } => write!(f, "{value} is chosen"),
            Claim::Commits { by, value } => write!(f, "{by} commits {value}"),
            Claim::Learns { node, value } => write!(f, "{node} learns {value}"),
            Claim::Lost { to } => write!(f, "a message to {to} is lost"),
            Claim::Duplicated => write!(f, "a message is duplicated"),
            Claim::Crashes { node } => write!(f, "{node} crashes"),
            Claim::Restarts { node, amnesia: false } => write!(f, "{node} restarts"),
            Claim::Restarts { node, amnesia: true } => write!(f, "{node} restarts with amnesia"),
            Claim::TimesOut { node } => write!(f, "{node} times out"),
            Claim::Follows { client, leader } => write!(f, "{client} follows {leader}"),
            Claim::Splits => write!(f, "the network splits"),
            Claim::Heals => write!(f, "the network heals"),
            Claim::Setting => write!(f, "a setting changes"),
            Claim::Breaks { invariant } => write!(f, "safety breaks ({})", invariant.statement()),
            Claim::BacksOff { by } => write!(f, "{by} backs off"),
            Claim::SlotChosen { slot, value } => write!(f, "{value} is chosen in slot {}", slot_name(*slot)),
            Claim::Leads { by } => write!(f, "{by} becomes the leader"),
            Claim::Assigns { by, slot } => write!(f, "{by} assigns slot {}", slot_name(*slot)),
            Claim::Votes { by, slot } => write!(f, "{by} accepts in slot {}", slot_name(*slot)),
            Claim::Applies { node, slot } => write!(f, "{node} applies slot {}", slot_name(*slot)),
            Claim::StepsDown { by } => write!(f, "{by} steps down"),
            Claim::Redirects { by } => write!(f, "{by} redirects a client"),
            Claim::AsksForGap { by } => write!(f, "{by} asks for the slots it is missing"),
        }
    }
}
