//! The anomalies the simulator injects, and the monitoring rule codes expected to catch each.

use serde::{Deserialize, Serialize};

/// One kind of injected anomaly; an anomalous trip carries exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// A waybill whose vehicle reports no position at all during the trip.
    Ghost,
    /// The vehicle reports positions copied from another vehicle's trip at the same times.
    BorrowedTrack,
    /// The route goes far out of the way (over 1.8 × the road distance).
    Detour,
    /// A jump of tens of kilometres between two consecutive fixes.
    Teleport,
    /// Freight paid to someone who is neither the actual carrier nor a driver.
    ThirdPartyPayment,
    /// The vehicle's transport certificate or the driver's qualification expired before despatch.
    ExpiredCertificate,
    /// Goods heavier than the vehicle's rated load.
    Overweight,
    /// Five hours of driving without a 20-minute rest.
    Fatigue,
}

impl AnomalyKind {
    /// Every kind, in the order anomalous trips cycle through them.
    pub const ALL: [AnomalyKind; 8] = [
        AnomalyKind::Ghost,
        AnomalyKind::BorrowedTrack,
        AnomalyKind::Detour,
        AnomalyKind::Teleport,
        AnomalyKind::ThirdPartyPayment,
        AnomalyKind::ExpiredCertificate,
        AnomalyKind::Overweight,
        AnomalyKind::Fatigue,
    ];

    /// The stable snake-case name used in the labels file and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ghost => "ghost",
            Self::BorrowedTrack => "borrowed_track",
            Self::Detour => "detour",
            Self::Teleport => "teleport",
            Self::ThirdPartyPayment => "third_party_payment",
            Self::ExpiredCertificate => "expired_certificate",
            Self::Overweight => "overweight",
            Self::Fatigue => "fatigue",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the trip needs a long (intercity) route for the anomaly to be visible.
    pub fn needs_long_trip(self) -> bool {
        matches!(self, Self::Detour | Self::Teleport | Self::Fatigue)
    }

    /// The rule codes expected to fire for a trip with this anomaly (see [`RULE_CODES`]).
    pub fn rule_codes(self) -> &'static [&'static str] {
        RULE_CODES
            .iter()
            .find(|(k, _)| *k == self)
            .map_or(&[], |(_, codes)| codes)
    }
}

impl std::fmt::Display for AnomalyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Anomaly kind → the monitoring rule codes (`crates/monitor/src/rules/`) expected to fire, in one
/// place. Read from the rule files' `declare_rule!` codes when this was written; a unit test checks
/// that every code still appears in the monitor crate's sources when they are present.
///
/// `expired_certificate` lists both document rules: a trip gets either a fresh vehicle with an
/// expired transport certificate (`doc.vehicle_certificate`) or a fresh driver with an expired
/// qualification (`doc.driver_licence`); the labels file says which in `expired`.
pub const RULE_CODES: &[(AnomalyKind, &[&str])] = &[
    (AnomalyKind::Ghost, &["track.ghost"]),
    (AnomalyKind::BorrowedTrack, &["track.borrowed"]),
    (AnomalyKind::Detour, &["track.distance"]),
    (AnomalyKind::Teleport, &["track.teleport"]),
    (AnomalyKind::ThirdPartyPayment, &["money.third_party"]),
    (
        AnomalyKind::ExpiredCertificate,
        &["doc.vehicle_certificate", "doc.driver_licence"],
    ),
    (AnomalyKind::Overweight, &["doc.overweight"]),
    (AnomalyKind::Fatigue, &["driving.fatigue"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_codes_and_a_stable_name() {
        for k in AnomalyKind::ALL {
            assert!(!k.rule_codes().is_empty(), "{k}");
            assert_eq!(AnomalyKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
    }

    /// The codes are the monitor's: each appears as a rule code in `crates/monitor/src/rules/`
    /// (skipped when that crate is not in the checkout).
    #[test]
    fn codes_are_the_monitor_rules() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../monitor/src/rules");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut sources = String::new();
        for e in entries.flatten() {
            sources.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
        for (_, codes) in RULE_CODES {
            for code in *codes {
                assert!(
                    sources.contains(&format!("\"{code}\"")),
                    "rule code {code} not found in {}",
                    dir.display()
                );
            }
        }
    }
}
