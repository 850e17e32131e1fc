//! Split deliveries: a job larger than every vehicle that may carry it becomes several parts, each
//! small enough for one of those vehicles, served by different vehicles (or not at all) like any
//! other job. VROOM refuses such jobs; relief goods for a shelter often need exactly this.
//!
//! A job is split into the fewest equal parts of which each fits one compatible vehicle in every
//! dimension at once. Whole-number amounts stay whole: the parts differ by at most one unit and add up to
//! the job's amount exactly. Parts keep the job's place, windows, service, setup, needs and
//! priority; their ids are `{id}#{n}` and [`Job::part`] says which part of which job each is. The
//! checker then checks the split problem as it is: every part served once or reported unassigned.
//!
//! ```
//! use wuliu_dispatch::{split::split_oversized, Job, Load, Problem, Rounding, TimeWindow,
//!     TravelMatrix, Vehicle};
//!
//! let matrix = TravelMatrix::euclidean(&[(0.0, 0.0), (10.0, 0.0)], Rounding::Exact);
//! let trucks = (1..=3)
//!     .map(|i| Vehicle::new(format!("t{i}"), 0, Load::weight(10.0), TimeWindow::new(0.0, 100.0)))
//!     .collect();
//! let shelter = Job::delivery("shelter", 1, 25.0);
//! let split = split_oversized(&Problem::new(matrix, trucks, vec![shelter]));
//! let parts: Vec<f64> = split.jobs.iter().map(|j| j.load.weight.0).collect();
//! assert_eq!(parts, vec![9.0, 8.0, 8.0]);
//! assert_eq!(split.jobs[2].id, "shelter#3");
//! ```

use crate::problem::{Job, Load, Part, Problem, DIMS};

/// The problem with every oversized job split into parts (see the module docs). Jobs that fit
/// some compatible vehicle, and jobs no vehicle may carry, are kept as they are.
pub fn split_oversized(problem: &Problem) -> Problem {
    let mut out = problem.clone();
    out.jobs = problem
        .jobs
        .iter()
        .flat_map(|job| split_job(problem, job))
        .collect();
    out
}

/// How many parts `job` needs: the fewest equal parts of which each fits one compatible vehicle in
/// every dimension at once (1 when it fits, or when no vehicle may carry it at all). Taking the
/// largest capacity of each dimension from different vehicles would give parts that fit none
/// (10 t with 12 m³ and 5 t with 40 m³ is not a 10 t, 40 m³ truck).
pub fn parts_needed(problem: &Problem, job: &Job) -> usize {
    let (load, back) = (job.load.dims(), job.backhaul.dims());
    let need: [f64; DIMS] = std::array::from_fn(|k| load[k].max(back[k]));
    problem
        .vehicles
        .iter()
        .filter(|v| v.accepts(job))
        .filter_map(|v| parts_for(need, job, v.capacity.dims()))
        .min()
        .unwrap_or(1)
}

/// The fewest equal parts of `job` that each fit `cap`, or `None` when some dimension the job
/// needs is one this vehicle cannot carry at all.
fn parts_for(need: [f64; DIMS], job: &Job, cap: [f64; DIMS]) -> Option<usize> {
    let mut count = 1usize;
    for k in 0..DIMS {
        if need[k] > cap[k] {
            if cap[k] <= 0.0 {
                return None;
            }
            count = count.max((need[k] / cap[k]).ceil() as usize);
        }
    }
    // Whole-number shares differ by one unit: the largest may need one part more.
    let fits = |n: usize| {
        let (l, b) = (
            share(job.load, 0, n).dims(),
            share(job.backhaul, 0, n).dims(),
        );
        (0..DIMS).all(|k| l[k].max(b[k]) <= cap[k] + 1e-9)
    };
    while !fits(count) && count < 1_000_000 {
        count += 1;
    }
    Some(count)
}

fn split_job(problem: &Problem, job: &Job) -> Vec<Job> {
    let count = parts_needed(problem, job);
    if count <= 1 {
        return vec![job.clone()];
    }
    (0..count)
        .map(|i| {
            let mut part = job.clone();
            part.id = format!("{}#{}", job.id, i + 1);
            part.load = share(job.load, i, count);
            part.backhaul = share(job.backhaul, i, count);
            part.part = Some(Part {
                of: job.id.clone(),
                index: i + 1,
                count,
            });
            part
        })
        .collect()
}

/// Part `i` of `count` of `amount`: whole numbers stay whole (the first parts take the remainder).
fn share(amount: Load, i: usize, count: usize) -> Load {
    let a = amount.dims();
    Load::from_dims(std::array::from_fn(|k| {
        let x = a[k];
        if x.fract() == 0.0 && x.abs() < 1e15 {
            let base = (x / count as f64).floor();
            let rest = x - base * count as f64;
            base + if (i as f64) < rest { 1.0 } else { 0.0 }
        } else {
            x / count as f64
        }
    }))
}
