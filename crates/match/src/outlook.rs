//! Anticipation from load history: how much empty running a vehicle can expect after a trip
//! that ends near a given site.
//!
//! Freight flows are unbalanced. A rail yard that receives more loads than it sends keeps
//! collecting trucks that must leave it empty; a steel works that sends more than it receives
//! keeps needing trucks. Over a day the surplus must be driven to the deficit sites empty, and
//! the cheapest way to do that is a transportation problem between them. [`learn_outlook`] solves
//! that problem on past loads (e.g. yesterday's) with road distances and gives every surplus site
//! the mean length of the empty trips that leave it: the empty km a vehicle that ends a trip there
//! can expect before its next load. Sites that send at least as much as they receive get 0.
//!
//! Rolling dispatch plans only the loads posted so far, so without an outlook a plan happily ends
//! a vehicle's chain at a surplus site. With [`crate::MatchConfig::outlook`] set, the search
//! sequencing ([`crate::Sequencing::Search`]) prices a chain's end at
//! `w × return km + (1 − w) × outlook km`, where `w` is the vehicle's
//! [`crate::AvailableVehicle::return_weight`]: early in the day the outlook counts, at the end of
//! the crew's day the way home does.
//!
//! ```
//! use wuliu_match::outlook::{learn_outlook, outlook_km};
//! use wuliu_model::{GeoPoint, StraightLine};
//!
//! let yard = GeoPoint::new(24.30, 109.45).unwrap();
//! let works = GeoPoint::new(24.40, 109.40).unwrap();
//! // Yesterday: three loads from the works to the yard, one back.
//! let trips = [(works, yard), (works, yard), (works, yard), (yard, works)];
//! let sites = learn_outlook(&trips, &StraightLine::default(), 2.0).unwrap();
//! assert!(outlook_km(&sites, yard) > 10.0); // trucks leave the yard empty
//! assert_eq!(outlook_km(&sites, works), 0.0);
//! ```

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, TravelCosts};

use crate::assignment::{max_weight_matching, Edge};
use crate::error::MatchError;
use crate::grid::Grid;

/// Expected empty running after a trip that ends within `radius_km` of `point`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SiteOutlook {
    /// Centre of the site (mean of the load ends seen there).
    pub point: GeoPoint,
    /// Radius of the site, km: the farthest load end seen there from the centre.
    pub radius_km: f64,
    /// Empty km a vehicle can expect to drive from here to its next load.
    pub empty_km: f64,
    /// Net loads arriving minus leaving in the history (positive: surplus of vehicles).
    pub net_arrivals: i64,
}

/// At most this many surplus units enter the transportation problem; larger histories are scaled.
const MAX_UNITS: usize = 600;

/// Learns site outlooks from past trips `(origin, destination)`: the ends are grouped into sites
/// (each end joins the first site whose leader, its first end, lies within `site_km`), and the
/// surplus of each site is sent to the deficit sites along the cheapest road km (an exact
/// assignment of unit flows). Fails only when the travel-cost provider fails.
pub fn learn_outlook(
    trips: &[(GeoPoint, GeoPoint)],
    costs: &dyn TravelCosts,
    site_km: f64,
) -> Result<Vec<SiteOutlook>, MatchError> {
    let mut out = group_sites(trips, site_km.max(0.1));
    let net = |s: usize| out[s].net_arrivals;
    let surplus: Vec<usize> = (0..out.len()).filter(|&s| net(s) > 0).collect();
    let deficit: Vec<usize> = (0..out.len()).filter(|&s| net(s) < 0).collect();
    if surplus.is_empty() || deficit.is_empty() {
        return Ok(out);
    }
    let total: i64 = surplus.iter().map(|&s| net(s)).sum();
    let scale = (MAX_UNITS as f64 / total as f64).min(1.0);
    let units = |n: i64| ((n.unsigned_abs() as f64 * scale).round() as usize).max(1);
    let rows: Vec<usize> = surplus
        .iter()
        .flat_map(|&s| std::iter::repeat_n(s, units(net(s))))
        .collect();
    let cols: Vec<usize> = deficit
        .iter()
        .flat_map(|&s| std::iter::repeat_n(s, units(net(s))))
        .collect();
    let from: Vec<GeoPoint> = surplus.iter().map(|&s| out[s].point).collect();
    let to: Vec<GeoPoint> = deficit.iter().map(|&s| out[s].point).collect();
    let m = costs.matrix(&from, &to)?;
    let km = |a: usize, b: usize| -> Option<f64> {
        let i = surplus.binary_search(&a).ok()?;
        let j = deficit.binary_search(&b).ok()?;
        m.get(i, j).map(|l| l.distance.0 / 1000.0)
    };
    // Maximise (big − km): every unit is shipped, along the cheapest total km.
    let big = 1.0e6;
    let mut edges = Vec::with_capacity(rows.len() * cols.len());
    for (r, &a) in rows.iter().enumerate() {
        for (c, &b) in cols.iter().enumerate() {
            if let Some(d) = km(a, b) {
                edges.push(Edge {
                    row: r,
                    col: c,
                    weight: big - d,
                });
            }
        }
    }
    let matching = max_weight_matching(rows.len(), cols.len(), &edges);
    let mut sum = vec![(0.0f64, 0usize); out.len()];
    for (r, c) in matching.iter().enumerate() {
        if let Some(c) = c {
            if let Some(d) = km(rows[r], cols[*c]) {
                sum[rows[r]].0 += d;
                sum[rows[r]].1 += 1;
            }
        }
    }
    for (s, (total_km, n)) in sum.into_iter().enumerate() {
        if n > 0 {
            out[s].empty_km = total_km / n as f64;
        }
    }
    Ok(out)
}

/// The expected empty km after a trip ending at `p`: the outlook of the nearest site that covers
/// `p` (its radius plus 1 km), else 0.
pub fn outlook_km(sites: &[SiteOutlook], p: GeoPoint) -> f64 {
    sites
        .iter()
        .map(|s| (s.point.haversine(&p).0 / 1000.0, s))
        .filter(|(d, s)| *d <= s.radius_km + 1.0)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(0.0, |(_, s)| s.empty_km)
}

/// A site while the ends are grouped: its ends in the order seen (the first is its leader).
struct Site {
    members: Vec<GeoPoint>,
    /// Arrivals minus departures.
    net: i64,
}

/// Leader clustering of the trips' ends, in trip order (origin before destination): each end
/// joins the earliest site whose leader lies within `site_km`, else it leads a new site. A site's
/// outlook point is the mean of its ends, its radius the farthest end from that mean, and its
/// `net_arrivals` counts arrivals minus departures; `empty_km` is left at 0.
///
/// The leaders are indexed in a [`Grid`] of `site_km` cells, so each end is compared only with
/// the leaders of nearby cells; taking the earliest of those that qualify finds the site a scan
/// of every site in creation order would.
fn group_sites(trips: &[(GeoPoint, GeoPoint)], site_km: f64) -> Vec<SiteOutlook> {
    let ends: Vec<GeoPoint> = trips.iter().flat_map(|&(o, d)| [o, d]).collect();
    let mut leaders = Grid::empty_for(&ends, site_km);
    let mut sites: Vec<Site> = Vec::new();
    for (i, p) in ends.iter().enumerate() {
        let mut first: Option<usize> = None;
        leaders.within(p, site_km, |ids| {
            for &k in ids {
                if first.is_none_or(|f| k < f)
                    && sites[k].members[0].haversine(p).0 / 1000.0 <= site_km
                {
                    first = Some(k);
                }
            }
        });
        let k = first.unwrap_or_else(|| {
            sites.push(Site {
                members: Vec::new(),
                net: 0,
            });
            leaders.insert(p)
        });
        let s = &mut sites[k];
        s.net += if i % 2 == 1 { 1 } else { -1 };
        s.members.push(*p);
    }
    sites
        .into_iter()
        .map(|s| {
            let n = s.members.len() as f64;
            let (lat, lon) = s
                .members
                .iter()
                .fold((0.0, 0.0), |(lat, lon), p| (lat + p.lat, lon + p.lon));
            let point = GeoPoint::new(lat / n, lon / n).unwrap_or(s.members[0]);
            SiteOutlook {
                point,
                radius_km: s
                    .members
                    .iter()
                    .map(|p| point.haversine(p).0 / 1000.0)
                    .fold(0.0, f64::max),
                empty_km: 0.0,
                net_arrivals: s.net,
            }
        })
        .collect()
}
