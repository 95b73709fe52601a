//! The explorer's run inside the app: started, advanced a slice at a time between frames (so the
//! page never freezes), cancelled, and its counterexample loaded into the timeline.

use super::App;
use super::{alert, alert_at, news};
use crate::sim::explore::{Bounds, Explorer, Options, Verdict};
use crate::sim::Command;
use crate::ui::components::explorer;
use crate::ui::explore_run::ExploreRun;
use crate::ui::msg::{Explore, Msg};
use crate::ui::session::Session;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// The browser stops a search beyond this many states, so memory stays bounded.
pub const BROWSER_STATE_LIMIT: usize = 2_000_000;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Where the browser stops a search of `config` without a verdict.
fn state_limit(config: &crate::sim::Config) -> usize {
    match config.mode {
        crate::sim::Mode::Multi => crate::ui::verdict::MULTI_STATE_LIMIT,
        crate::sim::Mode::Single => BROWSER_STATE_LIMIT,
    }
}

impl App {
    pub(super) fn on_explore(&mut self, ctx: &Context<Self>, e: Explore) {
        match e {
            Explore::Start(bounds, stop_at_rule) => self.explore_start(ctx, bounds, stop_at_rule),
            Explore::Slice => self.explore_slice(ctx),
            Explore::Cancel => self.explore_cancel(),
            Explore::LoadCounterexample => self.load_counterexample(ctx),
            Explore::Dismiss => {
                self.slice = None;
                self.explore = None;
            }
            Explore::RunExperiment => self.run_experiment(),
        }
    }

    /// Starts a search on the current config and seed.
    pub(super) fn explore_start(&mut self, ctx: &Context<Self>, bounds: Bounds, stop_at_rule: bool) {
        self.slice = None;
        let t = self.session.timeline();
        let options = Options { stop_at_rule, ..Options::default() };
        match Explorer::with(t.config().clone(), t.seed(), bounds, options) {
            Ok(ex) => {
                let progress = ex.progress();
                self.explore = Some(ExploreRun { ex, progress, elapsed_ms: 0.0, verdict: None, stopped: None });
                self.schedule_slice(ctx);
            }
            Err(e) => self.notice = alert(format!("The explorer cannot start: {e}.")),
        }
    }

    /// Runs the search for about 45 ms, then yields to the page until the next slice.
    pub(super) fn explore_slice(&mut self, ctx: &Context<Self>) {
        let mut found = false;
        if let Some(run) = self.explore.as_mut().filter(|r| r.verdict.is_none() && r.stopped.is_none()) {
            // Work for about 45 ms, then let the page breathe (and repaint the progress).
            let t0 = now_ms();
            loop {
                run.progress = run.ex.run(2_000);
                if run.progress.done || now_ms() - t0 > 45.0 {
                    break;
                }
            }
            run.elapsed_ms += now_ms() - t0;
            if run.progress.done {
                run.verdict = run.ex.verdict().cloned();
                found = matches!(run.verdict, Some(Verdict::Violation { .. }));
            } else if run.progress.states >= state_limit(run.ex.config()) {
                let cli = match run.ex.config().mode {
                    crate::sim::Mode::Multi => "paxoscope-cli explore --mode multi",
                    crate::sim::Mode::Single => "paxoscope-cli explore",
                };
                run.stopped = Some(format!(
                    "Stopped at {} states without a verdict: tighten the bounds (or use {cli}).",
                    run.progress.states
                ));
            } else {
                self.schedule_slice(ctx);
            }
        }
        if found {
            self.load_counterexample(ctx);
        }
    }

    /// The verdict for the side panel while the dialog is closed, as long as it is about the run
    /// on screen: another config or seed, or a lesson, makes it someone else's verdict.
    pub(super) fn explore_card(&self, send: &Callback<Msg>) -> Option<Html> {
        let run = self.explore.as_ref().filter(|r| r.verdict.is_some())?;
        let t = self.session.timeline();
        let current = run.ex.config() == t.config() && run.ex.seed() == t.seed();
        (current && !self.explorer_open && self.lesson.is_none()).then(|| explorer::card(run, send))
    }

    /// The explorer's counterexample (found here, or opened from a link marked `cx=1`), when the
    /// run on screen is on it: its commands so far, in its cluster and seed, outside a lesson.
    pub(super) fn on_counterexample(&self) -> Option<&[Command]> {
        let found = self.explore.as_ref().and_then(|run| match &run.verdict {
            Some(Verdict::Violation { commands, .. }) => Some((run.ex.config(), run.ex.seed(), commands)),
            _ => None,
        });
        let (config, seed, commands) = found.or(self.shared_cx.as_ref().map(|(c, s, cmds)| (c, *s, cmds)))?;
        let t = self.session.timeline();
        let same = config == t.config() && seed == t.seed() && self.lesson.is_none();
        let on_it = t.cursor() <= commands.len() && t.commands().take(t.cursor()).zip(commands).all(|(a, b)| a == b);
        (same && on_it).then_some(commands.as_slice())
    }

    /// What presenter mode's bar calls the run on screen when it is the explorer's
    /// counterexample (the side panel and its verdict card are hidden there).
    pub(super) fn counterexample_title(&self) -> Option<String> {
        self.on_counterexample().map(|c| format!("Counterexample · {} steps", c.len()))
    }

    /// What presenter mode's strip says before the counterexample's first step: the verdict,
    /// which the side panel's card shows outside presenter mode.
    pub(super) fn counterexample_intro(&self) -> Option<String> {
        if self.session.cursor() != 0 {
            return None;
        }
        let commands = self.on_counterexample()?;
        match self.explore.as_ref().and_then(|run| run.verdict.as_ref().map(|v| (run, v))) {
            Some((run, v)) => Some(crate::ui::verdict::text(v, &run.ex.bounds(), run.ex.config())),
            None => Some(shared_intro(self.session.timeline(), commands.len())),
        }
    }

    /// At the counterexample's last step, with nothing recorded after it, a step would make a new
    /// one of free play: the first press says so, the second goes on (as at a lesson's end).
    pub(super) fn hold_at_counterexample_end(&mut self) -> bool {
        let (cursor, len) = (self.session.cursor(), self.session.len());
        let at_end = cursor == len && self.on_counterexample().is_some_and(|c| c.len() == cursor);
        if !at_end || self.end_offer {
            if at_end {
                self.notice = None; // the offer is taken: it is not true of the steps that follow
            }
            self.end_offer = false;
            return false;
        }
        self.end_offer = true;
        self.notice =
            alert_at("This is the counterexample's last step. Step again to go on from here in free play.", cursor);
        true
    }

    /// Stops the search where it is.
    pub(super) fn explore_cancel(&mut self) {
        self.slice = None;
        if let Some(run) = self.explore.as_mut() {
            if run.verdict.is_none() {
                run.stopped = Some(format!("Cancelled after {} states.", run.progress.states));
            }
        }
    }

    /// Queues the next slice after the browser has had a turn.
    pub(super) fn schedule_slice(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.slice = Some(Timeout::new(0, move || link.send_message(Msg::Explore(Explore::Slice))));
    }

    /// Puts the explorer's counterexample in the timeline at step 0 and plays it.
    pub(super) fn load_counterexample(&mut self, ctx: &Context<Self>) {
        let Some(run) = &self.explore else { return };
        let Some(Verdict::Violation { commands, .. }) = &run.verdict else { return };
        match Session::from_commands(run.ex.config().clone(), run.ex.seed(), commands, 0) {
            Ok(mut s) => {
                // A student watches it play; a lecturer tells it step by step with the clicker.
                s.playing = !self.presenter;
                s.speed = self.session.speed;
                self.session = s;
                self.lesson = None;
                self.explorer_open = false;
                self.side_to_top = true;
                self.notice = news(if self.presenter {
                    "The explorer's counterexample is loaded: it waits at step 0, and safety breaks at its last step."
                } else {
                    "The explorer's counterexample is loaded: it plays from step 0, and safety breaks at its last step."
                });
                self.restart_timer(ctx);
            }
            Err(e) => self.notice = alert(format!("The counterexample could not be loaded: {e}")),
        }
    }
}

/// What a counterexample opened from a link is: its length, the rules switched off, and the
/// steps where a rule breaks and where harm follows (the verdict's bounds stayed with the search
/// that found it).
pub(super) fn shared_intro(t: &crate::sim::Timeline, steps: usize) -> String {
    let off: Vec<String> = t
        .config()
        .mutations
        .iter()
        .map(|m| format!("\u{201c}{}\u{201d}", m.describe().trim_end_matches('.')))
        .collect();
    let mut words = format!("The explorer's counterexample, opened from a link: {steps} steps");
    if !off.is_empty() {
        words.push_str(&format!(", with {} switched off", off.join(" and ")));
    }
    words.push('.');
    // The first broken rule and the first harm, each with its step.
    let mut seen = (false, false);
    for (i, step) in t.steps().iter().take(steps).enumerate() {
        for e in &step.events {
            let crate::sim::Event::Violated { invariant, detail } = e else { continue };
            let (flag, what) =
                if invariant.is_harm() { (&mut seen.1, "the harm") } else { (&mut seen.0, "a rule breaks") };
            if !std::mem::replace(flag, true) {
                words.push_str(&format!(" Step {}, {what}: {detail}", i + 1));
            }
        }
    }
    words
}
