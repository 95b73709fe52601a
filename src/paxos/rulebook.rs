//! The rule book: every protocol rule that can be switched off, with one name each.
//!
//! A switch is unsafe on purpose: it exists to show why the rule matters. The same name is used
//! in code, in traces (`config.mutations`), on the command line (`--mutation NAME`) and in the UI.
//! Adding a switch: add a variant here, then follow the compiler (every `match` is exhaustive).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A rule switched off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Switch {
    /// Proposers ignore the values reported in promises and always propose their own (P2c off).
    IgnoreReportedValues,
    /// Every acceptor restarts with amnesia: its promise and vote are not on disk.
    AcceptorAmnesia,
    /// The quorum is ⌊n/2⌋ acceptors (at least 1) instead of a majority.
    MinorityQuorum,
    /// Acceptors accept ballots below their promise (P1a off).
    AcceptBelowPromise,
    /// Every proposer stamps its ballots as P1's, so two proposers can share a ballot.
    SharedBallots,
    /// Multi-Paxos: a new leader skips the recovery of accepted slots and gives new commands
    /// the slots from the first one it does not know to be chosen.
    SkipRecovery,
}

impl Switch {
    /// Every switch, in menu order.
    pub const ALL: [Switch; 6] = [
        Switch::IgnoreReportedValues,
        Switch::AcceptorAmnesia,
        Switch::MinorityQuorum,
        Switch::AcceptBelowPromise,
        Switch::SharedBallots,
        Switch::SkipRecovery,
    ];

    /// The switches single-decree Paxos has (every one but the log's).
    pub const SINGLE: [Switch; 5] = [
        Switch::IgnoreReportedValues,
        Switch::AcceptorAmnesia,
        Switch::MinorityQuorum,
        Switch::AcceptBelowPromise,
        Switch::SharedBallots,
    ];

    /// Does the switch change anything in single-decree Paxos?
    pub fn in_single(self) -> bool {
        self != Switch::SkipRecovery
    }

    /// The one name: in traces, links and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Switch::IgnoreReportedValues => "ignore_reported_values",
            Switch::AcceptorAmnesia => "acceptor_amnesia",
            Switch::MinorityQuorum => "minority_quorum",
            Switch::AcceptBelowPromise => "accept_below_promise",
            Switch::SharedBallots => "shared_ballots",
            Switch::SkipRecovery => "skip_recovery",
        }
    }

    /// Parses a name from [`Switch::name`].
    pub fn parse(s: &str) -> Result<Self, String> {
        Switch::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| {
            let names: Vec<_> = Switch::ALL.iter().map(|m| m.name()).collect();
            format!("unknown mutation {s:?}; the switches are: {}", names.join(" "))
        })
    }

    /// What the switch breaks, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Switch::IgnoreReportedValues => {
                "Proposers ignore values reported in promises and always propose their own (breaks P2c)."
            }
            Switch::AcceptorAmnesia => "Acceptors forget their promise and vote when they restart.",
            Switch::MinorityQuorum => "A quorum is ⌊n/2⌋ acceptors, so two quorums need not overlap.",
            Switch::AcceptBelowPromise => "Acceptors accept ballots below their promise (breaks P1a).",
            Switch::SharedBallots => "All proposers stamp their ballots as P1's, so two proposers share a ballot.",
            Switch::SkipRecovery => {
                "Multi-Paxos: a new leader skips the recovery of accepted slots and reuses them for new commands."
            }
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Switch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The switches in force, as a bit set small enough to copy into every handler call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Switches(u8);

impl Switches {
    /// Is `s` switched off (that is, is its rule broken)?
    pub fn has(self, s: Switch) -> bool {
        self.0 & s.bit() != 0
    }
    /// With `s` added.
    pub fn with(self, s: Switch) -> Self {
        Switches(self.0 | s.bit())
    }
}

impl FromIterator<Switch> for Switches {
    fn from_iter<I: IntoIterator<Item = Switch>>(iter: I) -> Self {
        iter.into_iter().fold(Switches::default(), Switches::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_switch_has_one_name_that_parses_back() {
        for s in Switch::ALL {
            assert_eq!(Switch::parse(s.name()), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.name()));
        }
        assert!(Switch::parse("ignore_promised_values").unwrap_err().contains("ignore_reported_values"));
    }

    #[test]
    fn switch_sets_hold_what_was_put_in() {
        let set: Switches = [Switch::SharedBallots, Switch::MinorityQuorum].into_iter().collect();
        assert!(set.has(Switch::SharedBallots) && set.has(Switch::MinorityQuorum));
        assert!(!set.has(Switch::AcceptorAmnesia));
    }
}
