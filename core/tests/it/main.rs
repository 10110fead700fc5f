//! The integration tests of `creator-crm`, one module per subject, linked into one test
//! binary: one link instead of one per file, and one copy of the library on disk.
//! Snapshots live in `snapshots/`, named `it__<module>__<name>.snap`.

mod analytics_laws;
mod analytics_retention;
mod analytics_snapshots;
mod analytics_tables;
#[cfg(feature = "arrow")]
mod arrow_input;
mod export_csv;
mod golden_sample;
mod identity_laws;
mod identity_table;
mod import_robustness;
mod merge_api;
mod merge_laws;
mod merge_partition;
mod no_pii_in_formatting;
mod outbox_service;
mod outreach_keywords;
mod outreach_messaging;
mod outreach_oracle;
mod outreach_plan;
mod outreach_quiet_hours;
mod outreach_sms;
mod outreach_templates;
mod outreach_webhooks;
mod outreach_window_laws;
mod phone_bulk;
mod privacy_laws;
mod privacy_snapshots;
mod store_memory;
mod supporters_laws;
mod supporters_retention;
mod supporters_rules;
mod supporters_snapshots;
mod tiers_rules;
mod tiers_snapshots;
mod vectors;
mod vectors_merge;
mod vectors_privacy;
