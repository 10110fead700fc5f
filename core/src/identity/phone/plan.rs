//! Country code and national number from canonical digits, following
//! libphonenumber's parsing rules on the embedded metadata (`metadata.rs`), then
//! `valid.rs` for validity.
//!
//! `phonenumber::parse` is not used: it strips a national prefix even after a
//! written country code (`+7 800 123-45-67` loses its `8`), strips it twice in
//! national form (`8 800 …` in Russia), and rejects `+33…` when the default
//! region is US. The rules below are those of libphonenumber's
//! `maybeExtractCountryCode` and `maybeStripNationalPrefixAndCarrierCode`.

use compact_str::CompactString;

use phonenumber::{Metadata, Type};

use super::{E164, Region, metadata::database};

/// Shortest national significant number (libphonenumber `MIN_LENGTH_FOR_NSN`).
const MIN_NSN: usize = 2;
/// Longest national significant number (libphonenumber `MAX_LENGTH_FOR_NSN`).
const MAX_NSN: usize = 17;

/// Splits the country calling code off digits written after `+` or an
/// international prefix. Codes are prefix-free, so the first 1–3 digit
/// prefix that is an assigned code is it.
pub(super) fn split_country_code(digits: &str) -> Option<(u16, &str)> {
    (1..=3).find_map(|n| {
        let code: u16 = digits.get(..n)?.parse().ok()?;
        let assigned = !digits.starts_with('0') && database().region(&code).is_some();
        assigned.then(|| (code, digits.get(n..).unwrap_or("")))
    })
}

/// The metadata used to read numbers of calling code `cc`: its main region.
fn metadata_for_code(cc: u16) -> Option<&'static Metadata> {
    let all = database().by_code(&cc)?;
    let main = all.iter().find(|m| m.is_main_country_for_code()).copied();
    main.or_else(|| all.first().copied())
}

/// The national (trunk) prefix of the main region of calling code `cc`.
pub(super) fn national_prefix_for_code(cc: u16) -> Option<&'static str> {
    metadata_for_code(cc)?
        .national_prefix()
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A full number written internationally: `digits` follow the `+`.
pub(super) fn international(digits: &str) -> Result<E164, &'static str> {
    if let Some(national) = digits.strip_prefix('1').and_then(nanp_ten) {
        return validate(1, national);
    }
    general_international(digits)
}

/// Ten digits, the first `2`–`9`: the shape of every North American national number.
fn nanp_ten(d: &str) -> Option<&str> {
    let ok = d.len() == 10
        && matches!(d.as_bytes().first(), Some(b'2'..=b'9'))
        && d.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(d)
}

/// The national number of digits written nationally in a `+1` (North American)
/// region, when they have the plan's shape: ten digits whose first is `2`–`9`, or
/// eleven led by the trunk prefix `1`. Such digits are the number `+1` and the
/// national number, valid or not; this is the one statement of the rule, which
/// merge uses to key phone cells and `Phone::parse` to skip the general
/// national-prefix rules (the answer they give: a proptest holds it to that).
///
/// ```
/// use creator_crm::identity::nanp_national;
/// assert_eq!(nanp_national("4155550134"), Some("4155550134"));
/// assert_eq!(nanp_national("14155550134"), Some("4155550134"));
/// assert_eq!(nanp_national("1155550134"), None);
/// assert_eq!(nanp_national("415555013"), None);
/// ```
pub fn nanp_national(digits: &str) -> Option<&str> {
    nanp_ten(digits).or_else(|| digits.strip_prefix('1').and_then(nanp_ten))
}

/// [`international`] by libphonenumber's rules, for any calling code.
fn general_international(digits: &str) -> Result<E164, &'static str> {
    let (cc, rest) = split_country_code(digits).ok_or("unknown country code")?;
    let national = match metadata_for_code(cc) {
        Some(meta) => strip_national_prefix(meta, rest),
        None => rest.to_owned(),
    };
    validate(cc, &national)
}

/// A full number written nationally in `region`.
pub(super) fn national(digits: &str, region: Region) -> Result<E164, &'static str> {
    if region.country_code() == 1
        && let Some(national) = nanp_national(digits)
    {
        return validate(1, national);
    }
    general_national(digits, region)
}

/// [`national`] by libphonenumber's rules, for any region.
fn general_national(digits: &str, region: Region) -> Result<E164, &'static str> {
    let meta = region.metadata().ok_or("unknown region")?;
    let cc = meta.country_code();
    // A national number may start with the region's own country code (`1 650…` in the US).
    let cc_text = cc.to_string();
    let mut number = digits.to_owned();
    if let Some(rest) = digits.strip_prefix(cc_text.as_str()) {
        let potential = strip_national_prefix(meta, rest);
        let better = !general_match(meta, digits) && general_match(meta, &potential);
        if better || length(meta, digits) == Length::TooLong {
            number = potential;
        }
    }
    let national = strip_national_prefix(meta, &number);
    validate(cc, &national)
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode` followed by its
/// length test: the stripped number is kept only if its length is possible.
fn strip_national_prefix(meta: &Metadata, number: &str) -> String {
    match national_prefix_stripped(meta, number) {
        Some(potential)
            if matches!(length(meta, &potential), Length::Possible | Length::TooLong) =>
        {
            potential
        }
        _ => number.to_owned(),
    }
}

fn national_prefix_stripped(meta: &Metadata, number: &str) -> Option<String> {
    // The original stays when it fits the plan and the stripped number does not.
    let keep_original =
        |candidate: &str| general_match(meta, number) && !general_match(meta, candidate);
    let Some(pattern) = meta.national_prefix_for_parsing() else {
        // Without a parsing pattern the national prefix itself is the pattern.
        let prefix = meta.national_prefix().filter(|p| !p.is_empty())?;
        let candidate = number.strip_prefix(prefix)?;
        return (!keep_original(candidate)).then(|| candidate.to_owned());
    };
    let captures = pattern.captures(number)?;
    let whole = captures.get(0)?;
    if whole.start() != 0 || number.is_empty() {
        return None;
    }
    let rest = number.get(whole.end()..)?;
    let last_group = captures.len().saturating_sub(1);
    let transform = meta
        .national_prefix_transform_rule()
        .filter(|rule| !rule.is_empty());
    let candidate = match transform {
        Some(rule) if last_group > 0 && captures.get(last_group).is_some() => {
            let mut out = expand(rule, |g| captures.get(g).map(|m| m.as_str()));
            out.push_str(rest);
            out
        }
        _ => rest.to_owned(),
    };
    (!keep_original(&candidate)).then_some(candidate)
}

/// Expands `$1`-style group references of a transform rule.
fn expand<'a>(rule: &str, capture: impl Fn(usize) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(rule.len() + 4);
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        let group = (c == '$')
            .then(|| chars.peek().and_then(|d| d.to_digit(10)))
            .flatten();
        match group {
            Some(g) => {
                chars.next();
                let index = usize::try_from(g).unwrap_or(usize::MAX);
                out.push_str(capture(index).unwrap_or(""));
            }
            None => out.push(c),
        }
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Length {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    Invalid,
}

/// The number types whose lengths and patterns make up the general descriptor.
const TYPES: [Type; 10] = [
    Type::FixedLine,
    Type::Mobile,
    Type::TollFree,
    Type::PremiumRate,
    Type::SharedCost,
    Type::PersonalNumber,
    Type::Voip,
    Type::Pager,
    Type::Uan,
    Type::Voicemail,
];

/// Possible national lengths and local-only lengths of a region. The crate's
/// general descriptor leaves them empty; libphonenumber's metadata builder
/// fills them with the union over the number types, as done here.
fn possible_lengths(meta: &Metadata) -> (Vec<u16>, Vec<u16>) {
    let general = meta.descriptors().general();
    let mut lengths = general.possible_length().to_vec();
    let mut local = general.possible_local_length().to_vec();
    if lengths.is_empty() {
        for desc in TYPES.iter().filter_map(|t| meta.descriptors().get(*t)) {
            lengths.extend_from_slice(desc.possible_length());
            local.extend_from_slice(desc.possible_local_length());
        }
    }
    lengths.sort_unstable();
    lengths.dedup();
    local.sort_unstable();
    local.dedup();
    local.retain(|l| !lengths.contains(l));
    (lengths, local)
}

/// Whether `number` fits the region's general pattern (see [`super::valid::general_match`]).
fn general_match(meta: &Metadata, number: &str) -> bool {
    super::valid::general_match(meta.country_code(), meta, number)
}

/// libphonenumber's `testNumberLength` against the general descriptor.
fn length(meta: &Metadata, number: &str) -> Length {
    let (possible, local) = possible_lengths(meta);
    let len = u16::try_from(number.len()).unwrap_or(u16::MAX);
    if local.contains(&len) {
        return Length::LocalOnly;
    }
    let (Some(&min), Some(&max)) = (possible.first(), possible.last()) else {
        return Length::Invalid;
    };
    if len == min || (len > min && len <= max && possible.contains(&len)) {
        Length::Possible
    } else if len < min {
        Length::TooShort
    } else if len > max {
        Length::TooLong
    } else {
        Length::Invalid
    }
}

/// Checks `(cc, national)` as libphonenumber's `isValidNumber` does (see [`super::valid`]) and
/// writes it in E.164.
fn validate(cc: u16, national: &str) -> Result<E164, &'static str> {
    if national.len() < MIN_NSN {
        return Err("too few digits");
    }
    if national.len() > MAX_NSN {
        return Err("too many digits");
    }
    let valid =
        national.bytes().all(|b| b.is_ascii_digit()) && super::valid::is_valid(cc, national);
    if !valid {
        return Err("not a valid number");
    }
    // Inline (no allocation): an E.164 number has at most 16 bytes.
    let mut number = CompactString::const_new("+");
    number.push_str(itoa::Buffer::new().format(cc));
    number.push_str(national);
    Ok(E164 {
        number,
        country_code: cc,
    })
}

#[cfg(test)]
pub(super) mod crate_ref;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::crate_ref::phone_number;
    use super::*;

    #[test]
    fn built_number_equals_the_crate_s_own() {
        for raw in ["+16502530000", "+390612345678", "+442079460958"] {
            let theirs = phonenumber::parse(None, raw).unwrap();
            let digits = raw.trim_start_matches('+');
            let (cc, national) = split_country_code(digits).unwrap();
            assert_eq!(phone_number(cc, national).unwrap(), theirs, "{raw}");
        }
    }

    #[test]
    fn national_prefix_after_country_code_is_kept_when_it_belongs() {
        assert_eq!(
            international("78001234567").unwrap().as_str(),
            "+78001234567"
        );
        assert_eq!(
            international("113232739151").unwrap().as_str(),
            "+13232739151"
        );
        let ru = Region::parse("RU").unwrap();
        assert_eq!(
            national("88001234567", ru).unwrap().as_str(),
            "+78001234567"
        );
    }

    #[test]
    fn country_codes() {
        assert_eq!(split_country_code("442079460958"), Some((44, "2079460958")));
        assert_eq!(split_country_code("16502530000"), Some((1, "6502530000")));
        assert_eq!(split_country_code("0044"), None);
        assert_eq!(split_country_code("999"), None);
    }

    proptest::proptest! {
        /// The North American shortcut answers as libphonenumber's rules do.
        #[test]
        fn nanp_shortcut_agrees_with_the_general_rules(digits in "[2-9][0-9]{9}") {
            let with_code = format!("1{digits}");
            proptest::prop_assert_eq!(international(&with_code), general_international(&with_code));
            let ca = Region::parse("CA").unwrap();
            for written in [&digits, &with_code] {
                proptest::prop_assert_eq!(
                    national(written, Region::US),
                    general_national(written, Region::US)
                );
                proptest::prop_assert_eq!(national(written, ca), general_national(written, ca));
            }
        }
    }
}
