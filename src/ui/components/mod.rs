//! View functions for each part of the page. Each takes the session (read-only) and the root's
//! scope to send messages; none of them changes state itself.

pub mod author;
pub mod banner;
pub mod cluster;
pub mod config;
pub mod controls;
pub mod embed;
pub mod explorer;
pub mod export;
pub mod failures;
pub mod grades;
pub mod help;
pub mod lessons;
pub mod log_grid;
pub mod menu;
pub mod metrics;
pub mod predict;
pub mod presenter;
pub mod side;
pub mod spacetime;
pub mod token;
pub mod topbar;
