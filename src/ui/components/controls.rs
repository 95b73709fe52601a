//! The media-player bar: back, step, forward, play/pause, speed, and the timeline scrubber with
//! marks where phases change, where a value is chosen, where a switched-off rule breaks and
//! where safety breaks.

use crate::sim::Due;
use crate::ui::format::px;
use crate::ui::msg::{on, Msg, Play, Show};
use crate::ui::session::{Marker, Session, SPEEDS, SPEED_LABELS};
use yew::prelude::*;

/// The bar. `show_time` is off in lessons and the explorer's counterexamples, where steps are
/// deliveries made by hand and the clock does not move.
/// `hide_future` (predict mode, and a lesson, whose recorded future is its script) leaves out
/// the marks of steps not yet reached, which would give answers and the plot away.
pub fn view(s: &Session, show_time: bool, hide_future: bool, send: &Callback<Msg>) -> Html {
    let (cur, len) = (s.cursor(), s.len());
    let next = match s.world().next_due() {
        _ if cur < len => "Step: replay the next recorded step".to_string(),
        Some(Due::Message { id, .. }) => match s.world().message(id) {
            Some(m) => format!("Step: {} reaches {}", m.msg.label(), m.to),
            None => "Step".into(),
        },
        Some(Due::Timer { node, .. }) => format!("Step: {node}'s timer fires"),
        None => "Nothing to step: ask a client for a value first".into(),
    };
    let on_speed = send.reform(|e: InputEvent| {
        Msg::Play(Play::SetSpeed(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(2)))
    });
    let on_seek = send.reform(|e: InputEvent| {
        Msg::Play(Play::Seek(e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0)))
    });
    let marks = s.markers().into_iter().filter(|(k, _)| !hide_future || *k <= cur).map(|(k, m)| {
        let left = if len == 0 { 0.0 } else { k as f64 / len as f64 * 100.0 };
        let (class, title) = match m {
            Marker::Phase(p) => (format!("mark phase-{p}"), format!("step {k}: Phase {p} begins")),
            Marker::Chosen => ("mark chosen".to_string(), format!("step {k}: a value is chosen")),
            Marker::Violation => ("mark violation".to_string(), format!("step {k}: safety breaks")),
            Marker::RuleBroken => {
                ("mark rule".to_string(), format!("step {k}: a switched-off rule breaks (no harm yet)"))
            }
        };
        html! { <span class={class} style={format!("left: {}%", px(left))} title={title}></span> }
    });
    let playing = s.playing;
    html! {
        <footer class="controls" aria-label="Playback">
            <div class="buttons">
                <button data-testid="back" onclick={on(send, || Msg::Play(Play::Back))} disabled={cur == 0} title="Back one step (←)" aria-label="Back one step">{icon("M11 2 L3 8 L11 14 Z")}{"Back"}</button>
                <button class="primary" data-testid="step" onclick={on(send, || Msg::Play(Play::Step))} disabled={!s.can_step()} title={format!("{next} (→)")} aria-label="Step">{"Step"}{icon("M5 2 L13 8 L5 14 Z")}</button>
                <button data-testid="forward" onclick={on(send, || Msg::Play(Play::Forward))} disabled={cur >= len} title="Redo the next recorded step" aria-label="Forward">{"Forward"}{icon("M2 2 L8 8 L2 14 Z M8 2 L14 8 L8 14 Z")}</button>
                <button data-testid="play" onclick={on(send, || Msg::Play(Play::Toggle))} aria-pressed={playing.to_string()} disabled={!playing && !s.can_step()}
                        title="Play or pause (Space)" aria-label={if playing { "Pause" } else { "Play" }}>{if playing { icon("M3 2 H6 V14 H3 Z M10 2 H13 V14 H10 Z") } else { icon("M4 2 L14 8 L4 14 Z") }}{if playing { "Pause" } else { "Play" }}</button>
                <label class="speed" title="Speed (+ / -)">
                    <span>{"Speed"}</span>
                    <input type="range" data-testid="speed" min="0" max={(SPEEDS.len() - 1).to_string()} step="1" value={s.speed.to_string()}
                           oninput={on_speed} aria-label="Speed" aria-valuetext={SPEED_LABELS[s.speed]} />
                    <output>{SPEED_LABELS[s.speed]}</output>
                </label>
            </div>
            <div class="scrubber">
                <div class="marks" aria-hidden="true">{ for marks }</div>
                <input type="range" data-testid="timeline" min="0" max={len.to_string()} value={cur.to_string()} oninput={on_seek}
                       aria-label="Timeline" aria-valuetext={format!("step {cur} of {len}")} disabled={len == 0} />
            </div>
            <SeedReset key={s.timeline().seed().to_string()} seed={s.timeline().seed()}
                on_reset={{ let cfg = s.timeline().config().clone(); send.reform(move |seed: u64| Msg::Reset(cfg.clone(), seed)) }}
                on_error={send.reform(|e| Msg::Show(Show::Notice(e)))} />
            <div class={if show_time { "counter timed" } else { "counter" }} data-testid="counter">{format!("step {cur} / {len}")}
                if show_time { <span class="muted">{format!(" · t={}", s.world().time())}</span> }</div>
        </footer>
    }
}

/// A small inline icon (fonts on some machines lack the media-control glyphs).
fn icon(path: &'static str) -> Html {
    html! { <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d={path} /></svg> }
}

#[derive(Properties, PartialEq)]
struct SeedProps {
    seed: u64,
    on_reset: Callback<u64>,
    on_error: Callback<String>,
}

/// "seed [42] Reset": start the run again from step 0, with this seed.
#[component]
fn SeedReset(p: &SeedProps) -> Html {
    let text = use_state(|| p.seed.to_string());
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (text, ok, err) = (text.clone(), p.on_reset.clone(), p.on_error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match text.trim().parse::<u64>() {
                Ok(seed) => ok.emit(seed),
                Err(_) => {
                    err.emit(format!("The seed must be a whole number, not {:?}; nothing was reset.", text.trim()))
                }
            }
        })
    };
    html! {
        <form class="seed-reset" {onsubmit}>
            <label for="seed">{"seed"}</label>
            <input id="seed" data-testid="seed" value={(*text).clone()} {oninput} inputmode="numeric" size="6" />
            <button type="submit" data-testid="reset" title="Start again from step 0 with this seed">{"Reset"}</button>
        </form>
    }
}
