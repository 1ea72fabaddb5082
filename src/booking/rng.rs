//! A tiny seeded PRNG (SplitMix64) kept inside the machine's state, so that jitter is reproducible and the
//! state serialises; no global RNG, no clock.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// Seed from text and a number (task id and creation time), FNV-1a mixed.
    pub fn seeded(text: &str, n: u64) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in text.bytes().chain(n.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng::new(h)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// `base` ±20 %.
    pub fn jitter(&mut self, base: u64) -> u64 {
        let span = base / 5;
        if span == 0 {
            return base;
        }
        let offset = self.next_u64() % (2 * span + 1);
        base.saturating_sub(span).saturating_add(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_twenty_percent_and_varies() {
        let mut r = Rng::seeded("t1", 42);
        let xs: Vec<u64> = (0..200).map(|_| r.jitter(3000)).collect();
        assert!(xs.iter().all(|x| (2400..=3600).contains(x)));
        assert!(xs.iter().any(|x| *x != xs[0]));
        assert_eq!(
            Rng::seeded("t1", 42).next_u64(),
            Rng::seeded("t1", 42).next_u64()
        );
        assert_eq!(r.jitter(0), 0);
        assert!(
            r.jitter(u64::MAX) >= u64::MAX / 5 * 4,
            "huge intervals do not overflow"
        );
    }
}
