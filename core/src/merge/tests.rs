#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::Finish;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

use super::*;
use crate::{
    identity::{Email, Handle},
    import::SourceKind,
};

fn file(kind: SourceKind, name: &str) -> SourceFile {
    SourceFile::new(kind, name)
}

fn merge(files: &[(SourceFile, &str)]) -> MergeResult {
    merge_with(MergeOptions::default(), files)
}

fn merge_with(options: MergeOptions, files: &[(SourceFile, &str)]) -> MergeResult {
    let import = |options: MergeOptions| {
        let mut m = Merger::new(options);
        for (f, csv) in files {
            m.import_csv(f, csv.as_bytes()).unwrap();
        }
        m
    };
    let mut m = import(options.clone());
    // Every case also checks the lowest-memory path: a merger that keeps no record
    // details, consumed, gives the same creator table, conflicts and report.
    let mut lean = import(MergeOptions {
        related_records: false,
        ..options
    });
    assert_eq!(
        lean.finish(Finish::CreatorsReleasing),
        m.finish(Finish::CreatorsOnly)
    );
    m.finish(Finish::Everything)
}

fn one<'a>(r: &'a MergeResult, handle: &str) -> &'a Creator {
    r.creators
        .iter()
        .find(|c| c.handle.as_str() == handle)
        .unwrap()
}

#[test]
fn higher_priority_source_wins_and_loser_is_an_alternate_and_a_conflict() {
    let r = merge(&[
        (
            file(SourceKind::SampleOrders, "s.csv"),
            "Order ID,Buyer Username,Recipient\n1,@Ana,Ana Sample\n",
        ),
        (
            file(SourceKind::Euka, "e.csv"),
            "handle,first name,last name\nana,Ana,Euka\n",
        ),
    ]);
    let ana = one(&r, "ana");
    assert_eq!(
        (ana.first_name.as_str(), ana.last_name.as_str()),
        ("Ana", "Euka")
    );
    let p = ana.provenance_of(Field::Name).unwrap();
    assert_eq!((p.source, &*p.file, p.line), (SourceKind::Euka, "e.csv", 2));
    assert_eq!(ana.alternates.len(), 1);
    assert_eq!(ana.alternates[0].value, "Ana Sample");
    assert_eq!(
        ana.alternates[0].provenance.source,
        SourceKind::SampleOrders
    );
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(r.conflicts[0].field, Field::Name);
    assert_eq!(r.conflicts[0].chosen, SourceKind::Euka);
    assert_eq!(r.conflicts[0].others, vec![SourceKind::SampleOrders]);
    assert_eq!(ana.outreach_status, OutreachStatus::Pending);

    // Priorities are configurable.
    let options = MergeOptions {
        priority: SourcePriority::new([SourceKind::SampleOrders]),
        ..MergeOptions::default()
    };
    let r = merge_with(
        options,
        &[
            (
                file(SourceKind::SampleOrders, "s.csv"),
                "Order ID,Buyer Username,Recipient\n1,@Ana,Ana Sample\n",
            ),
            (
                file(SourceKind::Euka, "e.csv"),
                "handle,first name,last name\nana,Ana,Euka\n",
            ),
        ],
    );
    assert_eq!(one(&r, "ana").last_name, "Sample");
}

#[test]
fn same_priority_goes_to_the_latest_observation_then_the_smallest_value() {
    let day = |d| {
        NaiveDate::from_ymd_opt(2024, 5, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    };
    let old = file(SourceKind::Euka, "old.csv").observed_at(day(1));
    let new = file(SourceKind::Euka, "new.csv").observed_at(day(9));
    let r = merge(&[
        (new, "handle,email\nana,new@mailbox.org\n"),
        (old, "handle,email\nana,old@mailbox.org\n"),
    ]);
    assert_eq!(
        one(&r, "ana").email.as_ref().unwrap().as_str(),
        "new@mailbox.org"
    );

    let r = merge(&[(
        file(SourceKind::Euka, "e.csv"),
        "handle,email\nana,zed@mailbox.org\nana,amy@mailbox.org\n",
    )]);
    assert_eq!(
        one(&r, "ana").email.as_ref().unwrap().as_str(),
        "amy@mailbox.org"
    );
}

#[test]
fn masked_phone_is_upgraded_by_a_consistent_full_number() {
    let r = merge(&[
        (
            file(SourceKind::SampleOrders, "s.csv"),
            "Order ID,Buyer Username,Phone #\n1,ana,(+1)832*****59\n2,bo,(+1)832*****59\n3,cy,(+1)832*****59\n",
        ),
        (
            file(SourceKind::PhoneNumbers, "p.csv"),
            "Username,Phone #\nana,(+1)8325550159\nbo,(+1)3159212129\n",
        ),
    ]);
    let ana = one(&r, "ana");
    assert_eq!(ana.phone.as_ref().unwrap().as_str(), "+18325550159");
    assert!(ana.phone_verified);
    assert!(ana.phone_mask_confirmed);
    assert!(ana.phone_masked.is_none());
    assert_eq!(r.report.masked_phones_upgraded, 1);
    assert_eq!(r.report.phone_masks_confirmed, 1);

    let bo = one(&r, "bo");
    assert_eq!(bo.phone.as_ref().unwrap().as_str(), "+13159212129");
    // A full number is verified whatever the masks say; this one's mask does not fit it.
    assert!(bo.phone_verified);
    assert!(!bo.phone_mask_confirmed);
    let c = r
        .conflicts
        .iter()
        .find(|c| c.handle.as_str() == "bo")
        .unwrap();
    assert_eq!(
        (c.field, c.kind),
        (Field::Phone, ConflictKind::MaskMismatch)
    );
    assert!(bo.alternates.iter().any(|a| a.field == Field::MaskedPhone));

    let cy = one(&r, "cy");
    assert!(cy.phone.is_none());
    assert!(!cy.phone_verified && !cy.phone_mask_confirmed);
    assert_eq!(
        masked_text(cy.phone_masked.as_ref().unwrap()),
        "+1 832*****59"
    );
}

#[test]
fn a_full_number_from_one_source_alone_is_verified() {
    let r = merge(&[(
        file(SourceKind::Euka, "e.csv"),
        "handle,phone\nana,(+1)3159212129\nbo,\n",
    )]);
    let ana = one(&r, "ana");
    assert!(ana.phone_verified);
    assert!(!ana.phone_mask_confirmed);
    assert!(!one(&r, "bo").phone_verified);
    assert_eq!(r.report.phone_masks_confirmed, 0);
}

#[test]
fn manual_edits_are_never_overwritten() {
    let mut m = Merger::new(MergeOptions::default());
    let manual = file(SourceKind::Manual, "manual");
    m.add_cells(
        &manual,
        1,
        &[
            (crate::import::Column::Handle, "ana"),
            (crate::import::Column::Email, "ana@manual.org"),
        ],
    )
    .unwrap();
    m.import_csv(
        &file(SourceKind::Euka, "e.csv"),
        "handle,email\nana,ana@euka.org\n".as_bytes(),
    )
    .unwrap();
    let r = m.finish(Finish::Everything);
    let ana = one(&r, "ana");
    assert_eq!(ana.email.as_ref().unwrap().as_str(), "ana@manual.org");
    assert_eq!(
        ana.provenance_of(Field::Email).unwrap().source,
        SourceKind::Manual
    );
}

#[test]
fn placeholder_and_shared_emails_link_and_fill_nothing() {
    let r = merge(&[(
        file(SourceKind::Euka, "e.csv"),
        "handle,email\n\
         ana,n/a\n\
         bo,team@agency.co\n\
         cy,team@agency.co\n\
         dee,TEAM@agency.co\n\
         eve,eve@mailbox.org\n",
    )]);
    assert!(one(&r, "ana").email.is_none());
    for h in ["bo", "cy", "dee"] {
        assert!(one(&r, h).email.is_none(), "{h}");
        assert!(one(&r, h).alternates.is_empty(), "{h}");
    }
    assert_eq!(
        one(&r, "eve").email.as_ref().unwrap().as_str(),
        "eve@mailbox.org"
    );
    assert_eq!(r.report.shared_emails_dropped, 1);

    let two_only = MergeOptions {
        shared_email_threshold: 4,
        ..MergeOptions::default()
    };
    let r = merge_with(
        two_only,
        &[(
            file(SourceKind::Euka, "e.csv"),
            "handle,email\nbo,team@agency.co\ncy,team@agency.co\ndee,team@agency.co\n",
        )],
    );
    assert!(one(&r, "bo").email.is_some());
}

#[test]
fn rejected_rows_of_a_crlf_export_point_at_their_own_lines() {
    let csv = "handle,email\r\nana,a@mailbox.org\r\n\r\nbad handle!,b@mailbox.org\r\n\
               bo,\"multi\r\nline\"\r\n,c@mailbox.org\r\n";
    let r = merge(&[(file(SourceKind::Euka, "e.csv"), csv)]);
    let lines: Vec<u64> = r.report.files[0].rejected.iter().map(|i| i.line).collect();
    assert_eq!(lines, [4, 7]);
    let lf = merge(&[(file(SourceKind::Euka, "e.csv"), &csv.replace("\r\n", "\n"))]);
    assert_eq!(lf.report.files[0].rejected, r.report.files[0].rejected);
}

#[test]
fn bad_rows_are_rejected_with_line_and_reason_and_no_personal_data() {
    let r = merge(&[(
        file(SourceKind::Euka, "e.csv"),
        "handle,email,followers\n\
         secret person!,secret@mailbox.org,\n\
         ,x@mailbox.org,\n\
         ana,not-an-email,\n",
    )]);
    let f = &r.report.files[0];
    assert_eq!(f.rows_read, 3);
    assert_eq!(f.rows_rejected, 2);
    assert_eq!(f.rejected[0].line, 2);
    assert_eq!(f.rejected[1].line, 3);
    assert_eq!(f.rejected[1].reason, "missing handle");
    assert_eq!(f.dropped_by_reason.get("email: invalid syntax"), Some(&1));
    let text = format!("{:?}", r.report);
    assert!(!text.contains("secret"));
    assert!(!text.contains("not-an-email"));
    assert_eq!(r.creators.len(), 1);
}

#[test]
fn duplicate_rows_collapse_and_related_records_dedupe_by_key() {
    let r = merge(&[
        (
            file(SourceKind::PhoneNumbers, "p.csv"),
            "Username,Phone #\nana,3159212129\nana,3159212129\nana,3159212129\n",
        ),
        (
            file(SourceKind::SampleOrders, "s.csv").brand("Glow"),
            "Order ID,SKU ID,Buyer Username,Order Status,Created Time\n\
             Platform unique order ID.,SKU,Buyer,Status,Created\n\
             100,7,ana,Shipped,2024-05-01\n\
             100,7,ana,Delivered,2024-05-03\n\
             100,8,ana,Shipped,2024-05-01\n",
        ),
        (
            file(SourceKind::Videos, "v.csv").brand("Glow"),
            "Video link,Creator username,GMV,Video post date\n\
             https://www.tiktok.com/@ana/video/7300000000000000001,ana,\"$1,000.50\",2024-05-02\n\
             https://www.tiktok.com/@ana/video/7300000000000000001,ana,$10,2024-05-01\n",
        ),
        (
            file(SourceKind::Refunnel, "r.csv"),
            "username,followers,gmv,last_post\nana,1.2K,$99.99,2024-05-04\n",
        ),
    ]);
    assert_eq!(r.report.duplicates_collapsed, 2);
    assert_eq!(
        r.report
            .files
            .iter()
            .find(|f| f.name == "s.csv")
            .unwrap()
            .description_rows_skipped,
        1
    );
    assert_eq!(r.samples.len(), 2);
    assert_eq!(r.samples[0].order_id, "100");
    assert_eq!(r.samples[0].status.as_deref(), Some("Delivered"));
    assert_eq!(r.videos.len(), 1);
    assert_eq!(r.videos[0].video_id, "7300000000000000001");
    assert_eq!(r.videos[0].gmv, Some(dec!(1000.50)));
    assert_eq!(r.brand_links.len(), 1);
    assert_eq!(r.snapshots.len(), 1);
    let ana = one(&r, "ana");
    assert_eq!(ana.follower_count, Some(1200));
    assert_eq!(ana.total_gmv, dec!(99.99));
    assert_eq!(
        ana.sources,
        vec![
            SourceKind::PhoneNumbers,
            SourceKind::Refunnel,
            SourceKind::SampleOrders,
            SourceKind::Videos
        ]
    );
}

#[test]
fn gmv_falls_back_to_the_sum_of_video_gmv() {
    let r = merge(&[(
        file(SourceKind::Videos, "v.csv"),
        "Video ID,Creator username,GMV\n1,ana,$10.25\n2,ana,$5\n",
    )]);
    assert_eq!(one(&r, "ana").total_gmv, dec!(15.25));
    assert!(one(&r, "ana").follower_count.is_none());
}

#[test]
fn suppressed_people_stay_out_of_later_imports() {
    let mut suppression = SuppressionList::new("host salt");
    suppression.suppress_handle(&Handle::parse("gone").unwrap());
    suppression.suppress_email(&Email::parse("hidden@mailbox.org").unwrap().unwrap());
    let options = MergeOptions {
        suppression,
        ..MergeOptions::default()
    };
    let r = merge_with(
        options,
        &[
            (
                file(SourceKind::Euka, "e.csv"),
                "handle,email\n@Gone,\nrenamed,hidden@mailbox.org\nstays,ok@mailbox.org\n",
            ),
            (
                file(SourceKind::Videos, "v.csv"),
                "Video ID,Creator username\n1,gone\n2,stays\n",
            ),
        ],
    );
    let handles: Vec<&str> = r.creators.iter().map(|c| c.handle.as_str()).collect();
    assert_eq!(handles, ["stays"]);
    assert_eq!(r.report.creators_suppressed, 2);
    assert_eq!(r.videos.len(), 1);
}

#[test]
fn finishing_twice_and_adding_later_equals_merging_at_once() {
    let a = (
        file(SourceKind::Euka, "e.csv"),
        "handle,email\nana,a@mailbox.org\n",
    );
    let b = (
        file(SourceKind::PhoneNumbers, "p.csv"),
        "Username,Phone #\nana,3159212129\nbo,4155550123\n",
    );
    let all = merge(&[a.clone(), b.clone()]);
    let mut m = Merger::new(MergeOptions::default());
    m.import_csv(&a.0, a.1.as_bytes()).unwrap();
    let first = m.finish(Finish::Everything);
    assert_eq!(first.creators.len(), 1);
    m.import_csv(&b.0, b.1.as_bytes()).unwrap();
    assert_eq!(m.finish(Finish::Everything).creators, all.creators);
    // Importing the same file again changes no creator.
    m.import_csv(&b.0, b.1.as_bytes()).unwrap();
    assert_eq!(m.finish(Finish::Everything).creators, all.creators);
}

#[test]
fn addresses_are_decided_whole_and_normalized() {
    let r = merge(&[
        (
            file(SourceKind::Euka, "e.csv"),
            "handle,address\nana,\"12 Main St, Boston, MA 02134\"\n",
        ),
        (
            file(SourceKind::SampleOrders, "s.csv"),
            "Order ID,Buyer Username,Address Line 1,City,State,Zipcode,Country\n\
             1,ana,12 Main St,Boston,Massachusetts,2134,United States\n\
             2,bo,1 Elm St,Austin,texas,78701,USA\n",
        ),
    ]);
    let ana = one(&r, "ana");
    assert_eq!(ana.address.zip, "02134");
    assert_eq!(ana.address.state, "MA");
    assert_eq!(ana.address.country, "US");
    assert!(
        r.conflicts.iter().all(|c| c.field != Field::Address),
        "same address both ways"
    );
    let bo = one(&r, "bo");
    assert_eq!(
        (bo.address.city.as_str(), bo.address.state.as_str()),
        ("Austin", "TX")
    );
}

#[test]
fn missing_required_column_fails_the_file_only() {
    let mut m = Merger::new(MergeOptions::default());
    let e = m
        .import_csv(
            &file(SourceKind::Euka, "e.csv"),
            "email\nx@mailbox.org\n".as_bytes(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Import);
    m.import_csv(&file(SourceKind::Euka, "f.csv"), "handle\nana\n".as_bytes())
        .unwrap();
    assert_eq!(m.finish(Finish::Everything).creators.len(), 1);
}

proptest::proptest! {
    /// Inline handle keys order as their text (the table is sorted by them).
    #[test]
    fn handle_keys_order_as_their_text(a in "[a-z0-9._]{1,24}", b in "[a-z0-9._]{1,24}") {
        let (ka, kb) = (state::HandleKey::new(&a).unwrap(), state::HandleKey::new(&b).unwrap());
        proptest::prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
    }

    /// Placing items by rank equals a stable sort by rank.
    #[test]
    fn rank_order_is_a_stable_sort(ranks in proptest::collection::vec(0u32..40, 0..60)) {
        let mut items: Vec<(u32, usize)> = ranks.iter().copied().zip(0..).collect();
        let mut want = items.clone();
        want.sort_by_key(|&(r, _)| r);
        resolve::into_rank_order(&mut items, ranks);
        proptest::prop_assert_eq!(items, want);
    }
}

#[test]
fn creators_come_in_handle_order_when_handles_share_their_first_eight_bytes() {
    let handles = [
        "abcdefgh_z",
        "bb",
        "abcdefgh",
        "abcdefghi",
        "abcdefga",
        "abcdefg",
        "abcdefgh.a",
        "zz",
        "abcdefgh0",
    ];
    let csv: String = std::iter::once("handle\n".to_owned())
        .chain(handles.iter().map(|h| format!("{h}\n")))
        .collect();
    let r = merge(&[(file(SourceKind::Euka, "e.csv"), csv.as_str())]);
    let got: Vec<&str> = r.creators.iter().map(|c| c.handle.as_str()).collect();
    let mut want = handles.to_vec();
    want.sort_unstable();
    assert_eq!(got, want);
}

/// Past [`MAX_INPUTS`] a merger refuses rows with a typed error naming the limit, for
/// imports, single rows, stored evidence and folded mergers alike; what it took stays.
#[test]
fn inputs_past_the_limit_are_a_typed_error() {
    use super::state::MergeState;
    let csv = "handle,email\nana,ana@mailbox.org\nbo,bo@mailbox.org\n";
    let euka = file(SourceKind::Euka, "euka.csv");
    let mut m = MergeState::new(MergeOptions::default());
    m.inputs = MAX_INPUTS - 1;
    let err = m.import_csv(&euka, csv.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Import);
    assert_eq!(
        err.reason(),
        "more than 268435456 rows and stored values in one merge"
    );
    assert_eq!(m.inputs, MAX_INPUTS);
    // The row within the limit was taken, the next one not.
    let r = m.finish(Finish::Everything);
    let handles: Vec<&str> = r.creators.iter().map(|c| c.handle.as_str()).collect();
    assert_eq!(handles, ["ana"]);
    assert_eq!(r.report.rows_read, 1);
    let cells = [(crate::import::Column::Handle, "cy")];
    assert!(m.add_cells(&euka, 9, &cells).is_err());
    let evidence = CreatorEvidence {
        handle: Handle::parse("cy").unwrap(),
        sources: vec![],
        values: vec![],
    };
    assert!(m.add_evidence(&evidence).is_err());
    // Two mergers within the limit each, over it together: nothing is folded.
    let mut other = MergeState::new(MergeOptions::default());
    other.import_csv(&euka, csv.as_bytes()).unwrap();
    assert!(m.absorb(other).is_err());
    assert_eq!(m.creator_count(), 1);
}
