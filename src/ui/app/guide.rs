//! Following a lesson: opening one, playing beat to beat, going back a beat, leaving the script
//! and resuming it, and moving on to the next lesson.

use super::App;
use super::{alert, news};
use crate::sim::lessons::{self, Lesson};
use crate::ui::guide::{future_is_script, goal_progress, place, same_cluster};
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

/// The longest a beat plays at 1×: a long beat (lesson 16 has one of 25 steps) goes faster, so
/// that a lecturer is not left waiting and pressing again (which skips to the beat's end).
const BEAT_MAX_MS: f64 = 4000.0;

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
                self.authored = None;
            }
            Guide::Resume => self.resume(),
            // A notice is about what happened before the press: moving on clears it (a press
            // that has something to say sets a new one).
            Guide::Next => {
                self.notice = None;
                self.next_beat(ctx);
            }
            Guide::Prev => {
                self.notice = None;
                self.prev_beat();
            }
            Guide::Tick => self.beat_tick(),
            Guide::Arrived(text) => self.lessons_arrived(ctx, text),
            Guide::NextLesson => {
                if let Some(next) = self.lesson.as_ref().and_then(|l| lessons::next_after(&l.id)) {
                    self.open_lesson(next, 0);
                }
            }
        }
    }

    /// Loads a built-in lesson: its whole script is recorded as the future, and the view moves
    /// to `at`.
    pub(super) fn open_lesson(&mut self, id: &str, at: usize) {
        match lessons::build(id).and_then(|l| self.start_lesson(l, at)) {
            Ok(()) => self.authored = None,
            Err(e) => self.notice = alert(format!("The lesson could not be opened: {e}")),
        }
    }

    /// Plays lesson `l` (built in or authored) from step `at`; nothing changes on an error.
    pub(super) fn start_lesson(&mut self, l: Lesson, at: usize) -> Result<(), String> {
        self.stop_beat();
        let s = Session::from_commands(l.config.clone(), l.seed, &l.commands, at.min(l.commands.len()))?;
        self.session = s;
        self.lesson_reached = at;
        self.lesson = Some(Rc::new(l));
        self.menu = None;
        self.notice = None;
        self.end_offer = false;
        self.poll.clear();
        self.side_head = true;
        Ok(())
    }

    /// The open lesson again, from step `at`.
    pub(super) fn reopen(&mut self, at: usize) {
        if let Some(l) = self.lesson.clone() {
            if let Err(e) = self.start_lesson((*l).clone(), at) {
                self.notice = alert(format!("The lesson could not be opened: {e}"));
            }
        }
    }

    /// Back to the lesson where the student left its script, at the last beat reached (also
    /// after a reset with other settings, which keeps nothing of the script).
    fn resume(&mut self) {
        let Some(l) = self.lesson.clone() else {
            return;
        };
        if l.challenge.is_some() {
            // A challenge restarts from its starting situation.
            self.reopen(l.commands.len());
            return;
        }
        // Where the student took over, not how far their own steps happened to match the script.
        let left_at =
            crate::ui::guide::left(&self.session, place(&self.session, &l).on_script).max(self.lesson_reached);
        self.reopen(l.beat_end(l.beats_done(left_at)));
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
        // A your-turn goal reached: the clicker's next press goes back into the lesson and on
        // to its next beat (a lecturer may have no mouse for "Resume the lesson").
        if l.challenge.is_none() && goal_progress(&self.session, &l).is_some_and(|p| p.reached) {
            self.resume();
            if !place(&self.session, &l).off {
                self.next_beat(ctx);
            }
            return;
        }
        if place(&self.session, &l).off || l.challenge.is_some() {
            self.step(ctx);
            return;
        }
        if !future_is_script(&self.session, &l) {
            // The student forked and came back: the script's future comes back with it.
            self.reopen(self.session.cursor());
        }
        // Past the last beat the strip already offers the next lesson, so the press opens it:
        // a press that only marked the offer looked dead on a projector. An authored lesson has
        // no next one, and a clicker pressed again is told so.
        match l.next_beat_end(self.session.cursor()) {
            Some(t) => self.play_to(ctx, &l, t),
            None if l.is_authored() => {
                self.notice = news(format!("That is the end of \u{201c}{}\u{201d}. PageUp goes back a beat.", l.title));
            }
            None => {
                self.mark_done(&l.id);
                match lessons::next_after(&l.id) {
                    Some(next) => self.open_lesson(next, 0),
                    // The press does what the card's "Free play ▶" does: a press that only
                    // said so left the lesson's "Next ▶" on the strip, leading nowhere.
                    None => {
                        self.on_guide(ctx, Guide::Exit);
                        self.notice = news("That was the last lesson. Free play from here: PageDown steps.");
                    }
                }
            }
        }
    }

    /// Plays the script up to step `t`, a beat's end. In predict mode, when the beat's last step
    /// is worth a question, it stops just before it and asks.
    fn play_to(&mut self, ctx: &Context<Self>, l: &Lesson, t: usize) {
        self.end_offer = false;
        self.poll.outcome = None;
        // A lesson's own predict questions come first, then predict mode's question at the beat.
        let worth = |p: usize| question(&self.session.timeline().world_at(p - 1), &l.commands[p - 1]).is_some();
        let cur = self.session.cursor();
        let poll = l.polls.iter().copied().find(|p| *p > cur && *p <= t && worth(*p));
        let ask = poll.is_some() || (self.predict && worth(t));
        let target = poll.unwrap_or(t) - usize::from(ask);
        self.ask_at_target = ask;
        if self.session.cursor() >= target {
            self.finish_beat();
            return;
        }
        self.beat_target = Some(target);
        let link = ctx.link().clone();
        let steps = (target - self.session.cursor()) as f64;
        let ms = (BEAT_STEP_MS.min(BEAT_MAX_MS / steps) / self.session.speed_factor()).round() as u32;
        self.beat_timer = Some((Interval::new(ms, move || link.send_message(Msg::Guide(Guide::Tick))), ms));
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
                self.mark_done(&l.id);
            }
        }
    }

    /// PageUp in a lesson: back to the previous beat (off the script: one step back).
    fn prev_beat(&mut self) {
        self.stop_beat();
        self.end_offer = false;
        // Just past a revealed answer, back is the question again: the room's last slide.
        if self.back_to_question() {
            return;
        }
        self.poll.clear();
        let Some(l) = self.lesson.clone() else {
            return;
        };
        // In presenter mode a clicker's PageUp leaves the room's own run at a "your turn" in one
        // press, back to the turn's beat: one step at a time took as many presses as steps, with
        // nothing to say how many were left, and Resume wanted the pointer.
        if self.presenter && l.challenge.is_none() && crate::ui::guide::active_turn(&self.session, &l).is_some() {
            self.resume();
            return;
        }
        // Off the script, and in a challenge (which has no beats), back is one step. Back at a
        // step the run still shares with the script, the lesson takes over again (with its
        // future), so a "what if?" undone with the clicker rejoins the lesson.
        if place(&self.session, &l).off || l.challenge.is_some() {
            self.session.back();
            let shared = same_cluster(&self.session, &l) && self.session.cursor() <= place(&self.session, &l).on_script;
            if shared && l.challenge.is_none() {
                self.reopen(self.session.cursor());
            }
            return;
        }
        // At the start of a lesson, PageUp goes back to the end of the one before, so a
        // clicker pressed once too often can always return.
        if self.session.cursor() == 0 {
            match lessons::previous_before(&l.id).map(|prev| (prev, lessons::build(prev))) {
                Some((prev, Ok(p))) => self.open_lesson(prev, p.commands.len()),
                Some((_, Err(e))) => self.notice = alert(format!("The lesson before could not be opened: {e}")),
                // A press that cannot go back says so, so the clicker never seems dead.
                None => self.notice = news("This is the start of the lesson: there is nothing before it."),
            }
            return;
        }
        self.session.seek(l.previous_beat_end(self.session.cursor()));
    }
}
