//! Predict mode: before a delivery the app asks what will happen; a pick is scored when the
//! answer is revealed, and revealing takes the step. In presenter mode a pick does not reveal
//! (the room votes; PageDown reveals).

use super::alert;
use super::App;
use crate::ui::msg::Predict;
use crate::ui::predict::question;
use yew::prelude::*;

impl App {
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

    /// Reveals the open question's answer and takes the step it was about.
    pub(super) fn reveal_step(&mut self) {
        // The step the question was about: a beat's question is about the script's next step,
        // even at a "your turn" (where Step would take the world's own).
        let by_hand = self.poll.by_hand;
        if self.poll.reveal() {
            if let Err(e) = self.step_by(by_hand) {
                self.notice = alert(e);
            }
        }
    }
}
