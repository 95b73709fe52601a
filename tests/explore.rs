//! The explorer: safe with the rules intact, harm or an honest "no harm" for every broken rule,
//! pinned state counts, and agreement with random walks over the same world under every fault.
//! (Planted bugs and the reductions are checked in the library's own tests, `explore::tests`.)

use paxoscope::paxos::{NodeId, Switch};
use paxoscope::sim::explore::{is_harm, settle_learners, Bounds, Explorer, Options, Verdict};
use paxoscope::sim::{Command, Config, Event, Faults, RandomScheduler, Timeline, World};

fn explore(cfg: Config, bounds: Bounds) -> Explorer {
    explore_with(cfg, bounds, Options::default())
}

fn explore_with(cfg: Config, bounds: Bounds, options: Options) -> Explorer {
    let mut ex = Explorer::with(cfg, 42, bounds, options).unwrap();
    ex.set_threads(2);
    while !ex.run(100_000).done {}
    ex
}

#[test]
fn the_default_search_covers_three_ballots_and_its_state_count_is_pinned() {
    assert_eq!(Bounds::default().max_rounds, 3);
    let ex = explore(Config::default(), Bounds::default());
    assert_eq!(ex.verdict(), Some(&Verdict::Safe { states: 27_310 }));
    assert_eq!(ex.progress().depth, 24);
}

#[test]
fn state_counts_of_small_configs_are_pinned() {
    let one = Config { clients: 1, proposers: 1, ..Config::default() };
    let cases = [
        (one.clone(), Bounds { max_rounds: 1, ..Bounds::default() }, 22),
        (one.clone(), Bounds { max_rounds: 3, ..Bounds::default() }, 2_601),
        (Config { acceptors: 1, ..one.clone() }, Bounds { max_rounds: 2, max_crashes: 1, ..Bounds::default() }, 53),
        (Config { nacks: false, ..Config::default() }, Bounds::default(), 24_183),
        (Config::default(), Bounds { max_drops: 1, ..Bounds::default() }, 148_142),
        (Config::default(), Bounds { max_rounds: 2, max_crashes: 1, max_duplicates: 1, ..Bounds::default() }, 36_850),
    ];
    let mut got = Vec::new();
    for (cfg, b, _) in &cases {
        let ex = explore(cfg.clone(), *b);
        match ex.verdict() {
            Some(Verdict::Safe { states }) => {
                println!("{}c/{}p/{}a nacks={} {b:?}: {states}", cfg.clients, cfg.proposers, cfg.acceptors, cfg.nacks);
                got.push(*states);
            }
            other => panic!("{cfg:?} {b:?}: {other:?}"),
        }
    }
    assert_eq!(got, cases.iter().map(|c| c.2).collect::<Vec<_>>());
}

/// Checks a counterexample replays, breaks its rule where it says and harms at its last step,
/// and nothing harms before. Returns it.
fn counterexample(cfg: Config, bounds: Bounds) -> (Vec<Command>, String, Option<usize>) {
    let ex = explore(cfg.clone(), bounds);
    let Some(Verdict::Violation { commands, detail, invariant, broken_at, harm_at, .. }) = ex.verdict() else {
        panic!("no counterexample for {:?}: {:?}", cfg.mutations, ex.verdict());
    };
    assert!(is_harm(*invariant), "the search goes on to harm, not {invariant:?}");
    let t = Timeline::replay(cfg, 42, commands).unwrap();
    assert_eq!(t.len(), commands.len(), "every step replays");
    assert_eq!(*harm_at, Some(t.len()), "harm at the last step");
    let violated = |n: usize| -> Vec<paxoscope::sim::Invariant> {
        t.steps()[n - 1]
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Violated { invariant, .. } => Some(*invariant),
                _ => None,
            })
            .collect()
    };
    assert!(violated(t.len()).contains(invariant), "the last step breaks {invariant:?}");
    for n in 1..t.len() {
        assert!(!violated(n).iter().any(|i| is_harm(*i)), "no harm before the last step (step {n})");
        if broken_at.is_some_and(|b| n < b) {
            assert!(violated(n).is_empty(), "no rule broken before step {broken_at:?} (step {n})");
        }
    }
    if let Some(b) = broken_at {
        assert!(violated(*b).iter().any(|i| !is_harm(*i)), "a rule breaks at step {b}");
        // The narration of the harm points back to the broken rule.
        let last = paxoscope::sim::narrate::narrate_step(&t, t.len()).unwrap().text;
        assert!(last.contains(&format!("it was broken at step {b}")), "{last}");
    }
    (commands.clone(), detail.clone(), *broken_at)
}

#[test]
fn every_harmful_switch_yields_harm_and_marks_where_its_rule_broke() {
    let cases = [
        (Switch::IgnoreReportedValues, 17, Some(15)),
        (Switch::AcceptorAmnesia, 19, Some(18)),
        (Switch::MinorityQuorum, 8, Some(6)),
        (Switch::AcceptBelowPromise, 17, Some(13)),
    ];
    for (s, steps, broken) in cases {
        let mut cfg = Config::default();
        cfg.mutations.insert(s);
        let (cmds, detail, broken_at) = counterexample(cfg.clone(), Bounds::for_config(&cfg));
        println!("{s}: {} steps, rule broken at {broken_at:?}: {detail}", cmds.len());
        assert_eq!((cmds.len(), broken_at), (steps, broken), "{s}");
        // A value learned before any is chosen is harm because another can still be chosen:
        // the narration says so (only when nothing is chosen).
        let t = Timeline::replay(cfg.clone(), 42, &cmds).unwrap();
        let last = paxoscope::sim::narrate::narrate_step(&t, t.len()).unwrap().text;
        let unchosen = detail.contains("no value has been chosen yet");
        assert_eq!(
            last.contains("No majority holds it, so another value can still be chosen."),
            unchosen,
            "{s}: {last}"
        );
    }
}

/// With acceptors that promise a ballot only once (Paxos.tla's Phase1b: `m.bal > maxBal`), two
/// proposers stamping the same ballot cannot both gather a majority of promises for it, so
/// sharing ballots breaks their uniqueness but no harm follows within the default bounds, even
/// with a crash and a duplicate. The verdict says so rather than "safe".
#[test]
fn shared_ballots_break_their_rule_but_no_harm_follows() {
    let mut cfg = Config::default();
    cfg.mutations.insert(Switch::SharedBallots);
    for b in [Bounds::default(), Bounds { max_crashes: 1, max_duplicates: 1, ..Bounds::default() }] {
        let ex = explore(cfg.clone(), b);
        let Some(Verdict::NoHarm { invariant, detail, .. }) = ex.verdict() else { panic!("{:?}", ex.verdict()) };
        assert_eq!(*invariant, paxoscope::sim::Invariant::BallotsUnique);
        assert!(detail.contains("P2 used ballot 1.1, which belongs to P1"), "{detail}");
    }
    // Stopping at the rule shows it at once: setup, then P2's request arrives and it stamps its
    // ballot as P1's.
    let stop = Options { stop_at_rule: true, ..Options::default() };
    let ex = explore_with(cfg, Bounds::default(), stop);
    let Some(Verdict::Violation { commands, broken_at, .. }) = ex.verdict() else { panic!("{:?}", ex.verdict()) };
    assert_eq!((commands.len(), *broken_at), (4, Some(4)), "{commands:?}");
}

#[test]
fn amnesia_in_the_config_breaks_agreement_under_the_explorer_too() {
    let mut cfg = Config::default();
    cfg.amnesia.insert(NodeId::acceptor(1));
    assert_eq!(Bounds::for_config(&cfg).max_crashes, 1, "amnesia brings the crash it needs");
    let (_, detail, _) = counterexample(cfg.clone(), Bounds::for_config(&cfg));
    assert!(detail.contains("chosen"), "{detail}");
    assert!(Bounds::default().lacks(&cfg).is_some());
}

/// Random walks under one kind of fault at a time, and all at once, within the explorer's
/// bounds, only ever reach states the explorer stored (crashed nodes stay down for a while, so
/// the explorer keeps crash and restart apart here). Learners hear every vote at once, in the
/// walks as in the explorer.
#[test]
fn random_walks_under_every_fault_reach_only_states_the_explorer_saw() {
    let one_with_amnesia = {
        let mut c = Config { clients: 1, proposers: 1, ..Config::default() };
        c.amnesia.insert(NodeId::acceptor(1));
        c
    };
    let all = Faults { crashes: true, duplicates: true, drops: true, partitions: false };
    let b = Bounds { max_rounds: 2, max_crashes: 1, max_duplicates: 1, max_drops: 1 };
    let cases = [
        ("no faults", Config::default(), Bounds { max_rounds: 3, ..Bounds::default() }, Faults::default()),
        (
            "crashes",
            Config::default(),
            Bounds { max_rounds: 2, max_crashes: 1, ..Bounds::default() },
            Faults { crashes: true, ..Faults::default() },
        ),
        (
            "duplicates",
            Config::default(),
            Bounds { max_rounds: 2, max_duplicates: 2, ..Bounds::default() },
            Faults { duplicates: true, ..Faults::default() },
        ),
        (
            "drops",
            Config::default(),
            Bounds { max_rounds: 2, max_drops: 2, ..Bounds::default() },
            Faults { drops: true, ..Faults::default() },
        ),
        ("all", Config::default(), b, all),
        ("amnesia", one_with_amnesia, b, all),
    ];
    for (name, cfg, bounds, faults) in cases {
        let ex = explore_with(cfg.clone(), bounds, Options { instant_restarts: false, ..Options::default() });
        assert!(!matches!(ex.verdict(), Some(Verdict::Violation { .. })), "{name}: {:?}", ex.verdict());
        let checked = walk(&ex, &cfg, bounds, faults, name);
        println!("{name}: {} states stored, {checked} walk states found among them", ex.progress().states);
        assert!(checked > 5_000, "{name}: only {checked} states compared");
    }
}

/// 500 random walks; returns how many states they checked.
fn walk(ex: &Explorer, cfg: &Config, bounds: Bounds, faults: Faults, name: &str) -> usize {
    let mut checked = 0;
    for seed in 0..500u64 {
        let mut w = World::new(cfg.clone(), 42).unwrap();
        let mut trail: Vec<Command> = ex.prefix().to_vec();
        let mut counters = [0u8, 0, 0, 0]; // duplicates, crashes, drops, ballots
        for c in &trail {
            counters[3] += started(&w.apply(c.clone()));
        }
        let mut rng = RandomScheduler::new(seed, faults);
        for _ in 0..200 {
            let Some(cmd) = within(rng.next(&w), &w, bounds, &mut counters) else { continue };
            trail.push(cmd.clone());
            let ev = w.apply(cmd);
            counters[3] += started(&ev);
            if counters[3] as u32 > bounds.max_rounds {
                break;
            }
            // Learners hear votes at once, as in the explorer (they are passive: when they hear
            // changes nothing else, and the oracle checks what they learn).
            let mut settled = Vec::new();
            settle_learners(&mut w, &mut Vec::new(), Some(&mut settled));
            trail.extend(settled);
            if !ex.has_seen(&w, counters) {
                let t = Timeline::replay(cfg.clone(), 42, &trail).unwrap();
                for n in 1..=t.len() {
                    eprintln!("{n}: {}", paxoscope::sim::narrate::narrate_step(&t, n).unwrap().text);
                }
                let _ = std::fs::write("/tmp/trail.json", serde_json::to_string(&trail).unwrap());
                let _ = std::fs::write(
                    "/tmp/trail_bounds.json",
                    serde_json::to_string(&(
                        bounds.max_rounds,
                        bounds.max_crashes,
                        bounds.max_duplicates,
                        bounds.max_drops,
                        cfg,
                    ))
                    .unwrap(),
                );
                panic!("{name}, seed {seed}: a state the explorer never saw ({counters:?})");
            }
            checked += 1;
        }
    }
    checked
}

/// Ballots started by a step.
fn started(events: &[Event]) -> u8 {
    events.iter().filter(|e| matches!(e, Event::Decided { decision, .. } if decision.started().is_some())).count() as u8
}

/// The walk's command, if it is one of the explorer's moves within the bounds (a tick becomes
/// the delivery of the oldest message); counts the faults it uses.
fn within(cmd: Command, w: &World, b: Bounds, counters: &mut [u8; 4]) -> Option<Command> {
    let [dups, crashes, drops, ballots] = counters;
    let node_in_search =
        |n: NodeId| matches!(n.role, paxoscope::paxos::Role::Proposer | paxoscope::paxos::Role::Acceptor);
    match cmd {
        Command::Tick => w.in_flight().first().map(|m| Command::Deliver { id: m.id }),
        Command::Deliver { .. } | Command::Restart { .. } => Some(cmd),
        Command::Timeout { .. } => ((*ballots as u32) < b.max_rounds).then_some(cmd),
        Command::Duplicate { .. } if *dups < b.max_duplicates => {
            *dups += 1;
            Some(cmd)
        }
        Command::Drop { .. } if *drops < b.max_drops => {
            *drops += 1;
            Some(cmd)
        }
        Command::Crash { node } if *crashes < b.max_crashes && node_in_search(node) => {
            *crashes += 1;
            Some(cmd)
        }
        _ => None,
    }
}

#[test]
fn bad_bounds_are_refused() {
    assert!(Explorer::new(Config::default(), 1, Bounds { max_rounds: 0, ..Bounds::default() }).is_err());
    assert!(Explorer::new(Config::default(), 1, Bounds { max_crashes: 9, ..Bounds::default() }).is_err());
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_paxoscope-cli")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_explore_prints_verdicts_and_replayable_counterexamples() {
    let (code, out, _) = cli(&["explore", "--list-mutations"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        "ignore_reported_values acceptor_amnesia minority_quorum accept_below_promise shared_ballots skip_recovery"
    );
    let (code, out, _) = cli(&["explore", "--clients", "1", "--proposers", "1"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("unique states") && out.contains("states/s") && out.contains("transitions"), "{out}");
    assert!(out.contains("bounds: 3 rounds in all, 0 crashes, 0 duplicates, 0 drops"), "{out}");
    assert!(out.contains("verdict: safe: no violation in"), "{out}");
    let (code, out, err) = cli(&["explore", "--mutation", "accept_below_promise"]);
    assert_eq!(code, 1, "a counterexample exits 1");
    assert!(
        out.contains("verdict: counterexample (17 steps (rule broken at step 13, harm at step 17)): Agreement"),
        "{out}"
    );
    assert!(err.contains("counterexample found"), "{err}");
    // The printed trace replays.
    let json = &out[out.find('{').unwrap()..];
    let path = std::env::temp_dir().join(format!("paxoscope-cx-{}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    let (code, out, err) = cli(&["replay", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("every event matches"), "{out}");
    // A broken rule without harm is not called safe.
    let (code, out, _) = cli(&["explore", "--mutation", "shared_ballots"]);
    assert_eq!(code, 0);
    assert!(out.contains("verdict: no harm: a rule broke (BallotsUnique"), "{out}");
    let (code, out, _) = cli(&["explore", "--mutation", "shared_ballots", "--stop-at-rule"]);
    assert_eq!(code, 1);
    assert!(out.contains("verdict: counterexample (4 steps (rule broken at step 4)): BallotsUnique"), "{out}");
}

#[test]
fn cli_explore_brings_the_bounds_a_switch_needs_or_says_which_flag_to_add() {
    let (code, out, err) = cli(&["explore", "--mutation", "acceptor_amnesia"]);
    assert_eq!(code, 1, "amnesia is caught, not called safe: {out}");
    assert!(err.contains("amnesia needs a crash, so the search allows 1 crash"), "{err}");
    assert!(out.contains("bounds: 3 rounds in all, 1 crash,"), "{out}");
    let (code, out, err) = cli(&["explore", "--amnesia", "A2", "--max-crashes", "0"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("add --max-crashes 1"), "{err}");
}

#[test]
fn cli_explore_exit_codes_cap_help_and_threads() {
    let (code, out, _) = cli(&["help"]);
    assert_eq!(code, 0);
    for flag in ["--max-states", "--threads", "--stop-at-rule", "--no-reduction", "3 at the cap"] {
        assert!(out.contains(flag), "help mentions {flag}: {out}");
    }
    let (code, out, err) = cli(&["explore", "--max-states", "1000"]);
    assert_eq!(code, 3, "the cap is inconclusive, not a counterexample: {out}");
    assert!(err.contains("inconclusive") && err.contains("--max-states"), "{err}");
    let (code, _, err) = cli(&["explore", "--max-rounds", "9"]);
    assert_eq!(code, 2);
    assert!(err.contains("rounds must be between 1 and 6"), "{err}");
    let (code, _, err) = cli(&["explore", "--threads", "0"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = cli(&["explore", "--no-reduction", "magic"]);
    assert_eq!(code, 2);
    assert!(err.contains("symmetry last-ballots requests-first instant-restarts partial-order all"), "{err}");
    // One thread or three: the same counts and verdict.
    let counts = |t: &str| {
        let (code, out, _) = cli(&["explore", "--max-crashes", "1", "--threads", t]);
        assert_eq!(code, 0);
        let line = out.lines().next().unwrap().to_string();
        (line[..line.find(" in ").unwrap()].to_string(), out.lines().nth(2).unwrap().to_string())
    };
    assert_eq!(counts("1"), counts("3"));
}
