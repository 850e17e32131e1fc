//! Vehicle profiles: vehicles that the static rules cannot tell apart.
//!
//! Two vehicles share a profile when everything the static rules read is equal: body type,
//! rated load, cargo volume, inner dimensions, refrigeration range, dangerous-goods classes,
//! whether the road transport certificate is present and valid on the trip date, and their
//! crews' licence class, validity and dangerous-goods qualification. Then a load that passes the
//! static rules with one of them passes with all, so a load's compatibility is a small bit set
//! over profiles ([`ProfileMask`]) instead of a list of vehicles, and a sequence of loads can be
//! carried by one vehicle only if the intersection of their masks is not empty.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use wuliu_model::Load;

use crate::input::{AvailableVehicle, OpenLoad};
use crate::rules::{self, Pair};

/// The static-rule profile of every vehicle, and one representative vehicle per profile.
#[derive(Debug, Clone)]
pub struct Profiles {
    /// Profile index of each vehicle of the request.
    pub of_vehicle: Vec<usize>,
    /// A representative vehicle of each profile.
    pub representative: Vec<usize>,
}

/// A set of profiles (bit `p` set: profile `p` passes every static rule for the load).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ProfileMask(Vec<u64>);

impl ProfileMask {
    /// Whether profile `p` is in the set.
    pub fn contains(&self, p: usize) -> bool {
        self.0.get(p / 64).is_some_and(|w| w >> (p % 64) & 1 == 1)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// Whether the two sets share a profile.
    pub fn meets(&self, other: &Self) -> bool {
        self.0.iter().zip(&other.0).any(|(a, b)| a & b != 0)
    }

    /// The intersection of the two sets.
    pub fn and(&self, other: &Self) -> Self {
        Self(self.0.iter().zip(&other.0).map(|(a, b)| a & b).collect())
    }
}

/// The text that identifies a vehicle's profile on `date`.
fn key(v: &AvailableVehicle, date: NaiveDate, declined: &HashSet<&str>) -> String {
    let r = &v.vehicle;
    // A vehicle that declined some load answers differently from its twins: its own profile.
    let own = if declined.contains(v.id.as_str()) {
        v.id.as_str()
    } else {
        ""
    };
    let cert = r.transport_certificate.as_ref().map(|c| c.valid_on(date));
    let mut crew: Vec<String> = v
        .drivers
        .iter()
        .map(|d| {
            format!(
                "{}|{}|{}|{}",
                d.licence.class,
                d.licence.expires >= date,
                d.qualification.valid_on(date),
                d.dangerous_goods_qualified
            )
        })
        .collect();
    crew.sort();
    format!(
        "{own}|{:?}|{}|{}|{:?}|{:?}|{:?}|{:?}|{}",
        r.body_type,
        r.rated_load.0,
        r.cargo_volume.0,
        r.inner_dimensions,
        r.refrigeration,
        r.dangerous_goods_classes,
        cert,
        crew.join(";")
    )
}

impl Profiles {
    /// Groups the vehicles by profile (a vehicle named in some load's `declined_by` gets a profile
    /// of its own).
    pub fn of(vehicles: &[AvailableVehicle], loads: &[OpenLoad], date: NaiveDate) -> Self {
        let declined: HashSet<&str> = loads
            .iter()
            .flat_map(|l| l.load.declined_by.iter().map(|v| v.as_str()))
            .collect();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut representative = Vec::new();
        let of_vehicle = vehicles
            .iter()
            .enumerate()
            .map(|(i, v)| {
                *index.entry(key(v, date, &declined)).or_insert_with(|| {
                    representative.push(i);
                    representative.len() - 1
                })
            })
            .collect();
        Self {
            of_vehicle,
            representative,
        }
    }

    /// Number of profiles.
    pub fn len(&self) -> usize {
        self.representative.len()
    }

    /// Whether there are no vehicles.
    pub fn is_empty(&self) -> bool {
        self.representative.is_empty()
    }

    /// The profiles that pass every static rule for `load`.
    pub fn mask(&self, load: &Load, vehicles: &[AvailableVehicle], date: NaiveDate) -> ProfileMask {
        let mut words = vec![0u64; self.len().div_ceil(64)];
        for (p, &v) in self.representative.iter().enumerate() {
            let pair = Pair {
                load,
                vehicle: &vehicles[v],
                date,
            };
            if rules::static_ok(&pair) {
                words[p / 64] |= 1 << (p % 64);
            }
        }
        ProfileMask(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_intersect_by_profile() {
        let a = ProfileMask(vec![0b0110]);
        let b = ProfileMask(vec![0b0100]);
        let c = ProfileMask(vec![0b1001]);
        assert!(a.meets(&b));
        assert!(!a.meets(&c));
        assert_eq!(a.and(&b), b);
        assert!(a.and(&c).is_empty());
        assert!(a.contains(1) && a.contains(2) && !a.contains(0) && !a.contains(64));
    }
}
