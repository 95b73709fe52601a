//! The explorer's verdict in words. A verdict is only as strong as the bounds it searched, so the
//! words always restate them: "safe" alone would claim more than the search showed.

use crate::sim::command::Invariant;
use crate::sim::explore::{Bounds, Verdict};
use crate::sim::Config;

/// "1 crash", "2 crashes": `many` is the plural.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The bounds searched: "2 ballots, 0 crashes, 0 duplicates, 0 drops". `ballots` names the unit,
/// since the safe verdict says "in all" (the bound counts every proposer's ballots together).
/// The app says "ballots" everywhere (the command line's flag is `--max-rounds`).
fn bounds(b: &Bounds, rounds: (&str, &str)) -> String {
    format!(
        "{}, {}, {}, {}",
        count(b.max_rounds, rounds.0, rounds.1),
        count(b.max_crashes, "crash", "crashes"),
        count(b.max_duplicates, "duplicate", "duplicates"),
        count(b.max_drops, "drop", "drops")
    )
}

/// The cluster searched: "2 clients, 2 proposers, 3 acceptors, 1 learner" (and for a log, "a
/// log of 8 slots").
pub fn cluster(c: &Config) -> String {
    let log = match c.mode {
        crate::sim::Mode::Multi => format!(", a log of {}", count(c.slots, "slot", "slots")),
        crate::sim::Mode::Single => String::new(),
    };
    format!(
        "{}, {}, {}, {}{log}",
        count(c.clients, "client", "clients"),
        count(c.proposers, "proposer", "proposers"),
        count(c.acceptors, "acceptor", "acceptors"),
        count(c.learners, "learner", "learners")
    )
}

/// Where the browser stops a Multi-Paxos search without a verdict: it stores whole worlds,
/// about 2.5 kB each. The correct log with two clients is proven safe in about 100,000.
pub const MULTI_STATE_LIMIT: usize = 250_000;

/// What the bounds cover for `c`: for a log, what the Multi-Paxos search tries and leaves out.
pub fn covers_in(b: &Bounds, c: &Config) -> String {
    match c.mode {
        crate::sim::Mode::Single => covers(b),
        crate::sim::Mode::Multi => multi_covers(b, c),
    }
}

/// What a Multi-Paxos search tries, from its bounds and cluster, and where the browser stops.
fn multi_covers(b: &Bounds, c: &Config) -> String {
    let limit = format!("{},{:03}", MULTI_STATE_LIMIT / 1000, MULTI_STATE_LIMIT % 1000);
    let changes = match b.max_rounds {
        1 => " (one leader, no change)".to_string(),
        2 => " (the first leader's and one leader change)".to_string(),
        n => format!(" (the first leader's and up to {} leader changes)", n - 1),
    };
    let faults = [
        (b.max_crashes, "crash", "crashes"),
        (b.max_duplicates, "duplicate", "duplicates"),
        (b.max_drops, "drop", "drops"),
    ]
    .iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| count(*n, one, many))
    .collect::<Vec<_>>();
    let faults = if faults.is_empty() { "no crash, drop or duplicate".to_string() } else { faults.join(", ") };
    format!(
        "Multi-Paxos: each client's first command goes to P1 ({}); {} in all{changes}, {faults}, at most one client retry. Every slot is checked; learners are left out (nothing they do changes a vote). With no rule switched off, once no ballot can start, deliveries that cannot affect one another are tried in one order (a partial-order reduction). The browser stops once it passes {limit} states: enough to prove the default log safe, and to find a counterexample for every switch but acceptor amnesia (that one needs the command-line explorer).",
        count(c.clients, "client", "clients"),
        count(b.max_rounds, "ballot", "ballots"),
    )
}

/// What the bounds can and cannot catch, in the terms of the classic mistakes.
pub fn covers(b: &Bounds) -> String {
    // Said to be about mistakes in an implementation, so it is not read as what the search will
    // find for the rule switched off (each switch is caught by its own rule).
    let mut s = if b.max_rounds >= 3 {
        format!(
            "Against classic implementation bugs: {} in all: a proposer can meet votes from two earlier ballots, so adopting the wrong reported value is caught.",
            count(b.max_rounds, "ballot", "ballots")
        )
    } else {
        format!(
            "Against classic implementation bugs: {} in all: no proposer meets votes from two earlier ballots, so adopting the lowest-numbered reported value would go unnoticed.",
            count(b.max_rounds, "ballot", "ballots")
        )
    };
    s.push_str(if b.max_crashes > 0 {
        " A crash and restart: forgetting on a crash is caught."
    } else {
        " No crash: forgetting a vote on a crash would go unnoticed."
    });
    s.push_str(if b.max_duplicates > 0 {
        " A duplicate: counting messages rather than acceptors is caught."
    } else {
        " No duplicate: counting messages rather than acceptors would go unnoticed."
    });
    s
}

/// What to watch as a counterexample plays.
pub fn replay_note(broken_at: Option<usize>, harm_at: Option<usize>) -> String {
    match (broken_at, harm_at) {
        (Some(b), Some(h)) => format!(
            "It is loaded into the timeline and playing. The switched-off rule breaks at step {b}; the harm it allows follows at step {h}, where the safety panel turns red."
        ),
        (Some(b), None) => format!("It is loaded into the timeline and playing. The switched-off rule breaks at step {b}, its last."),
        (None, _) => "It is loaded into the timeline and playing: watch the safety panel turn red at its last step.".into(),
    }
}

/// Why a broken rule did no harm, where the protocol itself explains it: a shared ballot still
/// gets only one majority of promises, since Phase 1b needs a ballot above the promise.
fn why_no_harm(broken: Invariant, c: &Config) -> Option<&'static str> {
    let quorums_overlap = !c.mutations.contains(&crate::paxos::Switch::MinorityQuorum);
    (broken == Invariant::BallotsUnique && quorums_overlap).then_some(
        "Why no harm: an acceptor promises only a ballot greater than any it has promised, so of two proposers sharing a ballot at most one collects a majority of promises for it and goes on to Phase 2.",
    )
}

/// The verdict with what was searched.
pub fn text(v: &Verdict, b: &Bounds, c: &Config) -> String {
    match v {
        Verdict::Safe { states } => format!(
            "Safe within these bounds: no violation in {states} states ({}; {})",
            bounds(b, ("ballot in all", "ballots in all")),
            cluster(c)
        ),
        Verdict::NoHarm { states, detail, invariant } => format!(
            "A rule broke, but no harm followed in {states} states ({}; {}). First break: {}",
            bounds(b, ("ballot in all", "ballots in all")),
            cluster(c),
            match why_no_harm(*invariant, c) {
                Some(why) => format!("{}. {why}", detail.trim_end_matches('.')),
                None => detail.clone(),
            }
        ),
        Verdict::Violation { commands, detail, states, broken_at, harm_at, invariant } => format!(
            "{} {}, {} long, searching {}{}: {detail}",
            // Stopped at the first broken rule, the run shows the rule broken, not yet harm.
            if invariant.is_harm() { "Counterexample" } else { "A rule broken (no harm yet)" },
            match states {
                0 => "in the setup, before the search".to_string(),
                n => format!("after {}", count(*n as u64, "state", "states")),
            },
            count(commands.len() as u64, "step", "steps"),
            bounds(b, ("ballot", "ballots")),
            steps(*broken_at, *harm_at)
        ),
    }
}

/// Where the rule broke and where harm followed, when a switched-off rule led to it.
fn steps(broken_at: Option<usize>, harm_at: Option<usize>) -> String {
    match (broken_at, harm_at) {
        (Some(b), Some(h)) => format!(" (rule broken at step {b}, harm at step {h})"),
        (Some(b), None) => format!(" (rule broken at step {b})"),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_search_says_what_it_covers_and_where_it_stops() {
        let c = Config { mode: crate::sim::Mode::Multi, slots: 2, ..Config::default() };
        let b = Bounds::for_config(&c);
        let t = covers_in(&b, &c);
        assert!(t.contains("2 ballots in all (the first leader's and one leader change)"), "{t}");
        assert!(t.contains("stops once it passes 250,000 states"), "{t}");
        assert!(t.contains("(2 clients); 2 ballots in all"), "{t}");
        assert!(t.contains("no crash, drop or duplicate"), "{t}");
        let more = Bounds { max_rounds: 3, max_crashes: 1, ..b };
        let one = Config { clients: 1, ..c.clone() };
        let t = covers_in(&more, &one);
        assert!(
            t.contains("(1 client); 3 ballots in all (the first leader's and up to 2 leader changes), 1 crash,"),
            "{t}"
        );
        assert!(t.contains("partial-order reduction"), "{t}");
        assert!(cluster(&c).ends_with("a log of 2 slots"));
        assert_eq!(covers_in(&Bounds::default(), &Config::default()), covers(&Bounds::default()));
    }
    use crate::sim::Invariant;

    #[test]
    fn a_safe_verdict_restates_bounds_and_cluster() {
        let t = text(&Verdict::Safe { states: 132815 }, &Bounds::default(), &Config::default());
        assert_eq!(
            t,
            "Safe within these bounds: no violation in 132815 states (3 ballots in all, 0 crashes, 0 duplicates, 0 drops; \
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
            broken_at: None,
            harm_at: Some(9),
        };
        assert_eq!(
            text(&v, &b, &Config::default()),
            "Counterexample after 412 states, 9 steps long, searching 1 ballot, 1 crash, 2 duplicates, 1 drop: two values are chosen"
        );
    }

    #[test]
    fn a_counterexample_from_a_switched_off_rule_says_where_it_broke_and_where_harm_followed() {
        let v = Verdict::Violation {
            commands: vec![crate::sim::Command::Heal; 14],
            invariant: Invariant::Agreement,
            detail: "two values are chosen".into(),
            states: 80,
            broken_at: Some(9),
            harm_at: Some(14),
        };
        assert!(text(&v, &Bounds::default(), &Config::default())
            .contains("14 steps long, searching 3 ballots, 0 crashes, 0 duplicates, 0 drops (rule broken at step 9, harm at step 14)"));
    }

    #[test]
    fn the_bounds_say_which_classic_mistakes_they_catch() {
        let d = covers(&Bounds::default());
        assert!(
            d.starts_with("Against classic implementation bugs: 3 ballots in all: a proposer can meet votes"),
            "{d}"
        );
        assert!(d.contains("No crash: forgetting a vote on a crash would go unnoticed"), "{d}");
        let two = covers(&Bounds { max_rounds: 2, max_crashes: 1, max_duplicates: 1, max_drops: 0 });
        assert!(two.contains("adopting the lowest-numbered reported value would go unnoticed"), "{two}");
        assert!(
            two.contains("forgetting on a crash is caught")
                && two.contains("counting messages rather than acceptors is caught")
        );
    }

    #[test]
    fn a_rule_broken_in_the_setup_says_so_rather_than_count_states() {
        let v = Verdict::Violation {
            commands: vec![crate::sim::Command::Heal; 4],
            invariant: Invariant::BallotsUnique,
            detail: "P2 used ballot 1.1, which belongs to P1".into(),
            states: 0,
            broken_at: Some(4),
            harm_at: None,
        };
        assert!(text(&v, &Bounds::default(), &Config::default())
            .starts_with("A rule broken (no harm yet) in the setup, before the search, 4 steps long"));
    }

    #[test]
    fn a_rule_broken_without_harm_says_so_with_the_bounds() {
        let v =
            Verdict::NoHarm { states: 500, invariant: Invariant::BallotsUnique, detail: "P1 reused ballot 1".into() };
        assert_eq!(
            text(&v, &Bounds::default(), &Config::default()),
            "A rule broke, but no harm followed in 500 states (3 ballots in all, 0 crashes, 0 duplicates, 0 drops; \
             2 clients, 2 proposers, 3 acceptors, 1 learner). First break: P1 reused ballot 1. Why no harm: an \
             acceptor promises only a ballot greater than any it has promised, so of two proposers sharing a ballot \
             at most one collects a majority of promises for it and goes on to Phase 2."
        );
        // With quorums that need not overlap, that reason no longer holds, so it is not given.
        let mut c = Config::default();
        c.mutations.insert(crate::paxos::Switch::MinorityQuorum);
        assert!(text(&v, &Bounds::default(), &c).ends_with("First break: P1 reused ballot 1"));
    }
}
