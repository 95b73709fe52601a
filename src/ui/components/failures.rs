//! The failure panel: break things in one click. Every control sends a `Command`, so each change
//! is recorded in the timeline and can be undone.

use crate::paxos::{NodeId, Role};
use crate::sim::config::{MAX_DUPLICATE_PERCENT, MAX_LATENCY};
use crate::sim::{Command, World};
use crate::ui::msg::on;
use crate::ui::msg::Msg;
use crate::ui::session::Session;
use yew::prelude::*;

/// The panel.
pub fn view(s: &Session, send: &Callback<Msg>) -> Html {
    let w = s.world();
    html! {
        <details class="panel failures" data-testid="failures" open=true>
            <summary><h2>{"Break things"}</h2></summary>
            { nodes(w, send) }
            <PartitionPicker nodes={w.config().nodes().collect::<Vec<_>>()} partitioned={w.is_partitioned()}
                on_split={send.reform(|groups: Vec<NodeId>| Msg::Do(Command::Partition { groups: vec![groups] }))}
                on_heal={on(send, || Msg::Do(Command::Heal))} />
            { network(w, send) }
        </details>
    }
}

fn nodes(w: &World, send: &Callback<Msg>) -> Html {
    let rows = w.config().nodes().map(|n| {
        let up = w.is_up(n);
        let cmd = if up { Command::Crash { node: n } } else { Command::Restart { node: n } };
        let amnesia = w.is_amnesiac(n);
        let toggle = Command::SetAmnesia { node: n, on: !amnesia };
        let timeout = (n.role == Role::Proposer).then(|| {
            let c = Command::Timeout { node: n };
            let why = w.check(&c).err();
            let disabled = why.is_some();
            html! { <button class="small" data-testid={format!("timeout-{n}")} {disabled} title={why.unwrap_or_default()}
                            onclick={send.reform(move |_| Msg::Do(c.clone()))}>{"time out"}</button> }
        });
        html! {
            <li class={classes!("fail-row", (!up).then_some("down"))}>
                <span class="fail-node">{n.to_string()}</span>
                <button class="small fail-toggle" data-testid={format!("toggle-{n}")} onclick={send.reform(move |_| Msg::Do(cmd.clone()))}>
                    {if up { "crash" } else { "restart" }}</button>
                <label class="check small" title="A restart wipes even durable state (unsafe)">
                    <input type="checkbox" checked={amnesia} data-testid={format!("amnesia-{n}")}
                           onchange={send.reform(move |_| Msg::Do(toggle.clone()))} />{"amnesia"}</label>
                { timeout.unwrap_or_default() }
            </li>
        }
    });
    html! { <div class="fail-block"><h3>{"Nodes"}</h3><ul class="fail-nodes">{ for rows }</ul></div> }
}

fn slider(label: &str, testid: &str, value: u8, max: u8, make: fn(u8) -> Command, send: &Callback<Msg>) -> Html {
    let onchange = send.reform(move |e: Event| {
        let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(0);
        Msg::Do(make(v))
    });
    html! {
        <label class="net-row">{label}
            <input type="range" min="0" max={max.to_string()} value={value.to_string()} data-testid={testid.to_string()} {onchange}
                   aria-valuetext={format!("{value}%")} />
            <output>{format!("{value}%")}</output>
        </label>
    }
}

fn network(w: &World, send: &Callback<Msg>) -> Html {
    let (lo, hi) = w.latency();
    let backoff = w.backoff();
    let latency = send.reform(|(min, max): (u32, u32)| Msg::Do(Command::SetLatency { min, max }));
    html! {
        <div class="fail-block">
            <h3>{"Network (applies on Step and Play)"}</h3>
            { slider("Loss", "loss", w.loss(), 100, |p| Command::SetLoss { percent: p }, send) }
            { slider("Duplicates", "dup", w.duplicate_rate(), MAX_DUPLICATE_PERCENT, |p| Command::SetDuplicate { percent: p }, send) }
            <LatencyForm min={lo} max={hi} on_set={latency} />
            <label class="check"><input type="checkbox" checked={backoff} data-testid="backoff"
                onchange={send.reform(move |_| Msg::Do(Command::SetBackoff { on: !backoff }))} />
                {"Random back-off after a Nack (and randomized timeouts)"}</label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LatencyProps {
    min: u32,
    max: u32,
    on_set: Callback<(u32, u32)>,
}

#[component]
fn LatencyForm(p: &LatencyProps) -> Html {
    let lo = use_state(|| p.min.to_string());
    let hi = use_state(|| p.max.to_string());
    let field = |h: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| h.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (lo, hi, cb) = (lo.clone(), hi.clone(), p.on_set.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Out-of-range numbers are passed on: the world refuses them with its own message.
            cb.emit((lo.trim().parse().unwrap_or(0), hi.trim().parse().unwrap_or(0)));
        })
    };
    html! {
        <form class="net-row" novalidate=true {onsubmit}>{"Latency"}
            <input type="number" min="1" max={MAX_LATENCY.to_string()} value={(*lo).clone()} oninput={field(lo.clone())} data-testid="latency-min" aria-label="Fewest ticks" />
            {"to"}
            <input type="number" min="1" max={MAX_LATENCY.to_string()} value={(*hi).clone()} oninput={field(hi.clone())} data-testid="latency-max" aria-label="Most ticks" />
            {"ticks"}
            <button class="small" type="submit" data-testid="latency-set">{"Set"}</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct PickerProps {
    nodes: Vec<NodeId>,
    partitioned: bool,
    on_split: Callback<Vec<NodeId>>,
    on_heal: Callback<()>,
}

/// Click nodes into one side of the cut; everyone else is the other side.
#[component]
fn PartitionPicker(p: &PickerProps) -> Html {
    let side = use_state(Vec::<NodeId>::new);
    let chips = p.nodes.iter().map(|n| {
        let n = *n;
        let on = side.contains(&n);
        let side = side.clone();
        let onclick = Callback::from(move |_| {
            let mut v = (*side).clone();
            if let Some(i) = v.iter().position(|x| *x == n) {
                v.remove(i);
            } else {
                v.push(n);
            }
            side.set(v);
        });
        html! { <button class={classes!("chip", on.then_some("current"))} aria-pressed={on.to_string()} data-testid={format!("cut-{n}")} {onclick}>{n.to_string()}</button> }
    });
    let split = {
        let (side, cb) = (side.clone(), p.on_split.clone());
        Callback::from(move |_| cb.emit((*side).clone()))
    };
    let heal = {
        let (side, cb) = (side.clone(), p.on_heal.clone());
        Callback::from(move |_| {
            side.set(Vec::new());
            cb.emit(())
        })
    };
    html! {
        <div class="fail-block">
            <h3>{"Partition"}</h3>
            <p class="muted small">{"Click the nodes for one side; everyone else is on the other side."}</p>
            <div class="chips">{ for chips }</div>
            <div class="row">
                <button data-testid="split" disabled={side.is_empty()} onclick={split}>{"Split the network"}</button>
                <button data-testid="heal" disabled={!p.partitioned} onclick={heal}>{"Heal"}</button>
            </div>
        </div>
    }
}
