//! Kotlin and Swift bindings of creator-crm (uniffi, proc-macros, library mode).
//!
//! Mainly small Rust wrappers: records with `From` impls from the core types,
//! and one file per core module (`identity.rs`, ...). `errors.rs` is the one
//! place where core errors become the typed [`CrmError`] enum. A panic reaches
//! Kotlin / Swift as uniffi's internal error, never as an abort
//! (`panic = "unwind"`).
//!
//! Generate the sources with the `uniffi-bindgen` binary of this crate
//! (feature `cli`), see the repository README.

uniffi::setup_scaffolding!();

/// `Display` as the type's redacted `Debug`, for records holding personal data: uniffi
/// exports both, as Kotlin's `toString` and Swift's `description`/`debugDescription`.
macro_rules! display_as_debug {
    ($($t:ty),+ $(,)?) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(self, f)
            }
        }
    )+};
}

mod analytics;
mod crm;
mod errors;
mod identity;
mod insights;
mod merge;
mod outbox;
mod outreach;
mod privacy;
mod quiet_hours;
mod retention;
mod store;
mod supporter_config;
mod supporter_events;
mod supporters;
mod table;
mod templates;
mod tiers;
mod time;
mod webhooks;

pub use analytics::{
    ConversionOverall, CreatorConversion, CreatorTrend, CreatorVideoPerformance, Dashboard,
    DashboardOptions, MergeResult, Metric, Performer, Period, PostingSummary, ProductConversion,
    ProductPerformance, dashboard, posting_summaries, product_performance, sample_conversion,
    sample_conversion_by_product, sample_conversion_overall, top_performers, trending,
    video_performance,
};
pub use crm::{
    ActivityEntry, Actor, AlertsDelivered, CreatorPage, CreatorProfile, CreatorWhere, Crm,
    ImportOutcome, ProfileChanges, Role, StoredCreator,
};
pub use errors::{CrmError, ErrorInfo};
pub use identity::{
    Phone, PhoneKind, PhoneResult, StringResult, normalize_email, normalize_emails,
    normalize_handle, normalize_handles, parse_phone, parse_phones, repair_text, repair_texts,
};
pub use insights::{
    ContactTime, Contribution, HeuristicReason, ModelRisk, PriorityPart, PurchaseModel,
    PurchaseModelFit, RetentionConfig, RetentionRisk, RiskBasis, RiskLevel, ScoreExplanation,
    SegmentRule, Signal, SupporterInsights, Trend, TrendDirection, UpgradeHint, Weekday,
    default_retention_config, explain_score, fit_purchase_model, purchase_summary,
    supporter_insights, supporter_insights_for_all, supporter_insights_with_model,
};
pub use merge::{
    BrandLink, Cell, Conflict, ExportFile, FileReport, ImportStatus, MergeOutcome, MergeProgress,
    MergeReport, MergeSettings, MergedCreator, Merger, Product, RejectedRow, Sample, Snapshot,
    SourceRows, Video, VideoProduct, merge_exports, merge_rows,
};
pub use outbox::{
    ConsentAction, ConsentEntry, ConsentSource, DeliveryOutcome, InboundOutcome, MessageKind,
    MessageSender, OutboundEmail, OutboundSms, OutboxEntry, OutboxLog, OutboxStatus, OutboxStore,
    OutreachConfig, OutreachService, PlanOutcome, SendOutcome,
};
pub use outreach::{
    Campaign, Channel, ConsentClaim, OutreachPlan, OutreachTarget, PlannedMessage, PreparedSms,
    SkipReason, SkippedMessage, SmsEncoding, SmsKeyword, SmsPolicy, SmsSegments, SmsWarning,
    check_freshness, idempotency_key, next_under_daily_cap, plan_outreach, prepare_sms,
    render_template, sign_consent_token, smart_encode, sms_keyword, sms_segments, sms_send_window,
    verify_consent_token, verify_mailgun_signature, verify_twilio_body_signature,
    verify_twilio_signature,
};
pub use privacy::{
    AuditRecord, Finding, NameSource, PiiType, Redacted, Removal, RemovalKind, SanitizeOptions,
    SanitizeReport, SupporterActionKind, SupporterView, ViewScore, audit_action, authorize_action,
    redact_text, sanitize_json, sanitize_json_report, supporter_view,
};
pub use quiet_hours::{
    DailyWindow, EffectiveRule, QuietHours, StateRule, WeekRule, default_quiet_hours,
    effective_sms_rule,
};
pub use retention::{
    BgNbd, BgNbdFit, Estimate, FitInfo, GammaGamma, GammaGammaFit, RetentionPoint, RfmSummary,
    fit_bgnbd, fit_gamma_gamma, retention_curve, rfm_summary,
};
pub use store::{
    ConformanceResult, CrmOutreachStore, CrmStore, MemoryStore, SqliteStore, StoreFactory,
    run_store_conformance, store_list_page, store_search,
};
pub use supporter_config::{
    AlertConfig, Curve, InsightConfig, ScoringConfig, SignalWeights, default_alert_config,
    default_insight_config, default_scoring_config,
};
pub use supporter_events::{
    EventRsvp, LiveSession, SpendEvent, SpendFeature, Supporter, SupporterActivity,
    supporter_counters,
};
pub use supporters::{
    Alert, AlertDetail, AlertKind, AlertPriority, CooldownEntry, Delivery, FanClub, InboxTabs,
    Segment, Signals, SupporterCounters, SupporterScore, TabOptions, TabPage, deliver_alerts,
    detect_alerts, detect_supporter_alerts, inbox_tabs, score_supporters,
};
pub use table::{
    ColumnKind, TableColumn, analytics_table_names, creator_columns, table_columns, table_names,
};
pub use templates::{
    EmailTemplate, MissingPart, RenderedEmail, TemplateReport, Templates, WelcomeContext,
    known_template_variables, sample_welcome_context, validate_email_template,
    validate_sms_template, welcome_email_template, welcome_sms_template,
};
pub use tiers::{
    BadgeDecision, CreatorInput, CreatorTier, GmvObservation, PreviousTier, ShopBadge, StableTier,
    TierDecision, TierRule, TierThresholds, apply_minimum_days, classify_creators,
    default_badge_thresholds, default_tier_thresholds, monthly_gmv, monthly_gmv_from_snapshots,
    shop_badge,
};
pub use webhooks::{
    DeliveryEvent, DeliveryEventKind, MailgunSignature, MailgunWebhook, Provider,
    parse_mailgun_webhook, parse_twilio_status, verify_mailgun_webhook,
};
