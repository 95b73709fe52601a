//! The metrics dialog: what this run has cost so far, and what Paxos costs as the cluster grows
//! or the network loses messages, averaged over many seeded runs.

use crate::sim::metrics::{LogCost, RunStats, SweepPoint};
use crate::ui::format::{int, px};
use crate::ui::msg::{on, Explore, Msg, Show};
use yew::prelude::*;

/// Experiment results: by cluster size, and by loss rate.
pub type Experiment = (Vec<SweepPoint>, Vec<SweepPoint>);

/// What the "across many runs" part shows: single-decree sweeps (run on request), or in
/// Multi-Paxos mode the cost of a log of commands (computed when the dialog opens).
pub enum Across<'a> {
    /// Single-decree: the sweeps, once run.
    Sweeps(Option<&'a Experiment>),
    /// Multi-Paxos: messages per command against the number of commands.
    Log(&'a [LogCost]),
}

/// The dialog.
pub fn view(run: &RunStats, across: Across, send: &Callback<Msg>) -> Html {
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
    let charts = match across {
        Across::Log(pts) => log_chart(pts),
        Across::Sweeps(Some((size, loss))) => html! { <div class="charts">
            { chart("Messages until a value is chosen, by number of acceptors", "acceptors", size, &|p| p.messages, "msgs") }
            { chart("Logical time until a value is chosen, by loss rate", "loss %", loss, &|p| p.time, "ticks") }
            <p class="small muted">{format!("Each point averages {} seeded runs: C1 asks P1 and C2 asks P2 at once, then the network runs until a value is chosen. Wasted ballots by loss rate: {}.",
                size.first().map_or(0, |p| p.trials),
                loss.iter().map(|p| format!("{}%: {}", p.x, px(p.wasted))).collect::<Vec<_>>().join(", "))}</p>
        </div> },
        Across::Sweeps(None) => html! {
            <button class="primary" data-testid="run-experiment" onclick={on(send, || Msg::Explore(Explore::RunExperiment))}>{"Run the experiment (a few hundred seeded runs)"}</button>
        },
    };
    html! {
        <div class="overlay" data-testid="metrics" role="dialog" aria-modal="true" tabindex="-1" aria-label="Metrics" onclick={on(send, || Msg::Show(Show::Metrics))}>
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
                <button class="ghost" onclick={on(send, || Msg::Show(Show::Metrics))}>{"Close"}</button>
            </div>
        </div>
    }
}

/// Multi-Paxos: messages per command as the log grows, a stable leader against single-decree
/// Paxos run once per command.
fn log_chart(pts: &[LogCost]) -> Html {
    let xs: Vec<u32> = pts.iter().map(|p| p.commands).collect();
    let multi: Vec<f64> = pts.iter().map(|p| p.multi).collect();
    let single: Vec<f64> = pts.iter().map(|p| p.single).collect();
    let phase2 = pts.last().map_or(0.0, |p| p.multi - p.multi_phase1);
    html! { <div class="charts" data-testid="log-cost">
        { plot("Messages per command, by number of commands", "commands", "msgs/cmd", &xs, &[
            Series { class: "chart-line single", name: "Single-decree Paxos, each command alone", ys: &single, value: px },
            Series { class: "chart-line", name: "Multi-Paxos, stable leader", ys: &multi, value: px },
        ]) }
        <p class="small muted" data-testid="log-cost-note">{format!(
            "Real seeded runs of this cluster with no faults: C1 sends its commands one after another. Single-decree Paxos runs Phase 1 and Phase 2 for every command ({} messages each). The stable leader runs Phase 1 once ({} messages in all), then only Phase 2 and the commit: per command it falls towards {}.",
            px(pts.first().map_or(0.0, |p| p.single)),
            px(pts.first().map_or(0.0, |p| p.multi_phase1 * p.commands as f64)),
            px(phase2))}</p>
    </div> }
}

/// A small line chart with labelled axes.
fn chart(title: &str, xlabel: &str, pts: &[SweepPoint], y: &dyn Fn(&SweepPoint) -> f64, unit: &str) -> Html {
    let xs: Vec<u32> = pts.iter().map(|p| p.x).collect();
    let ys: Vec<f64> = pts.iter().map(y).collect();
    plot(title, xlabel, unit, &xs, &[Series { class: "chart-line", name: "", ys: &ys, value: int }])
}

/// One line of a chart: its style, its name in the legend (none when it is alone), its values.
struct Series<'a> {
    class: &'static str,
    name: &'static str,
    ys: &'a [f64],
    /// How a value is written (whole numbers for averages of large counts).
    value: fn(f64) -> String,
}

/// Lines over the same x values, with labelled axes and each point's value.
fn plot(title: &str, xlabel: &str, unit: &str, xs: &[u32], series: &[Series]) -> Html {
    let (w, h, l, b) = (420.0, 190.0, 48.0, 34.0);
    let ymax = series.iter().flat_map(|s| s.ys.iter().copied()).fold(1.0f64, f64::max) * 1.15;
    let (xmin, xmax) = (xs.first().copied().unwrap_or(0) as f64, xs.last().copied().unwrap_or(1).max(1) as f64);
    let sx = |x: u32| l + (x as f64 - xmin) / (xmax - xmin).max(1.0) * (w - l - 16.0);
    let py = |v: f64| h - b - v / ymax * (h - b - 12.0);
    let ticks = xs
        .iter()
        .map(|x| html! { <text class="chart-tick" x={px(sx(*x))} y={px(h - b + 16.0)}>{x.to_string()}</text> });
    // The first line's values sit above its points, the others' below, so that where two lines
    // meet their numbers do not overprint.
    let lines = series.iter().enumerate().map(|(k, s)| {
        let dy = if k == 0 { -8.0 } else { 18.0 };
        let pts: Vec<(f64, f64)> = xs.iter().zip(s.ys).map(|(x, y)| (sx(*x), py(*y))).collect();
        let line = pts.iter().map(|(x, y)| format!("{},{}", px(*x), px(*y))).collect::<Vec<_>>().join(" ");
        let dots = pts.iter().zip(s.ys).map(|((cx, cy), v)| {
            html! { <g>
                <circle cx={px(*cx)} cy={px(*cy)} r="4" />
                <text class="chart-value" x={px(*cx)} y={px(cy + dy)}>{(s.value)(*v)}</text>
            </g> }
        });
        html! { <g class={s.class}><polyline class="chart-line" points={line} />{ for dots }</g> }
    });
    let label = series
        .iter()
        .map(|s| {
            let values =
                xs.iter().zip(s.ys).map(|(x, y)| format!("{x} → {} {unit}", (s.value)(*y))).collect::<Vec<_>>();
            format!("{}{}", if s.name.is_empty() { String::new() } else { format!("{}: ", s.name) }, values.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let legend = series.iter().filter(|s| !s.name.is_empty()).map(|s| {
        html! { <span class={classes!("chart-key", s.class)}>{s.name}</span> }
    });
    html! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox={format!("0 0 {} {}", px(w), px(h))} role="img" aria-label={format!("{title}: {label}")}>
                <line class="axis" x1={px(l)} y1={px(h - b)} x2={px(w - 8.0)} y2={px(h - b)} />
                <line class="axis" x1={px(l)} y1="8" x2={px(l)} y2={px(h - b)} />
                <text class="chart-axis" x={px((w + l) / 2.0)} y={px(h - 4.0)}>{xlabel}</text>
                <text class="chart-axis" x="12" y={px((h - b) / 2.0)} transform={format!("rotate(-90 12 {})", px((h - b) / 2.0))}>{unit}</text>
                { for ticks }
                { for lines }
            </svg>
            <div class="chart-legend">{ for legend }</div>
        </figure>
    }
}
