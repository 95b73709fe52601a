//! The cluster as SVG: columns of role-shaped nodes with their state in words, wires, and
//! message tokens gliding between them.

use super::token;
use crate::paxos::{NodeId, Role};
use crate::sim::lessons::Lesson;
use crate::sim::{Event, World};
use crate::ui::app::{App, Menu, Msg};
use crate::ui::format::{column_title, node_lines};
use crate::ui::layout::{Layout, Point, COLUMNS, VIEW_H, VIEW_W};
use crate::ui::session::Session;
use yew::html::Scope;
use yew::prelude::*;

/// Halo colours for partition groups (group 0 is everyone not listed).
const GROUP_COLOURS: [&str; 4] = ["#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc"];

/// The whole canvas.
pub fn view(
    s: &Session,
    menu: Option<Menu>,
    lesson: Option<&Lesson>,
    hover: Option<crate::sim::MsgId>,
    link: &Scope<App>,
) -> Html {
    let w = s.world();
    let lay = Layout::new(w.config());
    let received: Vec<NodeId> = received_last_step(s);
    let pulse = if s.cursor().is_multiple_of(2) { "pulse-a" } else { "pulse-b" };
    let titles = Role::ALL.iter().enumerate().map(|(i, r)| {
        html! { <text class="column-title" x={COLUMNS[i].to_string()} y="22">{column_title(*r)}</text> }
    });
    let nodes = w.config().nodes().map(|id| {
        let selected = menu == Some(Menu::Node(id));
        node(w, &lay, id, received.contains(&id).then_some(pulse), selected, link)
    });
    let halos = w.is_partitioned().then(|| {
        w.config()
            .nodes()
            .map(|id| {
                let p = lay.node(id);
                let g = w.partition_group(id).unwrap_or(0) as usize;
                html! { <circle class="halo" cx={p.x.to_string()} cy={p.y.to_string()} r={(lay.m.r + 12.0).to_string()} fill={GROUP_COLOURS[g % 4]} /> }
            })
            .collect::<Html>()
    });
    let highlight = lesson.and_then(|l| l.highlight(s.cursor())).map(|h| {
        let rings = h.nodes.iter().map(|n| {
            let p = lay.node(*n);
            html! { <circle class="highlight-ring" cx={p.x.to_string()} cy={p.y.to_string()} r={(lay.m.r + 16.0).to_string()} /> }
        });
        let first = h.nodes.first().map(|n| lay.node(*n)).unwrap_or(crate::ui::layout::Point { x: 500.0, y: 300.0 });
        html! { <g class="highlight" data-testid="highlight">
            { for rings }
            <text class="highlight-label" x={first.x.to_string()} y={(first.y - lay.m.r - 22.0).to_string()}>{&h.label}</text>
        </g> }
    });
    let legend = w.is_partitioned().then(|| {
        html! { <text class="partition-legend" data-testid="partition-legend" x="500" y={(VIEW_H - 4.0).to_string()}>
        {format!("Network split: {}", partition_text(w))}</text> }
    });
    html! {
        <svg class="cluster" data-testid="cluster" viewBox={format!("0 0 {VIEW_W} {VIEW_H}")} preserveAspectRatio="xMidYMid meet"
             role="group" aria-label="Paxos cluster: clients, proposers, acceptors and learners"
             onclick={link.callback(|_| Msg::CloseMenu)}>
            { for titles }
            { halos.unwrap_or_default() }
            { highlight.unwrap_or_default() }
            { legend.unwrap_or_default() }
            { token::wires(s, &lay) }
            { for nodes }
            { token::tokens(s, &lay, menu, hover, link) }
        </svg>
    }
}

/// The partition groups in words, e.g. `{C1, P1, A1} | {C2, P2, A2, A3, L1}`.
fn partition_text(w: &World) -> String {
    let mut groups: Vec<(u8, Vec<String>)> = Vec::new();
    for n in w.config().nodes() {
        let g = w.partition_group(n).unwrap_or(0);
        match groups.iter_mut().find(|(k, _)| *k == g) {
            Some((_, v)) => v.push(n.to_string()),
            None => groups.push((g, vec![n.to_string()])),
        }
    }
    groups.sort_by_key(|(g, _)| std::cmp::Reverse(*g));
    groups.iter().map(|(_, v)| format!("{{{}}}", v.join(", "))).collect::<Vec<_>>().join("  |  ")
}

/// Nodes that handled a delivery in the step that led here (they pulse).
fn received_last_step(s: &Session) -> Vec<NodeId> {
    let Some(step) = s.last_step() else {
        return vec![];
    };
    step.events
        .iter()
        .filter_map(|e| match e {
            Event::Delivered { id } => s.before().message(*id).map(|m| m.to),
            _ => None,
        })
        .collect()
}

fn shape(role: Role, p: Point, r: f64) -> Html {
    let pts = |v: &[(f64, f64)]| {
        v.iter().map(|(x, y)| format!("{:.1},{:.1}", p.x + x * r, p.y + y * r)).collect::<Vec<_>>().join(" ")
    };
    match role {
        Role::Client => {
            html! { <rect class="glyph" x={(p.x - r).to_string()} y={(p.y - r * 0.85).to_string()} width={(2.0 * r).to_string()} height={(1.7 * r).to_string()} rx={(r * 0.3).to_string()} /> }
        }
        Role::Proposer => {
            html! { <circle class="glyph" cx={p.x.to_string()} cy={p.y.to_string()} r={r.to_string()} /> }
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

fn node(w: &World, lay: &Layout, id: NodeId, pulse: Option<&'static str>, selected: bool, link: &Scope<App>) -> Html {
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
        selected.then_some("selected")
    );
    let lines = node_lines(w, id);
    let words = lines.iter().enumerate().map(|(k, l)| {
        let y = lay.line_y(id, k);
        let disk = l.durable.then(|| {
            let x = p.x + l.text.chars().count() as f64 * lay.m.char_w() / 2.0 + 4.0;
            let s = lay.m.font * 0.6;
            html! { <g class="disk" aria-hidden="true"><title>{"durable: survives a crash"}</title>
                <rect x={x.to_string()} y={(y - s).to_string()} width={s.to_string()} height={s.to_string()} rx="1.5" />
                <rect class="disk-slot" x={(x + s * 0.25).to_string()} y={(y - s).to_string()} width={(s * 0.5).to_string()} height={(s * 0.35).to_string()} />
            </g> }
        });
        html! { <>
            <text class="state" x={p.x.to_string()} y={y.to_string()} font-size={lay.m.font.to_string()}>{&l.text}</text>
            { disk.unwrap_or_default() }
        </> }
    });
    let cross = (!up).then(|| {
        let d = r * 0.8;
        html! { <g class="cross" aria-hidden="true">
            <line x1={(p.x - d).to_string()} y1={(p.y - d).to_string()} x2={(p.x + d).to_string()} y2={(p.y + d).to_string()} />
            <line x1={(p.x - d).to_string()} y1={(p.y + d).to_string()} x2={(p.x + d).to_string()} y2={(p.y - d).to_string()} />
        </g> }
    });
    let warn = amnesia.then(|| html! {
        <text class="amnesia-mark" x={(p.x + r * 0.9).to_string()} y={(p.y - r * 0.7).to_string()} font-size={(lay.m.font * 1.1).to_string()}>
            <title>{"amnesia: a restart wipes even durable state (unsafe)"}</title>{"⚠"}</text>
    });
    let badges = if id.role == Role::Proposer { leader_badges(w, lay, id) } else { Html::default() };
    let label = format!(
        "{id}, {}{}{}. {}",
        id.role.name(),
        if up { "" } else { ", crashed" },
        if amnesia { ", amnesia mode" } else { "" },
        lines.iter().map(|l| l.text.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ")
    );
    let onclick = link.callback(move |e: MouseEvent| {
        e.stop_propagation();
        Msg::Open(Menu::Node(id))
    });
    let onkeydown = link.batch_callback(move |e: KeyboardEvent| {
        (e.key() == "Enter").then(|| {
            e.stop_propagation();
            Msg::Open(Menu::Node(id))
        })
    });
    html! {
        <g class={class} data-testid={format!("node-{id}")} tabindex="0" role="button" aria-label={label} {onclick} {onkeydown}>
            { shape(id.role, p, r) }
            <text class="node-id" x={p.x.to_string()} y={(p.y + lay.m.font * 0.36).to_string()} font-size={(lay.m.font * 1.05).to_string()}>{id.to_string()}</text>
            { cross.unwrap_or_default() }
            { warn.unwrap_or_default() }
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
            html! { <g class="badge"><title>{format!("C{} believes {p} is the leader", ci + 1)}</title>
                <rect x={b.x.to_string()} y={b.y.to_string()} width={b.w.to_string()} height={b.h.to_string()} rx="4" />
                <text x={(b.x + b.w / 2.0).to_string()} y={(b.y + b.h * 0.75).to_string()} font-size={(lay.m.font * 0.75).to_string()}>{format!("C{}", ci + 1)}</text>
            </g> }
        })
        .collect()
}
