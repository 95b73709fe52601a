//! Paxoscope: watch, drive and break a real Paxos cluster, one message at a time.
//!
//! ```text
//!  ┌──────────── ui (Yew, wasm32 only) ────────────┐
//!  │ renders World; sends Commands, nothing else   │
//!  └──────────────┬────────────────▲───────────────┘
//!                 │ Command        │ Vec<Event>, &World
//!  ┌──────────────▼────────────────┴───────────────┐
//!  │ sim: World::apply, network, clock, timeline,  │
//!  │      trace, oracle            (pure, native)  │
//!  └──────────────┬────────────────▲───────────────┘
//!                 │ message        │ Outbox
//!  ┌──────────────▼────────────────┴───────────────┐
//!  │ paxos: client, proposer, acceptor, learner    │
//!  │        (pure protocol, native)                │
//!  └───────────────────────────────────────────────┘
//! ```
#![warn(missing_docs)]

pub mod paxos;
pub mod sim;
pub mod small_sort;
pub mod ui;
