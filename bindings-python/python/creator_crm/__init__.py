"""creator-crm: the domain logic of a creator CRM.

Identity normalization (handles, phones, emails, text repair), creator tiers
(TikTok Shop badge, 7-tier classification), supporter scoring (segments,
inbox tabs, alerts with cooldowns, insights) and privacy (`sanitize_json`,
`redact_text`, `supporter_view`, `authorize_action`), from a Rust core. Every
error raised derives from `CrmError` and carries `code`, `field`, `line` and
`reason`; error messages never contain personal data.

`Crm(store)` is the CRM over a store (`MemoryStore`, or any object with the store
protocol's methods): incremental imports, manual edits, erasure, listing and
search, scoped by workspace and checked against the actor's role.

`merge_exports` reads the six source exports and returns one creator table
(`MergeResult.creators`, a `pyarrow.Table`), the related records (samples,
videos, snapshots, ...) as tables too, and a report; `Merger` does the same
incrementally, with manual edits and suppression. Every table's columns
are core's definition of that table (`table_columns`). The shapes of
plain-data results are `TypedDict`s in `creator_crm.types`.

Batch functions (`parse_phones`, `normalize_handles`, ...) take any iterable of
`str | None` or Arrow string data (pyarrow, polars, pandas) and return a list
with one entry per value: the result, the exception for that value (returned,
not raised), or `None` for a missing value. `parse_phones_table` gives the
same as a `pyarrow.Table`, for large inputs.
"""

from creator_crm._native import (
    ConflictError,
    ConsentError,
    Crm,
    CrmError,
    Finding,
    ForbiddenError,
    InvalidInputError,
    MergeReport,
    MergeResult,
    MemoryStore,
    Merger,
    MessagingError,
    Page,
    Phone,
    Redacted,
    Score,
    SourceImportError,
    StorageError,
    TemplateError,
    WebhookError,
    __version__,
    apply_minimum_days,
    authorize_action,
    classify_creators,
    deliver_alerts,
    detect_alerts,
    explain_score,
    inbox_tabs,
    merge_exports,
    monthly_gmv,
    normalize_email,
    normalize_emails,
    normalize_handle,
    normalize_handles,
    parse_phone,
    parse_phones,
    parse_phones_table,
    redact_text,
    repair_text,
    repair_texts,
    run_store_conformance,
    sanitize_json,
    sanitize_json_report,
    score_supporters,
    shop_badge,
    supporter_counters,
    supporter_insights,
    supporter_view,
    table_columns,
)

__all__ = [
    "ConflictError",
    "ConsentError",
    "Crm",
    "CrmError",
    "Finding",
    "ForbiddenError",
    "InvalidInputError",
    "MergeReport",
    "MergeResult",
    "MemoryStore",
    "Merger",
    "MessagingError",
    "Page",
    "Phone",
    "Redacted",
    "Score",
    "SourceImportError",
    "StorageError",
    "TemplateError",
    "WebhookError",
    "__version__",
    "apply_minimum_days",
    "authorize_action",
    "classify_creators",
    "deliver_alerts",
    "detect_alerts",
    "explain_score",
    "inbox_tabs",
    "merge_exports",
    "monthly_gmv",
    "normalize_email",
    "normalize_emails",
    "normalize_handle",
    "normalize_handles",
    "parse_phone",
    "parse_phones",
    "parse_phones_table",
    "redact_text",
    "repair_text",
    "repair_texts",
    "run_store_conformance",
    "sanitize_json",
    "sanitize_json_report",
    "score_supporters",
    "shop_badge",
    "supporter_counters",
    "supporter_insights",
    "supporter_view",
    "table_columns",
]
