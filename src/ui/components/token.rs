//! Messages on the canvas: a faint wire per message in flight, and a labelled token on it.
//! Tokens are keyed by message id and placed with a CSS transform, so the browser glides them
//! from one step's position to the next without any per-frame script.

use crate::sim::{Event, InFlight};
use crate::ui::format::{ballot_tint, px, MSG_COLOURS};
use crate::ui::layout::{progress, Layout};
use crate::ui::msg::{Menu, Msg as UiMsg, Show, Spot};
use crate::ui::session::Session;
use yew::prelude::*;

const FONT: f64 = 13.0;
const H: f64 = 22.0;

/// Where a message in flight rests: around the middle of its wire, moving on as logical time
/// passes. Resting away from the ends keeps tokens off the nodes' words and apart where wires fan
/// out from one sender; a new token still visibly leaves its sender (the `launch` animation).
fn visual_frac(m: &InFlight, now: u64) -> f64 {
    0.38 + 0.24 * progress(m, now)
}

/// One wire per message in flight.
pub fn wires(s: &Session, lay: &Layout) -> Html {
    s.world()
        .in_flight()
        .iter()
        .map(|m| {
            let (a, b) = (lay.along(m.from, m.to, 0.0), lay.along(m.from, m.to, 1.0));
            html! { <line key={m.id.to_string()} class={classes!("wire", format!("kind-{}", m.msg.kind().name()))}
            x1={px(a.x)} y1={px(a.y)} x2={px(b.x)} y2={px(b.y)} /> }
        })
        .collect()
}

/// Every token: in flight, arriving (delivered this step) and dropped this step.
pub fn tokens(
    s: &Session,
    lay: &Layout,
    menu: Option<Menu>,
    hover: Option<crate::sim::MsgId>,
    spot: Option<Spot>,
    send: &Callback<UiMsg>,
) -> Html {
    let w = s.world();
    let now = w.time();
    let mut out: Vec<Html> = Vec::new();
    if let Some(step) = s.last_step() {
        for e in &step.events {
            if let Event::Delivered { id } = e {
                if let Some(m) = s.before().message(*id) {
                    out.push(token(m, lay, 1.0, "arriving", hover == Some(m.id), 0, None));
                }
            }
            if let Event::Dropped { id, .. } = e {
                if let Some(m) = s.before().message(*id) {
                    let frac = visual_frac(m, s.before().time());
                    out.push(token(m, lay, frac, "dropped", hover == Some(m.id), 0, None));
                }
            }
        }
    }
    let mut stacked = Vec::new();
    for m in w.in_flight() {
        let selected = menu == Some(Menu::Message(m.id)) || hover == Some(m.id);
        let lit = match spot {
            Some(Spot::Message(id)) => id == m.id,
            Some(Spot::Node(n)) => m.from == n || m.to == n,
            None => false,
        };
        let state = match (m.due <= now, lit) {
            (true, true) => "in-flight overdue lit",
            (true, false) => "in-flight overdue",
            (false, true) => "in-flight lit",
            (false, false) => "in-flight",
        };
        // Tokens that would sit on the same spot (a duplicate and its original) are stacked.
        let place = (m.from, m.to, (visual_frac(m, now) * 50.0).round() as i64);
        let k = stacked.iter().filter(|s| **s == place).count();
        stacked.push(place);
        out.push(token(m, lay, visual_frac(m, now), state, selected, k, Some(send)));
    }
    html! { <g class="tokens">{ for out }</g> }
}

fn token(
    m: &InFlight,
    lay: &Layout,
    frac: f64,
    state: &str,
    selected: bool,
    stack: usize,
    send: Option<&Callback<UiMsg>>,
) -> Html {
    let mut p = lay.along(m.from, m.to, frac);
    p.y += stack as f64 * (H + 3.0);
    let label = m.msg.label();
    let w = label.chars().count() as f64 * FONT * 0.56 + 22.0;
    let kind = m.msg.kind().name();
    let colour = MSG_COLOURS[m.msg.kind().index()];
    let tint = m.msg.ballot().map(|b| {
        html! { <circle class="tint" cx={px(-w / 2.0 + 10.0)} cy="0" r="5" fill={ballot_tint(b)} /> }
    });
    let id = m.id;
    let hover_in = send.map(|l| l.reform(move |_: MouseEvent| UiMsg::Show(Show::Hover(Some(id)))));
    let hover_out = send.map(|l| l.reform(|_: MouseEvent| UiMsg::Show(Show::Hover(None))));
    let (onclick, onkeydown, tabindex) = match send {
        Some(l) => (
            Some(l.reform(move |e: MouseEvent| {
                e.stop_propagation();
                UiMsg::Show(Show::Menu(Menu::Message(id)))
            })),
            Some(crate::ui::msg::when(l, move |e: KeyboardEvent| {
                (e.key() == "Enter").then(|| {
                    e.stop_propagation();
                    UiMsg::Show(Show::Menu(Menu::Message(id)))
                })
            })),
            Some("0"),
        ),
        None => (None, None, None),
    };
    let cross = (state == "dropped").then(|| {
        html! {
            <g class="drop-cross" aria-hidden="true">
                <line x1="-9" y1="-9" x2="9" y2="9" /><line x1="-9" y1="9" x2="9" y2="-9" />
            </g>
        }
    });
    let aria = format!("{label} from {} to {}, message {id}, {}", m.from, m.to, state.replace('-', " "));
    let start = lay.along(m.from, m.to, 0.0);
    let style = format!(
        "transform: translate({}px, {}px); --from: translate({}px, {}px)",
        px(p.x),
        px(p.y),
        px(start.x),
        px(start.y)
    );
    html! {
        <g key={format!("t{id}")} class={classes!("token", format!("kind-{kind}"), state.to_string(), selected.then_some("selected"))}
           data-testid={format!("msg-{id}")} data-type={kind} data-from={m.from.to_string()} data-to={m.to.to_string()}
           style={style}
           role={send.map(|_| "button")} aria-label={aria} {tabindex} {onclick} {onkeydown}
           onmouseenter={hover_in} onmouseleave={hover_out}>
            <g class="token-body">
            <rect class="pill" x={px(-w / 2.0)} y={px(-H / 2.0)} width={px(w)} height={px(H)}
                  rx={px(H / 2.0)} stroke={colour} />
            { tint.unwrap_or_default() }
            <text class="label" x={px(if m.msg.ballot().is_some() { 7.0 } else { 0.0 })} y="4.5" font-size={px(FONT)}>{label}</text>
            { cross.unwrap_or_default() }
            </g>
        </g>
    }
}
