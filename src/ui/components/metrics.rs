//! The metrics dialog: what this run has cost so far, and what Paxos costs as the cluster grows
//! or the network loses messages, averaged over many seeded runs.

use crate::sim::metrics::{RunStats, SweepPoint};
use crate::ui::format::{int, px};
use crate::ui::msg::{Explore, Msg, Show};
use yew::prelude::*;

/// Experiment results: by cluster size, and by loss rate.
pub type Experiment = (Vec<SweepPoint>, Vec<SweepPoint>);

/// The dialog.
pub fn view(run: &RunStats, experiment: Option<&Experiment>, send: &Callback<Msg>) -> Html {
    let phases = [
        "Phase 0 (requests)",
        "Phase 1 (prepare, promise)",
        "Phase 2 (accept, accepted, nack)",
        "Phase 3 (commit, reply)",
    ];
    let rows = phases
        .iter()
        .zip(run.messages)
        .map(|(p, n)| html! { <tr><th scope="row">{*p}</th><td>{n.to_string()}</td></tr> });
    let choice = match (run.steps_to_choice, run.time_to_choice) {
        (Some(s), Some(t)) => format!("chosen after {s} steps, at logical time {t}"),
        _ => "no value chosen yet".to_string(),
    };
    let charts = match experiment {
        Some((size, loss)) => html! { <div class="charts">
            { chart("Messages until a value is chosen, by number of acceptors", "acceptors", size, &|p| p.messages, "msgs") }
            { chart("Logical time until a value is chosen, by loss rate", "loss %", loss, &|p| p.time, "ticks") }
            <p class="small muted">{format!("Each point averages {} seeded runs: C1 asks P1 and C2 asks P2 at once, then the network runs until a value is chosen. Wasted ballots by loss rate: {}.",
                size.first().map_or(0, |p| p.trials),
                loss.iter().map(|p| format!("{}%: {}", p.x, px(p.wasted))).collect::<Vec<_>>().join(", "))}</p>
        </div> },
        None => html! {
            <button class="primary" data-testid="run-experiment" onclick={send.reform(|_| Msg::Explore(Explore::RunExperiment))}>{"Run the experiment (a few hundred seeded runs)"}</button>
        },
    };
    html! {
        <div class="overlay" data-testid="metrics" role="dialog" aria-modal="true" aria-label="Metrics" onclick={send.reform(|_| Msg::Show(Show::Metrics))}>
            <div class="overlay-card metrics" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2>{"What does Paxos cost?"}</h2>
                <h3>{"This run, up to the step on screen"}</h3>
                <table class="metrics-table" data-testid="run-metrics">
                    { for rows }
                    <tr class="total"><th scope="row">{"All messages"}</th><td>{run.total().to_string()}</td></tr>
                    <tr><th scope="row">{"Lost"}</th><td>{run.lost.to_string()}</td></tr>
                    <tr><th scope="row">{"Ballots started / wasted"}</th><td>{format!("{} / {}", run.ballots, run.wasted())}</td></tr>
                    <tr><th scope="row">{"Decision"}</th><td>{choice}</td></tr>
                </table>
                <h3>{"Across many runs"}</h3>
                { charts }
                <button class="ghost" onclick={send.reform(|_| Msg::Show(Show::Metrics))}>{"Close"}</button>
            </div>
        </div>
    }
}

/// A small line chart with labelled axes.
fn chart(title: &str, xlabel: &str, pts: &[SweepPoint], y: &dyn Fn(&SweepPoint) -> f64, unit: &str) -> Html {
    let (w, h, l, b) = (420.0, 190.0, 48.0, 34.0);
    let ymax = pts.iter().map(y).fold(1.0f64, f64::max) * 1.15;
    let xs: Vec<f64> = pts.iter().map(|p| p.x as f64).collect();
    let (xmin, xmax) = (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(1.0).max(1.0));
    let sx = |x: f64| l + (x - xmin) / (xmax - xmin).max(1.0) * (w - l - 16.0);
    let py = |v: f64| h - b - v / ymax * (h - b - 12.0);
    let line: String =
        pts.iter().map(|p| format!("{},{}", px(sx(p.x as f64)), px(py(y(p))))).collect::<Vec<_>>().join(" ");
    let dots = pts.iter().map(|p| {
        let (cx, cy) = (sx(p.x as f64), py(y(p)));
        html! { <g>
            <circle cx={px(cx)} cy={px(cy)} r="4" />
            <text class="chart-value" x={px(cx)} y={px(cy - 8.0)}>{int(y(p))}</text>
            <text class="chart-tick" x={px(cx)} y={px(h - b + 16.0)}>{p.x.to_string()}</text>
        </g> }
    });
    html! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox={format!("0 0 {} {}", px(w), px(h))} role="img" aria-label={format!("{title}: {}", pts.iter().map(|p| format!("{} → {} {unit}", p.x, int(y(p)))).collect::<Vec<_>>().join(", "))}>
                <line class="axis" x1={px(l)} y1={px(h - b)} x2={px(w - 8.0)} y2={px(h - b)} />
                <line class="axis" x1={px(l)} y1="8" x2={px(l)} y2={px(h - b)} />
                <text class="chart-axis" x={px((w + l) / 2.0)} y={px(h - 4.0)}>{xlabel}</text>
                <text class="chart-axis" x="12" y={px((h - b) / 2.0)} transform={format!("rotate(-90 12 {})", px((h - b) / 2.0))}>{unit}</text>
                <polyline class="chart-line" points={line} />
                { for dots }
            </svg>
        </figure>
    }
}
