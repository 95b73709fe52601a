//! Cluster settings: how many of each role, Nacks on or off, and the rule-breaking switches.
//! Changing the shape starts a new run; amnesia is a command, so it is recorded and undoable.

use crate::paxos::Role;
use crate::paxos::Switch;
use crate::sim::config::LIMITS;
use crate::sim::{Config, Mode};
use crate::ui::msg::{Msg, Show};
use crate::ui::session::Session;
use std::collections::BTreeSet;
use yew::prelude::*;

/// The settings panel.
pub fn view(s: &Session, send: &Callback<Msg>) -> Html {
    let w = s.world();
    let on_apply = send.reform(|(cfg, seed): (Config, u64)| Msg::Reset(cfg, seed));
    let on_error = send.reform(|e| Msg::Show(Show::Notice(e)));
    html! {
        <details class="panel config" data-testid="config">
            <summary><h2>{"Cluster settings"}</h2></summary>
            <ShapeForm key={crate::sim::link::Link::of_run(w.config().clone(), s.timeline().seed(), vec![], 0).to_hash()} config={w.config().clone()} seed={s.timeline().seed()} {on_apply} {on_error} />
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct ShapeProps {
    config: Config,
    seed: u64,
    on_apply: Callback<(Config, u64)>,
    on_error: Callback<String>,
}

/// Counts, Nacks and seed; "Apply and restart" checks every field before anything changes.
#[component]
fn ShapeForm(p: &ShapeProps) -> Html {
    let fields = use_state(|| {
        let c = &p.config;
        vec![
            c.clients.to_string(),
            c.proposers.to_string(),
            c.acceptors.to_string(),
            c.learners.to_string(),
            p.seed.to_string(),
            c.slots.to_string(),
        ]
    });
    let nacks = use_state(|| p.config.nacks);
    let multi = use_state(|| p.config.mode == Mode::Multi);
    let muts = use_state(|| p.config.mutations.clone());
    let switches = Switch::ALL.iter().filter(|m| *multi || m.in_single()).map(|m| {
        let m = *m;
        let on = muts.contains(&m);
        let muts = muts.clone();
        let onchange = Callback::from(move |_| {
            let mut v: BTreeSet<Switch> = (*muts).clone();
            if !v.remove(&m) {
                v.insert(m);
            }
            muts.set(v);
        });
        html! {
            <label class="check unsafe-switch">
                <input type="checkbox" checked={on} {onchange} data-testid={format!("mutation-{}", m.name())} />
                <span><strong>{"Unsafe: "}</strong>{m.describe()}</span>
            </label>
        }
    });
    let names = ["Clients", "Proposers", "Acceptors", "Learners"];
    let inputs = LIMITS.iter().enumerate().map(|(i, (role, lo, hi))| {
        let value = fields[i].clone();
        let fields = fields.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut v = (*fields).clone();
            v[i] = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            fields.set(v);
        });
        let id = format!("count-{}", role.name());
        html! {
            <label class="field" for={id.clone()}>{names[i]}
                <input id={id.clone()} data-testid={id} type="number" min={lo.to_string()} max={hi.to_string()} value={value} {oninput} />
            </label>
        }
    });
    let slots = {
        let value = fields[5].clone();
        let fields = fields.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut v = (*fields).clone();
            v[5] = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            fields.set(v);
        });
        html! { <label class="field" for="count-slots">{"Log slots"}
            <input id="count-slots" data-testid="count-slots" type="number" min="1" max="16" {value} {oninput} disabled={!*multi} />
        </label> }
    };
    let onsubmit = {
        let (fields, nacks, base, muts, multi) =
            (fields.clone(), nacks.clone(), p.config.clone(), muts.clone(), multi.clone());
        let (ok, err) = (p.on_apply.clone(), p.on_error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mode = if *multi { Mode::Multi } else { Mode::Single };
            // Filtered in place rather than collected: collecting a BTreeSet sorts, which costs
            // the wasm a whole sort for this one type.
            let mut mutations = (*muts).clone();
            mutations.retain(|m| *multi || m.in_single());
            let base = Config { mutations, mode, ..base.clone() };
            match parse(&fields, *nacks, &base) {
                Ok(v) => ok.emit(v),
                Err(m) => err.emit(m),
            }
        })
    };
    let toggle = {
        let nacks = nacks.clone();
        Callback::from(move |_| nacks.set(!*nacks))
    };
    let flip = {
        let multi = multi.clone();
        Callback::from(move |_| multi.set(!*multi))
    };
    html! {
        <form class="shape" novalidate=true {onsubmit}>
            <label class="check"><input type="checkbox" checked={*multi} onchange={flip} data-testid="mode-multi" />
                {"Multi-Paxos: a replicated log with a stable leader"}</label>
            <div class="fields">{ for inputs }{ slots }</div>
            <label class="check"><input type="checkbox" checked={*nacks} onchange={toggle} data-testid="nacks" />{"Acceptors send Nacks when they refuse"}</label>
            <fieldset class="switches">
                <legend>{"Rule-breaking switches (each one is unsafe on purpose)"}</legend>
                { for switches }
            </fieldset>
            <button type="submit" class="primary" data-testid="apply">{"Apply and restart"}</button>
        </form>
    }
}

fn parse(fields: &[String], nacks: bool, base: &Config) -> Result<(Config, u64), String> {
    let mut cfg = Config { nacks, ..base.clone() };
    // Amnesia is set per node with commands (Break things); a new shape starts without it.
    cfg.amnesia.clear();
    for (i, (role, lo, hi)) in LIMITS.iter().enumerate() {
        let n: u8 = fields[i]
            .trim()
            .parse()
            .map_err(|_| format!("{}s must be a whole number from {lo} to {hi}, not {:?}.", role.name(), fields[i]))?;
        match role {
            Role::Client => cfg.clients = n,
            Role::Proposer => cfg.proposers = n,
            Role::Acceptor => cfg.acceptors = n,
            Role::Learner => cfg.learners = n,
        }
    }
    if cfg.mode == Mode::Multi {
        cfg.slots = fields[5]
            .trim()
            .parse()
            .map_err(|_| format!("Log slots must be a whole number from 1 to 16, not {:?}.", fields[5]))?;
    }
    cfg.validate().map_err(|e| format!("Not changed: {e}."))?;
    let seed = fields[4]
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("The seed must be a whole number, not {:?}.", fields[4]))?;
    Ok((cfg, seed))
}
