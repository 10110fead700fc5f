"""Type stubs of the native extension module; `creator_crm` re-exports all of it."""

import os
import pathlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Optional, Protocol, Union, final, overload

import pyarrow

from creator_crm.types import (
    ActivityRecord,
    Alert,
    AlertOutcome,
    AuditRecord,
    BadgeDecision,
    BgNbdStdErrors,
    ColumnInfo,
    ConsentEntryDict,
    ConversionOverall,
    CooldownState,
    CreatorFilter,
    CreatorProfile,
    CreatorRow,
    ExplainedScore,
    FileReport,
    FitInfo,
    GammaGammaStdErrors,
    ImportProgress,
    InboundResult,
    InboxTabs,
    MergeReportDict,
    OutboxEntryDict,
    OutreachConfigDict,
    OutreachStore,
    PlanResult,
    Removal,
    ScoreDict,
    Sender,
    SendResult,
    StableTier,
    Store,
    StoredCreatorRow,
    SupporterCountersDict,
    SupporterInsights,
    SupporterViewDict,
    TierDecision,
)

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

    audit: AuditRecord
    """Set by `authorize_action`: the audit record of the denied attempt, to store."""

class StorageError(CrmError):
    """A storage backend failed (code `storage`)."""

class ConflictError(CrmError):
    """A stored row changed since it was read; re-read and retry (code `conflict`)."""

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

# --- supporters (src/supporters.rs) -----------------------------------------

_Instant = Union[datetime, str]
"""A `datetime` (naive means UTC) or an ISO 8601 string."""

_Supporter = Mapping[str, Any]
"""A supporter in counters form (`id`, `joined_at`, `tokens_lifetime`, `tokens_30d`,
`tokens_7d`, `gifts_7d`, `chat_messages_7d`, `profile_views_7d`, `live_sessions_7d`,
`live_watch_seconds_7d`, `live_gift_tokens_7d`, `likes_7d`, `last_match_at`,
`first_purchase_at`, `last_purchase_at`, `last_active_at`, `online`, `fan_club`) or in
events form (`id`, `joined_at`, `time_zone`, `online`, `fan_club`, `display_name`,
`activity` with `spends`, `chat_messages`, `profile_views`, `live_sessions`, `matches`,
`likes`, `event_rsvps`); a mapping with an `activity` key is read as events. `score_supporters` and `inbox_tabs`
also take tabular Arrow data of counters (pyarrow, polars, pandas); `score_supporters`
then returns a `pyarrow.Table`."""

@final
class Score:
    """The compact score of one supporter."""

    @property
    def probability(self) -> int: ...
    @property
    def priority(self) -> int: ...
    @property
    def segment(self) -> Literal["vip", "cold", "dormant", "hot_lead", "active"]: ...
    @property
    def signals(self) -> dict[str, int]: ...
    def to_dict(self) -> ScoreDict: ...
    def __eq__(self, other: object) -> bool: ...

def supporter_counters(
    supporters: Iterable[_Supporter], now: _Instant
) -> list[SupporterCountersDict]: ...
def score_supporters(
    supporters: Union[Iterable[_Supporter], Any],
    now: _Instant,
    config: Optional[Mapping[str, Any]] = None,
) -> Union[list[Score], Any]: ...
def explain_score(
    supporter: _Supporter, now: _Instant, config: Optional[Mapping[str, Any]] = None
) -> ExplainedScore: ...
def inbox_tabs(
    supporters: Union[Iterable[_Supporter], Any],
    now: _Instant,
    *,
    config: Optional[Mapping[str, Any]] = None,
    vip_size: int = 10,
    offset: int = 0,
    limit: int = 50,
    new_within_days: int = 30,
) -> InboxTabs: ...
def detect_alerts(
    supporters: Iterable[_Supporter],
    now: _Instant,
    config: Optional[Mapping[str, Any]] = None,
    alert_config: Optional[Mapping[str, Any]] = None,
) -> list[Alert]: ...
def deliver_alerts(
    candidates: Iterable[Alert],
    state: Optional[CooldownState],
    now: _Instant,
    alert_config: Optional[Mapping[str, Any]] = None,
) -> tuple[AlertOutcome, CooldownState]: ...
def supporter_insights(
    supporters: Iterable[_Supporter],
    now: _Instant,
    config: Optional[Mapping[str, Any]] = None,
) -> list[SupporterInsights]: ...

# --- tiers (src/tiers.rs) ---------------------------------------------------

_Money = Union[Decimal, int, float, str]

def shop_badge(
    monthly_gmv: _Money, thresholds: Optional[Iterable[_Money]] = None
) -> BadgeDecision: ...
def classify_creators(
    creators: Iterable[Mapping[str, Any]],
    now: _Instant,
    thresholds: Optional[Mapping[str, Any]] = None,
) -> list[TierDecision]: ...
def apply_minimum_days(
    decision: TierDecision,
    previous: Optional[Mapping[str, Any]],
    min_days: int,
    now: _Instant,
) -> StableTier: ...
def monthly_gmv(
    observations: Iterable[Mapping[str, Any]],
    year: int,
    month: int,
    cumulative: bool = False,
) -> Optional[Decimal]: ...

# --- privacy (src/privacy.rs) ----------------------------------------------

_Json = Union[dict[str, Any], list[Any], tuple[Any, ...], str, int, float, bool, None]
"""A JSON-like value: dicts with str keys, lists, tuples, str, int, float, bool, None."""

def sanitize_json(
    value: _Json,
    *,
    deny: Optional[list[str]] = None,
    keep: Optional[list[str]] = None,
    allow_only: Optional[list[str]] = None,
) -> Any: ...
def sanitize_json_report(
    value: _Json,
    *,
    deny: Optional[list[str]] = None,
    keep: Optional[list[str]] = None,
    allow_only: Optional[list[str]] = None,
) -> tuple[Any, list[Removal]]: ...
@final
class Finding:
    """One piece of personal data found by `redact_text`: kind and character span."""

    @property
    def kind(self) -> Literal["email", "phone", "ip", "address"]: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...

@final
class Redacted:
    """The result of `redact_text`: the new text and what was found."""

    @property
    def text(self) -> str: ...
    @property
    def found(self) -> list[Finding]: ...

def redact_text(text: str) -> Redacted: ...
def supporter_view(
    supporter: Mapping[str, Any],
    *,
    pseudonym_key: Optional[bytes] = None,
    score: Optional[Mapping[str, Any]] = None,
) -> SupporterViewDict: ...
def authorize_action(
    actor: str,
    supporter_id: str,
    action: Literal[
        "send_message",
        "view_profile",
        "thank_for_gift",
        "invite_to_live",
        "reply",
        "bulk_message",
        "export_supporter_list",
        "offline_meetup",
        "reveal_identity",
        "exchange_contact_info",
    ],
    *,
    pseudonym_key: bytes,
    now: _Instant,
    body: Optional[str] = None,
) -> AuditRecord: ...

# --- merge (src/merge.rs) ---------------------------------------------------

class _Readable(Protocol):
    """A file object opened for reading, text or binary."""

    def read(self) -> Union[str, bytes]: ...

class _ArrowStream(Protocol):
    """Arrow tabular data: a `pyarrow.Table`, a polars or pandas DataFrame, ..."""

    def __arrow_c_stream__(self, requested_schema: Any = None) -> object: ...

_Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, _Readable]
"""A source export: a path, the CSV's bytes, or a file object opened for reading."""

_Rows = Union[_ArrowStream, Iterable[Mapping[str, Optional[str]]]]
"""In-memory rows: an Arrow table, or mappings of column name to value (`None`: missing)."""

_SourceKind = Literal[
    "sample_orders", "euka", "phone_numbers", "refunnel", "videos", "products", "manual"
]
"""A source export's kind (a few aliases such as `"samples"` are accepted too); `"manual"`
is a CSV of manual values, which outrank every import."""

_Progress = Union[None, bool, Literal["tqdm"], Callable[[ImportProgress], object]]
"""`progress=`: off (`None`, `False`), a `tqdm` bar (`True`, `"tqdm"`) or a callable."""

_Table = Literal[
    "creators",
    "samples",
    "videos",
    "video_products",
    "snapshots",
    "brand_links",
    "products",
    "conflicts",
    "report",
    "files",
    "rejected",
    "top_performers",
    "trending",
    "video_performance",
    "product_performance",
    "sample_conversion",
    "sample_conversion_by_product",
    "sample_conversion_overall",
]

def table_columns(table: _Table = "creators") -> list[ColumnInfo]: ...
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
    def conflicts_by_field(self) -> dict[str, int]: ...
    @property
    def masked_phones_upgraded(self) -> int: ...
    @property
    def phone_masks_confirmed(self) -> int: ...
    @property
    def shared_emails_dropped(self) -> int: ...
    @property
    def creators_suppressed(self) -> int: ...
    @property
    def samples(self) -> int: ...
    @property
    def videos(self) -> int: ...
    @property
    def video_products(self) -> int: ...
    @property
    def snapshots(self) -> int: ...
    @property
    def brand_links(self) -> int: ...
    @property
    def products(self) -> int: ...
    @property
    def files(self) -> list[FileReport]: ...
    def to_dict(self) -> MergeReportDict: ...

_MergeTable = Literal[
    "creators",
    "samples",
    "videos",
    "video_products",
    "snapshots",
    "brand_links",
    "products",
    "conflicts",
    "files",
    "rejected",
]

@final
class MergeResult:
    """The outcome of `merge_exports` and `Merger.result()`: Arrow tables and a report."""

    @property
    def creators(self) -> pyarrow.Table:
        """One row per creator, by handle (columns: `table_columns("creators")`)."""
    @property
    def samples(self) -> pyarrow.Table: ...
    @property
    def videos(self) -> pyarrow.Table: ...
    @property
    def video_products(self) -> pyarrow.Table: ...
    @property
    def snapshots(self) -> pyarrow.Table: ...
    @property
    def brand_links(self) -> pyarrow.Table: ...
    @property
    def products(self) -> pyarrow.Table: ...
    @property
    def conflicts(self) -> pyarrow.Table:
        """Fields whose sources disagreed (creator, field, kind, sources; never values)."""
    @property
    def report(self) -> MergeReport: ...
    def to_pylist(self) -> list[CreatorRow]: ...
    @overload
    def to_csv(self, table: _MergeTable = "creators", path: None = None) -> str:
        """A table as formula-safe CSV (a spreadsheet shows `=…` cells as text)."""
    @overload
    def to_csv(self, table: _MergeTable, path: Union[str, os.PathLike[str]]) -> None: ...
    @overload
    def to_csv(
        self, table: _MergeTable = "creators", path: Optional[Union[str, os.PathLike[str]]] = None
    ) -> Optional[str]: ...
    def __len__(self) -> int: ...

def merge_exports(
    sources: Mapping[str, _Source],
    *,
    default_region: str = "US",
    priorities: Optional[Sequence[str]] = None,
    related_records: bool = True,
    progress: _Progress = None,
) -> MergeResult: ...

@final
class Merger:
    """An incremental merge without a store; `result()` equals `merge_exports`."""

    def __init__(
        self,
        *,
        default_region: str = "US",
        priorities: Optional[Sequence[str]] = None,
        related_records: bool = True,
        progress: _Progress = None,
    ) -> None: ...
    def add(
        self,
        kind: _SourceKind,
        source: _Source,
        *,
        name: Optional[str] = None,
        brand: Optional[str] = None,
        observed_at: Optional[_Instant] = None,
    ) -> None: ...
    def add_rows(self, kind: _SourceKind, rows: _Rows, *, name: Optional[str] = None) -> None: ...
    def edit(
        self,
        handle: str,
        fields: Mapping[_EditableField, str],
        *,
        at: Optional[_Instant] = None,
    ) -> None: ...
    def suppress(
        self,
        *,
        handle: Optional[str] = None,
        email: Optional[str] = None,
        phone: Optional[str] = None,
    ) -> None: ...
    def result(self) -> MergeResult: ...
    def __len__(self) -> int: ...

_EditableField = Literal[
    "email",
    "phone",
    "first_name",
    "last_name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zipcode",
    "country",
]
"""A creator-table column `Merger.edit` may set."""

# --- storage (src/store.rs, src/crm.rs) --------------------------------------

@final
class MemoryStore:
    """A store that keeps everything in memory, with the store protocol's methods."""

    def __init__(self) -> None: ...
    def creators(self, workspace: str, handles: list[str]) -> list[dict[str, Any]]: ...
    def creators_with_emails(self, workspace: str, emails: list[str]) -> list[dict[str, Any]]: ...
    def related(self, workspace: str, handles: list[str]) -> dict[str, Any]: ...
    def related_by_keys(self, workspace: str, keys: dict[str, Any]) -> dict[str, Any]: ...
    def list_creators(self, workspace: str, query: dict[str, Any]) -> dict[str, Any]: ...
    def search_creators(self, workspace: str, text: str, limit: int) -> list[dict[str, Any]]: ...
    def suppression(self, workspace: str) -> list[str]: ...
    def supporters(self, workspace: str, creator: str) -> dict[str, Any]: ...
    def activity(self, workspace: str, limit: int) -> list[dict[str, Any]]: ...
    def apply(self, workspace: str, changes: dict[str, Any]) -> None: ...
    def outbox(self, workspace: str, ids: list[str]) -> list[OutboxEntryDict]: ...
    def outbox_with_status(
        self, workspace: str, status: str, limit: int
    ) -> list[OutboxEntryDict]: ...
    def outbox_of(self, workspace: str, creator: str) -> list[OutboxEntryDict]: ...
    def outbox_to(self, workspace: str, to: str) -> list[OutboxEntryDict]: ...
    def consent(self, workspace: str, creators: list[str]) -> list[ConsentEntryDict]: ...
    def events_seen(self, workspace: str, keys: list[str]) -> list[str]: ...
    def apply_outreach(self, workspace: str, changes: list[dict[str, Any]]) -> None: ...

@final
class SqliteStore:
    """A store in one SQLite database file, with the store protocol's methods."""

    def __init__(self, path: Union[str, "os.PathLike[str]"]) -> None: ...
    @property
    def path(self) -> str: ...
    def creators(self, workspace: str, handles: list[str]) -> list[dict[str, Any]]: ...
    def creators_with_emails(self, workspace: str, emails: list[str]) -> list[dict[str, Any]]: ...
    def related(self, workspace: str, handles: list[str]) -> dict[str, Any]: ...
    def related_by_keys(self, workspace: str, keys: dict[str, Any]) -> dict[str, Any]: ...
    def list_creators(self, workspace: str, query: dict[str, Any]) -> dict[str, Any]: ...
    def search_creators(self, workspace: str, text: str, limit: int) -> list[dict[str, Any]]: ...
    def suppression(self, workspace: str) -> list[str]: ...
    def supporters(self, workspace: str, creator: str) -> dict[str, Any]: ...
    def activity(self, workspace: str, limit: int) -> list[dict[str, Any]]: ...
    def apply(self, workspace: str, changes: dict[str, Any]) -> None: ...
    def outbox(self, workspace: str, ids: list[str]) -> list[OutboxEntryDict]: ...
    def outbox_with_status(
        self, workspace: str, status: str, limit: int
    ) -> list[OutboxEntryDict]: ...
    def outbox_of(self, workspace: str, creator: str) -> list[OutboxEntryDict]: ...
    def outbox_to(self, workspace: str, to: str) -> list[OutboxEntryDict]: ...
    def consent(self, workspace: str, creators: list[str]) -> list[ConsentEntryDict]: ...
    def events_seen(self, workspace: str, keys: list[str]) -> list[str]: ...
    def apply_outreach(self, workspace: str, changes: list[dict[str, Any]]) -> None: ...

def run_store_conformance(
    make_store: Callable[[], Union[MemoryStore, SqliteStore, Store]],
) -> list[tuple[str, Optional[str]]]: ...
def run_outreach_store_conformance(
    make_store: Callable[[], Union[MemoryStore, SqliteStore, OutreachStore]],
) -> list[tuple[str, Optional[str]]]: ...

@final
class Page:
    """One page of `Crm.list_creators`."""

    @property
    def items(self) -> list[StoredCreatorRow]: ...
    @property
    def next_cursor(self) -> Optional[str]: ...
    @property
    def total(self) -> int: ...

_OrderBy = Literal[
    "tiktok_username",
    "-tiktok_username",
    "follower_count",
    "-follower_count",
    "total_gmv",
    "-total_gmv",
]

@final
class Crm:
    """The CRM over a store, for one workspace and one actor."""

    def __init__(
        self,
        store: Union[MemoryStore, SqliteStore, Store],
        *,
        workspace: str = "default",
        actor: Optional[Mapping[str, str]] = None,
        default_region: str = "US",
        salt: Union[str, bytes, None] = None,
    ) -> None: ...
    @property
    def workspace(self) -> str: ...
    def import_exports(
        self, sources: Mapping[str, _Source], *, now: Optional[_Instant] = None
    ) -> MergeReport: ...
    def edit_creator(
        self,
        handle: str,
        fields: Mapping[_EditableField, str],
        *,
        now: Optional[_Instant] = None,
    ) -> Optional[StoredCreatorRow]: ...
    def erase_creator(self, handle: str, *, now: Optional[_Instant] = None) -> int: ...
    def get_creator(self, handle: str) -> Optional[StoredCreatorRow]: ...
    def list_creators(
        self,
        *,
        where: Optional[CreatorFilter] = None,
        order_by: Optional[_OrderBy] = None,
        limit: int = 50,
        cursor: Optional[str] = None,
    ) -> Page: ...
    def search_creators(self, text: str, *, limit: int = 20) -> list[StoredCreatorRow]: ...
    def update_profile(
        self, handle: str, changes: Mapping[str, Any], *, now: Optional[_Instant] = None
    ) -> CreatorProfile: ...
    def put_supporters(
        self,
        creator: str,
        supporters: Iterable[Mapping[str, Any]],
        *,
        now: Optional[_Instant] = None,
    ) -> None: ...
    def delete_supporters(
        self, creator: str, ids: Sequence[str], *, now: Optional[_Instant] = None
    ) -> None: ...
    def supporters(self, creator: str) -> list[dict[str, Any]]: ...
    def supporter_views(self, creator: str, key: bytes) -> list[SupporterViewDict]: ...
    def deliver_alerts(
        self,
        creator: str,
        alerts: Iterable[Alert],
        *,
        config: Optional[Mapping[str, Any]] = None,
        now: Optional[_Instant] = None,
    ) -> AlertOutcome: ...
    def activity_log(self, limit: int = 100) -> list[ActivityRecord]: ...
# --- analytics (src/analytics.rs) -------------------------------------------

_Day = Union[date, str]
"""A `datetime.date` or an ISO 8601 date string (`"2026-06-01"`)."""

_Period = tuple[_Day, _Day]
"""`(start, end)`: the days from `start` up to, not including, `end`."""

_Metric = Literal["gmv", "items_sold", "orders"]

def sample_conversion(result: MergeResult, *, within_days: int = 30) -> pyarrow.Table:
    """Per creator with samples: `tiktok_username, samples, converted, rate`."""

def sample_conversion_by_product(
    result: MergeResult, *, within_days: int = 30
) -> pyarrow.Table: ...
def sample_conversion_overall(
    result: MergeResult, *, within_days: int = 30
) -> ConversionOverall: ...
def top_performers(
    result: MergeResult, period: _Period, *, metric: _Metric = "gmv", limit: int = 10
) -> pyarrow.Table: ...
def trending(
    result: MergeResult, previous: _Period, current: _Period, *, metric: _Metric = "gmv"
) -> pyarrow.Table: ...
def video_performance(result: MergeResult) -> pyarrow.Table: ...
def product_performance(result: MergeResult) -> pyarrow.Table: ...
@final
class Dashboard:
    """Every table of the dashboard (`dashboard()`), each built from core's row type."""

    @property
    def period(self) -> tuple[date, date]: ...
    @property
    def previous(self) -> tuple[date, date]: ...
    @property
    def top_by_gmv(self) -> pyarrow.Table: ...
    @property
    def top_by_items_sold(self) -> pyarrow.Table: ...
    @property
    def top_by_orders(self) -> pyarrow.Table: ...
    @property
    def trending(self) -> pyarrow.Table: ...
    @property
    def videos_by_creator(self) -> pyarrow.Table: ...
    @property
    def products(self) -> pyarrow.Table: ...
    @property
    def conversion_by_creator(self) -> pyarrow.Table: ...
    @property
    def conversion_by_product(self) -> pyarrow.Table: ...
    @property
    def conversion_overall(self) -> ConversionOverall: ...
    @overload
    def to_csv(self, table: _DashboardTable, path: None = None) -> str:
        """One table as formula-safe CSV."""
    @overload
    def to_csv(self, table: _DashboardTable, path: Union[str, os.PathLike[str]]) -> None: ...
    @overload
    def to_csv(
        self, table: _DashboardTable, path: Optional[Union[str, os.PathLike[str]]] = None
    ) -> Optional[str]: ...
    def write_csv(self, directory: Union[str, os.PathLike[str]]) -> dict[str, pathlib.Path]:
        """Every table as `<table>.csv` in `directory`."""

_DashboardTable = Literal[
    "top_by_gmv",
    "top_by_items_sold",
    "top_by_orders",
    "trending",
    "videos_by_creator",
    "products",
    "conversion_by_creator",
    "conversion_by_product",
    "conversion_overall",
]

def dashboard(
    result: MergeResult,
    period: _Period,
    *,
    previous: Optional[_Period] = None,
    top: int = 10,
    within_days: int = 30,
) -> Dashboard: ...

# --- retention (src/retention.rs) -------------------------------------------

class _ArrowArray(Protocol):
    """Arrow array data: a pyarrow Array, a polars Series, ..."""

    def __arrow_c_array__(self, requested_schema: Any = None) -> object: ...

class _NumpyLike(Protocol):
    """Anything numpy turns into an array: a numpy array, a pandas Series, ..."""

    def __array__(self) -> Any: ...

_Number = Union[int, float, Decimal]

_Column = Union[Iterable[_Number], _ArrowArray, _ArrowStream, _NumpyLike]
"""A column of numbers: a sequence, a numpy array, a pandas Series, Arrow data."""

@final
class BgNbd:
    """A BG/NBD model: Gamma(r, alpha) purchase rates, Beta(a, b) drop-out."""

    def __init__(self, r: float, alpha: float, a: float, b: float) -> None: ...
    @property
    def r(self) -> float: ...
    @property
    def alpha(self) -> float: ...
    @property
    def a(self) -> float: ...
    @property
    def b(self) -> float: ...
    @property
    def std_errors(self) -> Optional[BgNbdStdErrors]: ...
    @property
    def fit(self) -> Optional[FitInfo]: ...
    @property
    def log_likelihood(self) -> Optional[float]: ...
    @overload
    def p_alive(self, frequency: _Number, recency: _Number, T: _Number) -> float: ...
    @overload
    def p_alive(
        self,
        frequency: Union[_Number, _Column],
        recency: Union[_Number, _Column],
        T: Union[_Number, _Column],
    ) -> Union[float, pyarrow.DoubleArray]: ...
    @overload
    def expected_purchases(
        self, t: _Number, frequency: _Number, recency: _Number, T: _Number
    ) -> float: ...
    @overload
    def expected_purchases(
        self,
        t: Union[_Number, _Column],
        frequency: Union[_Number, _Column],
        recency: Union[_Number, _Column],
        T: Union[_Number, _Column],
    ) -> Union[float, pyarrow.DoubleArray]: ...
    @overload
    def expected_purchases_new(self, t: _Number) -> float: ...
    @overload
    def expected_purchases_new(self, t: _Column) -> pyarrow.DoubleArray: ...

def fit_bgnbd(frequency: _Column, recency: _Column, T: _Column) -> BgNbd: ...
@final
class GammaGamma:
    """A Gamma-Gamma model of spend per transaction."""

    def __init__(self, p: float, q: float, gamma: float) -> None: ...
    @property
    def p(self) -> float: ...
    @property
    def q(self) -> float: ...
    @property
    def gamma(self) -> float: ...
    @property
    def std_errors(self) -> Optional[GammaGammaStdErrors]: ...
    @property
    def fit(self) -> Optional[FitInfo]: ...
    @property
    def log_likelihood(self) -> Optional[float]: ...
    @overload
    def expected_spend(self, frequency: _Number, monetary: _Number) -> Decimal: ...
    @overload
    def expected_spend(
        self, frequency: Union[_Number, _Column], monetary: Union[_Number, _Column]
    ) -> Union[Decimal, pyarrow.Decimal128Array]: ...

def fit_gamma_gamma(frequency: _Column, monetary: _Column) -> GammaGamma: ...

# --- outreach (src/outreach.rs) ---------------------------------------------

@final
class SmsSegments:
    """How an SMS body is encoded and how many segments it is billed as."""

    @property
    def encoding(self) -> Literal["GSM-7", "UCS-2"]: ...
    @property
    def segments(self) -> int: ...
    @property
    def characters(self) -> int: ...
    @property
    def units(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def sms_segments(text: str) -> SmsSegments: ...
def sms_keyword(text: str) -> Optional[Literal["opt_out", "opt_in", "help"]]: ...
def sms_send_window(
    phone: Union[str, Phone], now: _Instant, *, state: Optional[str] = None
) -> datetime: ...
def render_template(source: str, context: Mapping[str, object], *, html: bool = False) -> str: ...
def verify_twilio_signature(
    auth_token: str,
    url: str,
    params: Union[Mapping[str, str], Iterable[tuple[str, str]]],
    signature: str,
) -> bool: ...
def verify_mailgun_signature(
    signing_key: str, timestamp: Union[str, int], token: str, signature: str
) -> bool: ...

# --- outreach service (src/outbox.rs) ---------------------------------------

@final
class OutreachService:
    """Welcome outreach over a `Crm`: approve, plan, send through the host's sender,
    recover after a crash, apply delivery webhooks and inbound SMS, consent, history."""

    def __init__(
        self,
        crm: Crm,
        sender: Sender,
        config: OutreachConfigDict,
        *,
        store: Optional[Union[MemoryStore, SqliteStore, OutreachStore]] = None,
    ) -> None: ...
    def approve(self, handles: Sequence[str], *, now: Optional[_Instant] = None) -> int: ...
    def skip(self, handles: Sequence[str], *, now: Optional[_Instant] = None) -> int: ...
    def plan(self, *, now: Optional[_Instant] = None) -> PlanResult: ...
    def send_due(self, *, now: Optional[_Instant] = None) -> SendResult: ...
    def recover(self, *, now: Optional[_Instant] = None) -> int: ...
    def resolve_unknown(self, id: str, sent: bool, *, now: Optional[_Instant] = None) -> None: ...
    def apply_mailgun_webhook(
        self,
        signing_key: str,
        body: bytes,
        *,
        now: Optional[_Instant] = None,
        max_age_seconds: int = 300,
    ) -> Optional[Literal["applied", "duplicate", "unknown_message"]]: ...
    def apply_twilio_status(
        self,
        auth_token: str,
        url: str,
        params: Sequence[tuple[str, str]],
        signature: str,
        *,
        now: Optional[_Instant] = None,
    ) -> Optional[Literal["applied", "duplicate", "unknown_message"]]: ...
    def inbound_sms(
        self, from_number: str, body: str, message_id: str, *, now: Optional[_Instant] = None
    ) -> InboundResult: ...
    def accept_consent_link(
        self,
        token: str,
        *,
        now: Optional[_Instant] = None,
        ip: Optional[str] = None,
        user_agent: Optional[str] = None,
    ) -> str: ...
    def record_consent(
        self,
        handle: str,
        channel: Literal["email", "sms"],
        action: Literal["opt_in", "opt_out"],
        *,
        now: Optional[_Instant] = None,
    ) -> None: ...
    def consent(self, handle: str) -> list[ConsentEntryDict]: ...
    def history(self, handle: str) -> list[OutboxEntryDict]: ...
    def erase_creator(self, handle: str, *, now: Optional[_Instant] = None) -> int: ...

# --- scale-out (src/scaleout.rs) ---------------------------------------------

from creator_crm import scaleout as _scaleout

scaleout = _scaleout
"""The partitioned merge's steps (`creator_crm.scaleout`, stubbed in `scaleout.pyi`)."""
