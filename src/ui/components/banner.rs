//! The chosen banner: the global view (a majority of acceptors accepted one value in one
//! ballot), set apart from who has *learned* it so far.

use crate::paxos::{NodeId, Role};
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
            </div>
        };
    }
    let knows = |n: &NodeId| match n.role {
        Role::Learner => w.learners()[n.index as usize].learned.is_some(),
        Role::Client => w.clients()[n.index as usize].outcome.is_some(),
        Role::Proposer => w.proposers()[n.index as usize].decided.is_some(),
        Role::Acceptor => w.acceptors()[n.index as usize].committed.is_some(),
    };
    // Who has found out, among every node: a proposer that saw a majority of votes, an acceptor
    // or learner told by a Commit or the votes, a client told by a reply.
    let (learned, not_yet): (Vec<NodeId>, Vec<NodeId>) = w.config().nodes().partition(knows);
    let list = |v: &[NodeId]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
    let total = learned.len() + not_yet.len();
    let learned_text = match (learned.len(), not_yet.is_empty()) {
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
        <div class="chosen-banner" data-testid="chosen-banner" data-value={value.as_str().to_string()} role="status">
            {"Chosen: "}<strong>{value.to_string()}</strong>{if compact { format!(" in {ballot}") } else { format!(" in ballot {ballot}: a majority of acceptors accepted it (the global view).") }}
            <span class="learned">{learned_text}</span>
        </div>
    }
}
