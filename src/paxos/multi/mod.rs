//! Multi-Paxos: a replicated log with a stable leader (the `multi` mode of the config).
//!
//! Single-decree Paxos chooses one value; Multi-Paxos chooses one command per *slot* of a log,
//! running one instance of the same protocol per slot, with one saving: a leader runs Phase 1
//! once, for every slot ≥ k at once, and from then on each command costs one Accept/Accepted
//! round trip while its ballot holds.
//!
//! - **Clients** send a stream of commands (C1: "X1", "X2", …) to the proposer they believe leads.
//!   A follower answers with a Redirect naming the leader it believes in; after a timeout a client
//!   retries with the next proposer, flagging the retry, and that proposer takes over.
//! - **Becoming leader.** `Prepare b from k` asks every acceptor for one promise covering every
//!   slot ≥ k; each `Promise` carries the acceptor's votes for all those slots. With a quorum the
//!   new leader re-proposes, in each slot, the value of the highest ballot reported there (P2c, per
//!   slot), fills the holes below its highest reported slot with no-ops, and gives new commands the
//!   next free slots.
//! - **Preemption.** A Nack (a higher promise) demotes the leader; it remembers who leads. There
//!   are no heartbeats: leadership changes only when a client's retry or a timeout asks for it.
//! - **Commit** is per slot. Learners apply the log in order, only a gap-free prefix, and ask the
//!   committing proposer for the slots they missed.
//!
//! The roles here are pure like the single-decree ones: no clock, no randomness, no I/O.

pub mod acceptor;
pub mod client;
pub mod cmd;
pub mod decision;
pub mod learner;
pub mod msg;
pub mod nodes;
pub mod proposer;

pub use acceptor::LogAcceptor;
pub use client::LogClient;
pub use cmd::{Cmd, Vote, Votes};
pub use decision::{Campaign, LogDecision};
pub use learner::LogLearner;
pub use msg::LogMsg;
pub use nodes::LogNodes;
pub use proposer::{LogProposer, Stage};

/// The most slots a log may have.
pub const MAX_SLOTS: usize = 16;

/// A slot of the log, 0-based (written 1-based: `s1` is slot 0).
pub type Slot = u8;

/// A set of slots, bit s for slot s.
pub type Slots = u16;

/// `s3`-style name of a slot.
pub fn slot_name(s: Slot) -> String {
    format!("s{}", s as u32 + 1)
}

/// Slots in a set, in order.
pub fn slots_of(set: Slots) -> impl Iterator<Item = Slot> {
    (0..MAX_SLOTS as u8).filter(move |s| set & (1 << s) != 0)
}
