//! Cutting metadata out of a JPEG or PNG without touching its compressed
//! pixels, for uploads whose re-encoded copy would be larger.
//!
//! Written out rather than taken from a metadata crate because the rule is
//! a closed list of what to keep: everything after the end of the image (a
//! script appended to a valid image, say) goes too.

use crate::MediaError;

/// The JPEG without its APPn (except the JFIF header and Adobe's colour
/// transform flag, which change how pixels decode) and COM segments, and
/// without anything after its end marker.
pub fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let damaged = || MediaError::refused("the JPEG file is damaged or truncated");
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(damaged());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut at = 2;
    loop {
        // Fill bytes (0xFF runs) may precede a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        if bytes.get(at) != Some(&0xFF) {
            return Err(damaged());
        }
        let marker = *bytes.get(at + 1).ok_or_else(damaged)?;
        if marker == 0xD9 {
            out.extend_from_slice(&[0xFF, 0xD9]);
            return Ok(out);
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2).ok_or_else(damaged)?,
            *bytes.get(at + 3).ok_or_else(damaged)?,
        ]));
        let end = at + 2 + length;
        if length < 2 || end > bytes.len() {
            return Err(damaged());
        }
        if keeps(marker, &bytes[at + 4..end]) {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
        if marker == 0xDA {
            // Entropy-coded data runs to the next marker that is neither a
            // stuffed zero nor a restart marker.
            let start = at;
            while at + 1 < bytes.len() {
                if bytes[at] == 0xFF
                    && bytes[at + 1] != 0
                    && !(0xD0..=0xD7).contains(&bytes[at + 1])
                {
                    break;
                }
                at += 1;
            }
            if at + 1 >= bytes.len() {
                return Err(damaged());
            }
            out.extend_from_slice(&bytes[start..at]);
        }
    }
}

/// Whether a JPEG segment stays.
fn keeps(marker: u8, contents: &[u8]) -> bool {
    match marker {
        0xE0 => contents.starts_with(b"JFIF\0"),
        0xEE => contents.starts_with(b"Adobe"),
        0xE1..=0xEF | 0xFE => false,
        _ => true,
    }
}

/// The PNG with only the chunks that make its picture (header, palette,
/// transparency, data, end, and the colour chunks a browser applies),
/// without anything after its end.
pub fn png(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let damaged = || MediaError::refused("the PNG file is damaged or truncated");
    if !bytes.starts_with(SIGNATURE) {
        return Err(damaged());
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(SIGNATURE);
    let mut at = SIGNATURE.len();
    loop {
        let header = bytes.get(at..at + 8).ok_or_else(damaged)?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let end = at
            .checked_add(12)
            .and_then(|n| n.checked_add(length))
            .filter(|&end| end <= bytes.len())
            .ok_or_else(damaged)?;
        if matches!(
            kind,
            b"IHDR" | b"PLTE" | b"tRNS" | b"IDAT" | b"IEND" | b"gAMA" | b"cHRM" | b"sRGB"
        ) {
            out.extend_from_slice(&bytes[at..end]);
        }
        at = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_loses_its_metadata_and_its_tail() {
        let mut file = vec![0xFF, 0xD8];
        file.extend_from_slice(&[0xFF, 0xE0, 0, 7, b'J', b'F', b'I', b'F', 0]);
        file.extend_from_slice(&[0xFF, 0xE1, 0, 8, b'E', b'x', b'i', b'f', 0, 0]);
        file.extend_from_slice(&[0xFF, 0xFE, 0, 5, b'h', b'i', b'!']);
        file.extend_from_slice(&[0xFF, 0xDA, 0, 3, 1, 0x12, 0xFF, 0x00, 0xFF, 0xD3, 0x34]);
        file.extend_from_slice(&[0xFF, 0xD9]);
        file.extend_from_slice(b"<script>alert(1)</script>");
        let out = jpeg(&file).expect("strips");
        assert!(!out.windows(4).any(|w| w == b"Exif"));
        assert!(!out.windows(3).any(|w| w == b"hi!"));
        assert!(!out.windows(7).any(|w| w == b"<script"));
        assert!(out.windows(4).any(|w| w == b"JFIF"));
        assert!(out.ends_with(&[0x12, 0xFF, 0x00, 0xFF, 0xD3, 0x34, 0xFF, 0xD9]));
    }

    #[test]
    fn a_truncated_jpeg_is_refused() {
        assert!(jpeg(&[0xFF, 0xD8, 0xFF, 0xE1, 0, 200, 1]).is_err());
        assert!(jpeg(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 3, 1, 0x12, 0x13]).is_err());
    }
}
