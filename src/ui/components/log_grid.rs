//! The Multi-Paxos log as a grid: slots across; acceptors down, each cell empty, promised or
//! accepted (ballot and command), chosen columns marked across; a bracket per proposer for the
//! slots its Phase 1 covers; the chosen prefix as a watermark; and each learner's and client's
//! applied prefix. It reads the world only.

use crate::paxos::multi::{slot_name, Cmd, Stage};
use crate::paxos::NodeId;
use crate::sim::World;
use yew::prelude::*;

fn cmd_text(c: Cmd) -> String {
    if c.is_noop() {
        "no-op".into()
    } else {
        c.name()
    }
}

/// `s1` or `s1–s4`: the first `n` slots.
fn span(n: u8) -> String {
    match n {
        1 => "s1".into(),
        n => format!("s1–{}", slot_name(n - 1)),
    }
}

/// The grid, or nothing in single-decree mode.
pub fn view(w: &World) -> Html {
    let (Some(log), Some(oracle)) = (w.log(), w.oracle().log()) else {
        return Html::default();
    };
    let n = w.config().slots;
    let prefix = oracle.chosen_prefix().min(n);
    let highest = (0..n).rev().find(|s| oracle.chosen(*s).is_some());
    let style = format!("grid-template-columns: max-content repeat({n}, minmax(3.2em, 1fr))");
    let head = (0..n).map(|s| {
        let chosen = oracle.chosen(s);
        let again = oracle.chosen_again(s);
        let hole = chosen.is_none() && highest.is_some_and(|h| s < h);
        let class = classes!(
            "log-head",
            chosen.map(|_| "chosen"),
            again.map(|_| "conflict"),
            hole.then_some("hole"),
            (s < prefix).then_some("prefix")
        );
        let title = match (chosen, again) {
            (Some((b, c)), Some((b2, c2))) => format!(
                "slot {}: {} chosen in ballot {b}, then {} in ballot {b2}: safety is broken",
                slot_name(s),
                cmd_text(c),
                cmd_text(c2)
            ),
            (Some((b, c)), None) => format!("slot {}: {} chosen in ballot {b}", slot_name(s), cmd_text(c)),
            (None, _) if hole => format!("slot {}: a hole, nothing chosen yet below a chosen slot", slot_name(s)),
            (None, _) => format!("slot {}: nothing chosen yet", slot_name(s)),
        };
        let mark = match (chosen, again) {
            (Some((_, c)), Some((_, c2))) => format!("✗ {} / {}", cmd_text(c), cmd_text(c2)),
            (Some((_, c)), None) => format!("★ {}", cmd_text(c)),
            (None, _) if hole => "hole".to_string(),
            (None, _) => String::new(),
        };
        html! { <div class={class} role="columnheader" {title} data-testid={format!("log-slot-{}", s + 1)}>
        <span class="log-slot">{slot_name(s)}</span><span class="log-mark">{mark}</span></div> }
    });
    let watermark = html! { <>
        <div class="log-label" role="rowheader">{"chosen prefix"}</div>
        <div class="log-watermark" data-testid="log-prefix" data-prefix={prefix.to_string()}
             style={format!("grid-column: 2 / span {}", n)}>
            <div class="log-watermark-bar" style={format!("width: {}%", prefix as u32 * 100 / n as u32)}></div>
            { prefix_words(prefix, n as usize) }
        </div>
    </> };
    let brackets = log.proposers.iter().filter(|p| p.stage != Stage::Follower && w.is_up(p.id)).map(|p| {
        let b = p.ballot.map_or(String::new(), |b| b.to_string());
        let from = p.from.min(n.saturating_sub(1));
        let words = match p.stage {
            Stage::Leading => format!("{}: Phase 1 done for slots ≥ {}, ballot {b}", p.id, slot_name(p.from)),
            _ => format!("{}: Phase 1 for slots ≥ {}, ballot {b}: {} promised", p.id, slot_name(p.from), p.promises.count_ones()),
        };
        html! { <>
            <div class="log-label" role="rowheader">{p.id.to_string()}</div>
            <div class={classes!("log-bracket", (p.stage == Stage::Leading).then_some("leading"))} data-testid={format!("log-bracket-{}", p.id)}
                 style={format!("grid-column: {} / span {}", from + 2, n - from)}>{words}</div>
        </> }
    });
    let acceptors = log.acceptors.iter().enumerate().map(|(i, a)| {
        let id = NodeId::acceptor(i as u8);
        let cells = (0..n).map(move |s| {
            let vote = a.votes.get(s);
            let chosen = oracle.chosen(s).map(|(_, c)| c);
            let (class, text, title) = match vote {
                Some(v) => (
                    classes!(
                        "log-cell",
                        "accepted",
                        (chosen == Some(v.cmd)).then_some("chosen"),
                        v.cmd.is_noop().then_some("noop")
                    ),
                    format!("{} {}", v.ballot, cmd_text(v.cmd)),
                    format!("{id} accepted {} in slot {} at ballot {}", v.cmd, slot_name(s), v.ballot),
                ),
                None => match a.promised {
                    Some(p) => (
                        classes!("log-cell", "promised"),
                        format!("p {p}"),
                        format!("{id} promised {p}, no vote in slot {}", slot_name(s)),
                    ),
                    None => {
                        (classes!("log-cell", "empty"), "·".into(), format!("{id}: nothing in slot {}", slot_name(s)))
                    }
                },
            };
            let class = classes!(class, oracle.chosen(s).map(|_| "col-chosen"));
            html! { <div {class} role="cell" {title} data-testid={format!("log-{id}-s{}", s + 1)}>{text}</div> }
        });
        html! { <>
            <div class={classes!("log-label", (!w.is_up(id)).then_some("down"))} role="rowheader">{id.to_string()}</div>
            { for cells }
        </> }
    });
    let appliers = log
        .learners
        .iter()
        .enumerate()
        .map(|(i, l)| (NodeId::learner(i as u8), l.applied, l.known))
        .chain(log.clients.iter().enumerate().map(|(i, c)| (NodeId::client(i as u8), c.applied, c.known)))
        .map(|(id, applied, known)| {
            let words = if applied == 0 { "applied –".to_string() } else { format!("applied {}", span(applied)) };
            let gaps = (applied..n).filter(|s| known[*s as usize].is_some()).count();
            // Applying goes in slot order: what is known beyond the prefix waits for the first hole.
            let extra = if gaps > 0 { format!(" · knows {gaps} more, waits for s{}", applied + 1) } else { String::new() };
            html! { <>
                <div class="log-label" role="rowheader">{id.to_string()}</div>
                <div class="log-applied" data-testid={format!("log-applied-{id}")} data-applied={applied.to_string()}
                     style={format!("grid-column: 2 / span {}", n)}>
                    <div class="log-applied-bar" style={format!("width: {}%", applied.min(n) as u32 * 100 / n as u32)}></div>
                    <span>{format!("{words}{extra}")}</span>
                </div>
            </> }
        });
    html! {
        <section class="log-grid" data-testid="log-grid" role="table" aria-label="The replicated log: slots across, acceptors down" {style}>
            <div class="log-label log-corner" role="columnheader">{"log"}</div>
            { for head }
            { watermark }
            { for brackets }
            { for acceptors }
            { for appliers }
        </section>
    }
}

/// The chosen prefix in words. A short prefix's words would run on over slots that are not
/// chosen, so they stand just after its bar instead, pointing back at it.
fn prefix_words(prefix: u8, n: usize) -> Html {
    let pct = prefix as usize * 100 / n.max(1);
    match prefix {
        0 => html! { <span>{"nothing chosen from s1 yet"}</span> },
        p if (p as usize) * 2 < n => {
            html! { <span style={format!("margin-left: {pct}%")}>{format!("◂ {} chosen, no gap", span(p))}</span> }
        }
        p => html! { <span>{format!("{} chosen, no gap", span(p))}</span> },
    }
}
