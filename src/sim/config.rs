//! The cluster's shape and the network's behaviour, with the limits a user may set.

use crate::paxos::{Ctx, NodeId, Role, Switch};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Inclusive limits per role: (min, max).
pub const LIMITS: [(Role, u8, u8); 4] =
    [(Role::Client, 1, 3), (Role::Proposer, 1, 5), (Role::Acceptor, 1, 9), (Role::Learner, 1, 5)];
/// Latency bounds in ticks.
pub const MAX_LATENCY: u32 = 50;
/// The highest duplicate probability; above it, copies of copies would never die out.
pub const MAX_DUPLICATE_PERCENT: u8 = 50;
/// Proposer timeout bounds in ticks.
pub const TIMEOUT_RANGE: (u32, u32) = (5, 1000);

/// Which protocol the cluster runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Single-decree Paxos: one value is chosen (lessons 1–12; 13–16 run Multi-Paxos).
    #[default]
    Single,
    /// Multi-Paxos: a replicated log of commands with a stable leader.
    Multi,
}

impl Mode {
    /// Is this single-decree Paxos?
    pub fn is_single(&self) -> bool {
        *self == Mode::Single
    }

    /// Its name in links and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Single => "single",
            Mode::Multi => "multi",
        }
    }

    /// Reads `single` or `multi`.
    pub fn parse(s: &str) -> Result<Mode, String> {
        match s {
            "single" => Ok(Mode::Single),
            "multi" => Ok(Mode::Multi),
            _ => Err(format!("unknown mode {s:?}: the modes are single and multi")),
        }
    }
}

/// Slots in a Multi-Paxos log unless set.
pub const DEFAULT_SLOTS: u8 = 8;

fn is_default_slots(n: &u8) -> bool {
    *n == DEFAULT_SLOTS
}

/// Everything needed, with the seed and the commands, to rebuild a run exactly.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Number of clients (1–3).
    pub clients: u8,
    /// Number of proposers (1–5).
    pub proposers: u8,
    /// Number of acceptors (1–9).
    pub acceptors: u8,
    /// Number of learners (1–5).
    pub learners: u8,
    /// Whether acceptors send Nacks when they refuse.
    pub nacks: bool,
    /// Nodes whose restart wipes even durable state (unsafe).
    pub amnesia: BTreeSet<NodeId>,
    /// Rules switched off (unsafe), from the rule book `crate::paxos::rulebook`.
    pub mutations: BTreeSet<Switch>,
    /// Fewest ticks a message takes.
    pub latency_min: u32,
    /// Most ticks a message takes.
    pub latency_max: u32,
    /// Chance, in percent, that the network loses a message as it comes due.
    pub loss: u8,
    /// Chance, in percent, that the network duplicates a message as it comes due.
    pub duplicate: u8,
    /// Ticks a proposer waits for a ballot to finish before retrying.
    pub timeout: u32,
    /// Whether proposers wait a random back-off after a Nack, and randomize their timeouts.
    pub backoff: bool,
    /// Single-decree Paxos or Multi-Paxos (left out of traces when single).
    #[serde(skip_serializing_if = "Mode::is_single")]
    pub mode: Mode,
    /// Multi-Paxos: slots in the log, 1–16 (left out when 8).
    #[serde(skip_serializing_if = "is_default_slots")]
    pub slots: u8,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            clients: 2,
            proposers: 2,
            acceptors: 3,
            learners: 1,
            nacks: true,
            amnesia: BTreeSet::new(),
            mutations: BTreeSet::new(),
            latency_min: 2,
            latency_max: 6,
            loss: 0,
            duplicate: 0,
            timeout: 40,
            backoff: false,
            mode: Mode::Single,
            slots: DEFAULT_SLOTS,
        }
    }
}

impl Config {
    /// How many nodes of `role`.
    pub fn count(&self, role: Role) -> u8 {
        match role {
            Role::Client => self.clients,
            Role::Proposer => self.proposers,
            Role::Acceptor => self.acceptors,
            Role::Learner => self.learners,
        }
    }

    /// Does `node` exist in this cluster?
    pub fn has(&self, node: NodeId) -> bool {
        node.index < self.count(node.role)
    }

    /// Every node, in column order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        Role::ALL.into_iter().flat_map(move |r| (0..self.count(r)).map(move |i| NodeId { role: r, index: i }))
    }

    /// Votes needed: a majority, or ⌊n/2⌋ (at least 1) under the minority-quorum switch.
    pub fn quorum(&self) -> u8 {
        if self.mutations.contains(&Switch::MinorityQuorum) {
            (self.acceptors / 2).max(1)
        } else {
            self.acceptors / 2 + 1
        }
    }

    /// The facts role handlers need.
    pub fn ctx(&self, backoff: bool) -> Ctx {
        Ctx {
            clients: self.clients,
            acceptors: self.acceptors,
            learners: self.learners,
            quorum: self.quorum(),
            nacks: self.nacks,
            backoff,
            proposers: self.proposers,
            slots: self.slots,
            switches: self.mutations.iter().copied().collect(),
        }
    }

    /// Is anything unsafe switched on?
    pub fn is_unsafe(&self) -> bool {
        !self.amnesia.is_empty() || !self.mutations.is_empty()
    }

    /// How these settings differ from `lesson`'s, in words ("Nacks off; loss 10% (the lesson's
    /// 0%)"), leaving out the unsafe switches, which [`Config::unsafe_words`] names: a lesson's card
    /// says what was changed, not only that something was.
    pub fn changes_from(&self, lesson: &Config) -> String {
        let on = |b: bool| if b { "on" } else { "off" };
        let mut out = Vec::new();
        let counts = |c: &Config| [c.clients, c.proposers, c.acceptors, c.learners];
        if counts(self) != counts(lesson) {
            let [a, b] = [counts(self), counts(lesson)].map(|n| n.map(|k| k.to_string()).join("/"));
            out.push(format!("clients/proposers/acceptors/learners {a} (the lesson's {b})"));
        }
        if self.nacks != lesson.nacks {
            out.push(format!("Nacks {}", on(self.nacks)));
        }
        if self.backoff != lesson.backoff {
            out.push(format!("back-off {}", on(self.backoff)));
        }
        let mut differs = |changed: bool, name: &str, mine: String, theirs: String| {
            if changed {
                out.push(format!("{name} {mine} (the lesson's {theirs})"));
            }
        };
        differs(self.loss != lesson.loss, "loss", format!("{}%", self.loss), format!("{}%", lesson.loss));
        let dup = (self.duplicate, lesson.duplicate);
        differs(dup.0 != dup.1, "duplicates", format!("{}%", dup.0), format!("{}%", dup.1));
        let lat = ((self.latency_min, self.latency_max), (lesson.latency_min, lesson.latency_max));
        differs(
            lat.0 != lat.1,
            "latency",
            format!("{}–{} ticks", lat.0 .0, lat.0 .1),
            format!("{}–{}", lat.1 .0, lat.1 .1),
        );
        let to = (self.timeout, lesson.timeout);
        differs(to.0 != to.1, "timeout", format!("{} ticks", to.0), to.1.to_string());
        differs(self.slots != lesson.slots, "slots", self.slots.to_string(), lesson.slots.to_string());
        out.join("; ")
    }

    /// What is switched off or on unsafely, rule by rule, in words (empty when nothing is): the
    /// unsafe badge's tooltip and a lesson's off-script line name it, not just "rules off".
    pub fn unsafe_words(&self) -> String {
        let mut words: Vec<String> = self.mutations.iter().map(|m| format!("Unsafe: {}", m.describe())).collect();
        if !self.amnesia.is_empty() {
            let nodes: Vec<String> = self.amnesia.iter().map(|n| n.to_string()).collect();
            words.push(amnesia_words(&nodes));
        }
        words.join(" ")
    }

    /// Checks every field against its limits. The message names the field and the allowed range.
    pub fn validate(&self) -> Result<(), String> {
        for (role, lo, hi) in LIMITS {
            let n = self.count(role);
            if !(lo..=hi).contains(&n) {
                return Err(format!("{}s must be between {lo} and {hi}, not {n}", role.name()));
            }
        }
        let max = crate::paxos::multi::MAX_SLOTS;
        if !(1..=max as u8).contains(&self.slots) {
            return Err(format!("slots must be between 1 and {max}, not {}", self.slots));
        }
        if self.mode.is_single() {
            if let Some(s) = self.mutations.iter().find(|s| !s.in_single()) {
                return Err(format!("the switch {s} exists only in multi mode"));
            }
        }
        if let Some(n) = self.amnesia.iter().find(|n| !self.has(**n)) {
            return Err(format!("amnesia names {n}, which is not in this cluster"));
        }
        if self.latency_min < 1 || self.latency_min > self.latency_max || self.latency_max > MAX_LATENCY {
            return Err(format!(
                "latency must satisfy 1 ≤ min ≤ max ≤ {MAX_LATENCY}, not {}..{}",
                self.latency_min, self.latency_max
            ));
        }
        check_percent("loss", self.loss, 100)?;
        check_percent("duplicate", self.duplicate, MAX_DUPLICATE_PERCENT)?;
        let (lo, hi) = TIMEOUT_RANGE;
        if !(lo..=hi).contains(&self.timeout) {
            return Err(format!("timeout must be between {lo} and {hi} ticks, not {}", self.timeout));
        }
        Ok(())
    }
}

/// Checks a percentage setting.
pub fn check_percent(name: &str, value: u8, max: u8) -> Result<(), String> {
    if value > max {
        return Err(format!("{name} must be between 0% and {max}%, not {value}%"));
    }
    Ok(())
}

/// The sentence that says `nodes` restart with amnesia: the unsafe badge and a predict question
/// that bears on an amnesiac receiver say it in the same words.
pub fn amnesia_words(nodes: &[String]) -> String {
    let (who, verb, its) = match nodes {
        [one] => (one.clone(), "restarts", "its"),
        _ => (nodes.join(", "), "restart", "their"),
    };
    format!("{who} {verb} with amnesia, forgetting {its} promises and votes.")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_changes_from_a_lessons_settings_are_named() {
        let lesson = Config::default();
        assert_eq!(Config::default().changes_from(&lesson), "");
        let mine = Config { nacks: false, loss: 10, acceptors: 5, ..Config::default() };
        assert_eq!(
            mine.changes_from(&lesson),
            "clients/proposers/acceptors/learners 2/2/5/1 (the lesson's 2/2/3/1); Nacks off; loss 10% (the lesson's 0%)"
        );
    }

    #[test]
    fn the_unsafe_words_name_each_rule_switched_off_and_each_node_with_amnesia() {
        let mut c = Config::default();
        assert_eq!(c.unsafe_words(), "");
        c.mutations.insert(Switch::AcceptBelowPromise);
        c.amnesia.insert(NodeId::acceptor(1));
        assert_eq!(
            c.unsafe_words(),
            "Unsafe: Acceptors accept ballots below their promise (breaks P1a). A2 restarts with amnesia, forgetting its promises and votes."
        );
        c.amnesia.insert(NodeId::acceptor(2));
        assert!(c.unsafe_words().ends_with("A2, A3 restart with amnesia, forgetting their promises and votes."));
    }

    use super::*;

    #[test]
    fn default_is_the_teaching_cluster() {
        let c = Config::default();
        assert_eq!((c.clients, c.proposers, c.acceptors, c.learners), (2, 2, 3, 1));
        assert_eq!(c.quorum(), 2);
        assert!(c.validate().is_ok());
    }

    #[test]
    fn quorum_is_a_majority_unless_switched() {
        let mut c = Config { acceptors: 4, ..Config::default() };
        assert_eq!(c.quorum(), 3);
        c.mutations.insert(Switch::MinorityQuorum);
        assert_eq!(c.quorum(), 2);
        c.acceptors = 1;
        assert_eq!(c.quorum(), 1);
    }

    #[test]
    fn out_of_range_configs_are_refused_with_the_field_named() {
        let e = Config { acceptors: 10, ..Config::default() }.validate().unwrap_err();
        assert!(e.contains("acceptors must be between 1 and 9"), "{e}");
        let e = Config { clients: 0, ..Config::default() }.validate().unwrap_err();
        assert!(e.contains("clients"), "{e}");
        let mut c = Config::default();
        c.amnesia.insert(NodeId::acceptor(5));
        assert!(c.validate().unwrap_err().contains("A6"));
        assert!(Config { latency_min: 0, ..Config::default() }.validate().is_err());
        assert!(Config { duplicate: 51, ..Config::default() }.validate().is_err());
    }

    #[test]
    fn config_json_rejects_unknown_fields() {
        assert!(serde_json::from_str::<Config>(r#"{"clients":1,"bogus":2}"#).is_err());
        let c: Config =
            serde_json::from_str(r#"{"clients":1,"amnesia":["A2"],"mutations":["shared_ballots"]}"#).unwrap();
        assert_eq!(c.clients, 1);
        assert!(c.amnesia.contains(&NodeId::acceptor(1)));
    }
}
