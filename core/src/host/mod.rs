//! What every binding needs from the host side, written once: in-memory rows named by
//! column ([`merge_rows`]), errors for host data of the wrong shape ([`shape_error`]) and
//! the rule for host times without an offset ([`naive_as_utc`], [`json_time`]).
//!
//! The Python, Node and mobile bindings call these instead of each writing its own, so
//! the same host input gives the same result, error and message in every language.

mod rows;
mod shape;
mod time;

pub use rows::{add_rows, merge_rows};
pub use shape::{shape_error, shape_reason};
pub use time::{json_time, naive_as_utc, utc_rfc3339};

#[cfg(test)]
mod tests;
