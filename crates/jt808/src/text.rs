//! GBK text, the character set of JT/T 808 strings (plates, auth codes).

/// Decodes GBK bytes, dropping NUL padding and surrounding spaces.
/// Invalid sequences become U+FFFD.
pub fn decode_gbk(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::GBK.decode(bytes);
    text.trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_string()
}

/// Encodes text as GBK (unmappable characters become `&#NNNN;`, as the
/// WHATWG encoder does).
pub fn encode_gbk(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    bytes.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plate_round_trip() {
        let bytes = encode_gbk("桂B12345");
        assert_eq!(bytes[..2], [0xB9, 0xF0]);
        assert_eq!(decode_gbk(&bytes), "桂B12345");
        assert_eq!(decode_gbk(b"abc\0\0"), "abc");
    }
}
