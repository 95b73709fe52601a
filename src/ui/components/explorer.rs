//! The explorer dialog: bounds, run and cancel, live progress, and the verdict. The search runs
//! in short slices between frames, so the page never freezes.

use crate::sim::explore::{Bounds, Verdict};
use crate::sim::Config;
use crate::ui::explore_run::ExploreRun;
use crate::ui::msg::{on, Explore, Msg, Show};
use crate::ui::verdict;
use yew::prelude::*;

/// What the explorer does, before the bounds.
const INTRO: &str = "Starting once the clients have asked for their values, it tries every order of message deliveries, and within the bounds every timeout, drop, duplicate, crash and restart. It looks for harm: two values chosen, a value nobody asked for, or someone told a value that was not chosen. Where it sees a switched-off rule broken (a promise lowered, an accept below a promise, a ballot reused), it marks the step, and the search goes on to the harm that rule exists to prevent. Breadth first, so the counterexample it finds is a shortest one.";

/// The dialog.
pub fn view(config: &Config, run: Option<&ExploreRun>, send: &Callback<Msg>) -> Html {
    // In words, as the settings panel says them: the names are for traces and the command line.
    let switches: Vec<&str> = config.mutations.iter().map(|m| m.describe().trim_end_matches('.')).collect();
    let amnesia: Vec<String> = config.amnesia.iter().map(|n| n.to_string()).collect();
    let summary = format!(
        "{} · Nacks {} · rules switched off: {}{}",
        verdict::cluster(config),
        if config.nacks { "on" } else { "off" },
        if switches.is_empty() { "none".to_string() } else { switches.join("; ") },
        if amnesia.is_empty() { String::new() } else { format!(" · amnesia: {}", amnesia.join(", ")) },
    );
    let running = run.is_some_and(|r| r.verdict.is_none() && r.stopped.is_none());
    let status = run.map(|r| {
        let p = r.progress;
        let rate = if r.elapsed_ms > 0.0 { p.states as f64 / (r.elapsed_ms / 1000.0) } else { 0.0 };
        let verdict = match (&r.verdict, &r.stopped) {
            (Some(v @ Verdict::Safe { .. }), _) => html! {
                <p class="verdict safe" data-testid="verdict" data-verdict="safe">{verdict::text(v, &r.ex.bounds(), r.ex.config())}</p>
            },
            (Some(v @ Verdict::NoHarm { .. }), _) => html! {
                <p class="verdict noharm" data-testid="verdict" data-verdict="no-harm">{verdict::text(v, &r.ex.bounds(), r.ex.config())}</p>
            },
            (Some(v @ Verdict::Violation { broken_at, harm_at, .. }), _) => html! {
                <div class="verdict unsafe" data-testid="verdict" data-verdict="counterexample">
                    <p>{verdict::text(v, &r.ex.bounds(), r.ex.config())}</p>
                    <p class="small">{verdict::replay_note(*broken_at, *harm_at)}</p>
                    <button class="primary" data-testid="replay-counterexample" onclick={on(send, || Msg::Explore(Explore::LoadCounterexample))}>{"Play it again from the start"}</button>
                </div>
            },
            (None, Some(why)) => html! { <p class="verdict stopped" data-testid="verdict" data-verdict="stopped">{why}</p> },
            (None, None) => html! {},
        };
        html! { <>
            <dl class="explore-stats" data-testid="explore-stats">
                <dt>{"states"}</dt><dd data-testid="explore-states">{p.states.to_string()}</dd>
                <dt>{"depth"}</dt><dd>{p.depth.to_string()}</dd>
                <dt>{"frontier"}</dt><dd>{p.frontier.to_string()}</dd>
                <dt>{"states/s"}</dt><dd>{crate::ui::format::int(rate)}</dd>
                <dt>{"time"}</dt><dd data-testid="explore-time">{format!("{} s", crate::ui::format::px(r.elapsed_ms / 1000.0))}</dd>
            </dl>
            if running { <div class="progress busy" role="progressbar" aria-label="Searching"><span></span></div> }
            { verdict }
        </> }
    });
    html! {
        <div class="overlay" data-testid="explorer" role="dialog" aria-modal="true" tabindex="-1" aria-label="Explorer"
             onclick={on(send, || Msg::Show(Show::Explorer))}>
            <div class="overlay-card explorer" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                // Close at the top, so it stays in reach however long the card grows.
                <div class="dialog-head">
                    <h2>{"Exhaustive explorer"}</h2>
                    <button class="ghost" data-testid="explorer-close" onclick={on(send, || Msg::Show(Show::Explorer))}>{"Close"}</button>
                </div>
                // Once a search has run, the introduction folds away so the verdict fits on a
                // 1280×720 projector.
                if run.is_some() {
                    <details class="small"><summary>{"What the explorer does"}</summary><p>{INTRO}</p></details>
                } else {
                    <p>{INTRO}</p>
                }
                <p class="small muted" data-testid="explore-config">{summary}</p>
                <BoundsForm config={config.clone()} {running} on_run={send.reform(|(b, stop)| Msg::Explore(Explore::Start(b, stop)))} on_cancel={on(send, || Msg::Explore(Explore::Cancel))} />
                { status.unwrap_or_default() }
            </div>
        </div>
    }
}

/// The verdict once the dialog is closed: a card in the side panel, so the student watching the
/// counterexample play still sees what the explorer found and within which bounds.
pub fn card(run: &ExploreRun, send: &Callback<Msg>) -> Html {
    let Some(v) = &run.verdict else { return html! {} };
    let found = matches!(v, Verdict::Violation { .. });
    let (class, name) = match v {
        Verdict::Safe { .. } => ("safe", "safe"),
        Verdict::NoHarm { .. } => ("noharm", "no-harm"),
        Verdict::Violation { .. } => ("unsafe", "counterexample"),
    };
    html! {
        <section class={classes!("panel", "explore-card", class)} data-testid="explore-card"
                 data-verdict={name} aria-label="The explorer's verdict">
            <div class="explore-card-head">
                <h2>{"Explorer"}</h2>
                <button class="small ghost" data-testid="explore-card-dismiss" aria-label="Dismiss the explorer's verdict"
                        onclick={on(send, || Msg::Explore(Explore::Dismiss))}>{"✕"}</button>
            </div>
            <p data-testid="explore-card-text">{verdict::text(v, &run.ex.bounds(), run.ex.config())}</p>
            <div class="row">
                if found {
                    <button class="small" data-testid="explore-card-replay"
                            onclick={on(send, || Msg::Explore(Explore::LoadCounterexample))}>{"Play it again"}</button>
                }
                <button class="small" data-testid="explore-card-open" onclick={on(send, || Msg::Show(Show::Explorer))}>{"Open the explorer"}</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct BoundsProps {
    config: Config,
    running: bool,
    on_run: Callback<(Bounds, bool)>,
    on_cancel: Callback<()>,
}

#[component]
fn BoundsForm(p: &BoundsProps) -> Html {
    let d = Bounds::for_config(&p.config);
    let fields = use_state(|| [d.max_rounds as u8, d.max_crashes, d.max_duplicates, d.max_drops]);
    let stop_at_rule = use_state(|| false);
    let names = [
        ("rounds", "Ballots (in all)", 1, 6),
        ("crashes", "Crashes", 0, 3),
        ("duplicates", "Duplicates", 0, 3),
        ("drops", "Drops", 0, 3),
    ];
    let inputs = names.iter().enumerate().map(|(i, (id, label, lo, hi))| {
        let fields = fields.clone();
        let value = fields[i].to_string();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut v = *fields;
            v[i] = e.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse().unwrap_or(255);
            fields.set(v);
        });
        html! { <label class="field">{*label}
            <input type="number" min={lo.to_string()} max={hi.to_string()} {value} {oninput} data-testid={format!("bound-{id}")} />
        </label> }
    });
    let [r, c, du, dr] = *fields;
    let bounds = Bounds { max_rounds: r as u32, max_crashes: c, max_duplicates: du, max_drops: dr };
    // Bounds out of range or too small for the switches are explained, and cannot be run.
    let problem = bounds.validate().err().or_else(|| bounds.lacks(&p.config));
    let run = {
        let (cb, stop) = (p.on_run.clone(), *stop_at_rule);
        Callback::from(move |_| cb.emit((bounds, stop)))
    };
    let cancel = {
        let cb = p.on_cancel.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let toggle_stop = {
        let stop_at_rule = stop_at_rule.clone();
        Callback::from(move |_| stop_at_rule.set(!*stop_at_rule))
    };
    html! { <>
        <div class="fields explore-bounds">{ for inputs }</div>
        <p class="small" data-testid="explore-covers">{ problem.clone().unwrap_or_else(|| verdict::covers_in(&bounds, &p.config)) }</p>
        <label class="check small">
            <input type="checkbox" data-testid="explore-stop-at-rule" checked={*stop_at_rule} onchange={toggle_stop} />
            {" Stop at the first broken rule (instead of searching on for the harm it allows)"}
        </label>
        <div class="row">
            <button class="primary" data-testid="explore-run" disabled={p.running || problem.is_some()} onclick={run}>{"Run the search"}</button>
            <button data-testid="explore-cancel" disabled={!p.running} onclick={cancel}>{"Cancel"}</button>
        </div>
    </> }
}
