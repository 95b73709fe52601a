//! A keyed checksum for attempt files: SipHash-2-4 (Aumasson and Bernstein, 2012) with a key
//! built into the app. It detects an edit to a file, accidental or not; it does not stop a
//! determined forger, who can read the key in the app's source and recompute it. Thirty lines
//! here spare the browser build a cryptography crate.

/// The app's key. Public by nature: it ships in every copy of the app.
const KEY: (u64, u64) = (0x7061_786f_7363_6f70, 0x6174_7465_6d70_7431);

/// SipHash-2-4 of `data` under the 128-bit key `(k0, k1)` (little-endian halves).
pub fn siphash24(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    let round = |v: &mut [u64; 4]| {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[2] = v[2].rotate_left(32);
    };
    let chunks = data.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let m = u64::from_le_bytes(c.try_into().expect("chunks of 8"));
        v[3] ^= m;
        round(&mut v);
        round(&mut v);
        v[0] ^= m;
    }
    let mut last = [0u8; 8];
    last[..tail.len()].copy_from_slice(tail);
    let m = u64::from_le_bytes(last) | (data.len() as u64) << 56;
    v[3] ^= m;
    round(&mut v);
    round(&mut v);
    v[0] ^= m;
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

/// The checksum an attempt file carries: `sip24:` and 16 hex digits.
pub fn seal(text: &str) -> String {
    format!("sip24:{:016x}", siphash24(KEY.0, KEY.1, text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference vectors of the SipHash paper: key 00 01 .. 0f, messages 00 01 .. (n-1).
    #[test]
    fn matches_the_reference_vectors() {
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let msg: Vec<u8> = (0..64).collect();
        assert_eq!(siphash24(k0, k1, &msg[..0]), 0x726f_db47_dd0e_0e31);
        assert_eq!(siphash24(k0, k1, &msg[..1]), 0x74f8_39c5_93dc_67fd);
        assert_eq!(siphash24(k0, k1, &msg[..15]), 0xa129_ca61_49be_45e5);
        // And the standard library's own (deprecated) SipHasher, for every length up to 64.
        #[allow(deprecated)]
        for n in 0..64 {
            use std::hash::Hasher;
            let mut h = std::hash::SipHasher::new_with_keys(k0, k1);
            h.write(&msg[..n]);
            assert_eq!(siphash24(k0, k1, &msg[..n]), h.finish(), "length {n}");
        }
    }

    #[test]
    fn one_changed_character_changes_the_seal() {
        let a = seal(r#"{"student":"Ada","reached":[true]}"#);
        assert_eq!(a.len(), 6 + 16);
        assert_ne!(a, seal(r#"{"student":"Ada","reached":[false]}"#));
        assert_ne!(a, seal(r#"{"student":"Adb","reached":[true]}"#));
    }
}
