//! Gazette's photo pipeline, from an uploaded file to what pages show.
//!
//! Nothing here trusts the file: its type comes from its first bytes
//! ([`kind`]), its size from its header before any pixel is decoded
//! ([`limits`]), and every image is decoded and written anew ([`prepare`]):
//! turned upright by its EXIF orientation, converted to sRGB from an
//! embedded colour profile, and encoded without any metadata block. Only
//! when that copy would be larger than the upload, and nothing a reader
//! sees would change, are the upload's own compressed data kept with its
//! metadata segments cut out ([`strip`]). Responsive variants and share
//! cards are made from the prepared copy ([`variants`], [`card`]).
//!
//! The crate is pure: bytes in, bytes out, no I/O. Callers bound how many
//! decodes run at once (each holds a whole pixel buffer).

pub mod card;
pub mod colour;
pub mod error;
pub mod kind;
pub mod limits;
pub mod prepare;
pub mod strip;
pub mod variants;

pub use error::MediaError;
pub use kind::ImageKind;
pub use limits::Limits;
pub use prepare::{Prepared, prepare};
pub use variants::{Variant, VariantFormat, make_variants};

/// A short content hash for URLs: the same bytes, the same name.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}
