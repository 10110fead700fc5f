//! libphonenumber's `isValidNumber` on the embedded metadata, with every pattern
//! compiled once (the `phonenumber` crate's validator walks the same steps, but
//! through a shared regex cache and with prefix matches, see below).
//!
//! The crate looks every pattern up by its source text in one LRU cache of 100
//! compiled regexes behind a mutex, hashing the (long) pattern with SipHash on
//! each use; the `+1` plan alone has more than 100 patterns across its 25
//! regions, so they are evicted and recompiled all the time. Here each calling
//! code's patterns are compiled once, on first use, and kept.
//!
//! The decision is libphonenumber's, step by step (in the crate:
//! `validator::is_valid_with`, `source_for`, `number_type`, `Descriptor::is_match`):
//!
//! 1. A code with one region reads the number with that region's metadata (the
//!    non-geographic `001` with the code's first entry).
//! 2. A code shared by several regions picks the first region, in the
//!    database's order, whose leading-digits pattern matches at the start of the
//!    number or, for a region without one, whose number type is known.
//! 3. The number is valid when its type in that region is known: the general
//!    pattern matches and so does the pattern of one of the types (premium rate,
//!    toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line,
//!    mobile). A pattern matches when the length is one of its possible lengths
//!    (when it lists any) and the regex matches the whole number (the crate only
//!    asks for a match starting at position 0).
//!
//! `tests::agrees_with_phonenumber` holds this to the crate's answer on the same
//! metadata with whole-number patterns (`plan/crate_ref.rs`).

use std::sync::OnceLock;

use phonenumber::Metadata;

use super::metadata::database;
use regex::{Regex, RegexBuilder};

/// One number pattern: its possible lengths (empty: any) and its regex, anchored at
/// the start.
struct Pattern {
    lengths: Vec<u16>,
    regex: Regex,
}

impl Pattern {
    fn new(desc: &phonenumber::metadata::Descriptor) -> Option<Self> {
        Some(Pattern {
            lengths: desc.possible_length().to_vec(),
            regex: anchored(desc.national_number().as_str())?,
        })
    }

    fn matches(&self, national: &str) -> bool {
        let len = u16::try_from(national.len()).unwrap_or(u16::MAX);
        (self.lengths.is_empty() || self.lengths.contains(&len)) && self.regex.is_match(national)
    }
}

/// `source` as the crate compiles it (whitespace ignored), matching the whole number
/// (libphonenumber's `matchNationalNumber` without prefix matching; the crate only
/// asks for a match starting at position 0, which accepts `+86 101234567` through a
/// pattern that matches its first seven digits).
///
/// Unicode is off: `\d` then means ASCII digits only, which is all a national number
/// holds, and the regexes compile several times faster and smaller.
fn anchored(source: &str) -> Option<Regex> {
    // The newline ends a `#` comment, should a pattern ever carry one.
    RegexBuilder::new(&format!("^(?:{source}\n)$"))
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok()
}

/// `source` matched from position 0 (libphonenumber's `lookingAt`), for leading digits.
fn at_start(source: &str) -> Option<Regex> {
    RegexBuilder::new(&format!("^(?:{source}\n)"))
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok()
}

/// One region's rules. The leading-digits pattern is compiled with the code's rules;
/// the type patterns only when a number is first checked against this region (most
/// numbers of a shared code never reach most of its regions).
struct RegionRules {
    meta: &'static Metadata,
    leading_digits: Option<Regex>,
    patterns: OnceLock<Option<Patterns>>,
}

/// The general pattern and the patterns of the number types `number_type` can answer.
struct Patterns {
    general: Pattern,
    types: Vec<Pattern>,
}

impl Patterns {
    fn new(meta: &Metadata) -> Option<Self> {
        let d = meta.descriptors();
        // Only whether some type matches is asked, so the order is free: the types most
        // numbers are come first, and a valid number usually stops at the first pattern.
        let types = [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ];
        Some(Patterns {
            general: Pattern::new(d.general())?,
            types: types
                .into_iter()
                .flatten()
                .map(Pattern::new)
                .collect::<Option<_>>()?,
        })
    }
}

impl RegionRules {
    fn new(meta: &'static Metadata) -> Option<Self> {
        Some(RegionRules {
            meta,
            leading_digits: match meta.leading_digits() {
                Some(p) => Some(at_start(p.as_str())?),
                None => None,
            },
            patterns: OnceLock::new(),
        })
    }

    fn patterns(&self) -> Option<&Patterns> {
        self.patterns
            .get_or_init(|| Patterns::new(self.meta))
            .as_ref()
    }

    /// `number_type(meta, national) != Type::Unknown`.
    fn type_known(&self, national: &str) -> bool {
        self.patterns().is_some_and(|p| {
            p.general.matches(national) && p.types.iter().any(|t| t.matches(national))
        })
    }
}

/// The rules of one calling code: the region that reads every number, or the
/// candidate regions in the database's order.
enum CodeRules {
    Single(RegionRules),
    Shared(Vec<RegionRules>),
}

impl CodeRules {
    fn new(cc: u16) -> Option<Self> {
        let regions = database().region(&cc)?;
        if let [only] = regions.as_slice() {
            let meta = if *only == "001" {
                database().by_code(&cc)?.into_iter().next()?
            } else {
                only.parse::<phonenumber::country::Id>().ok()?;
                database().by_id(*only)?
            };
            return Some(CodeRules::Single(RegionRules::new(meta)?));
        }
        regions
            .iter()
            .map(|r| RegionRules::new(database().by_id(*r)?))
            .collect::<Option<_>>()
            .map(CodeRules::Shared)
    }

    fn is_valid(&self, national: &str) -> bool {
        match self {
            CodeRules::Single(r) => r.type_known(national),
            CodeRules::Shared(regions) => {
                for r in regions {
                    match &r.leading_digits {
                        Some(lead) => {
                            if lead.is_match(national) {
                                return r.type_known(national);
                            }
                        }
                        None => {
                            if r.type_known(national) {
                                return true;
                            }
                        }
                    }
                }
                false
            }
        }
    }
}

/// Compiled rules per calling code (codes are below 1000), built on first use
/// (`None`: a code the database does not know, or whose metadata does not compile).
fn rules(cc: u16) -> Option<&'static CodeRules> {
    static TABLE: [OnceLock<Option<CodeRules>>; 1000] = [const { OnceLock::new() }; 1000];
    TABLE
        .get(usize::from(cc))?
        .get_or_init(|| CodeRules::new(cc))
        .as_ref()
}

/// Whether the number `+cc national` is valid, as libphonenumber's `isValidNumber`
/// decides on the embedded metadata. `national` is the national significant number
/// in ASCII digits, an Italian leading zero included.
pub(super) fn is_valid(cc: u16, national: &str) -> bool {
    rules(cc).is_some_and(|r| r.is_valid(national))
}

/// Whether `number` fits the general pattern and lengths of `meta`, a region of
/// calling code `cc` (libphonenumber's `matchNationalNumber` on the general
/// descriptor, as its parser asks before and after stripping a national prefix).
pub(super) fn general_match(cc: u16, meta: &Metadata, number: &str) -> bool {
    let regions: &[RegionRules] = match rules(cc) {
        Some(CodeRules::Single(r)) => std::slice::from_ref(r),
        Some(CodeRules::Shared(all)) => all,
        None => &[],
    };
    regions
        .iter()
        .find(|r| r.meta.id() == meta.id())
        .and_then(RegionRules::patterns)
        .is_some_and(|p| p.general.matches(number))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use proptest::prelude::*;

    use super::is_valid;
    use crate::identity::phone::plan::crate_ref::crate_is_valid;

    fn codes() -> Vec<u16> {
        let mut v: Vec<u16> = DATABASE_CODES.iter().copied().collect();
        v.sort_unstable();
        v
    }

    static DATABASE_CODES: std::sync::LazyLock<std::collections::BTreeSet<u16>> =
        std::sync::LazyLock::new(|| {
            crate::identity::phone::metadata::database()
                .iter()
                .map(phonenumber::Metadata::country_code)
                .collect()
        });

    fn check(cc: u16, national: &str) {
        assert_eq!(
            is_valid(cc, national),
            crate_is_valid(cc, national),
            "+{cc} {national}"
        );
    }

    #[test]
    fn agrees_with_phonenumber_on_every_example_number() {
        // Each type's example number, and the same with its last digit changed,
        // one digit dropped and one added, for every region.
        for meta in crate::identity::phone::metadata::database().iter() {
            let cc = meta.country_code();
            let d = meta.descriptors();
            let descs = [
                Some(d.general()),
                d.fixed_line(),
                d.mobile(),
                d.toll_free(),
                d.premium_rate(),
                d.shared_cost(),
                d.personal_number(),
                d.voip(),
                d.pager(),
                d.uan(),
                d.voicemail(),
            ];
            for ex in descs.into_iter().flatten().filter_map(|x| x.example()) {
                let ex = ex.trim_start_matches('0');
                if ex.is_empty() {
                    continue;
                }
                check(cc, ex);
                let mut bumped = ex[..ex.len() - 1].to_owned();
                let last = ex.as_bytes()[ex.len() - 1];
                bumped.push(char::from(b'0' + (last - b'0' + 1) % 10));
                check(cc, &bumped);
                check(cc, &ex[..ex.len() - 1]);
                check(cc, &format!("{ex}7"));
            }
        }
    }

    #[test]
    fn agrees_with_phonenumber_on_every_nanp_area_code() {
        // Every area code with a typical and an edge exchange, across +1's 25 regions.
        for npa in 200..1000 {
            for rest in ["5550123", "2345678", "9110000", "1234567", "0000000"] {
                check(1, &format!("{npa}{rest}"));
            }
        }
    }

    #[test]
    fn unknown_codes_are_invalid() {
        assert!(!is_valid(0, "2025550123"));
        assert!(!is_valid(999, "2025550123"));
        assert!(!crate_is_valid(999, "2025550123"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn agrees_with_phonenumber(
            i in 0usize..1000,
            first in b'1'..=b'9',
            rest in proptest::collection::vec(b'0'..=b'9', 1..16),
        ) {
            let codes = codes();
            let cc = codes[i % codes.len()];
            let mut national = String::from(char::from(first));
            national.extend(rest.into_iter().map(char::from));
            check(cc, &national);
        }

        #[test]
        fn agrees_with_phonenumber_on_nanp(
            npa in 200u32..1000,
            nxx in 0u32..1000,
            line in 0u32..10000,
        ) {
            check(1, &format!("{npa:03}{nxx:03}{line:04}"));
        }
    }
}
