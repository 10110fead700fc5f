//! The creator-crm demo.
//!
//! Imports the six bundled source exports (`examples/demo/data/`, made by
//! `cargo run -p creator-crm-datagen`), merges them into one creator table,
//! prints the merge report and writes the table as spreadsheet-safe CSV, and
//! `report.html` beside it: the dashboard, supporters and retention as one
//! self-contained page ([`report`]). Then it runs the CRM on a `crm.db` SQLite file
//! beside them: import, a manual edit and an erasure that survive a re-import, a
//! filtered page, and welcome outreach through a recording sender ([`store`]).
//!
//! ```text
//! cargo run --release -p creator-crm-demo [-- --data DIR] [--out FILE] [--report FILE]
//! ```
//!
//! Only handles, field names, sources and counts are printed: no emails,
//! phones, names or addresses.

use std::{
    fs::File,
    io::{BufReader, BufWriter},
    path::PathBuf,
    process::ExitCode,
};

mod report;
mod store;
mod supporters;

use chrono::{DateTime, TimeZone, Utc};
use creator_crm::{
    export::write_creators_csv,
    identity::Handle,
    import::SourceKind,
    merge::{
        ConflictKind, Field, Finish, MergeOptions, MergeResult, Merger, SourceFile, SuppressionList,
    },
};

/// The bundled files and their kinds.
const FILES: [(SourceKind, &str); 6] = [
    (SourceKind::SampleOrders, "sample_orders.csv"),
    (SourceKind::Euka, "euka.csv"),
    (SourceKind::PhoneNumbers, "phone_numbers.csv"),
    (SourceKind::Refunnel, "refunnel.csv"),
    (SourceKind::Videos, "videos.csv"),
    (SourceKind::Products, "products.csv"),
];

/// The day the bundled data is observed on: the day after its last videos.
fn demo_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 21, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Supporters in the report's sample population.
const DEMO_SUPPORTERS: usize = 240;

/// The salt the host keeps for suppression hashes (a real host keeps it secret).
const DEMO_SALT: &str = "creator-crm-demo-salt";

fn main() -> ExitCode {
    let mut data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut out = std::env::temp_dir()
        .join("creator-crm-demo")
        .join("creators.csv");
    let mut report = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--data", Some(v)) => data = PathBuf::from(v),
            ("--out", Some(v)) => out = PathBuf::from(v),
            ("--report", Some(v)) => report = Some(PathBuf::from(v)),
            _ => {
                eprintln!("usage: demo [--data DIR] [--out FILE] [--report FILE]");
                return ExitCode::from(2);
            }
        }
    }
    let report = report.unwrap_or_else(|| out.with_file_name("report.html"));
    match run(&data, &out, &report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    data: &std::path::Path,
    out: &std::path::Path,
    report_path: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let (result, erased) = merge_counting(data)?;
    print_report(&result, erased);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    write_creators_csv(&result.creators, BufWriter::new(File::create(out)?))?;
    println!(
        "\nmerged table: {} ({} creators)",
        out.display(),
        result.creators.len()
    );
    let now = demo_now();
    let fans = supporters::population(DEMO_SUPPORTERS, now);
    let page = report::render(&report::build(&result, &fans, now)?)?;
    if let Some(dir) = report_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(report_path, page)?;
    println!("report: {}", report_path.display());
    store::run(data, &out.with_file_name("crm.db"), now)
}

/// Merges the bundled exports in `data`; also returns the number of suppression entries.
fn merge_counting(
    data: &std::path::Path,
) -> Result<(MergeResult, usize), Box<dyn std::error::Error>> {
    let options = MergeOptions {
        suppression: suppression(data)?,
        ..MergeOptions::default()
    };
    let erased = options.suppression.len();
    let mut merger = Merger::new(options);
    for (kind, name) in FILES {
        let reader = BufReader::new(File::open(data.join(name))?);
        merger.import_csv(&source_file(kind, name), reader)?;
    }
    Ok((merger.finish(Finish::Everything), erased))
}

/// The bundled export `name` of `kind`: the samples and videos are the brand Glow Co's.
fn source_file(kind: SourceKind, name: &'static str) -> SourceFile {
    let file = SourceFile::new(kind, name);
    if matches!(kind, SourceKind::SampleOrders | SourceKind::Videos) {
        file.brand("Glow Co")
    } else {
        file
    }
}

/// Merges the bundled exports in `data`, as the demo does.
#[cfg(test)]
fn merge(data: &std::path::Path) -> Result<MergeResult, Box<dyn std::error::Error>> {
    merge_counting(data).map(|(r, _)| r)
}

/// Hashes the erased handles listed next to the data, as a host would have stored them.
fn suppression(data: &std::path::Path) -> std::io::Result<SuppressionList> {
    let mut list = SuppressionList::new(DEMO_SALT);
    let path = data.join("erased.txt");
    if path.exists() {
        for line in std::fs::read_to_string(path)?.lines() {
            if let Ok(h) = Handle::parse(line) {
                list.suppress_handle(&h);
            }
        }
    }
    Ok(list)
}

fn print_report(result: &MergeResult, erased: usize) {
    let r = &result.report;
    println!("== files");
    println!(
        "{:<20} {:>6} {:>9} {:>11} {:>8}",
        "file", "rows", "rejected", "duplicates", "skipped"
    );
    for f in &r.files {
        println!(
            "{:<20} {:>6} {:>9} {:>11} {:>8}",
            f.name,
            f.rows_read,
            f.rows_rejected,
            f.duplicates_collapsed,
            f.description_rows_skipped
        );
    }
    println!(
        "{:<20} {:>6} {:>9} {:>11}",
        "total", r.rows_read, r.rows_rejected, r.duplicates_collapsed
    );

    println!("\n== rejected rows by reason");
    for (reason, n) in r.rejected_by_reason() {
        println!("{n:>6}  {reason}");
    }
    if let Some(f) = r.files.iter().find(|f| !f.rejected.is_empty()) {
        let lines: Vec<String> = f
            .rejected
            .iter()
            .take(5)
            .map(|i| i.line.to_string())
            .collect();
        println!("        e.g. {} lines {}", f.name, lines.join(", "));
    }
    println!("\n== values dropped (row kept) by reason");
    for (reason, n) in r.dropped_by_reason() {
        println!("{n:>6}  {reason}");
    }

    println!("\n== creators");
    println!("{:>6}  creators merged", r.creators);
    println!(
        "{:>6}  fields filled (email, phone, name, address, followers, gmv)",
        r.fields_filled
    );
    println!(
        "{:>6}  masked phones upgraded to a verified full number",
        r.masked_phones_upgraded
    );
    println!(
        "{:>6}  shared team-inbox emails used by nobody",
        r.shared_emails_dropped
    );
    println!(
        "{:>6}  erased creators kept out ({erased} suppression entries)",
        r.creators_suppressed
    );
    println!(
        "{:>6}  samples, {} videos, {} video-product links, {} snapshots, {} brand links, {} products",
        r.samples, r.videos, r.video_products, r.snapshots, r.brand_links, r.products
    );

    println!(
        "\n== conflicts ({} total; the winner is the value, the rest are alternates)",
        r.conflicts
    );
    for (field, n) in &r.conflicts_by_field {
        println!("{n:>6}  {field}");
    }
    for c in result.conflicts.iter().take(5) {
        let why = match c.kind {
            ConflictKind::DifferentValues => "sources disagree",
            ConflictKind::MaskMismatch => "full number does not fit the masked one",
        };
        // Where the kept value and the losing ones came from: file and line.
        let creator = result
            .creators
            .binary_search_by(|x| x.handle.cmp(&c.handle))
            .ok()
            .and_then(|i| result.creators.get(i));
        let losing_field = match c.kind {
            ConflictKind::DifferentValues => c.field,
            ConflictKind::MaskMismatch => Field::MaskedPhone,
        };
        let at = |p: &creator_crm::merge::Provenance| format!("{} line {}", p.file, p.line);
        let kept = creator
            .and_then(|x| x.provenance_of(c.field))
            .map_or_else(|| c.chosen.to_string(), at);
        let over: Vec<String> = creator
            .map(|x| {
                x.alternates
                    .iter()
                    .filter(|a| a.field == losing_field)
                    .map(|a| at(&a.provenance))
                    .collect()
            })
            .unwrap_or_default();
        let over = if over.is_empty() {
            c.others
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            over.join(", ")
        };
        println!(
            "        @{}: {} ({why}) kept {kept} over {over}",
            c.handle.as_str(),
            c.field,
        );
    }

    println!("\n== what changed and why (first verified phones)");
    for c in result.creators.iter().filter(|c| c.phone_verified).take(3) {
        let phone_src = c
            .provenance_of(Field::Phone)
            .map_or("?".into(), |p| format!("{} line {}", p.source, p.line));
        println!(
            "        @{}: masked phone confirmed by the full number from {phone_src}; sources {}",
            c.handle.as_str(),
            c.sources
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    println!("\n== top creators by GMV");
    let mut top: Vec<_> = result.creators.iter().collect();
    top.sort_by(|a, b| {
        b.total_gmv
            .cmp(&a.total_gmv)
            .then_with(|| a.handle.cmp(&b.handle))
    });
    println!(
        "{:<26} {:>12} {:>10}  sources",
        "handle", "gmv", "followers"
    );
    for c in top.iter().take(10) {
        println!(
            "@{:<25} {:>12} {:>10}  {}",
            c.handle.as_str(),
            c.total_gmv.round_dp(2).to_string(),
            c.follower_count.map_or("-".into(), |f| f.to_string()),
            c.sources
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
    }
}
