//! The `?` overlay: every keyboard shortcut and how to use the canvas.

use crate::paxos::Kind;
use crate::ui::msg::{on, Msg, Show};
use yew::prelude::*;

/// Every shortcut, as (keys, action). The README lists the same table.
pub const SHORTCUTS: [(&str, &str); 12] = [
    ("→  or  PageDown", "Step: the next message arrives (or the next timer fires). In a lesson: the next beat; a press while a beat still plays finishes it at once, as in slide software"),
    ("←  or  PageUp", "Back one step (just after a revealed answer, back to its question); in a lesson, the previous beat (off the script, back at a step it shares, the lesson takes over again; in presenter mode, from the room's own run at a \"your turn\", straight back to its beat)"),
    ("Shift + →  /  ←", "One step, also in a lesson"),
    ("Space  or  .", "Play / pause (in a lesson, each beat is held long enough to read its caption)"),
    ("+  /  -", "Faster / slower (0.25× to 4×)"),
    ("P", "Presenter mode: large type, side panel hidden; click a node or message to spotlight it"),
    ("F", "Full screen"),
    ("E", "Open or close the exhaustive explorer (also in presenter mode; while it is open, PageDown runs the search)"),
    ("Tab, Enter", "Move to a node or message and open its menu"),
    ("Esc", "Close menus, dialogs and this help (a clicker's keys close a menu too; PageUp closes a dialog; PageDown pages through this help, and closes it from its end)"),
    ("?", "Show or hide this help"),
    ("clicker", "Presentation clickers send PageDown, PageUp and \".\" or B (the blank-screen button): step, back, play and pause"),
];

/// The overlay.
pub fn view(send: &Callback<Msg>) -> Html {
    let rows = SHORTCUTS.iter().map(|(k, a)| html! { <tr><th scope="row"><kbd>{*k}</kbd></th><td>{*a}</td></tr> });
    html! {
        <div class="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" tabindex="-1" aria-label="Keyboard shortcuts"
             onclick={on(send, || Msg::Show(Show::Help))}>
            <div class="overlay-card help" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2>{"Keyboard shortcuts"}</h2>
                <table class="shortcuts">{ for rows }</table>
                <h3>{"Key"}</h3>
                <dl class="key">
                    <dt class="mono">{"2.1"}</dt><dd>{"a ballot: round 2 of proposer P1. Higher round wins; the proposer breaks ties."}</dd>
                    <dt>{"disk mark"}</dt><dd>{"the field is on disk and survives a crash (unless the node is in amnesia mode, dashed outline)."}</dd>
                    <dt>{"✓ beside a node"}</dt><dd>{"the node has found out which value is chosen (a proposer from the votes, an acceptor from a Commit, a learner from the votes or a Commit, a client from a reply); the chosen banner counts these. A red ✗ instead: the node decided a value that is not the chosen one (or before any was chosen), which only a switched-off rule allows."}</dd>
                    <dt class="mono">{"promises ●○"}</dt><dd>{"what a proposer has heard, as dots: ● for each promise (or vote) it has, ○ for each it still needs; a majority of 3 acceptors is 2."}</dd>
                    <dt class="mono">{"C1 C2"}</dt><dd>{"the small boxes by a proposer: the clients that believe it leads, so send it their requests."}</dd>
                    <dt class="mono">{"waits X2+1"}</dt><dd>{"Multi-Paxos: a client's oldest command still unanswered (the one a retry re-sends), and how many more it waits for. \"applied s1–s3\": the log's prefix a node has applied, with no gap."}</dd>
                    <dt>{"chosen"}</dt><dd>{"a fact about the acceptors: a majority accepted one value in one ballot. Nodes find it out later, from messages."}</dd>
                    <dt class="marks-key" aria-hidden="true">{ for ["mark phase-1", "mark phase-2", "mark phase-3", "mark chosen", "mark rule", "mark violation"].map(|c| html! { <span class={c}></span> }) }</dt>
                    <dd>{"the timeline's marks: Phase 1, 2 or 3 begins (blue, orange, green tick); a value is chosen (yellow diamond); a switched-off rule breaks (amber square); safety breaks (red dot). Hover a mark for its step."}</dd>
                    <dt>{"step, t"}</dt><dd>{"a step is one event; t is logical time in ticks. It moves when the network delivers on its own (Step, Play); a message delivered by hand, or by the explorer's schedule, arrives with the clock standing still."}</dd>
                </dl>
                <p class="legend">{ for Kind::ALL.iter().filter(|k| !matches!(k, Kind::Reply | Kind::Announce)).map(|k| html! {
                    <span class="legend-item"><svg width="34" height="10" aria-hidden="true"><line class={format!("wire kind-{}", k.name())} x1="1" y1="5" x2="33" y2="5" /></svg>
                        // Replies and "Learned" announcements are drawn as commits are: the outcome travelling out.
                        {if *k == Kind::Commit { "commit, reply, learned" } else { k.name() }}</span>
                }) }</p>
                <h3>{"On the canvas"}</h3>
                <p>{"Click a message token to deliver, drop or duplicate it. Click a node to crash or restart it; a proposer can time out; a client can request a value or change which proposer it believes leads."}</p>
                <p>{"Acting while you are back in the past forks the timeline: the old future is replaced."}</p>
                <button class="primary" onclick={on(send, || Msg::Show(Show::Help))}>{"Close"}</button>
            </div>
        </div>
    }
}
