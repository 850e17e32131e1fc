//! Property tests: round trips for every message and both header versions,
//! sub-package split/reassemble, chunked framing, and no panics on junk.

use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use wuliu_jt808::*;

const KNOWN_IDS: [u16; 11] = [
    0x0001, 0x0002, 0x0003, 0x0100, 0x0102, 0x0104, 0x0200, 0x0704, 0x8001, 0x8100, 0x8103,
];
const KNOWN_EXTRAS: [u8; 9] = [0x01, 0x02, 0x03, 0x04, 0x25, 0x2A, 0x2B, 0x30, 0x31];

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        Just(Version::V2013),
        any::<u8>().prop_map(|protocol| Version::V2019 { protocol })
    ]
}

fn header(version: Version) -> impl Strategy<Value = Header> {
    let digits = version.phone_len() * 2;
    (
        any::<u16>(),
        vec(0u8..10, digits),
        any::<u16>(),
        0u8..8,
        any::<bool>(),
    )
        .prop_map(
            move |(msg_id, phone, serial, encryption, reserved)| Header {
                msg_id,
                version,
                encryption,
                reserved,
                phone: phone.iter().map(|d| char::from(b'0' + d)).collect(),
                serial,
                subpackage: None,
            },
        )
}

/// Bytes of at most `max` that do not end in NUL (fixed fields trim NUL padding).
fn text(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..=max).prop_map(|mut v| {
        while v.last() == Some(&0) {
            v.pop();
        }
        v
    })
}

fn extra() -> impl Strategy<Value = LocationExtra> {
    use LocationExtra::*;
    prop_oneof![
        any::<u32>().prop_map(Mileage),
        any::<u16>().prop_map(Fuel),
        any::<u16>().prop_map(RecorderSpeed),
        any::<u16>().prop_map(ManualAlarmId),
        any::<u32>().prop_map(ExtendedSignals),
        any::<u16>().prop_map(IoStatus),
        any::<u32>().prop_map(Analog),
        any::<u8>().prop_map(SignalStrength),
        any::<u8>().prop_map(Satellites),
        (
            any::<u8>().prop_filter("unknown id", |id| !KNOWN_EXTRAS.contains(id)),
            vec(any::<u8>(), 0..24)
        )
            .prop_map(|(id, value)| Raw { id, value }),
    ]
}

fn location() -> impl Strategy<Value = Location> {
    let time = (0u8..100, 0u8..13, 0u8..32, 0u8..24, 0u8..60, 0u8..60).prop_map(
        |(year, month, day, hour, minute, second)| BcdTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        },
    );
    (
        any::<(u32, u32, u32, u32)>(),
        any::<(u16, u16, u16)>(),
        time,
        vec(extra(), 0..6),
    )
        .prop_map(
            |((alarm, status, latitude, longitude), (altitude, speed, heading), time, extras)| {
                Location {
                    alarm: AlarmFlags(alarm),
                    status: StatusFlags(status),
                    latitude,
                    longitude,
                    altitude,
                    speed,
                    heading,
                    time,
                    extras,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Vec<Param>> {
    vec(
        (any::<u32>(), vec(any::<u8>(), 0..16)).prop_map(|(id, value)| Param { id, value }),
        0..10,
    )
}

fn register(version: Version) -> impl Strategy<Value = Message> {
    let (m, model, id) = if version.is_2019() {
        (11, 30, 30)
    } else {
        (5, 20, 7)
    };
    (
        any::<(u16, u16, u8)>(),
        text(m),
        text(model),
        text(id),
        vec(any::<u8>(), 0..17),
    )
        .prop_map(
            |((province, city, plate_color), manufacturer, model, terminal_id, plate)| {
                Message::Register(TerminalRegister {
                    province,
                    city,
                    manufacturer,
                    model,
                    terminal_id,
                    plate_color,
                    plate,
                })
            },
        )
}

fn auth(version: Version) -> BoxedStrategy<Message> {
    if version.is_2019() {
        (vec(any::<u8>(), 0..40), text(15), text(20))
            .prop_map(|(code, imei, software_version)| {
                Message::Authentication(Authentication {
                    code,
                    imei,
                    software_version,
                })
            })
            .boxed()
    } else {
        vec(any::<u8>(), 0..40)
            .prop_map(|code| {
                Message::Authentication(Authentication {
                    code,
                    ..Default::default()
                })
            })
            .boxed()
    }
}

fn message(version: Version) -> impl Strategy<Value = Message> {
    let ack = any::<(u16, u16, u8)>().prop_map(|(reply_serial, reply_id, result)| GeneralAck {
        reply_serial,
        reply_id,
        result,
    });
    prop_oneof![
        ack.clone().prop_map(Message::TerminalAck),
        ack.prop_map(Message::PlatformAck),
        Just(Message::Heartbeat),
        Just(Message::Unregister),
        register(version),
        auth(version),
        (any::<u16>(), params()).prop_map(|(reply_serial, params)| Message::ParamsResponse(
            ParamsResponse {
                reply_serial,
                params
            }
        )),
        params().prop_map(|params| Message::SetParams(SetParams { params })),
        location().prop_map(Message::Location),
        (any::<u8>(), vec(location(), 0..4))
            .prop_map(|(kind, items)| Message::BatchLocation(BatchLocation { kind, items })),
        (any::<u16>(), any::<u8>(), vec(any::<u8>(), 0..20)).prop_map(
            |(reply_serial, result, auth_code)| Message::RegisterResponse(RegisterResponse {
                reply_serial,
                result,
                auth_code
            })
        ),
        (
            any::<u16>().prop_filter("unknown", |id| !KNOWN_IDS.contains(id)),
            vec(any::<u8>(), 0..64)
        )
            .prop_map(|(msg_id, body)| Message::Unknown { msg_id, body }),
    ]
}

fn packet() -> impl Strategy<Value = (Header, Message)> {
    version().prop_flat_map(|v| (header(v), message(v)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn message_round_trips_through_the_wire((header, msg) in packet()) {
        let wire = Packet::new(header.clone(), &msg).encode();
        let back = Packet::decode_escaped(&wire).unwrap();
        prop_assert_eq!(&back.header.phone, &header.phone);
        prop_assert_eq!(back.header.version, header.version);
        prop_assert_eq!((back.header.serial, back.header.encryption, back.header.reserved),
                        (header.serial, header.encryption, header.reserved));
        prop_assert_eq!(back.message().unwrap(), msg);
        prop_assert_eq!(back.encode(), wire);
    }

    #[test]
    fn framer_handles_any_chunking(
        packets in vec(packet(), 1..6),
        garbage in vec(any::<u8>().prop_filter("no flag", |b| *b != 0x7E), 0..20),
        cuts in vec(1usize..40, 1..50),
    ) {
        let wires: Vec<Vec<u8>> = packets.iter().map(|(h, m)| Packet::new(h.clone(), m).encode()).collect();
        let mut stream = garbage;
        stream.extend(wires.iter().flatten());
        let mut framer = Framer::default();
        let mut got = Vec::new();
        let mut rest = stream.as_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() { break; }
            let (chunk, tail) = rest.split_at((*cut).min(rest.len()));
            rest = tail;
            for f in framer.feed(chunk) {
                got.push(Packet::decode(&f.unwrap()).unwrap().encode());
            }
        }
        prop_assert_eq!(got, wires);
    }

    #[test]
    fn split_then_reassemble_in_any_order(
        body in vec(any::<u8>(), 0..5000),
        max_part in 1usize..700,
        serial in any::<u16>(),
        v in version(),
        seed in any::<u64>(),
        dups in vec(any::<prop::sample::Index>(), 0..5),
    ) {
        let header = Header::new(0x0704, v, "13800138000", serial);
        let parts = subpackage::split(&header, &body, max_part);
        // Shuffle, then repeat some parts before the one that completes the
        // message (a repeat after completion would start a new message).
        let mut order: Vec<Packet> = parts.clone();
        shuffle(&mut order, seed);
        let last = order.pop().expect("at least one part");
        let earlier = order.clone();
        for (k, d) in dups.iter().enumerate().filter(|_| !earlier.is_empty()) {
            let copy = earlier[d.index(earlier.len())].clone();
            let at = (k * 7919 + d.index(order.len() + 1)) % (order.len() + 1);
            order.insert(at, copy);
        }
        order.push(last);
        let mut r = Reassembler::default();
        let now = Instant::now();
        let mut done = Vec::new();
        for p in order {
            let wire = p.encode();
            let p = Packet::decode_escaped(&wire).unwrap();
            if let Some(full) = r.push(p, now).unwrap() {
                done.push(full);
            }
        }
        prop_assert_eq!(done.len(), 1);
        prop_assert_eq!(&done[0].body, &body);
        prop_assert_eq!(done[0].header.serial, serial);
        prop_assert_eq!(done[0].header.subpackage, None);
        prop_assert_eq!(r.pending(), 0);
        prop_assert_eq!(r.pending_bytes(), 0);
        let repeats = if parts.len() > 1 { dups.len() as u64 } else { 0 };
        prop_assert_eq!(r.stats().duplicates, repeats);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in vec(any::<u8>(), 0..600), id_pick in any::<prop::sample::Index>(), v in version()) {
        let _ = Packet::decode(&data);
        let _ = Packet::decode_escaped(&data);
        let id = KNOWN_IDS[id_pick.index(KNOWN_IDS.len())];
        let _ = Message::decode(id, v, &data);
        let mut framer = Framer::new(256);
        for f in framer.feed(&data).into_iter().flatten() {
            prop_assert!(f.len() <= 256);
            if let Ok(p) = Packet::decode(&f) { let _ = p.message(); }
        }
    }

    #[test]
    fn reassembler_stays_within_limits(
        parts in vec((any::<u16>(), 0u16..6, 0u16..6, vec(any::<u8>(), 0..300), 0u64..200), 0..60),
    ) {
        let config = ReassemblerConfig { max_pending: 4, max_bytes: 1000, timeout: Duration::from_secs(30) };
        let mut r = Reassembler::new(config);
        let t0 = Instant::now();
        for (serial, total, index, body, secs) in parts {
            let mut h = Header::new(0x0200, Version::V2013, "1", serial % 8);
            h.subpackage = Some(Subpackage { total, index });
            let _ = r.push(Packet { header: h, body }, t0 + Duration::from_secs(secs));
            prop_assert!(r.pending() <= 4);
            prop_assert!(r.pending_bytes() <= 1000);
        }
    }
}

/// Deterministic Fisher-Yates with a SplitMix64 stream.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    let mut next = || {
        seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for i in (1..items.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
