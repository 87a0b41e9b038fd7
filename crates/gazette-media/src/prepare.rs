//! The stored copy of an upload: checked, decoded under limits, upright,
//! sRGB and free of metadata, and no larger than what was uploaded.

use std::io::Cursor;

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::metadata::Orientation;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageReader, RgbaImage};

use crate::colour::{self, Profile};
use crate::{ImageKind, Limits, MediaError, strip};

/// The first quality tried for lossy copies, then the steps down when the
/// copy would be larger than the upload (a photo already compressed hard
/// by its sender ends low, as it came).
const QUALITIES: [u8; 9] = [85, 75, 65, 55, 45, 35, 25, 15, 5];

/// How the stored copy was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preparation {
    /// Decoded and encoded anew (at this quality, for lossy types).
    Reencoded { quality: Option<u8> },
    /// The upload's own compressed data with its metadata cut out.
    Stripped,
}

/// An upload made ready to store.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub animated: bool,
    pub preparation: Preparation,
}

/// Checks and prepares an upload, or refuses it with a message for the
/// uploader. Decodes once: run it on a blocking thread, under the
/// caller's bound on decodes at a time.
pub fn prepare(upload: &[u8], limits: &Limits) -> Result<Prepared, MediaError> {
    if upload.len() > limits.max_bytes {
        return Err(MediaError::refused(format!(
            "the file is {} MB; the limit is {} MB",
            upload.len().div_ceil(1024 * 1024),
            limits.max_bytes / (1024 * 1024)
        )));
    }
    let kind = ImageKind::sniff(upload)?;
    if kind == ImageKind::Jpeg {
        // JPEG decoders fill a cut-off file with grey rather than fail:
        // a file that does not reach its end marker is refused here.
        strip::jpeg(upload)?;
    }
    let (width, height) = checked_dimensions(upload, kind, limits)?;
    if kind == ImageKind::Gif
        && let Some(prepared) = animated_gif(upload, width, height, limits)?
    {
        return Ok(prepared);
    }
    let decoded = decode(upload, kind, limits)?;
    let output = if kind == ImageKind::Gif {
        // A still GIF is kept as PNG: lossless, and no palette limits.
        ImageKind::Png
    } else {
        kind
    };
    let upright_srgb = decoded.orientation == Orientation::NoTransforms
        && matches!(decoded.profile, Profile::Srgb);
    let (width, height) = decoded.pixels.dimensions();
    let mut quality = None;
    let mut bytes = Vec::new();
    for q in QUALITIES {
        bytes = encode(&decoded.pixels, decoded.has_alpha, output, q)?;
        quality = output.is_lossy().then_some(q);
        if bytes.len() <= upload.len() {
            break;
        }
        if upright_srgb && matches!(kind, ImageKind::Jpeg | ImageKind::Png) {
            let stripped = match kind {
                ImageKind::Jpeg => strip::jpeg(upload)?,
                _ => strip::png(upload)?,
            };
            return Ok(Prepared {
                kind,
                bytes: stripped,
                width,
                height,
                animated: false,
                preparation: Preparation::Stripped,
            });
        }
        if !output.is_lossy() {
            // A lossless copy cannot be made smaller by a lower quality:
            // it stays as it is, a little larger than the upload.
            break;
        }
    }
    Ok(Prepared {
        kind: output,
        bytes,
        width,
        height,
        animated: false,
        preparation: Preparation::Reencoded { quality },
    })
}

impl ImageKind {
    fn is_lossy(self) -> bool {
        matches!(self, ImageKind::Jpeg | ImageKind::WebP)
    }
}

/// The image's size from its header, refused past the limits before any
/// pixel is decoded.
fn checked_dimensions(
    upload: &[u8],
    kind: ImageKind,
    limits: &Limits,
) -> Result<(u32, u32), MediaError> {
    let reader = ImageReader::with_format(Cursor::new(upload), kind.image_format());
    let (width, height) = reader.into_dimensions().map_err(|e| damaged(kind, &e))?;
    let pixels = u64::from(width) * u64::from(height);
    if width == 0 || height == 0 {
        return Err(MediaError::refused("the image has no pixels"));
    }
    if pixels > limits.max_pixels || width > limits.max_side || height > limits.max_side {
        return Err(MediaError::refused(format!(
            "the image is {width} x {height} pixels; the limit is {} megapixels and {} pixels a side",
            limits.max_pixels / 1_000_000,
            limits.max_side
        )));
    }
    Ok((width, height))
}

fn damaged(kind: ImageKind, error: &image::ImageError) -> MediaError {
    match error {
        image::ImageError::Limits(_) => {
            MediaError::refused("the image needs more memory to decode than an upload may use")
        }
        image::ImageError::Unsupported(e) => MediaError::refused(format!(
            "this {} uses a feature Gazette cannot read ({e})",
            kind.extension().to_uppercase()
        )),
        _ => MediaError::refused(format!(
            "the {} file is damaged or truncated and cannot be read",
            kind.extension().to_uppercase()
        )),
    }
}

/// Decoded pixels, upright and in sRGB.
pub(crate) struct Decoded {
    pub pixels: RgbaImage,
    pub has_alpha: bool,
    pub orientation: Orientation,
    pub profile: Profile,
}

pub(crate) fn decode(
    upload: &[u8],
    kind: ImageKind,
    limits: &Limits,
) -> Result<Decoded, MediaError> {
    let mut reader = ImageReader::with_format(Cursor::new(upload), kind.image_format());
    reader.limits(limits.decoder_limits());
    let mut decoder = reader.into_decoder().map_err(|e| damaged(kind, &e))?;
    let profile = colour::classify(decoder.icc_profile().ok().flatten());
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| damaged(kind, &e))?;
    image.apply_orientation(orientation);
    let mut pixels = image.into_rgba8();
    if let Profile::Other(icc) = &profile {
        colour::to_srgb(&mut pixels, icc);
    }
    let has_alpha = pixels.pixels().any(|p| p.0[3] < 255);
    Ok(Decoded {
        pixels,
        has_alpha,
        orientation,
        profile,
    })
}

/// Encodes pixels as `kind`; `quality` is for the lossy types.
pub(crate) fn encode(
    pixels: &RgbaImage,
    has_alpha: bool,
    kind: ImageKind,
    quality: u8,
) -> Result<Vec<u8>, MediaError> {
    let (width, height) = pixels.dimensions();
    // Straight from the RGBA buffer: no second RGBA copy on the way.
    let rgb = || -> image::RgbImage { image::buffer::ConvertBuffer::convert(pixels) };
    let mut out = Vec::new();
    let failed = |e: &dyn std::fmt::Display| MediaError::Encode(e.to_string());
    match kind {
        ImageKind::Jpeg | ImageKind::Gif => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                .encode_image(&rgb())
                .map_err(|e| failed(&e))?;
        }
        ImageKind::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            if has_alpha {
                pixels.write_with_encoder(encoder).map_err(|e| failed(&e))?;
            } else {
                rgb().write_with_encoder(encoder).map_err(|e| failed(&e))?;
            }
        }
        ImageKind::WebP => {
            let memory = if has_alpha {
                webp::Encoder::from_rgba(pixels.as_raw(), width, height)
                    .encode_simple(false, f32::from(quality))
            } else {
                let rgb = rgb();
                webp::Encoder::from_rgb(rgb.as_raw(), width, height)
                    .encode_simple(false, f32::from(quality))
            }
            .map_err(|e| MediaError::Encode(format!("{e:?}")))?;
            out = memory.to_vec();
        }
    }
    Ok(out)
}

/// An animated GIF, encoded anew frame by frame (which drops comments and
/// every application block but the loop count), or `None` for a still one.
fn animated_gif(
    upload: &[u8],
    width: u32,
    height: u32,
    limits: &Limits,
) -> Result<Option<Prepared>, MediaError> {
    let kind = ImageKind::Gif;
    let frame_pixels = u64::from(width) * u64::from(height);
    let max_frames =
        (limits.max_animation_pixels / frame_pixels.max(1)).clamp(1, limits.max_frames);
    let mut decoder = GifDecoder::new(Cursor::new(upload)).map_err(|e| damaged(kind, &e))?;
    decoder
        .set_limits(limits.decoder_limits())
        .map_err(|e| damaged(kind, &e))?;
    let mut frames = Vec::new();
    for frame in decoder.into_frames() {
        frames.push(frame.map_err(|e| damaged(kind, &e))?);
        if frames.len() as u64 > max_frames {
            return Err(MediaError::refused(format!(
                "the animation has more than {max_frames} frames of {width} x {height}: \
                 make it shorter or smaller, or upload it as a video"
            )));
        }
    }
    if frames.len() < 2 {
        return Ok(None);
    }
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut out, 10);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| MediaError::Encode(e.to_string()))?;
        encoder
            .encode_frames(frames)
            .map_err(|e| MediaError::Encode(e.to_string()))?;
    }
    Ok(Some(Prepared {
        kind,
        bytes: out,
        width,
        height,
        animated: true,
        preparation: Preparation::Reencoded { quality: None },
    }))
}
