//! The nouns of the protocol: who (`NodeId`), which attempt (`Ballot`) and what (`Value`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The four roles of *Paxos Made Simple*, plus the clients that ask for a value.
/// Declaration order is column order on screen and in every listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Asks a proposer to get a value chosen (Phase 0).
    Client,
    /// Runs ballots: Phase 1 (prepare) and Phase 2 (accept), then commits.
    Proposer,
    /// Votes: promises and accepts. Its promise and vote are durable.
    Acceptor,
    /// Finds out which value was chosen.
    Learner,
}

impl Role {
    /// All roles in column order.
    pub const ALL: [Role; 4] = [Role::Client, Role::Proposer, Role::Acceptor, Role::Learner];

    /// The one-letter prefix of node ids (`C1`, `P1`, `A1`, `L1`).
    pub fn letter(self) -> char {
        match self {
            Role::Client => 'C',
            Role::Proposer => 'P',
            Role::Acceptor => 'A',
            Role::Learner => 'L',
        }
    }

    /// The role's name in prose.
    pub fn name(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Proposer => "proposer",
            Role::Acceptor => "acceptor",
            Role::Learner => "learner",
        }
    }
}

/// A node: a role and a 0-based index. It is written 1-based (`P1` is proposer index 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId {
    /// What the node does.
    pub role: Role,
    /// 0-based position within its role.
    pub index: u8,
}

impl NodeId {
    /// Client `index` (0-based).
    pub const fn client(index: u8) -> Self {
        NodeId { role: Role::Client, index }
    }
    /// Proposer `index` (0-based).
    pub const fn proposer(index: u8) -> Self {
        NodeId { role: Role::Proposer, index }
    }
    /// Acceptor `index` (0-based).
    pub const fn acceptor(index: u8) -> Self {
        NodeId { role: Role::Acceptor, index }
    }
    /// Learner `index` (0-based).
    pub const fn learner(index: u8) -> Self {
        NodeId { role: Role::Learner, index }
    }

    /// Parses `P1`-style ids. The index must be 1..=99; range against a config is checked elsewhere.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut chars = s.chars();
        let role = match chars.next() {
            Some('C') => Role::Client,
            Some('P') => Role::Proposer,
            Some('A') => Role::Acceptor,
            Some('L') => Role::Learner,
            _ => return Err(format!("unknown node id {s:?}: expected C1, P1, A1 or L1 style")),
        };
        let rest = chars.as_str();
        match rest.parse::<u8>() {
            Ok(n) if (1..=99).contains(&n) && !rest.starts_with('0') => Ok(NodeId { role, index: n - 1 }),
            _ => Err(format!("unknown node id {s:?}: expected C1, P1, A1 or L1 style")),
        }
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.role.letter(), self.index as u32 + 1)
    }
}

impl Serialize for NodeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NodeId::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A ballot `(round, proposer)`: the generation clock of Paxos.
///
/// Field order is the total order: round first, then proposer. Because the proposer is part of the
/// ballot, two proposers never share one, and because a proposer only ever moves to a higher round,
/// its own ballots always rise. It is written `round.proposer`, so `2.1` is round 2 of P1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Ballot {
    /// Rises with every new attempt; starts at 1.
    pub round: u32,
    /// The proposer that owns this ballot.
    pub proposer: NodeId,
}

impl Ballot {
    /// Ballot `round` of proposer `index` (0-based).
    pub const fn new(round: u32, proposer_index: u8) -> Self {
        Ballot { round, proposer: NodeId::proposer(proposer_index) }
    }
}

impl fmt::Display for Ballot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.round, self.proposer.index as u32 + 1)
    }
}

/// The longest value a client may ask for, in bytes.
pub const MAX_VALUE_LEN: usize = 15;

/// A value a client asks to have chosen: 1 to 15 printable ASCII characters, stored inline.
///
/// Inline storage makes every message `Copy`, which keeps the simulator and the explorer free of
/// allocation on their hot paths.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Value {
    len: u8,
    bytes: [u8; MAX_VALUE_LEN],
}

impl Value {
    /// Checks and builds a value. Quotes and backslashes are refused so narration can quote values.
    pub fn new(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        if b.is_empty() {
            return Err("a value cannot be empty".into());
        }
        if b.len() > MAX_VALUE_LEN {
            return Err(format!("the value {s:?} is longer than {MAX_VALUE_LEN} characters"));
        }
        if !b.iter().all(|c| (0x20..0x7f).contains(c) && *c != b'"' && *c != b'\\') {
            return Err(format!(
                "the value {s:?} may use only plain letters, digits, spaces and punctuation (no quotes)"
            ));
        }
        let mut bytes = [0u8; MAX_VALUE_LEN];
        bytes[..b.len()].copy_from_slice(b);
        Ok(Value { len: b.len() as u8, bytes })
    }

    /// The value as one number: equal values have equal keys (unused bytes are always zero), and
    /// comparing keys is one instruction where comparing values is a byte loop.
    pub fn key(&self) -> u128 {
        let mut k = [0u8; 16];
        k[0] = self.len;
        k[1..].copy_from_slice(&self.bytes);
        u128::from_le_bytes(k)
    }

    /// The value as text.
    pub fn as_str(&self) -> &str {
        // Only printable ASCII is ever stored, so this cannot fail.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("?")
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.as_str())
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Value::new(&s).map_err(serde::de::Error::custom)
    }
}

/// A proposal an acceptor has voted for: the ballot and the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Proposal {
    /// The ballot it was accepted in.
    pub ballot: Ballot,
    /// The value accepted.
    pub value: Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballots_order_by_round_then_proposer() {
        assert!(Ballot::new(1, 1) < Ballot::new(2, 0));
        assert!(Ballot::new(2, 0) < Ballot::new(2, 1));
        assert_eq!(Ballot::new(2, 0).to_string(), "2.1");
    }

    #[test]
    fn node_ids_round_trip_and_refuse_garbage() {
        for s in ["C1", "P5", "A9", "L3"] {
            assert_eq!(NodeId::parse(s).unwrap().to_string(), s);
        }
        for s in ["", "X1", "P0", "P", "P01", "p1", "A1x", "A100"] {
            assert!(NodeId::parse(s).is_err(), "{s} should be refused");
        }
    }

    #[test]
    fn values_are_short_printable_text() {
        assert_eq!(Value::new("X").unwrap().to_string(), "\"X\"");
        assert!(Value::new("").is_err());
        assert!(Value::new("sixteen chars!!!").is_err());
        assert!(Value::new("a\"b").is_err());
        assert!(Value::new("é").is_err());
        assert_eq!(Value::new("fifteen chars!!").unwrap().as_str(), "fifteen chars!!");
    }
}
