//! The presenter strip: in presenter mode the side panel is hidden, and what just happened (with
//! the lesson's words, a prediction question and the safety verdict) runs along the bottom of the
//! canvas in large type.

use crate::sim::lessons::Lesson;
use crate::ui::msg::{Msg, Predict};
use crate::ui::predict::Question;
use crate::ui::session::Session;
use yew::prelude::*;

/// The strip.
pub fn view(s: &Session, lesson: Option<&Lesson>, question: Option<&Question>, send: &Callback<Msg>) -> Html {
    let safe = s.world().oracle().violations().is_empty();
    let caption = lesson.and_then(|l| {
        let k = s.cursor();
        l.beat_at(k).map(|(_, b)| b.caption.clone())
    });
    let text = s
        .narration()
        .map_or("Press → (or PageDown) to step; click a client to ask for a value.".to_string(), |n| n.text.clone());
    let q = question.map(|q| {
        let choices = q.choices.iter().enumerate().map(|(i, c)| {
            html! { <button class="choice" onclick={send.reform(move |_| Msg::Predict(Predict::Answer(i)))}>{c}</button> }
        });
        html! { <div class="strip-question"><strong>{&q.prompt}</strong><span class="choices">{ for choices }</span></div> }
    });
    html! {
        <div class="presenter-strip" data-testid="presenter-strip" aria-live="polite">
            <span class={classes!("strip-safety", if safe { "ok" } else { "broken" })}>{if safe { "✓ safe" } else { "✗ safety broken" }}</span>
            <span class="strip-step">{format!("step {}", s.cursor())}</span>
            { super::banner::view(s, true) }
            { caption.map(|c| html! { <p class="strip-caption">{c}</p> }).unwrap_or_default() }
            <p class="strip-text">{text}</p>
            { q.unwrap_or_default() }
        </div>
    }
}
