//! `datagen`: writes the six messy source exports.
//!
//! ```text
//! datagen [--rows N | --creators N] [--seed S] [--out DIR] [--order creator|time|interleaved]
//! ```
//! Defaults: 3,500 rows, seed 42, `./data`, rows grouped by creator. `time` sorts
//! sample_orders by Created Time and videos by post date, as the real exports come;
//! `interleaved` shuffles each file's rows (both built in memory: about 170 MB per million
//! rows).

use std::{path::PathBuf, process::ExitCode};

use creator_crm_datagen::{Config, generate_in_memory, generate_to_dir};

fn main() -> ExitCode {
    let mut cfg = Config::for_rows(3_500, 42);
    let mut out = PathBuf::from("data");
    let mut order = "creator".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        let num = value
            .as_deref()
            .and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match (a.as_str(), num, value) {
            ("--rows", Some(n), _) => cfg = Config::for_rows(n as usize, cfg.seed),
            ("--creators", Some(n), _) => cfg.creators = n as usize,
            ("--seed", Some(n), _) => cfg.seed = n,
            ("--out", _, Some(v)) => out = PathBuf::from(v),
            ("--order", _, Some(v)) if ["creator", "time", "interleaved"].contains(&v.as_str()) => {
                order = v;
            }
            _ => {
                eprintln!(
                    "usage: datagen [--rows N | --creators N] [--seed S] [--out DIR] [--order creator|time|interleaved]"
                );
                return ExitCode::from(2);
            }
        }
    }
    let written = match order.as_str() {
        "creator" => generate_to_dir(&cfg, &out),
        _ => generate_in_memory(&cfg).and_then(|data| {
            let ordered = if order == "time" {
                data.time_ordered()
            } else {
                data.interleaved(cfg.seed)
            };
            ordered.write_to_dir(&out)?;
            Ok(data.counts)
        }),
    };
    match written {
        Ok(c) => {
            println!(
                "wrote {} rows for {} creators to {} (sample_orders {}, euka {}, phone_numbers {}, refunnel {}, videos {}, products {}; {} erased)",
                c.total(),
                cfg.creators,
                out.display(),
                c.sample_orders,
                c.euka,
                c.phone_numbers,
                c.refunnel,
                c.videos,
                c.products,
                c.erased
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("datagen: {e}");
            ExitCode::FAILURE
        }
    }
}
