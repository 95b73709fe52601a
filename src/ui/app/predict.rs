//! Predict mode: before a delivery the app asks what will happen; a pick is scored when the
//! answer is revealed, and revealing takes the step. In presenter mode a pick does not reveal
//! (the room votes; PageDown reveals).

use super::App;
use super::{alert, news};
use crate::ui::msg::Predict;
use crate::ui::predict::question;
use yew::prelude::*;

impl App {
    /// Why the event log leaves out the steps after the cursor: what comes next must not be
    /// readable while a question waits for its answer, while predicting, nor in a lesson. A
    /// lesson's own question opens with predict mode off, so the reason names the question.
    pub(super) fn log_hidden(&self) -> Option<&'static str> {
        if self.poll.question.is_some() {
            Some("Later steps are hidden until you answer the question.")
        } else if self.predict {
            Some("Later steps are hidden while you predict.")
        } else if self.lesson.is_some() {
            // A lesson's later steps answer its questions and "your turn" tasks.
            Some("The lesson's later steps are hidden until you reach them.")
        } else {
            None
        }
    }

    pub(super) fn on_predict(&mut self, p: Predict) {
        match p {
            Predict::Toggle => {
                self.predict = !self.predict;
                self.poll.clear();
            }
            Predict::Answer(i) => {
                if self.poll.choose(i) && !self.presenter {
                    self.reveal_step();
                }
            }
            Predict::Choose(i) => {
                self.poll.choose(i);
            }
            Predict::Reveal => self.reveal_step(),
            Predict::Skip => {
                self.poll.choice = None;
                self.reveal_step();
            }
            Predict::Hint => self.poll.show_hint(),
            Predict::Exam => {
                self.poll.exam = !self.poll.exam;
                self.poll.hint = false;
            }
        }
    }

    /// In predict mode, asks about the next delivery before it happens. Returns true when a
    /// question is now waiting (the step is held back and play pauses).
    pub(super) fn ask_first(&mut self, ctx: &Context<Self>) -> bool {
        if !self.predict {
            return false;
        }
        if self.poll.question.is_some() {
            return true;
        }
        let next = self.next_command();
        match question(self.session.world(), &next) {
            Some(q) => {
                self.poll.ask(q);
                self.poll.by_hand = self.takes_over();
                if self.session.playing {
                    self.pause(ctx);
                }
                true
            }
            None => false,
        }
    }

    /// A link copied while a question was open asks it again, about the same next step: opened
    /// without it, a student's "what happens here?" link showed the step before with nothing to
    /// answer.
    pub(super) fn ask_again(&mut self) {
        match question(self.session.world(), &self.next_command()) {
            Some(q) => {
                self.poll.ask(q);
                self.poll.by_hand = self.takes_over();
            }
            None => {
                self.notice = news("The link was copied at a question, but the next step asks none: here is the step.")
            }
        }
    }

    /// A link copied at a revealed answer shows it again, with the pick it had, unscored (whoever
    /// opens it did not make it): a student's "why is it this?" link opened on the step after,
    /// with no answer.
    pub(super) fn answer_again(&mut self, pick: Option<usize>) {
        let s = &self.session;
        let Some(at) = s.cursor().checked_sub(1) else {
            return self.notice =
                news("The link was copied at an answer, but it opens at the start: here is the start.");
        };
        let asked = s.timeline().steps().get(at).and_then(|st| question(&s.timeline().world_at(at), &st.command));
        let Some(q) = asked else {
            return self.notice =
                news("The link was copied at an answer, but the step before asks nothing: here is the step.");
        };
        let choices = q.choices.len();
        let fits = self.poll.show_answer(q, pick, at);
        if let Some(k) = pick.filter(|_| !fits) {
            self.notice = news(format!(
                "The link's pick, {}, is not one of the question's {choices} choices: the answer is shown without it.",
                k + 1
            ));
        }
    }

    /// Back over the step a reveal allowed: its question is open again, with the pick and
    /// unscored (see [`crate::ui::poll::Poll::unreveal`]). False when the last step was not one.
    /// A step taken by hand at a "your turn" is left to the turn's own way back.
    pub(super) fn back_to_question(&mut self) -> bool {
        let cur = self.session.cursor();
        if cur == 0 || self.poll.by_hand || !self.poll.unreveal(cur - 1) {
            return false;
        }
        self.session.back();
        true
    }

    /// Reveals the open question's answer and takes the step it was about.
    pub(super) fn reveal_step(&mut self) {
        // The step the question was about: a beat's question is about the script's next step,
        // even at a "your turn" (where Step would take the world's own).
        let by_hand = self.poll.by_hand;
        if self.poll.reveal(self.session.cursor()) {
            if let Err(e) = self.step_by(by_hand) {
                self.notice = alert(e);
            }
        }
    }
}
