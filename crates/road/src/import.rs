//! Reading OpenStreetMap PBF files into a [`RoadNetwork`].
//!
//! Two passes over the file, each decoding blocks in parallel (rayon) in batches:
//! 1. ways and restriction relations: ways are evaluated with the profile, unusable ones dropped;
//! 2. nodes: only coordinates of nodes referenced by kept ways are stored.
//!
//! Memory is therefore proportional to the road part of the extract, not to the whole file.

use std::collections::HashMap;
use std::path::Path;

use osmpbf::{BlobDecode, BlobReader, Element, PrimitiveBlock, RelMemberType};
use rayon::prelude::*;

use crate::error::{Result, RoadError};
use crate::network::{build, MemberKind, RawRestriction, RoadNetwork};
use crate::profile::{Profile, WayAttributes};

/// The phase an import is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportPhase {
    /// First pass: ways and relations.
    Ways,
    /// Second pass: node coordinates.
    Nodes,
    /// Building intersections and edges.
    Building,
}

/// A progress report passed to the import callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    /// Current phase.
    pub phase: ImportPhase,
    /// Blocks processed in this phase so far.
    pub blocks_done: usize,
    /// Bytes of the file processed in this phase so far (approximate).
    pub bytes_done: u64,
    /// Size of the file in bytes.
    pub bytes_total: u64,
}

const BATCH: usize = 32;

type WayList = Vec<(i64, Vec<i64>, WayAttributes)>;

fn for_each_batch(
    path: &Path,
    phase: ImportPhase,
    progress: &mut dyn FnMut(ImportProgress),
    mut handle: impl FnMut(Vec<(usize, Option<u64>, PrimitiveBlock)>),
) -> Result<()> {
    let bytes_total = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut reader = BlobReader::seekable_from_path(path).map_err(|source| RoadError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let mut index = 0usize;
    let mut done = false;
    let mut bytes_done = 0u64;
    while !done {
        let mut blobs = Vec::with_capacity(BATCH);
        while blobs.len() < BATCH {
            match reader.next() {
                Some(Ok(b)) => {
                    blobs.push((index, b));
                    index += 1;
                }
                Some(Err(source)) => {
                    return Err(RoadError::CorruptBlock {
                        block: index,
                        offset: None,
                        source,
                    })
                }
                None => {
                    done = true;
                    break;
                }
            }
        }
        let decoded = blobs
            .par_iter()
            .map(|(i, b)| {
                let offset = b.offset().map(|o| o.0);
                match b.decode() {
                    Ok(BlobDecode::OsmData(block)) => Ok(Some((*i, offset, block))),
                    Ok(_) => Ok(None),
                    Err(source) => Err(RoadError::CorruptBlock {
                        block: *i,
                        offset,
                        source,
                    }),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        if let Some((_, Some(off))) = blobs.last().map(|(i, b)| (i, b.offset())) {
            bytes_done = off.0;
        }
        handle(decoded.into_iter().flatten().collect());
        progress(ImportProgress {
            phase,
            blocks_done: index,
            bytes_done: if done { bytes_total } else { bytes_done },
            bytes_total,
        });
    }
    Ok(())
}

fn member_kind(t: RelMemberType) -> MemberKind {
    match t {
        RelMemberType::Node => MemberKind::Node,
        RelMemberType::Way => MemberKind::Way,
        RelMemberType::Relation => MemberKind::Relation,
    }
}

impl RoadNetwork {
    /// Imports a PBF extract for `profile`, calling `progress` after each batch of blocks.
    ///
    /// Cost: two parallel passes over the file; memory proportional to the roads it holds.
    /// Errors name the corrupt block and its byte offset.
    pub fn import_pbf(
        path: impl AsRef<Path>,
        profile: Profile,
        mut progress: impl FnMut(ImportProgress),
    ) -> Result<RoadNetwork> {
        let path = path.as_ref();
        let mut ways: WayList = Vec::new();
        let mut restrictions: Vec<RawRestriction> = Vec::new();
        let mut skipped = 0u64;
        for_each_batch(path, ImportPhase::Ways, &mut progress, |blocks| {
            let parts: Vec<(WayList, Vec<RawRestriction>, u64)> = blocks
                .par_iter()
                .map(|(_, _, block)| {
                    let mut ws = Vec::new();
                    let mut rs = Vec::new();
                    let mut sk = 0;
                    for group in block.groups() {
                        for way in group.ways() {
                            let tags: Vec<(&str, &str)> = way.tags().collect();
                            let lookup =
                                |k: &str| tags.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
                            if let Some(attrs) = profile.evaluate_way(lookup) {
                                ws.push((way.id(), way.refs().collect(), attrs));
                            }
                        }
                        for rel in group.relations() {
                            let tags: Vec<(&str, &str)> = rel.tags().collect();
                            let lookup =
                                |k: &str| tags.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
                            let members = rel.members().map(|m| {
                                (
                                    member_kind(m.member_type.clone()),
                                    m.member_id,
                                    m.role().unwrap_or(""),
                                )
                            });
                            match RawRestriction::from_relation(profile, rel.id(), lookup, members)
                            {
                                Some(Ok(r)) => rs.push(r),
                                Some(Err(())) => sk += 1,
                                None => {}
                            }
                        }
                    }
                    (ws, rs, sk)
                })
                .collect();
            for (w, r, s) in parts {
                ways.extend(w);
                restrictions.extend(r);
                skipped += s;
            }
        })?;
        // Every node referenced by a kept way (plus restriction vias) needs a coordinate.
        let mut wanted: HashMap<i64, [f64; 2]> = HashMap::new();
        let mut signals: std::collections::HashSet<i64> = Default::default();
        for (_, refs, _) in &ways {
            for &r in refs {
                wanted.insert(r, [f64::NAN, f64::NAN]);
            }
        }
        for_each_batch(path, ImportPhase::Nodes, &mut progress, |blocks| {
            let found: Vec<Vec<(i64, [f64; 2], bool)>> = blocks
                .par_iter()
                .map(|(_, _, block)| {
                    let mut out = Vec::new();
                    let is_signal = |(k, v): (&str, &str)| k == "highway" && v == "traffic_signals";
                    block.for_each_element(|el| match el {
                        Element::DenseNode(n) if wanted.contains_key(&n.id()) => {
                            out.push((n.id(), [n.lat(), n.lon()], n.tags().any(is_signal)))
                        }
                        Element::Node(n) if wanted.contains_key(&n.id()) => {
                            out.push((n.id(), [n.lat(), n.lon()], n.tags().any(is_signal)))
                        }
                        _ => {}
                    });
                    out
                })
                .collect();
            for (id, c, s) in found.into_iter().flatten() {
                wanted.insert(id, c);
                if s {
                    signals.insert(id);
                }
            }
        })?;
        progress(ImportProgress {
            phase: ImportPhase::Building,
            blocks_done: 0,
            bytes_done: 0,
            bytes_total: 0,
        });
        build(
            profile,
            ways,
            restrictions,
            skipped,
            |id| wanted.get(&id).copied().filter(|c| !c[0].is_nan()),
            |id| signals.contains(&id),
        )
    }
}
