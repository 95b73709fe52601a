//! A small compressor for lesson links: LZ77 matches and literals coded bit by bit with an
//! adaptive binary range coder (the scheme of LZMA, cut down to what a few kilobytes of text
//! need), both primed with a built-in dictionary of the words lessons use.
//!
//! Why not deflate through the browser's `CompressionStream`: it is asynchronous (the address is
//! kept in step with the screen in the same turn), it cannot be tested natively, and it has no
//! preset dictionary, which is what makes a short text short: a 30-beat lesson's captions are
//! mostly words that the dictionary has already taught the coder. This file is the whole codec.

/// Probabilities are 11-bit fixed point, as in LZMA.
const PROB_BITS: u32 = 11;
const ONE: u16 = 1 << PROB_BITS;
/// Adaptation speed: 4 learns faster than LZMA's 5, which suits inputs of a few kilobytes.
const MOVE: u32 = 4;
const TOP: u32 = 1 << 24;
/// Shortest match worth coding.
const MIN_MATCH: usize = 4;
/// Longest match: 4 + 271, the reach of the length code.
const MAX_MATCH: usize = MIN_MATCH + 271;
/// The window (dictionary and text) is at most this long, so distances fit 32 slots.
pub const MAX_INPUT: usize = 60_000;
/// Candidates the match finder looks at per position.
const CHAIN: usize = 96;

/// What the coder is taught before it sees a lesson: English as lessons write it, Paxos terms,
/// and the short forms of runs and goals. Changing it changes every link: a new dictionary
/// needs a new link version.
pub const DICTIONARY: &str = concat!(
    "s=42&n=2.2.3.1&run=q-C1-X~d1~d2~d3~d4~t~t~c-A2~r-A2~o-P1~q-C2-Y~x5~u6~h~p-P1.A1_P2.A2.A3~B1~L10\n",
    "The client C1 asks proposer P1 for the value \"X\". P1 starts ballot 1.1 and sends a Prepare ",
    "to every acceptor. Acceptor A1 promises: it has promised nothing higher, so it promises never ",
    "to accept a lower ballot. A2 promises too. With promises from a majority of the acceptors, P1 ",
    "has a quorum and moves to Phase 2: it must propose the value of the highest-numbered proposal ",
    "the promises report, and only if none reports one is it free to propose its own value. ",
    "P1 sends Accept 1.1 \"X\" and A1 accepts it. When a majority of acceptors accept the same value ",
    "in the same ballot, that value is chosen, even before anyone knows it. The learner L1 learns ",
    "\"X\" once it hears the votes of a quorum; the client hears the outcome from its proposer. ",
    "Now crash A2 and watch what happens when a node is down. Which value must P2 propose? ",
    "Two proposers duel: P2 starts a higher ballot 2.2, the acceptors refuse the older one with a ",
    "Nack, and each retry wastes a round. A message is lost, dropped or duplicated by the network; ",
    "a partition splits the cluster in two and heals later. Safety holds: no two learners learn ",
    "different values. With a rule switched off, safety breaks and the safety panel turns red. ",
    "An acceptor that restarts with amnesia forgets its promise and its vote. Your turn: get a ",
    "value chosen while A3 is down. Predict first: will A3 promise, or refuse? Look at the ",
    "canvas, this is why the intersection of two quorums matters. The network delivers the next ",
    "message; the timer fires and the proposer times out, backs off and tries again. ",
    "Beat, step, caption, highlight, what happens next, because, but, then, here, only, ",
    "{\"type\":\"chosen\",\"value\":\"X\"}{\"type\":\"chosen_while_down\",\"node\":\"A1\"}",
    "{\"type\":\"learned\",\"node\":\"L1\",\"value\":\"Y\"}{\"type\":\"acceptors_disagree\"}",
    "{\"type\":\"refused\",\"ballot\":{\"round\":2,\"proposer\":\"P2\"}}{\"type\":\"safety_breaks\"}",
    "{\"type\":\"heard\",\"client\":\"C2\",\"value\":\"Y\"}{\"type\":\"round\",\"proposer\":\"P1\",\"round\":3}\n",
);

/// Bits coded with adaptive probabilities (the encoder and decoder each implement it).
trait Coder {
    fn bit(&mut self, p: &mut u16, b: u32) -> u32;

    /// `n` bits of `v`, high bit first, through a tree of `probs` (2^n entries).
    fn tree(&mut self, probs: &mut [u16], n: u32, v: u32) -> u32 {
        let mut m = 1usize;
        for i in (0..n).rev() {
            let b = self.bit(&mut probs[m], (v >> i) & 1);
            m = (m << 1) | b as usize;
        }
        m as u32 - (1 << n)
    }
}

fn adapt(p: &mut u16, b: u32) {
    if b == 0 {
        *p += (ONE - *p) >> MOVE;
    } else {
        *p -= *p >> MOVE;
    }
}

struct Encoder {
    low: u64,
    range: u32,
    cache: u8,
    pending: u64,
    out: Vec<u8>,
    /// Priming runs the model without keeping what it writes.
    sink: bool,
}

impl Encoder {
    fn new(sink: bool) -> Self {
        Encoder { low: 0, range: u32::MAX, cache: 0, pending: 1, out: Vec::new(), sink }
    }

    fn shift_low(&mut self) {
        if (self.low as u32) < 0xFF00_0000 || (self.low >> 32) != 0 {
            let carry = (self.low >> 32) as u8;
            let mut b = self.cache;
            while self.pending > 0 {
                if !self.sink {
                    self.out.push(b.wrapping_add(carry));
                }
                b = 0xFF;
                self.pending -= 1;
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.pending += 1;
        self.low = (self.low & 0x00FF_FFFF) << 8;
    }

    fn finish(mut self) -> Vec<u8> {
        for _ in 0..5 {
            self.shift_low();
        }
        // The first byte is always 0 and the decoder reads missing bytes as 0: neither is sent.
        let mut out = self.out.split_off(1.min(self.out.len()));
        while out.last() == Some(&0) {
            out.pop();
        }
        out
    }
}

impl Coder for Encoder {
    fn bit(&mut self, p: &mut u16, b: u32) -> u32 {
        let bound = (self.range >> PROB_BITS) * *p as u32;
        if b == 0 {
            self.range = bound;
        } else {
            self.low += bound as u64;
            self.range -= bound;
        }
        adapt(p, b);
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
        b
    }
}

struct Decoder<'a> {
    code: u32,
    range: u32,
    input: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    fn new(input: &'a [u8]) -> Self {
        let mut d = Decoder { code: 0, range: u32::MAX, input, at: 0 };
        for _ in 0..4 {
            d.code = (d.code << 8) | d.next() as u32;
        }
        d
    }

    fn next(&mut self) -> u8 {
        let b = self.input.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
}

impl Coder for Decoder<'_> {
    fn bit(&mut self, p: &mut u16, _: u32) -> u32 {
        let bound = (self.range >> PROB_BITS) * *p as u32;
        let b = if self.code < bound {
            self.range = bound;
            0
        } else {
            self.code -= bound;
            self.range -= bound;
            1
        };
        adapt(p, b);
        while self.range < TOP {
            self.range <<= 8;
            self.code = (self.code << 8) | self.next() as u32;
        }
        b
    }
}

/// What the coder has learned: one set of probabilities, shared in the same state by both ends.
#[derive(Clone)]
struct Model {
    /// Match or literal, after a literal (0) or a match (1).
    is_match: [u16; 2],
    /// Literal bits, by the class of the byte before (see [`class`]).
    literal: Vec<u16>,
    len_choice: [u16; 2],
    len_low: [u16; 8],
    len_mid: [u16; 8],
    len_high: [u16; 256],
    slot: [u16; 32],
    /// Extra distance bits, by slot and bit position.
    footer: Vec<u16>,
    after_match: usize,
}

impl Model {
    fn new() -> Self {
        let half = ONE / 2;
        Model {
            is_match: [half; 2],
            literal: vec![half; 8 * 256],
            len_choice: [half; 2],
            len_low: [half; 8],
            len_mid: [half; 8],
            len_high: [half; 256],
            slot: [half; 32],
            footer: vec![half; 32 * 16],
            after_match: 0,
        }
    }

    /// The model after it has seen the dictionary.
    fn primed() -> Self {
        let mut m = Model::new();
        let dict = DICTIONARY.as_bytes();
        m.encode(dict, 0, &mut Encoder::new(true));
        m
    }

    fn literal(&mut self, c: &mut impl Coder, prev: u8, byte: u8) -> u8 {
        let ctx = class(prev) * 256;
        c.tree(&mut self.literal[ctx..ctx + 256], 8, byte as u32) as u8
    }

    fn length(&mut self, c: &mut impl Coder, len: usize) -> usize {
        let v = len.wrapping_sub(MIN_MATCH) as u32;
        let l = if c.bit(&mut self.len_choice[0], (v >= 8) as u32) == 0 {
            c.tree(&mut self.len_low, 3, v)
        } else if c.bit(&mut self.len_choice[1], (v >= 16) as u32) == 0 {
            8 + c.tree(&mut self.len_mid, 3, v.wrapping_sub(8))
        } else {
            16 + c.tree(&mut self.len_high, 8, v.wrapping_sub(16))
        };
        l as usize + MIN_MATCH
    }

    /// Distance minus one, as a slot (its bit length and the bit after the top one) and the
    /// bits below.
    fn distance(&mut self, c: &mut impl Coder, d: usize) -> usize {
        let d = d.wrapping_sub(1) as u32;
        let slot = if d < 4 {
            d
        } else {
            let bits = 32 - d.leading_zeros();
            2 * (bits - 1) + ((d >> (bits - 2)) & 1)
        };
        let slot = c.tree(&mut self.slot, 5, slot);
        if slot < 4 {
            return slot as usize + 1;
        }
        let extra = slot / 2 - 1;
        let base = (2 | (slot & 1)) << extra;
        let mut low = 0;
        for i in (0..extra).rev() {
            let p = &mut self.footer[slot as usize * 16 + i as usize];
            low |= c.bit(p, (d.wrapping_sub(base) >> i) & 1) << i;
        }
        (base + low) as usize + 1
    }

    /// Codes `window[start..]`, finding matches anywhere in `window` before them.
    fn encode(&mut self, window: &[u8], start: usize, c: &mut Encoder) {
        let mut finder = Finder::new(window);
        let mut i = start;
        while i < window.len() {
            finder.fill(i);
            let (mut len, dist) = finder.longest(i);
            if !worth(len, dist) {
                len = 0;
            }
            // One step of lazy matching: a longer match at the next byte is worth a literal.
            if len > 0 && i + 1 < window.len() {
                finder.fill(i + 1);
                let (next, next_dist) = finder.longest(i + 1);
                if worth(next, next_dist) && (next > len + 1 || (next > len && next_dist < dist)) {
                    len = 0;
                }
            }
            if len == 0 {
                let prev = if i == 0 { 0 } else { window[i - 1] };
                c.bit(&mut self.is_match[self.after_match], 0);
                self.literal(c, prev, window[i]);
                self.after_match = 0;
                i += 1;
                continue;
            }
            c.bit(&mut self.is_match[self.after_match], 1);
            self.length(c, len);
            self.distance(c, dist);
            self.after_match = 1;
            i += len;
        }
    }

    /// Decodes `n` bytes after `history`.
    fn decode(&mut self, c: &mut Decoder, history: &[u8], n: usize) -> Result<Vec<u8>, String> {
        let mut w = history.to_vec();
        let end = history.len() + n;
        while w.len() < end {
            if c.at > c.input.len() + 8 {
                return Err("the data ends too soon".into());
            }
            if c.bit(&mut self.is_match[self.after_match], 0) == 0 {
                let prev = w.last().copied().unwrap_or(0);
                let b = self.literal(c, prev, 0);
                w.push(b);
                self.after_match = 0;
                continue;
            }
            let len = self.length(c, 0);
            let dist = self.distance(c, 0);
            if dist > w.len() || w.len() + len > end {
                return Err("it refers back past its own start".into());
            }
            for _ in 0..len {
                w.push(w[w.len() - dist]);
            }
            self.after_match = 1;
        }
        Ok(w.split_off(history.len()))
    }
}

/// What kind of byte came before a literal: its context. Eight classes learn fast enough for
/// a few kilobytes, and after a vowel other letters follow than after a consonant.
fn class(prev: u8) -> usize {
    match prev {
        b' ' => 0,
        b'a' | b'e' | b'i' | b'o' | b'u' => 1,
        b'a'..=b'z' => 2,
        b'A'..=b'Z' => 3,
        b'0'..=b'9' => 4,
        b'.' | b',' | b':' | b';' | b'!' | b'?' => 5,
        b'"' | b'\'' | b'(' | b')' => 6,
        _ => 7,
    }
}

/// Is a match of `len` bytes `dist` back cheaper than its bytes as literals? A far match
/// spends more bits on its distance, so a short one is left as letters.
fn worth(len: usize, dist: usize) -> bool {
    match len {
        0..MIN_MATCH => false,
        4 => dist <= 4096,
        _ => true,
    }
}

/// Hash chains over four-byte prefixes.
struct Finder<'a> {
    w: &'a [u8],
    head: Vec<u32>,
    prev: Vec<u32>,
    /// Positions before this one are in the chains.
    filled: usize,
}

const NONE: u32 = u32::MAX;
const HASH_BITS: u32 = 12;

impl<'a> Finder<'a> {
    fn new(w: &'a [u8]) -> Self {
        Finder { w, head: vec![NONE; 1 << HASH_BITS], prev: vec![NONE; w.len()], filled: 0 }
    }

    fn hash(&self, i: usize) -> Option<usize> {
        let b = self.w.get(i..i + MIN_MATCH)?;
        let h = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        Some((h.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize)
    }

    /// Puts every position before `i` into the chains, each once.
    fn fill(&mut self, i: usize) {
        while self.filled < i {
            let k = self.filled;
            if let Some(h) = self.hash(k) {
                self.prev[k] = self.head[h];
                self.head[h] = k as u32;
            }
            self.filled += 1;
        }
    }

    /// The longest earlier match for position `i` (the nearest of equal length): (len, dist).
    fn longest(&self, i: usize) -> (usize, usize) {
        let Some(h) = self.hash(i) else {
            return (0, 0);
        };
        let max = MAX_MATCH.min(self.w.len() - i);
        let (mut best, mut dist) = (0, 0);
        let mut j = self.head[h];
        let mut tries = 0;
        while j != NONE && tries < CHAIN {
            let j_ = j as usize;
            if j_ < i {
                let l = self.w[j_..].iter().zip(&self.w[i..i + max]).take_while(|(a, b)| a == b).count();
                if l > best {
                    (best, dist) = (l, i - j_);
                    if l == max {
                        break;
                    }
                }
                tries += 1;
            }
            j = self.prev[j_];
        }
        (best, dist)
    }
}

/// Compresses `data` (at most [`MAX_INPUT`] bytes less the dictionary).
pub fn compress(data: &[u8]) -> Result<Vec<u8>, String> {
    let dict = DICTIONARY.as_bytes();
    if data.len() + dict.len() > MAX_INPUT {
        return Err(format!("{} bytes is too much to pack into a link", data.len()));
    }
    let mut out = Vec::new();
    write_varint(&mut out, data.len());
    let window = [dict, data].concat();
    let mut enc = Encoder::new(false);
    Model::primed().encode(&window, dict.len(), &mut enc);
    out.extend(enc.finish());
    Ok(out)
}

/// Restores what [`compress`] packed; damaged input is an error, never a panic.
pub fn decompress(packed: &[u8]) -> Result<Vec<u8>, String> {
    let (n, used) = read_varint(packed).ok_or("it is empty or cut short")?;
    if n > MAX_INPUT {
        return Err("the data claims to be larger than any link holds".into());
    }
    let mut dec = Decoder::new(&packed[used..]);
    let out = Model::primed().decode(&mut dec, DICTIONARY.as_bytes(), n)?;
    if dec.at > dec.input.len() + 8 {
        return Err("the data ends too soon".into());
    }
    Ok(out)
}

fn write_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7F) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(b: &[u8]) -> Option<(usize, usize)> {
    let mut n = 0usize;
    for (i, byte) in b.iter().enumerate().take(4) {
        n |= ((byte & 0x7F) as usize) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding (RFC 4648 §5): letters, digits, `-` and `_` survive chat
/// apps, LMS link fields and the address bar unchanged.
pub fn to_base64url(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 4 / 3 + 3);
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, x)| n | (*x as u32) << (16 - 8 * i));
        for k in 0..=chunk.len() {
            s.push(B64[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    s
}

/// Reads URL-safe base64; any other character is an error that names it.
pub fn from_base64url(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = B64.iter().position(|x| *x == c).ok_or_else(|| format!("{:?} is not a link character", c as char))?;
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(data: &[u8]) -> usize {
        let packed = compress(data).unwrap();
        assert_eq!(decompress(&packed).unwrap(), data, "{:?}", String::from_utf8_lossy(data));
        packed.len()
    }

    #[test]
    fn round_trips_text_binary_and_edge_cases() {
        round_trip(b"");
        round_trip(b"a");
        round_trip(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        round_trip(DICTIONARY.as_bytes());
        round_trip("ünïcödé → ✓ \u{1f600}".as_bytes());
        let bytes: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        round_trip(&bytes);
        let long: Vec<u8> = (0..40_000u32).map(|i| b"abcde fghij "[(i % 12) as usize] ^ (i % 7 == 0) as u8).collect();
        round_trip(&long);
    }

    #[test]
    fn lesson_words_shrink_well_below_their_length() {
        let text = "P2 starts ballot 2.2 while A1 is down. A3 promises, but A2 refuses: it already promised 1.1. \
                    Your turn: get \"Y\" chosen before the learner hears the votes for \"X\".";
        let n = round_trip(text.as_bytes());
        assert!(n * 2 < text.len(), "{n} bytes for {} characters", text.len());
    }

    #[test]
    fn damaged_input_is_an_error_not_a_panic() {
        assert!(decompress(&[]).is_err());
        assert!(decompress(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).is_err());
        let good = compress(b"The client C1 asks proposer P1 for the value X, twice and twice again.").unwrap();
        for cut in 0..good.len() {
            let _ = decompress(&good[..cut]);
        }
        for i in 0..good.len() {
            for flip in [1u8, 0x80, 0xFF] {
                let mut bad = good.clone();
                bad[i] ^= flip;
                let _ = decompress(&bad);
            }
        }
    }

    #[test]
    fn base64url_round_trips_and_refuses_other_characters() {
        for n in 0..20usize {
            let b: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let s = to_base64url(&b);
            assert!(s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
            assert_eq!(s.len(), (n * 8).div_ceil(6));
            assert_eq!(from_base64url(&s).unwrap(), b);
        }
        assert!(from_base64url("ab+c").unwrap_err().contains("'+'"));
    }
}
