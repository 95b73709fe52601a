//! One level of the breadth-first search: encoded states back to back in one buffer, so a state
//! costs its bytes and four more, with no allocation of its own.

/// States of one level, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Frontier {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl Frontier {
    /// Appends a state.
    pub fn push(&mut self, state: &[u8]) {
        self.bytes.extend_from_slice(state);
        self.ends.push(self.bytes.len() as u32);
    }

    /// State `i`.
    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    /// States held.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Nothing held?
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes.capacity() + 4 * self.ends.capacity()
    }

    /// Forgets every state, keeping the buffers.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_come_back_in_order() {
        let mut f = Frontier::default();
        f.push(&[1, 2, 3]);
        f.push(&[]);
        f.push(&[9]);
        assert_eq!((f.len(), f.get(0), f.get(1), f.get(2)), (3, &[1u8, 2, 3][..], &[][..], &[9u8][..]));
        f.clear();
        assert!(f.is_empty());
    }
}
