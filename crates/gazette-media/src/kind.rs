//! What a file really is, from its first bytes: never from its name or the
//! type the client claims.

use crate::MediaError;

/// The image types Gazette accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl ImageKind {
    /// The type's MIME name.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::WebP => "image/webp",
            ImageKind::Gif => "image/gif",
        }
    }

    /// The extension of stored names.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::WebP => "webp",
            ImageKind::Gif => "gif",
        }
    }

    pub fn image_format(self) -> image::ImageFormat {
        match self {
            ImageKind::Jpeg => image::ImageFormat::Jpeg,
            ImageKind::Png => image::ImageFormat::Png,
            ImageKind::WebP => image::ImageFormat::WebP,
            ImageKind::Gif => image::ImageFormat::Gif,
        }
    }

    /// The kind of `bytes`, or a refusal that names what the file seems to be.
    pub fn sniff(bytes: &[u8]) -> Result<ImageKind, MediaError> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Ok(ImageKind::Jpeg);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Ok(ImageKind::Png);
        }
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            return Ok(ImageKind::Gif);
        }
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Ok(ImageKind::WebP);
        }
        Err(MediaError::refused(refusal(bytes)))
    }
}

/// Why a file that is none of the accepted types is refused.
fn refusal(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        return "the file is empty";
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if brand == b"avif" || brand == b"avis" {
            return "AVIF images are not accepted yet: export the photo as JPEG, PNG or WebP";
        }
        if brand.starts_with(b"hei") || brand.starts_with(b"mif") {
            return "HEIC photos are not accepted: export the photo as JPEG (on an iPhone: \
                    Settings > Camera > Formats > Most Compatible)";
        }
    }
    let text = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .trim_ascii_start();
    if text.starts_with(b"<") {
        return "SVG, HTML and other text files are not accepted: upload a JPEG, PNG, WebP or GIF";
    }
    if bytes.starts_with(b"%PDF") {
        return "PDF files are not accepted: upload a JPEG, PNG, WebP or GIF";
    }
    "this is not a JPEG, PNG, WebP or GIF image"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\xFF\xD8\xFF\xE0rest").ok(),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a...").ok(), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 ").ok(),
            Some(ImageKind::WebP)
        );
        for (bytes, says) in [
            (&b"\0\0\0\x1cftypavif\0\0\0\0"[..], "AVIF"),
            (b"\0\0\0\x18ftypheic", "HEIC"),
            (b"  <!doctype html><script>", "SVG, HTML"),
            (b"\xEF\xBB\xBF<svg xmlns=", "SVG, HTML"),
            (b"", "empty"),
            (b"MZ\x90\0", "not a JPEG"),
        ] {
            match ImageKind::sniff(bytes) {
                Err(MediaError::Refused(message)) => assert!(message.contains(says), "{message}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
