//! Python bindings of creator-crm: the extension module `creator_crm._native`.
//!
//! The pure-Python package `creator_crm` re-exports everything defined here.
//! One file per core module (`identity.rs`, ...), each with a `register`
//! function called below; `errors.rs` is the one place where core errors become
//! Python exceptions; `batch.rs` reads the input of batch calls (iterables and
//! Arrow data); `numbers.rs` reads the numeric columns of the analytics calls.

use pyo3::prelude::*;

/// mimalloc for the extension's own allocations (Python's objects keep CPython's
/// allocator): merges allocate from two threads at once, where glibc's arenas fragment.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod analytics;
mod arrow_data;
mod arrow_input;
mod batch;
mod crm;
mod data;
mod errors;
mod export;
mod identity;
mod merge;
mod numbers;
mod outbox;
mod outreach;
mod privacy;
mod progress;
mod retention;
mod rows;
mod scaleout;
mod store;
mod supporters;
mod supporters_arrow;
mod table;
mod tiers;

/// Native part of the `creator_crm` package. Import `creator_crm` instead.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    identity::register(m)?;
    supporters::register(m)?;
    tiers::register(m)?;
    privacy::register(m)?;
    merge::register(m)?;
    table::register(m)?;
    store::register(m)?;
    crm::register(m)?;
    analytics::register(m)?;
    retention::register(m)?;
    outreach::register(m)?;
    outbox::register(m)?;
    scaleout::register(m)?;
    Ok(())
}
