//! The explorer's memory of states it has seen: an open-addressing table from a 64-bit
//! fingerprint to the state's parent and the action that reached it (for the counterexample).
//! About 20 bytes a slot, kept between 3/8 and 3/4 full.

/// Fingerprints of seen states, each with its parent and the action that led to it.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    keys: Vec<u64>,
    parents: Vec<u64>,
    actions: Vec<u32>,
    len: usize,
}

/// Zero marks an empty slot, so a real fingerprint of zero is stored as one.
fn key(fp: u64) -> u64 {
    fp.max(1)
}

impl Seen {
    /// An empty table.
    pub fn new() -> Self {
        Seen { keys: vec![0; 1 << 12], parents: vec![0; 1 << 12], actions: vec![0; 1 << 12], len: 0 }
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
        let mut i = (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20) as usize & mask;
        while self.keys[i] != 0 && self.keys[i] != k {
            i = (i + 1) & mask;
        }
        i
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
        self.parents[i] = parent;
        self.actions[i] = action;
        self.len += 1;
        true
    }

    /// The parent and action of a stored state.
    pub fn get(&self, fp: u64) -> Option<(u64, u32)> {
        let k = key(fp);
        let i = self.slot(k);
        (self.keys[i] == k).then(|| (self.parents[i], self.actions[i]))
    }

    fn grow(&mut self) {
        let old = std::mem::replace(
            self,
            Seen {
                keys: vec![0; self.keys.len() * 2],
                parents: vec![0; self.keys.len() * 2],
                actions: vec![0; self.keys.len() * 2],
                len: 0,
            },
        );
        for i in 0..old.keys.len() {
            if old.keys[i] != 0 {
                let j = self.slot(old.keys[i]);
                self.keys[j] = old.keys[i];
                self.parents[j] = old.parents[i];
                self.actions[j] = old.actions[i];
                self.len += 1;
            }
        }
    }
}

/// A fast 64-bit hash of a byte string (word-at-a-time multiply-rotate, then a final mix).
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        h = (h.rotate_left(5) ^ w).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(0x517C_C1B7_2722_0A95);
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
