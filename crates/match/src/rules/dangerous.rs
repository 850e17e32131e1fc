//! Rule `dangerous_goods`: the vehicle is approved for the class and a driver is qualified.

use wuliu_model::CargoClass;

use super::{Pair, Reason, RuleName};

/// Whether an approval for `approved` (e.g. "2" or "2.1") covers cargo class `class`.
fn covers(approved: &str, class: &str) -> bool {
    approved == class || class.split('.').next() == Some(approved)
}

/// Fails when a dangerous-goods load meets an unapproved vehicle or no qualified driver.
pub fn check(p: &Pair) -> Result<(), Reason> {
    let CargoClass::DangerousGoods { class, .. } = &p.load.cargo else {
        return Ok(());
    };
    let v = &p.vehicle.vehicle;
    if !v.dangerous_goods_classes.iter().any(|a| covers(a, class)) {
        return Err(Reason::new(
            RuleName::DangerousGoods,
            "dangerous_goods.vehicle_not_approved",
            format!(
                "class {class} load; vehicle approved for [{}]",
                v.dangerous_goods_classes.join(", ")
            ),
        ));
    }
    if !p
        .vehicle
        .drivers
        .iter()
        .any(|d| d.dangerous_goods_qualified)
    {
        return Err(Reason::new(
            RuleName::DangerousGoods,
            "dangerous_goods.driver_not_qualified",
            format!("class {class} load; no driver on board is qualified for dangerous goods"),
        ));
    }
    Ok(())
}
