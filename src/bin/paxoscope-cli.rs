//! `paxoscope-cli`: the simulator without a browser.
//!
//! ```text
//! paxoscope-cli simulate [--seed N] [--steps N] [cluster flags] [fault flags]   prints a trace
//! paxoscope-cli replay FILE                                                    checks a trace
//! ```

use paxoscope::paxos::NodeId;
use paxoscope::paxos::Switch;
use paxoscope::sim::explore::{Bounds, Explorer, Options, Verdict};
use paxoscope::sim::{simulate_with, Config, Faults, Mode, Timeline, Trace, TraceFile};
use std::process::ExitCode;

const USAGE: &str = "usage:
  paxoscope-cli simulate [--seed N] [--steps N] [--mode single|multi] [--slots N] [--commands N]
                         [--clients N --proposers N --acceptors N --learners N]
                         [--loss P] [--duplicate-rate P] [--latency MIN,MAX] [--timeout T]
                         [--crashes] [--duplicates] [--drops] [--partitions]
                         [--no-nacks] [--backoff] [--amnesia A2,...] [--mutation NAME]...
      Runs a seeded random schedule and prints its trace (JSON) on stdout. --mode multi runs
      Multi-Paxos (a log of --slots slots, default 8); --commands caps the client commands sent.
  paxoscope-cli replay FILE
      Re-applies a trace's commands; exits 0 when every event matches.
  paxoscope-cli explore [cluster flags] [--no-nacks] [--amnesia A2,...] [--mutation NAME]...
                        [--max-rounds N] [--max-crashes N] [--max-duplicates N] [--max-drops N]
                        [--max-states N] [--threads N] [--stop-at-rule] [--no-reduction NAME]...
      Breadth-first search of every ordering within the bounds (defaults: 3 rounds in all,
      0 crashes, 0 duplicates, 0 drops; amnesia raises crashes to 1) for harm: two values
      chosen, a value nobody asked for, or someone told a value that was not chosen. A rule
      switched off is noted where it first breaks; --stop-at-rule stops there instead.
      --max-states caps the search (default 20000000); --threads defaults to every core and
      gives the same verdict and counts as one. --no-reduction turns off symmetry,
      last-ballots, requests-first, instant-restarts, partial-order or all (slower, same verdict).
      Prints states, time, states per second and the verdict (progress on stderr); a
      counterexample follows as a trace. Exits 0 when no harm is found, 1 with a
      counterexample, 3 at the cap without a verdict, 2 on bad usage.
      --mode multi searches Multi-Paxos: C1 \"X1\" and C2 \"Y1\" sent to P1, a log of --slots
      slots (default 2), 2 ballots in all (the first leader's and one leader change), at most
      one client retry; per-slot agreement and validity, and commits and replies, are checked.
      It runs on one thread and stores whole worlds, about 2.5 kB each (default cap 1000000
      states; acceptor_amnesia needs --max-states 3000000); learners are left out of its state.
      Of the reductions, symmetry, last-ballots and partial-order apply there (partial-order
      only proves a log with no rule switched off safe; a breach it finds is searched for again
      without it, for a shortest run); requests-first and instant-restarts do not.
  paxoscope-cli explore --list-mutations
      Prints the rule-breaking switch names, separated by spaces.
  paxoscope-cli help";

/// A one-line failure: usage errors exit 2, a replay mismatch or a counterexample exits 1, a
/// search stopped at its cap exits 3.
struct Fail(u8, String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            emit(&out);
            ExitCode::SUCCESS
        }
        Err(Fail(code, msg)) => {
            eprintln!("paxoscope-cli: {msg}");
            ExitCode::from(code)
        }
    }
}

/// Writes a line to stdout. When the reader has gone away (`… | head`), the rest is not wanted:
/// exit quietly and successfully, as `ripgrep` does, instead of panicking on the closed pipe.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|_| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("paxoscope-cli: cannot write the output: {e}");
        std::process::exit(1);
    }
}

fn usage(msg: impl Into<String>) -> Fail {
    Fail(2, msg.into())
}

fn run(args: &[String]) -> Result<String, Fail> {
    match args.first().map(String::as_str) {
        Some("simulate") => cmd_simulate(&args[1..]),
        Some("replay") => cmd_replay(&args[1..]),
        Some("explore") => cmd_explore(&args[1..]),
        Some("help" | "--help" | "-h") => Ok(USAGE.to_string()),
        Some(other) => Err(usage(format!("unknown command {other:?}; try `paxoscope-cli help`"))),
        None => Err(usage("no command given; try `paxoscope-cli help`")),
    }
}

/// Walks `--flag value` pairs and switches.
struct Flags<'a> {
    args: &'a [String],
    i: usize,
}

impl<'a> Flags<'a> {
    fn next_flag(&mut self) -> Option<&'a str> {
        let f = self.args.get(self.i)?;
        self.i += 1;
        Some(f)
    }
    fn value(&mut self, flag: &str) -> Result<&'a str, Fail> {
        let v = self.args.get(self.i).ok_or_else(|| usage(format!("{flag} needs a value")))?;
        self.i += 1;
        Ok(v)
    }
    fn number<T: std::str::FromStr>(&mut self, flag: &str) -> Result<T, Fail> {
        let v = self.value(flag)?;
        v.parse().map_err(|_| usage(format!("{flag} needs a whole number, not {v:?}")))
    }
}

/// Parses the cluster, network and rule flags shared by subcommands. Returns false for a flag it
/// does not know, so the caller can try its own.
fn config_flag(cfg: &mut Config, flag: &str, f: &mut Flags) -> Result<bool, Fail> {
    match flag {
        "--clients" => cfg.clients = f.number(flag)?,
        "--proposers" => cfg.proposers = f.number(flag)?,
        "--acceptors" => cfg.acceptors = f.number(flag)?,
        "--learners" => cfg.learners = f.number(flag)?,
        "--loss" => cfg.loss = f.number(flag)?,
        "--duplicate-rate" => cfg.duplicate = f.number(flag)?,
        "--timeout" => cfg.timeout = f.number(flag)?,
        "--latency" => {
            let v = f.value(flag)?;
            let (a, b) = v.split_once(',').ok_or_else(|| usage(format!("--latency needs MIN,MAX, not {v:?}")))?;
            let p = |s: &str| s.parse::<u32>().map_err(|_| usage(format!("--latency needs MIN,MAX, not {v:?}")));
            (cfg.latency_min, cfg.latency_max) = (p(a)?, p(b)?);
        }
        "--mode" => cfg.mode = Mode::parse(f.value(flag)?).map_err(usage)?,
        "--slots" => cfg.slots = f.number(flag)?,
        "--no-nacks" => cfg.nacks = false,
        "--backoff" => cfg.backoff = true,
        "--amnesia" => {
            for id in f.value(flag)?.split(',').filter(|s| !s.is_empty()) {
                cfg.amnesia.insert(NodeId::parse(id).map_err(usage)?);
            }
        }
        "--mutation" => {
            cfg.mutations.insert(Switch::parse(f.value(flag)?).map_err(usage)?);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Reads a subcommand's flags: the shared config flags, then its own (`own` returns false for a
/// flag it does not know). Returns the checked config.
fn parse_flags(
    command: &str,
    args: &[String],
    mut own: impl FnMut(&str, &mut Flags) -> Result<bool, Fail>,
) -> Result<Config, Fail> {
    let mut cfg = Config::default();
    let mut f = Flags { args, i: 0 };
    while let Some(flag) = f.next_flag() {
        if !config_flag(&mut cfg, flag, &mut f)? && !own(flag, &mut f)? {
            return Err(usage(format!("{command} does not take {flag:?}; try `paxoscope-cli help`")));
        }
    }
    cfg.validate().map_err(|e| usage(format!("config out of range: {e}")))?;
    Ok(cfg)
}

fn cmd_simulate(args: &[String]) -> Result<String, Fail> {
    let (mut seed, mut steps, mut faults, mut commands) = (42u64, 200usize, Faults::default(), None);
    let cfg = parse_flags("simulate", args, |flag, f| {
        match flag {
            "--seed" => seed = f.number(flag)?,
            "--steps" => steps = f.number(flag)?,
            "--commands" => commands = Some(f.number(flag)?),
            "--crashes" => faults.crashes = true,
            "--duplicates" => faults.duplicates = true,
            "--drops" => faults.drops = true,
            "--partitions" => faults.partitions = true,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    if steps > paxoscope::sim::trace::MAX_STEPS {
        return Err(usage(format!("--steps must be at most {}", paxoscope::sim::trace::MAX_STEPS)));
    }
    let t = simulate_with(cfg, seed, steps, faults, commands).map_err(usage)?;
    Ok(Trace::from_timeline(&t).to_json())
}

fn cmd_replay(args: &[String]) -> Result<String, Fail> {
    let [file] = args else {
        return Err(usage("replay takes exactly one trace file"));
    };
    let text = std::fs::read_to_string(file).map_err(|e| usage(format!("cannot read {file}: {e}")))?;
    let trace = TraceFile::parse(&text).map_err(|e| usage(format!("{file}: {e}")))?;
    let t = trace.replay().map_err(|e| Fail(1, format!("{file}: {e}")))?;
    let verdict = match (t.world().oracle().log(), t.world().chosen()) {
        (Some(log), _) => {
            let slots: Vec<String> =
                (0..t.config().slots).filter_map(|s| log.chosen(s).map(|(_, c)| format!("s{} {c}", s + 1))).collect();
            format!("{} slots chosen: {}", slots.len(), slots.join(", "))
        }
        (None, Some((b, v))) => format!("{v} chosen in ballot {b}"),
        (None, None) => "no value chosen".into(),
    };
    Ok(format!("{file}: {} steps replayed, every event matches ({verdict}).", trace.steps.len()))
}

fn cmd_explore(args: &[String]) -> Result<String, Fail> {
    if args.iter().any(|a| a == "--list-mutations") {
        return Ok(Switch::ALL.iter().map(|m| m.name()).collect::<Vec<_>>().join(" "));
    }
    let mut set = ExploreFlags::default();
    let mut cfg = parse_flags("explore", args, |flag, f| set.parse(flag, f))?;
    if cfg.mode == paxoscope::sim::Mode::Multi {
        // The log the Multi-Paxos search is sized for; a longer one only when asked for.
        if !args.iter().any(|a| a == "--slots") {
            cfg.slots = 2;
        }
        // It stores whole worlds, about 2.5 kB each, and runs on one thread.
        if !args.iter().any(|a| a == "--max-states") {
            set.max_states = MULTI_MAX_STATES;
        }
        set.threads = 1;
    }
    let bounds = set.bounds(&cfg)?;
    let mut ex = Explorer::with(cfg.clone(), set.seed, bounds, set.options).map_err(usage)?;
    ex.set_threads(set.threads);
    let start = std::time::Instant::now();
    let mut p = search(&mut ex, set.max_states, &start);
    if !p.done {
        return Err(Fail(
            3,
            format!(
                "inconclusive: stopped at the limit of {} states (depth {}) without a verdict; \
                 tighten the bounds or raise --max-states",
                set.max_states, p.depth
            ),
        ));
    }
    p = ex.progress();
    let secs = start.elapsed().as_secs_f64();
    let head = format!(
        "explored {} unique states ({} expanded, {} transitions) to depth {} in {:.3} s on {} thread{}: \
         {:.0} states/s, peak {:.1} MB\nbounds: {}",
        p.states,
        p.expanded,
        p.transitions,
        p.depth,
        secs,
        set.threads,
        if set.threads == 1 { "" } else { "s" },
        p.states as f64 / secs.max(1e-9),
        ex.peak_bytes() as f64 / 1e6,
        describe(&bounds, &cfg)
    );
    match ex.verdict() {
        Some(Verdict::Safe { states }) => Ok(format!("{head}\nverdict: safe: no violation in {states} states")),
        Some(Verdict::NoHarm { states, invariant, detail }) => Ok(format!(
            "{head}\nverdict: no harm: a rule broke ({invariant:?}: {detail}), but no two values were chosen and \
             nobody was told a value that was not chosen, in {states} states"
        )),
        Some(Verdict::Violation { commands, invariant, detail, broken_at, harm_at, .. }) => {
            let t = Timeline::replay(cfg, set.seed, commands).map_err(usage)?;
            let marks = match (broken_at, harm_at) {
                (Some(b), Some(h)) => format!(" (rule broken at step {b}, harm at step {h})"),
                (Some(b), None) => format!(" (rule broken at step {b})"),
                (None, _) => String::new(),
            };
            // The report and the trace go to stdout (the trace can be saved and replayed); the
            // exit status says a property broke.
            emit(&format!("{head}\nverdict: counterexample ({} steps{marks}): {invariant:?}: {detail}", t.len()));
            emit(&Trace::from_timeline(&t).to_json());
            Err(Fail(1, format!("counterexample found: {detail}")))
        }
        None => Err(usage("the search stopped without a verdict")),
    }
}

/// The default cap of a Multi-Paxos search.
const MULTI_MAX_STATES: usize = 1_000_000;

/// `explore`'s own flags.
struct ExploreFlags {
    seed: u64,
    max_states: usize,
    threads: usize,
    options: Options,
    rounds: Option<u32>,
    crashes: Option<u8>,
    duplicates: Option<u8>,
    drops: Option<u8>,
}

impl Default for ExploreFlags {
    fn default() -> Self {
        ExploreFlags {
            seed: 42,
            max_states: 20_000_000,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            options: Options::default(),
            rounds: None,
            crashes: None,
            duplicates: None,
            drops: None,
        }
    }
}

impl ExploreFlags {
    fn parse(&mut self, flag: &str, f: &mut Flags) -> Result<bool, Fail> {
        match flag {
            "--seed" => self.seed = f.number(flag)?,
            "--max-states" => self.max_states = f.number(flag)?,
            "--threads" => {
                self.threads = f.number(flag)?;
                if !(1..=256).contains(&self.threads) {
                    return Err(usage(format!("--threads must be between 1 and 256, not {}", self.threads)));
                }
            }
            "--max-rounds" => self.rounds = Some(f.number(flag)?),
            "--max-crashes" => self.crashes = Some(f.number(flag)?),
            "--max-duplicates" => self.duplicates = Some(f.number(flag)?),
            "--max-drops" => self.drops = Some(f.number(flag)?),
            "--stop-at-rule" => self.options.stop_at_rule = true,
            "--no-reduction" => match f.value(flag)? {
                "symmetry" => self.options.symmetry = false,
                "last-ballots" => self.options.last_ballots = false,
                "requests-first" => self.options.requests_first = false,
                "instant-restarts" => self.options.instant_restarts = false,
                "partial-order" => self.options.partial_order = false,
                "all" => self.options = Options { stop_at_rule: self.options.stop_at_rule, ..Options::PLAIN },
                other => {
                    return Err(usage(format!(
                        "unknown reduction {other:?}; the reductions are: symmetry last-ballots requests-first \
                         instant-restarts partial-order all"
                    )))
                }
            },
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The bounds: the defaults raised to what the config needs, then what was asked for. Asking
    /// for less than a switch needs is refused, with the flag that fixes it.
    fn bounds(&self, cfg: &Config) -> Result<Bounds, Fail> {
        let mut b = Bounds::for_config(cfg);
        let raised = b.max_crashes > 0 && self.crashes.is_none();
        b.max_rounds = self.rounds.unwrap_or(b.max_rounds);
        b.max_crashes = self.crashes.unwrap_or(b.max_crashes);
        b.max_duplicates = self.duplicates.unwrap_or(b.max_duplicates);
        b.max_drops = self.drops.unwrap_or(b.max_drops);
        b.validate().map_err(|e| usage(format!("bounds out of range: {e}")))?;
        if let Some(why) = b.lacks(cfg) {
            return Err(usage(format!("{why}: add --max-crashes 1")));
        }
        if raised {
            eprintln!(
                "paxoscope-cli: amnesia needs a crash, so the search allows {}",
                plural(b.max_crashes, "crash", "crashes")
            );
        }
        Ok(b)
    }
}

/// Runs the search to a verdict or the cap, printing progress on stderr every two seconds.
fn search(ex: &mut Explorer, max_states: usize, start: &std::time::Instant) -> paxoscope::sim::explore::Progress {
    let mut last = 0.0;
    loop {
        let p = ex.run(20_000);
        if p.done || p.states >= max_states {
            return p;
        }
        let t = start.elapsed().as_secs_f64();
        if t - last >= 2.0 {
            last = t;
            eprintln!(
                "paxoscope-cli: {:.0} s: {} states, depth {}, {} waiting, {:.0} states/s",
                t,
                p.states,
                p.depth,
                p.frontier,
                p.states as f64 / t
            );
        }
    }
}

fn plural(n: u8, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "3 rounds in all, 0 crashes, 0 duplicates, 0 drops" (and, for a log, its slots and the
/// client retry).
fn describe(b: &Bounds, cfg: &Config) -> String {
    let log = match cfg.mode {
        paxoscope::sim::Mode::Multi => format!(
            ", {} retry by a client; a log of {}",
            paxoscope::sim::explore::MAX_RETRIES,
            plural(cfg.slots, "slot", "slots")
        ),
        paxoscope::sim::Mode::Single => String::new(),
    };
    format!(
        "{} rounds in all, {}, {}, {}{log}",
        b.max_rounds,
        plural(b.max_crashes, "crash", "crashes"),
        plural(b.max_duplicates, "duplicate", "duplicates"),
        plural(b.max_drops, "drop", "drops")
    )
}
