//! Past operations for the dashboard's trends: the demo's waybills replayed over earlier days, with a
//! growth trend, a weekly rhythm (quieter weekends) and the Spring Festival lull, so that series by
//! day and by month, their forecasts and the prosperity index have years of history to work on.
//!
//! Each replayed waybill copies a generated one (same parties, vehicle, drivers, places and goods),
//! moved to its new day with the same time of day and durations, a weight and amount varied by up to
//! ±20 %, no load link (the original load's deadline belongs to the original day), and status
//! receipted when its receipt time has passed, dispatched otherwise.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::{Kg, Waybill, WaybillStatus, Yuan};

/// How much history to make.
#[derive(Debug, Clone)]
pub struct HistoryConfig {
    /// First day (Beijing calendar), inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// Mean waybills per working day at `from`.
    pub per_day: f64,
    /// Growth per year (0.12 = 12 %).
    pub growth: f64,
    /// Seed.
    pub seed: u64,
    /// Receipt times after this moment leave the waybill dispatched.
    pub now: DateTime<Utc>,
}

/// Relative volume of a day: weekly rhythm × the Spring Festival lull (late January to February).
pub fn day_factor(d: NaiveDate) -> f64 {
    let weekly = match d.weekday().num_days_from_monday() {
        5 => 0.75,
        6 => 0.55,
        _ => 1.0,
    };
    let seasonal = match (d.month(), d.day()) {
        (1, 20..) | (2, ..=15) => 0.6,
        (2, _) => 0.85,
        (11, _) | (12, _) => 1.1,
        _ => 1.0,
    };
    weekly * seasonal
}

/// Replays `templates` (waybills with a despatch time) over the configured days.
pub fn replay(templates: &[Waybill], config: &HistoryConfig) -> Vec<Waybill> {
    replay_days(templates, config).flatten().collect()
}

/// The same waybills as [`replay`], one day's at a time (oldest first), so that a large history
/// need not be held in memory at once.
pub fn replay_days<'a>(
    templates: &'a [Waybill],
    config: &'a HistoryConfig,
) -> impl Iterator<Item = Vec<Waybill>> + 'a {
    let usable: Vec<&Waybill> = templates
        .iter()
        .filter(|w| w.despatch_time.is_some())
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut day = config.from;
    std::iter::from_fn(move || {
        if usable.is_empty() || day > config.to {
            return None;
        }
        let years = (day - config.from).num_days() as f64 / 365.25;
        let mean = config.per_day * (1.0 + config.growth).powf(years) * day_factor(day);
        let n = (mean * rng.gen_range(0.85..1.15)).round() as usize;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let t = usable[rng.gen_range(0..usable.len())];
            out.push(copy_to(t, day, i, rng.gen_range(0.8..1.2), config.now));
        }
        day += TimeDelta::days(1);
        Some(out)
    })
}

/// The `per_day` that makes [`replay`] produce about `total` waybills from `from` to `to` with
/// `growth`: `total` over the sum of the days' growth × [`day_factor`].
pub fn per_day_for(total: u64, from: NaiveDate, to: NaiveDate, growth: f64) -> f64 {
    let mut weight = 0.0;
    let mut day = from;
    while day <= to {
        let years = (day - from).num_days() as f64 / 365.25;
        weight += (1.0 + growth).powf(years) * day_factor(day);
        day += TimeDelta::days(1);
    }
    if weight > 0.0 {
        total as f64 / weight
    } else {
        0.0
    }
}

fn copy_to(t: &Waybill, day: NaiveDate, i: usize, scale: f64, now: DateTime<Utc>) -> Waybill {
    let despatch = t.despatch_time.expect("templates have a despatch time");
    let beijing = despatch + TimeDelta::hours(8);
    let shift = day - beijing.date_naive();
    let moved = |x: DateTime<Utc>| x + shift;
    let mut w = t.clone();
    w.external_id = Some(format!("hist-{day}-{i:03}"));
    w.shipping_note_number = format!("LS{}{i:04}", day.format("%Y%m%d"));
    w.original_document_number = None;
    w.load_id = None;
    w.consignment_time = moved(t.consignment_time);
    w.despatch_time = Some(moved(despatch));
    w.receipt_time = t.receipt_time.map(moved);
    for g in &mut w.goods {
        g.gross_weight = Kg((g.gross_weight.0 * scale).round());
    }
    w.total_amount = Yuan((t.total_amount.0 * scale).round());
    w.status = match w.receipt_time {
        Some(r) if r <= now => WaybillStatus::Receipted,
        _ => {
            w.receipt_time = None;
            WaybillStatus::Dispatched
        }
    };
    w
}
