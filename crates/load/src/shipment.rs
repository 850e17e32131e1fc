//! Multi-container planning: how many containers or trucks a shipment list needs, and what goes in
//! each. Containers are filled one after another; each round tries every container type still
//! available on the remaining items and keeps the best plan: the smallest type that takes
//! everything, else the plan after which the rest needs the fewest containers (a bound by volume
//! and by weight), then the one loading the most volume. When the items left are heavier than a
//! type's payload, that type is also tried without a held-back part that carries the excess weight
//! in little volume (see `hold_back_densest`), so that heavy items are not stranded one per truck.

use std::collections::HashMap;
use std::time::Instant;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::{check, CheckReport, CheckViolation};
use crate::config::LoadConfig;
use crate::error::LoadError;
use crate::model::{Constraints, Container, ItemSpec, LoadRequest};
use crate::plan::{LoadPlan, Unloaded, UnloadedReason};
use crate::solver::solve;

/// A container type on offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerOption {
    /// The container (its id is suffixed `#1`, `#2`, … per use).
    pub container: Container,
    /// How many are available; `None` means as many as needed.
    #[serde(default)]
    pub available: Option<u32>,
}

/// A shipment list to spread over containers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentRequest {
    /// Container types on offer.
    pub containers: Vec<ContainerOption>,
    /// The shipment list.
    pub items: Vec<ItemSpec>,
    /// Constraints for every container.
    #[serde(default)]
    pub constraints: Constraints,
}

impl ShipmentRequest {
    /// The single-container request that `plan` (one of [`ShipmentPlan::containers`]) answers:
    /// the whole item list with `plan`'s container. Copy numbers are unique across the shipment, so
    /// `check(&shipment.request_for(plan), plan)` validates each container.
    pub fn request_for(&self, plan: &LoadPlan) -> Option<LoadRequest> {
        let base = plan
            .container
            .rsplit_once('#')
            .map(|(b, _)| b)
            .unwrap_or(&plan.container);
        let opt = self.containers.iter().find(|o| o.container.id == base)?;
        let mut container = opt.container.clone();
        container.id = plan.container.clone();
        Some(LoadRequest {
            container,
            items: self.items.clone(),
            constraints: self.constraints.clone(),
        })
    }

    /// The independent checker's report on each container of `plan`, in the same order. A
    /// container that is not among those on offer gets a report with an `unknown_container`
    /// violation.
    pub fn check(&self, plan: &ShipmentPlan) -> Vec<CheckReport> {
        plan.containers
            .iter()
            .map(|p| match self.request_for(p) {
                Some(request) => check(&request, p),
                None => CheckReport {
                    ok: false,
                    violations: vec![CheckViolation {
                        code: "unknown_container".into(),
                        placements: Vec::new(),
                        message: format!("container {} is not among those on offer", p.container),
                    }],
                    loaded_volume: p.stats.loaded_volume,
                    utilisation: p.stats.utilisation,
                },
            })
            .collect()
    }
}

/// Containers used and items left over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ShipmentPlan {
    /// One plan per container used, in loading order. Their `unloaded` lists are empty: see below.
    pub containers: Vec<LoadPlan>,
    /// Items no container took.
    pub unloaded: Vec<Unloaded>,
    /// Loaded volume over the inner volume of the containers used, 0–1.
    pub utilisation: f64,
}

/// Plans a shipment over as few containers as the search finds, within `config.time_limit_s` in
/// total (shared between rounds and container types).
pub fn plan_shipment(
    req: &ShipmentRequest,
    config: &LoadConfig,
) -> Result<ShipmentPlan, LoadError> {
    let start = Instant::now();
    let mut left: Vec<ItemSpec> = req.items.clone();
    let mut loaded_before: HashMap<String, u32> = HashMap::new();
    let mut used: Vec<u32> = vec![0; req.containers.len()];
    let mut plans: Vec<LoadPlan> = Vec::new();
    let mut last_unloaded: Vec<Unloaded> = Vec::new();
    if req.containers.is_empty() {
        return Err(LoadError::Invalid(wuliu_model::Violations(vec![
            wuliu_model::Violation {
                code: "required".into(),
                field: "containers".into(),
                message: "at least one container type is needed".into(),
            },
        ])));
    }
    loop {
        let left_volume: u64 = left
            .iter()
            .map(|i| i.volume() * u64::from(i.quantity))
            .sum();
        if left_volume == 0 && left.iter().all(|i| i.quantity == 0) {
            break;
        }
        let open: Vec<usize> = (0..req.containers.len())
            .filter(|&k| req.containers[k].available.is_none_or(|a| used[k] < a))
            .collect();
        if open.is_empty() {
            break;
        }
        let left_weight: f64 = left
            .iter()
            .map(|i| i.weight.0 * f64::from(i.quantity))
            .sum();
        // The container types on offer once one more of type `k` is used, with how many are left.
        let offers_after = |k: Option<usize>| -> Vec<Offer<'_>> {
            open.iter()
                .filter_map(|&o| {
                    let taken = used[o] + u32::from(Some(o) == k);
                    let left = req.containers[o].available.map(|a| a.saturating_sub(taken));
                    (left != Some(0)).then_some((&req.containers[o].container, left))
                })
                .collect()
        };
        let candidates: Vec<(usize, Vec<ItemSpec>)> = open
            .iter()
            .flat_map(|&k| {
                let c = &req.containers[k].container;
                let next_payload = offers_after(Some(k))
                    .iter()
                    .map(|(c, _)| c.max_payload.map_or(f64::INFINITY, |p| p.0))
                    .reduce(f64::max);
                let mut inputs = vec![(k, left.clone())];
                if let Some(held) =
                    hold_back_densest(&left, left_weight, c, next_payload, &req.constraints)
                {
                    inputs.push((k, held));
                }
                inputs
            })
            .collect();
        let left_count: u32 = left.iter().map(|i| i.quantity).sum();
        let offers = offers_after(None);
        // Every container left when they cannot hold the rest.
        let rounds_left = containers_needed(left_volume, left_weight, &offers, &req.constraints)
            .unwrap_or_else(|| offers.iter().filter_map(|&(_, n)| n).map(u64::from).sum())
            .max(1) as f64;
        let spent = start.elapsed().as_secs_f64();
        let share =
            ((config.time_limit_s - spent).max(0.0) / rounds_left / candidates.len() as f64)
                .max(0.05);
        let cfg = LoadConfig {
            time_limit_s: share,
            ..config.clone()
        };
        // Lower is better: a plan that takes everything, smallest container first; else the fewest
        // containers the rest still needs at least, then the fewest loads of the largest container
        // the rest makes (by volume or by weight, whichever binds), then the most volume loaded;
        // last, plans after which the containers left cannot hold the rest, most volume first.
        let mut best: Option<(RoundKey, usize, LoadPlan)> = None;
        for (k, items) in candidates {
            let mut container = req.containers[k].container.clone();
            container.id = format!("{}#{}", container.id, used[k] + 1);
            let sub = LoadRequest {
                container,
                items,
                constraints: req.constraints.clone(),
            };
            let plan = solve(&sub, &cfg)?;
            let key = if plan.placements.len() as u32 == left_count {
                (0, 0, 0, req.containers[k].container.volume())
            } else {
                let after = offers_after(Some(k));
                let (volume, weight) = (
                    left_volume - plan.stats.loaded_volume,
                    (left_weight - plan.stats.loaded_weight.0).max(0.0),
                );
                let unloaded = u64::MAX - plan.stats.loaded_volume;
                match containers_needed(volume, weight, &after, &req.constraints) {
                    Some(rest) => {
                        let load = largest_loads(volume, weight, &after, &req.constraints);
                        (1, rest, load.to_bits(), unloaded)
                    }
                    // Some items will stay behind whatever follows: leave the least volume.
                    None => (2, 0, 0, unloaded),
                }
            };
            if best.as_ref().is_none_or(|(b, _, _)| key < *b) {
                best = Some((key, k, plan));
            }
        }
        let Some((_, k, mut plan)) = best else { break };
        if plan.placements.is_empty() {
            last_unloaded = plan.unloaded;
            break;
        }
        used[k] += 1;
        let mut count: HashMap<String, u32> = HashMap::new();
        for p in &mut plan.placements {
            let before = loaded_before.get(&p.item).copied().unwrap_or(0);
            p.copy += before;
            *count.entry(p.item.clone()).or_default() += 1;
        }
        plan.steps = crate::sequence::steps(&plan.placements);
        for it in &mut left {
            let n = count.get(&it.id).copied().unwrap_or(0);
            it.quantity -= n;
            *loaded_before.entry(it.id.clone()).or_default() += n;
        }
        // The plan's own list names only the items it was offered; what is left is in `left`.
        last_unloaded = std::mem::take(&mut plan.unloaded);
        plans.push(plan);
    }
    let left_total: u32 = left.iter().map(|i| i.quantity).sum();
    let unloaded = if left_total == 0 {
        Vec::new()
    } else if last_unloaded.iter().map(|u| u.quantity).sum::<u32>() == left_total {
        last_unloaded
    } else {
        left.iter()
            .filter(|i| i.quantity > 0)
            .map(|i| Unloaded {
                item: i.id.clone(),
                quantity: i.quantity,
                reason: UnloadedReason::NoSpace,
            })
            .collect()
    };
    let vol: u64 = plans.iter().map(|p| p.stats.loaded_volume).sum();
    let cap: u64 = plans.iter().map(|p| p.stats.container_volume).sum();
    Ok(ShipmentPlan {
        containers: plans,
        unloaded,
        utilisation: if cap == 0 {
            0.0
        } else {
            vol as f64 / cap as f64
        },
    })
}

/// With a weight limit that the items left (`total` kg) exceed: those items without a held-back part that
/// takes the excess weight on in little volume. A container that loads by volume fills up with
/// light, bulky items and leaves the heavy ones to smaller trucks that each take only one or two.
/// The held-back part is made of the densest units that keep it within `next_payload` (the largest
/// payload left for the next container), so that one more container can take it; when that
/// cannot cover the excess, denser units are held back regardless.
fn hold_back_densest(
    left: &[ItemSpec],
    total: f64,
    container: &Container,
    next_payload: Option<f64>,
    constraints: &Constraints,
) -> Option<Vec<ItemSpec>> {
    let payload = container
        .max_payload
        .filter(|_| constraints.weight_limit)?
        .0;
    let excess = total - payload;
    if excess <= 0.0 {
        return None;
    }
    let mut items = left.to_vec();
    let mut by_density: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].volume() > 0)
        .collect();
    let density = |i: &ItemSpec| i.weight.0 / i.volume() as f64;
    by_density.sort_by(|&a, &b| density(&items[b]).total_cmp(&density(&items[a])));
    let mut held = 0.0;
    for cap in [next_payload.unwrap_or(f64::INFINITY), f64::INFINITY] {
        for &i in &by_density {
            while items[i].quantity > 0 && held < excess && held + items[i].weight.0 <= cap {
                items[i].quantity -= 1;
                held += items[i].weight.0;
            }
        }
    }
    Some(items)
}

/// How a round's plan ranks (lower is better; see `plan_shipment`).
type RoundKey = (u8, u64, u64, u64);

/// A container type on offer and how many more of it may be used (`None`: any number).
type Offer<'a> = (&'a Container, Option<u32>);

/// A lower bound on the containers that `volume` and `weight` still need among `offers`: the
/// largest first, as many as each type allows, by volume and, with the weight limit, by payload.
/// `None` when they cannot hold it.
fn containers_needed(
    volume: u64,
    weight: f64,
    offers: &[Offer<'_>],
    constraints: &Constraints,
) -> Option<u64> {
    if volume == 0 {
        return Some(0);
    }
    let by_volume = cover(
        volume as f64,
        offers
            .iter()
            .map(|&(c, n)| (c.volume() as f64, n))
            .collect(),
    );
    let by_weight = if constraints.weight_limit && weight > 0.0 {
        cover(
            weight,
            offers
                .iter()
                .map(|&(c, n)| (c.max_payload.map_or(f64::INFINITY, |p| p.0), n))
                .collect(),
        )?
    } else {
        0
    };
    Some(by_volume?.max(by_weight))
}

/// How many loads of the largest container on offer `volume` and `weight` make, whichever binds
/// (a fraction: a finer measure of the rest than [`containers_needed`]; never negative).
fn largest_loads(volume: u64, weight: f64, offers: &[Offer<'_>], constraints: &Constraints) -> f64 {
    let most =
        |cap: &dyn Fn(&Container) -> f64| offers.iter().map(|(c, _)| cap(c)).fold(0.0, f64::max);
    let by_volume = volume as f64 / most(&|c| c.volume() as f64).max(1.0);
    let by_weight = if constraints.weight_limit {
        weight / most(&|c| c.max_payload.map_or(f64::INFINITY, |p| p.0)).max(1.0)
    } else {
        0.0
    };
    by_volume.max(by_weight)
}

/// How many of `caps` (capacity, how many may be used), largest first, it takes to hold `amount`;
/// `None` when they cannot.
fn cover(amount: f64, mut caps: Vec<(f64, Option<u32>)>) -> Option<u64> {
    caps.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut used = 0u64;
    let mut rest = amount;
    for (cap, count) in caps {
        if rest <= 0.0 {
            break;
        }
        if cap <= 0.0 {
            continue;
        }
        let want = if cap.is_infinite() {
            1
        } else {
            (rest / cap).ceil() as u64
        };
        let take = count.map_or(want, |n| want.min(u64::from(n)));
        if take == 0 {
            continue;
        }
        used += take;
        rest -= take as f64 * cap;
    }
    (rest <= 0.0).then_some(used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_takes_the_largest_first_within_what_each_type_allows() {
        // 100 units over one of 60 and any number of 16: 60 + 16 + 16 + 16.
        assert_eq!(cover(100.0, vec![(16.0, None), (60.0, Some(1))]), Some(4));
        // Without the limit, two of 60.
        assert_eq!(cover(100.0, vec![(16.0, None), (60.0, None)]), Some(2));
        // Two of 60 cannot hold 130, and nothing holds anything.
        assert_eq!(cover(130.0, vec![(60.0, Some(2))]), None);
        assert_eq!(cover(1.0, vec![]), None);
        assert_eq!(cover(1.0, vec![(f64::INFINITY, Some(0))]), None);
        // An unlimited payload still needs one container.
        assert_eq!(cover(5.0, vec![(f64::INFINITY, None)]), Some(1));
        assert_eq!(cover(0.0, vec![(60.0, None)]), Some(0));
    }
}
