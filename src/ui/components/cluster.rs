//! The cluster as SVG: columns of role-shaped nodes with their state in words, wires, and
//! message tokens gliding between them.

use super::token;
use crate::paxos::{NodeId, Role};
use crate::sim::lessons::Lesson;
use crate::sim::{Event, World};
use crate::ui::format::{column_title, node_lines, px};
use crate::ui::layout::{Layout, Point, COLUMNS, VIEW_H, VIEW_W};
use crate::ui::msg::{Menu, Msg, Show, Spot};
use crate::ui::session::Session;
use yew::prelude::*;

/// Halo colours for partition groups (group 0 is everyone not listed).
const GROUP_COLOURS: [&str; 4] = ["#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc"];

/// The whole canvas.
pub fn view(
    s: &Session,
    menu: Option<Menu>,
    lesson: Option<&Lesson>,
    hover: Option<crate::sim::MsgId>,
    spot: Option<Spot>,
    send: &Callback<Msg>,
) -> Html {
    let w = s.world();
    let lay = Layout::new(w.config());
    let received: Vec<NodeId> = received_last_step(s);
    let pulse = if s.cursor().is_multiple_of(2) { "pulse-a" } else { "pulse-b" };
    let titles = Role::ALL.iter().enumerate().map(|(i, r)| {
        html! { <text class="column-title" x={px(COLUMNS[i])} y="22">{column_title(*r)}</text> }
    });
    // The spotlight keeps a node and its messages, or a message and its two ends.
    let lit_node = |id: NodeId| match spot {
        Some(Spot::Node(n)) => n == id,
        Some(Spot::Message(m)) => w.message(m).is_some_and(|m| m.from == id || m.to == id),
        None => false,
    };
    let nodes = w.config().nodes().map(|id| {
        let selected = menu == Some(Menu::Node(id));
        node(w, &lay, id, received.contains(&id).then_some(pulse), selected, lit_node(id), send)
    });
    let halos = w.is_partitioned().then(|| {
        w.config()
            .nodes()
            .map(|id| {
                let p = lay.node(id);
                let g = w.partition_group(id).unwrap_or(0) as usize;
                html! { <circle class="halo" cx={px(p.x)} cy={px(p.y)} r={px(lay.m.r + 12.0)} fill={GROUP_COLOURS[g % 4]} /> }
            })
            .collect::<Html>()
    });
    let highlight = lesson.and_then(|l| l.highlight(s.cursor())).map(|h| {
        let rings = h.nodes.iter().map(|n| {
            let p = lay.node(*n);
            html! { <circle class="highlight-ring" cx={px(p.x)} cy={px(p.y)} r={px(lay.m.r + 16.0)} /> }
        });
        let first = h.nodes.first().map(|n| lay.node(*n)).unwrap_or(crate::ui::layout::Point { x: 500.0, y: 300.0 });
        html! { <g class="highlight" data-testid="highlight">
            { for rings }
            <text class="highlight-label" x={px(first.x)} y={px(first.y - lay.m.r - 22.0)}>{&h.label}</text>
        </g> }
    });
    let legend = w.is_partitioned().then(|| {
        html! { <text class="partition-legend" data-testid="partition-legend" x="500" y={px(VIEW_H - 4.0)}>
        {format!("Network split: {}", crate::sim::narrate::partition_groups(w))}</text> }
    });
    html! {
        <svg class={classes!("cluster", spot.is_some().then_some("spotlit"))} data-testid="cluster" viewBox={format!("0 0 {} {}", px(VIEW_W), px(VIEW_H))} preserveAspectRatio="xMidYMid meet"
             role="group" aria-label="Paxos cluster: clients, proposers, acceptors and learners"
             onclick={send.reform(|_| Msg::Show(Show::CloseMenu))}>
            { for titles }
            { halos.unwrap_or_default() }
            { highlight.unwrap_or_default() }
            { legend.unwrap_or_default() }
            { token::wires(s, &lay) }
            { for nodes }
            { token::tokens(s, &lay, menu, hover, spot, send) }
        </svg>
    }
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
        Role::Proposer => {
            html! { <circle class="glyph" cx={px(p.x)} cy={px(p.y)} r={px(r)} /> }
        }
        Role::Acceptor => {
            let hex = [(1.0, 0.0), (0.5, 0.87), (-0.5, 0.87), (-1.0, 0.0), (-0.5, -0.87), (0.5, -0.87)];
            html! { <polygon class="glyph" points={pts(&hex)} /> }
        }
        Role::Learner => {
            html! { <polygon class="glyph" points={pts(&[(0.0, -1.1), (1.1, 0.0), (0.0, 1.1), (-1.1, 0.0)])} /> }
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

fn node(
    w: &World,
    lay: &Layout,
    id: NodeId,
    pulse: Option<&'static str>,
    selected: bool,
    lit: bool,
    send: &Callback<Msg>,
) -> Html {
    let p = lay.node(id);
    let r = lay.m.r;
    let up = w.is_up(id);
    let amnesia = w.is_amnesiac(id);
    let class = classes!(
        "node",
        role_class(id.role),
        (!up).then_some("crashed"),
        amnesia.then_some("amnesia"),
        pulse,
        selected.then_some("selected"),
        lit.then_some("lit")
    );
    let lines = node_lines(w, id);
    let words = lines.iter().enumerate().map(|(k, l)| {
        let y = lay.line_y(id, k);
        let disk = l.durable.then(|| {
            let x = p.x + l.text.chars().count() as f64 * lay.m.char_w() / 2.0 + 4.0;
            let s = lay.m.font * 0.6;
            html! { <g class="disk" aria-hidden="true"><title>{"durable: survives a crash"}</title>
                <rect x={px(x)} y={px(y - s)} width={px(s)} height={px(s)} rx="1.5" />
                <rect class="disk-slot" x={px(x + s * 0.25)} y={px(y - s)} width={px(s * 0.5)} height={px(s * 0.35)} />
            </g> }
        });
        html! { <>
            <text class="state" aria-hidden="true" x={px(p.x)} y={px(y)} font-size={px(lay.m.font)}>{&l.text}</text>
            { disk.unwrap_or_default() }
        </> }
    });
    let cross = (!up).then(|| {
        let d = r * 0.8;
        html! { <g class="cross" aria-hidden="true">
            <line x1={px(p.x - d)} y1={px(p.y - d)} x2={px(p.x + d)} y2={px(p.y + d)} />
            <line x1={px(p.x - d)} y1={px(p.y + d)} x2={px(p.x + d)} y2={px(p.y - d)} />
        </g> }
    });
    let warn = amnesia.then(|| html! {
        <text class="amnesia-mark" aria-hidden="true" x={px(p.x + r * 0.9)} y={px(p.y - r * 0.7)} font-size={px(lay.m.font * 1.1)}>
            <title>{"amnesia: a restart wipes even durable state (unsafe)"}</title>{"⚠"}</text>
    });
    let badges = if id.role == Role::Proposer { leader_badges(w, lay, id) } else { Html::default() };
    let followers: Vec<String> =
        w.clients().iter().enumerate().filter(|(_, c)| c.leader == id).map(|(i, _)| format!("C{}", i + 1)).collect();
    let led = if id.role == Role::Proposer && !followers.is_empty() {
        format!(", believed leader of {}", followers.join(" and "))
    } else {
        String::new()
    };
    // The words drawn under the node are hidden from screen readers and spoken here instead.
    let label = format!(
        "{id}, {}{}{}{led}. {}",
        id.role.name(),
        if up { "" } else { ", crashed" },
        if amnesia { ", amnesia mode" } else { "" },
        lines.iter().map(|l| l.text.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ")
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
    html! {
        // The whole node is clickable; the glyph is the keyboard and screen-reader button, so its
        // name (the state in words) contains its visible text (the id).
        <g class={class} data-testid={format!("node-{id}")} data-label={label.clone()} {onclick}>
            <g class="node-button" tabindex="0" role="button" aria-label={label} {onkeydown}>
                { shape(id.role, p, r) }
                <text class="node-id" x={px(p.x)} y={px(p.y + lay.m.font * 0.36)} font-size={px(lay.m.font * 1.05)}>{id.to_string()}</text>
                { cross.unwrap_or_default() }
                { warn.unwrap_or_default() }
            </g>
            { for words }
            { badges }
        </g>
    }
}

/// Tags on a proposer naming each client that believes it leads.
fn leader_badges(w: &World, lay: &Layout, p: NodeId) -> Html {
    w.clients()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.leader == p)
        .enumerate()
        .map(|(k, (ci, _))| {
            let b = lay.badge_box(p, k);
            html! { <g class="badge" aria-hidden="true"><title>{format!("C{} believes {p} is the leader", ci + 1)}</title>
                <rect x={px(b.x)} y={px(b.y)} width={px(b.w)} height={px(b.h)} rx="4" />
                <text x={px(b.x + b.w / 2.0)} y={px(b.y + b.h * 0.75)} font-size={px(lay.m.font * 0.75)}>{format!("C{}", ci + 1)}</text>
            </g> }
        })
        .collect()
}
