//! Fuzzes the whole receive path: Framer → Packet::decode → Reassembler →
//! Message::decode, plus Message::decode straight on the input. Any panic
//! is a failure; results are checked for the bounds the crate promises.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use wuliu_jt808::{Framer, Message, Packet, Reassembler, ReassemblerConfig, Version};

const MAX_FRAME: usize = 1100;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(mode % 31) + 1;
    let mut framer = Framer::new(MAX_FRAME);
    let config = ReassemblerConfig {
        max_pending: 8,
        max_bytes: 8192,
        timeout: Duration::from_secs(5),
    };
    let mut reassembler = Reassembler::new(config);
    let t0 = Instant::now();
    for (i, piece) in rest.chunks(chunk).enumerate() {
        for frame in framer.feed(piece).into_iter().flatten() {
            assert!(frame.len() <= MAX_FRAME);
            let Ok(packet) = Packet::decode(&frame) else {
                continue;
            };
            let now = t0 + Duration::from_millis(i as u64 * 100);
            if let Ok(Some(full)) = reassembler.push(packet, now) {
                if let Ok(msg) = full.message() {
                    let _ = msg.encode_body(full.header.version);
                }
            }
            assert!(reassembler.pending_bytes() <= 8192);
        }
    }
    // The input as a body of every typed message, both versions.
    let version = if mode & 0x80 != 0 {
        Version::V2019 { protocol: 1 }
    } else {
        Version::V2013
    };
    for id in [
        0x0001, 0x0100, 0x0102, 0x0104, 0x0200, 0x0704, 0x8001, 0x8100, 0x8103,
    ] {
        if let Ok(msg) = Message::decode(id, version, rest) {
            let body = msg.encode_body(version);
            assert!(body.len() <= rest.len() + 64 * 1024);
        }
    }
    let _ = Packet::decode_escaped(rest);
});
