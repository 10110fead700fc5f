//! What a host adds to a merge by hand: manual edits, suppression entries, and the
//! progress of long imports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use creator_crm::{
    ErrorKind,
    import::SourceKind,
    merge::{
        Creator, Field, ImportInput, ManualEdit, MergeOptions, MergeResult, Merger, ProgressHook,
        SourceFile,
    },
};

const EUKA: &str = "handle,email,phone,First Name,Last Name,City,State,Zip\n\
    ana,ana@oldmail.org,(+1)3159212129,Ana,Old,Austin,TX,78701\n\
    bo,bo@mailbox.org,(+1)8325550159,Bo,Lee,Boston,MA,02134\n";

fn euka(m: &mut Merger) {
    m.import_csv(
        &SourceFile::new(SourceKind::Euka, "euka.csv"),
        EUKA.as_bytes(),
    )
    .unwrap();
}

fn one<'a>(r: &'a MergeResult, handle: &str) -> &'a Creator {
    r.creators
        .iter()
        .find(|c| c.handle.as_str() == handle)
        .unwrap()
}

fn ana_edit() -> ManualEdit {
    ManualEdit::new("@Ana")
        .set("email", " Ana@NewMail.org ")
        .set("phone", "415-555-2671")
        .set("first_name", "Ana")
        .set("last_name", "Nova")
}

#[test]
fn an_edit_wins_over_imports_before_and_after_it() {
    let mut before = Merger::new(MergeOptions::default());
    before.edit(&ana_edit()).unwrap();
    euka(&mut before);
    let mut after = Merger::new(MergeOptions::default());
    euka(&mut after);
    after.edit(&ana_edit()).unwrap();
    let (b, a) = (before.finish(), after.finish());
    assert_eq!(b.creators, a.creators);
    let ana = one(&b, "ana");
    assert_eq!(ana.email.as_ref().unwrap().as_str(), "ana@newmail.org");
    assert_eq!(ana.phone.as_ref().unwrap().as_str(), "+14155552671");
    assert!(ana.phone_verified);
    assert_eq!((&*ana.first_name, &*ana.last_name), ("Ana", "Nova"));
    let p = ana.provenance_of(Field::Email).unwrap();
    assert_eq!(
        (p.source, &*p.file, p.line),
        (SourceKind::Manual, "manual", 1)
    );
    // The imported values are kept as alternates; the address was not edited.
    assert!(
        ana.alternates
            .iter()
            .any(|x| x.field == Field::Email && x.value == "ana@oldmail.org")
    );
    assert_eq!(ana.address.city, "Austin");
    assert_eq!(
        ana.provenance_of(Field::Address).unwrap().source,
        SourceKind::Euka
    );
    assert_eq!(
        one(&b, "bo").email.as_ref().unwrap().as_str(),
        "bo@mailbox.org"
    );
}

#[test]
fn reimporting_an_old_export_keeps_the_edit() {
    let mut m = Merger::new(MergeOptions::default());
    euka(&mut m);
    m.edit(&ManualEdit::new("ana").set("email", "ana@newmail.org"))
        .unwrap();
    let first = m.finish();
    m.import_csv(
        &SourceFile::new(SourceKind::Euka, "euka-again.csv"),
        EUKA.as_bytes(),
    )
    .unwrap();
    let again = m.finish();
    assert_eq!(
        one(&again, "ana").email.as_ref().unwrap().as_str(),
        "ana@newmail.org"
    );
    assert_eq!(
        one(&first, "ana").email,
        one(&again, "ana").email,
        "the old export changes nothing the edit set"
    );
}

#[test]
fn a_later_edit_wins_and_times_order_edits() {
    let mut m = Merger::new(MergeOptions::default());
    m.edit(&ManualEdit::new("ana").set("email", "one@mailbox.org"))
        .unwrap();
    m.edit(&ManualEdit::new("ana").set("email", "two@mailbox.org"))
        .unwrap();
    let r = m.finish();
    let ana = one(&r, "ana");
    assert_eq!(ana.email.as_ref().unwrap().as_str(), "two@mailbox.org");
    assert_eq!(ana.provenance_of(Field::Email).unwrap().line, 2);

    // Editing back to an earlier value makes it win again.
    m.edit(&ManualEdit::new("ana").set("email", "one@mailbox.org"))
        .unwrap();
    assert_eq!(
        one(&m.finish(), "ana").email.as_ref().unwrap().as_str(),
        "one@mailbox.org"
    );

    // With times, the later time wins whatever the order of the calls.
    let at = |d| {
        NaiveDate::from_ymd_opt(2024, 6, d)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    let newer = ManualEdit::new("bo")
        .set("email", "new@mailbox.org")
        .observed_at(at(2));
    let older = ManualEdit::new("bo")
        .set("email", "old@mailbox.org")
        .observed_at(at(1));
    let mut m = Merger::new(MergeOptions::default());
    m.edit(&newer).unwrap();
    m.edit(&older).unwrap();
    assert_eq!(
        one(&m.finish(), "bo").email.as_ref().unwrap().as_str(),
        "new@mailbox.org"
    );
}

#[test]
fn an_edit_of_one_name_part_sets_the_whole_name() {
    let mut m = Merger::new(MergeOptions::default());
    euka(&mut m);
    m.edit(&ManualEdit::new("bo").set("first_name", "Robert"))
        .unwrap();
    let r = m.finish();
    let bo = one(&r, "bo");
    assert_eq!((&*bo.first_name, &*bo.last_name), ("Robert", ""));
    assert_eq!(bo.address.zip, "02134");
}

#[test]
fn bad_edits_are_typed_errors_naming_the_field_and_record_nothing() {
    let mut m = Merger::new(MergeOptions::default());
    let cases = [
        (
            ManualEdit::new("ana").set("nickname", "x"),
            "nickname",
            "unknown field",
        ),
        (
            ManualEdit::new("ana").set("email", "ana.at.example"),
            "email",
            "",
        ),
        (
            ManualEdit::new("ana").set("email", "n/a"),
            "email",
            "placeholder email",
        ),
        (
            ManualEdit::new("ana").set("email", " "),
            "email",
            "empty value",
        ),
        (
            ManualEdit::new("ana").set("phone", "(+1)832*****59"),
            "phone",
            "masked number",
        ),
        (ManualEdit::new("ana").set("phone", "12"), "phone", ""),
        (ManualEdit::new("ana").set("zipcode", "787"), "zipcode", ""),
        (ManualEdit::new("a"), "handle", ""),
        (ManualEdit::new("ana"), "fields", "nothing to edit"),
        (
            ManualEdit::new("ana")
                .set("city", "Austin")
                .set("email", "ana@@x"),
            "email",
            "",
        ),
    ];
    for (edit, field, reason) in cases {
        let err = m.edit(&edit).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{edit:?}");
        assert_eq!(err.field(), Some(field), "{edit:?}");
        if !reason.is_empty() {
            assert_eq!(err.reason(), reason);
        }
        for (_, value) in &edit.fields {
            let value = value.trim();
            if value.len() > 2 {
                assert!(!err.to_string().contains(value), "{err}");
            }
        }
    }
    assert_eq!(m.creator_count(), 0);
    assert!(m.finish().report.files.is_empty());
    // A zip outside the US is not held to US rules.
    m.edit(
        &ManualEdit::new("ana")
            .set("zipcode", "SW1A 1AA")
            .set("country", "GB"),
    )
    .unwrap();
}

#[test]
fn suppression_before_or_after_the_import_gives_the_same_result() {
    let plain = {
        let mut m = Merger::new(MergeOptions::default());
        euka(&mut m);
        m.finish()
    };
    for (handle, email, phone) in [
        (Some("@ANA"), None, None),
        (None, Some(" ANA@oldmail.org"), None),
        (None, None, Some("315 921 2129")),
    ] {
        let mut before = Merger::new(MergeOptions::default());
        before.suppress(handle, email, phone).unwrap();
        euka(&mut before);
        let mut after = Merger::new(MergeOptions::default());
        euka(&mut after);
        after.suppress(handle, email, phone).unwrap();
        let (b, a) = (before.finish(), after.finish());
        assert_eq!(b, a);
        let handles: Vec<_> = b.creators.iter().map(|c| c.handle.as_str()).collect();
        assert_eq!(handles, ["bo"]);
        assert_eq!(b.report.creators_suppressed, 1);
        assert_eq!(b.creators[0], plain.creators[1]);
    }
    // A manual edit does not bring a suppressed person back.
    let mut m = Merger::new(MergeOptions::default());
    m.suppress(Some("ana"), None, None).unwrap();
    m.edit(&ana_edit()).unwrap();
    assert!(m.finish().creators.is_empty());
}

#[test]
fn suppression_values_are_checked() {
    let mut m = Merger::new(MergeOptions::default());
    let field = |r: creator_crm::Result<()>| r.unwrap_err().field().map(str::to_owned);
    assert_eq!(
        field(m.suppress(None, None, None)).as_deref(),
        Some("suppression")
    );
    assert_eq!(
        field(m.suppress(Some("a"), None, None)).as_deref(),
        Some("handle")
    );
    assert_eq!(
        field(m.suppress(Some("ana"), Some("none"), None)).as_deref(),
        Some("email")
    );
    assert_eq!(
        field(m.suppress(None, None, Some("(+1)832*****59"))).as_deref(),
        Some("phone")
    );
    assert!(m.options().suppression.is_empty(), "nothing added on error");
    m.suppress(Some("ana"), Some("ana@oldmail.org"), Some("3159212129"))
        .unwrap();
    assert_eq!(m.options().suppression.len(), 3);
}

#[test]
fn progress_is_told_at_a_bounded_rate_and_reaches_the_total() {
    let rows = 70_000;
    let mut csv = String::from("handle,email\n");
    for i in 0..rows {
        csv.push_str(&format!("creator{i},c{i}@mailbox.org\n"));
    }
    let events = Arc::new(Mutex::new(Vec::new()));
    let hook = {
        let events = events.clone();
        ProgressHook::new(move |p| {
            events.lock().unwrap().push((
                p.file.to_owned(),
                p.kind,
                p.bytes_read,
                p.total_bytes,
                p.rows_read,
                p.done,
            ));
        })
    };
    let options = MergeOptions {
        progress: Some(hook),
        ..MergeOptions::default()
    };
    let size = csv.len() as u64;
    let small = "handle\nana\n";
    for threads in [1, 2] {
        events.lock().unwrap().clear();
        let mut m = Merger::new(options.clone());
        m.import_many(
            vec![
                ImportInput::new(SourceFile::new(SourceKind::Euka, "big.csv"), csv.as_bytes())
                    .size_hint(size),
                ImportInput::new(
                    SourceFile::new(SourceKind::PhoneNumbers, "small.csv"),
                    small.as_bytes(),
                )
                .size_hint(small.len() as u64),
            ],
            threads,
        )
        .unwrap();
        let mut got = events.lock().unwrap().clone();
        got.sort();
        assert_eq!(
            got,
            [
                (
                    "big.csv".to_owned(),
                    SourceKind::Euka,
                    13 + (0..65_536)
                        .map(|i| format!("creator{i},c{i}@mailbox.org\n").len() as u64)
                        .sum::<u64>(),
                    Some(size),
                    65_536,
                    false
                ),
                (
                    "big.csv".to_owned(),
                    SourceKind::Euka,
                    size,
                    Some(size),
                    rows,
                    true
                ),
                (
                    "small.csv".to_owned(),
                    SourceKind::PhoneNumbers,
                    small.len() as u64,
                    Some(small.len() as u64),
                    1,
                    true
                ),
            ],
            "threads {threads}"
        );
        // The hook changes nothing in the result.
        let mut plain = Merger::new(MergeOptions::default());
        plain
            .import_csv(
                &SourceFile::new(SourceKind::Euka, "big.csv"),
                csv.as_bytes(),
            )
            .unwrap();
        plain
            .import_csv(
                &SourceFile::new(SourceKind::PhoneNumbers, "small.csv"),
                small.as_bytes(),
            )
            .unwrap();
        assert_eq!(m.finish(), plain.finish());
    }
    // Without a size hint the total is unknown; the end is still told.
    events.lock().unwrap().clear();
    let mut m = Merger::new(options);
    m.import_csv(
        &SourceFile::new(SourceKind::Euka, "x.csv"),
        "handle\r\nana\r\n\r\n".as_bytes(),
    )
    .unwrap();
    let got = events.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].3, got[0].4, got[0].5), (None, 1, true));
}
