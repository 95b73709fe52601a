//! Symmetry for the explorer: acceptors are interchangeable, and so are learners. Renaming them
//! maps a world to one that can do exactly the same things, so the explorer stores one
//! representative of each family of renamed worlds: the one with the smallest encoding.
//!
//! A node in amnesia mode (on the config's list) is renamed only to another such node.
//!
//! Proposers are not renamed: a ballot's owner breaks ties between equal rounds, so swapping two
//! proposers changes which ballot is higher. Clients are not part of the explorer's state.
//!
//! Finding the smallest encoding over every renaming would cost n! encodings. Instead each
//! acceptor (and learner) gets a signature that no renaming changes (its own state, and what is
//! on the wire to and from it); nodes are ordered by signature, and only nodes with equal
//! signatures are tried in every order. The smallest encoding over those orders is the same for
//! any two renamed worlds, so the representative is exact. When too many nodes tie (more than 24
//! orders), the first order is used: still sound (the world stored is a renaming of the one
//! reached), only less compact.

use super::codec::{Scratch, ValueTable, MSG_BYTES};
use super::World;
use crate::paxos::{NodeId, Role};

/// Orders tried at most per world.
const MAX_ORDERS: usize = 24;

/// A renaming: the new index of each acceptor and of each learner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Perm {
    /// `acc[old] = new`.
    pub acc: [u8; 9],
    /// `lrn[old] = new`.
    pub lrn: [u8; 5],
}

impl Perm {
    /// Nobody renamed.
    pub const ID: Perm = Perm { acc: [0, 1, 2, 3, 4, 5, 6, 7, 8], lrn: [0, 1, 2, 3, 4] };

    /// The node's new name.
    pub fn node(&self, n: NodeId) -> NodeId {
        match n.role {
            Role::Acceptor => NodeId::acceptor(self.acc[n.index as usize]),
            Role::Learner => NodeId::learner(self.lrn[n.index as usize]),
            Role::Client | Role::Proposer => n,
        }
    }

    /// The node's new slot (see `network::slot`).
    pub fn slot(&self, s: u8) -> u8 {
        match s {
            8..=16 => 8 + self.acc[(s - 8) as usize],
            17..=21 => 17 + self.lrn[(s - 17) as usize],
            _ => s,
        }
    }

    /// A set of acceptors (bit i is A(i+1)), renamed.
    pub fn acc_bits(&self, bits: u16) -> u16 {
        // Walks the set bits only: the explorer renames several sets per state it encodes.
        let (mut left, mut out) = (bits & 0x1FF, 0);
        while left != 0 {
            out |= 1 << self.acc[left.trailing_zeros() as usize];
            left &= left - 1;
        }
        out
    }

    /// A set of slots, renamed.
    pub fn slot_bits(&self, bits: u32) -> u32 {
        let (mut left, mut out) = (bits & 0x3F_FFFF, 0);
        while left != 0 {
            out |= 1 << self.slot(left.trailing_zeros() as u8);
            left &= left - 1;
        }
        out
    }

    /// The renaming that undoes this one.
    pub fn inverse(&self) -> Perm {
        let mut p = Perm::ID;
        for (old, new) in self.acc.iter().enumerate() {
            p.acc[*new as usize] = old as u8;
        }
        for (old, new) in self.lrn.iter().enumerate() {
            p.lrn[*new as usize] = old as u8;
        }
        p
    }

    /// This renaming, then `next`.
    pub fn then(&self, next: &Perm) -> Perm {
        Perm { acc: self.acc.map(|a| next.acc[a as usize]), lrn: self.lrn.map(|l| next.lrn[l as usize]) }
    }
}

fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

/// What an acceptor is, whatever it is called: no renaming changes it. `recs` are the world's
/// message records.
fn acceptor_signature(w: &World, i: usize, vt: &ValueTable, recs: &[[u8; MSG_BYTES]]) -> u64 {
    let a = &w.acceptors()[i];
    let me = 8 + i as u8;
    let ballot =
        |b: Option<crate::paxos::Ballot>| b.map_or(0, |b| ((b.round as u64) << 8) | (b.proposer.index as u64 + 1));
    let mut h = mix(ballot(a.promised), ballot(a.accepted.map(|p| p.ballot)));
    h = mix(h, a.accepted.map_or(0xFF, |p| vt.index(p.value)) as u64);
    h = mix(h, w.is_up(NodeId::acceptor(i as u8)) as u64);
    // Nodes in amnesia mode are only renamed among themselves (see `to_perm`), so they never
    // tie with the others.
    h = mix(h, w.is_amnesiac(NodeId::acceptor(i as u8)) as u64);
    for p in w.proposers() {
        let (promises, accepts) = super::codec::counted(p);
        h = mix(h, ((promises >> i) & 1) as u64 | (((accepts >> i) & 1) as u64) << 1);
    }
    h = mix(h, w.oracle().voter_signature(i));
    // What is on the wire to and from it, as a sum so the order of messages does not matter.
    let mut wire = 0u64;
    for rec in recs.iter().filter(|r| r[0] == me || r[1] == me) {
        let (f, t) = (rec[0], rec[1]);
        let mut x = record_hash(rec);
        x = mix(x, (f == me) as u64 | ((t == me) as u64) << 1);
        // The other end, unless it is an acceptor too (whose name may change).
        let other = if f == me { t } else { f };
        x = mix(x, if (8..17).contains(&other) { 0xAA } else { other as u64 });
        wire = wire.wrapping_add(x);
    }
    mix(h, wire)
}

/// A hash of a message record's content (its kind, ballots and values; not its ends). Its own
/// function, not the explorer's fingerprint, so the order of nodes (and with it which of several
/// equally short counterexamples the search meets first) does not change with the seen-table's
/// hashing.
fn record_hash(rec: &[u8; MSG_BYTES]) -> u64 {
    let mut word = [0u8; 8];
    word[..MSG_BYTES - 2].copy_from_slice(&rec[2..]);
    let h = (0x243F_6A88_85A3_08D3u64 ^ (MSG_BYTES - 2) as u64).rotate_left(5) ^ u64::from_le_bytes(word);
    let mut h = h.wrapping_mul(0x517C_C1B7_2722_0A95);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

/// What a learner is, whatever it is called.
fn learner_signature(w: &World, j: usize, vt: &ValueTable, recs: &[[u8; MSG_BYTES]]) -> u64 {
    let l = &w.learners()[j];
    let mut h = mix(l.learned.map_or(0xFF, |v| vt.index(v)) as u64, w.is_up(NodeId::learner(j as u8)) as u64);
    h = mix(h, w.is_amnesiac(NodeId::learner(j as u8)) as u64);
    if l.learned.is_none() {
        let mut tallies = 0u64;
        for t in &l.tallies {
            let x = mix((t.ballot.round as u64) << 8 | t.ballot.proposer.index as u64, vt.index(t.value) as u64);
            tallies = tallies.wrapping_add(mix(x, t.voters.count_ones() as u64));
        }
        h = mix(h, tallies);
    }
    let me = 17 + j as u8;
    let mut wire = 0u64;
    for rec in recs.iter().filter(|r| r[1] == me) {
        wire = wire.wrapping_add(record_hash(rec));
    }
    mix(h, wire)
}

/// The order that sorts nodes by signature (old indices in new order), and whether two tie.
fn base_order(sigs: &[u64]) -> ([u8; 9], bool) {
    let mut order = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    let o = &mut order[..sigs.len()];
    crate::small_sort::sort_by_key(o, |i| (sigs[*i as usize], *i));
    let ties = o.windows(2).any(|p| sigs[p[0] as usize] == sigs[p[1] as usize]);
    (order, ties)
}

/// The orders that put nodes in signature order: each lists the old indices in new order.
/// Nodes that tie are tried in every order, unless that makes more than `MAX_ORDERS`.
fn orders(sigs: &[u64]) -> Vec<[u8; 9]> {
    let (base, _) = base_order(sigs);
    let n = sigs.len();
    let mut groups = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && sigs[base[end] as usize] == sigs[base[start] as usize] {
            end += 1;
        }
        if end - start > 1 {
            groups.push((start, end));
        }
        start = end;
    }
    let count: usize = groups.iter().map(|(s, e)| (1..=e - s).product::<usize>()).product();
    if count > MAX_ORDERS {
        return vec![base];
    }
    let mut out = vec![base];
    for (s, e) in groups {
        let mut next = Vec::with_capacity(out.len() * (1..=e - s).product::<usize>());
        for o in &out {
            // Each group starts in ascending order (the base order breaks ties by index), so
            // stepping through lexicographic permutations visits each once.
            let mut v = *o;
            loop {
                next.push(v);
                if !next_permutation(&mut v[s..e]) {
                    break;
                }
            }
        }
        out = next;
    }
    out
}

/// Steps `xs` to its next lexicographic permutation; false when it was the last.
fn next_permutation(xs: &mut [u8]) -> bool {
    let Some(i) = (1..xs.len()).rev().find(|&i| xs[i - 1] < xs[i]) else {
        return false;
    };
    let j = (i..xs.len()).rev().find(|&j| xs[j] > xs[i - 1]).unwrap_or(i);
    xs.swap(i - 1, j);
    xs[i..].reverse();
    true
}

/// The renaming that puts nodes in `order` (old indices, sorted). A node in amnesia mode can
/// only take the name of another in amnesia mode, since amnesia belongs to the name (the
/// config): so the k-th node of a class in `order` takes the k-th name of that class.
/// `class[old]` is each node's class.
fn to_perm(order: &[u8], class: &[bool]) -> [u8; 9] {
    let mut p = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    let names = |c: bool| (0..class.len() as u8).filter(move |i| class[*i as usize] == c);
    let (mut plain, mut amnesiac) = (names(false), names(true));
    for old in order.iter().take(class.len()) {
        let name = if class[*old as usize] { amnesiac.next() } else { plain.next() };
        p[*old as usize] = name.unwrap_or(*old);
    }
    p
}

impl World {
    /// Appends the encoding of the representative of this world's family of renamings to
    /// `out`, and returns the renaming that makes this world into it.
    pub fn encode_canonical(&self, vt: &ValueTable, out: &mut Vec<u8>, scratch: &mut Scratch) -> Perm {
        self.records(vt, &mut scratch.recs, &scratch.known, scratch.moved);
        let Scratch { recs, renamed, bytes, tallies, .. } = scratch;
        let (na, nl) = (self.acceptors().len(), self.learners().len());
        let mut acc = [0u64; 9];
        for (i, sig) in acc.iter_mut().enumerate().take(na) {
            *sig = acceptor_signature(self, i, vt, recs);
        }
        let mut lrn = [0u64; 5];
        for (j, sig) in lrn.iter_mut().enumerate().take(nl) {
            *sig = learner_signature(self, j, vt, recs);
        }
        let mut acc_class = [false; 9];
        for (i, c) in acc_class.iter_mut().enumerate().take(na) {
            *c = self.is_amnesiac(NodeId::acceptor(i as u8));
        }
        let mut lrn_class = [false; 5];
        for (j, c) in lrn_class.iter_mut().enumerate().take(nl) {
            *c = self.is_amnesiac(NodeId::learner(j as u8));
        }
        let perm_of = |ao: &[u8], lo: &[u8]| {
            let mut perm = Perm::ID;
            perm.acc = to_perm(ao, &acc_class[..na]);
            perm.lrn.copy_from_slice(&to_perm(lo, &lrn_class[..nl])[..5]);
            perm
        };
        // Most worlds have no ties: one order, encoded straight into `out`.
        let ((ao, acc_ties), (lo, lrn_ties)) = (base_order(&acc[..na]), base_order(&lrn[..nl]));
        if !acc_ties && !lrn_ties {
            let perm = perm_of(&ao[..na], &lo[..nl]);
            self.encode_with(vt, &perm, recs, out, renamed, tallies);
            return perm;
        }
        let (acc_orders, lrn_orders) = (orders(&acc[..na]), orders(&lrn[..nl]));
        let start = out.len();
        let mut best: Option<Perm> = None;
        for ao in &acc_orders {
            for lo in &lrn_orders {
                let perm = perm_of(ao, lo);
                bytes.clear();
                self.encode_with(vt, &perm, recs, bytes, renamed, tallies);
                if best.is_none() || bytes.as_slice() < &out[start..] {
                    out.truncate(start);
                    out.extend_from_slice(bytes);
                    best = Some(perm);
                }
            }
        }
        best.unwrap_or(Perm::ID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::{Kind, NodeId};
    use crate::sim::{Command, Config, Pick, Script};

    fn canonical(w: &World) -> Vec<u8> {
        let vt = ValueTable::new([crate::paxos::Value::new("X").unwrap(), crate::paxos::Value::new("Y").unwrap()]);
        let mut out = Vec::new();
        w.encode_canonical(&vt, &mut out, &mut Scratch::default());
        out
    }

    #[test]
    fn worlds_that_differ_only_in_which_acceptor_did_what_are_one_state() {
        let run = |first: u8, crash: u8| {
            let mut s = Script::new(Config::default(), 1).unwrap();
            s.request(NodeId::client(0), "X").deliver(Pick::kind(Kind::Request));
            s.deliver(Pick::kind(Kind::Prepare).to(NodeId::acceptor(first)));
            s.run(Command::Crash { node: NodeId::acceptor(crash) });
            s.world().clone()
        };
        let a = run(0, 2);
        assert_eq!(canonical(&a), canonical(&run(1, 0)));
        assert_eq!(canonical(&a), canonical(&run(2, 1)));
        assert_ne!(canonical(&a), canonical(&run(0, 0)), "promising and crashing are not the same as one doing both");
    }

    #[test]
    fn a_node_in_amnesia_mode_is_renamed_only_to_another_in_amnesia_mode() {
        let run = |first: u8| {
            let mut cfg = Config::default();
            cfg.amnesia.insert(NodeId::acceptor(1));
            let mut s = Script::new(cfg, 1).unwrap();
            s.request(NodeId::client(0), "X").deliver(Pick::kind(Kind::Request));
            s.deliver(Pick::kind(Kind::Prepare).to(NodeId::acceptor(first)));
            s.world().clone()
        };
        assert_eq!(canonical(&run(0)), canonical(&run(2)), "A1 and A3 are interchangeable");
        assert_ne!(canonical(&run(0)), canonical(&run(1)), "A2, which forgets on restart, is not");
    }

    #[test]
    fn renamings_compose_and_invert() {
        let p = Perm { acc: [2, 0, 1, 3, 4, 5, 6, 7, 8], lrn: [1, 0, 2, 3, 4] };
        assert_eq!(p.then(&p.inverse()), Perm::ID);
        assert_eq!(p.node(NodeId::acceptor(0)), NodeId::acceptor(2));
        assert_eq!(p.acc_bits(0b011), 0b101);
        assert_eq!(p.slot(8), 10);
    }
}
