//! The predict card: a question before a delivery, the choices, a hint (not in exam mode), and
//! once answered, the right answer and why.

use crate::ui::msg::{on, Msg, Predict};
use crate::ui::poll::{Outcome, Poll};
use yew::prelude::*;

/// What was revealed: right or wrong, the answer, and the explanation.
pub fn outcome(o: &Outcome) -> Html {
    let (class, head) = match o.right() {
        Some(true) => ("right", format!("Right: {}.", o.answer())),
        Some(false) => ("wrong", format!("Not quite: the answer was {}.", o.answer())),
        None => ("shown", format!("The answer: {}.", o.answer())),
    };
    html! {
        <div class={classes!("feedback", class)} data-testid="predict-feedback" role="status">
            <strong>{head}</strong>
            <span class="explain" data-testid="predict-explain">{format!(" {}", o.question.explain)}</span>
        </div>
    }
}

/// The choices, numbered for the keyboard (1 to 4). `reveal_on_click` answers at once (a student
/// alone); otherwise a click only picks (a poll).
pub fn choices(p: &Poll, reveal_on_click: bool, send: &Callback<Msg>) -> Html {
    let Some(q) = &p.question else {
        return Html::default();
    };
    let items = q.choices.iter().enumerate().map(|(i, c)| {
        let picked = p.choice == Some(i);
        let msg = move || if reveal_on_click { Predict::Answer(i) } else { Predict::Choose(i) };
        html! { <button class={classes!("choice", picked.then_some("picked"))} data-testid={format!("choice-{i}")}
                    aria-pressed={picked.to_string()} onclick={send.reform(move |_| Msg::Predict(msg()))}>
        <span class="choice-key">{format!("{}", i + 1)}</span>{c}</button> }
    });
    html! { <div class="choices">{ for items }</div> }
}

/// The card, in the side panel.
pub fn view(p: &Poll, lesson: bool, send: &Callback<Msg>) -> Html {
    let (right, asked) = p.score;
    let body = match &p.question {
        Some(q) => html! { <>
            <p class="question" data-testid="question">{&q.prompt}</p>
            { choices(p, true, send) }
            if p.hint {
                <p class="hint" data-testid="hint">{&q.hint}</p>
            } else if !p.exam {
                <button class="ghost small" data-testid="show-hint" onclick={on(send, || Msg::Predict(Predict::Hint))}>{"Hint"}</button>
            }
            <button class="ghost small" data-testid="skip-question" onclick={on(send, || Msg::Predict(Predict::Skip))}>{"Skip: just show me"}</button>
        </> },
        None => match &p.outcome {
            Some(o) => outcome(o),
            None => {
                // A lesson asks once a beat, about the delivery its caption is about.
                let how = if lesson {
                    "Beat ▶ asks what happens next before the delivery each beat's caption is about; Step asks before each delivery where a node has something to decide (not before news such as a Commit)."
                } else {
                    "Press Step: before each delivery where a node has something to decide, you will be asked what happens next (news such as a Commit is not asked about)."
                };
                html! { <p class="muted small">{how}</p> }
            }
        },
    };
    html! {
        <section class="panel predict-card" data-testid="predict-card" aria-label="Predict">
            <div class="lesson-head">
                <h2>{"Predict"}</h2>
                <span class="score" data-testid="score">{format!("{right} of {asked} right")}</span>
            </div>
            <label class="check small" title="No hints: explanations only after you answer">
                <input type="checkbox" data-testid="exam-mode" checked={p.exam} onchange={on(send, || Msg::Predict(Predict::Exam))} />
                {"Exam mode (no hints)"}</label>
            { body }
        </section>
    }
}
