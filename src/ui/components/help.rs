//! The `?` overlay: every keyboard shortcut and how to use the canvas.

use crate::ui::app::{App, Msg};
use yew::html::Scope;
use yew::prelude::*;

/// Every shortcut, as (keys, action). The README lists the same table.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("→  or  PageDown", "Step: the next message arrives (or the next timer fires)"),
    ("←  or  PageUp", "Back one step"),
    ("Space  or  .", "Play / pause"),
    ("+  /  -", "Faster / slower (0.25× to 4×)"),
    ("P", "Presenter mode: large type, side panel hidden; click a node or message to spotlight it"),
    ("F", "Full screen"),
    ("Tab, Enter", "Move to a node or message and open its menu"),
    ("Esc", "Close menus, dialogs and this help"),
    ("?", "Show or hide this help"),
    ("clicker", "Presentation clickers send PageDown, PageUp and \".\": step, back, play"),
];

/// The overlay.
pub fn view(link: &Scope<App>) -> Html {
    let rows = SHORTCUTS.iter().map(|(k, a)| html! { <tr><th scope="row"><kbd>{*k}</kbd></th><td>{*a}</td></tr> });
    html! {
        <div class="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts"
             onclick={link.callback(|_| Msg::ToggleHelp)}>
            <div class="overlay-card" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2>{"Keyboard shortcuts"}</h2>
                <table class="shortcuts">{ for rows }</table>
                <h3>{"On the canvas"}</h3>
                <p>{"Click a message token to deliver, drop or duplicate it. Click a node to crash or restart it; a proposer can time out; a client can request a value or change which proposer it believes leads."}</p>
                <p>{"Acting while you are back in the past forks the timeline: the old future is replaced."}</p>
                <button class="primary" onclick={link.callback(|_| Msg::ToggleHelp)}>{"Close"}</button>
            </div>
        </div>
    }
}
