//! Getting things to nodes: the clock, message arrival (with the network's drops and
//! duplicates), timers, crashes and restarts. Protocol behaviour is the roles' business: a
//! message that arrives goes to `Cluster::deliver` whatever it holds.

use super::{timer_index, Due, World};
use crate::paxos::{Msg, NodeId, Role, TimerKind};
use crate::sim::command::{DropReason, Event, MsgId};
use crate::sim::network::{slot, InFlight};

impl World {
    pub(super) fn tick(&mut self, ev: &mut Vec<Event>) {
        match self.next_due() {
            Some(Due::Message { id, at }) => {
                self.time = self.time.max(at);
                if let Some(m) = self.net.take(id) {
                    self.arrive(m, true, ev);
                }
            }
            Some(Due::Timer { node, at }) => {
                self.time = self.time.max(at);
                self.fire_timer(node, ev);
            }
            None => {}
        }
    }

    /// Why a message cannot arrive, if it cannot: a crash, the partition, or (when the network
    /// itself delivers it) the loss rate.
    fn stopped(&mut self, m: &InFlight, by_network: bool) -> Option<DropReason> {
        if !self.is_up(m.to) {
            Some(DropReason::ReceiverCrashed)
        } else if !self.net.connected(m.from, m.to) {
            Some(DropReason::Partitioned)
        } else if by_network && self.loss > 0 && self.rng.percent(self.loss) {
            Some(DropReason::Lost)
        } else {
            None
        }
    }

    /// A message reaches its receiver, unless something stops it.
    pub(super) fn arrive(&mut self, m: InFlight, by_network: bool, ev: &mut Vec<Event>) {
        if let Some(reason) = self.stopped(&m, by_network) {
            ev.push(Event::Dropped { id: m.id, reason });
            return;
        }
        if by_network && self.duplicate > 0 && self.rng.percent(self.duplicate) {
            let copy = self.put_on_wire(m.from, m.to, m.msg);
            ev.push(Event::Duplicated { id: m.id, copy: copy.id, due: copy.due });
        }
        ev.push(Event::Delivered { id: m.id });
        let mut out = self.take_scratch();
        let ctx = self.ctx;
        let watched = self.watch(m.to);
        self.nodes.deliver(m.from, m.to, m.msg, &ctx, &mut out);
        self.observe(m.to, watched, "");
        self.effects(m.to, out, ev);
    }

    pub(super) fn duplicate_msg(&mut self, id: MsgId, ev: &mut Vec<Event>) {
        if let Some(m) = self.net.get(id).copied() {
            let copy = self.put_on_wire(m.from, m.to, m.msg);
            ev.push(Event::Duplicated { id, copy: copy.id, due: copy.due });
        }
    }

    pub(super) fn put_on_wire(&mut self, from: NodeId, to: NodeId, msg: Msg) -> InFlight {
        let id = self.next_id;
        self.next_id += 1;
        let (lo, hi) = self.latency;
        let due = self.time + self.rng.range(lo as u64, hi as u64);
        let m = InFlight { id, from, to, msg, sent_at: self.time, due };
        self.net.push(m);
        m
    }

    pub(super) fn set_timer(&mut self, node: NodeId, kind: TimerKind) {
        let t = self.cfg.timeout as u64;
        let wait = match (kind, self.backoff) {
            // A client waits longer than a proposer, so the leader's own retry comes first.
            (TimerKind::Retry, _) if node.role == Role::Client => 2 * t,
            (TimerKind::Retry, false) => t,
            (TimerKind::Retry, true) => t + self.rng.below(t),
            (TimerKind::Backoff, _) => 1 + self.rng.below(t),
        };
        self.timers[timer_index(node)] = Some(self.time + wait);
    }

    pub(super) fn fire_timer(&mut self, node: NodeId, ev: &mut Vec<Event>) {
        self.timers[timer_index(node)] = None;
        ev.push(Event::TimedOut { node });
        let mut out = self.take_scratch();
        let ctx = self.ctx;
        self.nodes.timeout(node, &ctx, &mut out);
        self.effects(node, out, ev);
    }

    /// A crash. What the node sent that is still in flight dies with it, at once: a restart
    /// does not bring it back. (One simple, fixed rule, so what a lesson says about a crash is
    /// true whenever the node comes back.)
    pub(super) fn crash(&mut self, node: NodeId, ev: &mut Vec<Event>) {
        self.down |= 1 << slot(node);
        self.nodes.crash(node);
        if matches!(node.role, Role::Proposer | Role::Client) {
            self.timers[timer_index(node)] = None;
        }
        self.oracle.on_crash(node);
        ev.push(Event::Crashed { node });
        while let Some(id) = self.net.in_flight().iter().find(|m| m.from == node).map(|m| m.id) {
            self.net.take(id);
            ev.push(Event::Dropped { id, reason: DropReason::SenderCrashed });
        }
    }

    pub(super) fn restart(&mut self, node: NodeId, ev: &mut Vec<Event>) {
        self.down &= !(1 << slot(node));
        let amnesia = self.is_amnesiac(node);
        ev.push(Event::Restarted { node, amnesia });
        let watched = self.watch(node);
        self.nodes.restart(node, amnesia);
        self.observe(node, watched, " (an amnesia restart wiped its disk)");
    }
}
