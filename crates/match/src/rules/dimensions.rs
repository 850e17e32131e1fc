//! Rule `dimensions`: the largest package fits the inner dimensions (turning it flat is allowed,
//! tipping it on its side is not).

use super::{Pair, Reason, RuleName};

/// Fails when the largest package is longer, wider or taller than the cargo space.
pub fn check(p: &Pair) -> Result<(), Reason> {
    let (Some(pkg), Some(inner)) = (&p.load.largest_package, &p.vehicle.vehicle.inner_dimensions)
    else {
        return Ok(());
    };
    let (pl, pw) = (pkg.length.0.max(pkg.width.0), pkg.length.0.min(pkg.width.0));
    let (il, iw) = (
        inner.length.0.max(inner.width.0),
        inner.length.0.min(inner.width.0),
    );
    if pl > il || pw > iw || pkg.height.0 > inner.height.0 {
        return Err(Reason::new(
            RuleName::Dimensions,
            "dimensions.package_too_large",
            format!(
                "largest package {}×{}×{} m, cargo space {}×{}×{} m",
                pkg.length.0,
                pkg.width.0,
                pkg.height.0,
                inner.length.0,
                inner.width.0,
                inner.height.0
            ),
        ));
    }
    Ok(())
}
