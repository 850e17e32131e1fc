//! Rule `body_type`: the body suits the cargo class.
//!
//! | cargo | accepted bodies |
//! |---|---|
//! | general | box, van, flatbed, high-sided, container, refrigerated (dry goods in a reefer); a car carrier only for finished vehicles (goods mention 整车/商品车/vehicle) ; not tanker or dump |
//! | cold chain | refrigerated |
//! | dangerous goods class 2, 3, 8 (gases, flammable liquids, corrosives) | tanker, box, container |
//! | other dangerous goods | box, container, high-sided |

use wuliu_model::{BodyType, CargoClass};

use super::{Pair, Reason, RuleName};

/// Whether `goods` describes finished vehicles.
fn finished_vehicles(goods: &str) -> bool {
    let g = goods.to_lowercase();
    ["整车", "商品车", "finished vehicle", "vehicles"]
        .iter()
        .any(|k| g.contains(k))
}

/// Whether `body` may carry `cargo` described as `goods` (the table above).
pub fn suits(body: BodyType, cargo: &CargoClass, goods: &str) -> bool {
    use BodyType::*;
    match cargo {
        CargoClass::General => match body {
            Box | Van | Flatbed | HighSided | Container | Refrigerated => true,
            CarCarrier => finished_vehicles(goods),
            Tanker | Dump => false,
        },
        CargoClass::ColdChain { .. } => body == Refrigerated,
        CargoClass::DangerousGoods { class, .. } => {
            let main = class.split('.').next().unwrap_or("");
            if matches!(main, "2" | "3" | "8") {
                matches!(body, Tanker | Box | Container)
            } else {
                matches!(body, Box | Container | HighSided)
            }
        }
    }
}

/// Fails when the body type cannot carry the cargo class.
pub fn check(p: &Pair) -> Result<(), Reason> {
    let body = p.vehicle.vehicle.body_type;
    if suits(body, &p.load.cargo, &p.load.goods) {
        Ok(())
    } else {
        Err(Reason::new(
            RuleName::BodyType,
            "body_type.unsuitable",
            format!(
                "a {body:?} body cannot carry {:?} cargo ({})",
                kind(&p.load.cargo),
                p.load.goods
            ),
        ))
    }
}

fn kind(c: &CargoClass) -> &'static str {
    match c {
        CargoClass::General => "general",
        CargoClass::ColdChain { .. } => "cold-chain",
        CargoClass::DangerousGoods { .. } => "dangerous-goods",
    }
}
