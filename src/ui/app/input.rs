//! How input becomes steps: the keyboard shortcuts and the auto-play timer.

use super::alert;
use super::App;
use crate::ui::components::metrics;
use crate::ui::msg::{Export, Guide, Msg, Play, Predict, Show};
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

impl App {
    /// Opens (closing any other dialog) or closes the metrics; in Multi-Paxos mode, opening runs
    /// the log-cost experiment on this cluster (a few dozen short seeded runs).
    pub(super) fn toggle_metrics(&mut self) {
        let open = !self.metrics_open;
        self.close_dialogs();
        self.metrics_open = open;
        let config = self.session.timeline().config();
        self.log_cost = None;
        if self.metrics_open && !config.mode.is_single() {
            match crate::sim::metrics::log_cost(config, &[1, 2, 4, 8, 16], 4) {
                Ok(pts) => self.log_cost = Some(pts),
                Err(e) => self.notice = alert(format!("The log-cost experiment could not run: {e}")),
            }
        }
    }

    /// What the metrics show across many runs, for this mode.
    pub(super) fn across(&self) -> metrics::Across<'_> {
        match &self.log_cost {
            Some(pts) => metrics::Across::Log(pts),
            None => metrics::Across::Sweeps(self.experiment.as_ref()),
        }
    }

    /// Runs the metrics sweeps (by cluster size and by loss rate) on the current shape.
    pub(super) fn run_experiment(&mut self) {
        use crate::sim::metrics::sweep;
        let base = self.session.timeline().config().clone();
        let base = crate::sim::Config { amnesia: Default::default(), mutations: Default::default(), ..base };
        let size = sweep(&base, &[1, 3, 5, 7, 9], 20, 3_000, |c, n| c.acceptors = n as u8);
        let loss = sweep(&base, &[0, 10, 20, 30, 40], 20, 3_000, |c, p| c.loss = p as u8);
        match size.and_then(|a| loss.map(|b| (a, b))) {
            Ok(e) => self.experiment = Some(e),
            Err(e) => self.notice = alert(format!("The experiment could not run: {e}")),
        }
    }

    /// (Re)starts or stops the auto-play interval to match the play state and speed.
    pub(super) fn restart_timer(&mut self, ctx: &Context<Self>) {
        self.interval = None;
        if self.session.playing {
            let link = ctx.link().clone();
            let ms = self.session.step_ms().round() as u32;
            self.interval = Some(Interval::new(ms, move || link.send_message(Msg::Play(Play::Tick))));
        }
    }

    /// Keyboard shortcuts; ignored while typing in a field.
    pub(super) fn key(&mut self, ctx: &Context<Self>, e: KeyboardEvent) -> bool {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
            .unwrap_or(false);
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return false;
        }
        // While a video records, the run must stay where the recorder puts it: Escape cancels.
        if self.export.as_ref().is_some_and(|d| d.recording.is_some()) {
            return e.key() == "Escape" && <Self as Component>::update(self, ctx, Msg::Export(Export::Cancel));
        }
        if let Some(handled) = self.dialog_key(&e) {
            return handled;
        }
        // In a lesson the clicker moves beat by beat; Shift moves one step.
        let beats = self.lesson.is_some() && !e.shift_key();
        let msg = match e.key().as_str() {
            // Presentation clickers send PageDown, PageUp and "." (or "b").
            "ArrowRight" | "PageDown" if beats => Msg::Guide(Guide::Next),
            "ArrowLeft" | "PageUp" if beats => Msg::Guide(Guide::Prev),
            "ArrowRight" | "PageDown" => Msg::Play(Play::Step),
            "ArrowLeft" | "PageUp" => Msg::Play(Play::Back),
            // A number key does what clicking that choice does: in presenter mode it is the
            // room's vote (PageDown reveals), for a student alone it answers at once.
            k @ ("1" | "2" | "3" | "4") if self.poll.question.is_some() => {
                Msg::Predict(Predict::Answer(k.parse::<usize>().unwrap_or(1) - 1))
            }
            " " | "." | "b" | "B" => Msg::Play(Play::Toggle),
            "f" | "F" => Msg::Show(Show::Fullscreen),
            "p" | "P" => Msg::Show(Show::Presenter),
            // Presenter mode hides the top bar, so the explorer needs a key of its own.
            "e" | "E" => Msg::Show(Show::Explorer),
            "+" | "=" => Msg::Play(Play::Faster),
            "-" | "_" => Msg::Play(Play::Slower),
            "?" => Msg::Show(Show::Help),
            "Escape" => {
                self.close_dialogs();
                self.top_menu = None;
                Msg::Show(Show::CloseMenu)
            }
            _ => return false,
        };
        e.prevent_default();
        <Self as Component>::update(self, ctx, msg)
    }

    /// The clicker's keys while a menu or dialog covers the cluster: they must not step, rewind or
    /// play the run hidden behind it. Any of them closes a menu. "Back" closes the dialog, and so
    /// does "next" in the help; in the explorer, "next" runs the search
    /// (what its primary button does), so a lecturer need not walk to the laptop. `None`: not
    /// handled here.
    fn dialog_key(&mut self, e: &KeyboardEvent) -> Option<bool> {
        let dialog = self.dialog().is_some();
        let key = e.key();
        let clicker =
            matches!(key.as_str(), "ArrowRight" | "PageDown" | "ArrowLeft" | "PageUp" | " " | "." | "b" | "B");
        // An open menu of the top bar (presenter mode's ☰ too) covers the cluster: a press
        // closes it, so the lesson never moves on unseen behind it.
        if clicker && self.top_menu.is_some() {
            e.prevent_default();
            self.top_menu = None;
            return Some(true);
        }
        if !dialog || !clicker {
            return None;
        }
        e.prevent_default();
        match key.as_str() {
            "ArrowLeft" | "PageUp" => {
                self.close_dialogs();
                Some(true)
            }
            // The help is taller than a 720 px projector: "next" pages down through it as
            // through a slide, and closes it from its end.
            "ArrowRight" | "PageDown" if self.help => {
                let card = super::find_html("[data-testid=help-overlay] .overlay-card");
                match card.filter(|c| c.scroll_top() + c.client_height() + 2 < c.scroll_height()) {
                    Some(c) => c.set_scroll_top(c.scroll_top() + (c.client_height() - 60).max(60)),
                    None => self.close_dialogs(),
                }
                Some(true)
            }
            "ArrowRight" | "PageDown" if self.explorer_open => {
                // The button reads the bounds from the form, so the key clicks it.
                super::find_html("[data-testid=explore-run]:not([disabled])").inspect(|b| b.click());
                Some(false)
            }
            _ => Some(false),
        }
    }
}
