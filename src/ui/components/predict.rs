//! The predict card: a question before a delivery, the choices, and how the student is doing.

use crate::ui::msg::{Msg, Predict};
use crate::ui::predict::Question;
use yew::prelude::*;

/// The card (shown in the side panel, and in the presenter strip).
pub fn view(q: Option<&Question>, feedback: Option<&(bool, String)>, score: (u32, u32), send: &Callback<Msg>) -> Html {
    let (right, asked) = score;
    let fb = feedback.map(|(ok, answer)| {
        html! {
            <p class={classes!("feedback", if *ok { "right" } else { "wrong" })} data-testid="predict-feedback" role="status">
                {if *ok { format!("Right: {answer}.") } else { format!("Not quite: the answer was {answer}.") }}
                {" The narration below says why."}
            </p>
        }
    });
    let body = match q {
        Some(q) => {
            let choices = q.choices.iter().enumerate().map(|(i, c)| {
                html! { <button class="choice" data-testid={format!("choice-{i}")} onclick={send.reform(move |_| Msg::Predict(Predict::Answer(i)))}>{c}</button> }
            });
            html! { <>
                <p class="question" data-testid="question">{&q.prompt}</p>
                <div class="choices">{ for choices }</div>
                <button class="ghost small" data-testid="skip-question" onclick={send.reform(|_| Msg::Predict(Predict::Skip))}>{"Skip: just show me"}</button>
            </> }
        }
        None => {
            html! { <p class="muted small">{"Press Step: before each delivery you will be asked what happens next."}</p> }
        }
    };
    html! {
        <section class="panel predict-card" data-testid="predict-card" aria-label="Predict">
            <div class="lesson-head">
                <h2>{"Predict"}</h2>
                <span class="score" data-testid="score">{format!("{right} of {asked} right")}</span>
            </div>
            { fb.unwrap_or_default() }
            { body }
        </section>
    }
}
