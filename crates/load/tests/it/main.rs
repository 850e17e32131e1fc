//! Integration tests, one binary grouped by purpose.

mod br;
mod checker;
mod helpers;
mod shipment;
mod solver;
