//! How input becomes steps: the keyboard shortcuts, the auto-play timer, and predict mode's
//! question before a delivery.

use super::App;
use crate::sim::Command;
use crate::ui::msg::{Msg, Play, Predict, Show};
use crate::ui::predict::question;
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

impl App {
    pub(super) fn on_predict(&mut self, p: Predict) {
        match p {
            Predict::Toggle => {
                self.predict = !self.predict;
                self.question = None;
                self.feedback = None;
            }
            Predict::Answer(i) => self.answer(i),
            Predict::Skip => {
                if self.question.take().is_some() {
                    self.feedback = None;
                    self.take_step();
                }
            }
        }
    }

    /// In predict mode, asks about the next delivery before it happens. Returns true when a
    /// question is now waiting (the step is held back and play pauses).
    pub(super) fn ask_first(&mut self, ctx: &Context<Self>) -> bool {
        if !self.predict {
            return false;
        }
        if self.question.is_some() {
            return true;
        }
        let s = &self.session;
        let next = if s.cursor() < s.len() { s.timeline().steps()[s.cursor()].command.clone() } else { Command::Tick };
        match question(s.world(), &next) {
            Some(q) => {
                self.question = Some(q);
                if self.session.playing {
                    self.session.playing = false;
                    self.restart_timer(ctx);
                }
                true
            }
            None => false,
        }
    }

    /// Steps after a question was answered or skipped.
    pub(super) fn take_step(&mut self) {
        if let Err(e) = self.session.step() {
            self.notice = Some(e);
        }
    }

    /// Scores the student's choice, then takes the step it was about.
    pub(super) fn answer(&mut self, i: usize) {
        if let Some(q) = self.question.take() {
            let right = i == q.answer;
            self.score = (self.score.0 + right as u32, self.score.1 + 1);
            self.feedback = Some((right, q.choices[q.answer].clone()));
            self.take_step();
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
            Err(e) => self.notice = Some(format!("The experiment could not run: {e}")),
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
        let msg = match e.key().as_str() {
            // Presentation clickers send PageDown, PageUp and "." (or "b").
            "ArrowRight" | "PageDown" => Msg::Play(Play::Step),
            "ArrowLeft" | "PageUp" => Msg::Play(Play::Back),
            " " | "." => Msg::Play(Play::Toggle),
            "f" | "F" => Msg::Show(Show::Fullscreen),
            "p" | "P" => Msg::Show(Show::Presenter),
            "+" | "=" => Msg::Play(Play::Faster),
            "-" | "_" => Msg::Play(Play::Slower),
            "?" => Msg::Show(Show::Help),
            "Escape" => {
                self.help = false;
                self.top_menu = None;
                self.explorer_open = false;
                self.metrics_open = false;
                Msg::Show(Show::CloseMenu)
            }
            _ => return false,
        };
        e.prevent_default();
        <Self as Component>::update(self, ctx, msg)
    }
}
