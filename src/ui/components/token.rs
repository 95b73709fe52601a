//! Messages on the canvas: wires from sender to token to receivers, and the tokens themselves,
//! placed by the scene in the gaps between bands. Tokens are keyed by sender, message and gap and
//! placed with a CSS transform, so the browser glides them between steps without running script.
//! A message delivered at this step leaves a ghost that glides into its receiver and fades; one
//! dropped leaves a crossed ghost that fades where it was. Ghosts end invisible, so at rest
//! nothing but waiting messages is drawn.

use super::cluster::Marks;
use crate::sim::{Event, MsgId, World};
use crate::ui::format::{ballot_tint, px, MSG_COLOURS};
use crate::ui::msg::{when, Menu, Msg as UiMsg, Show, Spot};
use crate::ui::scene::{Point, Rect, Scene, TokenBox};
use crate::ui::session::Session;
use yew::prelude::*;

/// A wire through `pts`; a wire across a band bends around its nodes (see `Scene::bends`).
fn segment(kind: &str, pts: &[Point]) -> Html {
    let points = pts.iter().map(|p| format!("{},{}", px(p.x), px(p.y))).collect::<Vec<_>>().join(" ");
    html! { <polyline class={classes!("wire", format!("kind-{kind}"))} {points} /> }
}

/// One wire per copy in flight: from its sender to its token, and on to its receiver.
pub fn wires(_w: &World, sc: &Scene) -> Html {
    sc.tokens
        .iter()
        .map(|t| {
            let kind = t.msg.kind().name();
            let at = t.rect.center();
            let from = sc.wire(t.from, at, true).map(|p| segment(kind, &p));
            let to = t.to.iter().filter_map(|n| sc.wire(*n, at, false)).map(|p| segment(kind, &p));
            html! { <g key={format!("w{}", t.key)}>{ from.unwrap_or_default() }{ for to }</g> }
        })
        .collect()
}

/// Every token and overflow chip, and the ghosts of what arrived or was lost at this step.
pub fn tokens(s: &Session, now: &Scene, before: &Scene, marks: &Marks, send: &Callback<UiMsg>) -> Html {
    // What arrived glides under the waiting tokens; what was lost is drawn over them, since the
    // narration is about it (it fades where it was, often among the tokens of its gap).
    let (lost, arrived): (Vec<_>, Vec<_>) = ghosts(s, now, before).into_iter().partition(|(lost, _)| *lost);
    let mut out: Vec<Html> = arrived.into_iter().map(|(_, h)| h).collect();
    for t in &now.tokens {
        let lit = match marks.spot {
            Some(Spot::Message(id)) => t.ids.contains(&id),
            Some(Spot::Node(n)) => t.from == n || t.to.contains(&n),
            None => false,
        };
        let selected = matches!(marks.menu, Some(Menu::Message(id)) if t.ids.contains(&id))
            || marks.hover.is_some_and(|h| t.ids.contains(&h));
        let start = now.node(t.from).map_or(t.rect.center(), |n| n.center);
        let asked = marks.asked.is_some_and(|a| t.ids.contains(&a));
        out.push(token(now, t, start, lit, selected || asked, send));
    }
    for o in &now.overflow {
        let gap = o.gap as u8;
        let onclick = send.reform(move |e: MouseEvent| {
            e.stop_propagation();
            UiMsg::Show(Show::Menu(Menu::Overflow(gap)))
        });
        let words = format!("+{} more", o.ids.len());
        out.push(html! {
            <g key={format!("o{gap}")} class="token overflow" data-testid={format!("overflow-{gap}")} role="button"
               tabindex="0" aria-label={format!("{} more messages waiting here", o.ids.len())} {onclick}
               style={format!("transform: translate({}px, {}px)", px(o.rect.x), px(o.rect.y))}>
                <rect class="pill" x="0" y="0" width={px(o.rect.w)} height={px(o.rect.h)} rx={px(o.rect.h / 2.0)} />
                { label(now, &words, 0.3 * now.t.f, 0, o.rect.w) }
            </g>
        });
    }
    out.extend(lost.into_iter().map(|(_, h)| h));
    html! { <g class="tokens">{ for out }</g> }
}

/// One line of a token's words, starting at `x` inside the token.
fn label(sc: &Scene, text: &str, x: f64, k: usize, room: f64) -> Html {
    html! { <text class="label" font-size={px(sc.t.f)}>{ line(sc, text, x, k, room) }</text> }
}

/// One line of a token's words as a `tspan`, placed and sized exactly.
fn line(sc: &Scene, text: &str, x: f64, k: usize, room: f64) -> Html {
    let t = sc.t;
    let len = t.width(text.chars().count()).min(room - x - 0.2 * t.f);
    let y = 0.15 * t.f + (k as f64 + 0.85) * t.line_h();
    html! { <tspan x={px(x)} y={px(y)} textLength={px(len)} lengthAdjust="spacingAndGlyphs">{text}</tspan> }
}

/// A token's lines in one text, a space between them, so its words read as one phrase (and
/// match its accessible name).
fn lines(sc: &Scene, lines: &[String], x: f64, room: f64) -> Html {
    let spans =
        lines.iter().enumerate().map(|(k, l)| html! { <>{if k > 0 { " " } else { "" }}{ line(sc, l, x, k, room) }</> });
    html! { <text class="label" font-size={px(sc.t.f)}>{ for spans }</text> }
}

fn body(sc: &Scene, msg: &crate::paxos::Msg, lines: &[String], r: Rect) -> Html {
    let f = sc.t.f;
    let colour = MSG_COLOURS[msg.kind().index()];
    let tint = msg.ballot().map(|b| {
        html! { <circle class="tint" cx={px(0.5 * f)} cy={px(0.2 * f + 0.5 * sc.t.line_h())} r={px(0.22 * f)} fill={ballot_tint(b)} /> }
    });
    html! {
        <g class="token-body">
            <rect class="pill" x="0" y="0" width={px(r.w)} height={px(r.h)} rx={px(0.45 * f)} stroke={colour} />
            { tint.unwrap_or_default() }
            { self::lines(sc, lines, 0.9 * f, r.w) }
        </g>
    }
}

fn token(sc: &Scene, t: &TokenBox, start: Point, lit: bool, selected: bool, send: &Callback<UiMsg>) -> Html {
    let id = t.ids[0];
    let kind = t.msg.kind().name();
    let to: Vec<String> = t.to.iter().map(|n| n.to_string()).collect();
    let ids: Vec<String> = t.ids.iter().map(|i| i.to_string()).collect();
    let class = classes!(
        "token",
        format!("kind-{kind}"),
        "in-flight",
        t.overdue.then_some("overdue"),
        lit.then_some("lit"),
        selected.then_some("selected")
    );
    // The accessible name starts with the words drawn, so what is seen is what is spoken.
    let aria = format!("{} from {} to {}, waiting", t.lines.join(" "), t.from, to.join(", "));
    let onclick = send.reform(move |e: MouseEvent| {
        e.stop_propagation();
        UiMsg::Show(Show::Menu(Menu::Message(id)))
    });
    let onkeydown = when(send, move |e: KeyboardEvent| {
        (e.key() == "Enter").then(|| {
            e.stop_propagation();
            UiMsg::Show(Show::Menu(Menu::Message(id)))
        })
    });
    let style = format!(
        "transform: translate({}px, {}px); --from: translate({}px, {}px)",
        px(t.rect.x),
        px(t.rect.y),
        px(start.x - t.rect.w / 2.0),
        px(start.y - t.rect.h / 2.0)
    );
    html! {
        <g key={t.key.clone()} class={class} data-testid={format!("msg-{id}")} data-ids={ids.join(" ")} data-type={kind}
           data-from={t.from.to_string()} data-to={to.join(" ")} style={style} role="button" aria-label={aria} tabindex="0"
           {onclick} {onkeydown} onmouseenter={send.reform(move |_: MouseEvent| UiMsg::Show(Show::Hover(Some(id))))}
           onmouseleave={send.reform(|_: MouseEvent| UiMsg::Show(Show::Hover(None)))}>
            { body(sc, &t.msg, &t.lines, t.rect) }
        </g>
    }
}

/// Where a lost copy's crossed ghost is drawn: where it waited, or when a token that stays
/// (its other copies, or another message) is there now, the nearest free place above or below,
/// its receiver's side first. Drawn over the token that stayed, the message to L1 looked lost
/// and neither could be read.
fn lost_at(now: &Scene, r: Rect, to_y: f64) -> Point {
    let gap = 0.25 * now.t.f;
    let free =
        |y: f64| y >= 0.0 && y + r.h <= now.frame.h && !now.tokens.iter().any(|t| t.rect.overlaps(&Rect { y, ..r }));
    // Where it was, or just above or below a token; the nearest, and at equal distance the
    // receiver's side.
    let cost = |y: f64| (y - r.y).abs() + if (y - r.y) * (to_y - r.center().y) < 0.0 { 0.5 } else { 0.0 };
    let mut best = (f64::INFINITY, r.y);
    for y in std::iter::once(r.y).chain(now.tokens.iter().flat_map(|t| [t.rect.bottom() + gap, t.rect.y - r.h - gap])) {
        if cost(y) < best.0 && free(y) {
            best = (cost(y), y);
        }
    }
    Point { x: r.x, y: best.1 }
}

/// Messages delivered or lost at this step, drawn where they waited a moment ago: a delivered one
/// glides into its receiver and fades; a lost one fades with a cross. Each comes with whether it
/// was lost.
fn ghosts(s: &Session, now: &Scene, before: &Scene) -> Vec<(bool, Html)> {
    let Some(step) = s.last_step() else {
        return vec![];
    };
    let mut out = Vec::new();
    for e in &step.events {
        let gone = if let Event::Delivered { id } = e {
            Some((*id, false))
        } else if let Event::Dropped { id, .. } = e {
            Some((*id, true))
        } else {
            None
        };
        if let Some((id, lost)) = gone {
            out.extend(ghost(s, now, before, id, lost).map(|h| (lost, h)));
        }
    }
    out
}

fn ghost(s: &Session, now: &Scene, before: &Scene, id: MsgId, lost: bool) -> Option<Html> {
    let m = s.before().message(id)?;
    let was = before.tokens.iter().find(|t| t.ids.contains(&id))?;
    let mut lines = crate::ui::scene::tokens::message_lines(before.t, &m.msg, before.gaps[was.gap]);
    // A lost copy of a token sent to several nodes names its receiver: moved off the copies that
    // stay, "Prepare 1.1 ✕" beside P1's wire to A1 read as A1's Prepare lost, not A2's.
    if lost && was.ids.len() > 1 {
        lines.push(format!("to {}", m.to));
    }
    let r = Rect { h: lines.len() as f64 * now.t.line_h() + 0.35 * now.t.f, ..was.rect };
    let end = if lost {
        lost_at(now, r, now.node(m.to).map_or(r.center().y, |n| n.center.y))
    } else {
        let c = now.node(m.to).map_or(r.center(), |n| n.center);
        Point { x: c.x - r.w / 2.0, y: c.y - r.h / 2.0 }
    };
    let state = if lost { "dropped" } else { "arriving" };
    let style = format!(
        "transform: translate({}px, {}px); --from: translate({}px, {}px)",
        px(end.x),
        px(end.y),
        px(r.x),
        px(r.y)
    );
    let cross = lost.then(|| {
        let (cx, cy, d) = (r.w / 2.0, r.h / 2.0, 0.45 * now.t.f);
        html! { <g class="drop-cross" aria-hidden="true">
            <line x1={px(cx - d)} y1={px(cy - d)} x2={px(cx + d)} y2={px(cy + d)} />
            <line x1={px(cx - d)} y1={px(cy + d)} x2={px(cx + d)} y2={px(cy - d)} />
        </g> }
    });
    Some(html! {
        <g key={format!("g{id}")} class={classes!("token", "ghost", format!("kind-{}", m.msg.kind().name()), state)}
           data-testid={format!("ghost-{id}")} aria-hidden="true" style={style}>
            { body(now, &m.msg, &lines, r) }
            { cross.unwrap_or_default() }
        </g>
    })
}
