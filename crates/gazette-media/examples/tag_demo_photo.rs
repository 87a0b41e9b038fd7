//! Gives a JPEG an orientation tag and a GPS position, as a phone would:
//! the demo ships one photograph tagged this way, so that the demo shows
//! the upload path turning it upright and removing the position.
//!
//! `cargo run -p gazette-media --example tag_demo_photo -- IN.jpg OUT.jpg`
//!
//! The pixels are stored turned a quarter to the left with orientation 6
//! ("rotate 90° clockwise to display"), so a viewer that honours the tag
//! shows the photo upright, and one that ignores it shows it on its side.

#[path = "../tests/support/exif.rs"]
mod exif;

use std::io::Cursor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: tag_demo_photo IN.jpg OUT.jpg".into());
    };
    let photo = image::open(input)?.rotate270().into_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut jpeg), 88)
        .encode_image(&photo)?;
    // Somewhere on the Bund, Shanghai: any real-looking position will do.
    let payload = exif::exif_with_gps(6, [31, 14, 24], [121, 29, 12]);
    std::fs::write(output, exif::insert_app1(&jpeg, &payload))?;
    Ok(())
}
