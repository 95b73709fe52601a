//! The cluster as SVG, drawn from a [`Scene`]: four bands of role-shaped nodes, each with a card of
//! its state in words, wires, and message tokens waiting in the gaps between bands. The SVG's
//! units are the canvas's CSS pixels, so the type sizes the scene chose are the sizes on screen.

use super::token;
use crate::paxos::{NodeId, Role};
use crate::sim::lessons::Highlight;
use crate::sim::{Event, Knowledge, MsgId, World};
use crate::ui::format::{column_title, px};
use crate::ui::msg::{on, Menu, Msg, Show, Spot};
use crate::ui::scene::{NodeBox, Point, Scene};
use crate::ui::session::Session;
use yew::prelude::*;

/// Halo colours for partition groups (group 0 is everyone not listed).
const GROUP_COLOURS: [&str; 4] = ["#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc"];

/// What the canvas shows besides the world.
pub struct Marks<'a> {
    /// The open menu.
    pub menu: Option<Menu>,
    /// The lesson's highlight at this step, if any (with its words).
    pub highlight: Option<&'a Highlight>,
    /// Hide words that could give a prediction away.
    pub hide_answers: bool,
    /// The message under the pointer.
    pub hover: Option<MsgId>,
    /// The presenter's spotlight.
    pub spot: Option<Spot>,
    /// The message a poll asks about.
    pub asked: Option<MsgId>,
}

/// The whole canvas.
pub fn view(s: &Session, now: &Scene, before: &Scene, marks: &Marks, send: &Callback<Msg>) -> Html {
    let w = s.world();
    let f = now.t.f;
    let received = received_last_step(s);
    let pulse = if s.cursor().is_multiple_of(2) { "pulse-a" } else { "pulse-b" };
    let titles = now.titles.iter().map(|(r, x)| {
        html! { <text class="column-title" x={px(*x)} y={px(now.title_y)} font-size={px(f)}>{column_title(*r)}</text> }
    });
    let lit_node = |id: NodeId| match marks.spot {
        Some(Spot::Node(n)) => n == id,
        // A token can stand for copies to several receivers: all of them are in the light.
        Some(Spot::Message(m)) => match now.tokens.iter().find(|t| t.ids.contains(&m)) {
            Some(t) => t.from == id || t.to.contains(&id),
            None => w.message(m).is_some_and(|m| m.from == id || m.to == id),
        },
        None => false,
    };
    let nodes = now.nodes.iter().map(|n| {
        let selected = marks.menu == Some(Menu::Node(n.id));
        node(w, now, n, received.contains(&n.id).then_some(pulse), selected, lit_node(n.id), send)
    });
    // The canvas is measured to size this picture, so the picture must never size the canvas:
    // positioned inline too, so a page without its stylesheet cannot grow it step after step.
    html! {
        <svg class={classes!("cluster", marks.spot.is_some().then_some("spotlit"))} data-testid="cluster" data-step={s.cursor().to_string()}
             style="position:absolute;inset:0;width:100%;height:100%"
             viewBox={format!("0 0 {} {}", px(now.frame.w), px(now.frame.h))} data-font={px(f)}
             role="group" aria-label="Paxos cluster: clients, proposers, acceptors and learners"
             onclick={on(send, || Msg::Show(Show::CloseMenu))}>
            { for titles }
            { halos(w, now) }
            { highlight(now, marks) }
            { legend(w, now) }
            { token::wires(w, now) }
            { for nodes }
            { token::tokens(s, now, before, marks, send) }
        </svg>
    }
}

fn halos(w: &World, sc: &Scene) -> Html {
    if !w.is_partitioned() {
        return Html::default();
    }
    sc.nodes
        .iter()
        .map(|n| {
            let g = w.partition_group(n.id).unwrap_or(0) as usize;
            let c = n.center;
            html! { <circle class="halo" cx={px(c.x)} cy={px(c.y)} r={px(n.r + 0.45 * sc.t.f)} fill={GROUP_COLOURS[g % 4]} /> }
        })
        .collect()
}

/// A ring around each highlighted node and card, and the lesson's words for it in the note strip
/// (hidden while a prediction is open, as they may give the answer away).
fn highlight(sc: &Scene, marks: &Marks) -> Html {
    let Some(h) = marks.highlight else {
        return Html::default();
    };
    let pad = 0.25 * sc.t.f;
    let rings = h.nodes.iter().filter_map(|id| sc.node(*id)).map(|n| {
        let b = n.glyph().union(&n.card);
        html! { <rect class="highlight-ring" x={px(b.x - pad)} y={px(b.y - pad)} width={px(b.w + 2.0 * pad)}
        height={px(b.h + 2.0 * pad)} rx={px(pad * 2.0)} /> }
    });
    let names: Vec<String> = h.nodes.iter().map(|n| n.to_string()).collect();
    let words = format!("{}: {}", names.join(", "), h.label);
    let note = (!marks.hide_answers).then(|| {
        let len = sc.t.width(words.chars().count()).min(sc.note.w);
        html! { <text class="highlight-label" data-testid="highlight-label" x={px(sc.note.center().x)}
        y={px(sc.note.y + 0.95 * sc.t.f)} font-size={px(sc.t.f)} textLength={px(len)}
        lengthAdjust="spacingAndGlyphs">{words}</text> }
    });
    html! { <g class="highlight" data-testid="highlight">{ for rings }{ note.unwrap_or_default() }</g> }
}

fn legend(w: &World, sc: &Scene) -> Html {
    if !w.is_partitioned() {
        return Html::default();
    }
    let words = format!("Network split: {}", crate::sim::narrate::partition_groups(w));
    let len = sc.t.width(words.chars().count()).min(sc.legend.w);
    html! { <text class="partition-legend" data-testid="partition-legend" x={px(sc.legend.center().x)}
    y={px(sc.legend.y + 0.95 * sc.t.f)} font-size={px(sc.t.f)} textLength={px(len)}
    lengthAdjust="spacingAndGlyphs">{words}</text> }
}

/// Nodes that handled a delivery in the step that led here (they pulse).
fn received_last_step(s: &Session) -> Vec<NodeId> {
    let Some(step) = s.last_step() else {
        return vec![];
    };
    step.events
        .iter()
        .filter_map(|e| if let Event::Delivered { id } = e { s.before().message(*id).map(|m| m.to) } else { None })
        .collect()
}

fn shape(role: Role, p: Point, r: f64) -> Html {
    let pts = |v: &[(f64, f64)]| {
        v.iter().map(|(x, y)| format!("{},{}", px(p.x + x * r), px(p.y + y * r))).collect::<Vec<_>>().join(" ")
    };
    match role {
        Role::Client => {
            html! { <rect class="glyph" x={px(p.x - r)} y={px(p.y - r * 0.85)} width={px(2.0 * r)} height={px(1.7 * r)} rx={px(r * 0.3)} /> }
        }
        Role::Proposer => html! { <circle class="glyph" cx={px(p.x)} cy={px(p.y)} r={px(r)} /> },
        Role::Acceptor => {
            let hex = [(1.0, 0.0), (0.5, 0.87), (-0.5, 0.87), (-1.0, 0.0), (-0.5, -0.87), (0.5, -0.87)];
            html! { <polygon class="glyph" points={pts(&hex)} /> }
        }
        Role::Learner => {
            html! { <polygon class="glyph" points={pts(&[(0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)])} /> }
        }
    }
}

fn role_class(r: Role) -> &'static str {
    match r {
        Role::Client => "client",
        Role::Proposer => "proposer",
        Role::Acceptor => "acceptor",
        Role::Learner => "learner",
    }
}

/// The node's card: its state in words, a disk mark on what survives a crash.
fn card(sc: &Scene, n: &NodeBox) -> Html {
    let t = sc.t;
    let lines = n.lines.iter().enumerate().map(|(k, l)| {
        let y = n.card.y + 0.15 * t.f + (k as f64 + 0.85) * t.line_h();
        let len = t.width(l.text.chars().count());
        let disk = l.durable.then(|| {
            let s = 0.6 * t.f;
            let x = n.card.right() - 0.25 * t.f - s;
            html! { <g class="disk" aria-hidden="true"><title>{"on disk: survives a crash"}</title>
                <rect x={px(x)} y={px(y - s)} width={px(s)} height={px(s)} rx="1.5" />
                <rect class="disk-slot" x={px(x + s * 0.25)} y={px(y - s)} width={px(s * 0.5)} height={px(s * 0.35)} />
            </g> }
        });
        html! { <>
            <text class="state" x={px(n.card.x + 0.25 * t.f)} y={px(y)} font-size={px(t.f)} textLength={px(len)}
                  lengthAdjust="spacingAndGlyphs">{&l.text}</text>
            { disk.unwrap_or_default() }
        </> }
    });
    html! { <g class="card" aria-hidden="true">
        <rect class="card-bg" x={px(n.card.x)} y={px(n.card.y)} width={px(n.card.w)} height={px(n.card.h)} rx={px(0.3 * t.f)} />
        { for lines }
    </g> }
}

/// What a single-decree node has found out, in words, and whether it is not the chosen value
/// (possible only with a safety rule switched off).
fn knowledge(w: &World, id: NodeId) -> Option<(bool, String)> {
    if w.log().is_some() {
        return None;
    }
    match w.knowledge(id) {
        Knowledge::Nothing => None,
        Knowledge::Chosen(v) => Some((false, format!("knows {v} is chosen"))),
        Knowledge::Other(v) => Some((true, format!("decided {v}, which is not the chosen value"))),
        Knowledge::Later(v) => {
            let first = w.oracle().chosen().first().map_or_else(String::new, |c| c.1.to_string());
            Some((true, format!("knows {v} is chosen, but {first} was chosen before it: agreement is broken")))
        }
    }
}

fn glyph_marks(w: &World, sc: &Scene, n: &NodeBox) -> Html {
    let (p, r, f) = (n.center, n.r, sc.t.f);
    let cross = (!w.is_up(n.id)).then(|| {
        let d = r * 0.75;
        html! { <g class="cross" aria-hidden="true">
            <line x1={px(p.x - d)} y1={px(p.y - d)} x2={px(p.x + d)} y2={px(p.y + d)} />
            <line x1={px(p.x - d)} y1={px(p.y + d)} x2={px(p.x + d)} y2={px(p.y - d)} />
        </g> }
    });
    let warn = w.is_amnesiac(n.id).then(|| {
        html! {
            <text class="amnesia-mark" aria-hidden="true" x={px(p.x + r * 0.6)} y={px(p.y - r * 0.3)} font-size={px(f)}>
                <title>{"amnesia: a restart wipes even durable state (unsafe)"}</title>{"⚠"}</text>
        }
    });
    // The chosen banner counts the nodes that know the outcome; each carries this mark, so the
    // count can be checked on the picture (red when the value is not the chosen one).
    let knows = knowledge(w, n.id).map(|(other, title)| {
        let class = if other { "knows-mark other" } else { "knows-mark" };
        let (x, y) = (p.x + r * 0.8, p.y + r * 0.75);
        html! { <g class={class} aria-hidden="true"><title>{title}</title>
            <circle cx={px(x)} cy={px(y)} r={px(0.42 * f)} />
            // Drawn, not a glyph of type: the canvas's text is never set below the type size.
            // A cross on the red mark, so wrong does not read as right by colour alone.
            <polyline points={if other {
                let d = 0.17 * f;
                format!("{},{} {},{} {},{} {},{} {},{}", px(x - d), px(y - d), px(x + d), px(y + d), px(x), px(y), px(x + d), px(y - d), px(x - d), px(y + d))
            } else {
                format!("{},{} {},{} {},{}", px(x - 0.22 * f), px(y), px(x - 0.05 * f), px(y + 0.18 * f), px(x + 0.24 * f), px(y - 0.18 * f))
            }} />
        </g> }
    });
    // The name goes over the cross, with a halo, so a crashed node's name stays readable.
    html! { <>
        { cross.unwrap_or_default() }
        <text class="node-id" x={px(p.x)} y={px(p.y + f * 0.36)} font-size={px(f)}>{n.id.to_string()}</text>
        { warn.unwrap_or_default() }
        { knows.unwrap_or_default() }
    </> }
}

fn node(
    w: &World,
    sc: &Scene,
    n: &NodeBox,
    pulse: Option<&'static str>,
    selected: bool,
    lit: bool,
    send: &Callback<Msg>,
) -> Html {
    let id = n.id;
    let (up, amnesia) = (w.is_up(id), w.is_amnesiac(id));
    let class = classes!(
        "node",
        role_class(id.role),
        (!up).then_some("crashed"),
        amnesia.then_some("amnesia"),
        pulse,
        selected.then_some("selected"),
        lit.then_some("lit")
    );
    let led: Vec<String> = n.badges.iter().map(|(_, c)| c.to_string()).collect();
    let led = if led.is_empty() { String::new() } else { format!(", believed leader of {}", led.join(" and ")) };
    // The card's words are hidden from screen readers and spoken here instead.
    let knows = knowledge(w, id).map_or(String::new(), |(_, words)| format!(", {words}"));
    let label = format!(
        "{id}, {}{}{}{led}{knows}. {}",
        id.role.name(),
        if up { "" } else { ", crashed" },
        if amnesia { ", amnesia mode" } else { "" },
        n.lines.iter().map(|l| l.spoken.as_str()).collect::<Vec<_>>().join(", ")
    );
    let onclick = send.reform(move |e: MouseEvent| {
        e.stop_propagation();
        Msg::Show(Show::Menu(Menu::Node(id)))
    });
    let onkeydown = crate::ui::msg::when(send, move |e: KeyboardEvent| {
        (e.key() == "Enter").then(|| {
            e.stop_propagation();
            Msg::Show(Show::Menu(Menu::Node(id)))
        })
    });
    // The whole block (glyph and card) takes clicks and taps, gaps included.
    let hit = n.glyph().union(&n.card);
    html! {
        // The whole node is clickable; the glyph is the keyboard and screen-reader button, so its
        // name (the state in words) contains its visible text (the id).
        <g class={class} data-testid={format!("node-{id}")} data-label={label.clone()} {onclick}>
            <rect class="hit" x={px(hit.x)} y={px(hit.y)} width={px(hit.w)} height={px(hit.h)} />
            <g class="node-button" tabindex="0" role="button" aria-label={label} {onkeydown}>
                { shape(id.role, n.center, n.r) }
                { glyph_marks(w, sc, n) }
            </g>
            { card(sc, n) }
            { badges(sc, n) }
        </g>
    }
}

/// Tags on a proposer naming each client that believes it leads.
fn badges(sc: &Scene, n: &NodeBox) -> Html {
    n.badges
        .iter()
        .map(|(b, c)| {
            html! { <g class="badge" aria-hidden="true"><title>{format!("{c} believes {} is the leader", n.id)}</title>
                <rect x={px(b.x)} y={px(b.y)} width={px(b.w)} height={px(b.h)} rx="4" />
                <text x={px(b.center().x)} y={px(b.y + b.h * 0.78)} font-size={px(sc.t.f)} textLength={px(sc.t.width(2))}
                      lengthAdjust="spacingAndGlyphs">{c.to_string()}</text>
            </g> }
        })
        .collect()
}
