//! One terminal connection: frames in, replies out. A connection must authenticate before its
//! positions count; each position is acknowledged (0x8001, result 0) only after the group commit
//! that made it durable.

use std::sync::Arc;
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wuliu_jt808::{
    ack_result, register_result, Framer, Message, Packet, Reassembler, ReassemblerConfig,
};

use crate::convert::to_fix;
use crate::directory::{Binding, RegisterOutcome, Registration};
use crate::sink::Fix;
use crate::stats::GatewayStats;
use crate::Gateway;

/// A reply waiting to be written, or a position reply waiting for the commit.
enum Reply {
    Now(Packet),
    AfterCommit(Packet),
}

/// Per-connection state.
struct Conn {
    framer: Framer,
    reassembler: Reassembler,
    binding: Option<(String, Binding)>,
    serial: u16,
    bad_frames: u32,
}

impl Conn {
    fn next_serial(&mut self) -> u16 {
        self.serial = self.serial.wrapping_add(1);
        self.serial
    }
}

/// Why a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The terminal closed it.
    Closed,
    /// Nothing arrived in time (idle, or no authentication).
    TimedOut,
    /// Too many bad frames.
    BadFrames,
    /// A reply could not be written in time, or the socket failed.
    WriteFailed,
}

/// Serves one terminal until it leaves, idles, misbehaves or the gateway stops.
pub async fn serve_connection(gw: Arc<Gateway>, stream: TcpStream) -> Ended {
    let _ = stream.set_nodelay(true);
    let (mut rd, mut wr) = stream.into_split();
    let mut conn = Conn {
        framer: Framer::new(gw.config.max_frame_bytes),
        reassembler: Reassembler::new(ReassemblerConfig {
            max_pending: gw.config.max_pending_subpackages,
            ..Default::default()
        }),
        binding: None,
        serial: 0,
        bad_frames: 0,
    };
    let mut buf = vec![0u8; 4096];
    // Authentication is due by a deadline from accept: heartbeats do not extend it.
    let auth_due = tokio::time::Instant::now() + gw.config.auth_timeout;
    loop {
        let deadline = match conn.binding {
            None => auth_due,
            Some(_) => tokio::time::Instant::now() + gw.config.idle_timeout,
        };
        let n = match tokio::time::timeout_at(deadline, rd.read(&mut buf)).await {
            Err(_) => return Ended::TimedOut,
            Ok(Ok(0)) | Ok(Err(_)) => return Ended::Closed,
            Ok(Ok(n)) => n,
        };
        let replies = match handle_bytes(&gw, &mut conn, &buf[..n]).await {
            Ok(r) => r,
            Err(ended) => return ended,
        };
        if replies.is_empty() {
            continue;
        }
        let write = tokio::time::timeout(gw.config.write_timeout, wr.write_all(&replies)).await;
        if !matches!(write, Ok(Ok(()))) {
            return Ended::WriteFailed;
        }
    }
}

/// Decodes what arrived, handles every message, commits the positions together and returns the
/// encoded replies in order.
async fn handle_bytes(gw: &Gateway, conn: &mut Conn, bytes: &[u8]) -> Result<Vec<u8>, Ended> {
    let mut replies = Vec::new();
    let mut fixes = Vec::new();
    for frame in conn.framer.feed(bytes) {
        let packet = frame.and_then(|f| Packet::decode(&f));
        let packet = match packet.and_then(|p| conn.reassembler.push(p, Instant::now())) {
            Ok(Some(p)) => p,
            Ok(None) => continue,
            Err(e) => {
                bad_frame(gw, conn, &e)?;
                continue;
            }
        };
        GatewayStats::add(&gw.stats.frames, 1);
        if let Some(reply) = handle_packet(gw, conn, &packet, &mut fixes).await {
            replies.push(reply);
        }
    }
    let committed = commit(gw, fixes).await;
    let mut out = Vec::new();
    for reply in replies {
        let packet = match reply {
            Reply::Now(p) => p,
            Reply::AfterCommit(p) if committed => p,
            Reply::AfterCommit(p) => failed(p),
        };
        out.extend_from_slice(&packet.encode());
    }
    Ok(out)
}

fn bad_frame(gw: &Gateway, conn: &mut Conn, error: &wuliu_jt808::Error) -> Result<(), Ended> {
    GatewayStats::add(&gw.stats.bad_frames, 1);
    conn.bad_frames += 1;
    tracing::debug!(%error, bad = conn.bad_frames, "bad frame");
    if conn.bad_frames >= gw.config.max_bad_frames {
        GatewayStats::add(&gw.stats.dropped_bad, 1);
        return Err(Ended::BadFrames);
    }
    Ok(())
}

/// Turns a success acknowledgement into a failure one (the commit failed: the terminal resends).
fn failed(mut ack: Packet) -> Packet {
    if let Ok(Message::PlatformAck(mut a)) = ack.message() {
        a.result = ack_result::FAILURE;
        ack = Packet::new(ack.header.clone(), &Message::PlatformAck(a));
    }
    ack
}

async fn commit(gw: &Gateway, fixes: Vec<Fix>) -> bool {
    if fixes.is_empty() {
        return true;
    }
    let n = fixes.len() as u64;
    match gw.committer.commit(fixes).await {
        Ok(()) => {
            GatewayStats::add(&gw.stats.positions_acked, n);
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, positions = n, "positions not stored; terminals will resend");
            GatewayStats::add(&gw.stats.positions_refused, n);
            false
        }
    }
}

async fn handle_packet(
    gw: &Gateway,
    conn: &mut Conn,
    packet: &Packet,
    fixes: &mut Vec<Fix>,
) -> Option<Reply> {
    let serial = conn.next_serial();
    let message = match packet.message() {
        Ok(m) => m,
        Err(_) => {
            return Some(Reply::Now(
                packet.platform_ack(ack_result::BAD_MESSAGE, serial),
            ))
        }
    };
    let reply = match message {
        Message::Register(reg) => register(gw, packet, &reg, serial).await,
        Message::Authentication(auth) => {
            authenticate(gw, conn, packet, &auth.code_text(), serial).await
        }
        Message::Heartbeat => packet.ack_ok(serial),
        Message::Unregister => unregister(gw, conn, packet, serial).await,
        Message::Location(loc) => return Some(locations(gw, conn, packet, &[loc], fixes, serial)),
        Message::BatchLocation(batch) => {
            return Some(locations(gw, conn, packet, &batch.items, fixes, serial))
        }
        Message::TerminalAck(_) | Message::ParamsResponse(_) => return None,
        _ => packet.platform_ack(ack_result::UNSUPPORTED, serial),
    };
    Some(Reply::Now(reply))
}

async fn register(
    gw: &Gateway,
    packet: &Packet,
    reg: &wuliu_jt808::TerminalRegister,
    serial: u16,
) -> Packet {
    let registration = Registration {
        phone: packet.header.phone_trimmed().to_string(),
        protocol: if packet.is_2019() { 2019 } else { 2013 },
        province: reg.province,
        city: reg.city,
        manufacturer: reg.manufacturer_text(),
        model: reg.model_text(),
        terminal_id: reg.terminal_id_text(),
        plate_colour: wuliu_model::PlateColour::from_code(reg.plate_color),
        plate: reg.plate_text(),
    };
    let (result, code) = match gw.directory.register(registration).await {
        Ok(RegisterOutcome::Registered { auth_code }) => (register_result::SUCCESS, auth_code),
        Ok(RegisterOutcome::VehicleTaken) => (register_result::VEHICLE_REGISTERED, String::new()),
        Ok(RegisterOutcome::NoSuchVehicle) => (register_result::NO_SUCH_VEHICLE, String::new()),
        Ok(RegisterOutcome::TerminalTaken) => (register_result::TERMINAL_REGISTERED, String::new()),
        Err(e) => {
            tracing::warn!(error = %e, "registration not answered");
            return packet.platform_ack(ack_result::FAILURE, serial);
        }
    };
    packet.register_response(result, code.as_bytes(), serial)
}

async fn authenticate(
    gw: &Gateway,
    conn: &mut Conn,
    packet: &Packet,
    code: &str,
    serial: u16,
) -> Packet {
    let phone = packet.header.phone_trimmed().to_string();
    match gw.directory.authenticate(&phone, code).await {
        Ok(Some(binding)) => {
            conn.binding = Some((phone, binding));
            packet.ack_ok(serial)
        }
        Ok(None) => packet.platform_ack(ack_result::FAILURE, serial),
        Err(e) => {
            tracing::warn!(error = %e, "authentication not answered");
            packet.platform_ack(ack_result::FAILURE, serial)
        }
    }
}

async fn unregister(gw: &Gateway, conn: &mut Conn, packet: &Packet, serial: u16) -> Packet {
    let Some(phone) = bound_phone(conn, packet) else {
        return packet.platform_ack(ack_result::FAILURE, serial);
    };
    match gw.directory.unregister(&phone).await {
        Ok(()) => {
            conn.binding = None;
            packet.ack_ok(serial)
        }
        Err(_) => packet.platform_ack(ack_result::FAILURE, serial),
    }
}

/// The connection's authenticated phone, if this packet comes from it (a connection cannot speak
/// for another terminal).
fn bound_phone(conn: &Conn, packet: &Packet) -> Option<String> {
    let (phone, _) = conn.binding.as_ref()?;
    (phone == packet.header.phone_trimmed()).then(|| phone.clone())
}

fn locations(
    gw: &Gateway,
    conn: &Conn,
    packet: &Packet,
    items: &[wuliu_jt808::Location],
    fixes: &mut Vec<Fix>,
    serial: u16,
) -> Reply {
    let binding = match (&conn.binding, bound_phone(conn, packet)) {
        (Some((_, b)), Some(_)) => b,
        _ => {
            GatewayStats::add(&gw.stats.positions_refused, items.len() as u64);
            return Reply::Now(packet.platform_ack(ack_result::FAILURE, serial));
        }
    };
    let mut unusable = 0u64;
    for loc in items {
        match to_fix(loc, binding) {
            Ok(fix) => fixes.push(fix),
            Err(_) => unusable += 1,
        }
    }
    GatewayStats::add(&gw.stats.positions_refused, unusable);
    Reply::AfterCommit(packet.ack_ok(serial))
}
