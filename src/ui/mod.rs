//! The browser front end. Components exist only in the wasm32 build; they read the world and
//! send `sim::Command`s, never touching protocol state any other way.

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub use app::App;
