//! The explorer's memory of states it has seen: an open-addressing table from a 64-bit
//! fingerprint to the state's parent and the action that reached it (for the counterexample).
//! 20 bytes a slot, kept between 3/8 and 3/4 full.

/// Fingerprints of seen states, each with its parent and the action that led to it.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    /// Probed on every move, so kept apart: eight to a cache line.
    keys: Vec<u64>,
    /// Written only for new states: the parent's fingerprint (low and high half) and the action.
    info: Vec<[u32; 3]>,
    len: usize,
}

/// Zero marks an empty slot, so a real fingerprint of zero is stored as one.
fn key(fp: u64) -> u64 {
    fp.max(1)
}

impl Seen {
    /// An empty table.
    pub fn new() -> Self {
        Seen { keys: vec![0; 1 << 12], info: vec![[0; 3]; 1 << 12], len: 0 }
    }

    /// States stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Nothing stored?
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held by the table.
    pub fn bytes(&self) -> usize {
        self.keys.len() * 20
    }

    fn slot(&self, k: u64) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = self.home(k);
        while self.keys[i] != 0 && self.keys[i] != k {
            i = (i + 1) & mask;
        }
        i
    }

    /// Asks the processor to start loading the slot where `fp` would go. The explorer calls it
    /// for all of a state's successors before inserting any, so their cache misses overlap
    /// instead of coming one after another.
    #[inline]
    pub fn prefetch(&self, fp: u64) {
        let i = self.home(key(fp));
        #[cfg(target_arch = "x86_64")]
        // SAFETY: prefetching is only a hint; it never faults, even for an address out of bounds,
        // and `i` is in bounds anyway.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(self.keys.as_ptr().add(i) as *const i8);
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = i;
    }

    /// Where probing for key `k` starts.
    fn home(&self, k: u64) -> usize {
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20) as usize & (self.keys.len() - 1)
    }

    /// Stores a new state; false if it was already there (then nothing changes).
    pub fn insert(&mut self, fp: u64, parent: u64, action: u32) -> bool {
        if (self.len + 1) * 4 > self.keys.len() * 3 {
            self.grow();
        }
        let k = key(fp);
        let i = self.slot(k);
        if self.keys[i] == k {
            return false;
        }
        self.keys[i] = k;
        self.info[i] = [parent as u32, (parent >> 32) as u32, action];
        self.len += 1;
        true
    }

    /// The parent and action of a stored state.
    pub fn get(&self, fp: u64) -> Option<(u64, u32)> {
        let k = key(fp);
        let i = self.slot(k);
        let [lo, hi, action] = self.info[i];
        (self.keys[i] == k).then_some((lo as u64 | (hi as u64) << 32, action))
    }

    fn grow(&mut self) {
        let size = self.keys.len() * 2;
        let keys = std::mem::replace(&mut self.keys, vec![0; size]);
        let info = std::mem::replace(&mut self.info, vec![[0; 3]; size]);
        for (k, inf) in keys.into_iter().zip(info).filter(|(k, _)| *k != 0) {
            let j = self.slot(k);
            self.keys[j] = k;
            self.info[j] = inf;
        }
    }
}

/// A fast 64-bit hash of a byte string: two multiply-rotate lanes over 16 bytes at a time (two
/// lanes, so one word's multiply need not wait for the other's), then a final mix.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517C_C1B7_2722_0A95;
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
    let mut a: u64 = 0x243F_6A88_85A3_08D3 ^ bytes.len() as u64;
    let mut b: u64 = 0x1319_8A2E_0370_7344;
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        a = (a.rotate_left(5) ^ word(&c[..8])).wrapping_mul(K);
        b = (b.rotate_left(5) ^ word(&c[8..])).wrapping_mul(K);
    }
    // The last bytes: as the final 16 bytes of the string when it is that long (overlapping the
    // last whole chunk, which the length in the seed keeps apart), so no short copy is needed.
    let rest = chunks.remainder().len();
    let tail: [u8; 16] = match bytes.len() {
        _ if rest == 0 => [0; 16],
        n if n >= 16 => bytes[n - 16..].try_into().unwrap_or([0; 16]),
        _ => {
            let mut t = [0u8; 16];
            t[..rest].copy_from_slice(chunks.remainder());
            t
        }
    };
    a = (a.rotate_left(5) ^ word(&tail[..8])).wrapping_mul(K);
    b = (b.rotate_left(5) ^ word(&tail[8..])).wrapping_mul(K);
    let mut h = a ^ b.rotate_left(29);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_finds_and_grows() {
        let mut s = Seen::new();
        for i in 0..100_000u64 {
            assert!(s.insert(fingerprint(&i.to_le_bytes()), i, i as u32));
        }
        assert_eq!(s.len(), 100_000);
        for i in (0..100_000u64).step_by(997) {
            assert_eq!(s.get(fingerprint(&i.to_le_bytes())), Some((i, i as u32)));
            assert!(!s.insert(fingerprint(&i.to_le_bytes()), 0, 0));
        }
        assert_eq!(s.get(fingerprint(b"never stored")), None);
    }

    #[test]
    fn fingerprints_differ_for_nearby_inputs() {
        assert_ne!(fingerprint(b"abc"), fingerprint(b"abd"));
        assert_ne!(fingerprint(b""), fingerprint(&[0]));
        assert_ne!(fingerprint(&[1; 9]), fingerprint(&[1; 10]));
    }
}
