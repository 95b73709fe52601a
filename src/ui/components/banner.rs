//! The chosen banner: the global view (a majority of acceptors accepted one value in one
//! ballot), set apart from who has *learned* it so far.

use crate::paxos::NodeId;
use crate::sim::Knowledge;
use crate::ui::session::Session;
use yew::prelude::*;

/// The banner, once a value is chosen.
pub fn view(s: &Session, compact: bool) -> Html {
    let w = s.world();
    let chosen = w.oracle().chosen();
    let Some((ballot, value)) = chosen.first().copied() else {
        return Html::default();
    };
    if chosen.len() > 1 {
        let all: Vec<String> = chosen.iter().map(|(b, v)| format!("{v} in {b}")).collect();
        // Compact (presenter mode's bar) keeps the facts and drops the words the bar cannot fit.
        let (lead, join) = if compact {
            ("Two values chosen: ", ", ")
        } else {
            ("Agreement broken: two values are chosen: ", " and ")
        };
        return html! {
            <div class="chosen-banner split" data-testid="chosen-banner" data-value={value.as_str().to_string()} role="status">
                {lead}<strong>{all.join(join)}</strong>
                if !compact {
                    <span class="learned">{holders(s)}</span>
                }
            </div>
        };
    }
    // Who has found out, among every node: a proposer that saw a majority of votes, an acceptor
    // or learner told by a Commit or the votes, a client told by a reply. With a safety rule
    // switched off a node can hold another value, and the banner must not count it as knowing.
    let nodes: Vec<NodeId> = w.config().nodes().collect();
    let of = |want: fn(Knowledge) -> bool| -> Vec<NodeId> {
        nodes.iter().copied().filter(|n| want(w.knowledge(*n))).collect()
    };
    let learned = of(|k| matches!(k, Knowledge::Chosen(_)));
    let not_yet = of(|k| k == Knowledge::Nothing);
    let other = of(|k| matches!(k, Knowledge::Other(_)));
    let list = |v: &[NodeId]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
    let total = nodes.len();
    let learned_text = match (learned.len(), not_yet.is_empty()) {
        _ if !other.is_empty() => {
            let told = other.first().and_then(|n| w.known_outcome(*n)).map_or_else(String::new, |v| v.to_string());
            if compact {
                format!("· but {} decided {told}", list(&other))
            } else {
                format!(
                    "Agreement broken: {} decided {told}, which is not chosen. Found out: {}.",
                    list(&other),
                    if learned.is_empty() { "nobody".to_string() } else { list(&learned) }
                )
            }
        }
        (0, _) if compact => "· nobody knows yet".to_string(),
        (_, true) if compact => format!("· all {total} nodes know"),
        (k, false) if compact && k <= 3 => format!("· known to {}", list(&learned)),
        (k, false) if compact => format!("· {k} of {total} nodes know"),
        (0, _) => "Found out so far: nobody yet. Chosen is a fact about the acceptors; nodes learn it from messages."
            .to_string(),
        (_, true) => "Every node has found out.".to_string(),
        (_, false) => format!("Found out so far: {}; not yet: {}.", list(&learned), list(&not_yet)),
    };
    html! {
        <div class={classes!("chosen-banner", (!other.is_empty()).then_some("split"))} data-testid="chosen-banner" data-value={value.as_str().to_string()} role="status">
            {"Chosen: "}<strong>{value.to_string()}</strong>{if compact { format!(" in {ballot}") } else { format!(" in ballot {ballot}: a majority of acceptors accepted it (the global view).") }}
            <span class="learned">{learned_text}</span>
        </div>
    }
}

/// Who holds which of two chosen values: each was chosen, so the marks alone (a ✓ for the first,
/// red for the second) do not say it; the banner names which nodes stand on which side.
fn holders(s: &Session) -> String {
    let w = s.world();
    let side = |v| {
        let who: Vec<String> =
            w.config().nodes().filter(|n| w.known_outcome(*n) == Some(v)).map(|n| n.to_string()).collect();
        let verb = if who.len() == 1 { "holds" } else { "hold" };
        (!who.is_empty()).then(|| format!("{} {verb} {v}", who.join(", ")))
    };
    let sides: Vec<String> = w.oracle().chosen().iter().filter_map(|(_, v)| side(*v)).collect();
    if sides.is_empty() {
        return " Nobody has found out either yet.".into();
    }
    format!(" {}.", sides.join("; "))
}
