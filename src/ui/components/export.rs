//! The animated export dialog: the range (steps, or beats in a lesson), how long each frame
//! holds, Export, and while it records a progress bar and Cancel. It sits at the bottom of the
//! page so the run it records stays in view.

use crate::ui::export::{Unit, HOLDS, MAX_FRAMES};
use crate::ui::msg::{on, when, Export, Msg};
use yew::prelude::*;

/// What the dialog shows.
pub struct View<'a> {
    pub unit: Unit,
    pub from: usize,
    pub to: usize,
    pub hold: usize,
    /// The frame being recorded and the frames in all, while recording.
    pub progress: Option<(usize, usize)>,
    pub status: Option<&'a str>,
    /// Steps in the run, and beats in the lesson (if one is open).
    pub steps: usize,
    pub beats: Option<usize>,
}

fn number(send: &Callback<Msg>, id: &'static str, value: usize, max: usize, f: fn(usize) -> Export) -> Html {
    let on = when(send, move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.value().trim().parse::<usize>().ok().map(|n| Msg::Export(f(n)))
    });
    html! { <input type="number" min="0" max={max.to_string()} value={value.to_string()} data-testid={id} oninput={on} /> }
}

/// The dialog.
pub fn view(v: &View, send: &Callback<Msg>) -> Html {
    let busy = v.progress.is_some();
    let max = match v.unit {
        Unit::Steps => v.steps,
        Unit::Beats => v.beats.unwrap_or(0),
    };
    let unit = v.beats.map(|_| {
        let on = when(send, |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Some(Msg::Export(Export::Unit(if s.value() == "beats" { Unit::Beats } else { Unit::Steps })))
        });
        html! { <label>{"Range in "}
        <select data-testid="export-unit" onchange={on} disabled={busy}>
            <option value="beats" selected={v.unit == Unit::Beats}>{"beats"}</option>
            <option value="steps" selected={v.unit == Unit::Steps}>{"steps"}</option>
        </select></label> }
    });
    let holds = HOLDS.iter().enumerate().map(|(i, s)| {
        html! { <option value={i.to_string()} selected={i == v.hold}>{format!("{} s", crate::ui::format::px(*s))}</option> }
    });
    let on_hold = when(send, |e: Event| {
        let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
        s.value().parse().ok().map(|i| Msg::Export(Export::Hold(i)))
    });
    let what = if v.unit == Unit::Beats { "beat" } else { "step" };
    html! {
        <div class="overlay export-overlay" data-testid="export-dialog" role="dialog" aria-modal="true" tabindex="-1" aria-label="Animated export">
            <div class="overlay-card export-card">
                <h2>{"Animation for slides"}<span class="small">{format!(" · WebM, 1280×720: a frame per step, its number and caption burned in (≤ {MAX_FRAMES})")}</span></h2>
                <div class="export-row">
                    <fieldset class="export-range" disabled={busy}>
                        { for unit }
                        <label>{format!("From {what} ")}{ number(send, "export-from", v.from, max, Export::From) }</label>
                        <label>{"to "}{ number(send, "export-to", v.to, max, Export::To) }</label>
                        <label>{"each "}<select data-testid="export-hold" onchange={on_hold} aria-label="Seconds per frame">{ for holds }</select></label>
                    </fieldset>
                    if busy {
                        <button data-testid="export-cancel" onclick={on(send, || Msg::Export(Export::Cancel))}>{"Cancel"}</button>
                    } else {
                        <button class="primary" data-testid="export-start" onclick={on(send, || Msg::Export(Export::Start))}>{"Export"}</button>
                        <button data-testid="export-close" onclick={on(send, || Msg::Export(Export::Open))}>{"Close"}</button>
                    }
                </div>
                if let Some((done, total)) = v.progress {
                    <div class="export-progress">
                        <progress data-testid="export-progress" max={total.max(1).to_string()} value={done.to_string()} />
                        <span>{format!("Recording frame {done} of {total}")}</span>
                    </div>
                }
                if let Some(s) = v.status {
                    <p class="export-status" data-testid="export-status" role="status">{s}</p>
                }
            </div>
        </div>
    }
}
