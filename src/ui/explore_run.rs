//! A search of the explorer as the app holds it: the search, its progress and its verdict.

use crate::sim::explore::{Explorer, Progress, Verdict};

/// A search in progress or finished.
pub struct ExploreRun {
    /// The search.
    pub ex: Explorer,
    /// Where it stands.
    pub progress: Progress,
    /// Milliseconds of search so far.
    pub elapsed_ms: f64,
    /// The verdict, when finished.
    pub verdict: Option<Verdict>,
    /// Why it stopped without a verdict, if it did.
    pub stopped: Option<String>,
}
