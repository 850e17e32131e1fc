//! 0x0704 batch location upload.

use crate::error::{Error, Result};
use crate::reader::Reader;

use super::Location;

const ID: u16 = super::msg_id::BATCH_LOCATION;

/// Body of 0x0704: a type and a list of location bodies, each length-prefixed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct BatchLocation {
    /// 0 = regular batch, 1 = blind-area (stored) reports.
    pub kind: u8,
    /// The reports (at most 65535 are encoded).
    pub items: Vec<Location>,
}

impl BatchLocation {
    pub(crate) fn decode(body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(ID, body);
        let count = r.u16("item count")?;
        let kind = r.u8("location type")?;
        let mut items = Vec::new();
        for _ in 0..count {
            let len = r.u16("item length")?;
            let start = r.pos();
            let item = r.bytes(len.into(), "location item")?;
            items.push(Location::decode(ID, item).map_err(|e| Error::BadField {
                msg_id: ID,
                field: "location item",
                offset: start,
                detail: e.to_string(),
            })?);
        }
        r.finish()?;
        Ok(BatchLocation { kind, items })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let items = &self.items[..self.items.len().min(usize::from(u16::MAX))];
        out.extend_from_slice(&(items.len() as u16).to_be_bytes());
        out.push(self.kind);
        for item in items {
            let mut body = Vec::new();
            item.encode(&mut body);
            body.truncate(usize::from(u16::MAX));
            out.extend_from_slice(&(body.len() as u16).to_be_bytes());
            out.extend_from_slice(&body);
        }
    }
}
