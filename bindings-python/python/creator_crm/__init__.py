"""creator-crm: the domain logic of a creator CRM.

Identity normalization (handles, phones, emails, text repair), creator tiers
(TikTok Shop badge, 7-tier classification) and supporter scoring (segments,
inbox tabs, alerts with cooldowns, insights), from a Rust core. Every error
raised derives from `CrmError` and carries `code`, `field`, `line` and
`reason`; error messages never contain personal data.

Batch functions (`parse_phones`, `normalize_handles`, ...) take any iterable of
`str | None` or Arrow string data (pyarrow, polars, pandas) and return a list
with one entry per value: the result, the exception for that value (returned,
not raised), or `None` for a missing value. `parse_phones_table` gives the
same as a `pyarrow.Table`, for large inputs.
"""

from creator_crm._native import (
    ConsentError,
    CrmError,
    ForbiddenError,
    InvalidInputError,
    MessagingError,
    Phone,
    Score,
    SourceImportError,
    StorageError,
    TemplateError,
    WebhookError,
    __version__,
    apply_minimum_days,
    classify_creators,
    deliver_alerts,
    detect_alerts,
    explain_score,
    inbox_tabs,
    monthly_gmv,
    normalize_email,
    normalize_emails,
    normalize_handle,
    normalize_handles,
    parse_phone,
    parse_phones,
    parse_phones_table,
    repair_text,
    repair_texts,
    score_supporters,
    shop_badge,
    supporter_counters,
    supporter_insights,
)

__all__ = [
    "ConsentError",
    "CrmError",
    "ForbiddenError",
    "InvalidInputError",
    "MessagingError",
    "Phone",
    "Score",
    "SourceImportError",
    "StorageError",
    "TemplateError",
    "WebhookError",
    "__version__",
    "apply_minimum_days",
    "classify_creators",
    "deliver_alerts",
    "detect_alerts",
    "explain_score",
    "inbox_tabs",
    "monthly_gmv",
    "normalize_email",
    "normalize_emails",
    "normalize_handle",
    "normalize_handles",
    "parse_phone",
    "parse_phones",
    "parse_phones_table",
    "repair_text",
    "repair_texts",
    "score_supporters",
    "shop_badge",
    "supporter_counters",
    "supporter_insights",
]
