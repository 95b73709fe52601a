//! What a log holds: a client's command, or a no-op; and a vote for one in a ballot.

use super::{Slot, MAX_SLOTS};
use crate::paxos::{Ballot, NodeId, Value};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The letters of the clients' command streams: C1 sends "X1", "X2", …; C2 "Y1", …; C3 "Z1", ….
pub const STREAM_LETTERS: [char; 3] = ['X', 'Y', 'Z'];

/// The most commands one client sends.
pub const MAX_SEQ: u8 = 63;

/// The `seq`-th command of a client (1-based), or a no-op, in one byte: a command is named by its
/// client and number, as a replicated state machine names commands to spot duplicates.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Cmd(u8);

impl Cmd {
    /// The no-op a new leader puts in a hole.
    pub const NOOP: Cmd = Cmd(0);

    /// Command `seq` (1..=63) of client `client` (0-based, 0..=2).
    pub fn new(client: u8, seq: u8) -> Option<Cmd> {
        (client < 3 && (1..=MAX_SEQ).contains(&seq)).then_some(Cmd(client << 6 | seq))
    }

    /// Rebuilds a command from its byte (the explorer's state form).
    pub fn from_byte(b: u8) -> Cmd {
        Cmd(b)
    }

    /// Its byte.
    pub fn byte(self) -> u8 {
        self.0
    }

    /// Is it the no-op?
    pub fn is_noop(self) -> bool {
        self.0 == 0
    }

    /// The client that sent it (none for a no-op).
    pub fn client(self) -> Option<NodeId> {
        (!self.is_noop()).then_some(NodeId::client(self.0 >> 6))
    }

    /// Its number in its client's stream (0 for a no-op).
    pub fn seq(self) -> u8 {
        self.0 & 63
    }

    /// `X2` for a command, `no-op` for the no-op.
    pub fn name(self) -> String {
        match self.client() {
            Some(c) => format!("{}{}", STREAM_LETTERS[c.index as usize], self.seq()),
            None => "no-op".into(),
        }
    }

    /// The command as the value a client asks for (none for the no-op).
    pub fn value(self) -> Option<Value> {
        self.client().and_then(|_| Value::new(&self.name()).ok())
    }

    /// Reads `X2` (or `no-op`).
    pub fn parse(s: &str) -> Result<Cmd, String> {
        if s == "no-op" {
            return Ok(Cmd::NOOP);
        }
        let bad = || format!("{s:?} is not a command of a client's stream (X1, Y2, Z3 …, up to {MAX_SEQ})");
        let mut chars = s.chars();
        let client = chars.next().and_then(|c| STREAM_LETTERS.iter().position(|l| *l == c)).ok_or_else(bad)?;
        let rest = chars.as_str();
        let seq: u8 = rest.parse().map_err(|_| bad())?;
        if rest.starts_with('0') {
            return Err(bad());
        }
        Cmd::new(client as u8, seq).ok_or_else(bad)
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_noop() {
            f.write_str("no-op")
        } else {
            write!(f, "\"{}\"", self.name())
        }
    }
}

impl fmt::Debug for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Cmd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Cmd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cmd::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A vote: the ballot a command was accepted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Vote {
    /// The ballot.
    pub ballot: Ballot,
    /// The command.
    #[serde(rename = "value")]
    pub cmd: Cmd,
}

/// One vote per slot, packed in six bytes each (round, proposer, command; round 0 is "none"),
/// so that a Promise carrying a whole log stays a small `Copy` message.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Votes([[u8; 6]; MAX_SLOTS]);

// All the bytes in one write: the explorer hashes every acceptor's votes, and every Promise's,
// for each state it stores (a derived hash would make two writes per slot).
impl std::hash::Hash for Votes {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.0.as_flattened());
    }
}

impl Votes {
    /// The vote in slot `s`, if any.
    pub fn get(&self, s: Slot) -> Option<Vote> {
        let c = self.0.get(s as usize)?;
        let round = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        (round > 0).then(|| Vote { ballot: Ballot::new(round, c[4]), cmd: Cmd(c[5]) })
    }

    /// Sets (or clears) the vote in slot `s`.
    pub fn set(&mut self, s: Slot, v: Option<Vote>) {
        if let Some(c) = self.0.get_mut(s as usize) {
            *c = match v {
                Some(v) => {
                    let r = v.ballot.round.to_le_bytes();
                    [r[0], r[1], r[2], r[3], v.ballot.proposer.index, v.cmd.0]
                }
                None => [0; 6],
            };
        }
    }

    /// Every vote, by slot.
    pub fn iter(&self) -> impl Iterator<Item = (Slot, Vote)> + '_ {
        (0..MAX_SLOTS as u8).filter_map(|s| self.get(s).map(|v| (s, v)))
    }

    /// Only the votes in slots ≥ `from`.
    pub fn from(&self, from: Slot) -> Votes {
        let mut v = *self;
        for s in 0..from.min(MAX_SLOTS as u8) {
            v.set(s, None);
        }
        v
    }

    /// The highest slot with a vote.
    pub fn highest(&self) -> Option<Slot> {
        self.iter().last().map(|(s, _)| s)
    }
}

impl fmt::Debug for Votes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotVote {
    slot: u8,
    ballot: Ballot,
    value: Cmd,
}

impl Serialize for Votes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|(slot, v)| SlotVote { slot: slot + 1, ballot: v.ballot, value: v.cmd }))
    }
}

impl<'de> Deserialize<'de> for Votes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list = Vec::<SlotVote>::deserialize(d)?;
        let mut votes = Votes::default();
        for sv in list {
            if !(1..=MAX_SLOTS as u8).contains(&sv.slot) || sv.ballot.round == 0 {
                return Err(serde::de::Error::custom(format!("a vote names slot {} of {MAX_SLOTS}", sv.slot)));
            }
            votes.set(sv.slot - 1, Some(Vote { ballot: sv.ballot, cmd: sv.value }));
        }
        Ok(votes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_named_by_client_and_number() {
        let x2 = Cmd::new(0, 2).unwrap();
        assert_eq!(x2.name(), "X2");
        assert_eq!(x2.to_string(), "\"X2\"");
        assert_eq!(x2.client(), Some(NodeId::client(0)));
        assert_eq!(Cmd::parse("Y13").unwrap(), Cmd::new(1, 13).unwrap());
        assert_eq!(Cmd::parse("no-op").unwrap(), Cmd::NOOP);
        assert_eq!(Cmd::NOOP.to_string(), "no-op");
        for bad in ["", "X", "X0", "X01", "W1", "X64", "x1"] {
            assert!(Cmd::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn votes_pack_and_unpack_every_slot() {
        let mut v = Votes::default();
        let vote = Vote { ballot: Ballot::new(70_000, 4), cmd: Cmd::new(2, 63).unwrap() };
        v.set(15, Some(vote));
        v.set(0, Some(Vote { ballot: Ballot::new(1, 0), cmd: Cmd::NOOP }));
        assert_eq!(v.get(15), Some(vote));
        assert_eq!(v.highest(), Some(15));
        assert_eq!(v.from(1).iter().count(), 1);
        let j = serde_json::to_string(&v).unwrap();
        assert_eq!(serde_json::from_str::<Votes>(&j).unwrap(), v);
        assert!(serde_json::from_str::<Votes>(r#"[{"slot":17,"ballot":{"round":1,"proposer":"P1"},"value":"X1"}]"#)
            .is_err());
    }
}
