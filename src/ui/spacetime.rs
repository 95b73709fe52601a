//! The space-time diagram as data: one lane per node, one arrow per message from the step it was
//! sent to the step it was delivered or dropped, and the gaps where a node was down. Pure, so the
//! geometry is tested natively; `components::spacetime` draws it.

pub mod labels;

use crate::paxos::{Kind, Msg, NodeId};
use crate::sim::{Event, MsgId, Step};

/// How a message's life ended (as of the step on screen).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// Delivered at this step.
    Delivered(usize),
    /// Dropped at this step.
    Dropped(usize),
    /// Still in flight.
    InFlight,
}

/// One message's arrow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    /// Its id.
    pub id: MsgId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Step (1-based) it was sent in.
    pub sent: usize,
    /// How it ended.
    pub end: End,
    /// Message kind (for colour).
    pub kind: Kind,
    /// Label.
    pub label: String,
    /// The message, for the diagram's own short labels.
    pub msg: Msg,
}

/// Steps (1-based, inclusive start, exclusive end) during which a node was down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// The node.
    pub node: NodeId,
    /// Crash step.
    pub from: usize,
    /// Restart step, if it came back.
    pub to: Option<usize>,
}

/// The diagram's content for the first `upto` steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    /// Every message sent.
    pub arrows: Vec<Arrow>,
    /// Every period a node was down.
    pub gaps: Vec<Gap>,
}

/// Builds the diagram of `steps[..upto]`.
pub fn build(steps: &[Step], upto: usize) -> Diagram {
    let mut d = Diagram::default();
    let mut index: Vec<(MsgId, usize)> = Vec::new(); // id → position in arrows
    let find = |index: &[(MsgId, usize)], id: MsgId| index.iter().rev().find(|(i, _)| *i == id).map(|(_, p)| *p);
    for (i, step) in steps.iter().take(upto).enumerate() {
        let k = i + 1;
        for e in &step.events {
            match e {
                Event::Sent { id, from, to, msg, .. } => {
                    index.push((*id, d.arrows.len()));
                    d.arrows.push(Arrow {
                        id: *id,
                        from: *from,
                        to: *to,
                        sent: k,
                        end: End::InFlight,
                        kind: msg.kind(),
                        label: msg.label(),
                        msg: *msg,
                    });
                }
                Event::Duplicated { id, copy, .. } => {
                    if let Some(p) = find(&index, *id) {
                        let a = Arrow { id: *copy, sent: k, end: End::InFlight, ..d.arrows[p].clone() };
                        index.push((*copy, d.arrows.len()));
                        d.arrows.push(a);
                    }
                }
                Event::Delivered { id } => {
                    if let Some(p) = find(&index, *id) {
                        d.arrows[p].end = End::Delivered(k);
                    }
                }
                Event::Dropped { id, .. } => {
                    if let Some(p) = find(&index, *id) {
                        d.arrows[p].end = End::Dropped(k);
                    }
                }
                Event::Crashed { node } => d.gaps.push(Gap { node: *node, from: k, to: None }),
                Event::Restarted { node, .. } => {
                    if let Some(g) = d.gaps.iter_mut().rev().find(|g| g.node == *node && g.to.is_none()) {
                        g.to = Some(k);
                    }
                }
                // Nothing else draws on the diagram.
                Event::Decided { .. }
                | Event::TimedOut { .. }
                | Event::Chosen { .. }
                | Event::SlotChosen { .. }
                | Event::Applied { .. }
                | Event::Learned { .. }
                | Event::Rejected { .. }
                | Event::Violated { .. } => {}
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Config, Faults, Pick, Script, Timeline};

    #[test]
    fn arrows_follow_messages_from_send_to_delivery_or_drop() {
        let mut s = Script::new(Config::default(), 1).unwrap();
        let c1 = NodeId::client(0);
        s.request(c1, "X")
            .deliver(Pick::kind(Kind::Request))
            .drop_msg(Pick::kind(Kind::Prepare).to(NodeId::acceptor(2)));
        s.duplicate(Pick::kind(Kind::Prepare).to(NodeId::acceptor(0)));
        s.run(crate::sim::Command::Crash { node: NodeId::acceptor(1) });
        let t = Timeline::replay(Config::default(), 1, s.commands()).unwrap();
        let d = build(t.steps(), t.len());
        let req = &d.arrows[0];
        assert_eq!((req.kind, req.sent, req.end), (Kind::Request, 1, End::Delivered(2)));
        assert_eq!(d.arrows.iter().filter(|a| a.kind == Kind::Prepare).count(), 4, "three prepares and one copy");
        assert!(d.arrows.iter().any(|a| a.end == End::Dropped(3)));
        assert!(d.arrows.iter().any(|a| a.sent == 4 && a.end == End::InFlight), "the copy");
        assert_eq!(d.gaps, vec![Gap { node: NodeId::acceptor(1), from: 5, to: None }]);
    }

    #[test]
    fn only_the_steps_on_screen_are_drawn() {
        let t = simulate(Config::default(), 3, 200, Faults::ALL).unwrap();
        let d = build(t.steps(), 50);
        assert!(d.arrows.iter().all(|a| a.sent <= 50));
        assert!(d.arrows.iter().all(|a| match a.end {
            End::Delivered(k) | End::Dropped(k) => k <= 50,
            End::InFlight => true,
        }));
    }
}
