//! How large an image may be, checked from its header before decoding:
//! decoding allocates the whole pixel buffer, so a small file that claims
//! 50,000 x 50,000 pixels must be refused before any of it is decoded.

/// Bounds on one upload.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of the uploaded file.
    pub max_bytes: usize,
    /// Width x height of one frame.
    pub max_pixels: u64,
    /// Either side.
    pub max_side: u32,
    /// Width x height x frames of an animation (each frame is decoded to
    /// a whole canvas, four bytes a pixel).
    pub max_animation_pixels: u64,
    /// Frames of an animation, whatever their size.
    pub max_frames: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 50 * 1024 * 1024,
            // A 40-megapixel photo (8,000 x 5,000) is 160 MB as RGBA.
            max_pixels: 40_000_000,
            max_side: 20_000,
            max_animation_pixels: 25_000_000,
            max_frames: 500,
        }
    }
}

impl Limits {
    /// The decoder's own allocation bound, a little above the frame's buffer.
    pub(crate) fn decoder_limits(&self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        // RGBA at 16 bits per channel, plus room for the decoder's own work.
        limits.max_alloc = Some(self.max_pixels * 8 + 64 * 1024 * 1024);
        limits
    }
}
