//! Responsive variants of a stored photo: a few widths up to its own, each
//! as lossy WebP and as a JPEG (PNG when the photo has transparency) for
//! browsers without WebP. A variant larger than the stored photo itself is
//! not kept: at that width pages use the photo.

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbaImage;

use crate::prepare::{decode, encode};
use crate::{ImageKind, Limits, MediaError};

/// The widths variants are made at (those below the photo's own width,
/// and the photo's own width when it is below the largest).
pub const WIDTHS: [u32; 6] = [360, 540, 720, 960, 1280, 1920];

const WEBP_QUALITY: u8 = 75;
const FALLBACK_QUALITY: u8 = 80;

/// A variant's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantFormat {
    WebP,
    /// JPEG, or PNG for photos with transparency.
    Fallback(ImageKind),
}

impl VariantFormat {
    pub fn kind(self) -> ImageKind {
        match self {
            VariantFormat::WebP => ImageKind::WebP,
            VariantFormat::Fallback(kind) => kind,
        }
    }
}

/// One variant.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: VariantFormat,
    pub bytes: Vec<u8>,
}

/// The widths to make for a photo `width` pixels wide.
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    if width < WIDTHS[WIDTHS.len() - 1] {
        widths.push(width);
    }
    widths
}

/// Makes the variants of a stored (prepared) photo. Animations get none:
/// they are shown as they are.
pub fn make_variants(
    stored: &[u8],
    kind: ImageKind,
    limits: &Limits,
) -> Result<Vec<Variant>, MediaError> {
    if kind == ImageKind::Gif {
        return Ok(Vec::new());
    }
    let decoded = decode(stored, kind, limits)?;
    let fallback = if decoded.has_alpha {
        ImageKind::Png
    } else {
        ImageKind::Jpeg
    };
    let (width, height) = decoded.pixels.dimensions();
    let mut variants = Vec::new();
    // Largest first, each made from the one before: cheaper than every
    // width from the full photo, and Lanczos keeps it sharp.
    let mut source = decoded.pixels;
    for target in widths_for(width).into_iter().rev() {
        let target_height = scaled_height(width, height, target);
        let pixels = if target == source.width() {
            source.clone()
        } else {
            resize(&source, target, target_height)?
        };
        for format in [VariantFormat::WebP, VariantFormat::Fallback(fallback)] {
            let quality = match format {
                VariantFormat::WebP => WEBP_QUALITY,
                VariantFormat::Fallback(_) => FALLBACK_QUALITY,
            };
            let bytes = match encode(&pixels, decoded.has_alpha, format.kind(), quality) {
                Ok(bytes) => bytes,
                // WebP's sides stop at 16,383 pixels: a very tall photo
                // keeps its JPEG (or PNG) variants.
                Err(_) if format == VariantFormat::WebP => continue,
                Err(e) => return Err(e),
            };
            if bytes.len() <= stored.len() {
                variants.push(Variant {
                    width: target,
                    height: target_height,
                    format,
                    bytes,
                });
            }
        }
        source = pixels;
    }
    variants.reverse();
    Ok(variants)
}

/// The height of a `target`-wide copy, at least one pixel.
pub fn scaled_height(width: u32, height: u32, target: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

/// Lanczos3 resampling (alpha-aware).
pub(crate) fn resize(source: &RgbaImage, width: u32, height: u32) -> Result<RgbaImage, MediaError> {
    let failed = |e: &dyn std::fmt::Display| MediaError::Encode(e.to_string());
    let src = Image::from_vec_u8(
        source.width(),
        source.height(),
        source.as_raw().clone(),
        PixelType::U8x4,
    )
    .map_err(|e| failed(&e))?;
    let mut dst = Image::new(width, height, PixelType::U8x4);
    Resizer::new()
        .resize(
            &src,
            &mut dst,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
        )
        .map_err(|e| failed(&e))?;
    RgbaImage::from_raw(width, height, dst.into_vec())
        .ok_or_else(|| MediaError::Encode("resized buffer has the wrong size".into()))
}
