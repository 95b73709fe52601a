//! The space-time diagram: a vertical line per node, an arrow per message from the step it was
//! sent to the step it arrived. A dropped message is a stub with a cross; a crash is a gap in the
//! line. Rows are steps: click one (or an arrow) to go there. Hovering an arrow lights up the same
//! message on the canvas, and the reverse.

use crate::paxos::NodeId;
use crate::sim::MsgId;
use crate::ui::format::{px, MSG_COLOURS};
use crate::ui::msg::{on, Msg, Play, Share, Show};
use crate::ui::session::Session;
use crate::ui::spacetime::{build, labels, Arrow, End};
use yew::prelude::*;

/// How much larger the diagram is drawn in presenter mode, so its 13 px labels show at 20 px
/// (style.css says the same number).
pub const PRESENTER_ZOOM: f64 = 1.54;

/// Height of a step's row: room for a 13 px label above an arrow's start.
pub const ROW: f64 = 20.0;
const LEFT: f64 = 46.0;
const LANE: f64 = 64.0;

fn lane_x(i: usize) -> f64 {
    LEFT + LANE * (i as f64 + 0.5)
}

fn colour(kind: crate::paxos::Kind) -> &'static str {
    MSG_COLOURS[kind.index()]
}

/// Where an arrow is drawn (x1, y1, x2, y2), the step a click on it goes to, and its class.
fn arrow_end(
    a: &Arrow,
    lane: impl Fn(NodeId) -> f64,
    y: impl Fn(usize) -> f64,
    cur: usize,
) -> ([f64; 4], usize, &'static str) {
    let (x1, y1) = (lane(a.from), y(a.sent));
    let (x2, end_step, class) = match a.end {
        End::Delivered(k) => (lane(a.to), k, "st-arrow"),
        End::Dropped(k) => ((lane(a.from) + lane(a.to)) / 2.0, k, "st-arrow dropped"),
        End::InFlight => (lane(a.from) + (lane(a.to) - lane(a.from)) * 0.3, cur, "st-arrow in-flight"),
    };
    // Even an arrow delivered in the step it was sent slopes down a little, so it reads as sent.
    ([x1, y1, x2, y(end_step).max(y1 + ROW * 0.4)], end_step, class)
}

/// The drawer.
pub fn view(s: &Session, hover: Option<MsgId>, send: &Callback<Msg>) -> Html {
    let nodes: Vec<NodeId> = s.world().config().nodes().collect();
    let lane = |n: NodeId| nodes.iter().position(|x| *x == n).map_or(0.0, lane_x);
    let cur = s.cursor();
    let d = build(s.timeline().steps(), cur);
    let y = |k: usize| k as f64 * ROW;
    let height = y(cur + 1) + ROW;
    let width = LEFT + LANE * nodes.len() as f64 + 10.0;
    let rows = (1..=cur).map(|k| {
        let class = classes!("st-row", (k == cur).then_some("current"));
        html! { <g key={format!("r{k}")} class={class} onclick={send.reform(move |_| Msg::Play(Play::Seek(k)))} data-testid={format!("st-row-{k}")}>
            <rect x="0" y={px(y(k) - ROW / 2.0)} width={px(width)} height={px(ROW)} />
            <text x={px(LEFT - 8.0)} y={px(y(k) + 4.0)} class="st-step">{k.to_string()}</text>
        </g> }
    });
    let lanes = nodes.iter().enumerate().map(|(i, n)| {
        let x = px(lane_x(i));
        // The line, broken where the node was down.
        let mut segs = Vec::new();
        let mut from = 0usize;
        for g in d.gaps.iter().filter(|g| g.node == *n) {
            segs.push((from, g.from));
            from = g.to.unwrap_or(usize::MAX);
        }
        if from != usize::MAX {
            segs.push((from, cur + 1));
        }
        let lines = segs.into_iter().map(|(a, b)| {
            html! { <line class="st-lane" x1={x.clone()} x2={x.clone()} y1={px(y(a))} y2={px(y(b.min(cur + 1)))} /> }
        });
        html! { <g>{ for lines }</g> }
    });
    let ends: Vec<([f64; 4], usize, &str)> = d.arrows.iter().map(|a| arrow_end(a, lane, y, cur)).collect();
    let segs: Vec<[f64; 4]> = ends.iter().map(|e| e.0).collect();
    let arrows = d.arrows.iter().zip(&ends).map(|(a, &([x1, y1, x2, y2], end_step, class))| {
        let id = a.id;
        let target = end_step;
        let hovered = hover == Some(id);
        let cross = (a.end != End::InFlight && class.contains("dropped")).then(|| html! {
            <g class="st-cross"><line x1={px(x2 - 5.0)} y1={px(y2 - 5.0)} x2={px(x2 + 5.0)} y2={px(y2 + 5.0)} />
            <line x1={px(x2 - 5.0)} y1={px(y2 + 5.0)} x2={px(x2 + 5.0)} y2={px(y2 - 5.0)} /></g>
        });
        html! {
            <g key={format!("a{id}")} class={classes!(class, format!("kind-{}", a.kind.name()), hovered.then_some("hovered"))}
               data-testid={format!("st-msg-{id}")}
               onmouseenter={send.reform(move |_| Msg::Show(Show::Hover(Some(id))))} onmouseleave={on(send, || Msg::Show(Show::Hover(None)))}
               onclick={send.reform(move |e: MouseEvent| { e.stop_propagation(); Msg::Play(Play::Seek(target)) })}>
                <title>{format!("{} {} → {} (#{id}), sent at step {}", a.label, a.from, a.to, a.sent)}</title>
                <line class="st-hit" x1={px(x1)} y1={px(y1)} x2={px(x2)} y2={px(y2)} />
                <line x1={px(x1)} y1={px(y1)} x2={px(x2)} y2={px(y2)} stroke={colour(a.kind)}
                      marker-end={(a.end != End::InFlight && !class.contains("dropped")).then_some("url(#st-head)")} />
                { cross.unwrap_or_default() }
            </g>
        }
    });
    let names = labels::place(&d.arrows, &segs, LEFT, width).into_iter().map(|p| {
        let a = &d.arrows[p.arrow];
        // A chip under the words: a label always spans a lifeline or two (lanes are closer than
        // a label is long), and a line through the letters made them hard to read.
        let [x0, y0, x1, y1] = p.bounds();
        html! { <>
            <rect class="st-label-bg" x={px(x0 - 1.0)} y={px(y0)} width={px(x1 - x0 + 2.0)} height={px(y1 - y0)} rx="3" />
            <text class="st-label" x={px(p.x)} y={px(p.y)}
                  text-anchor={if p.leftward { "end" } else { "start" }} data-testid={format!("st-label-{}", a.id)}>{p.text}</text>
        </> }
    });
    let heads = nodes.iter().enumerate().map(|(i, n)| {
        html! { <span class="st-head" style={format!("left: {}px", px(lane_x(i) - LANE / 2.0))}>{n.to_string()}</span> }
    });
    html! {
        <section class="drawer spacetime" data-testid="spacetime" aria-label="Space-time diagram">
            <div class="drawer-bar">
                <h2>{"Space-time diagram"}</h2>
                <span class="muted small">{"time runs down; a row per step; click a row or an arrow to go there"}</span>
                <span class="spacer" />
                <button class="small" data-testid="export-spacetime" onclick={on(send, || Msg::Share(Share::ExportDiagram))}>{"Export SVG"}</button>
                <button class="small ghost" onclick={on(send, || Msg::Show(Show::SpaceTime))} aria-label="Close the diagram">{"✕"}</button>
            </div>
            <div class="st-scroll" id="st-scroll" tabindex="0" role="region" aria-label="Space-time diagram, scrollable">
                <div class="st-heads" style={format!("width: {}px", px(width))}>{ for heads }</div>
                <svg class="spacetime-svg" width={px(width)} height={px(height)} viewBox={format!("0 0 {} {}", px(width), px(height))}>
                    <defs><marker id="st-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path class="st-head-path" d="M 0 0 L 10 5 L 0 10 z" fill="#333" /></marker></defs>
                    { for rows }
                    { for lanes }
                    { for arrows }
                    <g class="st-labels">{ for names }</g>
                </svg>
            </div>
        </section>
    }
}
