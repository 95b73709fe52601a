//! Following a lesson: opening one, playing beat to beat, going back a beat, leaving the script
//! and resuming it, and moving on to the next lesson.

use super::App;
use crate::sim::lessons::{self, Lesson};
use crate::ui::guide::{future_is_script, place};
use crate::ui::msg::{Guide, Msg};
use crate::ui::predict::question;
use crate::ui::prefs;
use crate::ui::session::Session;
use gloo_timers::callback::Interval;
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds per step while playing towards a beat, at 1×: quick, but slow enough to see
/// each message move.
const BEAT_STEP_MS: f64 = 420.0;

impl App {
    pub(super) fn on_guide(&mut self, ctx: &Context<Self>, g: Guide) {
        match g {
            Guide::Open(id) => {
                self.top_menu = None;
                self.open_lesson(&id, 0);
                self.restart_timer(ctx);
            }
            Guide::Exit => {
                self.stop_beat();
                self.lesson = None;
            }
            Guide::Resume => self.resume(),
            Guide::Next => self.next_beat(ctx),
            Guide::Prev => self.prev_beat(),
            Guide::Tick => self.beat_tick(),
            Guide::NextLesson => {
                if let Some(next) = self.lesson.as_ref().and_then(|l| lessons::next_after(l.id)) {
                    self.open_lesson(next, 0);
                }
            }
        }
    }

    /// Loads a lesson: its whole script is recorded as the future, and the view moves to `at`.
    pub(super) fn open_lesson(&mut self, id: &str, at: usize) {
        self.stop_beat();
        match lessons::build(id).and_then(|l| {
            Session::from_commands(l.config.clone(), l.seed, &l.commands, at.min(l.commands.len())).map(|s| (l, s))
        }) {
            Ok((l, s)) => {
                self.session = s;
                self.lesson_reached = at;
                self.lesson = Some(Rc::new(l));
                self.menu = None;
                self.notice = None;
                self.end_offer = false;
                self.poll.clear();
            }
            Err(e) => self.notice = Some(format!("The lesson could not be opened: {e}")),
        }
    }

    /// Back to the lesson where the student left its script, at the last beat reached (also
    /// after a reset with other settings, which keeps nothing of the script).
    fn resume(&mut self) {
        let Some(l) = self.lesson.clone() else {
            return;
        };
        let left_at = place(&self.session, &l).on_script.max(self.lesson_reached);
        self.open_lesson(l.id, l.beat_end(l.beats_done(left_at)));
    }

    /// Remembers how far along the script the student has been, for Resume.
    pub(super) fn note_lesson_progress(&mut self) {
        match &self.lesson {
            Some(l) if !place(&self.session, l).off => self.lesson_reached = self.session.cursor(),
            Some(_) => {}
            None => self.lesson_reached = 0,
        }
    }

    /// Remembers a finished lesson, for the marks in the Lessons menu.
    fn mark_done(&mut self, id: &str) {
        prefs::mark_done(id);
        if !self.done.iter().any(|d| d == id) {
            self.done.push(id.to_string());
        }
    }

    pub(super) fn stop_beat(&mut self) {
        self.beat_target = None;
        self.beat_timer = None;
    }

    /// PageDown in a lesson.
    fn next_beat(&mut self, ctx: &Context<Self>) {
        if let Some(t) = self.beat_target {
            // A second press skips the animation.
            self.session.seek(t);
            self.finish_beat();
            return;
        }
        if self.poll.question.is_some() {
            self.reveal_step();
            return;
        }
        let Some(l) = self.lesson.clone() else {
            return;
        };
        if place(&self.session, &l).off {
            self.step(ctx);
            return;
        }
        if !future_is_script(&self.session, &l) {
            // The student forked and came back: the script's future comes back with it.
            self.open_lesson(l.id, self.session.cursor());
        }
        match l.next_beat_end(self.session.cursor()) {
            Some(t) => self.play_to(ctx, &l, t),
            None if self.end_offer => match lessons::next_after(l.id) {
                Some(next) => self.open_lesson(next, 0),
                None => self.notice = Some("That was the last lesson. Free play is yours.".into()),
            },
            None => {
                self.end_offer = true;
                self.mark_done(l.id);
            }
        }
    }

    /// Plays the script up to step `t`, a beat's end. In predict mode, when the beat's last step
    /// is worth a question, it stops just before it and asks.
    fn play_to(&mut self, ctx: &Context<Self>, l: &Lesson, t: usize) {
        self.end_offer = false;
        self.poll.outcome = None;
        let before_last = t - 1;
        let ask = self.predict
            && question(&self.session.timeline().world_at(before_last), &l.commands[before_last]).is_some();
        let target = if ask { before_last } else { t };
        self.ask_at_target = ask;
        if self.session.cursor() >= target {
            self.finish_beat();
            return;
        }
        self.beat_target = Some(target);
        let link = ctx.link().clone();
        let ms = (BEAT_STEP_MS / self.session.speed_factor()).round() as u32;
        self.beat_timer = Some(Interval::new(ms, move || link.send_message(Msg::Guide(Guide::Tick))));
    }

    fn beat_tick(&mut self) {
        match self.beat_target {
            Some(t) if self.session.cursor() < t => {
                self.session.forward();
                if self.session.cursor() >= t {
                    self.finish_beat();
                }
            }
            Some(_) => self.finish_beat(),
            None => self.beat_timer = None,
        }
    }

    /// The beat is reached (or the step before it, where a question is asked).
    fn finish_beat(&mut self) {
        self.stop_beat();
        if std::mem::take(&mut self.ask_at_target) {
            let s = &self.session;
            if let Some(next) = s.timeline().steps().get(s.cursor()).map(|st| st.command.clone()) {
                if let Some(q) = question(s.world(), &next) {
                    self.poll.ask(q);
                }
            }
        }
        if let Some(l) = self.lesson.clone() {
            if place(&self.session, &l).complete {
                self.mark_done(l.id);
            }
        }
    }

    /// PageUp in a lesson: back to the previous beat (off the script: one step back).
    fn prev_beat(&mut self) {
        self.stop_beat();
        self.poll.clear();
        self.end_offer = false;
        let Some(l) = self.lesson.clone() else {
            return;
        };
        if place(&self.session, &l).off {
            self.session.back();
            return;
        }
        // At the start of a lesson, PageUp goes back to the end of the one before, so a
        // clicker pressed once too often can always return.
        if self.session.cursor() == 0 {
            if let Some(prev) = lessons::previous_before(l.id) {
                if let Ok(p) = lessons::build(prev) {
                    self.open_lesson(prev, p.commands.len());
                }
            }
            return;
        }
        self.session.seek(l.previous_beat_end(self.session.cursor()));
    }
}
