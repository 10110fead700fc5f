//! Node bindings of creator-crm: the native addon behind the npm package `creator-crm`.
//!
//! One file per core module (`identity.rs`, ...) holding its `#[napi]`
//! exports; `errors.rs` is the one place where core errors become JavaScript
//! errors. Every sync export is `#[napi(catch_unwind)]`, so a Rust panic
//! becomes a JavaScript error instead of aborting the process.

// napi-rs registers exports only outside `cfg(test)`, so a test build sees them as unused.
#![cfg_attr(test, allow(dead_code))]

mod analytics;
mod crm;
mod data;
mod errors;
mod identity;
mod js;
mod merge;
mod merger;
mod outbox;
mod outreach;
mod privacy;
mod retention;
mod store;
mod supporters;
mod table;
mod tiers;
