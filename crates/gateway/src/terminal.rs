//! A JT/T 808 terminal over TCP: what the simulator, the tests and the benchmark use to speak to a
//! gateway exactly as a truck's device does.

use std::collections::VecDeque;
use std::io;

use chrono::{DateTime, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use wuliu_jt808::{
    AlarmFlags, Authentication, BcdTime, Framer, Header, Location, LocationExtra, Message, Packet,
    StatusFlags, TerminalRegister, Version,
};
use wuliu_model::Position;

/// One terminal's connection.
pub struct Terminal {
    stream: TcpStream,
    framer: Framer,
    phone: String,
    version: Version,
    serial: u16,
    inbox: VecDeque<Packet>,
}

fn protocol_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

impl Terminal {
    /// Connects as terminal `phone` speaking `version`.
    pub async fn connect(addr: &str, phone: &str, version: Version) -> io::Result<Terminal> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self::over(stream, phone, version))
    }

    /// Wraps a connected stream (e.g. one bound to a chosen source address).
    pub fn over(stream: TcpStream, phone: &str, version: Version) -> Terminal {
        Terminal {
            stream,
            framer: Framer::default(),
            phone: phone.to_string(),
            version,
            serial: 0,
            inbox: VecDeque::new(),
        }
    }

    /// Sends a message and returns its serial, without waiting for the answer.
    pub async fn send(&mut self, message: &Message) -> io::Result<u16> {
        self.serial = self.serial.wrapping_add(1);
        let header = Header::new(
            message.msg_id(),
            self.version,
            self.phone.clone(),
            self.serial,
        );
        let bytes = Packet::new(header, message).encode();
        self.stream.write_all(&bytes).await?;
        Ok(self.serial)
    }

    /// Writes raw bytes (tests send broken frames this way).
    pub async fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes).await
    }

    /// The next packet from the gateway; `UnexpectedEof` when it closed the connection.
    pub async fn receive(&mut self) -> io::Result<Packet> {
        let mut buf = [0u8; 2048];
        loop {
            if let Some(p) = self.inbox.pop_front() {
                return Ok(p);
            }
            let n = self.stream.read(&mut buf).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            for frame in self.framer.feed(&buf[..n]) {
                let packet = frame
                    .and_then(|f| Packet::decode(&f))
                    .map_err(protocol_error)?;
                self.inbox.push_back(packet);
            }
        }
    }

    /// Sends and waits for the answer to that message (skipping other traffic).
    pub async fn request(&mut self, message: &Message) -> io::Result<Message> {
        let serial = self.send(message).await?;
        loop {
            let reply = self.receive().await?.message().map_err(protocol_error)?;
            let answers = match &reply {
                Message::PlatformAck(a) => a.reply_serial == serial,
                Message::RegisterResponse(r) => r.reply_serial == serial,
                _ => false,
            };
            if answers {
                return Ok(reply);
            }
        }
    }

    /// Registers with a plate and colour code; returns the result code and the auth code.
    pub async fn register(&mut self, plate: &str, colour: u8) -> io::Result<(u8, String)> {
        let reg = TerminalRegister {
            province: 45,
            city: 200,
            manufacturer: b"WULIU".to_vec(),
            model: b"SIM-1".to_vec(),
            terminal_id: self.phone.as_bytes()[self.phone.len().saturating_sub(7)..].to_vec(),
            plate_color: colour,
            plate: wuliu_jt808::text::encode_gbk(plate),
        };
        match self.request(&Message::Register(reg)).await? {
            Message::RegisterResponse(r) => {
                Ok((r.result, String::from_utf8_lossy(&r.auth_code).into_owned()))
            }
            Message::PlatformAck(a) => Ok((0xFF - a.result, String::new())),
            other => Err(protocol_error(format!(
                "unexpected answer {:04X}",
                other.msg_id()
            ))),
        }
    }

    /// Authenticates; returns the 0x8001 result (0 = accepted).
    pub async fn authenticate(&mut self, code: &str) -> io::Result<u8> {
        let auth = Authentication {
            code: code.as_bytes().to_vec(),
            imei: if self.version.is_2019() {
                b"860000000000001".to_vec()
            } else {
                Vec::new()
            },
            software_version: if self.version.is_2019() {
                b"1.0".to_vec()
            } else {
                Vec::new()
            },
        };
        self.ack_result(&Message::Authentication(auth)).await
    }

    /// Sends a message answered by 0x8001 and returns the result code.
    pub async fn ack_result(&mut self, message: &Message) -> io::Result<u8> {
        match self.request(message).await? {
            Message::PlatformAck(a) if a.reply_id == message.msg_id() => Ok(a.result),
            other => Err(protocol_error(format!(
                "unexpected answer {:04X}",
                other.msg_id()
            ))),
        }
    }

    /// Reports one position and waits for its acknowledgement (0 = stored).
    pub async fn report(&mut self, position: &Position) -> io::Result<u8> {
        self.ack_result(&Message::Location(location(position)))
            .await
    }
}

/// The 0x0200 body a terminal sends for `position` (Beijing time on the wire).
pub fn location(p: &Position) -> Location {
    let time: DateTime<Utc> = p.time;
    let status = StatusFlags(p.status)
        .with(1, true)
        .with(2, p.point.lat < 0.0)
        .with(3, p.point.lon < 0.0);
    let mut extras = Vec::new();
    if let Some(km) = p.mileage_km {
        extras.push(LocationExtra::Mileage((km * 10.0).round() as u32));
    }
    if let Some(l) = p.fuel_l {
        extras.push(LocationExtra::Fuel((l * 10.0).round() as u16));
    }
    Location {
        alarm: AlarmFlags(p.alarm),
        status,
        latitude: (p.point.lat.abs() * 1e6).round() as u32,
        longitude: (p.point.lon.abs() * 1e6).round() as u32,
        altitude: p.altitude_m.clamp(0, i32::from(u16::MAX)) as u16,
        speed: (p.speed_kmh * 10.0).round() as u16,
        heading: p.heading,
        time: BcdTime::from_datetime(&time.with_timezone(&BcdTime::china_offset())),
        extras,
    }
}
