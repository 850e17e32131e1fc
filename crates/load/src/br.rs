//! Reader for the Bischoff–Ratcliff / OR-Library `thpack` format (instances BR0–BR15).
//!
//! The first number is the count P of problems. Each problem is `p seed`, then the container
//! `L W H`, then the number n of box types, then n lines `i l f_l w f_w h f_h qty`, where `f_* = 1`
//! means that dimension may stand vertical. Whitespace and line breaks (LF or CRLF) are free.

use crate::error::LoadError;
use crate::model::{AllowedOrientations, Constraints, Container, ItemSpec, LoadRequest};

/// One box type of a Bischoff–Ratcliff problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrBox {
    /// Dimensions `[l, w, h]`.
    pub dims: [u32; 3],
    /// Whether each dimension may stand vertical.
    pub vertical: [bool; 3],
    /// Number of boxes of this type.
    pub quantity: u32,
}

/// One Bischoff–Ratcliff problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrInstance {
    /// Problem number in the file (1-based).
    pub number: u32,
    /// Generator seed.
    pub seed: u64,
    /// Container `[L, W, H]`.
    pub container: [u32; 3],
    /// Box types.
    pub boxes: Vec<BrBox>,
}

impl BrInstance {
    /// Total volume of all boxes.
    pub fn box_volume(&self) -> u64 {
        self.boxes
            .iter()
            .map(|b| b.dims.iter().map(|&d| u64::from(d)).product::<u64>() * u64::from(b.quantity))
            .sum()
    }

    /// The problem as a [`LoadRequest`] with geometry constraints only, plus full support (share 1.0)
    /// when `support` is true. Items are named `t1`, `t2`, … after their type number.
    pub fn to_request(&self, support: bool) -> LoadRequest {
        let items = self
            .boxes
            .iter()
            .enumerate()
            .map(|(k, b)| {
                let mut it = ItemSpec::new(format!("t{}", k + 1), b.dims[0], b.dims[1], b.dims[2]);
                it.quantity = b.quantity;
                it.orientations = AllowedOrientations {
                    length_vertical: b.vertical[0],
                    width_vertical: b.vertical[1],
                    height_vertical: b.vertical[2],
                };
                it
            })
            .collect();
        let mut constraints = Constraints::geometry_only();
        constraints.support = support.then_some(1.0);
        LoadRequest {
            container: Container {
                id: format!("BR-{}", self.number),
                length: self.container[0],
                width: self.container[1],
                height: self.container[2],
                max_payload: None,
                door: Default::default(),
                axles: None,
            },
            items,
            constraints,
        }
    }
}

struct Tokens<'a> {
    it: Box<dyn Iterator<Item = (usize, &'a str)> + 'a>,
    line: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        let it = text
            .lines()
            .enumerate()
            .flat_map(|(n, l)| l.split_whitespace().map(move |t| (n + 1, t)));
        Self {
            it: Box::new(it),
            line: 1,
        }
    }

    fn next<T: std::str::FromStr>(&mut self, what: &str) -> Result<T, LoadError> {
        match self.it.next() {
            Some((line, tok)) => {
                self.line = line;
                tok.parse().map_err(|_| LoadError::Format {
                    line,
                    message: format!("expected {what}, found `{tok}`"),
                })
            }
            None => Err(LoadError::Format {
                line: self.line,
                message: format!("file ends where {what} was expected"),
            }),
        }
    }
}

/// Parses a whole file into its problems.
///
/// ```
/// let text = "1\n 1 42\n 587 233 220\n 1\n 1 100 1 50 1 40 1 3\n";
/// let problems = wuliu_load::br::parse(text).unwrap();
/// assert_eq!(problems[0].boxes[0].quantity, 3);
/// ```
pub fn parse(text: &str) -> Result<Vec<BrInstance>, LoadError> {
    let mut t = Tokens::new(text);
    let count: usize = t.next("the number of problems")?;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let number = t.next("a problem number")?;
        let seed = t.next("a seed")?;
        let container = [
            t.next("container length")?,
            t.next("container width")?,
            t.next("container height")?,
        ];
        let n: usize = t.next("the number of box types")?;
        let mut boxes = Vec::with_capacity(n);
        for _ in 0..n {
            let _index: u32 = t.next("a box type number")?;
            let mut dims = [0u32; 3];
            let mut vertical = [false; 3];
            for a in 0..3 {
                dims[a] = t.next("a box dimension")?;
                let f: u8 = t.next("an orientation flag (0 or 1)")?;
                if f > 1 {
                    return Err(LoadError::Format {
                        line: t.line,
                        message: format!("orientation flag must be 0 or 1, found {f}"),
                    });
                }
                vertical[a] = f == 1;
            }
            let quantity = t.next("a box quantity")?;
            boxes.push(BrBox {
                dims,
                vertical,
                quantity,
            });
        }
        out.push(BrInstance {
            number,
            seed,
            container,
            boxes,
        });
    }
    Ok(out)
}
