//! Share cards: the raster picture chat apps show beside a shared link
//! (`og:image`, WeChat's share image), 1200 x 630, from a stored photo or
//! from one of the demo's SVG covers.

use image::RgbaImage;

use crate::prepare::{decode, encode};
use crate::variants::resize;
use crate::{ImageKind, Limits, MediaError};

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;

/// A share card.
#[derive(Debug, Clone)]
pub struct Card {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// A JPEG card cut from the middle of a stored photo (smaller photos give
/// a smaller card of the same shape).
pub fn photo_card(stored: &[u8], kind: ImageKind, limits: &Limits) -> Result<Card, MediaError> {
    let decoded = decode(stored, kind, limits)?;
    let cropped = crop_to_card_shape(&decoded.pixels);
    let scale = f64::from(CARD_WIDTH) / f64::from(cropped.width());
    let pixels = if scale < 1.0 {
        resize(&cropped, CARD_WIDTH, CARD_HEIGHT)?
    } else {
        cropped
    };
    Ok(Card {
        kind: ImageKind::Jpeg,
        width: pixels.width(),
        height: pixels.height(),
        bytes: encode(&pixels, false, ImageKind::Jpeg, 82)?,
    })
}

/// The largest 1200:630 rectangle in the middle of the picture.
fn crop_to_card_shape(pixels: &RgbaImage) -> RgbaImage {
    let (width, height) = pixels.dimensions();
    let card_width_for_height =
        u32::try_from(u64::from(height) * u64::from(CARD_WIDTH) / u64::from(CARD_HEIGHT))
            .unwrap_or(u32::MAX);
    let (w, h) = if card_width_for_height <= width {
        (card_width_for_height.max(1), height)
    } else {
        let h = u64::from(width) * u64::from(CARD_HEIGHT) / u64::from(CARD_WIDTH);
        (width, u32::try_from(h).unwrap_or(height).max(1))
    };
    image::imageops::crop_imm(pixels, (width - w) / 2, (height - h) / 2, w, h).to_image()
}

/// A PNG card drawn from an SVG, scaled to cover 1200 x 630 from its middle.
/// Only for SVG the program drew itself: uploads of SVG are refused.
pub fn svg_card(svg: &[u8]) -> Result<Card, MediaError> {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default())
        .map_err(|e| MediaError::Encode(format!("SVG: {e}")))?;
    let size = tree.size();
    let scale = (CARD_WIDTH as f32 / size.width()).max(CARD_HEIGHT as f32 / size.height());
    let dx = (CARD_WIDTH as f32 - size.width() * scale) / 2.0;
    let dy = (CARD_HEIGHT as f32 - size.height() * scale) / 2.0;
    let mut pixmap = tiny_skia::Pixmap::new(CARD_WIDTH, CARD_HEIGHT)
        .ok_or_else(|| MediaError::Encode("card canvas".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, dx, dy),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap
        .encode_png()
        .map_err(|e| MediaError::Encode(format!("PNG: {e}")))?;
    Ok(Card {
        kind: ImageKind::Png,
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        bytes,
    })
}
