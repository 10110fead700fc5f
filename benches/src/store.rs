//! What the store benchmarks share: importing exports as a host does.

use std::sync::Arc;

use creator_crm::{
    crm::{Actor, Crm, CrmOptions, Role},
    import::SourceKind,
    merge::{ImportInput, MergeOptions, SourceFile},
    store::Store,
};

/// A `Crm` over `store` whose imports read their files on every core, as the
/// bindings' `Crm` does.
pub fn crm_on_every_core(store: Arc<dyn Store>, workspace: &str) -> Crm {
    let options = CrmOptions {
        merge: MergeOptions {
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            ..MergeOptions::default()
        },
        ..CrmOptions::default()
    };
    Crm::with_options(
        store,
        workspace,
        Actor::staff("bench", Role::Admin),
        options,
    )
}

/// Generated exports (kind, file name, bytes) as import inputs with their sizes.
pub fn sized_inputs<'a>(files: &'a [(&str, &str, Vec<u8>)]) -> Vec<ImportInput<&'a [u8]>> {
    files
        .iter()
        .map(|(kind, name, bytes)| {
            let kind: SourceKind = kind.parse().unwrap_or(SourceKind::Products);
            ImportInput::new(SourceFile::new(kind, *name), &bytes[..]).size_hint(bytes.len() as u64)
        })
        .collect()
}

/// CPU seconds (user + system) this process has used so far, from `/proc/self/stat`
/// (10 ms resolution; 0 where there is no `/proc`): wall time is unreliable on a
/// loaded machine.
pub fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    // The state field is not a number, so the parse skips it: utime and stime are the
    // 11th and 12th numbers after the command.
    let f: Vec<f64> = after
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    (f.get(10).copied().unwrap_or(0.0) + f.get(11).copied().unwrap_or(0.0)) / 100.0
}
