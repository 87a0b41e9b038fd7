//! Colour: pixels described by an embedded ICC profile become sRGB, the
//! space browsers assume for an image without one. A phone photo in
//! Display P3 otherwise looks washed out once its profile is dropped.

use image::RgbaImage;
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};

/// What an embedded profile means for the pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Profile {
    /// No profile, or one that describes sRGB: nothing to convert.
    Srgb,
    /// An RGB profile other than sRGB: convert.
    Other(Vec<u8>),
    /// A profile for other data (CMYK, grey) or one that does not parse:
    /// the decoder's RGB output is taken as sRGB.
    NotApplicable,
}

/// Classifies the decoder's embedded profile.
pub fn classify(icc: Option<Vec<u8>>) -> Profile {
    let Some(icc) = icc else {
        return Profile::Srgb;
    };
    let Ok(profile) = ColorProfile::new_from_slice(&icc) else {
        return Profile::NotApplicable;
    };
    if profile.color_space != DataColorSpace::Rgb {
        return Profile::NotApplicable;
    }
    if describes_srgb(&profile) {
        Profile::Srgb
    } else {
        Profile::Other(icc)
    }
}

/// True when the profile's primaries and white are sRGB's (within what
/// 8-bit pixels can show); tone curves of such profiles differ only in how
/// precisely they write down the same curve.
fn describes_srgb(profile: &ColorProfile) -> bool {
    let srgb = ColorProfile::new_srgb();
    let close = |a: moxcms::Xyzd, b: moxcms::Xyzd| {
        (a.x - b.x).abs() < 0.003 && (a.y - b.y).abs() < 0.003 && (a.z - b.z).abs() < 0.003
    };
    close(profile.red_colorant, srgb.red_colorant)
        && close(profile.green_colorant, srgb.green_colorant)
        && close(profile.blue_colorant, srgb.blue_colorant)
}

/// Converts RGBA pixels in place from `icc` to sRGB. A profile the colour
/// engine cannot use leaves the pixels as they are: better a photo with
/// slightly off colours than a refused upload.
pub fn to_srgb(pixels: &mut RgbaImage, icc: &[u8]) {
    let Ok(source) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    let Ok(transform) = source.create_transform_8bit(
        Layout::Rgba,
        &ColorProfile::new_srgb(),
        Layout::Rgba,
        TransformOptions::default(),
    ) else {
        return;
    };
    let input = pixels.as_raw().clone();
    // The transform writes every pixel or fails as a whole.
    let _ = transform.transform(&input, pixels.as_mut());
}
