//! A snapshot of how the identity module reads tricky real-world values.
//! Review changes to the `.snap` file as changes of behaviour.
#![allow(clippy::unwrap_used)]

use std::fmt::Write;

use creator_crm::{
    Error,
    identity::{
        Email, Handle, PersonName, Phone, PostalAddress, Region, Zip, repair_text, us_state_code,
    },
};

fn err(e: &Error) -> String {
    format!("error {}: {}", e.kind(), e.reason())
}

fn handle(raw: &str) -> String {
    Handle::parse(raw).map_or_else(|e| err(&e), |h| format!("ok {}", h.as_str()))
}

fn phone(raw: &str, region: &str) -> String {
    match Phone::parse(raw, Region::parse(region).unwrap()) {
        Ok(Phone::E164 { number, extension }) => match extension {
            Some(ext) => format!("e164 {} ext {ext}", number.as_str()),
            None => format!("e164 {}", number.as_str()),
        },
        Ok(Phone::Masked(m)) => format!(
            "masked +{} {}{}{} ({} digits)",
            m.country_code.unwrap_or(0),
            m.prefix,
            "*".repeat(m.hidden_len()),
            m.suffix,
            m.national_len
        ),
        Err(e) => err(&e),
    }
}

fn email(raw: &str) -> String {
    match Email::parse(raw) {
        Ok(Some(e)) if e.is_role_inbox() => format!("ok {} (role inbox)", e.as_str()),
        Ok(Some(e)) => format!("ok {}", e.as_str()),
        Ok(None) => "placeholder".to_owned(),
        Err(e) => err(&e),
    }
}

fn name(raw: &str) -> String {
    PersonName::from_full(raw).map_or_else(
        || "none".to_owned(),
        |n| format!("first {:?} last {:?}", n.first, n.last),
    )
}

fn address(raw: &str) -> String {
    let a = PostalAddress::parse_one_line(raw);
    format!(
        "{:?} | {:?} | {:?} | {:?} | {:?} | {:?}",
        a.line1, a.line2, a.city, a.state, a.zip, a.country
    )
}

#[test]
fn identity_table() {
    let mut t = String::new();
    let mut row = |kind: &str, input: &str, out: String| {
        writeln!(t, "{kind:<8} {input:<48} => {out}").unwrap();
    };
    for raw in [
        "@Foo",
        "  @Maria.Cruz ",
        "https://www.tiktok.com/@name?lang=en",
        "tiktok.com/@name/video/123",
        "www.tiktok.com/@Name/",
        "https://vm.tiktok.com/ZMabc123/",
        "a",
        "foo.",
        "foo bar",
        "abcdefghijklmnopqrstuvwxy",
    ] {
        row("handle", &format!("{raw:?}"), handle(raw));
    }
    for (raw, region) in [
        ("(+1)3159212129", "US"),
        ("(+1)832*****59", "US"),
        ("***-***-1234", "US"),
        ("+1 415-555-****", "US"),
        ("415-555-xx12", "US"),
        ("1-832-•••-••59", "US"),
        ("+44 20 7946 ****", "US"),
        ("+1 650-253-0000", "US"),
        ("00 44 20 7946 0958", "US"),
        ("011 44 20 7946 0958", "US"),
        ("+33142764978", "US"),
        ("020 7946 0958", "GB"),
        ("8 (800) 123-45-67", "RU"),
        ("415-555-1234 x123", "US"),
        ("650-253-0000 ext. 5", "US"),
        ("650-253-0000 #45", "US"),
        ("1-800-FLOWERS", "US"),
        ("++1 415 555 2671", "US"),
        ("(273) 234-5678", "US"),
        ("+86101234567", "US"),
        ("+97233142764978", "US"),
        ("call me", "US"),
        ("555-1234", "US"),
        ("***-***-****", "US"),
        ("(+1)832****59", "US"),
        ("", "US"),
        ("12345678901234567890", "US"),
    ] {
        row("phone", &format!("{raw:?} [{region}]"), phone(raw, region));
    }
    for raw in [
        " Foo@Bar.com ",
        "n/a",
        "test@test.com",
        "noreply@shop.com",
        "someone@example.com",
        "Hello@Agency.co",
        "mailto:Maria@Gmail.com",
        "foo@",
        "foo@bar",
        "foo bar@baz.com",
    ] {
        row("email", &format!("{raw:?}"), email(raw));
    }
    for raw in [
        "JosÃ© MartÃ\u{AD}nez",
        "MÃƒÂ¼ller",
        "Itâ€™s ðŸŽ‰",
        "Ñandú",
        "Ã",
        "JOSÉ…",
    ] {
        row(
            "text",
            &format!("{raw:?}"),
            format!("{:?}", repair_text(raw)),
        );
    }
    for raw in [
        "  maria  de la  cruz ",
        "Cruz, Maria",
        "John Smith, Jr.",
        "Cher",
        "  ",
    ] {
        row("name", &format!("{raw:?}"), name(raw));
    }
    for raw in ["Texas", "tx", "TX.", "D.C.", "Puerto Rico", "Ontario"] {
        row(
            "state",
            &format!("{raw:?}"),
            format!("{:?}", us_state_code(raw)),
        );
    }
    for raw in ["02134", "2134", "02134-1234", "021341234", "123"] {
        let out = Zip::parse(raw).map_or_else(|e| err(&e), |z| format!("ok {}", z.as_str()));
        row("zip", &format!("{raw:?}"), out);
    }
    for raw in [
        "123 Main St, Austin, TX 78701",
        "123 Main St, Apt 4, Austin, Texas 78701-1234",
        "5 Oak Ave, Brooklyn NY 11201, USA",
        "Austin, TX",
        "123 Main St",
    ] {
        row("address", &format!("{raw:?}"), address(raw));
    }
    insta::assert_snapshot!(t);
}
