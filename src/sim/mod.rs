//! The deterministic world around the protocol: network, clock, failures, timeline, traces and the
//! safety oracle. Like `paxos`, it uses no web crate, no wall clock and no unseeded randomness,
//! so all of it is tested natively.

pub mod attempt;
pub mod authored;
pub mod checksum;
pub mod command;
pub mod config;
pub mod explore;
pub mod json_error;
pub mod lessons;
pub mod link;
pub mod log_oracle;
pub mod metrics;
pub mod narrate;
pub mod network;
pub mod oracle;
pub mod pack;
pub mod rng;
pub mod schedule;
pub mod script;
pub mod timeline;
pub mod trace;
pub mod world;

pub use command::{Command, DropReason, Event, Invariant, MsgId, Step};
pub use config::{Config, Mode};
pub use network::InFlight;
pub use schedule::{simulate, simulate_with, Faults, RandomScheduler};
pub use script::{Pick, Script};
pub use timeline::Timeline;
pub use trace::{Trace, TraceFile};
pub use world::{Due, Knowledge, World};
