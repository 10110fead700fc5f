"""Type stubs of the native extension module; `creator_crm` re-exports all of it."""

import os
from collections.abc import Iterable
from typing import Any, Literal, Optional, Union, final

import pyarrow

__version__: str

# --- errors (src/errors.rs) -------------------------------------------------

class CrmError(Exception):
    """Base class of every creator-crm error."""

    code: str
    """Stable error code: `invalid_input`, `import`, `template`, `consent`,
    `forbidden`, `storage`, `messaging` or `webhook`."""
    field: Optional[str]
    """The field or column the error is about, if any."""
    line: Optional[int]
    """The 1-based source line, if the error comes from a file."""
    reason: str
    """The short reason, without field or line."""

class InvalidInputError(CrmError):
    """A value could not be understood or is not allowed (code `invalid_input`)."""

class SourceImportError(CrmError):
    """A source could not be read at all (code `import`)."""

class TemplateError(CrmError):
    """A template failed to parse, validate or render (code `template`)."""

class ConsentError(CrmError):
    """A message may not be sent: consent, quiet hours, opt-out (code `consent`)."""

class ForbiddenError(CrmError):
    """An action that creators may not take on supporters (code `forbidden`)."""

class StorageError(CrmError):
    """A storage backend failed (code `storage`)."""

class MessagingError(CrmError):
    """A message provider failed (code `messaging`)."""

class WebhookError(CrmError):
    """A webhook failed verification: signature, freshness or replay (code `webhook`)."""

# --- batch input -------------------------------------------------------------

_StrValues = Union[Iterable[Optional[str]], Any]
"""Input of batch calls: an iterable of `str | None` (pandas `NaN` counts as
missing), or Arrow string data (anything with `__arrow_c_array__` or
`__arrow_c_stream__`: pyarrow, polars, arro3)."""

# --- identity (src/identity.rs) ---------------------------------------------

@final
class Phone:
    """A parsed phone number: a full E.164 number or a masked one."""

    @property
    def kind(self) -> Literal["e164", "masked"]: ...
    @property
    def e164(self) -> Optional[str]: ...
    @property
    def country_code(self) -> Optional[int]: ...
    @property
    def extension(self) -> Optional[str]: ...
    @property
    def masked_prefix(self) -> Optional[str]: ...
    @property
    def masked_suffix(self) -> Optional[str]: ...
    @property
    def national_length(self) -> Optional[int]: ...
    def is_consistent_with(self, other: Phone) -> bool: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def parse_phone(raw: str, default_region: str = "US") -> Phone: ...
def parse_phones(
    raws: _StrValues, default_region: str = "US"
) -> list[Union[Phone, InvalidInputError, None]]: ...
def parse_phones_table(raws: _StrValues, default_region: str = "US") -> pyarrow.Table: ...
def normalize_handle(raw: str) -> str: ...
def normalize_handles(raws: _StrValues) -> list[Union[str, InvalidInputError, None]]: ...
def normalize_email(raw: str) -> Optional[str]: ...
def normalize_emails(raws: _StrValues) -> list[Union[str, InvalidInputError, None]]: ...
def repair_text(raw: str) -> str: ...
def repair_texts(raws: _StrValues) -> list[Optional[str]]: ...

# --- merge (src/merge.rs) ---------------------------------------------------

_Source = Union[str, "os.PathLike[str]", Any]
"""A source export: a path, or a file object opened for reading (text or binary)."""

@final
class MergeReport:
    """What a merge did, in numbers (reasons and field names only, never values)."""

    @property
    def rows_read(self) -> int: ...
    @property
    def rows_rejected(self) -> int: ...
    @property
    def values_dropped(self) -> int: ...
    @property
    def duplicates_collapsed(self) -> int: ...
    @property
    def creators(self) -> int: ...
    @property
    def fields_filled(self) -> int: ...
    @property
    def conflicts(self) -> int: ...
    @property
    def masked_phones_upgraded(self) -> int: ...
    @property
    def shared_emails_dropped(self) -> int: ...
    @property
    def creators_suppressed(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class MergeResult:
    """The outcome of `merge_exports`."""

    @property
    def creators(self) -> Any:
        """The merged creators as a `pyarrow.Table` (one row per creator, by handle)."""
    @property
    def report(self) -> MergeReport: ...
    def to_pylist(self) -> list[dict[str, Any]]: ...
    def __len__(self) -> int: ...

def merge_exports(
    sources: dict[str, _Source], *, default_region: str = "US"
) -> MergeResult: ...
