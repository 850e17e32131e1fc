//! Integration tests of wuliu-match, grouped by purpose.

mod batch;
mod exactness;
mod fixtures;
mod outlook;
mod road;
mod rules;
mod suggest;
