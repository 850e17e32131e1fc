//! Rule `kind`: the kind of supply is one the kind of demand can use.
//!
//! | demand | supplies it can use |
//! |---|---|
//! | `job` | `graduates`, `programme` (an order class's coming graduates) |
//! | `internship` | `graduates`, `programme` (students of the programme) |
//! | `joint_training` | `programme`, `teacher`, `lab` |
//! | `rd_problem` | `lab`, `teacher` |

use super::{Reason, TalentPair, TalentRule};
use crate::talent::input::{DemandKind, SupplyKind};

/// The kinds of supply a kind of demand can use, best first.
pub fn wanted(d: DemandKind) -> &'static [SupplyKind] {
    use SupplyKind::*;
    match d {
        DemandKind::Job | DemandKind::Internship => &[Graduates, Programme],
        DemandKind::JointTraining => &[Programme, Teacher, Lab],
        DemandKind::RdProblem => &[Lab, Teacher],
    }
}

/// Fails when the demand cannot use this kind of supply.
pub fn check(p: &TalentPair) -> Result<(), Reason> {
    let (d, s) = (p.demand.post.kind, p.supply.post.kind);
    if wanted(d).contains(&s) {
        return Ok(());
    }
    let names: Vec<&str> = wanted(d).iter().map(|k| k.name()).collect();
    Err(Reason::new(
        TalentRule::Kind,
        "kind.incompatible",
        format!(
            "{} takes {}, not {}",
            d.name(),
            names.join(" or "),
            s.name()
        ),
    ))
}
