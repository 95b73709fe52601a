//! Predict mode: before a message arrives, ask what will happen, then let the world answer.
//! The right answer comes from applying the step to a copy of the world, so it is never wrong.

use crate::paxos::multi::{LogDecision, LogMsg};
use crate::paxos::{Decision, Kind, Msg, Role, Source, Switch, Value};
use crate::sim::narrate::narrate;
use crate::sim::{Command, Due, Event, InFlight, Step, World};

/// A question about the next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// What to predict.
    pub prompt: String,
    /// The options.
    pub choices: Vec<String>,
    /// Index of the right option.
    pub answer: usize,
    /// Why the answer is right: the narration of the step it asks about.
    pub explain: String,
    /// The rule to apply, and the state it applies to, without the answer.
    pub hint: String,
    /// The message it is about, marked on the canvas.
    pub msg: Option<crate::sim::MsgId>,
}

/// The choices in an order that does not give the answer away: turned by an amount fixed by
/// the prompt, so the same question always looks the same (on every screen of a class too).
fn turned(mut q: Question) -> Question {
    let n = q.choices.len();
    if n < 3 {
        // "Yes" before "No", "Accept" before "Refuse": the natural order reads best.
        return q;
    }
    let k = q.prompt.bytes().fold(7usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % n;
    q.choices.rotate_left(k);
    q.answer = (q.answer + n - k) % n;
    q
}

fn yes_no(prompt: String, yes: bool) -> Question {
    Question {
        prompt,
        choices: vec!["Yes".into(), "No".into()],
        answer: if yes { 0 } else { 1 },
        explain: String::new(),
        hint: String::new(),
        msg: None,
    }
}

/// The question to ask before `cmd` runs on `w`, if it delivers a message whose outcome is worth
/// predicting. Deliveries that the network will lose, messages a proposer or learner will ignore,
/// and Commits and replies ask nothing. The answer is the receiver's recorded decision.
pub fn question(w: &World, cmd: &Command) -> Option<Question> {
    let id = match cmd {
        Command::Deliver { id } => *id,
        Command::Tick => match w.next_due()? {
            Due::Message { id, .. } => id,
            Due::Timer { .. } => return None,
        },
        _ => return None,
    };
    let m = *w.message(id)?;
    let mut after = w.clone();
    let events = after.apply(cmd.clone());
    if !events.iter().any(|e| matches!(e, Event::Delivered { id: d } if *d == id)) {
        return None;
    }
    let step = Step { command: cmd.clone(), events };
    let (_, decision) = step.decisions().find(|(node, _)| *node == m.to)?;
    let mut q = turned(about(w, &m, *decision)?);
    // The answer is what the run does, and with a rule off that may not be what Paxos would do:
    // a student applying Paxos would be marked wrong unless the question names the rule.
    if !q.prompt.contains("switched off") {
        q.prompt.insert_str(0, &rules_off(w, &m));
    }
    q.explain = narrate(w, &step, &after).text;
    q.hint = hint(w, &m);
    q.msg = Some(id);
    Some(q)
}

/// Whether switch `s` can change what the receiver of a message of kind `k` decides. Only those
/// rules are named before a question: every one, on a question none of them bends, made the
/// presenter strip's question three lines long for nothing.
fn bends(s: Switch, k: Kind) -> bool {
    match s {
        Switch::MinorityQuorum => matches!(k, Kind::Promise | Kind::Accepted),
        Switch::IgnoreReportedValues => k == Kind::Promise,
        Switch::AcceptBelowPromise => k == Kind::Accept,
        Switch::AcceptorAmnesia => matches!(k, Kind::Prepare | Kind::Accept),
        Switch::SharedBallots => {
            matches!(k, Kind::Prepare | Kind::Accept | Kind::Promise | Kind::Accepted | Kind::Nack)
        }
        Switch::SkipRecovery => matches!(k, Kind::Promise | Kind::Request),
    }
}

/// The rules switched off that bear on `m`'s receiver's decision, in words, each followed by a
/// space ("" when none do).
fn rules_off(w: &World, m: &InFlight) -> String {
    let (cfg, k) = (w.config(), m.msg.kind());
    let mut words = String::new();
    for s in cfg.mutations.iter().filter(|s| bends(**s, k)) {
        words += "Unsafe: ";
        words += s.describe();
        words += " ";
    }
    if cfg.amnesia.contains(&m.to) && bends(Switch::AcceptorAmnesia, k) {
        words += &crate::sim::config::amnesia_words(&[m.to.to_string()]);
        words += " ";
    }
    words
}

fn ballot_words(b: Option<crate::paxos::Ballot>) -> String {
    b.map_or("nothing".into(), |b| b.to_string())
}

/// The rule the receiver follows, and the state it follows it from; never the answer itself.
fn hint(w: &World, m: &InFlight) -> String {
    let (to, i) = (m.to, m.to.index as usize);
    let q = w.quorum();
    match m.msg {
        Msg::Prepare { .. } => format!(
            "An acceptor promises only a ballot higher than every ballot it has promised. {to} has promised {}.",
            ballot_words(w.acceptors()[i].promised)
        ),
        Msg::Accept { .. } => format!(
            "An acceptor accepts unless it has promised a higher ballot. {to} has promised {}.",
            ballot_words(w.acceptors()[i].promised)
        ),
        Msg::Promise { .. } => format!(
            "With promises from {q} acceptors, a proposer must propose the value of the highest-numbered proposal they report; only if none reports one is it free. {to} has {} so far.",
            crate::ui::verdict::count(w.proposers()[i].promises.count_ones(), "promise", "promises")
        ),
        Msg::Accepted { .. } if to.role == Role::Learner => {
            format!("A learner learns a value once {q} acceptors voted for it in one ballot.")
        }
        Msg::Accepted { .. } => format!(
            "A proposer knows its value is chosen once {q} acceptors voted for its ballot. {to} has {}.",
            crate::ui::verdict::count(w.proposers()[i].accepts.count_ones(), "vote", "votes")
        ),
        Msg::Nack { .. } => format!(
            "A refused proposer retries with a higher round, at once, or after a random wait when back-off is on (it is {}). It only acts on a Nack about the ballot it is running.",
            if w.backoff() { "on" } else { "off" }
        ),
        Msg::Request { .. } => {
            "An idle proposer starts a new ballot for a request; a busy one keeps working for its first request.".into()
        }
        Msg::Commit { .. } | Msg::Reply { .. } | Msg::Announce { .. } | Msg::Log(_) => String::new(),
    }
}

/// The question for a message `m` about to reach its receiver, which will decide `d`.
fn about(w: &World, m: &InFlight, d: Decision) -> Option<Question> {
    let (to, from) = (m.to, m.from);
    if let Decision::Ignored { .. } = d {
        if to.role != Role::Acceptor {
            // Late or stale replies change nothing; asking about them would only confuse.
            return None;
        }
    }
    let yes = |prompt: String, pred: bool| Some(yes_no(prompt, pred));
    match m.msg {
        Msg::Prepare { ballot } => Some(prepare(w, m, ballot, d)),
        Msg::Accept { ballot, value } => Some(Question {
            prompt: format!("Accept {ballot} {value} is about to reach {to}. Will {to} accept it?"),
            choices: vec![format!("Accept {value}"), "Refuse".into()],
            answer: if let Decision::Voted { .. } = d { 0 } else { 1 },
            explain: String::new(),
            hint: String::new(),
            msg: None,
        }),
        Msg::Promise { ballot, .. } => {
            if let Decision::QuorumOfPromises { own, source, .. } = d {
                Some(which_value(w, (from, to), ballot, own, source))
            } else {
                yes(
                    format!("{from}'s promise for {ballot} is about to reach {to}. Will {to} start Phase 2 now?"),
                    false,
                )
            }
        }
        Msg::Accepted { ballot, value } if to.role == Role::Learner => yes(
            format!("{from}'s vote for {value} in {ballot} is about to reach {to}. Will {to} learn a value now?"),
            matches!(d, Decision::Learned { .. }),
        ),
        Msg::Accepted { ballot, .. } => yes(
            format!("{from}'s vote for ballot {ballot} is about to reach {to}. Will {to} commit now?"),
            matches!(d, Decision::QuorumOfVotes { .. }),
        ),
        Msg::Nack { ballot, .. } => yes(
            format!("{from}'s Nack for ballot {ballot} is about to reach {to}. Will {to} start a new ballot at once?"),
            matches!(d, Decision::Retry { .. }),
        ),
        Msg::Request { value } => yes(
            format!("{from}'s request for {value} is about to reach {to}. Will {to} start a new ballot for it?"),
            matches!(d, Decision::Began { .. }),
        ),
        // Commits and outcomes only spread the news: there is nothing to predict.
        Msg::Commit { .. } | Msg::Reply { .. } | Msg::Announce { .. } => None,
        Msg::Log(lm) => log_question(m, lm, d),
    }
}

/// Multi-Paxos questions: the same rules, per slot, and the leader's fast path.
fn log_question(m: &InFlight, lm: LogMsg, d: Decision) -> Option<Question> {
    let (to, from) = (m.to, m.from);
    let is = |f: fn(&LogDecision) -> bool| matches!(d, Decision::Log(ref l) if f(l));
    let (prompt, yes) = match lm {
        LogMsg::LogPrepare { ballot, from: k } if !matches!(d, Decision::Ignored { .. }) => (
            format!("{from}'s Prepare {ballot} for every slot from s{} is about to reach {to}. Will {to} promise?", k + 1),
            is(|l| matches!(l, LogDecision::Promised { .. })),
        ),
        LogMsg::LogAccept { slot, ballot, value } => (
            format!("Accept s{} {ballot} {value} is about to reach {to}. Will {to} accept it?", slot + 1),
            is(|l| matches!(l, LogDecision::Voted { .. })),
        ),
        LogMsg::LogPromise { ballot, .. } if to.role == Role::Proposer && !is(|l| matches!(l, LogDecision::Stale { .. })) => (
            format!("{from}'s promise for {ballot} is about to reach {to}. Will {to} become the leader now?"),
            is(|l| matches!(l, LogDecision::Elected { .. })),
        ),
        LogMsg::Submit { value, .. } if to.role == Role::Proposer => (
            format!("{from}'s request for {value} is about to reach {to}. Will {to} put it in a slot at once, with no Phase 1?"),
            is(|l| matches!(l, LogDecision::Assigned { .. })),
        ),
        LogMsg::LogAccepted { slot, ballot, .. } if to.role == Role::Proposer && !is(|l| matches!(l, LogDecision::Stale { .. } | LogDecision::AlreadyKnown { .. })) => (
            format!("{from}'s vote for slot s{} in {ballot} is about to reach {to}. Will slot s{} be committed now?", slot + 1, slot + 1),
            is(|l| matches!(l, LogDecision::SlotChosen { .. })),
        ),
        _ => return None,
    };
    Some(yes_no(prompt, yes))
}

/// "Will A2 promise, refuse, or ignore it?" The same three choices every time, so the set of
/// choices never hints at the answer.
fn prepare(_w: &World, m: &InFlight, ballot: crate::paxos::Ballot, d: Decision) -> Question {
    let (to, from) = (m.to, m.from);
    let choices = vec![
        format!("Promise {ballot}"),
        "Refuse (send a Nack)".into(),
        "Ignore it: it already answered this ballot".into(),
    ];
    let answer = if let Decision::Promised { .. } = d {
        0
    } else if let Decision::Ignored { .. } = d {
        2
    } else {
        1
    };
    Question {
        prompt: format!("{from}'s Prepare {ballot} is about to reach {to}. Will {to} promise, refuse, or ignore it?"),
        choices,
        answer,
        explain: String::new(),
        hint: String::new(),
        msg: None,
    }
}

/// "Which value will P2 propose?", offering its client's value, the reported one and any other
/// requested value, when there are at least two to choose from. Not "must": where no promise
/// reported a vote the answer is that P2 is free to propose its client's value, and the word
/// gave the answer away where one did. The sender is named: the token alone does not say which
/// acceptor's promise it is, and a wire passing by made another acceptor's look like it.
fn which_value(
    w: &World,
    (from, to): (crate::paxos::NodeId, crate::paxos::NodeId),
    ballot: crate::paxos::Ballot,
    own: Value,
    source: Source,
) -> Question {
    let value = source.value(own);
    let reported = match source {
        Source::Adopted { proposal, .. } | Source::IgnoredReported { proposal } => Some(proposal.value),
        Source::OwnValue => None,
    };
    let mut values: Vec<Value> = Vec::new();
    for c in [Some(own), reported].into_iter().flatten().chain(w.oracle().requested().iter().copied()) {
        if values.len() < 3 && !values.contains(&c) {
            values.push(c);
        }
    }
    if values.len() < 2 {
        return yes_no(
            format!("{from}'s promise for {ballot} is about to reach {to}. Will {to} start Phase 2 now?"),
            true,
        );
    }
    // With a rule switched off the run follows the broken rule, so the question asks what
    // happens, not what Paxos requires.
    let off = match source {
        Source::IgnoredReported { .. } => " Paxos requires the reported value, but that rule is switched off.",
        Source::Adopted { .. } | Source::OwnValue => "",
    };
    let prompt = format!(
        "This promise from {from} gives {to} a majority for ballot {ballot}.{off} Which value will {to} propose?"
    );
    Question {
        prompt,
        answer: values.iter().position(|x| *x == value).unwrap_or(0),
        choices: values.iter().map(|v| v.to_string()).collect(),
        explain: String::new(),
        hint: String::new(),
        msg: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::{Kind, NodeId};
    use crate::sim::{Config, Pick, Script};

    fn answer_text(q: &Question) -> &str {
        &q.choices[q.answer]
    }

    #[test]
    fn asks_whether_an_acceptor_promises_or_refuses() {
        let mut s = Script::new(Config::default(), 1).unwrap();
        s.request(NodeId::client(0), "X").deliver(Pick::kind(Kind::Request));
        let id = s.find(Pick::kind(Kind::Prepare).to(NodeId::acceptor(0)))[0];
        let q = question(s.world(), &Command::Deliver { id }).unwrap();
        assert!(q.prompt.contains("Will A1 promise, refuse, or ignore it?"));
        assert_eq!(answer_text(&q), "Promise 1.1");
        assert_eq!(q.choices.len(), 3, "the same three choices every time");
        assert_eq!(q.msg, Some(id), "the message asked about is marked");
    }

    #[test]
    fn asks_which_value_will_be_proposed_names_the_promise_s_sender_and_knows_the_adopted_one() {
        let l = crate::sim::lessons::build("value-adoption").unwrap();
        // Just before the promise that gives P2 its majority.
        let mut w = World::new(l.config.clone(), l.seed).unwrap();
        let mut asked = None;
        for c in &l.commands {
            if let Some(q) = question(&w, c) {
                if q.prompt.contains("Which value will P2 propose?") {
                    asked = Some(q);
                }
            }
            let _ = w.apply(c.clone());
        }
        let q = asked.expect("the lesson reaches P2's quorum");
        assert_eq!(q.prompt, "This promise from A2 gives P2 a majority for ballot 1.2. Which value will P2 propose?");
        assert_eq!(answer_text(&q), "\"X\"");
        assert!(q.choices.contains(&"\"Y\"".to_string()), "its client's value is offered too");
    }

    #[test]
    fn with_the_adoption_rule_off_it_asks_what_will_happen_not_what_must() {
        let l = crate::sim::lessons::build("value-adoption").unwrap();
        let mut cfg = l.config.clone();
        cfg.mutations.insert(crate::paxos::Switch::IgnoreReportedValues);
        let mut w = World::new(cfg, l.seed).unwrap();
        let mut asked = None;
        for c in &l.commands {
            if let Some(q) = question(&w, c).filter(|q| q.prompt.contains("Which value")) {
                asked = Some(q);
            }
            let _ = w.apply(c.clone());
        }
        let q = asked.expect("the lesson reaches P2's quorum");
        assert!(q.prompt.contains("that rule is switched off. Which value will P2 propose?"), "{}", q.prompt);
        assert!(!q.prompt.contains("must P2"));
        assert!(q.prompt.starts_with("This promise from A"), "the sender is named: {}", q.prompt);
        assert_eq!(answer_text(&q), "\"Y\"", "the run follows the broken rule");
    }

    #[test]
    fn with_minority_quorums_the_question_says_the_rule_is_off() {
        let l = crate::sim::lessons::build("partition").unwrap();
        let mut cfg = l.config.clone();
        cfg.mutations.insert(crate::paxos::Switch::MinorityQuorum);
        let mut w = World::new(cfg, l.seed).unwrap();
        let mut asked = Vec::new();
        for c in &l.commands {
            asked.extend(question(&w, c));
            let _ = w.apply(c.clone());
        }
        let phase2 =
            asked.iter().find(|q| q.prompt.contains("start Phase 2 now?")).expect("a promise reaches a proposer");
        assert!(phase2.prompt.starts_with("Unsafe: A quorum is ⌊n/2⌋ acceptors"), "{}", phase2.prompt);
        assert_eq!(answer_text(phase2), "Yes", "one promise is a quorum of one of three here");
        // A question the rule does not bear on is asked as it is.
        let request = asked.iter().find(|q| q.prompt.contains("request for")).expect("a request reaches a proposer");
        assert!(!request.prompt.contains("Unsafe"), "{}", request.prompt);
    }

    #[test]
    fn the_answer_always_matches_what_the_recorded_step_did() {
        let t = crate::sim::simulate(Config::default(), 4, 300, crate::sim::Faults::default()).unwrap();
        let mut w = World::new(Config::default(), 4).unwrap();
        let mut asked = 0;
        for s in t.steps() {
            if let Some(q) = question(&w, &s.command) {
                asked += 1;
                assert!(q.answer < q.choices.len() && q.choices.len() >= 2);
                let did =
                    |kind: Kind| s.events.iter().any(|e| matches!(e, Event::Sent { msg, .. } if msg.kind() == kind));
                if q.prompt.contains("promise, refuse, or ignore") {
                    assert_eq!(answer_text(&q).starts_with("Promise"), did(Kind::Promise), "{}", q.prompt);
                }
                if q.prompt.contains("commit now") {
                    assert_eq!(q.answer == 0, did(Kind::Commit), "{}", q.prompt);
                }
            }
            let _ = w.apply(s.command.clone());
        }
        assert!(asked > 20, "only {asked} questions");
    }

    #[test]
    fn the_right_answer_is_not_always_the_first_choice() {
        let t = crate::sim::simulate(Config::default(), 4, 300, crate::sim::Faults::default()).unwrap();
        let mut w = World::new(Config::default(), 4).unwrap();
        let mut positions = std::collections::BTreeSet::new();
        for s in t.steps() {
            if let Some(q) = question(&w, &s.command).filter(|q| q.choices.len() >= 3) {
                positions.insert(q.answer);
            }
            let _ = w.apply(s.command.clone());
        }
        assert!(positions.len() >= 2, "answers only at {positions:?}");
    }

    #[test]
    fn commits_and_other_commands_ask_nothing() {
        let w = World::new(Config::default(), 1).unwrap();
        assert_eq!(question(&w, &Command::Heal), None);
        assert_eq!(question(&w, &Command::Tick), None);
    }
}
