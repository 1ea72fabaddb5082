//! Deterministic randomness: every "random" value of the simulator comes from here so that a seed
//! reproduces a run exactly.

/// splitmix64 step: a small, well-mixed generator good enough for test data.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes a seed and a list of string parts into one number (stable across runs and platforms).
pub fn hash(seed: u64, parts: &[&str]) -> u64 {
    let mut h = mix(seed);
    for p in parts {
        for b in p.bytes() {
            h = mix(h ^ u64::from(b));
        }
        h = mix(h ^ 0xff);
    }
    h
}

/// `n` bytes derived from a seed and parts.
pub fn bytes(seed: u64, parts: &[&str], n: usize) -> Vec<u8> {
    let mut h = hash(seed, parts);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        h = mix(h);
        for b in h.to_le_bytes() {
            if out.len() < n {
                out.push(b);
            }
        }
    }
    out
}

/// Lower-case hex of `n` chars derived from a seed and parts.
pub fn hex(seed: u64, parts: &[&str], n: usize) -> String {
    let bytes = bytes(seed, parts, n.div_ceil(2));
    let mut s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    s.truncate(n);
    s
}

/// A seeded stream, for choices that depend on the order of events (fault probabilities).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(mix(seed ^ 0x5151_5151))
    }

    /// The next pseudo-random value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = mix(self.0);
        self.0
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        assert_eq!(hash(1, &["a", "b"]), hash(1, &["a", "b"]));
        assert_ne!(hash(1, &["ab"]), hash(1, &["a", "b"]));
        assert_eq!(hex(7, &["x"], 56).len(), 56);
        let mut r = Rng::new(3);
        let u = r.unit();
        assert!((0.0..1.0).contains(&u));
    }
}
