//! The explorer's verdict in words. A verdict is only as strong as the bounds it searched, so the
//! words always restate them: "safe" alone would claim more than the search showed.

use crate::sim::explore::{Bounds, Verdict};
use crate::sim::Config;

/// "1 crash", "2 crashes": `many` is the plural.
fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The bounds searched: "2 rounds, 0 crashes, 0 duplicates, 0 drops". `rounds` names the unit,
/// since the safe verdict says "in all" (rounds bound all proposers together).
fn bounds(b: &Bounds, rounds: (&str, &str)) -> String {
    format!(
        "{}, {}, {}, {}",
        count(b.max_rounds, rounds.0, rounds.1),
        count(b.max_crashes, "crash", "crashes"),
        count(b.max_duplicates, "duplicate", "duplicates"),
        count(b.max_drops, "drop", "drops")
    )
}

/// The cluster searched: "2 clients, 2 proposers, 3 acceptors, 1 learner".
pub fn cluster(c: &Config) -> String {
    format!(
        "{}, {}, {}, {}",
        count(c.clients, "client", "clients"),
        count(c.proposers, "proposer", "proposers"),
        count(c.acceptors, "acceptor", "acceptors"),
        count(c.learners, "learner", "learners")
    )
}

/// The verdict with what was searched.
pub fn text(v: &Verdict, b: &Bounds, c: &Config) -> String {
    match v {
        Verdict::Safe { states } => format!(
            "Safe: no violation in {states} states ({}; {})",
            bounds(b, ("round in all", "rounds in all")),
            cluster(c)
        ),
        Verdict::Violation { commands, detail, states, .. } => format!(
            "Counterexample after {states} states, {} long, searching {}: {detail}",
            count(commands.len() as u64, "step", "steps"),
            bounds(b, ("round", "rounds"))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Invariant;

    #[test]
    fn a_safe_verdict_restates_bounds_and_cluster() {
        let t = text(&Verdict::Safe { states: 132815 }, &Bounds::default(), &Config::default());
        assert_eq!(
            t,
            "Safe: no violation in 132815 states (2 rounds in all, 0 crashes, 0 duplicates, 0 drops; \
             2 clients, 2 proposers, 3 acceptors, 1 learner)"
        );
    }

    #[test]
    fn a_counterexample_says_how_long_and_what_was_searched() {
        let b = Bounds { max_rounds: 1, max_crashes: 1, max_duplicates: 2, max_drops: 1 };
        let v = Verdict::Violation {
            commands: vec![crate::sim::Command::Heal; 9],
            invariant: Invariant::Agreement,
            detail: "two values are chosen".into(),
            states: 412,
        };
        assert_eq!(
            text(&v, &b, &Config::default()),
            "Counterexample after 412 states, 9 steps long, searching 1 round, 1 crash, 2 duplicates, 1 drop: two values are chosen"
        );
    }
}
