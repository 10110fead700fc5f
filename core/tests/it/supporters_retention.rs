//! Retention risk backed by the BG/NBD purchase model: a hand-computed case, the
//! heuristic's reasons where the model has nothing to say, and a fitted population.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use creator_crm::{analytics::retention::BgNbd, supporters::*};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// A supporter who paid 50 tokens on each of `days_ago`, and chatted then too.
fn buyer(id: &str, days_ago: &[i64]) -> Supporter {
    let mut activity = SupporterActivity::default();
    for &d in days_ago {
        activity.spends.push(SpendEvent {
            at: now() - Duration::days(d),
            tokens: 50,
            feature: SpendFeature::Chat,
        });
        activity.chat_messages.push(now() - Duration::days(d));
    }
    Supporter {
        id: id.into(),
        display_name: None,
        joined_at: now() - Duration::days(400),
        time_zone: chrono_tz::UTC,
        fan_club: None,
        online: false,
        activity,
        profile: SupporterProfile::default(),
    }
}

fn hand_model() -> PurchaseModel {
    let model = BgNbd {
        r: 1.0,
        alpha: 10.0,
        a: 2.0,
        b: 3.0,
    };
    PurchaseModel::new(model, 40, 30)
}

#[test]
fn the_model_gives_p_alive_and_expected_purchases_by_hand() {
    // Purchases 40, 35 and 30 days ago: x = 2, tₓ = 10, T = 40.
    // D = a/(b+x-1) · ((α+T)/(α+tₓ))^(r+x) = 2/4 · (50/20)³ = 7.8125,
    // P(alive) = 1/(1 + D) = 0.113475…, risk = round(100 × 0.886525) = 89.
    let s = buyer("s-1", &[40, 35, 30]);
    let i = insights_with_model(&s, &InsightConfig::default(), &hand_model(), now());
    let r = &i.retention_risk;
    assert_eq!((r.score, r.level), (89, RiskLevel::High));
    let RiskBasis::BgNbd(m) = r.basis else {
        panic!("expected the model: {r:?}")
    };
    assert!((m.p_alive - 1.0 / 8.8125).abs() < 1e-12);
    // Equation 10 with ₂F₁(3, 5; 6; 30/80) summed to convergence.
    assert!((m.expected_purchases - 0.153_062_550_805_616_7).abs() < 1e-9);
    assert_eq!(
        (m.frequency, m.recency_days, m.age_days, m.horizon_days),
        (2, 10.0, 40.0, 30)
    );
    assert_eq!(
        r.explanation,
        "BG/NBD fitted on 40 supporters (r 1.00, alpha 10.0, a 2.00, b 3.00; days): \
         frequency 2, last purchase 10 days after the first, 40 days observed → \
         P(alive) 0.113, 0.15 expected purchases in the next 30 days; \
         risk 89 = 100 × (1 − P(alive)), high"
    );
    // The heuristic's facts are still reported beside the model's score.
    assert_eq!(r.days_inactive, 30);
}

#[test]
fn a_risk_basis_serializes_with_one_tag_and_its_numbers() {
    let s = buyer("s-1", &[40, 35, 30]);
    let model = hand_model();
    let i = insights_with_model(&s, &InsightConfig::default(), &model, now());
    let json = serde_json::to_string(&i.retention_risk.basis).unwrap();
    // One `model` tag: the parameters sit under their own key.
    assert_eq!(json.matches("\"model\"").count(), 1, "{json}");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let expected = v["expected_purchases"].take().as_f64().unwrap();
    assert!((expected - 0.153_062_550_805_616_7).abs() < 1e-9);
    assert_eq!(
        v,
        serde_json::json!({
            "model": "bgnbd", "p_alive": 1.0 / 8.8125, "expected_purchases": null,
            "horizon_days": 30, "frequency": 2, "recency_days": 10.0, "age_days": 40.0,
            "params": {"r": 1.0, "alpha": 10.0, "a": 2.0, "b": 3.0}, "fitted_on": 40,
        })
    );
    let once = buyer("s-2", &[5]);
    let h = insights_with_model(&once, &InsightConfig::default(), &model, now());
    assert_eq!(
        serde_json::to_string(&h.retention_risk.basis).unwrap(),
        r#"{"model":"heuristic","reason":{"kind":"no_repeat_purchase"}}"#
    );
}

#[test]
fn the_heuristic_stays_where_the_model_has_nothing_to_say() {
    let cfg = InsightConfig::default();
    let model = hand_model();
    let never = buyer("s-0", &[]);
    let r = insights_with_model(&never, &cfg, &model, now()).retention_risk;
    assert_eq!(
        r.basis,
        RiskBasis::Heuristic {
            reason: HeuristicReason::NoPurchases
        }
    );
    // Never active: counted from joining 400 days ago.
    assert_eq!(
        r.explanation,
        "heuristic (no purchases yet): inactive 400 days → +50; risk 50, medium"
    );

    let once = buyer("s-1", &[12]);
    let r = insights_with_model(&once, &cfg, &model, now()).retention_risk;
    assert_eq!(
        r.basis,
        RiskBasis::Heuristic {
            reason: HeuristicReason::NoRepeatPurchase
        }
    );
    assert_eq!(
        r.explanation,
        "heuristic (one purchase day only; the model needs a repeat purchase): \
         inactive 12 days → +20; risk 20, low"
    );
    // Without a model, insights() says so.
    let r = insights(&buyer("s-2", &[40, 35, 30]), &cfg, now()).retention_risk;
    assert_eq!(
        r.explanation,
        "heuristic (no purchase model given): inactive 30 days → +50, \
         spending falling → +25; risk 75, high"
    );
}

/// Sixty supporters: every fifth never paid, every seventh paid once, the rest
/// bought every `3 + i % 5` days for `2 + i % 6` purchases, the quiet ones ending long ago.
fn population() -> Vec<Supporter> {
    (0..60i64)
        .map(|i| {
            let id = format!("s-{i:02}");
            if i % 5 == 0 {
                return buyer(&id, &[]);
            }
            if i % 7 == 0 {
                return buyer(&id, &[20 + i]);
            }
            let gap = 3 + i % 5;
            let last = if i % 3 == 0 { 60 + i } else { i % 4 };
            let days: Vec<i64> = (0..2 + i % 6).map(|k| last + k * gap).collect();
            buyer(&id, &days)
        })
        .collect()
}

#[test]
fn a_population_too_small_to_fit_keeps_the_heuristic_and_says_why() {
    let people: Vec<Supporter> = population().into_iter().take(20).collect();
    let all = insights_for_all(
        &people,
        &InsightConfig::default(),
        &RetentionConfig::default(),
        now(),
    );
    assert_eq!(all.len(), 20);
    let expected = HeuristicReason::TooFewBuyers {
        buyers: 16,
        needed: 30,
    };
    for i in &all {
        assert_eq!(
            i.retention_risk.basis,
            RiskBasis::Heuristic { reason: expected }
        );
        assert!(
            i.retention_risk
                .explanation
                .starts_with("heuristic (16 supporters with purchases, 30 needed to fit): "),
            "{}",
            i.retention_risk.explanation
        );
    }
    let cfg = RetentionConfig {
        min_buyers: 10,
        min_repeat_buyers: 20,
        ..RetentionConfig::default()
    };
    assert_eq!(
        PurchaseModel::fit(&people, &cfg, now()).unwrap_err(),
        HeuristicReason::TooFewRepeatBuyers {
            repeat_buyers: 14,
            needed: 20
        }
    );
}

#[test]
fn a_fitted_population_backs_each_repeat_buyer_with_the_model() {
    let people = population();
    let cfg = RetentionConfig::default();
    let model = PurchaseModel::fit(&people, &cfg, now()).unwrap();
    assert_eq!(model.fitted_on, 48);
    let all = insights_for_all(&people, &InsightConfig::default(), &cfg, now());
    for (s, i) in people.iter().zip(&all) {
        let r = &i.retention_risk;
        match purchase_summary(s, now()) {
            None => assert_eq!(
                r.basis,
                RiskBasis::Heuristic {
                    reason: HeuristicReason::NoPurchases
                }
            ),
            Some(sum) if sum.frequency == 0 => assert_eq!(
                r.basis,
                RiskBasis::Heuristic {
                    reason: HeuristicReason::NoRepeatPurchase
                }
            ),
            Some(sum) => {
                let p = model
                    .model
                    .p_alive(sum.frequency, sum.recency, sum.age)
                    .unwrap();
                assert_eq!(r.score, ((1.0 - p) * 100.0).round() as u8, "{}", s.id);
                assert!(matches!(r.basis, RiskBasis::BgNbd(m) if m.p_alive == p));
            }
        }
    }
    // Long quiet repeat buyers are at risk, regular recent ones are not.
    let by_id = |id: &str| {
        let k = people.iter().position(|s| s.id.as_str() == id).unwrap();
        &all[k].retention_risk
    };
    assert_eq!(by_id("s-01").level, RiskLevel::Low);
    assert_eq!(by_id("s-33").level, RiskLevel::High);
    let shown: Vec<(String, u8, String)> = all
        .iter()
        .zip(&people)
        .map(|(i, s)| {
            (
                s.id.to_string(),
                i.retention_risk.score,
                i.retention_risk.explanation.clone(),
            )
        })
        .collect();
    insta::assert_yaml_snapshot!("fitted_population_risks", shown);
}
