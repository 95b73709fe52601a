//! Words and colours for the canvas: the state lines under each node, message colours and line
//! styles (Okabe–Ito, with a dash pattern each so they read in greyscale), and ballot tints.

use crate::paxos::{Ballot, NodeId, Phase, Role, Value};
use crate::sim::World;

/// Longest value shown in full on the canvas; longer ones are cut with an ellipsis.
pub const SHORT_VALUE: usize = 8;

/// A value for the canvas: quoted, cut to [`SHORT_VALUE`] characters.
pub fn short(v: Value) -> String {
    let s = v.as_str();
    if s.chars().count() > SHORT_VALUE {
        format!("\"{}…\"", &s[..SHORT_VALUE])
    } else {
        format!("\"{s}\"")
    }
}

/// One line of words under a node; `durable` lines get a disk mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The words.
    pub text: String,
    /// Survives a crash (drawn with a disk mark).
    pub durable: bool,
}

fn line(text: impl Into<String>) -> Line {
    Line { text: text.into(), durable: false }
}
fn durable(text: impl Into<String>) -> Line {
    Line { text: text.into(), durable: true }
}

/// The state of a node in words, at most two lines.
pub fn node_lines(w: &World, id: NodeId) -> Vec<Line> {
    let i = id.index as usize;
    match id.role {
        Role::Client => {
            let c = &w.clients()[i];
            let second = match (c.outcome, c.requested) {
                (Some(v), _) => format!("heard {}", short(v)),
                (None, Some(v)) => format!("asked {}", short(v)),
                _ => String::new(),
            };
            vec![line(format!("leader {}", c.leader)), line(second)]
        }
        Role::Proposer => {
            let p = &w.proposers()[i];
            let n = w.config().acceptors;
            let first = match p.phase {
                Phase::Idle => "Phase 0 · idle".to_string(),
                Phase::Preparing => format!("Phase 1 · promises {}/{n}, need {}", p.promises.count_ones(), w.quorum()),
                Phase::BackingOff if p.leader != p.id => format!("Phase 1 · defers to {}", p.leader),
                Phase::BackingOff => "Phase 1 · backing off".to_string(),
                Phase::Accepting => format!("Phase 2 · votes {}/{n}, need {}", p.accepts.count_ones(), w.quorum()),
                Phase::Done => "Phase 3 · committed".to_string(),
            };
            let second = match (p.ballot, p.proposed.or(p.value)) {
                (Some(b), Some(v)) => durable(format!("{b} → {}", short(v))),
                (Some(b), None) => durable(b.to_string()),
                (None, _) => durable(format!("round {}", p.max_round)),
            };
            vec![line(first), second]
        }
        Role::Acceptor => {
            let a = &w.acceptors()[i];
            let promised = a.promised.map_or("promised –".to_string(), |b| format!("promised {b}"));
            let accepted =
                a.accepted.map_or("accepted –".to_string(), |p| format!("accepted {}={}", p.ballot, short(p.value)));
            vec![durable(promised), durable(accepted)]
        }
        Role::Learner => {
            let l = &w.learners()[i];
            match l.learned {
                Some(v) => vec![line(format!("learned {}", short(v)))],
                None => match l.tallies.iter().max_by_key(|t| (t.voters.count_ones(), t.ballot)) {
                    Some(t) => vec![
                        line(format!("votes {}/{}", t.voters.count_ones(), w.quorum())),
                        line(format!("for {}", short(t.value))),
                    ],
                    None => vec![line("waiting")],
                },
            }
        }
    }
}

/// Colour of a message kind (Okabe–Ito), by `Msg::kind_index`.
pub const MSG_COLOURS: [&str; 9] = [
    "#000000", // request
    "#0072B2", // prepare
    "#56B4E9", // promise
    "#CC79A7", // nack
    "#E69F00", // accept
    "#D55E00", // accepted
    "#009E73", // commit
    "#009E73", // reply
    "#009E73", // announce
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
        assert_eq!(p[0].text, "Phase 1 · promises 0/3, need 2");
        assert_eq!(p[1].text, "1.1 → \"X\"");
        let a = node_lines(&w, NodeId::acceptor(0));
        assert!(a[0].durable && a[1].durable);
        assert_eq!(node_lines(&w, NodeId::client(0))[0].text, "leader P1");
        assert_eq!(short(Value::new("abcdefghijk").unwrap()), "\"abcdefgh…\"");
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
