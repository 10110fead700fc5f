//! US states, DC, territories and military "states", by code and by name.

use std::sync::LazyLock;

/// `(code, name)` for every state, DC, the territories and the armed forces codes.
const STATES: &[(&str, &str)] = &[
    ("AL", "alabama"),
    ("AK", "alaska"),
    ("AZ", "arizona"),
    ("AR", "arkansas"),
    ("CA", "california"),
    ("CO", "colorado"),
    ("CT", "connecticut"),
    ("DE", "delaware"),
    ("FL", "florida"),
    ("GA", "georgia"),
    ("HI", "hawaii"),
    ("ID", "idaho"),
    ("IL", "illinois"),
    ("IN", "indiana"),
    ("IA", "iowa"),
    ("KS", "kansas"),
    ("KY", "kentucky"),
    ("LA", "louisiana"),
    ("ME", "maine"),
    ("MD", "maryland"),
    ("MA", "massachusetts"),
    ("MI", "michigan"),
    ("MN", "minnesota"),
    ("MS", "mississippi"),
    ("MO", "missouri"),
    ("MT", "montana"),
    ("NE", "nebraska"),
    ("NV", "nevada"),
    ("NH", "new hampshire"),
    ("NJ", "new jersey"),
    ("NM", "new mexico"),
    ("NY", "new york"),
    ("NC", "north carolina"),
    ("ND", "north dakota"),
    ("OH", "ohio"),
    ("OK", "oklahoma"),
    ("OR", "oregon"),
    ("PA", "pennsylvania"),
    ("RI", "rhode island"),
    ("SC", "south carolina"),
    ("SD", "south dakota"),
    ("TN", "tennessee"),
    ("TX", "texas"),
    ("UT", "utah"),
    ("VT", "vermont"),
    ("VA", "virginia"),
    ("WA", "washington"),
    ("WV", "west virginia"),
    ("WI", "wisconsin"),
    ("WY", "wyoming"),
    ("DC", "district of columbia"),
    ("DC", "washington dc"),
    ("DC", "washington d c"),
    ("PR", "puerto rico"),
    ("GU", "guam"),
    ("VI", "virgin islands"),
    ("VI", "us virgin islands"),
    ("VI", "u s virgin islands"),
    ("VI", "united states virgin islands"),
    ("AS", "american samoa"),
    ("MP", "northern mariana islands"),
    ("UM", "united states minor outlying islands"),
    ("AA", "armed forces americas"),
    ("AE", "armed forces europe"),
    ("AP", "armed forces pacific"),
];

/// The two-letter code of a US state, DC or territory from its name or code, any case.
///
/// Dots and extra spaces are ignored (`TX.`, `t.x.`, `New  York`, `D.C.`).
///
/// ```
/// use creator_crm::identity::us_state_code;
///
/// assert_eq!(us_state_code("Texas"), Some("TX"));
/// assert_eq!(us_state_code(" tx. "), Some("TX"));
/// assert_eq!(us_state_code("new york"), Some("NY"));
/// assert_eq!(us_state_code("Puerto Rico"), Some("PR"));
/// assert_eq!(us_state_code("Ontario"), None);
/// ```
pub fn us_state_code(raw: &str) -> Option<&'static str> {
    // The words lower-cased and joined by one space, in a buffer longer than any name;
    // a longer text, or one with a letter outside ASCII, names no state.
    let mut buf = [0u8; 48];
    let mut len = 0;
    let mut gap = false;
    for c in raw.chars() {
        if c.is_whitespace() || c == '.' {
            gap = len > 0;
            continue;
        }
        if !c.is_ascii() {
            return None;
        }
        if gap {
            *buf.get_mut(len)? = b' ';
            len += 1;
            gap = false;
        }
        *buf.get_mut(len)? = u8::try_from(c).ok()?.to_ascii_lowercase();
        len += 1;
    }
    let key = std::str::from_utf8(buf.get(..len)?).ok()?;
    if let [a, b] = key.as_bytes() {
        let code = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
        let codes = &SORTED.0;
        return codes
            .binary_search_by(|c| c.as_bytes().cmp(&code[..]))
            .ok()
            .and_then(|i| codes.get(i).copied());
    }
    // `D C` / `t x` written with dots between the letters.
    if let [a, b' ', b] = key.as_bytes() {
        let joined = [*a, *b];
        return us_state_code(std::str::from_utf8(&joined).ok()?);
    }
    let names = &SORTED.1;
    names
        .binary_search_by(|(name, _)| (*name).cmp(key))
        .ok()
        .and_then(|i| names.get(i))
        .map(|(_, code)| *code)
}

/// The distinct codes, sorted, and `(name, code)` sorted by name.
type Sorted = (Vec<&'static str>, Vec<(&'static str, &'static str)>);

/// [`STATES`] sorted once, so that a lookup is a binary search.
static SORTED: LazyLock<Sorted> = LazyLock::new(|| {
    let mut codes: Vec<&str> = STATES.iter().map(|(code, _)| *code).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut names: Vec<(&str, &str)> = STATES.iter().map(|(code, name)| (*name, *code)).collect();
    names.sort_unstable();
    (codes, names)
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_fifty_states_dc_and_territories() {
        let codes: std::collections::BTreeSet<_> = STATES.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes.len(), 50 + 1 + 6 + 3);
        for (code, name) in STATES {
            assert_eq!(us_state_code(code), Some(*code));
            assert_eq!(us_state_code(&code.to_lowercase()), Some(*code));
            assert_eq!(us_state_code(name), Some(*code));
            assert_eq!(us_state_code(&name.to_uppercase()), Some(*code));
        }
    }

    #[test]
    fn spellings() {
        assert_eq!(us_state_code("TX."), Some("TX"));
        assert_eq!(us_state_code("T.X."), Some("TX"));
        assert_eq!(us_state_code("D.C."), Some("DC"));
        assert_eq!(us_state_code("Washington, D.C."), None);
        assert_eq!(us_state_code("Washington D.C."), Some("DC"));
        assert_eq!(us_state_code("  North   Carolina "), Some("NC"));
        assert_eq!(us_state_code(""), None);
        assert_eq!(us_state_code("XX"), None);
        assert_eq!(us_state_code("Texass"), None);
        assert_eq!(us_state_code("New\u{a0}York"), Some("NY"));
        assert_eq!(us_state_code("Téxas"), None);
        assert_eq!(us_state_code(&"x".repeat(60)), None);
        assert_eq!(us_state_code(" . . "), None);
    }
}
