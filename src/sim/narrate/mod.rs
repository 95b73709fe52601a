//! Plain-English narration: one or two sentences per step saying what happened and *why*.
//!
//! The why is the decision the node recorded (`crate::paxos::Decision`); `decisions` has one
//! sentence per decision. What the world did around it (a message lost, a crash, a partition, a
//! setting) is told by `faults`. The worlds before and after the step only supply context, such as
//! how many acceptors there are; nothing here works a decision out again from the messages sent.

mod decisions;
mod faults;
mod log;

use super::command::{Command, Event, MsgId, Step};
use super::network::InFlight;
use super::timeline::Timeline;
use super::world::World;
use crate::paxos::Ballot;
use std::fmt::Write;

pub use faults::partition_groups;

/// What the narration panel shows for a step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narration {
    /// The sentences.
    pub text: String,
    /// A value became chosen in this step.
    pub chosen: bool,
    /// A safety property broke in this step.
    pub violated: bool,
}

/// Everything a sentence may need to know about its step.
pub(crate) struct Scene<'a> {
    before: &'a World,
    after: &'a World,
    step: &'a Step,
    /// The message that reached (or failed to reach) its receiver in this step, if one did.
    msg: Option<&'a InFlight>,
}

fn ballot_or_nothing(b: Option<Ballot>) -> String {
    b.map_or("nothing".into(), |b| b.to_string())
}

fn plural(n: u8, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// Narrates `step`, given the worlds just before and just after it.
pub fn narrate(before: &World, step: &Step, after: &World) -> Narration {
    let mut text = match &step.command {
        Command::Deliver { id } | Command::Drop { id } | Command::Duplicate { id } => message(before, step, after, *id),
        Command::Tick => match handled_message(step) {
            Some(id) => message(before, step, after, id),
            None => decided(&Scene { before, after, step, msg: None }),
        },
        Command::Request { .. } | Command::Timeout { .. } => decided(&Scene { before, after, step, msg: None }),
        Command::SetLeader { .. }
        | Command::Crash { .. }
        | Command::Restart { .. }
        | Command::Partition { .. }
        | Command::Heal
        | Command::SetLoss { .. }
        | Command::SetDuplicate { .. }
        | Command::SetLatency { .. }
        | Command::SetAmnesia { .. }
        | Command::SetBackoff { .. } => faults::command(before, step, after),
    };
    let mut n = Narration::default();
    for e in &step.events {
        if let Event::Chosen { ballot, value } = e {
            n.chosen = true;
            let _ = write!(text, " That makes a majority: {value} is now chosen in ballot {ballot}. This is the global view; no node knows it yet.");
        }
        if let Event::SlotChosen { slot, ballot, value } = e {
            n.chosen = true;
            let _ = write!(text, " That makes a majority: {value} is now chosen in slot {} (ballot {ballot}). This is the global view; no node knows it yet.", crate::paxos::multi::slot_name(*slot));
        }
        if let Event::Violated { invariant, detail } = e {
            n.violated = true;
            if invariant.is_harm() {
                let _ = write!(text, " Safety is broken: {detail}");
                // Learning a value before it is chosen can look harmless: say what can follow.
                // (Single-decree: a Multi-Paxos log has its own oracle, per slot.)
                let unchosen = after.log().is_none() && after.oracle().chosen().is_empty();
                if *invariant == super::command::Invariant::OnlyChosenIsLearned && unchosen {
                    text.push_str(" No majority holds it, so another value can still be chosen.");
                }
            } else {
                let _ = write!(text, " A rule of Paxos is broken ({}): {detail}", mid_sentence(invariant.statement()));
            }
        }
    }
    n.text = text;
    n
}

/// Narrates recorded step `n` of a timeline (1-based: the step that produced the world after `n`
/// steps).
pub fn narrate_step(t: &Timeline, n: usize) -> Option<Narration> {
    let step = t.steps().get(n.checked_sub(1)?)?;
    let mut narration = narrate(&t.world_at(n - 1), step, &t.world_at(n));
    if let Some(note) = harm_follows(t.steps(), n) {
        narration.text.push_str(&note);
    }
    Some(narration)
}

/// A sentence quoted after a colon (a rule's statement, a refusal's reason): its first word in
/// lower case when it is an ordinary word ("Message #3" becomes "message #3"; "P1 is…" keeps its
/// name). ASCII only, which these sentences are: `str::to_lowercase` would bring Unicode's case
/// tables into the download.
pub(crate) fn mid_sentence(s: &str) -> String {
    let word = s.split(' ').next().unwrap_or_default();
    if word.chars().skip(1).any(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        return s.to_string();
    }
    let mut c = s.chars();
    c.next().map(|f| std::iter::once(f.to_ascii_lowercase()).chain(c).collect()).unwrap_or_default()
}

/// When step `n` (1-based) does harm after a rule was broken at an earlier step: a sentence
/// that joins the two, to add to its narration.
pub fn harm_follows(steps: &[Step], n: usize) -> Option<String> {
    let step = steps.get(n.checked_sub(1)?)?;
    let harm = step.events.iter().any(|e| matches!(e, Event::Violated { invariant, .. } if invariant.is_harm()));
    let (at, rule) = steps[..n - 1].iter().enumerate().find_map(|(i, s)| {
        s.events.iter().find_map(|e| match e {
            Event::Violated { invariant, .. } if !invariant.is_harm() => Some((i + 1, *invariant)),
            _ => None,
        })
    })?;
    harm.then(|| {
        format!(
            " This is the harm the rule exists to prevent: it was broken at step {at} ({}).",
            mid_sentence(rule.statement())
        )
    })
}

/// The message a tick delivered or lost, if it handled one rather than a timer.
fn handled_message(step: &Step) -> Option<MsgId> {
    step.events.iter().find_map(|e| match e {
        Event::Delivered { id } | Event::Dropped { id, .. } => Some(*id),
        Event::Decided { .. }
        | Event::Sent { .. }
        | Event::Duplicated { .. }
        | Event::Crashed { .. }
        | Event::Restarted { .. }
        | Event::TimedOut { .. }
        | Event::Chosen { .. }
        | Event::SlotChosen { .. }
        | Event::Applied { .. }
        | Event::Learned { .. }
        | Event::Rejected { .. }
        | Event::Violated { .. } => None,
    })
}

/// A message arrives, is lost, or is copied.
fn message(before: &World, step: &Step, after: &World, id: MsgId) -> String {
    let Some(m) = before.message(id) else {
        return format!("Message #{id}.");
    };
    let what = format!("{} from {} to {}", m.msg.label(), m.from, m.to);
    let mut prefix = String::new();
    for e in &step.events {
        if let Event::Dropped { id, reason } = e {
            if *id == m.id {
                return faults::dropped(before, &what, m, *reason);
            }
        }
        if let Event::Duplicated { id, copy, .. } = e {
            if *id != m.id {
                continue;
            }
            if matches!(step.command, Command::Duplicate { .. }) {
                return format!("{what} is duplicated: a second copy (#{copy}) is now in flight. Paxos must not mind receiving it twice.");
            }
            prefix = format!("The network duplicates {what} (copy #{copy} follows). ");
        }
    }
    prefix + &decided(&Scene { before, after, step, msg: Some(m) })
}

/// The sentences for every decision in the step (there is one for each message, timer or
/// request a node handled).
fn decided(sc: &Scene) -> String {
    let told: Vec<String> = sc.step.decisions().map(|(node, d)| decisions::sentence(sc, node, d)).collect();
    if told.is_empty() {
        return match sc.msg {
            Some(m) => format!("{} reaches {}.", m.msg.label(), m.to),
            None => "Nothing happened.".into(),
        };
    }
    told.join(" ")
}

#[cfg(test)]
mod tests {
    use super::mid_sentence;

    #[test]
    fn a_quoted_sentence_starts_in_lower_case_unless_it_starts_with_a_name() {
        assert_eq!(mid_sentence("Message #3 is not in flight."), "message #3 is not in flight.");
        assert_eq!(mid_sentence("A partition needs two groups."), "a partition needs two groups.");
        assert_eq!(mid_sentence("P1 is not a client."), "P1 is not a client.");
        assert_eq!(mid_sentence(""), "");
    }
}
