//! Saturation curves: how a raw count (messages, tokens, minutes) becomes a
//! 0–100 signal.
//!
//! A [`Curve`] is configuration; a [`CurveTable`] is the same curve compiled
//! into a lookup table over the integers, so scoring a supporter is a few
//! array reads instead of floating-point powers.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Tables never grow beyond this many entries; inputs past the end of a
/// table are computed directly (exact, only slower).
const MAX_TABLE: u64 = 1 << 16;

/// A monotone curve from a non-negative amount to a score in `0..=100`.
///
/// ```
/// use creator_crm::supporters::Curve;
/// let c = Curve::Exponential { half_at: 3.0 };
/// assert_eq!(c.score(0), 0);
/// assert_eq!(c.score(3), 50);   // half of the way at `half_at`
/// assert_eq!(c.score(30), 100); // saturated
/// let l = Curve::Linear { full_at: 10.0 };
/// assert_eq!(l.score(5), 50);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Curve {
    /// `100 × min(x / full_at, 1)`: straight up to full at `full_at`.
    Linear {
        /// The amount that scores 100.
        full_at: f64,
    },
    /// `100 × (1 − 2^(−x / half_at))`: diminishing returns; `half_at` scores 50,
    /// `2 × half_at` 75, `3 × half_at` 87.5, and so on.
    Exponential {
        /// The amount that scores 50.
        half_at: f64,
    },
}

impl Curve {
    /// Checks the parameter is finite and positive.
    pub fn validate(&self, field: &'static str) -> Result<()> {
        let p = match *self {
            Curve::Linear { full_at } => full_at,
            Curve::Exponential { half_at } => half_at,
        };
        if p.is_finite() && p > 0.0 {
            Ok(())
        } else {
            Err(Error::invalid(
                field,
                "curve parameter must be finite and positive",
            ))
        }
    }

    /// The score of amount `x`, rounded half up, in `0..=100`.
    pub fn score(&self, x: u64) -> u8 {
        // Precision loss above 2^53 is irrelevant: such amounts saturate.
        #[allow(clippy::cast_precision_loss)]
        let x = x as f64;
        let v = match *self {
            Curve::Linear { full_at } => 100.0 * (x / full_at).min(1.0),
            Curve::Exponential { half_at } => 100.0 * (1.0 - (-x / half_at).exp2()),
        };
        // `v` is finite and within 0..=100 for validated curves; clamp anyway.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let s = (v + 0.5).floor().clamp(0.0, 100.0) as u8;
        s
    }

    /// Compiles the curve into a lookup table.
    pub fn table(&self) -> CurveTable {
        let mut values = Vec::new();
        let mut x = 0u64;
        loop {
            let s = self.score(x);
            values.push(s);
            if s >= 100 || x + 1 >= MAX_TABLE {
                break;
            }
            x += 1;
        }
        CurveTable {
            curve: *self,
            values: values.into_boxed_slice(),
        }
    }
}

/// A [`Curve`] compiled into a table over `0..len`; amounts past the table
/// are either saturated (100) or computed directly.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveTable {
    curve: Curve,
    values: Box<[u8]>,
}

impl CurveTable {
    /// The score of amount `x`; equal to [`Curve::score`] for every `x`.
    #[inline]
    pub fn score(&self, x: u64) -> u8 {
        match usize::try_from(x).ok().and_then(|i| self.values.get(i)) {
            Some(&s) => s,
            None if self.values.last() == Some(&100) => 100,
            None => self.curve.score(x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_curve_everywhere() {
        for c in [
            Curve::Exponential { half_at: 3.0 },
            Curve::Exponential { half_at: 250.0 },
            Curve::Linear { full_at: 10.0 },
            Curve::Linear { full_at: 1e9 },
        ] {
            let t = c.table();
            for x in (0..5000).chain([70_000, 1 << 40, u64::MAX]) {
                assert_eq!(t.score(x), c.score(x), "{c:?} at {x}");
            }
        }
    }

    #[test]
    fn curves_are_monotone_and_bounded() {
        let c = Curve::Exponential { half_at: 7.0 };
        let mut prev = 0;
        for x in 0..200 {
            let s = c.score(x);
            assert!(s >= prev && s <= 100);
            prev = s;
        }
        assert_eq!(c.score(u64::MAX), 100);
    }

    #[test]
    fn invalid_parameters_are_rejected() {
        assert!(Curve::Linear { full_at: 0.0 }.validate("chat").is_err());
        assert!(
            Curve::Exponential { half_at: f64::NAN }
                .validate("chat")
                .is_err()
        );
        assert!(Curve::Exponential { half_at: 1.0 }.validate("chat").is_ok());
    }
}
