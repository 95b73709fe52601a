//! Click menus on the canvas: for a message (deliver, drop, duplicate) and for a node (crash or
//! restart, amnesia, timeout, and for a client: request a value, change its leader estimate).
//! Every button sends a `Command`; a disabled one says why in its tooltip.

use crate::paxos::{NodeId, Role, Value};
use crate::sim::{Command, MsgId, World};
use crate::ui::format::px;
use crate::ui::msg::{on, Menu, Msg, Show};
use crate::ui::scene::{place, Scene, TokenBox};
use crate::ui::session::Session;
use yew::prelude::*;

/// The open menu, if any, placed beside what was clicked, in the canvas's pixels.
pub fn view(s: &Session, sc: &Scene, menu: Option<Menu>, show_time: bool, send: &Callback<Msg>) -> Html {
    let Some(menu) = menu else {
        return Html::default();
    };
    let w = s.world();
    // Each menu's height is estimated from its rows of actions or copies (`place::menu_size`).
    let size = |rows| place::menu_size(sc.frame, rows);
    let (at, body) = match menu {
        Menu::Message(id) => match sc.tokens.iter().find(|t| t.ids.contains(&id)) {
            Some(t) => {
                let rows = if t.ids.len() == 1 { 3 } else { t.ids.len() };
                (place::message_menu(sc, t, size(rows)), message_menu(w, t, show_time, send))
            }
            None => return Html::default(),
        },
        Menu::Overflow(gap) => match sc.overflow.iter().find(|o| o.gap == gap as usize) {
            Some(o) => (place::around(sc, o.rect, size(o.ids.len())), overflow_menu(w, &o.ids, send)),
            None => return Html::default(),
        },
        Menu::Node(n) => {
            let rows = match n.role {
                Role::Acceptor | Role::Learner => 2,
                Role::Proposer => 3,
                // The request form wraps its Send button; a Multi-Paxos client's timeout label wraps.
                Role::Client => 5 + w.log().is_some() as usize,
            };
            match place::node_menu(sc, n, size(rows)) {
                Some(at) => (at, node_menu(w, n, send)),
                None => return Html::default(),
            }
        }
    };
    html! {
        <div class="menu" data-testid="menu" role="dialog" aria-label="Actions"
             // Positioned inline, as the picture is: its height depends on the canvas's, so in
             // the page's flow (a page without its stylesheet) it would size the canvas in turn.
             style={format!("position: absolute; left: {}px; top: {}px; max-height: {}px; overflow-y: auto", px(at.x), px(at.y), px(sc.frame.h - at.y - 4.0))}
             onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
            { body }
        </div>
    }
}

/// A button for a command, disabled (with the world's reason as tooltip) when not enabled.
fn command_button(w: &World, label: &str, testid: &str, cmd: Command, send: &Callback<Msg>) -> Html {
    let why = w.check(&cmd).err();
    let title = why.clone().unwrap_or_default();
    html! {
        <button class="menu-item" data-testid={testid.to_string()} disabled={why.is_some()} title={title}
                onclick={send.reform(move |_| Msg::Do(cmd.clone()))}>{label}</button>
    }
}

fn message_menu(w: &World, t: &TokenBox, show_time: bool, send: &Callback<Msg>) -> Html {
    let close =
        html! { <button class="menu-item ghost" onclick={on(send, || Msg::Show(Show::CloseMenu))}>{"Close"}</button> };
    let id = t.ids[0];
    let Some(m) = w.message(id) else {
        return Html::default();
    };
    if t.ids.len() == 1 {
        let when = if show_time { format!(" · sent t={} · due t={}", m.sent_at, m.due) } else { String::new() };
        return html! { <>
            <div class="menu-title">{m.msg.label()}</div>
            <div class="menu-sub">{format!("#{id} · {} → {}{when}", m.from, m.to)}</div>
            { command_button(w, "Deliver now", "deliver", Command::Deliver { id }, send) }
            { command_button(w, "Drop (lose it)", "drop", Command::Drop { id }, send) }
            { command_button(w, "Duplicate", "duplicate", Command::Duplicate { id }, send) }
            { close }
        </> };
    }
    // Copies of one message: each can be delivered, lost or copied on its own.
    let rows = t.ids.iter().zip(&t.to).map(|(id, to)| {
        let id = *id;
        html! { <div class="menu-row copy">
            <span class="menu-label">{format!("to {to}")}</span>
            { command_button(w, "Deliver", &format!("deliver-{id}"), Command::Deliver { id }, send) }
            { command_button(w, "Drop", &format!("drop-{id}"), Command::Drop { id }, send) }
            { command_button(w, "Duplicate", &format!("duplicate-{id}"), Command::Duplicate { id }, send) }
        </div> }
    });
    html! { <>
        <div class="menu-title">{m.msg.label()}</div>
        <div class="menu-sub">{format!("{} copies from {}", t.ids.len(), m.from)}</div>
        { for rows }
        { close }
    </> }
}

fn overflow_menu(w: &World, ids: &[MsgId], send: &Callback<Msg>) -> Html {
    let rows = ids.iter().filter_map(|id| w.message(*id)).map(|m| {
        let id = m.id;
        html! { <div class="menu-row copy">
            <span class="menu-label">{format!("{} → {}", m.msg.label(), m.to)}</span>
            { command_button(w, "Deliver", &format!("deliver-{id}"), Command::Deliver { id }, send) }
        </div> }
    });
    html! { <>
        <div class="menu-title">{format!("{} more messages", ids.len())}</div>
        { for rows }
        <button class="menu-item ghost" onclick={on(send, || Msg::Show(Show::CloseMenu))}>{"Close"}</button>
    </> }
}

fn node_menu(w: &World, n: NodeId, send: &Callback<Msg>) -> Html {
    let up = w.is_up(n);
    let crash = if up {
        command_button(w, &format!("Crash {n}"), "crash", Command::Crash { node: n }, send)
    } else {
        command_button(w, &format!("Restart {n}"), "restart", Command::Restart { node: n }, send)
    };
    let amnesia_on = w.is_amnesiac(n);
    let amnesia = command_button(
        w,
        if amnesia_on { "Keep disk on restart (safe)" } else { "Amnesia on restart (unsafe)" },
        "amnesia",
        Command::SetAmnesia { node: n, on: !amnesia_on },
        send,
    );
    let role_items = match n.role {
        Role::Proposer => {
            command_button(w, "Time out now: retry higher", "timeout", Command::Timeout { node: n }, send)
        }
        Role::Client => client_items(w, n, send),
        Role::Acceptor | Role::Learner => Html::default(),
    };
    html! { <>
        <div class="menu-title">{format!("{n} · {}", n.role.name())}</div>
        <div class="menu-sub">{if up { "running" } else { "crashed" }}{if amnesia_on { " · amnesia mode" } else { "" }}
            { leader_note(w, n) }</div>
        { role_items }
        { crash }
        { amnesia }
        <button class="menu-item ghost" onclick={on(send, || Msg::Show(Show::CloseMenu))}>{"Close"}</button>
    </> }
}

fn client_items(w: &World, c: NodeId, send: &Callback<Msg>) -> Html {
    let leaders = (0..w.config().proposers).map(|i| {
        let p = NodeId::proposer(i);
        let current = w.client_leader(c) == p;
        html! {
            <button class={classes!("chip", current.then_some("current"))} data-testid={format!("leader-{p}")} disabled={current}
                    aria-pressed={current.to_string()}
                    onclick={send.reform(move |_| Msg::Do(Command::SetLeader { client: c, leader: p }))}>{p.to_string()}</button>
        }
    });
    let on_request = send.reform(move |text: String| match Value::new(text.trim()) {
        Ok(value) => Msg::Do(Command::Request { client: c, value }),
        Err(e) => Msg::Show(Show::Notice(format!("{c} cannot ask for that: {e}."))),
    });
    let suggested = crate::sim::world::DEFAULT_VALUES[c.index as usize % 3].to_string();
    let request = if w.log().is_some() {
        let next = w.next_request(c);
        let label = match &next {
            Command::Request { value, .. } => format!("Send next command \"{}\"", value.as_str()),
            _ => "Send next command".into(),
        };
        html! { <>
            { command_button(w, &label, "request", next, send) }
            { command_button(w, "Time out now: retry with the next proposer", "timeout", Command::Timeout { node: c }, send) }
        </> }
    } else {
        html! { <RequestForm client={c} {suggested} enabled={w.is_up(c)} on_request={on_request} /> }
    };
    html! { <>
        { request }
        <div class="menu-row"><span class="menu-label">{"leader estimate →"}</span>{ for leaders }</div>
    </> }
}

#[derive(Properties, PartialEq)]
struct RequestProps {
    client: NodeId,
    suggested: String,
    enabled: bool,
    on_request: Callback<String>,
}

/// "Request value [X] Send": the client's Phase 0.
#[component]
fn RequestForm(p: &RequestProps) -> Html {
    let text = use_state(|| p.suggested.clone());
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (text, cb) = (text.clone(), p.on_request.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit((*text).clone());
        })
    };
    html! {
        <form class="menu-row" {onsubmit}>
            <label class="menu-label" for="request-value">{"request value"}</label>
            <input id="request-value" data-testid="request-value" value={(*text).clone()} {oninput} maxlength="15" size="6" disabled={!p.enabled} />
            <button type="submit" class="menu-item inline" data-testid="request" disabled={!p.enabled}
                    title={if p.enabled { String::new() } else { format!("{} is crashed", p.client) }}>{"Send"}</button>
        </form>
    }
}

/// A proposer's own leader estimate, in words.
fn leader_note(w: &World, n: NodeId) -> String {
    match n.role {
        Role::Proposer => {
            let l = match w.log() {
                Some(log) => log.proposers[n.index as usize].leader,
                None => w.proposers()[n.index as usize].leader,
            };
            if l == n {
                " · believes it leads".into()
            } else {
                format!(" · believes {l} leads")
            }
        }
        Role::Client | Role::Acceptor | Role::Learner => String::new(),
    }
}
