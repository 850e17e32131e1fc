//! Streaming framer: turns TCP bytes, in whatever chunks they arrive, into
//! unescaped frames.

use crate::error::{Error, Result};
use crate::escape::{ESCAPE, FLAG};

/// Default limit on one unescaped frame: a 2019 header with sub-package
/// fields (21 bytes), a full 1023-byte body and the check code fit with room
/// to spare.
pub const DEFAULT_MAX_FRAME: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first flag: bytes are garbage and skipped.
    Hunting,
    /// Inside a frame, collecting unescaped bytes.
    InFrame,
    /// Inside a frame already reported as broken: skip until the next flag.
    Skipping,
}

/// Splits a byte stream on 0x7E flags and unescapes each frame.
///
/// * bytes before the first flag are skipped;
/// * `7E 7E` (a closing flag followed by the next opening flag, or an empty
///   frame) yields nothing;
/// * a frame longer than the limit yields one [`Error::FrameTooLong`] and is
///   dropped without being buffered further;
/// * a bad escape yields one error and the rest of that frame is skipped.
///
/// The yielded frames hold header, body and check code: pass each to
/// [`crate::Packet::decode`].
#[derive(Debug, Clone)]
pub struct Framer {
    buf: Vec<u8>,
    max: usize,
    state: State,
    escape_at: Option<usize>,
    /// Escaped bytes seen in the current frame (for error offsets).
    raw_pos: usize,
}

impl Default for Framer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_FRAME)
    }
}

impl Framer {
    /// A framer that refuses frames longer than `max_frame` unescaped bytes.
    pub fn new(max_frame: usize) -> Self {
        Framer {
            buf: Vec::new(),
            max: max_frame,
            state: State::Hunting,
            escape_at: None,
            raw_pos: 0,
        }
    }

    /// Bytes of the frame in progress (never more than the limit).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Feeds newly received bytes; returns the frames (or frame errors) they complete.
    ///
    /// The output is bounded by the input: at most one item per two input bytes.
    pub fn feed(&mut self, data: &[u8]) -> Vec<Result<Vec<u8>>> {
        let mut out = Vec::new();
        for &b in data {
            if let Some(item) = self.push_byte(b) {
                out.push(item);
            }
        }
        out
    }

    fn start_frame(&mut self) {
        self.buf.clear();
        self.escape_at = None;
        self.raw_pos = 0;
        self.state = State::InFrame;
    }

    fn push_byte(&mut self, b: u8) -> Option<Result<Vec<u8>>> {
        match self.state {
            State::Hunting | State::Skipping => {
                if b == FLAG {
                    self.start_frame();
                }
                None
            }
            State::InFrame if b == FLAG => self.close_frame(),
            State::InFrame => self.frame_byte(b),
        }
    }

    fn close_frame(&mut self) -> Option<Result<Vec<u8>>> {
        if let Some(offset) = self.escape_at {
            self.start_frame();
            return Some(Err(Error::TruncatedEscape { offset }));
        }
        if self.buf.is_empty() {
            // `7E 7E`: treat the second flag as the opening of the next frame.
            self.start_frame();
            return None;
        }
        let frame = std::mem::take(&mut self.buf);
        self.start_frame();
        Some(Ok(frame))
    }

    fn frame_byte(&mut self, b: u8) -> Option<Result<Vec<u8>>> {
        let pos = self.raw_pos;
        self.raw_pos += 1;
        let byte = match self.escape_at.take() {
            Some(offset) => match b {
                0x01 => ESCAPE,
                0x02 => FLAG,
                next => return Some(self.abandon(Error::BadEscape { offset, next })),
            },
            None if b == ESCAPE => {
                self.escape_at = Some(pos);
                return None;
            }
            None => b,
        };
        if self.buf.len() >= self.max {
            return Some(self.abandon(Error::FrameTooLong { max: self.max }));
        }
        self.buf.push(byte);
        None
    }

    fn abandon(&mut self, err: Error) -> Result<Vec<u8>> {
        self.buf = Vec::new();
        self.escape_at = None;
        self.state = State::Skipping;
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_garbage_and_splits_back_to_back_frames() {
        let mut f = Framer::default();
        let out = f.feed(&[
            0x00, 0x41, 0x7E, 0x01, 0x02, 0x7E, 0x7E, 0x03, 0x7D, 0x02, 0x7E,
        ]);
        assert_eq!(out, vec![Ok(vec![0x01, 0x02]), Ok(vec![0x03, 0x7E])]);
    }

    #[test]
    fn shared_flag_between_frames_works() {
        let mut f = Framer::default();
        let out = f.feed(&[0x7E, 0x01, 0x7E, 0x02, 0x7E]);
        assert_eq!(out, vec![Ok(vec![0x01]), Ok(vec![0x02])]);
    }

    #[test]
    fn escape_split_across_chunks() {
        let mut f = Framer::default();
        assert!(f.feed(&[0x7E, 0x05, 0x7D]).is_empty());
        assert_eq!(f.feed(&[0x01, 0x7E]), vec![Ok(vec![0x05, 0x7D])]);
    }

    #[test]
    fn overlong_frame_is_reported_once_and_not_buffered() {
        let mut f = Framer::new(4);
        let mut input = vec![0x7E];
        input.extend(std::iter::repeat_n(0x11, 1000));
        input.extend([0x7E, 0x09, 0x7E]);
        let out = f.feed(&input);
        assert_eq!(
            out,
            vec![Err(Error::FrameTooLong { max: 4 }), Ok(vec![0x09])]
        );
        assert_eq!(f.buffered(), 0);
    }

    #[test]
    fn bad_escape_drops_only_that_frame() {
        let mut f = Framer::default();
        let out = f.feed(&[0x7E, 0x01, 0x7D, 0x05, 0x02, 0x7E, 0x07, 0x7E]);
        assert_eq!(
            out,
            vec![
                Err(Error::BadEscape {
                    offset: 1,
                    next: 0x05
                }),
                Ok(vec![0x07])
            ]
        );
        let out = f.feed(&[0x7E, 0x01, 0x7D, 0x7E, 0x08, 0x7E]);
        assert_eq!(
            out,
            vec![Err(Error::TruncatedEscape { offset: 1 }), Ok(vec![0x08])]
        );
    }
}
