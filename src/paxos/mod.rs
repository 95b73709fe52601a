//! Single-decree Paxos, as in Lamport's *Paxos Made Simple* (2001), with every role a separate node.
//!
//! This layer is pure: no clock, no randomness, no I/O, no web crate. Each role is a plain value
//! with one handler per message; a handler changes the role's state and *records* what it wants to
//! send in an [`Outbox`]. The world in `crate::sim` decides when messages arrive.
//!
//! # The algorithm in four phases
//! 0. **Request.** A client sends its value to the proposer it believes leads.
//! 1. **Prepare / Promise.** The proposer picks a ballot `(round, proposer)` above every round it
//!    has seen and sends `Prepare(b)` to the acceptors. An acceptor that has promised nothing
//!    higher promises `b` and reports the last proposal it accepted, if any. Otherwise it may Nack.
//! 2. **Accept / Accepted.** With promises from a majority, the proposer sends `Accept(b, v)`, where
//!    `v` is the value of the highest-ballot proposal reported in those promises, and only if none
//!    was reported, its client's value. An acceptor accepts unless it promised a higher ballot,
//!    and tells the proposer and every learner.
//! 3. **Commit.** A majority of `Accepted(b, v)` means `v` is chosen. The proposer commits to
//!    acceptors and learners and replies to its clients; learners announce to the clients.
//!
//! # Why the adopted value makes it safe
//! 1. A value is chosen once a majority accepted it in some ballot `b`.
//! 2. Any later ballot `b'` needs promises from a majority too, and two majorities share an acceptor.
//! 3. That shared acceptor accepted `(b, v)` before promising `b'` (it would have refused `b`
//!    afterwards), so its promise reports a proposal with ballot at least `b`.
//! 4. By induction every proposal between `b` and `b'` carries `v`, so the highest reported one does,
//!    and `b'` proposes `v` again (P2c). No other value can ever be chosen.

pub mod acceptor;
pub mod client;
pub mod decision;
pub mod learner;
pub mod msg;
pub mod multi;
pub mod node;
pub mod outbox;
pub mod planted;
pub mod proposer;
pub mod rulebook;
pub mod types;

pub use acceptor::Acceptor;
pub use client::Client;
pub use decision::{Cause, Decision, Source, Via, Why};
pub use learner::Learner;
pub use msg::{Kind, Msg};
pub use node::Cluster;
pub use outbox::{Ctx, Out, Outbox, TimerKind};
pub use proposer::{Phase, Proposer};
pub use rulebook::{Switch, Switches};
pub use types::{Ballot, NodeId, Proposal, Role, Value};
