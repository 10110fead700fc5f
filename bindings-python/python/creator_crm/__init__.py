"""creator-crm: the domain logic of a creator CRM.

Identity normalization (handles, phones, emails, text repair) and more, from a
Rust core. Every error raised derives from `CrmError` and carries `code`,
`field`, `line` and `reason`; error messages never contain personal data.

`merge_exports` reads the six source exports and returns one creator table
(`MergeResult.creators`, a `pyarrow.Table`) with a report.

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
    MergeReport,
    MergeResult,
    MessagingError,
    Phone,
    SourceImportError,
    StorageError,
    TemplateError,
    WebhookError,
    __version__,
    merge_exports,
    normalize_email,
    normalize_emails,
    normalize_handle,
    normalize_handles,
    parse_phone,
    parse_phones,
    parse_phones_table,
    repair_text,
    repair_texts,
)

__all__ = [
    "ConsentError",
    "CrmError",
    "ForbiddenError",
    "InvalidInputError",
    "MergeReport",
    "MergeResult",
    "MessagingError",
    "Phone",
    "SourceImportError",
    "StorageError",
    "TemplateError",
    "WebhookError",
    "__version__",
    "merge_exports",
    "normalize_email",
    "normalize_emails",
    "normalize_handle",
    "normalize_handles",
    "parse_phone",
    "parse_phones",
    "parse_phones_table",
    "repair_text",
    "repair_texts",
]
