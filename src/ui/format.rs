//! Words and colours for the canvas: the state lines under each node, message colours and line
//! styles (Okabe–Ito, with a dash pattern each so they read in greyscale), and ballot tints.

use crate::paxos::{Ballot, Msg, NodeId, Phase, Role, Value};
use crate::sim::World;

/// Longest value shown in full on the canvas; longer ones are cut with an ellipsis.
pub const SHORT_VALUE: usize = 6;

/// The value a request asks for, quoted as [`short`] quotes it; empty for any other command.
pub fn requested(c: &crate::sim::Command) -> String {
    if let crate::sim::Command::Request { value, .. } = c {
        short(*value)
    } else {
        String::new()
    }
}

/// A value for the canvas: quoted, cut to [`SHORT_VALUE`] characters.
pub fn short(v: Value) -> String {
    let s = v.as_str();
    if s.chars().count() > SHORT_VALUE {
        format!("\"{}…\"", &s[..SHORT_VALUE])
    } else {
        format!("\"{s}\"")
    }
}

/// One line of words in a node's card; `durable` lines get a disk mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The words, as drawn (counts may be drawn as dots: ●● of ○○).
    pub text: String,
    /// The same words for a screen reader.
    pub spoken: String,
    /// Survives a crash (drawn with a disk mark).
    pub durable: bool,
}

fn line(text: impl Into<String>) -> Line {
    let text = text.into();
    Line { spoken: text.clone(), text, durable: false }
}
fn durable(text: impl Into<String>) -> Line {
    Line { durable: true, ..line(text) }
}

/// `have` of the `need` needed, as dots: ●●○ is two of three.
fn dots(what: &str, have: u32, need: u8) -> Line {
    let have = have.min(need as u32) as usize;
    let text = format!("{what} {}{}", "●".repeat(have), "○".repeat(need as usize - have));
    Line { text, spoken: format!("{what}: {have} of the {need} needed"), durable: false }
}

/// The state of a node in words: at most three short lines, so that cards stay narrow. A
/// proposer shows a value only once it proposes one; until then the ballot is not tied to any.
pub fn node_lines(w: &World, id: NodeId) -> Vec<Line> {
    if let Some(log) = w.log() {
        return log_lines(w, log, id);
    }
    let i = id.index as usize;
    match id.role {
        Role::Client => {
            let c = &w.clients()[i];
            let mut v = vec![line(format!("leader {}", c.leader))];
            match (c.outcome, c.requested) {
                (Some(x), _) => v.push(line(format!("heard {}", short(x)))),
                (None, Some(x)) => v.push(line(format!("asked {}", short(x)))),
                (None, None) => {}
            }
            v
        }
        Role::Proposer => proposer_lines(w, i),
        Role::Acceptor => {
            let a = &w.acceptors()[i];
            let promised = a.promised.map_or("promised –".to_string(), |b| format!("promised {b}"));
            let accepted =
                a.accepted.map_or("accepted –".to_string(), |p| format!("accepted {} {}", p.ballot, short(p.value)));
            vec![durable(promised), durable(accepted)]
        }
        Role::Learner => {
            let l = &w.learners()[i];
            match (l.learned, l.tallies.iter().max_by_key(|t| (t.voters.count_ones(), t.ballot))) {
                (Some(v), _) => vec![line(format!("learned {}", short(v)))],
                (None, Some(t)) => {
                    vec![
                        dots("votes", t.voters.count_ones(), w.quorum()),
                        line(format!("for {} {}", t.ballot, short(t.value))),
                    ]
                }
                (None, None) => vec![line("waiting")],
            }
        }
    }
}

fn proposer_lines(w: &World, i: usize) -> Vec<Line> {
    let p = &w.proposers()[i];
    let b = p.ballot.map_or(String::new(), |b| b.to_string());
    match p.phase {
        Phase::Idle if p.max_round == 0 => vec![line("idle")],
        Phase::Idle => vec![durable(format!("idle · round {}", p.max_round))],
        Phase::Preparing => {
            vec![durable(format!("Phase 1 · {b}")), dots("promises", p.promises.count_ones(), w.quorum())]
        }
        Phase::Accepting => vec![
            durable(format!("Phase 2 · {b}")),
            dots("votes", p.accepts.count_ones(), w.quorum()),
            line(format!("proposes {}", p.proposed.map_or("–".into(), short))),
        ],
        Phase::BackingOff if p.leader != p.id => {
            vec![durable(format!("backs off · {b}")), line(format!("defers to {}", p.leader))]
        }
        Phase::BackingOff => vec![durable(format!("backs off · {b}"))],
        Phase::Done => {
            vec![durable(format!("Phase 3 · {b}")), line(format!("learned {}", p.decided.map_or("–".into(), short)))]
        }
    }
}

/// The words on a message token: its kind and ballot, and the value when it carries one. A
/// Promise that reports a vote says so on a second line.
pub fn token_lines(msg: &Msg) -> Vec<String> {
    match *msg {
        Msg::Request { value } => vec![format!("Request {}", short(value))],
        Msg::Prepare { ballot } => vec![format!("Prepare {ballot}")],
        Msg::Promise { ballot, accepted: None } => vec![format!("Promise {ballot}")],
        Msg::Promise { ballot, accepted: Some(p) } => {
            vec![format!("Promise {ballot}"), format!("had {} {}", p.ballot, short(p.value))]
        }
        Msg::Nack { ballot, promised } => vec![format!("Nack {ballot} < {promised}")],
        Msg::Accept { ballot, value } => vec![format!("Accept {ballot} {}", short(value))],
        Msg::Accepted { ballot, value } => vec![format!("Accepted {ballot} {}", short(value))],
        Msg::Commit { value, .. } => vec![format!("Commit {}", short(value))],
        Msg::Reply { value } => vec![format!("Reply {}", short(value))],
        Msg::Announce { value } => vec![format!("Learned {}", short(value))],
        Msg::Log(crate::paxos::multi::LogMsg::LogPromise { ballot, from, votes }) => {
            vec![format!("Promise {ballot}"), crate::paxos::multi::msg::votes_label(from, &votes)]
        }
        Msg::Log(m) => vec![m.label()],
    }
}

/// Colour of a message kind (Okabe–Ito), one per kind in `Kind::ALL`'s order. The length is tied
/// to it, so a new kind cannot be drawn without a colour (a Redirect once indexed past the end
/// and stopped the app).
pub const MSG_COLOURS: [&str; crate::paxos::Kind::ALL.len()] = [
    "#000000", // request
    "#0072B2", // prepare
    "#56B4E9", // promise
    "#CC79A7", // nack
    "#E69F00", // accept
    "#D55E00", // accepted
    "#009E73", // commit
    "#009E73", // reply
    "#009E73", // announce
    "#555555", // redirect
];

/// Tints that tell ballots apart; a ballot's tint depends on its round and proposer.
pub const BALLOT_TINTS: [&str; 8] =
    ["#fde2a7", "#c7e3f7", "#f9c9d8", "#cdebc4", "#e2d3f3", "#fbd5b5", "#d0ece9", "#ecd9c6"];

/// The tint of a ballot.
pub fn ballot_tint(b: Ballot) -> &'static str {
    BALLOT_TINTS[((b.round as usize) * 3 + b.proposer.index as usize) % BALLOT_TINTS.len()]
}

/// Human name of a role column.
pub fn column_title(r: Role) -> &'static str {
    match r {
        Role::Client => "Clients",
        Role::Proposer => "Proposers",
        Role::Acceptor => "Acceptors",
        Role::Learner => "Learners",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Command, Config};

    #[test]
    fn lines_speak_the_protocol() {
        let mut w = World::new(Config::default(), 1).unwrap();
        let _ = w.apply(Command::Request { client: NodeId::client(0), value: Value::new("X").unwrap() });
        let _ = w.apply(Command::Tick);
        let _ = w.apply(Command::Tick);
        let p = node_lines(&w, NodeId::proposer(0));
        assert_eq!(p[0].text, "Phase 1 · 1.1");
        assert_eq!(p[1].text, "promises ○○");
        assert_eq!(p[1].spoken, "promises: 0 of the 2 needed");
        assert_eq!(p.len(), 2, "no value before the proposer proposes one");
        let a = node_lines(&w, NodeId::acceptor(0));
        assert!(a[0].durable && a[1].durable);
        assert_eq!(node_lines(&w, NodeId::client(0))[0].text, "leader P1");
        assert_eq!(short(Value::new("abcdefghijk").unwrap()), "\"abcdef…\"");
    }
}

/// A coordinate or size for the SVG, to one decimal. Integer arithmetic on purpose: formatting
/// floats pulls two large algorithms into the browser build, and the canvas needs neither.
pub fn px(x: f64) -> String {
    let t = (x * 10.0).round() as i64;
    let (sign, a) = (if t < 0 { "-" } else { "" }, t.unsigned_abs());
    if a % 10 == 0 {
        format!("{sign}{}", a / 10)
    } else {
        format!("{sign}{}.{}", a / 10, a % 10)
    }
}

/// A number rounded to a whole one, for display.
pub fn int(x: f64) -> String {
    (x.round() as i64).to_string()
}

#[cfg(test)]
mod px_tests {
    use super::*;

    #[test]
    fn px_prints_one_decimal_without_float_formatting() {
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.34), "12.3");
        assert_eq!(px(-0.26), "-0.3");
        assert_eq!(px(-4.0), "-4");
        assert_eq!(int(2.5), "3");
    }
}

/// "s1–s3", or "–" for none: the applied prefix of a log.
fn prefix(n: u8) -> String {
    match n {
        0 => "–".into(),
        1 => "s1".into(),
        n => format!("s1–s{n}"),
    }
}

/// Multi-Paxos cards: the log itself is drawn in the log grid, so cards say where each node
/// stands (leader or follower, promise, applied prefix).
fn log_lines(w: &World, log: &crate::paxos::multi::LogNodes, id: NodeId) -> Vec<Line> {
    use crate::paxos::multi::Stage;
    let i = id.index as usize;
    match id.role {
        Role::Client => {
            let c = &log.clients[i];
            let sent = crate::paxos::multi::Cmd::new(c.index, c.sent);
            // Short lines, one fact each: a projector at 1280 px has no width to spare. The
            // oldest command still unanswered is the one a retry re-sends; "+1" counts the
            // others. Unquoted, as in the log grid.
            let mut open = c.waiting();
            let waiting = open.next().map(|cmd| match open.count() {
                0 => format!("waits {}", cmd.name()),
                more => format!("waits {}+{more}", cmd.name()),
            });
            let mut v = vec![line(format!("leader {}", c.leader))];
            v.extend(waiting.or(sent.map(|cmd| format!("sent {cmd}"))).map(line));
            v.push(line(format!("applied {}", prefix(c.applied))));
            v
        }
        Role::Proposer => {
            let p = &log.proposers[i];
            let b = p.ballot.map_or(String::new(), |b| b.to_string());
            // The slots a Phase 1 covers are on the log grid's bracket, not repeated here.
            // A follower whose estimate names itself has no ballot and runs Phase 1 at the first
            // command it is sent: at the start that is P1, whom the clients call leader. The words
            // are short, as the card budget in `scene::columns` expects.
            // After a crash its estimate names itself too, but another proposer may lead by
            // then: it knows of no leader, which is all the card claims.
            let (stage, estimate) = match (p.leader == id, p.max_round) {
                (true, 0) => ("idle", String::from("leader-to-be")),
                (true, _) => ("idle", String::from("no leader")),
                (false, _) => ("follower", format!("{} leads", p.leader)),
            };
            match p.stage {
                Stage::Follower if p.max_round == 0 => vec![line(stage.to_string()), line(estimate)],
                Stage::Follower => vec![durable(format!("{stage} · r{}", p.max_round)), line(estimate)],
                Stage::Preparing => {
                    vec![durable(format!("Phase 1 · {b}")), dots("promises", p.promises.count_ones(), w.quorum())]
                }
                Stage::Leading => {
                    vec![durable(format!("leader · {b}")), line(format!("next slot s{}", p.next_free() as u32 + 1))]
                }
            }
        }
        Role::Acceptor => {
            let a = &log.acceptors[i];
            // One line: the acceptor's votes are its row of the log grid, so the card keeps only
            // the promise, and the cluster leaves the grid the height it needs on a projector.
            vec![durable(a.promised.map_or("promised –".to_string(), |b| format!("promised {b}")))]
        }
        Role::Learner => vec![line(String::from("applied")), line(prefix(log.learners[i].applied))],
    }
}

/// The safety badge for a world's breaches: its class and words. A rule of Paxos broken is told
/// apart from harm (two values chosen, a value nobody asked for, someone told a wrong value), so
/// the badge never says more than happened.
pub fn safety(violations: &[(crate::sim::Invariant, String)]) -> (&'static str, &'static str) {
    if violations.is_empty() {
        ("ok", "✓ safe")
    } else if violations.iter().any(|(i, _)| i.is_harm()) {
        ("broken", "✗ safety broken")
    } else {
        ("rule", "✗ a rule broken")
    }
}
