//! A compact, canonical byte form of the parts of a world that matter to the explorer.
//!
//! Message ids, clocks, timers and the seeded generator are left out: they label or schedule
//! states but do not change what can happen next. Messages to clients and Commits to acceptors are
//! left out too: their content was checked by the oracle when they were sent, and delivering them
//! only updates what a client or acceptor displays. In-flight messages are sorted, so two worlds
//! that differ only in ids or send order encode to the same bytes.

use super::symmetry::Perm;
use super::World;
use crate::paxos::{Ballot, Kind, Msg, NodeId, Phase, Proposal, Role, Value};
use crate::sim::network::{slot, InFlight};

/// The values a run can use, so each fits in a byte.
#[derive(Clone, Debug, Default)]
pub struct ValueTable(Vec<Value>, Vec<u128>);

impl ValueTable {
    /// A table holding `values`.
    pub fn new(values: impl IntoIterator<Item = Value>) -> Self {
        let values: Vec<Value> = values.into_iter().collect();
        let keys = values.iter().map(Value::key).collect();
        ValueTable(values, keys)
    }
    fn put(&self, v: Option<Value>) -> u8 {
        v.map_or(0xFF, |v| self.index(v))
    }
    /// The byte a value is written as (0xFF for a value outside the table).
    pub fn index(&self, v: Value) -> u8 {
        // Looked up for every value in every state the explorer encodes: keys compare fastest.
        let k = v.key();
        self.1.iter().position(|x| *x == k).map_or(0xFF, |i| i as u8)
    }
    fn get(&self, b: u8) -> Option<Value> {
        self.0.get(b as usize).copied()
    }
}

const ROLE_OF_SLOT: [(u8, Role); 4] =
    [(17, Role::Learner), (8, Role::Acceptor), (3, Role::Proposer), (0, Role::Client)];

fn node_of(slot_byte: u8) -> NodeId {
    let (base, role) = ROLE_OF_SLOT.iter().copied().find(|(base, _)| slot_byte >= *base).unwrap_or((0, Role::Client));
    NodeId { role, index: slot_byte - base }
}

fn put_ballot(out: &mut Vec<u8>, b: Option<Ballot>) {
    out.extend_from_slice(&ballot_bytes(b));
}

fn get_ballot(r: &mut Reader) -> Option<Ballot> {
    let (round, p) = (r.u8(), r.u8());
    (round > 0).then(|| Ballot::new(round as u32 - 1, p))
}

fn proposal_bytes(vt: &ValueTable, p: Option<Proposal>) -> [u8; 3] {
    let [b0, b1] = ballot_bytes(p.map(|p| p.ballot));
    [b0, b1, vt.put(p.map(|p| p.value))]
}

fn get_proposal(r: &mut Reader, vt: &ValueTable) -> Option<Proposal> {
    let b = get_ballot(r);
    let v = vt.get(r.u8());
    b.zip(v).map(|(ballot, value)| Proposal { ballot, value })
}

/// Reads bytes in order.
pub struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `b`.
    pub fn new(b: &'a [u8]) -> Self {
        Reader { b, i: 0 }
    }
    /// The next byte (0 past the end, which a well-formed encoding never reaches).
    pub fn u8(&mut self) -> u8 {
        let v = self.b.get(self.i).copied().unwrap_or(0);
        self.i += 1;
        v
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
}

/// Is this message part of the explorer's state in world `w`?
///
/// Left out: messages to clients and Commits to acceptors (display only, checked when sent), and
/// messages to a proposer that can never again change it: a Promise or Accepted for a ballot it
/// has moved past, or a Nack that is stale and names no round above its own. A proposer's ballot
/// only rises, unless it restarts with amnesia, so for an amnesiac proposer nothing is left out.
///
/// Once the explorer may start no more ballots ([`World::last_ballots`]), a Nack can only start
/// one (or delay a proposer, which for safety is no different from its replies never arriving),
/// so Nacks are left out, and so are Prepares and Accepts an acceptor will refuse: refusing
/// changes nothing but sending a Nack.
#[inline]
pub fn relevant(w: &World, m: &InFlight) -> bool {
    match m.to.role {
        Role::Client => false,
        Role::Acceptor => acceptor_relevant(w, m),
        Role::Learner => true,
        Role::Proposer if w.requests_held && m.msg.kind() == Kind::Request => false,
        Role::Proposer if w.is_amnesiac(m.to) => true,
        Role::Proposer if w.last_ballots && m.msg.kind() == Kind::Nack => false,
        Role::Proposer => {
            let p = &w.proposers()[m.to.index as usize];
            let Some(ballot) = m.msg.ballot() else {
                return true;
            };
            // The proposer itself says whether the reply is about a ballot or phase it has left;
            // a Nack it ignores still matters while it names a round above the proposer's own.
            match m.msg {
                Msg::Nack { promised, .. } => p.moved_on(Kind::Nack, ballot).is_none() || promised.round > p.max_round,
                // The explorer does not search Multi-Paxos worlds (it refuses the mode).
                Msg::Log(_) => true,
                Msg::Request { .. }
                | Msg::Prepare { .. }
                | Msg::Promise { .. }
                | Msg::Accept { .. }
                | Msg::Accepted { .. }
                | Msg::Commit { .. }
                | Msg::Reply { .. }
                | Msg::Announce { .. } => p.moved_on(m.msg.kind(), ballot).is_none(),
            }
        }
    }
}

/// Whether a message to an acceptor can still change anything (see [`relevant`]).
fn acceptor_relevant(w: &World, m: &InFlight) -> bool {
    if w.is_amnesiac(m.to) {
        return m.msg.kind() != Kind::Commit;
    }
    let promised = w.acceptors()[m.to.index as usize].promised;
    match m.msg {
        Msg::Commit { .. } => false,
        Msg::Log(_) => true,
        Msg::Prepare { ballot } if w.last_ballots => promised.is_none_or(|p| ballot > p),
        Msg::Accept { ballot, .. } if w.last_ballots => {
            promised.is_none_or(|p| ballot >= p) || w.ctx.off(crate::paxos::Switch::AcceptBelowPromise)
        }
        Msg::Prepare { .. }
        | Msg::Accept { .. }
        | Msg::Request { .. }
        | Msg::Promise { .. }
        | Msg::Nack { .. }
        | Msg::Accepted { .. }
        | Msg::Reply { .. }
        | Msg::Announce { .. } => true,
    }
}

/// A ballot's two bytes (round + 1, proposer; zeros for none).
#[inline(always)]
fn ballot_bytes(b: Option<Ballot>) -> [u8; 2] {
    match b {
        Some(b) => [b.round.min(254) as u8 + 1, b.proposer.index],
        None => [0, 0],
    }
}

/// The promises and votes a proposer has counted, as far as they are part of the state: only in
/// the phase that counts them (symmetry's signatures must see exactly what is encoded).
pub(crate) fn counted(p: &crate::paxos::Proposer) -> (u16, u16) {
    match p.phase {
        Phase::Preparing => (p.promises, 0),
        Phase::Accepting => (0, p.accepts),
        Phase::Idle | Phase::BackingOff | Phase::Done => (0, 0),
    }
}

/// Scratch space for encoding, reused between worlds so encoding allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    pub(crate) recs: Vec<[u8; MSG_BYTES]>,
    /// Renamed records, each as one big-endian number (so they sort in one compare each).
    pub(crate) renamed: Vec<u128>,
    pub(crate) bytes: Vec<u8>,
    pub(crate) tallies: Vec<crate::paxos::learner::Tally>,
    /// Records of the messages with ids 1, 2, … of the world last decoded with
    /// [`World::decode_primed`]: a record depends only on its message, and a move leaves most
    /// messages on the wire with their ids (new ones get higher ids).
    pub(crate) known: Vec<[u8; MSG_BYTES]>,
    /// Set while encoding a world one move from the world `known` was read from, with the same
    /// flags: the node whose state the move changed, if any. Whether a message is part of the
    /// state depends only on the message, its receiver's state and the flags, and every message
    /// of a decoded world is part of its state; so a message the two worlds share, bound for
    /// another node, is still part of it, and only the others need [`relevant`].
    pub(crate) moved: Option<Option<NodeId>>,
}

/// Bytes per encoded message.
pub const MSG_BYTES: usize = 9;

/// A message's canonical record (what the encoding sorts and stores), with its ends renamed by
/// `perm`. Built as one array: it is read back as a whole right away, and a record written a byte
/// at a time stalls that read.
#[inline]
pub fn message_record(vt: &ValueTable, m: &InFlight, perm: &Perm) -> [u8; MSG_BYTES] {
    let (b, v, x): (Option<Ballot>, Option<Value>, Option<Proposal>) = match m.msg {
        Msg::Request { value } | Msg::Reply { value } | Msg::Announce { value } => (None, Some(value), None),
        Msg::Prepare { ballot } => (Some(ballot), None, None),
        Msg::Promise { ballot, accepted } => (Some(ballot), None, accepted),
        Msg::Nack { ballot, promised } => {
            (Some(ballot), None, Some(Proposal { ballot: promised, value: Value::new("-").expect("valid") }))
        }
        Msg::Accept { ballot, value } | Msg::Accepted { ballot, value } | Msg::Commit { ballot, value } => {
            (Some(ballot), Some(value), None)
        }
        Msg::Log(_) => (m.msg.ballot(), None, None),
    };
    let [b0, b1] = ballot_bytes(b);
    let [x0, x1] = ballot_bytes(x.map(|p| p.ballot));
    [
        perm.slot(slot(m.from) as u8),
        perm.slot(slot(m.to) as u8),
        m.msg.kind().index() as u8,
        b0,
        b1,
        vt.put(v),
        x0,
        x1,
        vt.put(x.map(|p| p.value)),
    ]
}

fn get_msg(r: &mut Reader, vt: &ValueTable) -> (NodeId, NodeId, Msg) {
    let (from, to, kind) = (node_of(r.u8()), node_of(r.u8()), r.u8());
    let b = get_ballot(r).unwrap_or(Ballot::new(0, 0));
    let v = vt.get(r.u8());
    let xb = get_ballot(r);
    let xv = vt.get(r.u8());
    let value = v.unwrap_or_else(|| Value::new("?").expect("valid"));
    let msg = match kind {
        0 => Msg::Request { value },
        1 => Msg::Prepare { ballot: b },
        2 => Msg::Promise { ballot: b, accepted: xb.zip(xv).map(|(ballot, value)| Proposal { ballot, value }) },
        3 => Msg::Nack { ballot: b, promised: xb.unwrap_or(b) },
        4 => Msg::Accept { ballot: b, value },
        5 => Msg::Accepted { ballot: b, value },
        6 => Msg::Commit { ballot: b, value },
        7 => Msg::Reply { value },
        // Only this module writes these bytes, and 8 is the last kind.
        _ => Msg::Announce { value },
    };
    (from, to, msg)
}

fn phase_byte(p: Phase) -> u8 {
    match p {
        Phase::Idle => 0,
        Phase::Preparing => 1,
        Phase::Accepting => 2,
        Phase::BackingOff => 3,
        Phase::Done => 4,
    }
}

fn byte_phase(b: u8) -> Phase {
    [Phase::Idle, Phase::Preparing, Phase::Accepting, Phase::BackingOff, Phase::Done][(b as usize).min(4)]
}

impl World {
    /// Tells the world whether the explorer may still start a ballot from it (see [`relevant`]),
    /// without changing what is on the wire.
    pub(crate) fn mark_last_ballots(&mut self, last: bool) {
        self.last_ballots = last;
    }

    /// May the explorer no longer start a ballot from this world?
    pub(crate) fn last_ballots(&self) -> bool {
        self.last_ballots
    }

    /// Tells the world that the requests still on the wire will never be delivered.
    pub(crate) fn hold_requests(&mut self) {
        self.requests_held = true;
    }

    /// [`World::mark_last_ballots`], then takes what is no longer relevant off the wire.
    pub(crate) fn set_last_ballots(&mut self, last: bool) {
        self.last_ballots = last;
        if last {
            let keep: Vec<bool> = self.net.in_flight().iter().map(|m| relevant(self, m)).collect();
            let mut k = keep.into_iter();
            self.net.retain(|_| k.next().unwrap_or(true));
        }
    }

    /// Copies the explorer state of `src` (a world with the same config) into this one, reusing
    /// this world's allocations. Much cheaper than decoding again for each action.
    pub fn restore_from(&mut self, src: &World) {
        self.nodes.proposers.copy_from_slice(&src.nodes.proposers);
        self.nodes.acceptors.copy_from_slice(&src.nodes.acceptors);
        for (l, s) in self.nodes.learners.iter_mut().zip(&src.nodes.learners) {
            l.learned = s.learned;
            l.tallies.clone_from(&s.tallies);
        }
        self.down = src.down;
        self.net.clone_from(&src.net);
        self.next_id = src.next_id;
        self.oracle.copy_history_from(&src.oracle);
        self.time = 0;
        self.timers = [None; 8];
        self.last_ballots = src.last_ballots;
        self.requests_held = src.requests_held;
    }

    /// Appends the canonical encoding of this world's explorer state to `out`.
    pub fn encode_state(&self, vt: &ValueTable, out: &mut Vec<u8>, scratch: &mut Scratch) {
        self.records(vt, &mut scratch.recs, &scratch.known, scratch.moved);
        let Scratch { recs, renamed, tallies, .. } = scratch;
        self.encode_with(vt, &Perm::ID, recs, out, renamed, tallies);
    }

    /// The records of the messages that are part of the state (see [`relevant`]), unrenamed.
    /// `known` holds records already made, by message id from 1, and `moved` says which of
    /// them are still part of the state (see `Scratch::known` and `Scratch::moved`).
    pub(crate) fn records(
        &self,
        vt: &ValueTable,
        recs: &mut Vec<[u8; MSG_BYTES]>,
        known: &[[u8; MSG_BYTES]],
        moved: Option<Option<NodeId>>,
    ) {
        recs.clear();
        for m in self.net.in_flight() {
            let rec = known.get((m.id as usize).wrapping_sub(1));
            let kept = match (rec, moved) {
                (Some(_), Some(changed)) if changed != Some(m.to) => true,
                _ => relevant(self, m),
            };
            if kept {
                recs.push(rec.copied().unwrap_or_else(|| message_record(vt, m, &Perm::ID)));
            }
        }
    }

    /// The encoding of this world with its acceptors and learners renamed by `perm`; `recs` are
    /// its [`World::records`], `renamed` and `tallies` scratch space.
    pub(crate) fn encode_with(
        &self,
        vt: &ValueTable,
        perm: &Perm,
        recs: &[[u8; MSG_BYTES]],
        out: &mut Vec<u8>,
        renamed: &mut Vec<u128>,
        tallies: &mut Vec<crate::paxos::learner::Tally>,
    ) {
        // Without symmetry, and for many worlds with it, nothing is renamed: skip the renaming.
        let identity = *perm == Perm::ID;
        // Each node is written as one fixed array: a byte-at-a-time push checks capacity for
        // every byte, and encoding is most of what the explorer does per move.
        for p in self.proposers() {
            // What a proposer counted only matters in the phase that counts it: promises and the
            // highest reported vote in Phase 1, votes in Phase 2 (a new ballot starts both from
            // nothing). Leaving the rest out merges worlds that can do exactly the same things.
            let (promises, accepts) = counted(p);
            let [b0, b1] = ballot_bytes(p.ballot);
            let [h0, h1, h2] = proposal_bytes(vt, p.highest_reported.filter(|_| p.phase == Phase::Preparing));
            let [pr0, pr1] = perm.acc_bits(promises).to_le_bytes();
            let [ac0, ac1] = perm.acc_bits(accepts).to_le_bytes();
            out.extend_from_slice(&[
                // The highest round a proposer has seen only picks its next ballot; once no
                // ballot may start it changes nothing (and a Nack that raises it is left out).
                if self.last_ballots { 0 } else { p.max_round.min(255) as u8 },
                phase_byte(p.phase),
                b0,
                b1,
                vt.put(p.value),
                h0,
                h1,
                h2,
                pr0,
                pr1,
                ac0,
                ac1,
                // `proposed` and `waiting` only shape narration and replies to clients, and
                // `leader` only what is displayed: none changes what can happen, so none is part
                // of the state.
                vt.put(p.decided),
            ]);
        }
        let inv = if identity { Perm::ID } else { perm.inverse() };
        for new in 0..self.acceptors().len() {
            let a = &self.acceptors()[inv.acc[new] as usize];
            let [b0, b1] = ballot_bytes(a.promised);
            let [v0, v1, v2] = proposal_bytes(vt, a.accepted);
            out.extend_from_slice(&[b0, b1, v0, v1, v2]);
        }
        for new in 0..self.learners().len() {
            let l = &self.learners()[inv.lrn[new] as usize];
            out.push(vt.put(l.learned));
            // Tallies are kept in arrival order; the state is the same whatever the order. Once a
            // learner has learned, it ignores votes, so its tallies no longer matter.
            tallies.clear();
            if l.learned.is_none() {
                tallies.extend_from_slice(&l.tallies);
            }
            out.push(tallies.len() as u8);
            crate::small_sort::sort_by_key(tallies, |t| (t.ballot, t.value));
            for t in tallies.iter() {
                let [b0, b1] = ballot_bytes(Some(t.ballot));
                let [v0, v1] = perm.acc_bits(t.voters).to_le_bytes();
                out.extend_from_slice(&[b0, b1, vt.put(Some(t.value)), v0, v1]);
            }
        }
        out.extend_from_slice(&perm.slot_bits(self.down).to_le_bytes());
        // Each record as one number, zero-padded big-endian: numbers sort in the records' byte
        // order, one compare each.
        let key = |r: &[u8; MSG_BYTES]| {
            let mut k = [0u8; 16];
            k[..MSG_BYTES].copy_from_slice(r);
            u128::from_be_bytes(k)
        };
        renamed.clear();
        if identity {
            renamed.extend(recs.iter().map(key));
        } else {
            renamed.extend(recs.iter().map(|r| {
                let mut r = *r;
                (r[0], r[1]) = (perm.slot(r[0]), perm.slot(r[1]));
                key(&r)
            }));
        }
        crate::small_sort::sort(renamed);
        out.push(renamed.len().min(255) as u8);
        for k in renamed.iter() {
            out.extend_from_slice(&k.to_be_bytes()[..MSG_BYTES]);
        }
        self.oracle.encode(out, |v| vt.put(Some(v)), put_ballot, |bits| perm.acc_bits(bits));
    }

    /// Overwrites this world's explorer state from `bytes` (made by [`World::encode_state`] on a
    /// world with the same config). Messages get ids 1, 2, … in their canonical order.
    pub fn decode_state(&mut self, vt: &ValueTable, bytes: &[u8]) -> usize {
        self.decode_into(vt, bytes, &mut Vec::new())
    }

    /// [`World::decode_state`], also keeping each message's record in `scratch` for encoding the
    /// worlds one move away (see `Scratch::known`): a message decodes from its record and
    /// encodes back to the same record, so the record is read rather than made again.
    pub fn decode_primed(&mut self, vt: &ValueTable, bytes: &[u8], scratch: &mut Scratch) -> usize {
        self.decode_into(vt, bytes, &mut scratch.known)
    }

    fn decode_into(&mut self, vt: &ValueTable, bytes: &[u8], known: &mut Vec<[u8; MSG_BYTES]>) -> usize {
        let mut r = Reader::new(bytes);
        for p in &mut self.nodes.proposers {
            p.max_round = r.u8() as u32;
            p.phase = byte_phase(r.u8());
            p.ballot = get_ballot(&mut r);
            p.value = vt.get(r.u8());
            p.highest_reported = get_proposal(&mut r, vt);
            p.proposed = None;
            p.promises = r.u16();
            p.accepts = r.u16();
            p.decided = vt.get(r.u8());
            // Who reported the adopted value only feeds narration, so states do not differ by it.
            p.reporters = 0;
        }
        for a in &mut self.nodes.acceptors {
            a.promised = get_ballot(&mut r);
            a.accepted = get_proposal(&mut r, vt);
            a.committed = None;
        }
        for l in &mut self.nodes.learners {
            l.learned = vt.get(r.u8());
            let n = r.u8();
            l.tallies.clear();
            for _ in 0..n {
                let ballot = get_ballot(&mut r).unwrap_or(Ballot::new(0, 0));
                let value = vt.get(r.u8()).unwrap_or_else(|| Value::new("?").expect("valid"));
                let voters = r.u16();
                l.tallies.push(crate::paxos::learner::Tally { ballot, value, voters });
            }
        }
        self.down = r.u32();
        let n = r.u8() as u32;
        self.net.clear();
        known.clear();
        for i in 0..n {
            if let Some(rec) = bytes.get(r.i..r.i + MSG_BYTES) {
                known.push(rec.try_into().unwrap_or([0; MSG_BYTES]));
            }
            let (from, to, msg) = get_msg(&mut r, vt);
            self.net.push(InFlight { id: i + 1, from, to, msg, sent_at: 0, due: 0 });
        }
        self.next_id = n + 1;
        self.oracle.decode(&mut r, |b| vt.get(b), get_ballot);
        self.time = 0;
        self.timers = [None; 8];
        r.i
    }
}
