//! Batch phone parsing with a per-value cache.
//!
//! Real exports repeat each number many times (one row per sample order), and
//! validating a number against the numbering plan costs microseconds, so the
//! parser remembers the result for each distinct raw string, and the
//! number-plan result for each distinct digit string, so that
//! `(+1)3159212129` and `+1 315-921-2129` are validated once.

use std::fmt;

use ahash::AHashMap;

use super::{E164, FIELD, Phone, Region, parse_with, resolve};
use crate::error::{Error, Result};

/// Distinct raw values remembered before the cache starts over (262,144:
/// a few tens of MB at most, far more distinct numbers than one export holds).
pub const DEFAULT_CACHE_CAPACITY: usize = 1 << 18;

/// Parses many phones, reusing the work for repeated values.
///
/// Every result equals what [`Phone::parse`] returns for the same input and
/// region; only the time differs. The cache is bounded: when it holds
/// `capacity` distinct values it is emptied and starts again.
///
/// ```
/// use creator_crm::identity::{PhoneParser, Region};
///
/// let mut parser = PhoneParser::new(Region::US);
/// for raw in ["(+1)3159212129", "315-921-2129", "(+1)3159212129"] {
///     assert_eq!(parser.parse(raw)?.e164().map(|n| n.as_str()), Some("+13159212129"));
/// }
/// assert_eq!(parser.cached_len(), 2);
/// # Ok::<(), creator_crm::Error>(())
/// ```
pub struct PhoneParser {
    region: Region,
    cache: AHashMap<Box<str>, Result<Phone, &'static str>>,
    /// Keyed by (written internationally, significant digits).
    plans: AHashMap<(bool, Box<str>), Result<E164, &'static str>>,
    capacity: usize,
}

impl PhoneParser {
    /// A parser for numbers written without a country code in `region`.
    pub fn new(region: Region) -> Self {
        PhoneParser::with_capacity(region, DEFAULT_CACHE_CAPACITY)
    }

    /// A parser that remembers at most `capacity` distinct values (at least 1).
    pub fn with_capacity(region: Region, capacity: usize) -> Self {
        PhoneParser {
            region,
            cache: AHashMap::new(),
            plans: AHashMap::new(),
            capacity: capacity.max(1),
        }
    }

    /// The region used for numbers written without a country code.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Number of distinct values currently remembered.
    pub fn cached_len(&self) -> usize {
        self.cache.len()
    }

    /// Same result as [`Phone::parse`] with this parser's region.
    ///
    /// # Errors
    /// As [`Phone::parse`].
    pub fn parse(&mut self, raw: &str) -> Result<Phone> {
        let result = match self.cache.get(raw) {
            Some(hit) => hit.clone(),
            None => {
                let (region, capacity, plans) = (self.region, self.capacity, &mut self.plans);
                let fresh = parse_with(raw, region, |international, digits| {
                    if let Some(hit) = plans.get(&(international, Box::from(digits))) {
                        return hit.clone();
                    }
                    let fresh = resolve(international, digits, region);
                    if plans.len() >= capacity {
                        plans.clear();
                    }
                    plans.insert((international, digits.into()), fresh.clone());
                    fresh
                });
                if self.cache.len() >= self.capacity {
                    self.cache.clear();
                }
                self.cache.insert(raw.into(), fresh.clone());
                fresh
            }
        };
        result.map_err(|reason| Error::invalid(FIELD, reason))
    }
}

impl fmt::Debug for PhoneParser {
    // The cache keys are phone numbers: never print them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneParser")
            .field("region", &self.region)
            .field("cached_len", &self.cache.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

/// Parses every value of `raws`; the same results as calling [`Phone::parse`] on each.
///
/// ```
/// use creator_crm::identity::{Region, parse_phones};
///
/// let out = parse_phones(&["(+1)3159212129", "n/a", "(+1)832*****59"], Region::US);
/// assert!(out[0].as_ref().is_ok_and(|p| p.e164().is_some()));
/// assert!(out[1].is_err());
/// assert!(out[2].as_ref().is_ok_and(|p| p.masked().is_some()));
/// ```
pub fn parse_phones<S: AsRef<str>>(raws: &[S], default_region: Region) -> Vec<Result<Phone>> {
    let mut parser = PhoneParser::new(default_region);
    raws.iter().map(|r| parser.parse(r.as_ref())).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn one_validation_per_number_whatever_the_layout() {
        let mut parser = PhoneParser::new(Region::US);
        for raw in [
            "(+1)3159212129",
            "+1 315-921-2129",
            "+1.315.921.2129",
            "(+1)3159212129",
        ] {
            assert_eq!(
                parser.parse(raw).unwrap().e164().unwrap().as_str(),
                "+13159212129"
            );
        }
        assert_eq!((parser.cached_len(), parser.plans.len()), (3, 1));
        // Written nationally, the same digits are a different question.
        parser.parse("315-921-2129").unwrap();
        assert_eq!(parser.plans.len(), 2);
    }
}
