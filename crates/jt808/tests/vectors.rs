//! Real frames from other JT/T 808 implementations' test suites (see
//! tests/vectors/README.md): decode, check the values their tests assert,
//! and re-encode to the same bytes.

use std::collections::BTreeMap;

use wuliu_jt808::{BcdTime, Framer, Location, LocationExtra, Message, Packet, ParamValue, Version};

fn vectors() -> BTreeMap<&'static str, Vec<u8>> {
    include_str!("vectors/frames.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, hex) = l.split_once('|').expect("name | hex");
            (name.trim(), hex::decode(hex.trim()).expect("hex"))
        })
        .collect()
}

fn packet(name: &str) -> Packet {
    let v = vectors();
    let wire = v.get(name).unwrap_or_else(|| panic!("no vector {name}"));
    Packet::decode_escaped(wire).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn message(name: &str) -> Message {
    packet(name)
        .message()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn time(s: &str) -> String {
    // "2024-10-01 23:59:59" in GMT+8 as RFC 3339.
    format!("{}+08:00", s.replace(' ', "T"))
}

fn fix_time(loc: &Location) -> String {
    loc.time.to_datetime().expect("valid time").to_rfc3339()
}

#[test]
fn every_vector_decodes_and_reencodes_byte_for_byte() {
    let all = vectors();
    assert!(all.len() >= 30, "{} vectors", all.len());
    for (name, wire) in &all {
        let p = Packet::decode_escaped(wire).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&p.encode(), wire, "{name}: packet re-encode");
        if name.starts_with("bad_") {
            continue;
        }
        let msg = p.message().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!matches!(msg, Message::Unknown { .. }), "{name} is typed");
        assert_eq!(
            msg.encode_body(p.header.version),
            p.body,
            "{name}: body re-encode"
        );
        assert_eq!(
            &Packet::new(p.header.clone(), &msg).encode(),
            wire,
            "{name}"
        );
    }
}

#[test]
fn all_vectors_through_the_framer_in_one_stream() {
    let all = vectors();
    let stream: Vec<u8> = all.values().flatten().copied().collect();
    let mut framer = Framer::default();
    let mut n = 0;
    for chunk in stream.chunks(7) {
        for frame in framer.feed(chunk) {
            Packet::decode(&frame.unwrap()).unwrap();
            n += 1;
        }
    }
    assert_eq!(n, all.len());
}

#[test]
fn register_2013_smallchi() {
    let p = packet("smallchi_0100_2013");
    assert_eq!(p.header.version, Version::V2013);
    assert_eq!(p.header.serial, 10);
    assert_eq!(p.header.phone_trimmed(), "123456789");
    let Message::Register(r) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!((r.province, r.city, r.plate_color), (40, 50, 1));
    assert_eq!(r.manufacturer_text(), "12340");
    assert_eq!(r.terminal_id_text(), "CHI1230");
    assert_eq!(r.model_text(), "smallchi123000000000");
    assert_eq!(r.plate_text(), "粤A12345");
}

#[test]
fn register_2019_smallchi_left_padded_fields() {
    let p = packet("smallchi_0100_2019");
    assert_eq!(p.header.version, Version::V2019 { protocol: 1 });
    assert_eq!(p.header.phone, "00000000000123456789");
    assert_eq!(p.header.phone_trimmed(), "123456789");
    let Message::Register(r) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!(r.manufacturer_text(), format!("{:0>11}", "1234"));
    assert_eq!(r.terminal_id_text(), format!("{:0>30}", "CHI123"));
    assert_eq!(r.model_text(), format!("{:0>30}", "smallchi123"));
    assert_eq!(r.plate_text(), "粤A12345");
}

#[test]
fn register_golib_both_versions() {
    for (name, phone) in [
        ("golib_0100_2013", "012345678901"),
        ("golib_0100_2019", "00000000017299841738"),
    ] {
        let p = packet(name);
        assert_eq!(p.header.phone, phone);
        let Message::Register(r) = p.message().unwrap() else {
            panic!()
        };
        assert_eq!((r.province, r.city, r.plate_color), (31, 115, 1), "{name}");
        assert_eq!(r.manufacturer, b"cd");
        assert_eq!(r.model, b"www.808.com");
        assert_eq!(r.terminal_id, b"7654321");
        assert_eq!(r.plate_text(), "测A1234");
    }
}

#[test]
fn register_replies_match_golib() {
    let v = vectors();
    let req = packet("golib_0100_2013");
    let reply = req.register_response(0, b"12345678901", 0);
    assert_eq!(reply.encode(), v["golib_8100_2013"]);
    let req = packet("golib_0100_2019");
    let reply = req.register_response(0, b"17299841738", 0);
    assert_eq!(reply.encode(), v["golib_8100_2019_reply"]);
    let Message::RegisterResponse(r) = message("xtream_8100_2019") else {
        panic!()
    };
    assert_eq!((r.reply_serial, r.result), (111, 0));
    assert_eq!(r.auth_code, b"ok..ok..ok");
}

#[test]
fn authentication_2013_and_2019() {
    let p = packet("smallchi_0102_2013");
    assert_eq!(
        (p.header.serial, p.header.phone_trimmed()),
        (12345, "12345678900")
    );
    let Message::Authentication(a) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!(a.code_text(), "456121111");

    let Message::Authentication(a) = message("golib_0102_2013") else {
        panic!()
    };
    assert_eq!((a.code.as_slice(), a.imei.len()), (&b"17299841738"[..], 0));

    let Message::Authentication(a) = message("golib_0102_2019") else {
        panic!()
    };
    assert_eq!(a.code, b"17299841738");
    assert_eq!(a.imei, b"123456789012345");
    assert_eq!(a.software_version, b"3.7.15");
}

#[test]
fn location_with_escaped_byte() {
    let Message::Location(l) = message("golib_0200_2013_escaped") else {
        panic!()
    };
    assert_eq!((l.alarm.0, l.status.0), (1024, 2048));
    assert_eq!((l.latitude, l.longitude), (119552894, 40058359));
    assert_eq!((l.altitude, l.speed, l.heading), (312, 3, 99));
    assert_eq!(fix_time(&l), time("2024-10-01 23:59:59"));
    assert!(l.status.circuit_cut() && !l.status.acc_on());
    assert!(l.alarm.bit(10) && !l.alarm.overspeed());
    assert!(l.extras.is_empty());
}

#[test]
fn location_with_all_known_extras() {
    let Message::Location(l) = message("golib_0200_2013_extras") else {
        panic!()
    };
    assert_eq!((l.latitude, l.longitude), (116307629, 40058359));
    assert_eq!(fix_time(&l), time("2020-07-07 19:23:59"));
    use LocationExtra::*;
    let typed: Vec<&LocationExtra> = l
        .extras
        .iter()
        .filter(|e| !matches!(e, Raw { .. }))
        .collect();
    assert_eq!(
        typed,
        [
            &Mileage(11),
            &Fuel(22),
            &RecorderSpeed(33),
            &ManualAlarmId(44),
            &ExtendedSignals(99),
            &IoStatus(10),
            &Analog(20),
            &SignalStrength(30),
            &Satellites(40),
        ]
    );
    let raw_ids: Vec<u8> = l
        .extras
        .iter()
        .filter(|e| matches!(e, Raw { .. }))
        .map(|e| e.id())
        .collect();
    assert_eq!(raw_ids, [0x05, 0x11, 0x12, 0x13, 0x06]);
    assert_eq!(l.mileage_km(), Some(1.1));
    assert_eq!(l.fuel_l(), Some(2.2));
}

#[test]
fn location_2019_xtream() {
    let p = packet("xtream_0200_2019");
    assert_eq!(p.header.phone, "00000000013912344329");
    let Message::Location(l) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!((l.alarm.0, l.status.0), (111, 22));
    assert_eq!((l.latitude, l.longitude), (31234567, 121987654));
    assert_eq!((l.altitude, l.speed, l.heading), (123, 66, 3));
    assert_eq!(fix_time(&l), time("2025-01-29 22:33:44"));
    assert_eq!(l.extra(0x01), Some(&LocationExtra::Mileage(12)));
    assert_eq!(l.extra(0x02), Some(&LocationExtra::Fuel(100)));
    // Status 22 = 0b10110: positioned, south; so the signed latitude is negative.
    assert!(l.status.positioned() && l.status.south() && !l.status.west());
    assert!((l.latitude_deg() + 31.234567).abs() < 1e-9);
    assert!((l.longitude_deg() - 121.987654).abs() < 1e-9);
    assert!((l.speed_kmh() - 6.6).abs() < 1e-9);

    let Message::Location(l) = message("xtream_0200_2019_sample2") else {
        panic!()
    };
    assert_eq!(
        (l.latitude, l.longitude, l.altitude),
        (31000562, 121451372, 666)
    );
    assert_eq!(l.extra(0x25), Some(&LocationExtra::ExtendedSignals(0x309)));
    assert_eq!(l.extra(0x31), Some(&LocationExtra::Satellites(0x37)));
    assert!(matches!(l.extra(0x64), Some(LocationExtra::Raw { value, .. }) if value.len() == 47));
}

#[test]
fn batch_upload_smallchi_2013() {
    let p = packet("smallchi_0704_2013");
    assert_eq!(
        (p.header.serial, p.header.phone.as_str()),
        (8888, "112233445566")
    );
    let Message::BatchLocation(b) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!((b.kind, b.items.len()), (0, 2));
    let (a, c) = (&b.items[0], &b.items[1]);
    assert_eq!(
        (a.alarm.0, a.status.0, a.latitude, a.longitude),
        (1, 2, 12222222, 132444444)
    );
    assert_eq!((a.speed, a.heading), (60, 0));
    assert_eq!(fix_time(a), time("2018-07-15 10:10:10"));
    assert_eq!(
        (a.extra(1), a.extra(2)),
        (
            Some(&LocationExtra::Mileage(100)),
            Some(&LocationExtra::Fuel(55))
        )
    );
    assert_eq!(
        (c.alarm.0, c.status.0, c.latitude, c.longitude),
        (2, 1, 13333333, 132555555)
    );
    assert_eq!((c.speed, c.heading), (54, 120));
    assert_eq!(fix_time(c), time("2018-07-15 10:10:30"));
    assert_eq!(
        (c.extra(1), c.extra(2)),
        (
            Some(&LocationExtra::Mileage(96)),
            Some(&LocationExtra::Fuel(66))
        )
    );
}

#[test]
fn batch_upload_2013_golib_and_2019_xtream() {
    let Message::BatchLocation(b) = message("golib_0704_2013") else {
        panic!()
    };
    assert_eq!(b.items.len(), 2);
    assert!(b
        .items
        .iter()
        .all(|l| l.latitude == 119552894 && l.heading == 99));

    let Message::BatchLocation(b) = message("xtream_0704_2019") else {
        panic!()
    };
    assert_eq!((b.kind, b.items.len()), (0, 2));
    let got: Vec<_> = b
        .items
        .iter()
        .map(|l| (l.latitude, l.longitude, l.altitude, l.speed, l.heading))
        .collect();
    assert_eq!(
        got,
        [
            (31000562, 121451372, 666, 33, 89),
            (31000563, 121451373, 777, 67, 90)
        ]
    );
    assert_eq!(
        b.items[0].time,
        BcdTime {
            year: 24,
            month: 10,
            day: 29,
            hour: 21,
            minute: 39,
            second: 3
        }
    );
}

#[test]
fn general_acks() {
    let p = packet("smallchi_8001_2013");
    assert_eq!(
        (p.header.serial, p.header.phone_trimmed()),
        (10, "12345678900")
    );
    let Message::PlatformAck(a) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!((a.reply_serial, a.reply_id, a.result), (100, 0x0200, 0));

    let Message::PlatformAck(a) = message("xtream_8001_2019") else {
        panic!()
    };
    assert_eq!((a.reply_serial, a.reply_id, a.result), (111, 512, 0));

    let p = packet("smallchi_0001_2013");
    assert_eq!(p.header.serial, 1203);
    let Message::TerminalAck(a) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!((a.reply_serial, a.reply_id, a.result), (1000, 0x0002, 0));

    let Message::TerminalAck(a) = message("golib_0001_2013") else {
        panic!()
    };
    assert_eq!((a.reply_serial, a.reply_id, a.result), (123, 456, 3));
}

#[test]
fn ack_replies_match_golib() {
    let v = vectors();
    let hb = packet("golib_0002_2013_b");
    assert_eq!(hb.message().unwrap(), Message::Heartbeat);
    assert_eq!(hb.ack_ok(0).encode(), v["golib_8001_2013_reply_0002"]);
    let hb = packet("golib_0002_2019");
    assert_eq!(hb.ack_ok(0).encode(), v["golib_8001_2019_reply_0002"]);
    let auth = packet("golib_0102_2013");
    assert_eq!(
        auth.platform_ack(1, 0).encode(),
        v["golib_8001_2013_reply_0102"]
    );
    let auth = packet("golib_0102_2019");
    assert_eq!(
        auth.platform_ack(0, 0).encode(),
        v["golib_8001_2019_reply_0102"]
    );
}

#[test]
fn set_params() {
    let Message::SetParams(s) = message("smallchi_8103_2013") else {
        panic!()
    };
    assert_eq!(s.params.len(), 1);
    assert_eq!(s.params[0].typed(), ParamValue::HeartbeatInterval(10));

    let p = packet("golib_8103_2013");
    assert_eq!(p.header.phone, "123456789012");
    let Message::SetParams(s) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!(s.params.len(), 40);
    assert_eq!(s.get_u32(0x0001), Some(1651141221));
    assert_eq!(s.get_u32(0x0029), Some(1450004075));
    let p31 = s.params.iter().find(|p| p.id == 0x31).unwrap();
    assert_eq!(p31.value, 23145u16.to_be_bytes());
    let p110 = s.params.iter().find(|p| p.id == 0x110).unwrap();
    assert_eq!(p110.value, [0, 1, 2, 3, 4, 5, 6, 7]);
    let apn = s.params.iter().find(|p| p.id == 0x10).unwrap();
    assert_eq!(apn.value, b"JDh2l29NjuAnrlXu");
}

#[test]
fn params_responses() {
    let Message::ParamsResponse(r) = message("smallchi_0104_2013") else {
        panic!()
    };
    assert_eq!((r.reply_serial, r.params.len()), (20, 1));
    assert_eq!(r.get_u32(0x0001), Some(10));

    // This frame from SmallChi's test writes the id of parameter 0x0013
    // twice (4 bytes more than the standard layout): the decoder says so.
    let err = packet("bad_smallchi_0104_2013_two").message().unwrap_err();
    assert_eq!(
        err.to_string(),
        "0x0104 body has 17 unexpected bytes after byte 17"
    );

    let p = packet("golib_0104_2019");
    assert_eq!(p.body.len(), 930);
    let Message::ParamsResponse(r) = p.message().unwrap() else {
        panic!()
    };
    assert_eq!((r.reply_serial, r.params.len()), (4, 91));
    let typed: Vec<ParamValue> = r
        .params
        .iter()
        .map(|p| p.typed())
        .filter(|t| !matches!(t, ParamValue::Other { .. }))
        .collect();
    assert_eq!(
        typed,
        [
            ParamValue::HeartbeatInterval(10),
            ParamValue::DefaultReportInterval(0),
            ParamValue::MaxSpeed(60),
            ParamValue::OverspeedDuration(20),
            ParamValue::ContinuousDrivingLimit(14400),
            ParamValue::DailyDrivingLimit(1800),
            ParamValue::MinRest(7200),
            ParamValue::MaxParking(300),
        ]
    );
    let plate = r.params.iter().find(|p| p.id == 0x83).unwrap();
    assert_eq!(wuliu_jt808::text::decode_gbk(&plate.value), "京AX0001");
}
