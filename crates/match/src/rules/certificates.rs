//! Rule `certificates`: on the trip date the vehicle's road transport certificate (when it needs
//! one) is valid, and at least one driver on board holds a valid licence and qualification.

use wuliu_model::vehicle::CERTIFICATE_THRESHOLD;

use super::{Pair, Reason, RuleName};

/// Fails on an expired or missing vehicle certificate, or when no driver has valid papers.
pub fn check(p: &Pair) -> Result<(), Reason> {
    let v = &p.vehicle.vehicle;
    match &v.transport_certificate {
        Some(c) if !c.valid_on(p.date) => {
            return Err(Reason::new(
                RuleName::Certificates,
                "certificates.vehicle_expired",
                format!(
                    "road transport certificate {} expired on {}",
                    c.number, c.expires
                ),
            ))
        }
        None if v.rated_load.0 > CERTIFICATE_THRESHOLD.0 => {
            return Err(Reason::new(
                RuleName::Certificates,
                "certificates.vehicle_missing",
                format!(
                    "rated load {} kg needs a road transport certificate",
                    v.rated_load.0
                ),
            ))
        }
        _ => {}
    }
    if p.vehicle.drivers.is_empty() {
        return Err(Reason::new(
            RuleName::Certificates,
            "certificates.no_driver",
            "no driver assigned to the vehicle",
        ));
    }
    let valid = p
        .vehicle
        .drivers
        .iter()
        .any(|d| d.licence.expires >= p.date && d.qualification.valid_on(p.date));
    if !valid {
        return Err(Reason::new(
            RuleName::Certificates,
            "certificates.driver_expired",
            format!(
                "no driver has a licence and qualification valid on {}",
                p.date
            ),
        ));
    }
    Ok(())
}
