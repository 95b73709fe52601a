//! The lesson card: where the student is in the lesson, the lesson's own words for this step,
//! "your turn" prompts, and the way back when they have wandered off the script.

use crate::sim::lessons::Lesson;
use crate::ui::msg::{Guide, Msg, Play};
use crate::ui::session::Session;
use yew::prelude::*;

/// How many of the session's steps still follow the lesson's script.
pub fn on_script_steps(s: &Session, l: &Lesson) -> usize {
    s.timeline().steps().iter().zip(&l.commands).take_while(|(a, b)| a.command == **b).count()
}

/// The card, at the top of the side panel.
pub fn view(s: &Session, l: &Lesson, send: &Callback<Msg>) -> Html {
    let n = l.commands.len();
    let cur = s.cursor();
    let on_script = on_script_steps(s, l);
    let off = cur > on_script || (s.len() > on_script && on_script < n);
    // The lesson speaks only on the steps it wrote words for; between them the narration tells.
    let said = l.beat_at(cur).map(|(_, b)| b.caption.as_str());
    let caption = match said {
        _ if off && on_script >= n => html! {
            <p class="caption off" data-testid="caption">{"You are exploring on your own after the lesson's last step. Resume to see how the lesson ended."}</p>
        },
        _ if off => html! {
            <p class="caption off" data-testid="caption">{format!(
                "You are exploring on your own: the lesson's script was replaced from step {}. Resume to go back to the lesson where you left it.",
                on_script + 1
            )}</p>
        },
        Some(c) => html! { <p class="caption" data-testid="caption">{c}</p> },
        None if cur == 0 => html! { <p class="caption" data-testid="caption">{l.teaches}</p> },
        None => {
            html! { <p class="caption earlier" data-testid="caption">{"(The narration below tells this step.)"}</p> }
        }
    };
    let turn = (!off).then(|| l.turn(cur)).flatten().map(|t| {
        html! { <p class="your-turn" data-testid="your-turn" role="note"><strong>{"Your turn. "}</strong>{capitalized(t.prompt.trim_start_matches("Your turn: "))}</p> }
    });
    let pct = if n == 0 { 0.0 } else { cur.min(n) as f64 / n as f64 * 100.0 };
    let next_disabled = off || cur >= n;
    html! {
        <section class="panel lesson-card" data-testid="lesson-card" aria-label={format!("Lesson {}: {}", l.number, l.title)}>
            <div class="lesson-head">
                <h2>{format!("Lesson {} of {}", l.number, crate::sim::lessons::COUNT)}</h2>
                <button class="ghost small" data-testid="lesson-exit" onclick={send.reform(|_| Msg::Guide(Guide::Exit))} aria-label="Leave the lesson">{"✕"}</button>
            </div>
            <h3 class="lesson-title">{l.title}</h3>
            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax={n.to_string()} aria-valuenow={cur.min(n).to_string()}
                 aria-label="Lesson progress"><span style={format!("width: {}%", crate::ui::format::px(pct))}></span></div>
            <div class="lesson-step" data-testid="lesson-progress">{format!("step {} of {n}", cur.min(n))}</div>
            { caption }
            { turn.unwrap_or_default() }
            <div class="lesson-nav">
                <button data-testid="lesson-prev" disabled={cur == 0} onclick={send.reform(|_| Msg::Play(Play::Back))}>{"◀ Prev"}</button>
                if off {
                    <button class="primary" data-testid="lesson-resume" onclick={send.reform(|_| Msg::Guide(Guide::Resume))}>{"Resume lesson"}</button>
                } else {
                    <button class="primary" data-testid="lesson-next" disabled={next_disabled} onclick={send.reform(|_| Msg::Play(Play::Forward))}>
                        {if cur >= n { "Lesson complete" } else { "Next ▶" }}</button>
                }
            </div>
        </section>
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    // ASCII only: Unicode case tables would add kilobytes to the download for one letter.
    c.next().map(|f| std::iter::once(f.to_ascii_uppercase()).chain(c).collect()).unwrap_or_default()
}
