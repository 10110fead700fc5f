//! Golden tests on the bundled sample data (`examples/demo/data`): the merge report and a
//! few creators are pinned with insta. Regenerate after an intended change with
//! `INSTA_UPDATE=always cargo test -p creator-crm --test it golden_sample` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{fs::File, io::BufReader, path::PathBuf};

use creator_crm::{
    identity::Handle,
    import::SourceKind,
    merge::{Field, MergeOptions, MergeResult, Merger, SourceFile, SuppressionList},
};
use serde_json::json;

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/demo/data")
}

fn merge_sample() -> MergeResult {
    let dir = sample_dir();
    let mut suppression = SuppressionList::new("golden");
    for line in std::fs::read_to_string(dir.join("erased.txt"))
        .unwrap()
        .lines()
    {
        suppression.suppress_handle(&Handle::parse(line).unwrap());
    }
    let mut m = Merger::new(MergeOptions {
        suppression,
        ..MergeOptions::default()
    });
    for (kind, name) in [
        (SourceKind::SampleOrders, "sample_orders.csv"),
        (SourceKind::Euka, "euka.csv"),
        (SourceKind::PhoneNumbers, "phone_numbers.csv"),
        (SourceKind::Refunnel, "refunnel.csv"),
        (SourceKind::Videos, "videos.csv"),
        (SourceKind::Products, "products.csv"),
    ] {
        let reader = BufReader::new(File::open(dir.join(name)).unwrap());
        m.import_csv(&SourceFile::new(kind, name), reader).unwrap();
    }
    m.finish()
}

#[test]
fn sample_report() {
    let r = merge_sample();
    let mut report = r.report.clone();
    for f in &mut report.files {
        f.rejected.truncate(3);
    }
    insta::assert_json_snapshot!("sample_report", report);
}

#[test]
fn sample_phone_flags() {
    let r = merge_sample();
    let count = |pred: &dyn Fn(&creator_crm::merge::Creator) -> bool| {
        r.creators.iter().filter(|c| pred(c)).count()
    };
    let flags = json!({
        "creators": r.creators.len(),
        "phone_verified": count(&|c| c.phone_verified),
        "full_phone": count(&|c| c.phone.is_some()),
        "phone_mask_confirmed": count(&|c| c.phone_mask_confirmed),
        "verified_without_confirming_mask": count(&|c| c.phone_verified && !c.phone_mask_confirmed),
        "mask_only": count(&|c| c.phone.is_none() && c.phone_masked.is_some()),
    });
    insta::assert_json_snapshot!("sample_phone_flags", flags);
    assert_eq!(
        count(&|c| c.phone_mask_confirmed) as u64,
        r.report.phone_masks_confirmed
    );
}

#[test]
fn sample_creators() {
    let r = merge_sample();
    let pick = |pred: &dyn Fn(&creator_crm::merge::Creator) -> bool| {
        r.creators.iter().find(|c| pred(c)).unwrap()
    };
    let chosen = [
        pick(&|c| c.phone_mask_confirmed && c.email.is_some()),
        pick(&|c| !c.alternates.is_empty()),
        pick(&|c| c.phone.is_none() && c.phone_masked.is_some()),
        pick(&|c| c.sources.len() == 1),
        // A full number no mask confirmed: verified all the same.
        pick(&|c| c.phone.is_some() && !c.phone_mask_confirmed),
    ];
    let view: Vec<_> = chosen
        .iter()
        .map(|c| {
            json!({
                "handle": c.handle.as_str(),
                "email": c.email.as_ref().map(|e| e.as_str()),
                "phone": c.phone.as_ref().map(|p| p.as_str()),
                "phone_masked": c.phone_masked.as_ref().map(creator_crm::merge::masked_text),
                "phone_verified": c.phone_verified,
                "phone_mask_confirmed": c.phone_mask_confirmed,
                "name": [&c.first_name, &c.last_name],
                "address": [&c.address.line1, &c.address.line2, &c.address.city, &c.address.state, &c.address.zip, &c.address.country],
                "follower_count": c.follower_count,
                "total_gmv": c.total_gmv.to_string(),
                "outreach_status": c.outreach_status.as_str(),
                "sources": c.sources.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "provenance": c.provenance.iter().map(|p| format!("{}: {} {}:{}", p.field, p.provenance.source, p.provenance.file, p.provenance.line)).collect::<Vec<_>>(),
                "alternates": c.alternates.iter().map(|a| format!("{}: {} ({})", a.field, a.value, a.provenance.source)).collect::<Vec<_>>(),
            })
        })
        .collect();
    insta::assert_json_snapshot!("sample_creators", view);
    assert!(
        r.creators
            .iter()
            .all(|c| c.provenance_of(Field::Name).is_none() || !c.first_name.contains('Ã'))
    );
}
