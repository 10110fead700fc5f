//! Arrow input and output of the supporter batch calls.
//!
//! Tabular Arrow data (anything with `__arrow_c_stream__`: pyarrow Table /
//! RecordBatch, polars and pandas DataFrames) is read column by column into
//! counters, without a Python object per value. Columns are matched by the
//! field names of `SupporterCounters`; `id` and `joined_at` are required, the
//! others optional (missing column or null → zero / none). Counts may be any
//! integer type, timestamps any Arrow timestamp (or ISO strings), `id` any
//! string or integer. A fan-club member has a non-null `fan_club_tier`
//! (optional `fan_club_since`, `fan_club_renews_at`).

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, RecordBatch, StringArray, UInt8Array,
    cast::AsArray,
    types::{TimestampMicrosecondType, UInt8Type, UInt32Type, UInt64Type},
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    supporters::{FanClubMembership, Score, Signal, SupporterCounters},
};
use pyo3::{intern, prelude::*};
use pyo3_arrow::{PyRecordBatch, error::PyArrowError};

use crate::{arrow_data, errors};

/// Whether `obj` is tabular Arrow data.
pub fn is_table(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    obj.hasattr(intern!(obj.py(), "__arrow_c_stream__"))
}

fn invalid(field: &'static str, reason: &'static str) -> PyErr {
    errors::to_py_err(Error::invalid(field, reason))
}

fn column(batch: &RecordBatch, name: &str, to: &DataType) -> PyResult<Option<ArrayRef>> {
    match batch.column_by_name(name) {
        None => Ok(None),
        Some(col) => arrow_cast::cast(col, to)
            .map(Some)
            .map_err(|e| PyArrowError::from(e).into()),
    }
}

fn micros() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, None)
}

/// Reads counters from tabular Arrow data.
pub fn read_counters(obj: &Bound<'_, PyAny>) -> PyResult<Vec<SupporterCounters>> {
    let input = arrow_data::record_batches(obj)?;
    let reader = input.into_reader()?;
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.map_err(PyArrowError::from)?;
        read_batch(&batch, &mut out)?;
    }
    Ok(out)
}

fn read_batch(batch: &RecordBatch, out: &mut Vec<SupporterCounters>) -> PyResult<()> {
    let ids =
        column(batch, "id", &DataType::Utf8)?.ok_or_else(|| invalid("id", "column is required"))?;
    let ids = ids.as_string::<i32>();
    let joined = column(batch, "joined_at", &micros())?
        .ok_or_else(|| invalid("joined_at", "column is required"))?;
    let joined = joined.as_primitive::<TimestampMicrosecondType>();
    let u64_col = |name| column(batch, name, &DataType::UInt64);
    let u32_col = |name| column(batch, name, &DataType::UInt32);
    let ts_col = |name| column(batch, name, &micros());
    let cols64 = [
        u64_col("tokens_lifetime")?,
        u64_col("tokens_30d")?,
        u64_col("tokens_7d")?,
        u64_col("live_watch_seconds_7d")?,
        u64_col("live_gift_tokens_7d")?,
    ];
    let cols32 = [
        u32_col("gifts_7d")?,
        u32_col("chat_messages_7d")?,
        u32_col("profile_views_7d")?,
        u32_col("live_sessions_7d")?,
        u32_col("likes_7d")?,
    ];
    let times = [
        ts_col("last_match_at")?,
        ts_col("first_purchase_at")?,
        ts_col("last_purchase_at")?,
        ts_col("last_active_at")?,
        ts_col("fan_club_since")?,
        ts_col("fan_club_renews_at")?,
    ];
    let online = column(batch, "online", &DataType::Boolean)?;
    let tier = column(batch, "fan_club_tier", &DataType::UInt8)?;

    let get64 = |c: &Option<ArrayRef>, i: usize| -> u64 {
        c.as_ref()
            .map(|a| a.as_primitive::<UInt64Type>())
            .filter(|a| a.is_valid(i))
            .map_or(0, |a| a.value(i))
    };
    let get32 = |c: &Option<ArrayRef>, i: usize| -> u32 {
        c.as_ref()
            .map(|a| a.as_primitive::<UInt32Type>())
            .filter(|a| a.is_valid(i))
            .map_or(0, |a| a.value(i))
    };
    let get_ts = |c: &Option<ArrayRef>, i: usize| -> Option<DateTime<Utc>> {
        c.as_ref()
            .map(|a| a.as_primitive::<TimestampMicrosecondType>())
            .filter(|a| a.is_valid(i))
            .and_then(|a| DateTime::from_timestamp_micros(a.value(i)))
    };
    out.reserve(batch.num_rows());
    for i in 0..batch.num_rows() {
        if !ids.is_valid(i) {
            return Err(invalid("id", "must not be null"));
        }
        let joined_at = joined
            .is_valid(i)
            .then(|| DateTime::from_timestamp_micros(joined.value(i)))
            .flatten()
            .ok_or_else(|| invalid("joined_at", "must be a timestamp"))?;
        let mut c = SupporterCounters::new(ids.value(i).into(), joined_at);
        [
            c.tokens_lifetime,
            c.tokens_30d,
            c.tokens_7d,
            c.live_watch_seconds_7d,
            c.live_gift_tokens_7d,
        ] = cols64.each_ref().map(|col| get64(col, i));
        [
            c.gifts_7d,
            c.chat_messages_7d,
            c.profile_views_7d,
            c.live_sessions_7d,
            c.likes_7d,
        ] = cols32.each_ref().map(|col| get32(col, i));
        let [matched, first, last, active, since, renews] =
            times.each_ref().map(|col| get_ts(col, i));
        (
            c.last_match_at,
            c.first_purchase_at,
            c.last_purchase_at,
            c.last_active_at,
        ) = (matched, first, last, active);
        c.online = online
            .as_ref()
            .map(|a| a.as_boolean())
            .is_some_and(|a| a.is_valid(i) && a.value(i));
        c.fan_club = tier
            .as_ref()
            .map(|a| a.as_primitive::<UInt8Type>())
            .filter(|a| a.is_valid(i))
            .map(|a| FanClubMembership {
                tier: a.value(i),
                since: since.unwrap_or(joined_at),
                renews_at: renews,
            });
        out.push(c);
    }
    Ok(())
}

/// Scores as a pyarrow Table: `id`, `probability`, `priority`, `segment` and
/// one `uint8` column per signal.
pub fn scores_to_arrow<'py>(
    py: Python<'py>,
    counters: &[SupporterCounters],
    scores: &[Score],
) -> PyResult<Bound<'py, PyAny>> {
    let u8_col = |f: &dyn Fn(&Score) -> u8| -> ArrayRef {
        Arc::new(scores.iter().map(f).collect::<UInt8Array>())
    };
    let mut fields = vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("probability", DataType::UInt8, false),
        Field::new("priority", DataType::UInt8, false),
        Field::new("segment", DataType::Utf8, false),
    ];
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(
            counters
                .iter()
                .map(|c| Some(c.id.as_str()))
                .collect::<StringArray>(),
        ),
        u8_col(&|s| s.probability),
        u8_col(&|s| s.priority),
        Arc::new(
            scores
                .iter()
                .map(|s| Some(s.segment.as_str()))
                .collect::<StringArray>(),
        ),
    ];
    for signal in Signal::ALL {
        fields.push(Field::new(signal.as_str(), DataType::UInt8, false));
        columns.push(u8_col(&|s| s.signal(signal)));
    }
    let batch =
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(PyArrowError::from)?;
    let batch = PyRecordBatch::new(batch).into_pyarrow(py)?;
    py.import(intern!(py, "pyarrow"))?
        .getattr(intern!(py, "Table"))?
        .call_method1(intern!(py, "from_batches"), ([batch],))
}
