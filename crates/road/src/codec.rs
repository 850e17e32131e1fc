//! The prepared-network file: one little-endian binary file, read whole and decoded in one pass.
//!
//! Layout: magic `WULIUROAD`, format version, then every array as a length-prefixed block of raw
//! little-endian values. No compression: loading is a read plus a linear decode.

use std::path::Path;

use crate::bans::conditional::{ConditionalKind, ConditionalRestriction};
use crate::cch::{Cell, Topology};
use crate::error::{Result, RoadError};
use crate::graph::{Arc, Graph};
use crate::metric::Metric;
use crate::network::{Edge, ImportStats, RoadNetwork, TurnRestriction, WayInfo};
use crate::prepared::PreparedNetwork;
use crate::profile::{Limits, Profile, Vehicle};
use crate::snap::SnapIndex;
use wuliu_model::{Kg, Meters};

const MAGIC: &[u8; 9] = b"WULIUROAD";
const VERSION: u32 = 5;

#[derive(Default)]
struct W(Vec<u8>);

impl W {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn opt(&mut self, v: Option<f64>) {
        self.f64(v.unwrap_or(f64::NAN));
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        self.0.reserve(v.len() * 4);
        for x in v {
            self.u32(*x);
        }
    }
    fn seq<T>(&mut self, v: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.u64(v.len() as u64);
        for x in v {
            f(self, x);
        }
    }
}

struct R<'a> {
    buf: &'a [u8],
    pos: usize,
}

type Bad = String;

impl R<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Bad> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.pos))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, Bad> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, Bad> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64, Bad> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn f64(&mut self) -> Result<f64, Bad> {
        Ok(f64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn opt(&mut self) -> Result<Option<f64>, Bad> {
        let v = self.f64()?;
        Ok((!v.is_nan()).then_some(v))
    }
    fn len(&mut self, unit: usize) -> Result<usize, Bad> {
        let n = self.u64()? as usize;
        if n.saturating_mul(unit) > self.buf.len() - self.pos {
            return Err(format!(
                "array of {n} items at byte {} exceeds the file",
                self.pos
            ));
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<String, Bad> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|e| e.to_string())
    }
    fn u32s(&mut self) -> Result<Vec<u32>, Bad> {
        let n = self.len(4)?;
        let bytes = self.take(n * 4)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }
    fn seq<T>(
        &mut self,
        unit: usize,
        mut f: impl FnMut(&mut Self) -> Result<T, Bad>,
    ) -> Result<Vec<T>, Bad> {
        let n = self.len(unit)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(f(self)?);
        }
        Ok(v)
    }
}

impl PreparedNetwork {
    /// Writes the prepared network to one file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut w = W::default();
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        let net = &self.net;
        w.u8(match net.profile {
            Profile::Car => 0,
            Profile::Truck => 1,
        });
        match &self.vehicle {
            None => w.u8(0),
            Some(v) => {
                w.u8(1);
                for x in [v.gross_weight.0, v.height.0, v.width.0, v.length.0] {
                    w.f64(x);
                }
            }
        }
        w.f64(self.snap_radius_m);
        let s = net.stats;
        for x in [
            s.ways,
            s.nodes,
            s.edges,
            s.restrictions,
            s.restrictions_skipped,
            s.missing_nodes,
        ] {
            w.u64(x);
        }
        w.seq(&net.coords, |w, c| {
            w.f64(c[0]);
            w.f64(c[1]);
        });
        w.u32s(&net.node_point);
        w.seq(&net.edges, |w, e| {
            for x in [e.from, e.to, e.shape_start, e.shape_end, e.way] {
                w.u32(x);
            }
            w.f64(e.length_m);
            w.u8(u8::from(e.forward) | (u8::from(e.backward) << 1));
            w.u32(e.penalty_ms);
        });
        w.u32s(&net.shape);
        w.seq(&net.ways, |w, x| {
            w.u64(x.osm_id as u64);
            w.str(&x.name);
            w.str(&x.highway);
            w.f64(x.speed_kmh);
            let l = x.limits;
            for v in [
                l.max_weight_t,
                l.max_height_m,
                l.max_width_m,
                l.max_length_m,
            ] {
                w.opt(v);
            }
            w.seq(&x.conditional, |w, c| {
                match c.kind {
                    ConditionalKind::NoAccess => w.opt(None),
                    ConditionalKind::MaxWeight { tonnes } => w.opt(Some(tonnes)),
                }
                w.str(&c.hours);
            });
        });
        w.seq(&net.restrictions, |w, r| {
            w.u32(r.via);
            w.u32(r.from_edge);
            w.u32(r.to_edge);
            w.u8(u8::from(r.only));
        });
        let g = &self.graph;
        w.seq(&g.arcs, |w, a| {
            for x in [a.tail, a.head, a.weight, a.dist, a.edge] {
                w.u32(x);
            }
            w.u8(u8::from(a.forward));
        });
        w.u32s(&g.first_out);
        w.seq(&g.state, |w, b| b.iter().for_each(|x| w.u32(*x)));
        let t = &self.cch;
        w.u32s(&t.order);
        w.u32s(&t.first);
        w.u32s(&t.head);
        write_cell(&mut w, &t.tree);
        let x = &self.snap;
        w.seq(&x.keys, |w, k| w.u64(*k));
        w.u32s(&x.first);
        w.seq(&x.items, |w, s| {
            w.u32(s[0]);
            w.u32(s[1]);
        });
        std::fs::write(path, &w.0).map_err(|source| RoadError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a file written by [`PreparedNetwork::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<PreparedNetwork> {
        let path = path.as_ref();
        let buf = std::fs::read(path).map_err(|source| RoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        decode(&buf).map_err(|reason| RoadError::BadPreparedFile {
            path: path.to_path_buf(),
            reason,
        })
    }
}

fn decode(buf: &[u8]) -> Result<PreparedNetwork, Bad> {
    let mut r = R { buf, pos: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err("wrong magic number".into());
    }
    let version = r.u32()?;
    if version != VERSION {
        return Err(format!("format version {version}, expected {VERSION}"));
    }
    let profile = match r.u8()? {
        0 => Profile::Car,
        1 => Profile::Truck,
        x => return Err(format!("unknown profile {x}")),
    };
    let vehicle = match r.u8()? {
        0 => None,
        _ => Some(Vehicle {
            gross_weight: Kg(r.f64()?),
            height: Meters(r.f64()?),
            width: Meters(r.f64()?),
            length: Meters(r.f64()?),
        }),
    };
    let snap_radius_m = r.f64()?;
    let stats = ImportStats {
        ways: r.u64()?,
        nodes: r.u64()?,
        edges: r.u64()?,
        restrictions: r.u64()?,
        restrictions_skipped: r.u64()?,
        missing_nodes: r.u64()?,
    };
    let coords = r.seq(16, |r| Ok([r.f64()?, r.f64()?]))?;
    let node_point = r.u32s()?;
    let edges = r.seq(33, |r| {
        let (from, to, shape_start, shape_end, way) =
            (r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?);
        let length_m = r.f64()?;
        let flags = r.u8()?;
        let penalty_ms = r.u32()?;
        Ok(Edge {
            from,
            to,
            shape_start,
            shape_end,
            way,
            length_m,
            forward: flags & 1 != 0,
            backward: flags & 2 != 0,
            penalty_ms,
        })
    })?;
    let shape = r.u32s()?;
    let ways = r.seq(8, |r| {
        Ok(WayInfo {
            osm_id: r.u64()? as i64,
            name: r.str()?,
            highway: r.str()?,
            speed_kmh: r.f64()?,
            limits: Limits {
                max_weight_t: r.opt()?,
                max_height_m: r.opt()?,
                max_width_m: r.opt()?,
                max_length_m: r.opt()?,
            },
            conditional: r.seq(5, |r| {
                let kind = match r.opt()? {
                    None => ConditionalKind::NoAccess,
                    Some(tonnes) => ConditionalKind::MaxWeight { tonnes },
                };
                Ok(ConditionalRestriction {
                    kind,
                    hours: r.str()?,
                })
            })?,
        })
    })?;
    let restrictions = r.seq(13, |r| {
        Ok(TurnRestriction {
            via: r.u32()?,
            from_edge: r.u32()?,
            to_edge: r.u32()?,
            only: r.u8()? != 0,
        })
    })?;
    let arcs = r.seq(21, |r| {
        Ok(Arc {
            tail: r.u32()?,
            head: r.u32()?,
            weight: r.u32()?,
            dist: r.u32()?,
            edge: r.u32()?,
            forward: r.u8()? != 0,
        })
    })?;
    let first_out = r.u32s()?;
    let state = r.seq(8, |r| Ok([r.u32()?, r.u32()?]))?;
    let order = r.u32s()?;
    let cch_first = r.u32s()?;
    let head = r.u32s()?;
    let tree = read_cell(&mut r, 0)?;
    let keys = r.seq(8, |r| r.u64())?;
    let first = r.u32s()?;
    let items = r.seq(8, |r| Ok([r.u32()?, r.u32()?]))?;
    if r.pos != buf.len() {
        return Err(format!("{} trailing bytes", buf.len() - r.pos));
    }
    // Structural checks so that a damaged file fails here rather than panicking in a query.
    let n = order.len();
    let mut rank = vec![u32::MAX; n];
    for (i, &v) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(v as usize) {
            *slot = i as u32;
        }
    }
    let ok = rank.iter().all(|&x| x != u32::MAX)
        && cch_first.len() == n + 1
        && cch_first.windows(2).all(|w| w[0] <= w[1])
        && cch_first.last().is_some_and(|&x| x as usize == head.len())
        && (0..n).all(|v| {
            let hs = &head[cch_first[v] as usize..cch_first[v + 1] as usize];
            hs.windows(2).all(|w| w[0] < w[1])
                && hs.iter().all(|&h| (h as usize) < n && h as usize > v)
        })
        && tree.lo == 0
        && tree.hi as usize == n
        && state.len() == n
        && n == edges.len() * 2
        && first_out.len() == n + 1
        && first_out.last().is_some_and(|&x| x as usize == arcs.len())
        && first.len() == keys.len() + 1
        && arcs.iter().all(|a| {
            (a.edge as usize) < edges.len() && (a.head as usize) < n && (a.tail as usize) < n
        })
        && edges
            .iter()
            .all(|e| e.shape_end as usize <= shape.len() && (e.way as usize) < ways.len())
        && shape.iter().all(|&p| (p as usize) < coords.len())
        && items
            .iter()
            .all(|i| (i[0] as usize) < edges.len() && (i[1] as usize + 1) < shape.len());
    if !ok {
        return Err("inconsistent array sizes or indices".into());
    }
    let graph = Graph {
        arcs,
        first_out,
        state,
    };
    let ends = graph.arc_ends();
    let cch = Topology::try_from_parts(order, rank, cch_first, head, &ends, tree)
        .ok_or("an arc of the routing graph is missing from the hierarchy")?;
    let metric = Metric::new(&graph, &cch, graph.base_state_weights());
    Ok(PreparedNetwork {
        net: RoadNetwork {
            profile,
            coords,
            node_point,
            edges,
            shape,
            ways,
            restrictions,
            stats,
        },
        vehicle,
        graph,
        cch,
        snap: SnapIndex { keys, first, items },
        snap_radius_m,
        metric: std::sync::RwLock::new(std::sync::Arc::new(metric)),
        writer: std::sync::Mutex::new(()),
        ban_metrics: std::sync::Mutex::default(),
        utc_offset_s: std::sync::atomic::AtomicI32::new(crate::prepared::DEFAULT_UTC_OFFSET_S),
    }
    .with_osm_bans())
}

fn write_cell(w: &mut W, c: &Cell) {
    for x in [c.lo, c.sep, c.hi, c.children.len() as u32] {
        w.u32(x);
    }
    c.children.iter().for_each(|k| write_cell(w, k));
}

/// Reads a dissection cell, checking that children tile `lo..sep` and nesting stays shallow.
fn read_cell(r: &mut R, depth: u32) -> Result<Cell, Bad> {
    if depth > 200 {
        return Err("dissection tree too deep".into());
    }
    let (lo, sep, hi, k) = (r.u32()?, r.u32()?, r.u32()?, r.u32()? as usize);
    if k > (hi - lo.min(hi)) as usize {
        return Err(format!("dissection cell {lo}..{hi} has {k} children"));
    }
    let mut children = Vec::with_capacity(k);
    let mut at = lo;
    for _ in 0..k {
        let c = read_cell(r, depth + 1)?;
        if c.lo != at {
            return Err(format!(
                "dissection cell {}..{} does not tile its parent",
                c.lo, c.hi
            ));
        }
        at = c.hi;
        children.push(c);
    }
    if !(lo <= sep && sep <= hi) || (k > 0 && at != sep) {
        return Err(format!("dissection cell {lo}..{hi} is inconsistent"));
    }
    Ok(Cell {
        lo,
        sep,
        hi,
        children,
    })
}
