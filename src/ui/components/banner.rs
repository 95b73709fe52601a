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
        return html! {
            <div class="chosen-banner split" data-testid="chosen-banner" data-value={value.as_str().to_string()} role="status">
                {"Agreement broken: two values are chosen: "}<strong>{all.join(" and ")}</strong>
            </div>
        };
    }
    let knows = |n: &NodeId| match n.role {
        Role::Learner => w.learners()[n.index as usize].learned.is_some(),
        Role::Client => w.clients()[n.index as usize].outcome.is_some(),
        Role::Proposer => w.proposers()[n.index as usize].decided.is_some(),
        Role::Acceptor => false,
    };
    // Who has found out: proposers that saw a majority of votes, learners, and clients told.
    let (learned, not_yet): (Vec<NodeId>, Vec<NodeId>) = w
        .config()
        .nodes()
        .filter(|n| n.role != Role::Acceptor && (n.role != Role::Proposer || knows(n)))
        .partition(knows);
    let list = |v: &[NodeId]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
    let learned_text = match (learned.is_empty(), not_yet.is_empty()) {
        (true, _) if compact => "· nobody knows yet".to_string(),
        (false, true) if compact => "· everyone knows".to_string(),
        (false, false) if compact => format!("· known to {}", list(&learned)),
        (true, _) => {
            "Found out so far: nobody yet. Chosen is a fact about the acceptors; nodes learn it from messages."
                .to_string()
        }
        (false, true) => format!("Everyone has found out: {}.", list(&learned)),
        (false, false) => format!("Found out so far: {}; not yet: {}.", list(&learned), list(&not_yet)),
    };
    html! {
        <div class="chosen-banner" data-testid="chosen-banner" data-value={value.as_str().to_string()} role="status">
            {"Chosen: "}<strong>{value.to_string()}</strong>{if compact { format!(" in {ballot}") } else { format!(" in ballot {ballot}: a majority of acceptors accepted it (the global view).") }}
            <span class="learned">{learned_text}</span>
        </div>
    }
}
