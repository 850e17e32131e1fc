//! Multi-container planning: how many containers or trucks a shipment list needs, and what goes in
//! each. Containers are filled one after another; each round tries every container type still
//! available on the remaining items and keeps the best plan (the smallest type that takes everything,
//! else the one loading the most volume).

use std::collections::HashMap;
use std::time::Instant;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
        let biggest = open
            .iter()
            .map(|&k| req.containers[k].container.volume())
            .max()
            .unwrap_or(1);
        let rounds_left = left_volume.div_ceil(biggest.max(1)).max(1) as f64;
        let spent = start.elapsed().as_secs_f64();
        let share =
            ((config.time_limit_s - spent).max(0.0) / rounds_left / open.len() as f64).max(0.05);
        let cfg = LoadConfig {
            time_limit_s: share,
            ..config.clone()
        };
        let mut best: Option<(usize, LoadPlan)> = None;
        for &k in &open {
            let mut container = req.containers[k].container.clone();
            container.id = format!("{}#{}", container.id, used[k] + 1);
            let sub = LoadRequest {
                container,
                items: left.clone(),
                constraints: req.constraints.clone(),
            };
            let plan = solve(&sub, &cfg)?;
            let all = plan.stats.items_unloaded == 0;
            let better = match &best {
                None => true,
                Some((bk, bp)) => {
                    let ball = bp.stats.items_unloaded == 0;
                    let vol = req.containers[k].container.volume();
                    let bvol = req.containers[*bk].container.volume();
                    match (all, ball) {
                        (true, true) => vol < bvol,
                        (true, false) => true,
                        (false, true) => false,
                        (false, false) => plan.stats.loaded_volume > bp.stats.loaded_volume,
                    }
                }
            };
            if better {
                best = Some((k, plan));
            }
        }
        let Some((k, mut plan)) = best else { break };
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
        last_unloaded = std::mem::take(&mut plan.unloaded);
        plans.push(plan);
        if last_unloaded.is_empty() {
            break;
        }
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
