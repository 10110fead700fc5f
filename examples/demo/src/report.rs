//! `report.html`: one self-contained page (inline CSS and SVG, no script, no network)
//! showing the dashboard of the merged exports, the supporters' segments and retention.
//!
//! Every number comes from the library's own functions: [`dashboard`] for the top
//! creators and the sample → video funnel, [`classify_population`] and [`shop_badge`] for
//! tiers and badges, [`Scorer`] for segments, [`insights_for_all`] for retention risk,
//! [`posting_summaries`], [`retention_curve`] and [`fit_bgnbd`] for retention. The page
//! is rendered by minijinja with HTML auto-escaping, so every text is escaped.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use creator_crm::{
    analytics::{
        DashboardOptions, Metric, Period, dashboard,
        retention::{fit_bgnbd, posting_summaries, retention_curve},
        top_performers,
    },
    identity::Handle,
    merge::MergeResult,
    supporters::{
        InsightConfig, RetentionConfig, RiskBasis, RiskLevel, Scorer, ScoringConfig, Segment,
        Supporter, SupporterCounters, insights_for_all,
    },
    tiers::{
        BadgeThresholds, CreatorTier, ShopBadge, TierInput, TierThresholds, classify_population,
        shop_badge,
    },
};
use minijinja::{AutoEscape, Environment};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use serde::Serialize;

/// The page template (Jinja syntax).
const TEMPLATE: &str = include_str!("report.html.j2");

/// Width in pixels of the longest bar.
const BAR_WIDTH: f64 = 460.0;

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// What the bar counts.
    pub label: String,
    /// The value as shown.
    pub value: String,
    /// Its length in pixels (the largest value is [`BAR_WIDTH`]).
    pub width: f64,
}

/// A bar chart: its title and bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarChart {
    /// The element id.
    pub id: &'static str,
    /// Title above the chart.
    pub title: String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// One point of the retention curve, in chart coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Days since the first post.
    pub day: u32,
    /// Share still posting, as shown (`"62.5%"`).
    pub share: String,
    /// The base of the share.
    pub observed: u64,
    /// x in the chart.
    pub x: f64,
    /// y in the chart.
    pub y: f64,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The day the data is observed on.
    pub as_of: String,
    /// The period of the top creators, `start – end`.
    pub period: String,
    /// Creators merged.
    pub creators: usize,
    /// Top creators by GMV in the period.
    pub top_gmv: BarChart,
    /// Sample orders → samples → converted samples, and the creators.
    pub funnel: BarChart,
    /// The conversion window and the overall rates in words.
    pub funnel_note: String,
    /// Creators per tier.
    pub tiers: BarChart,
    /// Creators per TikTok Shop badge.
    pub badges: BarChart,
    /// Supporters per segment.
    pub segments: BarChart,
    /// Supporters per retention-risk level.
    pub risk: BarChart,
    /// Which model backed the retention risks, in words.
    pub risk_note: String,
    /// The observed posting retention curve.
    pub curve: Vec<CurvePoint>,
    /// The polyline of the curve.
    pub curve_points: String,
    /// The BG/NBD of creators' posting, in words.
    pub posting_model: String,
}

fn bars(id: &'static str, title: &str, items: Vec<(String, f64, String)>) -> BarChart {
    let max = items.iter().map(|(_, v, _)| *v).fold(0.0, f64::max);
    BarChart {
        id,
        title: title.to_owned(),
        bars: items
            .into_iter()
            .map(|(label, v, value)| Bar {
                label,
                value,
                width: if max > 0.0 {
                    (v / max * BAR_WIDTH * 10.0).round() / 10.0
                } else {
                    0.0
                },
            })
            .collect(),
    }
}

fn count_bars<T: Copy + PartialEq>(
    id: &'static str,
    title: &str,
    kinds: &[(T, &str)],
    of: impl Iterator<Item = T> + Clone,
) -> BarChart {
    let items = kinds
        .iter()
        .map(|(k, name)| {
            let n = of.clone().filter(|x| x == k).count();
            ((*name).to_owned(), n as f64, n.to_string())
        })
        .collect();
    bars(id, title, items)
}

/// Three significant digits; scientific notation outside `[0.001, 1e6)`.
fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor();
    if (-3.0..6.0).contains(&mag) {
        let places = (2.0 - mag).max(0.0) as usize;
        format!("{x:.places$}")
    } else {
        format!("{x:.2e}")
    }
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

/// When each creator first appears in the data (earliest sample or video), if ever.
fn first_seen(result: &MergeResult) -> BTreeMap<&Handle, NaiveDateTime> {
    let mut first: BTreeMap<&Handle, NaiveDateTime> = BTreeMap::new();
    let samples = result
        .samples
        .iter()
        .filter_map(|s| s.created_at.or(s.shipped_at).map(|t| (&s.handle, t)));
    let videos = result
        .videos
        .iter()
        .filter_map(|v| v.posted_at.map(|t| (&v.handle, t)));
    for (h, t) in samples.chain(videos) {
        let e = first.entry(h).or_insert(t);
        *e = (*e).min(t);
    }
    first
}

/// The report's numbers for `result` and `supporters` as of `now`, the top creators
/// over the 30 days before `now`.
///
/// # Errors
/// When the period falls outside the calendar or the scorer's defaults are invalid.
pub fn build(
    result: &MergeResult,
    supporters: &[Supporter],
    now: DateTime<Utc>,
) -> Result<Report, creator_crm::Error> {
    let today = now.date_naive();
    let period = Period::new(today - Duration::days(30), today)?;
    let options = DashboardOptions::new(period);
    let d = dashboard(result, &options)?;

    let top_gmv = bars(
        "top-gmv",
        "Top creators by GMV",
        d.top_by_gmv
            .iter()
            .map(|p| {
                (
                    format!("@{}", p.tiktok_username.as_str()),
                    p.gmv.to_f64().unwrap_or(0.0),
                    format!("${}", p.gmv.round_dp(2)),
                )
            })
            .collect(),
    );

    let o = &d.conversion_overall;
    let funnel = bars(
        "funnel",
        "Sample → video funnel",
        vec![
            (
                "sample orders".to_owned(),
                (o.samples + o.cancelled) as f64,
                (o.samples + o.cancelled).to_string(),
            ),
            (
                "samples (not cancelled)".to_owned(),
                o.samples as f64,
                o.samples.to_string(),
            ),
            (
                "converted to a video".to_owned(),
                o.converted as f64,
                format!("{} ({})", o.converted, percent(o.rate)),
            ),
            (
                "creators with samples".to_owned(),
                o.creators as f64,
                o.creators.to_string(),
            ),
            (
                "creators who posted".to_owned(),
                o.converted_creators as f64,
                format!("{} ({})", o.converted_creators, percent(o.creator_rate)),
            ),
        ],
    );
    let funnel_note = format!(
        "A sample converts when its creator posts a video within {} days of delivery \
         (else shipping, else the order). {} cancelled orders are not samples; {} samples \
         have no date.",
        o.within_days, o.cancelled, o.undated
    );

    // Tiers and badges on each creator's GMV in the period.
    let gmv_in_period: BTreeMap<Handle, Decimal> =
        top_performers(result, period, Metric::Gmv, usize::MAX)
            .into_iter()
            .map(|p| (p.tiktok_username, p.gmv))
            .collect();
    let seen = first_seen(result);
    let inputs: Vec<TierInput> = result
        .creators
        .iter()
        .map(|c| TierInput {
            id: c.handle.as_str().to_owned(),
            joined_at: seen
                .get(&c.handle)
                .map_or(now - Duration::days(365), |t| t.and_utc()),
            monthly_earnings: gmv_in_period.get(&c.handle).copied().unwrap_or_default(),
        })
        .collect();
    let tier_decisions = classify_population(&inputs, &TierThresholds::default(), now);
    let tiers = count_bars(
        "tiers",
        "Creators by tier",
        &[
            (CreatorTier::Newcomer, "Newcomer"),
            (CreatorTier::Emerging, "Emerging"),
            (CreatorTier::Rising, "Rising"),
            (CreatorTier::Established, "Established"),
            (CreatorTier::Star, "Star"),
            (CreatorTier::Superstar, "Superstar"),
            (CreatorTier::Legend, "Legend"),
        ],
        tier_decisions.iter().map(|t| t.tier),
    );
    let thresholds = BadgeThresholds::default();
    let badges = count_bars(
        "badges",
        "Creators by TikTok Shop badge",
        &[
            (ShopBadge::Bronze, "Bronze"),
            (ShopBadge::Silver, "Silver"),
            (ShopBadge::Gold, "Gold"),
            (ShopBadge::Platinum, "Platinum"),
            (ShopBadge::Ruby, "Ruby"),
            (ShopBadge::Emerald, "Emerald"),
            (ShopBadge::Sapphire, "Sapphire"),
            (ShopBadge::Diamond, "Diamond"),
        ],
        inputs
            .iter()
            .map(move |i| shop_badge(i.monthly_earnings, &thresholds).badge),
    );

    // Supporters: segments and retention risk.
    let scorer = Scorer::new(ScoringConfig::default())?;
    let segments_of: Vec<Segment> = supporters
        .iter()
        .map(|s| {
            scorer
                .score(&SupporterCounters::from_supporter(s, now), now)
                .segment
        })
        .collect();
    let segments = count_bars(
        "segments",
        "Supporters by segment",
        &[
            (Segment::Vip, "VIP"),
            (Segment::HotLead, "Hot lead"),
            (Segment::Active, "Active"),
            (Segment::Dormant, "Dormant"),
            (Segment::Cold, "Cold"),
        ],
        segments_of.iter().copied(),
    );
    let insights = insights_for_all(
        supporters,
        &InsightConfig::default(),
        &RetentionConfig::default(),
        now,
    );
    let risk = count_bars(
        "risk",
        "Supporters by retention risk",
        &[
            (RiskLevel::Low, "Low"),
            (RiskLevel::Medium, "Medium"),
            (RiskLevel::High, "High"),
        ],
        insights.iter().map(|i| i.retention_risk.level),
    );
    let by_model = insights
        .iter()
        .filter(|i| matches!(i.retention_risk.basis, RiskBasis::BgNbd(_)))
        .count();
    let example = insights
        .iter()
        .find(|i| matches!(i.retention_risk.basis, RiskBasis::BgNbd(_)))
        .map_or_else(String::new, |i| {
            format!(" For example: {}", i.retention_risk.explanation)
        });
    let risk_note = format!(
        "{by_model} of {} supporters scored by the BG/NBD model of purchases (P(alive)); \
         the rest by the heuristic, which says why.{example}",
        supporters.len()
    );

    // Creators' posting: observed retention and the BG/NBD fitted on it.
    let summaries: Vec<_> = posting_summaries(result, today)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let days: Vec<u32> = (0..=12).map(|w| w * 7).collect();
    let points = retention_curve(&summaries, &days);
    let curve: Vec<CurvePoint> = points
        .iter()
        .filter_map(|p| {
            p.share.map(|share| CurvePoint {
                day: p.day,
                share: percent(Some(share)),
                observed: p.observed,
                x: 60.0 + 660.0 * f64::from(p.day) / 84.0,
                y: ((220.0 - 200.0 * share) * 10.0).round() / 10.0,
            })
        })
        .collect();
    let curve_points = curve
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let frequency: Vec<u32> = summaries.iter().map(|s| s.frequency).collect();
    let recency: Vec<f64> = summaries.iter().map(|s| s.recency).collect();
    let age: Vec<f64> = summaries.iter().map(|s| s.age).collect();
    let posting_model = match fit_bgnbd(&frequency, &recency, &age) {
        Ok(f) => format!(
            "BG/NBD of posting fitted on {} creators (days): r {}, alpha {}, a {}, b {}; \
             {} expected videos in the next 30 days for a new creator.",
            f.info.customers,
            sig3(f.model.r),
            sig3(f.model.alpha),
            sig3(f.model.a),
            sig3(f.model.b),
            f.model
                .expected_purchases_new(30.0)
                .map_or_else(|_| "–".to_owned(), |e| format!("{e:.2}")),
        ),
        Err(e) => format!("BG/NBD of posting not fitted: {e}."),
    };

    Ok(Report {
        as_of: today.to_string(),
        period: format!("{} – {}", period.start(), period.end() - Duration::days(1)),
        creators: result.creators.len(),
        top_gmv,
        funnel,
        funnel_note,
        tiers,
        badges,
        segments,
        risk,
        risk_note,
        curve,
        curve_points,
        posting_model,
    })
}

/// The page for `report`, every text HTML-escaped.
///
/// # Errors
/// When the template fails to render.
pub fn render(report: &Report) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)?;
    env.get_template("report.html")?
        .render(minijinja::context! { r => minijinja::value::Serde(report) })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn tiny() -> Report {
        let chart = |id| BarChart {
            id,
            title: "<b>title</b>".to_owned(),
            bars: vec![Bar {
                label: "<script>alert(1)</script>".to_owned(),
                value: "\"5\" & more".to_owned(),
                width: 460.0,
            }],
        };
        Report {
            as_of: "2025-11-21".to_owned(),
            period: "p".to_owned(),
            creators: 1,
            top_gmv: chart("top-gmv"),
            funnel: chart("funnel"),
            funnel_note: "<i>note</i>".to_owned(),
            tiers: chart("tiers"),
            badges: chart("badges"),
            segments: chart("segments"),
            risk: chart("risk"),
            risk_note: String::new(),
            curve: Vec::new(),
            curve_points: String::new(),
            posting_model: String::new(),
        }
    }

    #[test]
    fn every_text_is_escaped() {
        let page = render(&tiny()).unwrap();
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("<b>title"));
        assert!(!page.contains("<i>note"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
        assert!(page.contains("&quot;5&quot; &amp; more"));
        // An empty curve says so instead of drawing nothing.
        assert!(page.contains(">no data</text>"));
    }

    #[test]
    fn sigificant_digits() {
        assert_eq!(sig3(0.2431), "0.243");
        assert_eq!(sig3(4.414), "4.41");
        assert_eq!(sig3(17.79), "17.8");
        assert_eq!(sig3(188_060_203.9), "1.88e8");
        assert_eq!(sig3(0.000_04), "4.00e-5");
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let c = bars(
            "x",
            "t",
            vec![
                ("a".into(), 10.0, "10".into()),
                ("b".into(), 5.0, "5".into()),
                ("c".into(), 0.0, "0".into()),
            ],
        );
        let widths: Vec<f64> = c.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, [460.0, 230.0, 0.0]);
        assert!(bars("x", "t", vec![("a".into(), 0.0, "0".into())]).bars[0].width == 0.0);
    }

    /// The report of the bundled data: its numbers pinned (the page is made from them).
    #[test]
    fn sample_report() {
        let data = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
        let result = crate::merge(&data).unwrap();
        let now = crate::demo_now();
        let fans = crate::supporters::population(crate::DEMO_SUPPORTERS, now);
        let report = build(&result, &fans, now).unwrap();
        insta::assert_json_snapshot!("sample_report", report);
        let page = render(&report).unwrap();
        for id in [
            "top-gmv",
            "funnel",
            "tiers",
            "badges",
            "segments",
            "risk",
            "retention",
        ] {
            assert!(page.contains(&format!("<svg id=\"{id}\"")), "{id}");
        }
        // Self-contained: no script, nothing loaded (the only URL is the SVG namespace).
        for loads in ["<script", " src=", "href=", "url(", "@import", "<link"] {
            assert!(!page.contains(loads), "{loads}");
        }
    }
}
