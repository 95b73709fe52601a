//! The side panel: what just happened (narration), each proposer's phase, the safety invariants,
//! the event log, and the cluster settings.

use super::{config, failures, lessons};
use crate::paxos::{NodeId, Phase};
use crate::sim::Invariant;
use crate::ui::msg::{Msg, Play};
use crate::ui::session::Session;
use yew::prelude::*;

/// Log entries shown around the cursor; older ones are a click away on the scrubber.
const LOG_WINDOW: usize = 150;

/// The panel. `explored` is the explorer's last verdict, shown above the narration so it stays in
/// view while its counterexample plays.
pub fn view(
    s: &Session,
    follow: Option<&lessons::Follow>,
    predict: Option<Html>,
    explored: Option<Html>,
    hide_future: Option<&'static str>,
    send: &Callback<Msg>,
) -> Html {
    html! {
        <aside class="side" aria-label="Explanation and state">
            { follow.map(|f| lessons::view(f, send)).unwrap_or_default() }
            { predict.unwrap_or_default() }
            // Above the narration, whose account of a broken rule or of harm can run long: the
            // verdict stays in view while its counterexample plays.
            { explored.unwrap_or_default() }
            // While a question is open the narration still tells the step on screen: it is about
            // what already happened, never the step asked about (the lesson's caption, which
            // may describe that step, waits for the answer).
            { narration(s, follow.map(|f| f.place()).filter(|p| !p.off).map(|p| (p.done, p.total)), send) }
            { super::banner::view(s, false) }
            { invariants(s) }
            { phases(s) }
            { failures::view(s, send) }
            { log(s, hide_future, send) }
            { config::view(s, send) }
        </aside>
    }
}

/// `beats`: a lesson is followed on its script (off it, the run is the student's own), with
/// (beats reached, beats in all).
fn narration(s: &Session, beats: Option<(usize, usize)>, send: &Callback<Msg>) -> Html {
    let lesson = beats.is_some();
    let body = match s.narration() {
        Some(n) => {
            html! { <p class={classes!("narration-text", n.chosen.then_some("chosen"), n.violated.then_some("violated"))}>{&n.text}</p> }
        }
        None if lesson => {
            html! { <p class="narration-text">{"Nothing has happened yet. Press Beat ▶ (or PageDown) to play the lesson's first beat."}</p> }
        }
        // A run opened from a link, a trace or the explorer: a request here would replace it.
        None if !s.is_empty() => html! { <p class="narration-text">{format!(
            "Nothing has happened yet. This run has {}: Step (→) replays them one at a time, Play plays them.",
            crate::ui::verdict::count(s.len() as u64, "recorded step", "recorded steps")
        )}</p> },
        None => {
            let start = s.world().next_request(NodeId::client(0));
            let label = format!("C1 asks for {}", crate::ui::format::requested(&start));
            html! { <>
                <p class="narration-text">{"Nothing has happened yet. Phase 0 starts when a client asks a proposer for a value. Click a client (C1) to choose the value, or start right away:"}</p>
                <button class="primary" data-testid="start" onclick={send.reform(move |_| Msg::Do(start.clone()))}>{label}</button>
            </> }
        }
    };
    html! {
        <section class="panel narration" data-testid="narration" aria-live="polite" aria-atomic="true">
            <h2>{format!("What just happened · step {}", s.cursor())}
                // Where a short panel scrolls the lesson's card away (a tablet), the beat
                // stays in view in this sticky heading.
                if let Some((done, total)) = beats {
                    <span class="narration-beat" data-testid="narration-beat">{format!(" · beat {done} of {total}")}</span>
                }
                { badge(s) }
            </h2>
            { body }
        </section>
    }
}

fn badge(s: &Session) -> Html {
    let (class, text) = crate::ui::format::safety(s.world().oracle().violations());
    html! { <span class={classes!("safe-badge", class)}>{format!(" · {text}")}</span> }
}

/// Each proposer's phase (0–3) and what it is doing, in the mode the cluster runs.
fn proposer_phases(w: &crate::sim::World) -> Vec<(crate::paxos::NodeId, u8, String)> {
    use crate::paxos::multi::Stage;
    if let Some(log) = w.log() {
        // Multi-Paxos: a follower waits, a candidate runs Phase 1 once, a leader stays in Phase 2.
        return log
            .proposers
            .iter()
            .map(|p| match p.stage {
                // As its card says: an estimate naming itself has no ballot yet, and the first
                // command it is sent starts its Phase 1.
                Stage::Follower if p.leader == p.id => (p.id, 0, "no ballot yet: leads when a command comes".into()),
                Stage::Follower => (p.id, 0, format!("follower · believes {} leads", p.leader)),
                Stage::Preparing => (p.id, 1, format!("Phase 1 for slots ≥ s{}", u32::from(p.from) + 1)),
                Stage::Leading => (p.id, 2, "leading: one Accept round per command".into()),
            })
            .collect();
    }
    w.proposers()
        .iter()
        .map(|p| {
            let label = match p.phase {
                Phase::Idle => "waiting for a request",
                Phase::Preparing => "prepare / promise",
                Phase::BackingOff => "backing off",
                Phase::Accepting => "accept / accepted",
                Phase::Done => "committed",
            };
            (p.id, p.phase.number(), label.to_string())
        })
        .collect()
}

fn phases(s: &Session) -> Html {
    let w = s.world();
    let rows = proposer_phases(w).into_iter().map(|(id, current, label)| {
        let steps = (0..=3u8).map(|k| {
            let class = classes!("phase-dot", (k == current).then_some("current"), (k < current).then_some("past"));
            html! { <span class={class} aria-current={(k == current).then_some("step")}>{k.to_string()}</span> }
        });
        let up = w.is_up(id);
        html! {
            <li class={classes!("phase-row", (!up).then_some("crashed"))} data-testid={format!("phase-{id}")}>
                <span class="phase-node">{id.to_string()}</span>
                <span class="phase-track">{ for steps }</span>
                <span class="phase-label">{if up { label } else { "crashed".into() }}</span>
            </li>
        }
    });
    let b = s.ballot_stats();
    html! {
        <section class="panel phases" aria-label="Phase of each proposer">
            <h2>{"Phases"}</h2>
            <ul>{ for rows }</ul>
            <p class="ballots" data-testid="ballots">
                {format!("Ballots started: {} · committed: {} · ", b.started, b.committed)}
                <strong class={classes!((b.wasted > 0).then_some("wasted"))} data-testid="ballots-wasted">{format!("wasted: {}", b.wasted)}</strong>
            </p>
        </section>
    }
}

fn invariants(s: &Session) -> Html {
    let broken = s.world().oracle().violations();
    let ok = broken.is_empty();
    let mode = s.timeline().config().mode;
    // Only the properties of the protocol on screen, worded for it.
    let rows = Invariant::ALL.iter().filter(|inv| inv.in_mode(mode)).map(|inv| {
        let details: Vec<&String> = broken.iter().filter(|(i, _)| i == inv).map(|(_, d)| d).collect();
        let good = details.is_empty();
        html! {
            <li class={if good { "inv ok" } else { "inv broken" }}>
                <span class="inv-mark" aria-hidden="true">{if good { "✓" } else { "✗" }}</span>
                <span class="inv-text">{inv.statement_in(mode)}
                    { for details.iter().take(2).map(|d| html! { <span class="inv-detail">{dated(s, d)}</span> }) }
                </span>
            </li>
        }
    });
    html! {
        <section class={classes!("panel", "invariants", if ok { "all-ok" } else { "broken" })} data-testid="invariants"
                 data-state={if ok { "ok" } else { "violated" }} aria-label="Safety invariants">
            <h2>{match crate::ui::format::safety(broken).0 {
                "ok" => "Safety: every invariant holds",
                "rule" => "A rule of Paxos is broken (no harm yet: nothing chosen or told that should not be)",
                _ => "Safety BROKEN",
            }}</h2>
            <ul>{ for rows }</ul>
        </section>
    }
}

/// A breach's words with the step it happened at: they are true of that step ("no value has
/// been chosen yet"), and the panel keeps them after the picture has moved on.
fn dated(s: &Session, detail: &str) -> String {
    let at = s.timeline().steps()[..s.cursor()].iter().position(|st| {
        st.events.iter().any(|e| matches!(e, crate::sim::Event::Violated { detail: d, .. } if d == detail))
    });
    match at {
        Some(i) if i + 1 < s.cursor() => format!("At step {}: {detail}", i + 1),
        _ => detail.to_string(),
    }
}

fn first_sentence(t: &str) -> &str {
    match t.find(". ") {
        Some(i) => &t[..=i],
        None => t,
    }
}

/// `hide_future`: why the steps after the cursor are left out (a question waits for its answer,
/// predict mode, a lesson), or `None` to list them.
fn log(s: &Session, hide_future: Option<&'static str>, send: &Callback<Msg>) -> Html {
    let n = s.narrations();
    let cur = s.cursor();
    let lo = cur.saturating_sub(LOG_WINDOW / 2);
    let shown = if hide_future.is_some() { cur.min(n.len()) } else { n.len() };
    let hi = (lo + LOG_WINDOW).min(shown);
    let rows = (lo..hi).rev().map(|i| {
        let k = i + 1;
        let class = classes!(
            "log-row",
            (k == cur).then_some("current"),
            (k > cur).then_some("future"),
            n[i].chosen.then_some("chosen"),
            n[i].violated.then_some("violated")
        );
        html! {
            <li key={k.to_string()}>
                <button class={class} data-testid={format!("log-{k}")} aria-current={(k == cur).then_some("step")}
                        onclick={send.reform(move |_| Msg::Play(Play::Seek(k)))}>
                    <span class="log-step">{k.to_string()}</span>
                    <span class="log-text">{first_sentence(&n[i].text)}</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="panel log" aria-label="Event log">
            <h2>{format!("Event log · {} steps", n.len())}</h2>
            if let Some(why) = hide_future.filter(|_| shown < n.len()) {
                <p class="muted small" data-testid="log-hidden">{why}</p>
            }
            if n.is_empty() { <p class="muted">{"Steps appear here; click one to go back to it."}</p> }
            <ol reversed=true>{ for rows }</ol>
        </section>
    }
}
