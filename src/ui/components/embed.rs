//! The embedded view (`#embed`): under a canvas with no top bar and no side panel, one strip with
//! the lesson's words or the narration, and the step controls. It suits an `<iframe>` in a course
//! page or a slide deck, which can also drive it through `postMessage` (docs/embed.md).

use super::lessons::{self as card, Follow};
use crate::ui::guide::{place, NextPress};
use crate::ui::msg::{on, Guide, Msg, Play};
use crate::ui::session::Session;
use yew::prelude::*;

/// What the strip shows besides the session.
pub struct Strip<'a> {
    /// The lesson being followed.
    pub follow: Option<&'a Follow<'a>>,
    /// Auto-play or a beat is playing.
    pub playing: bool,
    /// The address of the same view in the full app (opened in a new tab).
    pub full: String,
}

fn words(s: &Session, follow: Option<&Follow>, send: &Callback<Msg>) -> Html {
    let narration = || {
        let text =
            s.narration().map_or("Step to start: a client asks a proposer for a value.".into(), |n| n.text.clone());
        html! { <p class="embed-narration" data-testid="narration">{text}</p> }
    };
    match follow {
        // On a beat the lesson speaks; between beats and off its script the narration tells each step.
        Some(f) if place(f.s, f.l).beat.is_some() || f.s.cursor() == 0 => card::caption(f, send),
        Some(f) => html! { <>{ card::caption(f, send) }{ narration() }</> },
        None => narration(),
    }
}

/// The strip along the bottom.
pub fn view(s: &Session, strip: &Strip, send: &Callback<Msg>) -> Html {
    let lesson = strip.follow.is_some();
    let (cur, len) = (s.cursor(), s.len());
    let safe = s.world().oracle().violations().is_empty();
    let beat =
        strip.follow.map(|f| place(f.s, f.l)).filter(|p| !p.off).map(|p| format!(" · beat {} of {}", p.done, p.total));
    let back = move |_| if lesson { Msg::Guide(Guide::Prev) } else { Msg::Play(Play::Back) };
    let next = move |_| if lesson { Msg::Guide(Guide::Next) } else { Msg::Play(Play::Step) };
    let playing = strip.playing;
    let (label, title) = match strip.follow.map(|f| (crate::ui::guide::next_press(f.s, f.l), f.l)) {
        Some((NextPress::Beat, _)) => ("Next beat ▶", "Play to the next beat (→)".into()),
        Some((NextPress::Next, l)) => crate::ui::guide::next_words(l, "→"),
        Some((NextPress::Resume, _)) => ("Resume ▶", "Back to the lesson, and on to its next beat (→)".into()),
        Some((NextPress::Step, _)) | None => ("Step ▶", "Step (→)".into()),
    };
    html! {
        <div class="embed-strip" data-testid="embed-strip">
            <div class="embed-words" aria-live="polite">{ words(s, strip.follow, send) }</div>
            <div class="embed-bar">
                <button data-testid="back" onclick={send.reform(back)} disabled={cur == 0}
                        title={if lesson { "Back to the previous beat (←)" } else { "Back one step (←)" }}>{"◀ Back"}</button>
                <button class="primary" data-testid="step" onclick={send.reform(next)} disabled={!lesson && !s.can_step()}
                        title={title}>{label}</button>
                <button data-testid="play" aria-pressed={playing.to_string()} disabled={!playing && !s.can_step()}
                        onclick={on(send, || Msg::Play(Play::Toggle))} title="Play or pause (Space)">
                    {if playing { "Pause" } else { "Play" }}</button>
                <span class="counter" data-testid="counter">{format!("step {cur} / {len}")}{beat.unwrap_or_default()}</span>
                <span class="spacer" />
                { super::banner::view(s, true) }
                <span class={classes!("strip-safety", if safe { "ok" } else { "broken" })} data-testid="embed-safety">
                    {if safe { "✓ safe" } else { "✗ safety broken" }}</span>
                <a class="embed-open" href={strip.full.clone()} target="_blank" rel="noopener" data-testid="embed-open"
                   title="Open this exact step in the full app, in a new tab">{"Paxoscope ↗"}</a>
            </div>
        </div>
    }
}
