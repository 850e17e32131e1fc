//! The gateway over real TCP, with the platform's own store behind it (SQLite in a temp dir).

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::json;
use wuliu_app::terminals::TerminalRegistry;
use wuliu_app::{spec, Caller, Service};
use wuliu_gateway::platform::{StoreDirectory, StoreSink};
use wuliu_gateway::terminal::Terminal;
use wuliu_gateway::{serve, Fix, Gateway, GatewayConfig, PositionSink, SinkError};
use wuliu_jt808::Version;
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};
use wuliu_store::{Repository, SqlStore};

struct Rig {
    addr: String,
    repo: Arc<dyn Repository>,
    vehicle: String,
    gateway: Arc<Gateway>,
    _dir: tempfile::TempDir,
}

async fn rig_with(config: GatewayConfig, sink: Option<Arc<dyn PositionSink>>) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("t.db").display());
    let repo: Arc<dyn Repository> = Arc::new(SqlStore::open(&url).await.unwrap());
    let svc = Service::new(repo.clone());
    let admin = Caller::system("450200", "test");
    let party = json!({"name": "柳州示例运输有限公司", "roles": ["carrier"],
        "credit_code": "91450200MA5K00000G", "division_code": "450204",
        "transport_permit": {"number": "桂交运管许可柳字000001号", "expires": "2030-12-31"}});
    let party = svc
        .create(
            &admin,
            spec::by_collection("parties").unwrap(),
            party,
            "450200",
        )
        .await
        .unwrap();
    let vehicle = json!({"carrier_id": party.id, "plate": "桂B12345", "plate_colour": "yellow",
        "body_type": "box", "rated_load": 18000.0, "cargo_volume": 40.0,
        "transport_certificate": {"number": "450200000001", "expires": "2028-06-30"}});
    let vehicle = svc
        .create(
            &admin,
            spec::by_collection("vehicles").unwrap(),
            vehicle,
            "450200",
        )
        .await
        .unwrap();
    let directory = Arc::new(StoreDirectory(TerminalRegistry::new(repo.clone())));
    let sink = sink.unwrap_or_else(|| Arc::new(StoreSink(repo.clone())));
    let gateway = Gateway::start(config, directory, sink);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(serve(listener, gateway.clone(), std::future::pending()));
    Rig {
        addr,
        repo,
        vehicle: vehicle.id,
        gateway,
        _dir: dir,
    }
}

async fn rig() -> Rig {
    rig_with(GatewayConfig::default(), None).await
}

fn fix(vehicle: &str, minute: u32) -> Position {
    Position {
        vehicle_id: VehicleId::new(vehicle),
        time: Utc.with_ymd_and_hms(2026, 12, 3, 1, minute, 0).unwrap(),
        point: GeoPoint {
            lat: 24.312345,
            lon: 109.412345 + f64::from(minute) * 0.001,
        },
        speed_kmh: 61.5,
        heading: 90,
        altitude_m: 95,
        alarm: 0,
        status: 0b11,
        mileage_km: Some(12_345.6),
        fuel_l: Some(210.5),
        source: PositionSource::Jt808,
    }
}

async fn authenticated(rig: &Rig, phone: &str, version: Version) -> Terminal {
    let mut t = Terminal::connect(&rig.addr, phone, version).await.unwrap();
    let (result, code) = t.register("桂B12345", 2).await.unwrap();
    assert_eq!(result, 0, "registration refused");
    assert_eq!(t.authenticate(&code).await.unwrap(), 0);
    t
}

fn window() -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    (
        Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 4, 0, 0, 0).unwrap(),
    )
}

#[tokio::test]
async fn a_registered_terminal_reports_and_each_acknowledged_fix_is_stored_in_utc() {
    for version in [Version::V2013, Version::V2019 { protocol: 1 }] {
        let rig = rig().await;
        let mut t = authenticated(&rig, "13800138000", version).await;
        for minute in 0..3 {
            assert_eq!(t.report(&fix(&rig.vehicle, minute)).await.unwrap(), 0);
        }
        let (from, to) = window();
        let track = rig.repo.track(&rig.vehicle, from, to, 100).await.unwrap();
        assert_eq!(track.len(), 3);
        let want = fix(&rig.vehicle, 2);
        assert_eq!(
            track[2].time, want.time,
            "Beijing time on the wire, UTC in the store"
        );
        assert!((track[2].point.lon - want.point.lon).abs() < 1e-6);
        assert_eq!(track[2].speed_kmh, 61.5);
        assert_eq!(track[2].mileage_km, Some(12_345.6));
        assert_eq!(track[2].source, PositionSource::Jt808);
    }
}

#[tokio::test]
async fn positions_before_authentication_or_with_a_wrong_code_are_refused_and_not_stored() {
    let rig = rig().await;
    let mut t = Terminal::connect(&rig.addr, "13800138001", Version::V2013)
        .await
        .unwrap();
    assert_eq!(
        t.report(&fix(&rig.vehicle, 1)).await.unwrap(),
        1,
        "not authenticated"
    );
    let (result, code) = t.register("桂B12345", 2).await.unwrap();
    assert_eq!(result, 0);
    assert_eq!(
        t.authenticate(&format!("{code}x")).await.unwrap(),
        1,
        "wrong code"
    );
    assert_eq!(t.report(&fix(&rig.vehicle, 2)).await.unwrap(), 1);
    let (from, to) = window();
    assert!(rig
        .repo
        .track(&rig.vehicle, from, to, 10)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn registration_refuses_a_second_terminal_an_unknown_plate_and_a_wrong_colour() {
    let rig = rig().await;
    let _first = authenticated(&rig, "13800138002", Version::V2013).await;
    let mut second = Terminal::connect(&rig.addr, "13800138003", Version::V2013)
        .await
        .unwrap();
    assert_eq!(
        second.register("桂B12345", 2).await.unwrap().0,
        1,
        "vehicle already has a terminal"
    );
    assert_eq!(
        second.register("桂B99999", 2).await.unwrap().0,
        2,
        "no such vehicle"
    );
    assert_eq!(
        second.register("桂B12345", 1).await.unwrap().0,
        2,
        "blue plate is another vehicle"
    );
}

#[tokio::test]
async fn an_authenticated_connection_cannot_report_for_another_terminal() {
    let rig = rig().await;
    let mut t = authenticated(&rig, "13800138004", Version::V2013).await;
    // Same socket, but the header names another phone.
    let location = wuliu_gateway::terminal::location(&fix(&rig.vehicle, 5));
    let message = wuliu_jt808::Message::Location(location);
    let header = wuliu_jt808::Header::new(message.msg_id(), Version::V2013, "13800138999", 77);
    t.send_raw(&wuliu_jt808::Packet::new(header, &message).encode())
        .await
        .unwrap();
    match t.receive().await.unwrap().message().unwrap() {
        wuliu_jt808::Message::PlatformAck(a) => assert_eq!((a.reply_serial, a.result), (77, 1)),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(t.report(&fix(&rig.vehicle, 6)).await.unwrap(), 0);
    let (from, to) = window();
    assert_eq!(
        rig.repo
            .track(&rig.vehicle, from, to, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_connection_that_keeps_sending_bad_frames_is_dropped() {
    let config = GatewayConfig {
        max_bad_frames: 4,
        ..Default::default()
    };
    let rig = rig_with(config, None).await;
    let mut t = Terminal::connect(&rig.addr, "13800138005", Version::V2013)
        .await
        .unwrap();
    for _ in 0..4 {
        t.send_raw(&[0x7E, 0x02, 0x00, 0x00, 0x01, 0x7E])
            .await
            .unwrap();
    }
    let closed = tokio::time::timeout(Duration::from_secs(5), t.receive())
        .await
        .unwrap();
    assert!(
        closed.is_err(),
        "the gateway should have closed the connection"
    );
    assert!(
        rig.gateway
            .stats
            .bad_frames
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 4
    );
    assert_eq!(
        rig.gateway
            .stats
            .dropped_bad
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

#[tokio::test]
async fn idle_and_unauthenticated_connections_time_out() {
    let config = GatewayConfig {
        auth_timeout: Duration::from_millis(200),
        ..Default::default()
    };
    let rig = rig_with(config, None).await;
    let mut t = Terminal::connect(&rig.addr, "13800138006", Version::V2013)
        .await
        .unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), t.receive())
        .await
        .unwrap();
    assert!(closed.is_err());
}

#[tokio::test]
async fn connections_beyond_the_limit_are_closed_on_accept() {
    let config = GatewayConfig {
        max_connections: 2,
        ..Default::default()
    };
    let rig = rig_with(config, None).await;
    let _a = authenticated(&rig, "13800138007", Version::V2013).await;
    let mut b = Terminal::connect(&rig.addr, "13800138008", Version::V2013)
        .await
        .unwrap();
    assert_eq!(
        b.ack_result(&wuliu_jt808::Message::Heartbeat)
            .await
            .unwrap(),
        0
    );
    let mut c = Terminal::connect(&rig.addr, "13800138009", Version::V2013)
        .await
        .unwrap();
    let refused = tokio::time::timeout(
        Duration::from_secs(5),
        c.ack_result(&wuliu_jt808::Message::Heartbeat),
    )
    .await
    .unwrap();
    assert!(refused.is_err(), "third connection should be closed");
    assert_eq!(
        rig.gateway
            .stats
            .refused
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

/// A sink whose storage is down: nothing it is given may be acknowledged.
struct Down;

#[async_trait::async_trait]
impl PositionSink for Down {
    async fn append(&self, _: &[Fix]) -> Result<(), SinkError> {
        Err(SinkError {
            sink: "store",
            message: "disk full".into(),
        })
    }
}

#[tokio::test]
async fn a_position_that_could_not_be_stored_is_answered_with_failure() {
    let rig = rig_with(GatewayConfig::default(), Some(Arc::new(Down))).await;
    let mut t = authenticated(&rig, "13800138010", Version::V2013).await;
    assert_eq!(t.report(&fix(&rig.vehicle, 7)).await.unwrap(), 1);
}

#[tokio::test]
async fn re_registering_a_bound_terminal_from_another_device_does_not_take_it_over() {
    let rig = rig().await;
    let mut t = Terminal::connect(&rig.addr, "13800138011", Version::V2013)
        .await
        .unwrap();
    let (result, code) = t.register("桂B12345", 2).await.unwrap();
    assert_eq!(result, 0);
    // An attacker knows the phone (it is in every header) and the plate (it is on the truck).
    let mut attacker = Terminal::connect(&rig.addr, "13800138011", Version::V2013)
        .await
        .unwrap();
    let forged = wuliu_jt808::TerminalRegister {
        province: 45,
        city: 200,
        manufacturer: b"EVIL1".to_vec(),
        model: b"X".to_vec(),
        terminal_id: b"6666666".to_vec(),
        plate_color: 2,
        plate: wuliu_jt808::text::encode_gbk("桂B12345"),
    };
    match attacker
        .request(&wuliu_jt808::Message::Register(forged))
        .await
        .unwrap()
    {
        wuliu_jt808::Message::RegisterResponse(r) => {
            assert_eq!(r.result, 3, "terminal already registered");
            assert!(r.auth_code.is_empty());
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        t.authenticate(&code).await.unwrap(),
        0,
        "the real terminal's code still works"
    );
    // The same device registering again (after a reset) gets a new code.
    let mut again = Terminal::connect(&rig.addr, "13800138011", Version::V2013)
        .await
        .unwrap();
    let (result, new_code) = again.register("桂B12345", 2).await.unwrap();
    assert_eq!(result, 0);
    assert_ne!(new_code, code);
}

#[tokio::test]
async fn heartbeats_do_not_keep_an_unauthenticated_connection_open() {
    let config = GatewayConfig {
        auth_timeout: Duration::from_millis(600),
        ..Default::default()
    };
    let rig = rig_with(config, None).await;
    let mut t = Terminal::connect(&rig.addr, "13800138012", Version::V2013)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let closed = loop {
        match t.ack_result(&wuliu_jt808::Message::Heartbeat).await {
            Ok(_) if started.elapsed() < Duration::from_secs(5) => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Ok(_) => break false,
            Err(_) => break true,
        }
    };
    assert!(
        closed,
        "a connection that never authenticates must be closed after auth_timeout"
    );
}
