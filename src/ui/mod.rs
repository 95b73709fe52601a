//! The browser front end. `session`, `layout` and `format` are plain Rust and tested natively;
//! the Yew components exist only in the wasm32 build. Components read the session and send
//! `sim::Command`s through it, never touching protocol state any other way.

pub mod embed;
pub mod export;
pub mod format;
pub mod guide;
pub mod poll;
pub mod predict;
pub mod scene;
pub mod session;
pub mod spacetime;
pub mod verdict;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod explore_run;
#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod msg;
#[cfg(target_arch = "wasm32")]
mod prefs;
#[cfg(target_arch = "wasm32")]
pub use app::{start, App};
