//! 0x0102 terminal authentication.

use crate::error::Result;
use crate::header::Version;
use crate::reader::{put_fixed, trim_nul, Reader};

const ID: u16 = super::msg_id::AUTHENTICATION;
const IMEI_LEN: usize = 15;
const SOFTWARE_LEN: usize = 20;

/// Body of 0x0102.
///
/// 2013: the auth code is the whole body. 2019: a length byte, the code,
/// the IMEI (15 bytes) and the software version (20 bytes, NUL padded).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Authentication {
    /// The auth code from the 0x8100 response.
    pub code: Vec<u8>,
    /// Terminal IMEI (2019 only; empty in 2013).
    pub imei: Vec<u8>,
    /// Software version (2019 only; empty in 2013).
    pub software_version: Vec<u8>,
}

impl Authentication {
    pub(crate) fn decode(version: Version, body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(ID, body);
        if !version.is_2019() {
            return Ok(Authentication {
                code: r.rest().to_vec(),
                ..Default::default()
            });
        }
        let len = r.u8("auth code length")?;
        let auth = Authentication {
            code: r.bytes(len.into(), "auth code")?.to_vec(),
            imei: trim_nul(r.bytes(IMEI_LEN, "IMEI")?),
            software_version: trim_nul(r.bytes(SOFTWARE_LEN, "software version")?),
        };
        r.finish()?;
        Ok(auth)
    }

    pub(crate) fn encode(&self, version: Version, out: &mut Vec<u8>) {
        if !version.is_2019() {
            out.extend_from_slice(&self.code);
            return;
        }
        let n = self.code.len().min(usize::from(u8::MAX));
        out.push(n as u8);
        out.extend_from_slice(&self.code[..n]);
        put_fixed(out, &self.imei, IMEI_LEN);
        put_fixed(out, &self.software_version, SOFTWARE_LEN);
    }

    /// The auth code as text.
    pub fn code_text(&self) -> String {
        crate::text::decode_gbk(&self.code)
    }
}
