//! Putting the partitions' outputs together: the report summed (per file, per reason,
//! the first rejected rows kept), the tables concatenated in the one-machine order.
//!
//! Every table's order is a total order on keys that are disjoint between partitions
//! (handles; record keys, which the global pass gave to one partition each), so sorting
//! the concatenation gives exactly the one-machine table.

use std::cmp::Ordering;

use super::{
    global::{Facts, check_manifests},
    part::PartitionOutput,
    plan::PartitionPlan,
    route::Manifest,
};
use crate::{
    error::{Error, Result},
    merge::{
        BrandLink, Conflict, Creator, FileReport, MergeReport, MergeResult, Product, Sample,
        Snapshot, Video, VideoProduct, state::numeric_id,
    },
};

/// The merge's order of record ids: plain numbers (that print back the same) in numeric
/// order, before every other id in byte order.
pub fn id_order(a: &str, b: &str) -> Ordering {
    match (numeric_id(a), numeric_id(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn add_file(into: &mut FileReport, part: &FileReport) {
    into.rows_read += part.rows_read;
    into.rows_rejected += part.rows_rejected;
    into.duplicates_collapsed += part.duplicates_collapsed;
    into.description_rows_skipped += part.description_rows_skipped;
    for (r, n) in &part.rejected_by_reason {
        *into.rejected_by_reason.entry(r.clone()).or_insert(0) += n;
    }
    for (r, n) in &part.dropped_by_reason {
        *into.dropped_by_reason.entry(r.clone()).or_insert(0) += n;
    }
    into.rejected.extend(part.rejected.iter().cloned());
}

/// The whole report from every partition's report part (a partition with no rows may
/// have none), the broadcast facts and every file's manifest: equal to the one-machine
/// merge's report.
///
/// # Errors
/// The first failing file's error, as the one-machine merge raises it (see
/// [`check_manifests`]); [`crate::ErrorKind::InvalidInput`] on field `report` for a
/// part naming a file the plan does not have.
pub fn combine_report(
    plan: &PartitionPlan,
    facts: &Facts,
    manifests: &[Manifest],
    parts: &[MergeReport],
) -> Result<MergeReport> {
    check_manifests(plan, manifests)?;
    let mut files: Vec<FileReport> = plan
        .files()
        .iter()
        .map(|f| FileReport::new(f.name.to_string(), f.kind))
        .collect();
    for m in manifests {
        if let Some(f) = files.get_mut(m.file() as usize) {
            f.description_rows_skipped += m.description_rows();
        }
    }
    let mut report = MergeReport::default();
    for part in parts {
        for pf in &part.files {
            let f = files
                .iter_mut()
                .find(|f| f.name == pf.name)
                .ok_or_else(|| Error::invalid("report", "a report part names another file"))?;
            add_file(f, pf);
        }
        report.creators += part.creators;
        report.fields_filled += part.fields_filled;
        report.conflicts += part.conflicts;
        for (k, n) in &part.conflicts_by_field {
            *report.conflicts_by_field.entry(k.clone()).or_insert(0) += n;
        }
        report.masked_phones_upgraded += part.masked_phones_upgraded;
        report.phone_masks_confirmed += part.phone_masks_confirmed;
        report.creators_suppressed += part.creators_suppressed;
        report.samples += part.samples;
        report.videos += part.videos;
        report.video_products += part.video_products;
        report.snapshots += part.snapshots;
        report.brand_links += part.brand_links;
        report.products += part.products;
    }
    report.shared_emails_dropped = facts.shared_emails() as u64;
    files.sort_by(|a, b| a.name.cmp(&b.name));
    for f in &mut files {
        f.rejected.sort();
        f.rejected.truncate(plan.options().max_issues_per_file);
        report.rows_read += f.rows_read;
        report.rows_rejected += f.rows_rejected;
        report.duplicates_collapsed += f.duplicates_collapsed;
        report.values_dropped += f.dropped_by_reason.values().sum::<u64>();
    }
    report.files = files;
    Ok(report)
}

/// Creators in the one-machine order (by handle).
pub fn sort_creators(rows: &mut [Creator]) {
    rows.sort_by(|a, b| a.handle.as_str().cmp(b.handle.as_str()));
}

/// Conflicts in the one-machine order: by handle, a creator's own in their order (every
/// creator's conflicts come from one partition).
pub fn sort_conflicts(rows: &mut [Conflict]) {
    rows.sort_by(|a, b| a.handle.as_str().cmp(b.handle.as_str()));
}

/// Samples by `(order_id, sku_id)` ([`id_order`]).
pub fn sort_samples(rows: &mut [Sample]) {
    rows.sort_by(|a, b| {
        id_order(&a.order_id, &b.order_id).then_with(|| id_order(&a.sku_id, &b.sku_id))
    });
}

/// Videos by id ([`id_order`]).
pub fn sort_videos(rows: &mut [Video]) {
    rows.sort_by(|a, b| id_order(&a.video_id, &b.video_id));
}

/// Video-product links by video, then product ([`id_order`]).
pub fn sort_video_products(rows: &mut [VideoProduct]) {
    rows.sort_by(|a, b| {
        id_order(&a.video_id, &b.video_id).then_with(|| id_order(&a.product_id, &b.product_id))
    });
}

/// Snapshots by handle, date, source.
pub fn sort_snapshots(rows: &mut [Snapshot]) {
    rows.sort_by(|a, b| (&a.handle, a.date, a.source).cmp(&(&b.handle, b.date, b.source)));
}

/// Brand links, sorted.
pub fn sort_brand_links(rows: &mut [BrandLink]) {
    rows.sort();
}

/// Products by id ([`id_order`]).
pub fn sort_products(rows: &mut [Product]) {
    rows.sort_by(|a, b| id_order(&a.product_id, &b.product_id));
}

/// The one-machine result from every partition's output: tables concatenated in order,
/// the report from [`combine_report`].
///
/// # Errors
/// As [`combine_report`]; [`crate::ErrorKind::InvalidInput`] on field `parts` for two
/// outputs of one partition.
pub fn combine(
    plan: &PartitionPlan,
    facts: &Facts,
    manifests: &[Manifest],
    parts: Vec<PartitionOutput>,
) -> Result<MergeResult> {
    let mut seen = vec![false; plan.partitions() as usize];
    for p in &parts {
        match seen.get_mut(p.partition() as usize) {
            Some(slot @ false) => *slot = true,
            Some(true) => return Err(Error::invalid("parts", "two outputs of one partition")),
            None => return Err(Error::invalid("partition", "no such partition in the plan")),
        }
    }
    let reports: Vec<MergeReport> = parts.iter().map(|p| p.report.clone()).collect();
    let report = combine_report(plan, facts, manifests, &reports)?;
    let mut out = MergeResult {
        report,
        ..MergeResult::default()
    };
    for mut p in parts {
        out.creators.append(&mut p.creators);
        out.conflicts.append(&mut p.conflicts);
        out.samples.append(&mut p.samples);
        out.videos.append(&mut p.videos);
        out.video_products.append(&mut p.video_products);
        out.snapshots.append(&mut p.snapshots);
        out.brand_links.append(&mut p.brand_links);
        out.products.append(&mut p.products);
    }
    sort_creators(&mut out.creators);
    sort_conflicts(&mut out.conflicts);
    sort_samples(&mut out.samples);
    sort_videos(&mut out.videos);
    sort_video_products(&mut out.video_products);
    sort_snapshots(&mut out.snapshots);
    sort_brand_links(&mut out.brand_links);
    sort_products(&mut out.products);
    Ok(out)
}
