//! Benchmarks for creator-crm live in `benches/`; this library holds the
//! input generators they share. Figures and commands are in `BENCHMARKS.md`.

pub mod supporters;
