//! The Multi-Paxos explorer's view of a world: which messages are part of its state, and a
//! fingerprint of that state (the log's counterpart of `codec`, for the search in
//! `explore::multi`).
//!
//! Left out of the state, and never delivered by the search: everything bound for a learner, a
//! Commit to an acceptor, and a Reply to a client. None of them can change a vote, a promise or a
//! proposer: a learner only answers with announcements to clients and catch-up requests (which
//! only make a proposer resend Commits), an acceptor only notes a Commit for display, and a Reply
//! only stops a client from retrying (so a client that never hears it can do everything one that
//! does can). Commits and Replies are checked by the oracle when they are sent.

use super::World;
use crate::paxos::multi::{LogMsg, Stage, MAX_SLOTS};
use crate::paxos::{Msg, NodeId, Role};
use crate::sim::network::InFlight;
use std::hash::{Hash, Hasher};

/// A fast 64-bit hasher for fingerprints (multiply-rotate per word, a final mix). Not for
/// untrusted keys: the explorer hashes only its own states.
#[derive(Clone, Copy, Debug, Default)]
pub struct FpHasher(u64);

impl Hasher for FpHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.write_u64(u64::from_le_bytes(tail) ^ (bytes.len() as u64) << 59);
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    // Lengths hash the same on every platform, so native and wasm searches agree.
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    fn finish(&self) -> u64 {
        let mut h = self.0 ^ 0x243F_6A88_85A3_08D3;
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
}

/// Is this message part of the Multi-Paxos explorer's state in `w` (see the module comment)?
///
/// Also left out: a Promise or Accepted its proposer will ignore from now on, because it is for
/// a ballot or phase the proposer has left, or from an acceptor it already counted (its ballot
/// only rises, unless it restarts with amnesia, so then nothing is left out).
///
/// And once no ballot may start and no node may crash ([`World::mark_last_ballots`], with at
/// most two proposers): a Nack that can change nothing, and a Prepare or Accept the acceptor
/// will refuse with such a Nack. A Nack then only matters if it demotes the candidate or leader
/// of its ballot, or changes whom its proposer follows; with two proposers, a proposer that
/// follows the other one can only ever be told the same again, and without crashes or new
/// ballots nothing undoes a demotion. (The highest round a proposer saw only picks its next
/// ballot, so the fingerprint leaves it out then.)
pub fn log_relevant(w: &World, m: &InFlight) -> bool {
    match (m.to.role, m.msg) {
        (Role::Proposer, Msg::Nack { ballot, promised }) if w.last_ballots => {
            !nack_is_noop(w, m.to, ballot, Some(promised.proposer))
        }
        (Role::Acceptor, Msg::Log(LogMsg::LogPrepare { ballot, .. } | LogMsg::LogAccept { ballot, .. }))
            if w.last_ballots && refused(w, m) =>
        {
            w.config().nacks && !nack_is_noop(w, m.from, ballot, None)
        }
        (Role::Learner, _) => false,
        (Role::Acceptor, Msg::Log(LogMsg::LogCommit { .. })) => false,
        (Role::Client, Msg::Log(LogMsg::LogReply { .. } | LogMsg::LogAnnounce { .. })) => false,
        (Role::Proposer, Msg::Log(LogMsg::LogPromise { ballot, .. })) if !w.is_amnesiac(m.to) => {
            let p = w.log().map(|l| l.proposers[m.to.index as usize]);
            p.is_some_and(|p| {
                p.ballot == Some(ballot) && p.stage == Stage::Preparing && p.promises & (1 << m.from.index) == 0
            })
        }
        (Role::Proposer, Msg::Log(LogMsg::LogAccepted { slot, ballot, .. })) if !w.is_amnesiac(m.to) => {
            let p = w.log().map(|l| l.proposers[m.to.index as usize]);
            p.is_some_and(|p| {
                let s = slot as usize % MAX_SLOTS;
                p.ballot == Some(ballot)
                    && p.stage == Stage::Leading
                    && p.chosen & (1 << s) == 0
                    && p.accepts[s] & (1 << m.from.index) == 0
            })
        }
        (Role::Client | Role::Proposer | Role::Acceptor, _) => true,
    }
}

/// Would a Nack for `ballot` naming `owner` (any owner, if `None`) leave proposer `p` as it is,
/// now and (with no ballot to start and no crash to come) forever?
fn nack_is_noop(w: &World, p: NodeId, ballot: crate::paxos::Ballot, owner: Option<NodeId>) -> bool {
    let Some(q) = w.log().and_then(|l| l.proposers.get(p.index as usize)) else { return true };
    let demotes = q.ballot == Some(ballot) && q.stage != Stage::Follower;
    let follows = |o: NodeId| o == p || q.leader == o;
    !demotes
        && match owner {
            Some(o) => follows(o),
            None => (0..w.config().proposers).all(|i| follows(NodeId::proposer(i))),
        }
}

/// Will the acceptor refuse (or ignore) this Prepare or Accept, now and forever? Its promise
/// only rises, unless it restarts with amnesia.
fn refused(w: &World, m: &InFlight) -> bool {
    if w.is_amnesiac(m.to) {
        return false;
    }
    let Some(promised) = w.log().and_then(|l| l.acceptors.get(m.to.index as usize)).and_then(|a| a.promised) else {
        return false;
    };
    match m.msg {
        Msg::Log(LogMsg::LogPrepare { ballot, .. }) => ballot <= promised,
        Msg::Log(LogMsg::LogAccept { ballot, .. }) => {
            ballot < promised && !w.ctx.off(crate::paxos::Switch::AcceptBelowPromise)
        }
        _ => false,
    }
}

/// Renamings of the acceptors the fingerprint is taken under (`acc[old] = new`): every one, for
/// up to four interchangeable acceptors; none when some acceptor alone restarts with amnesia
/// (then they are not interchangeable) or there are more (24 orders at most).
pub fn acceptor_perms(w: &World) -> Vec<[u8; 9]> {
    let n = w.config().acceptors as usize;
    let id = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    let alone = (0..n as u8).any(|i| w.is_amnesiac(NodeId::acceptor(i)) != w.is_amnesiac(NodeId::acceptor(0)));
    if n > 4 || alone {
        return vec![id];
    }
    let mut out = Vec::new();
    permute(&mut id.clone(), 0, n, &mut out);
    out
}

fn permute(a: &mut [u8; 9], k: usize, n: usize, out: &mut Vec<[u8; 9]>) {
    if k == n {
        out.push(*a);
        return;
    }
    for i in k..n {
        a.swap(k, i);
        permute(a, k + 1, n, out);
        a.swap(k, i);
    }
}

/// A set of acceptors renamed by `acc`.
fn rename_bits(acc: &[u8; 9], bits: u16) -> u16 {
    (0..9).filter(|i| bits & (1 << i) != 0).fold(0, |b, i| b | 1 << acc[i])
}

fn rename(acc: &[u8; 9], n: NodeId) -> NodeId {
    match n.role {
        Role::Acceptor => NodeId::acceptor(acc[n.index as usize]),
        Role::Client | Role::Proposer | Role::Learner => n,
    }
}

impl World {
    /// Copies the Multi-Paxos explorer's state of `src` (a world with the same config) into
    /// this one, reusing its allocations: much cheaper than a clone for every move. The oracle's
    /// list of breaches is not copied (the search stops at harm, and notes a rule once).
    pub fn restore_log_from(&mut self, src: &World) {
        if let (Some(dst), Some(s)) = (self.nodes.log.as_deref_mut(), src.nodes.log.as_deref()) {
            dst.proposers.copy_from_slice(&s.proposers);
            dst.acceptors.copy_from_slice(&s.acceptors);
            dst.clients.copy_from_slice(&s.clients);
            dst.learners.copy_from_slice(&s.learners);
        }
        self.down = src.down;
        self.net.clone_from(&src.net);
        self.next_id = src.next_id;
        self.oracle.copy_history_from(&src.oracle);
        self.time = src.time;
        self.timers = src.timers;
        self.steps = src.steps;
        self.rng.clone_from(&src.rng);
        self.last_ballots = src.last_ballots;
    }

    /// Forgets which acceptors each proposer counted in a slot it knows is chosen: nothing reads
    /// them again (a later Accepted for that slot is ignored before its sender is looked up,
    /// and a new ballot starts every count afresh), so worlds that differ only there behave
    /// alike. For the explorer's partial-order reduction, where Accepteds arrive in one order.
    pub(crate) fn forget_counted_accepts(&mut self) {
        if let Some(log) = self.nodes.log.as_deref_mut() {
            for p in log.proposers.iter_mut() {
                for s in 0..MAX_SLOTS {
                    if p.chosen & (1 << s) != 0 {
                        p.accepts[s] = 0;
                    }
                }
            }
        }
    }

    /// Takes every message that is not part of the log explorer's state off the wire. Ids are
    /// not reused, so the messages that stay keep their ids and their order.
    pub(crate) fn keep_log_relevant(&mut self) {
        let keep: Vec<bool> = self.net.in_flight().iter().map(|m| log_relevant(self, m)).collect();
        let mut k = keep.into_iter();
        self.net.retain(|_| k.next().unwrap_or(true));
    }

    /// A fingerprint of this Multi-Paxos world as the explorer sees it, after `prefix` (the
    /// search's own counters): the smallest over `perms`, so that worlds that differ only in
    /// what their acceptors are called share it. Message ids, clocks, timers and send order are
    /// left out; so are learners (see the module comment), what only narration or display reads
    /// (who reported a vote, which Commits an acceptor noted, which replies and announcements a
    /// client heard), and the oracle's list of breaches (history that changes nothing next).
    /// Call it on a world holding only relevant messages ([`World::keep_log_relevant`]).
    ///
    /// Only the renamings that list the acceptors in the order of their signatures (what each
    /// is, whatever it is called: its promise, votes, whether it is up, and its messages) are
    /// tried: two renamed worlds have the same signatures, so they try the same renamed worlds
    /// and share the smallest fingerprint, and mostly only one renaming is left to hash.
    /// `perms` is one renaming (used as it is) or all of them ([`acceptor_perms`]).
    pub fn log_fingerprint(&self, prefix: &[u8], perms: &[[u8; 9]]) -> u64 {
        let fixed = self.fixed_part(prefix);
        if let [only] = perms {
            return self.log_fingerprint_as(&fixed, only);
        }
        let sigs = self.acceptor_signatures();
        let sorted = |p: &[u8; 9]| {
            let mut inv = [0usize; 9];
            for (old, new) in p.iter().enumerate().take(sigs.len()) {
                inv[*new as usize] = old;
            }
            (1..sigs.len()).all(|j| sigs[inv[j - 1]] <= sigs[inv[j]])
        };
        perms.iter().filter(|p| sorted(p)).map(|p| self.log_fingerprint_as(&fixed, p)).min().unwrap_or(0)
    }

    /// Each acceptor's signature: its own state and the messages to and from it (whose other
    /// end is never an acceptor), so no renaming of acceptors changes it.
    fn acceptor_signatures(&self) -> Vec<u64> {
        let Some(log) = self.log() else { return Vec::new() };
        let mut sigs: Vec<u64> = log
            .acceptors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut h = FpHasher::default();
                (a.promised, a.votes, self.is_up(NodeId::acceptor(i as u8))).hash(&mut h);
                h.finish()
            })
            .collect();
        for m in self.net.in_flight() {
            let (me, other, dir) = match (m.from.role, m.to.role) {
                (_, Role::Acceptor) => (m.to.index, m.from, 0u8),
                (Role::Acceptor, _) => (m.from.index, m.to, 1),
                _ => continue,
            };
            let mut h = FpHasher::default();
            (other, dir, m.msg).hash(&mut h);
            if let Some(s) = sigs.get_mut(me as usize) {
                *s = s.wrapping_add(h.finish());
            }
        }
        sigs
    }

    /// What no renaming of acceptors changes, hashed once for all renamings: the proposers
    /// (but which acceptors they counted), the clients, and each message's content.
    fn fixed_part(&self, prefix: &[u8]) -> Fixed {
        let mut h = FpHasher::default();
        prefix.hash(&mut h);
        if let Some(log) = self.log() {
            for p in &log.proposers {
                let mut p = *p;
                p.reporters = Default::default();
                if self.last_ballots {
                    p.max_round = 0;
                }
                p.promises = 0;
                p.accepts = Default::default();
                p.hash(&mut h);
            }
            for c in &log.clients {
                (c.leader, c.sent).hash(&mut h);
            }
        }
        let (mut wire, mut touching) = (0u64, Vec::new());
        for m in self.net.in_flight() {
            let mut mh = FpHasher::default();
            m.msg.hash(&mut mh);
            let content = mh.finish();
            if m.from.role == Role::Acceptor || m.to.role == Role::Acceptor {
                touching.push((m.from, m.to, content));
            } else {
                wire = wire.wrapping_add(message_hash(m.from, m.to, content));
            }
        }
        Fixed { base: h.finish(), wire, count: self.net.in_flight().len(), touching }
    }

    fn log_fingerprint_as(&self, fixed: &Fixed, acc: &[u8; 9]) -> u64 {
        let mut h = FpHasher::default();
        fixed.base.hash(&mut h);
        let down = (0..32)
            .filter(|s| self.down & (1 << s) != 0)
            .fold(0u32, |d, s| d | 1 << if (8..17).contains(&s) { 8 + acc[s as usize - 8] as u32 } else { s });
        down.hash(&mut h);
        if let Some(log) = self.log() {
            for p in &log.proposers {
                (rename_bits(acc, p.promises), p.accepts.map(|a| if a == 0 { 0 } else { rename_bits(acc, a) }))
                    .hash(&mut h);
            }
            let mut inv = [0u8; 9];
            for (old, new) in acc.iter().enumerate() {
                inv[*new as usize] = old as u8;
            }
            for old in inv.iter().take(log.acceptors.len()) {
                let a = &log.acceptors[*old as usize];
                (a.promised, a.votes).hash(&mut h);
            }
        }
        // The messages as a multiset: each hashed alone, the hashes summed.
        let wire = fixed.touching.iter().fold(fixed.wire, |sum, (from, to, content)| {
            sum.wrapping_add(message_hash(rename(acc, *from), rename(acc, *to), *content))
        });
        (wire, fixed.count).hash(&mut h);
        self.oracle.hash_log_history(&mut h, |bits| rename_bits(acc, bits));
        h.finish()
    }
}

/// The part of a fingerprint no renaming of acceptors changes, and the messages that renamings
/// change (to or from an acceptor: ends and content hash).
struct Fixed {
    base: u64,
    wire: u64,
    count: usize,
    touching: Vec<(NodeId, NodeId, u64)>,
}

/// One message's hash, from its ends and its content's hash.
fn message_hash(from: NodeId, to: NodeId, content: u64) -> u64 {
    let mut mh = FpHasher::default();
    (from, to, content).hash(&mut mh);
    mh.finish()
}
