"""The shapes of the plain-data results of `creator_crm`, as `TypedDict`s.

Every function that returns plain Python data (dicts and lists rather than
objects) is typed with these in the stubs, so a type checker knows each key.
They are ordinary dicts at run time; import them to annotate your own code:

    from creator_crm.types import TierDecision

Conventions: money and other exact decimals are `str` (wrap them in
`decimal.Decimal`); instants are ISO 8601 `str` in UTC (`"2026-05-01T12:00:00Z"`);
dates are `"YYYY-MM-DD"`. A tagged union (`TierRule`, `SegmentRule`, `AlertDetail`)
is told apart by its tag key (`rule`, `detail`).
"""

from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, Protocol, Tuple, TypedDict, Union

__all__ = [
    "ActionName",
    "Alert",
    "AlertDetail",
    "AlertDetailEvent",
    "AlertDetailMilestone",
    "AlertDetailNone",
    "AlertDetailRenewal",
    "AlertDetailSpike",
    "AlertKind",
    "AlertOutcome",
    "AlertPriority",
    "AuditRecord",
    "BadgeDecision",
    "BgNbdStdErrors",
    "ColumnInfo",
    "ContactTime",
    "Contribution",
    "ConversionOverall",
    "CooldownState",
    "CreatorRow",
    "CreatorTier",
    "ExplainedScore",
    "FanClubMembership",
    "FileReport",
    "FitInfo",
    "GammaGammaStdErrors",
    "ImportProgress",
    "InboxTabs",
    "MergeReportDict",
    "OutreachStore",
    "PriorityPart",
    "Removal",
    "RetentionRisk",
    "RowIssue",
    "ScoreDict",
    "SegmentName",
    "SegmentRule",
    "SegmentRuleDefault",
    "SegmentRuleInactive",
    "SegmentRuleLifetimeTokens",
    "SegmentRuleProbability",
    "ShopBadge",
    "SignalName",
    "SourceKindName",
    "StableTier",
    "SupporterCountersDict",
    "SupporterInsights",
    "SupporterViewDict",
    "TabPage",
    "TierDecision",
    "TierRule",
    "TierRuleEarnings",
    "TierRuleHeld",
    "TierRuleNewcomer",
    "TierRuleTopShare",
    "Trend",
    "TrendDirection",
    "UpgradeHint",
    "ViewScore",
]

# --- tiers -------------------------------------------------------------------

ShopBadge = Literal[
    "bronze", "silver", "gold", "platinum", "ruby", "emerald", "sapphire", "diamond"
]
"""A TikTok Shop badge."""

CreatorTier = Literal[
    "newcomer", "emerging", "rising", "established", "star", "superstar", "legend"
]
"""One of the 7 creator tiers."""


class BadgeDecision(TypedDict):
    """`shop_badge`: a badge and why."""

    badge: ShopBadge
    monthly_gmv: str
    threshold: Optional[str]
    """The inclusive lower bound reached (`None` for bronze)."""
    threshold_assumed: bool
    """Whether that bound is an assumption rather than a public figure."""
    next: Optional[Tuple[ShopBadge, str]]
    """The next badge and its bound, if any (a 2-item list at run time)."""


class TierRuleNewcomer(TypedDict):
    """Joined less than `newcomer_days` ago."""

    rule: Literal["newcomer"]
    days_since_joining: int
    newcomer_days: int


class TierRuleTopShare(TypedDict):
    """In the top share of the population (Legend)."""

    rule: Literal["top_share"]
    monthly_earnings: str
    rank: int
    slots: int
    population: int


class TierRuleEarnings(TypedDict):
    """In an earnings band."""

    rule: Literal["earnings"]
    monthly_earnings: str
    threshold: Optional[str]
    next_threshold: Optional[str]


class TierRuleHeld(TypedDict):
    """Kept at the previous tier by the minimum days in a tier."""

    rule: Literal["held"]
    proposed: CreatorTier
    days_in_tier: int
    min_days: int


TierRule = Union[TierRuleNewcomer, TierRuleTopShare, TierRuleEarnings, TierRuleHeld]
"""The rule behind a tier, tagged by `rule`."""


class TierDecision(TypedDict):
    """`classify_creators`: a tier and the rule that gave it."""

    tier: CreatorTier
    rule: TierRule


class StableTier(TypedDict):
    """`apply_minimum_days`: the decision kept and since when its tier is held."""

    decision: TierDecision
    since: str


# --- supporters ----------------------------------------------------------------

SegmentName = Literal["vip", "cold", "dormant", "hot_lead", "active"]
"""A supporter segment."""

SignalName = Literal[
    "recent_chat",
    "gifting",
    "profile_views",
    "live_engagement",
    "recent_match",
    "likes_without_chat",
]
"""One of the six scoring signals."""


class FanClubMembership(TypedDict):
    """A fan-club membership."""

    tier: int
    since: str
    renews_at: Optional[str]


class SupporterCountersDict(TypedDict):
    """`supporter_counters`: one supporter in counters form."""

    id: str
    joined_at: str
    online: bool
    fan_club: Optional[FanClubMembership]
    tokens_lifetime: int
    tokens_30d: int
    tokens_7d: int
    gifts_7d: int
    chat_messages_7d: int
    profile_views_7d: int
    live_sessions_7d: int
    live_watch_seconds_7d: int
    live_gift_tokens_7d: int
    likes_7d: int
    last_match_at: Optional[str]
    first_purchase_at: Optional[str]
    last_purchase_at: Optional[str]
    last_active_at: Optional[str]


class ScoreDict(TypedDict):
    """`Score.to_dict()`: the compact score, signals by name."""

    probability: int
    priority: int
    segment: SegmentName
    signals: Dict[SignalName, int]


class _ExplainedScoreScore(TypedDict):
    probability: int
    priority: int
    segment: SegmentName
    signals: List[int]
    """The six signals in `SignalName` order."""


class Contribution(TypedDict):
    """What one signal adds to the probability."""

    signal: SignalName
    value: int
    weight: int
    points: float


class SegmentRuleLifetimeTokens(TypedDict):
    """VIP: lifetime tokens at or over the threshold."""

    rule: Literal["lifetime_tokens"]
    tokens: int
    threshold: int


class SegmentRuleInactive(TypedDict):
    """Cold or dormant: days without activity."""

    rule: Literal["inactive"]
    days: int
    threshold: int


class SegmentRuleProbability(TypedDict):
    """Hot lead: probability at or over the threshold."""

    rule: Literal["probability"]
    probability: int
    threshold: int


class SegmentRuleDefault(TypedDict):
    """Active: no other rule applied."""

    rule: Literal["default"]


SegmentRule = Union[
    SegmentRuleLifetimeTokens, SegmentRuleInactive, SegmentRuleProbability, SegmentRuleDefault
]
"""The rule behind a segment, tagged by `rule`."""


class PriorityPart(TypedDict):
    """One part of the priority (`probability`, `online`, `vip`, ...)."""

    part: str
    points: int


class ExplainedScore(TypedDict):
    """`explain_score`: a score and how it was reached."""

    score: _ExplainedScoreScore
    contributions: List[Contribution]
    online_bonus: int
    fan_club_bonus: int
    uncapped_probability: int
    segment_rule: SegmentRule
    priority_parts: List[PriorityPart]


class TabPage(TypedDict):
    """One inbox tab: a page of supporters and the tab's size."""

    ids: List[str]
    indices: List[int]
    """Positions of the page's supporters in the input."""
    total: int


InboxTabs = TypedDict(
    "InboxTabs",
    {"vip": TabPage, "hot_leads": TabPage, "all": TabPage, "dormant": TabPage, "new": TabPage},
)
"""`inbox_tabs`: the five tabs."""

AlertKind = Literal[
    "vip_online",
    "hot_lead_active",
    "dormant_reactivation",
    "spending_spike",
    "fan_club_renewal_due",
    "event_rsvp",
    "milestone_reached",
]
"""A kind of smart alert."""

AlertPriority = Literal["low", "medium", "high", "urgent"]
"""How urgent an alert is."""


class AlertDetailNone(TypedDict):
    """No detail."""

    detail: Literal["none"]


class AlertDetailSpike(TypedDict):
    """A spending spike against the weekly baseline."""

    detail: Literal["spike"]
    tokens_7d: int
    weekly_baseline: int


class AlertDetailRenewal(TypedDict):
    """A fan-club renewal coming due."""

    detail: Literal["renewal"]
    renews_at: str


class AlertDetailEvent(TypedDict):
    """An RSVP to an event."""

    detail: Literal["event"]
    event_id: str
    starts_at: str


class AlertDetailMilestone(TypedDict):
    """A lifetime-token milestone reached."""

    detail: Literal["milestone"]
    tokens: int


AlertDetail = Union[
    AlertDetailNone, AlertDetailSpike, AlertDetailRenewal, AlertDetailEvent, AlertDetailMilestone
]
"""What an alert is about, tagged by `detail`."""


class Alert(TypedDict):
    """`detect_alerts`: one alert (a candidate until `deliver_alerts`)."""

    supporter: str
    kind: AlertKind
    priority: AlertPriority
    created_at: str
    expires_at: Optional[str]
    detail: AlertDetail


class AlertOutcome(TypedDict):
    """`deliver_alerts`: what happened to each candidate."""

    delivered: List[Alert]
    suppressed: List[Alert]
    expired: List[Alert]


CooldownState = Dict[str, Dict[AlertKind, str]]
"""`deliver_alerts`: the last delivery per supporter id and alert kind."""


class ContactTime(TypedDict):
    """The best time to contact a supporter, in their own time zone."""

    hour: int
    weekday: Optional[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]]
    time_zone: str
    confidence: int
    events: int


TrendDirection = Literal["rising", "stable", "falling", "new", "none"]
"""Which way a trend goes (`new`: nothing before; `none`: nothing at all)."""


class Trend(TypedDict):
    """A trend between the recent and the previous period."""

    direction: TrendDirection
    recent: int
    previous: int


class BgNbdParams(TypedDict):
    """The parameters of a BG/NBD purchase model (in days)."""

    r: float
    alpha: float
    a: float
    b: float


class ModelRiskBasis(TypedDict):
    """A retention risk from the BG/NBD model: the score is `round(100 × (1 − p_alive))`."""

    model: Literal["bgnbd"]
    p_alive: float
    expected_purchases: float
    horizon_days: int
    frequency: int
    recency_days: float
    age_days: float
    params: BgNbdParams
    fitted_on: int


class PlainReason(TypedDict):
    """Why the heuristic: a reason without numbers."""

    kind: Literal["no_model", "fit_failed", "no_purchases", "no_repeat_purchase"]


class TooFewBuyers(TypedDict):
    """Why the heuristic: too few supporters with purchases to fit the model."""

    kind: Literal["too_few_buyers"]
    buyers: int
    needed: int


class TooFewRepeatBuyers(TypedDict):
    """Why the heuristic: too few supporters with a repeat purchase to fit the model."""

    kind: Literal["too_few_repeat_buyers"]
    repeat_buyers: int
    needed: int


class HeuristicRiskBasis(TypedDict):
    """A retention risk from inactivity and falling trends, and why not the model."""

    model: Literal["heuristic"]
    reason: Union[PlainReason, TooFewBuyers, TooFewRepeatBuyers]


class RetentionRisk(TypedDict):
    """How likely a supporter is to leave, what it was computed from, and why in words."""

    level: Literal["low", "medium", "high"]
    score: int
    days_inactive: int
    spending_falling: bool
    engagement_falling: bool
    basis: Union[ModelRiskBasis, HeuristicRiskBasis]
    explanation: str


class UpgradeHint(TypedDict):
    """A likely fan-club upgrade."""

    current_tier: Optional[int]
    suggested_tier: int
    tokens_30d: int
    threshold: int


class SupporterInsights(TypedDict):
    """`supporter_insights`: insights for one supporter."""

    best_contact_time: Optional[ContactTime]
    spending_trend: Trend
    engagement_trend: Trend
    retention_risk: RetentionRisk
    fan_club_upgrade: Optional[UpgradeHint]


# --- privacy -------------------------------------------------------------------


class Removal(TypedDict):
    """`sanitize_json_report`: one removal or redaction (never the value)."""

    path: str
    kind: Literal["personal_field", "not_allowed", "email", "phone", "ip", "address"]


class ViewScore(TypedDict):
    """The score attached to a supporter view."""

    probability: int
    priority: int
    segment: SegmentName


class SupporterViewDict(TypedDict):
    """`supporter_view`: the creator-safe view of a supporter."""

    id: str
    display_name: str
    name_source: Literal["chosen", "generated"]
    joined_at: str
    fan_club: Optional[FanClubMembership]
    online: bool
    lifetime_tokens: int
    last_active_at: Optional[str]
    score: Optional[ViewScore]


ActionName = Literal[
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
]
"""A creator action on a supporter."""


class AuditRecord(TypedDict):
    """`authorize_action`: the audit record of one attempted action."""

    actor: str
    action: ActionName
    supporter: str
    """The supporter's pseudonymous id."""
    at: str
    allowed: bool
    reason: Optional[str]


# --- merge ---------------------------------------------------------------------


class RowIssue(TypedDict):
    """A rejected row: its line, the field and the reason (never the value)."""

    line: int
    field: Optional[str]
    reason: str


SourceKindName = Literal[
    "sample_orders", "euka", "phone_numbers", "refunnel", "videos", "products", "manual"
]
"""A source export's kind, by its name."""


class FileReport(TypedDict):
    """What one file gave."""

    name: str
    kind: SourceKindName
    rows_read: int
    rows_rejected: int
    duplicates_collapsed: int
    description_rows_skipped: int
    rejected_by_reason: Dict[str, int]
    dropped_by_reason: Dict[str, int]
    rejected: List[RowIssue]


class MergeReportDict(TypedDict):
    """`MergeReport.to_dict()`: the whole report as plain data."""

    files: List[FileReport]
    rows_read: int
    rows_rejected: int
    values_dropped: int
    duplicates_collapsed: int
    creators: int
    fields_filled: int
    conflicts: int
    conflicts_by_field: Dict[str, int]
    masked_phones_upgraded: int
    phone_masks_confirmed: int
    shared_emails_dropped: int
    creators_suppressed: int
    samples: int
    videos: int
    video_products: int
    snapshots: int
    brand_links: int
    products: int


class CreatorRow(TypedDict):
    """`MergeResult.to_pylist()`: one creator, keyed like the creator table's columns
    (core's definition, `table_columns("creators")`)."""

    tiktok_username: str
    email: Optional[str]
    phone: Optional[str]
    phone_masked: Optional[str]
    phone_verified: bool
    """True when `phone` is a full number."""
    phone_mask_confirmed: bool
    """True when a masked number from a source fits the full number."""
    first_name: str
    last_name: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zipcode: str
    country: str
    follower_count: Optional[int]
    total_gmv: Decimal
    outreach_status: str
    sources: List[str]
    email_source: Optional[str]
    phone_source: Optional[str]
    alternates: int


class CreatorProfile(TypedDict):
    """What the host keeps about a stored creator besides what imports bring."""

    badge: Optional[str]
    tier: Optional[str]
    whitelisted: bool
    tags: List[str]
    notes: str
    outreach_status: Literal["pending", "approved", "sent", "skipped", "unsubscribed"]


class StoredCreatorRow(CreatorRow):
    """`Crm.get_creator` and friends: the creator table's columns, then the profile, the
    brands the creator was seen for, and the stored row's version."""

    profile: CreatorProfile
    brands: List[str]
    version: int


class CreatorFilter(TypedDict, total=False):
    """`Crm.list_creators(where=...)`: every condition given must hold."""

    badge: str
    tier: str
    brand: str
    tags: List[str]
    outreach_status: str
    whitelisted: bool
    has_phone: bool
    has_email: bool


class ActivityRecord(TypedDict):
    """`Crm.activity_log()`: who did what, when; never personal data."""

    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: str


class ColumnInfo(TypedDict):
    """`table_columns()`: one column of a table, as core defines it."""

    name: str
    type: Literal[
        "text", "bool", "uint64", "float64", "decimal", "date", "datetime", "text_list", "counts"
    ]
    nullable: bool
    doc: str


class ImportProgress(TypedDict):
    """What a `progress=` callable is given while files are read."""

    file: str
    kind: SourceKindName
    bytes_read: int
    total_bytes: Optional[int]
    """The file's size, when known."""
    rows_read: int
    done: bool
    """True on the last call for the file."""


class Store(Protocol):
    """The store protocol: what `Crm` calls on a store. `MemoryStore` and `SqliteStore`
    have these methods; any object with them is a store too. Arguments and results are plain data (the
    JSON forms core defines); an exception a method raises reaches the `Crm` caller
    unchanged, and `apply` must apply all of its changes or none."""

    def creators(self, workspace: str, handles: List[str]) -> List[Dict[str, Any]]: ...
    def creators_with_emails(self, workspace: str, emails: List[str]) -> List[Dict[str, Any]]: ...
    def related(self, workspace: str, handles: List[str]) -> Dict[str, Any]: ...
    def related_by_keys(self, workspace: str, keys: Dict[str, Any]) -> Dict[str, Any]: ...
    def list_creators(self, workspace: str, query: Dict[str, Any]) -> Dict[str, Any]: ...
    def search_creators(self, workspace: str, text: str, limit: int) -> List[Dict[str, Any]]: ...
    def suppression(self, workspace: str) -> List[str]: ...
    def supporters(self, workspace: str, creator: str) -> Dict[str, Any]: ...
    def activity(self, workspace: str, limit: int) -> List[Dict[str, Any]]: ...
    def apply(self, workspace: str, changes: Dict[str, Any]) -> None: ...
class ConversionOverall(TypedDict):
    """`sample_conversion_overall()` and `Dashboard.conversion_overall`: sample → video
    conversion over all samples (columns of `table_columns("sample_conversion_overall")`)."""

    within_days: int
    """The window used, in days."""
    samples: int
    """Samples (cancelled orders excluded)."""
    converted: int
    """Samples that converted."""
    rate: Optional[float]
    """`converted / samples`; None without samples."""
    undated: int
    """Samples without any time, which cannot convert (included in `samples`)."""
    cancelled: int
    """Cancelled orders, left out of every other count."""
    creators: int
    """Distinct creators with samples."""
    converted_creators: int
    """Distinct creators with at least one converted sample."""
    creator_rate: Optional[float]
    """`converted_creators / creators`; None without creators."""


class FitInfo(TypedDict):
    """`BgNbd.fit`, `GammaGamma.fit`: how a maximum-likelihood fit ended."""

    log_likelihood: float
    """The log-likelihood at the optimum, summed over customers."""
    customers: int
    """Customers the fit used."""
    iterations: int
    """Optimizer iterations."""
    method: Literal["lbfgs", "nelder_mead"]
    """The optimizer that gave the estimate."""
    converged: bool
    """Whether the optimizer met its convergence test before its iteration limit."""


class BgNbdStdErrors(TypedDict):
    """`BgNbd.std_errors`: the asymptotic standard error of each parameter (None where
    the Hessian at the optimum is not positive definite)."""

    r: Optional[float]
    alpha: Optional[float]
    a: Optional[float]
    b: Optional[float]


class GammaGammaStdErrors(TypedDict):
    """`GammaGamma.std_errors`: the asymptotic standard error of each parameter."""

    p: Optional[float]
    q: Optional[float]
    gamma: Optional[float]


# --- outreach service (src/outbox.rs) ----------------------------------------


class EmailMessage(TypedDict):
    """What `OutreachService` hands `Sender.send_email`."""

    outbox_id: str
    """The outbox entry; pass it to the provider (Mailgun `v:outbox_id`) so its
    webhooks name it."""
    idempotency_key: str
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    headers: Dict[str, str]
    """`List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058): add them."""
    variables: Dict[str, str]
    """Custom variables for the provider (`outbox_id`)."""


class SmsMessage(TypedDict):
    """What `OutreachService` hands `Sender.send_sms`."""

    outbox_id: str
    idempotency_key: str
    to: str
    """E.164."""
    body: str
    status_callback: Optional[str]
    """The status-callback URL naming the outbox entry (with `status_callback_base`)."""


class Sender(Protocol):
    """The host's email and SMS provider. Each method returns the provider's message
    id; raising `MessagingError` says the provider did not take the message (it is
    queued again); any other exception leaves the outcome unknown (never re-sent
    automatically)."""

    def send_email(self, message: EmailMessage) -> str: ...
    def send_sms(self, message: SmsMessage) -> str: ...


class OutreachConfigDict(TypedDict, total=False):
    """`OutreachService(config=...)`: `campaign_id` and `brand_name` are required."""

    campaign_id: str
    brand_name: str
    email_template: str
    sms_template: Optional[str]
    community_invite_url: str
    postal_address: str
    unsubscribe_base_url: str
    consent_base_url: Optional[str]
    consent_key: Union[str, bytes]
    consent_text_version: str
    consent_link_days: int
    max_attempts: int
    opt_out_reply: str
    opt_in_reply: str
    help_reply: str
    status_callback_base: Optional[str]


class PlannedMessageDict(TypedDict):
    id: str
    creator: str
    channel: Literal["email", "sms"]
    template: str
    not_before: str


class SkippedMessageDict(TypedDict):
    creator: str
    channel: Literal["email", "sms"]
    reason: Literal["no_address", "no_consent", "stopped", "no_send_window"]


class PlanResult(TypedDict):
    """`OutreachService.plan()`."""

    queued: int
    already_queued: int
    messages: List[PlannedMessageDict]
    skipped: List[SkippedMessageDict]


class SendResult(TypedDict):
    """`OutreachService.send_due()`."""

    sent: int
    failed: int
    deferred: int
    cancelled: int
    taken: int


class InboundResult(TypedDict):
    """`OutreachService.inbound_sms()`."""

    keyword: Optional[Literal["opt_out", "opt_in", "help"]]
    creators: List[str]
    reply: Optional[str]
    duplicate: bool


_OutboxStatus = Literal[
    "queued", "sending", "sent", "delivered", "failed", "bounced", "unknown", "cancelled"
]


class OutboxLogDict(TypedDict):
    at: str
    status: _OutboxStatus
    event: str
    detail: str


class OutboxEntryDict(TypedDict):
    """One message of `OutreachService.history()`."""

    id: str
    creator: str
    channel: Literal["email", "sms"]
    kind: Literal["campaign", "reply"]
    template: str
    campaign: str
    to: str
    body: Optional[str]
    not_before: str
    status: _OutboxStatus
    attempts: int
    provider_message_id: Optional[str]
    log: List[OutboxLogDict]
    version: int


class ConsentEntryDict(TypedDict):
    """One line of `OutreachService.consent()`."""

    creator: str
    channel: Literal["email", "sms"]
    action: Literal["opt_in", "opt_out"]
    at: str
    source: Literal["consent_link", "sms_keyword", "provider_event", "staff"]
    text_version: Optional[str]
    ip: Optional[str]
    user_agent: Optional[str]


class OutreachStore(Protocol):
    """The outreach half of the store protocol: where `OutreachService` keeps its outbox,
    consent ledger and applied delivery events. `MemoryStore` and `SqliteStore` have
    these methods; any object with them is an outreach store too (one object with both
    halves is both stores). Arguments and results are plain data (the JSON forms core
    defines); `apply_outreach` takes a list of changes (`{"change": "put_outbox",
    "entry": ..., "expected": version}`, `"record_consent"` with an `entry`,
    `"mark_event"` with a `key`, `"forget_creator"` with a `creator`) and must apply all
    of them or none, raising `ConflictError` for a stale `expected` version or an event
    key already marked. An exception a method raises reaches the `OutreachService`
    caller unchanged."""

    def outbox(self, workspace: str, ids: List[str]) -> List[OutboxEntryDict]: ...
    def outbox_with_status(
        self, workspace: str, status: str, limit: int
    ) -> List[OutboxEntryDict]: ...
    def outbox_of(self, workspace: str, creator: str) -> List[OutboxEntryDict]: ...
    def outbox_to(self, workspace: str, to: str) -> List[OutboxEntryDict]: ...
    def consent(self, workspace: str, creators: List[str]) -> List[ConsentEntryDict]: ...
    def events_seen(self, workspace: str, keys: List[str]) -> List[str]: ...
    def apply_outreach(self, workspace: str, changes: List[Dict[str, Any]]) -> None: ...
