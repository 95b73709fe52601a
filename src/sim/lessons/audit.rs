//! Reads what a caption says in words and checks it against the world at the step the caption is
//! shown on: a value "is chosen", an acceptor "accepts" a value, a node "crashes" or "restarts",
//! safety "is broken". A caption is shown at its beat's last step; everything it asserts in these
//! forms must be true of the picture then. (Claims bound to the beat are checked separately, by
//! [`super::Lesson::verify_captions`].)

use super::Lesson;
use crate::paxos::{NodeId, Value};
use crate::sim::command::{Event, Step};
use crate::sim::world::World;

/// What a caption asserts, read from its words.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Said {
    Chosen(Value),
    Accepted(NodeId, Value),
    Crashed(NodeId),
    Restarted(NodeId),
    SafetyBroken,
}

/// Node ids written in `s` (`A2`, `P1`, …), in order.
fn ids(s: &str) -> Vec<NodeId> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter_map(|w| NodeId::parse(w).ok()).collect()
}

/// The quoted value ending just before byte `at`, if `s[..at]` ends with `"V" `.
fn quoted_before(s: &str, at: usize) -> Option<Value> {
    let head = s[..at].trim_end();
    let head = head.strip_suffix('"')?;
    let open = head.rfind('"')?;
    Value::new(&head[open + 1..]).ok()
}

/// The quoted value starting right after byte `at`.
fn quoted_after(s: &str, at: usize) -> Option<Value> {
    let tail = s[at..].trim_start().strip_prefix('"')?;
    Value::new(&tail[..tail.find('"')?]).ok()
}

/// What `caption` asserts in the forms this audit understands.
fn read(caption: &str) -> Vec<Said> {
    let mut out = Vec::new();
    for sentence in caption.split_inclusive(['.', ':', ';']) {
        let lower = sentence.to_ascii_lowercase();
        for pat in [" is chosen", " is now chosen"] {
            let mut from = 0;
            while let Some(i) = sentence[from..].find(pat) {
                let at = from + i;
                out.extend(quoted_before(sentence, at).map(Said::Chosen));
                from = at + pat.len();
            }
        }
        for verb in [" accepts ", " accept "] {
            if let Some(i) = sentence.find(verb) {
                if let Some(v) = quoted_after(sentence, i + verb.len()) {
                    let subject = &sentence[..i];
                    let negated = subject.ends_with(" not") || lower.contains("refuse") || lower.contains("never");
                    if !negated {
                        out.extend(ids(subject).into_iter().filter(|n| n.index < 9).map(|n| Said::Accepted(n, v)));
                    }
                }
            }
        }
        for (verb, make) in [(" crashes", Said::Crashed as fn(NodeId) -> Said), (" restarts", Said::Restarted)] {
            if let Some(i) = sentence.find(verb) {
                if let Some(n) = ids(&sentence[..i]).last() {
                    out.push(make(*n));
                }
            }
        }
        let broken = ["safety is broken", "safety breaks", "safety rule is broken", "agreement is broken"];
        if broken.iter().any(|p| lower.contains(p)) {
            out.push(Said::SafetyBroken);
        }
    }
    out.retain(|s| !matches!(s, Said::Accepted(n, _) if n.role != crate::paxos::Role::Acceptor));
    out
}

fn true_of(said: &Said, w: &World, beat_steps: &[Step]) -> bool {
    let events = || beat_steps.iter().flat_map(|s| &s.events);
    match *said {
        Said::Chosen(v) => match w.oracle().log() {
            Some(log) => (0..16).any(|s| log.chosen(s).is_some_and(|(_, c)| c.value() == Some(v))),
            None => w.oracle().chosen().iter().any(|(_, c)| *c == v),
        },
        Said::Accepted(n, v) => match w.log() {
            Some(log) => log.acceptors[n.index as usize].votes.iter().any(|(_, vote)| vote.cmd.value() == Some(v)),
            None => w.acceptors()[n.index as usize].accepted.is_some_and(|p| p.value == v),
        },
        Said::Crashed(n) => !w.is_up(n) || events().any(|e| matches!(e, Event::Crashed { node } if *node == n)),
        Said::Restarted(n) => w.is_up(n) && events().any(|e| matches!(e, Event::Restarted { node, .. } if *node == n)),
        Said::SafetyBroken => !w.oracle().violations().is_empty(),
    }
}

/// Every assertion in the lesson's captions that is not true of the world at its step.
pub fn audit(lesson: &Lesson) -> Vec<String> {
    let mut problems = Vec::new();
    let Ok(mut w) = World::new(lesson.config.clone(), lesson.seed) else {
        return vec!["the lesson's config is out of range".into()];
    };
    let mut since: Vec<Step> = Vec::new();
    for (i, c) in lesson.commands.iter().enumerate() {
        since.push(Step { command: c.clone(), events: w.apply(c.clone()) });
        if let Some((k, beat)) = lesson.beat_at(i + 1) {
            for said in read(&beat.caption) {
                if !true_of(&said, &w, &since) {
                    problems.push(format!(
                        "{}, beat {k} (step {}): the caption says {said:?}, which is not true at that step: \"{}\"",
                        lesson.id,
                        i + 1,
                        beat.caption
                    ));
                }
            }
            since.clear();
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_it_checks() {
        let x = Value::new("X").unwrap();
        assert_eq!(read("A2 accepts too. This is the moment \"X\" is chosen."), vec![Said::Chosen(x)]);
        assert_eq!(
            read("A1 and A2 accept \"X\" in ballot 1.1."),
            vec![Said::Accepted(NodeId::acceptor(0), x), Said::Accepted(NodeId::acceptor(1), x)]
        );
        assert_eq!(read("A3 refuses Accept 1.1 \"X\"."), vec![]);
        assert_eq!(
            read("A2 crashes and restarts with amnesia: a safety rule is broken."),
            vec![Said::Crashed(NodeId::acceptor(1)), Said::Restarted(NodeId::acceptor(1)), Said::SafetyBroken]
        );
        assert_eq!(read("Nothing is chosen yet."), vec![]);
    }
}
