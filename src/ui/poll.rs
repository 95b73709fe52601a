//! Predict mode as a poll: a question is asked with its answer hidden; the class (or the student)
//! picks a choice; revealing shows the right answer and why, scores the pick and lets the step
//! happen. In exam mode no hint is offered before answering.

use crate::ui::predict::Question;

/// What was revealed about the last question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The question.
    pub question: Question,
    /// The choice picked, if any was.
    pub picked: Option<usize>,
    /// The step the question was about (the cursor before the step it allowed).
    pub at: usize,
    /// The pick counts in the score: not one that came with a link, which whoever opened it
    /// never made.
    pub scored: bool,
}

impl Outcome {
    /// Was the pick right? (`None` when nothing was picked.)
    pub fn right(&self) -> Option<bool> {
        self.picked.map(|p| p == self.question.answer)
    }
    /// The right answer's words.
    pub fn answer(&self) -> &str {
        self.question.choices.get(self.question.answer).map_or("", String::as_str)
    }
}

/// The poll's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Poll {
    /// The open question.
    pub question: Option<Question>,
    /// The choice picked for it, not yet revealed.
    pub choice: Option<usize>,
    /// Whether the hint is showing.
    pub hint: bool,
    /// The last question revealed, until the next step.
    pub outcome: Option<Outcome>,
    /// Right answers, questions answered.
    pub score: (u32, u32),
    /// Exam mode: no hints.
    pub exam: bool,
    /// The step asked about is the world's own next one, taken by hand (at a lesson's "your
    /// turn"), not the recording's next step.
    pub by_hand: bool,
}

impl Poll {
    /// Opens `q`.
    pub fn ask(&mut self, q: Question) {
        self.question = Some(q);
        self.by_hand = false;
        self.choice = None;
        self.hint = false;
        self.outcome = None;
    }

    /// Picks choice `i` (counted from 0) of the open question; out of range is ignored.
    pub fn choose(&mut self, i: usize) -> bool {
        match &self.question {
            Some(q) if i < q.choices.len() => {
                self.choice = Some(i);
                true
            }
            _ => false,
        }
    }

    /// Shows the hint, unless in exam mode.
    pub fn show_hint(&mut self) {
        self.hint = self.question.is_some() && !self.exam;
    }

    /// Reveals the open question's answer, about the step at `at`, and scores the pick. Returns
    /// false when no question was open (nothing to reveal).
    pub fn reveal(&mut self, at: usize) -> bool {
        let Some(question) = self.question.take() else {
            return false;
        };
        let picked = self.choice.take();
        if let Some(p) = picked {
            self.score = (self.score.0 + (p == question.answer) as u32, self.score.1 + 1);
        }
        self.hint = false;
        self.outcome = Some(Outcome { question, picked, at, scored: picked.is_some() });
        true
    }

    /// Shows the answer to `question`, about the step at `at`, with the pick `picked` that came
    /// with a link, unscored. Returns false when `picked` is not one of its choices (the answer
    /// is shown without it).
    pub fn show_answer(&mut self, question: Question, picked: Option<usize>, at: usize) -> bool {
        let fits = picked.is_none_or(|k| k < question.choices.len());
        let picked = picked.filter(|_| fits);
        self.clear();
        self.outcome = Some(Outcome { question, picked, at, scored: false });
        fits
    }

    /// Takes back the last reveal, when going back to `at` undoes the step it allowed: the
    /// question is open again with its pick, unscored, so a clicker pressed once too often
    /// returns to the question rather than a beat before it. Returns false when there is none.
    pub fn unreveal(&mut self, at: usize) -> bool {
        let Some(o) = self.outcome.take_if(|o| o.at == at) else {
            return false;
        };
        if let (Some(p), true) = (o.picked, o.scored) {
            self.score = (self.score.0 - u32::from(p == o.question.answer), self.score.1 - 1);
        }
        self.question = Some(o.question);
        self.choice = o.picked;
        self.hint = false;
        true
    }

    /// Forgets the open question and the last outcome (predict turned off, or the run moved).
    pub fn clear(&mut self) {
        self.question = None;
        self.choice = None;
        self.hint = false;
        self.outcome = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> Question {
        Question {
            prompt: "Will A2 promise, refuse, or ignore it?".into(),
            choices: vec!["Promise 1.2".into(), "Refuse".into()],
            answer: 1,
            explain: "A2 refuses Prepare 1.2: it already promised 2.1.".into(),
            hint: "An acceptor promises only a ballot higher than every ballot it has promised.".into(),
            msg: None,
        }
    }

    #[test]
    fn a_pick_is_hidden_until_revealed_then_scored() {
        let mut p = Poll::default();
        p.ask(q());
        assert!(p.choose(0));
        assert!(!p.choose(4), "out of range");
        assert_eq!(p.outcome, None);
        assert!(p.reveal(7));
        let o = p.outcome.clone().unwrap();
        assert_eq!((o.right(), o.answer()), (Some(false), "Refuse"));
        assert_eq!(p.score, (0, 1));
        assert!(!p.reveal(8), "nothing left to reveal");
    }

    #[test]
    fn going_back_over_a_reveal_reopens_the_question_with_its_pick_unscored() {
        let mut p = Poll::default();
        p.ask(q());
        p.choose(1);
        p.reveal(7);
        assert_eq!(p.score, (1, 1));
        assert!(!p.unreveal(6), "back to another step: not this question's");
        assert!(p.outcome.is_some());
        assert!(p.unreveal(7));
        assert_eq!((p.question.is_some(), p.choice, p.outcome.is_none(), p.score), (true, Some(1), true, (0, 0)));
        assert!(p.reveal(7));
        assert_eq!(p.score, (1, 1), "revealed again, scored once");
    }

    #[test]
    fn revealing_without_a_pick_scores_nothing_and_exam_mode_has_no_hint() {
        let mut p = Poll { exam: true, ..Poll::default() };
        p.ask(q());
        p.show_hint();
        assert!(!p.hint);
        p.reveal(0);
        assert_eq!(p.score, (0, 0));
        assert_eq!(p.outcome.unwrap().right(), None);
    }

    #[test]
    fn an_answer_from_a_link_shows_its_pick_unscored_and_going_back_takes_nothing_off() {
        let mut p = Poll { score: (2, 3), ..Poll::default() };
        assert!(p.show_answer(q(), Some(1), 4));
        assert_eq!((p.outcome.as_ref().and_then(Outcome::right), p.score), (Some(true), (2, 3)));
        assert!(p.unreveal(4));
        assert_eq!((p.choice, p.score), (Some(1), (2, 3)), "the link's pick was never scored");
        assert!(p.reveal(4));
        assert_eq!(p.score, (3, 4), "answered here, it counts");
        assert!(!p.show_answer(q(), Some(5), 4), "a pick beyond the choices");
        assert_eq!(p.outcome.unwrap().picked, None);
    }
}
