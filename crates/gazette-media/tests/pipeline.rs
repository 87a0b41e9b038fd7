//! The upload path against what phones, editors and attackers send.

mod support {
    pub mod exif;
}

use std::io::Cursor;

use gazette_media::card::{self, CARD_HEIGHT, CARD_WIDTH};
use gazette_media::prepare::Preparation;
use gazette_media::{ImageKind, Limits, MediaError, VariantFormat, make_variants, prepare};
use image::{AnimationDecoder, DynamicImage, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};
use support::exif;

/// A photo-like picture: smooth gradients and some detail, so encoders
/// behave as they do on photographs.
fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let wave = ((x as f32 / 7.0).sin() * 20.0 + (y as f32 / 5.0).cos() * 20.0) as i32;
        Rgb([
            (x * 255 / width) as u8,
            (y * 255 / height) as u8,
            (128 + wave).clamp(0, 255) as u8,
        ])
    })
}

fn jpeg(pixels: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(pixels)
        .expect("encodes");
    out
}

fn refusal(bytes: &[u8]) -> String {
    match prepare(bytes, &Limits::default()) {
        Err(MediaError::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("the output decodes")
}

#[test]
fn html_that_claims_to_be_an_image_is_refused() {
    let message = refusal(b"<!DOCTYPE html><html><script>alert(document.cookie)</script>");
    assert!(message.contains("not accepted"), "{message}");
    assert!(refusal(b"<svg xmlns='http://www.w3.org/2000/svg'/>").contains("SVG"));
}

#[test]
fn an_avif_is_refused_with_a_way_out() {
    let mut avif = vec![0, 0, 0, 0x1c];
    avif.extend_from_slice(b"ftypavif\0\0\0\0avifmif1miaf");
    let message = refusal(&avif);
    assert!(
        message.contains("AVIF") && message.contains("JPEG"),
        "{message}"
    );
}

#[test]
fn a_polyglot_loses_what_follows_the_image() {
    let mut file = jpeg(&photo(120, 80), 90);
    file.extend_from_slice(b"<script>alert(1)</script>");
    let prepared = prepare(&file, &Limits::default()).expect("the image part is fine");
    assert!(!contains(&prepared.bytes, b"<script"));
    assert_eq!(decode(&prepared.bytes).width(), 120);
}

/// A PNG whose header claims `width` x `height` (the data is a few bytes).
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        out.extend_from_slice(&crc_input);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let message = refusal(&png_claiming(50_000, 50_000));
    assert!(message.contains("50000 x 50000"), "{message}");
    // Within the sides but past the pixel count.
    assert!(refusal(&png_claiming(9_000, 9_000)).contains("megapixels"));
}

#[test]
fn a_truncated_file_is_refused() {
    let whole = jpeg(&photo(200, 150), 90);
    let message = refusal(&whole[..whole.len() / 3]);
    assert!(message.contains("damaged or truncated"), "{message}");
    let png = {
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(
                photo(64, 64).as_raw(),
                64,
                64,
                image::ExtendedColorType::Rgb8,
            )
            .expect("encodes");
        out
    };
    assert!(refusal(&png[..png.len() / 2]).contains("damaged or truncated"));
}

#[test]
fn a_cmyk_jpeg_becomes_rgb() {
    let (width, height) = (64u16, 48u16);
    // Cyan on the left half, magenta on the right (no black).
    let mut cmyk = Vec::new();
    for _y in 0..height {
        for x in 0..width {
            cmyk.extend_from_slice(if x < width / 2 {
                &[255, 0, 0, 0]
            } else {
                &[0, 255, 0, 0]
            });
        }
    }
    let mut file = Vec::new();
    jpeg_encoder::Encoder::new(&mut file, 95)
        .encode(&cmyk, width, height, jpeg_encoder::ColorType::Cmyk)
        .expect("encodes");
    let prepared = prepare(&file, &Limits::default()).expect("CMYK is read");
    let rgb = decode(&prepared.bytes).into_rgb8();
    let left = rgb.get_pixel(8, 24).0;
    let right = rgb.get_pixel(56, 24).0;
    assert!(left[0] < 100 && left[2] > 150, "cyan on the left: {left:?}");
    assert!(
        right[1] < 100 && right[0] > 150,
        "magenta on the right: {right:?}"
    );
}

#[test]
fn a_sixteen_bit_png_is_read() {
    let pixels = image::ImageBuffer::<Rgb<u16>, Vec<u16>>::from_fn(80, 60, |x, y| {
        Rgb([(x * 800) as u16, (y * 1000) as u16, 40_000])
    });
    let mut file = Vec::new();
    DynamicImage::ImageRgb16(pixels)
        .write_to(&mut Cursor::new(&mut file), image::ImageFormat::Png)
        .expect("encodes");
    let prepared = prepare(&file, &Limits::default()).expect("16-bit PNG is read");
    assert_eq!((prepared.width, prepared.height), (80, 60));
    let blue = decode(&prepared.bytes).into_rgb8().get_pixel(0, 0).0[2];
    assert!(
        blue.abs_diff((40_000u32 * 255 / 65_535) as u8) <= 1,
        "{blue}"
    );
}

#[test]
fn a_display_p3_photo_is_converted_to_srgb() {
    let colour = [200u8, 120, 60];
    let pixels = RgbImage::from_pixel(64, 64, Rgb(colour));
    let p3 = moxcms::ColorProfile::new_display_p3()
        .encode()
        .expect("profile");
    let mut file = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 95);
    encoder.set_icc_profile(p3).expect("JPEG takes a profile");
    encoder.encode_image(&pixels).expect("encodes");
    let prepared = prepare(&file, &Limits::default()).expect("P3 is read");
    assert!(
        !contains(&prepared.bytes, b"ICC_PROFILE"),
        "no profile is kept"
    );
    let shown = decode(&prepared.bytes).into_rgb8().get_pixel(32, 32).0;
    // P3's red is redder than sRGB's: the same warm colour has more red and
    // less blue once written in sRGB.
    assert!(shown[0] > colour[0] + 8, "{shown:?}");
    assert!(shown[2] + 8 < colour[2], "{shown:?}");
}

#[test]
fn an_animated_gif_keeps_moving() {
    let frames: Vec<image::Frame> = [[255u8, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]]
        .into_iter()
        .map(|c| image::Frame::new(RgbaImage::from_pixel(40, 30, Rgba(c))))
        .collect();
    let mut file = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut file);
        encoder.encode_frames(frames).expect("encodes");
    }
    file.extend_from_slice(b"<script>alert(1)</script>");
    let prepared = prepare(&file, &Limits::default()).expect("GIF is read");
    assert!(prepared.animated);
    assert_eq!(prepared.kind, ImageKind::Gif);
    assert!(!contains(&prepared.bytes, b"<script"));
    let decoder =
        image::codecs::gif::GifDecoder::new(Cursor::new(&prepared.bytes)).expect("decodes");
    assert_eq!(decoder.into_frames().count(), 3);
    assert!(
        make_variants(&prepared.bytes, prepared.kind, &Limits::default())
            .expect("no variants")
            .is_empty()
    );
}

/// A phone photo: 96 x 64 pixels stored on their side with orientation 6,
/// a red block in the stored picture's bottom-left corner, and a GPS block.
fn phone_photo(quality: u8) -> Vec<u8> {
    let mut pixels = photo(64, 96);
    for y in 80..96 {
        for x in 0..16 {
            pixels.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    let payload = exif::exif_with_gps(6, [31, 14, 24], [121, 29, 12]);
    exif::insert_app1(&jpeg(&pixels, quality), &payload)
}

#[test]
fn gps_is_removed_and_a_rotated_photo_comes_out_upright() {
    let file = phone_photo(92);
    assert!(contains(&file, b"Exif") && contains(&file, &31u32.to_le_bytes()));
    let prepared = prepare(&file, &Limits::default()).expect("a phone photo is read");
    assert!(!contains(&prepared.bytes, b"Exif"), "no EXIF block");
    assert!(!contains(&prepared.bytes, b"II*\0"), "no TIFF structure");
    assert_eq!((prepared.width, prepared.height), (96, 64), "upright");
    let shown = decode(&prepared.bytes).into_rgb8();
    // Turned 90° clockwise, the stored bottom-left corner is the top-left.
    let corner = shown.get_pixel(4, 4).0;
    assert!(corner[0] > 200 && corner[1] < 60, "{corner:?}");
}

#[test]
fn an_upright_photo_whose_copy_would_be_larger_keeps_its_own_data() {
    // Strongly compressed: re-encoding at a normal quality would grow it.
    let pixels = photo(160, 120);
    let plain = jpeg(&pixels, 20);
    let payload = exif::exif_with_gps(1, [31, 14, 24], [121, 29, 12]);
    let file = exif::insert_app1(&plain, &payload);
    let prepared = prepare(&file, &Limits::default()).expect("read");
    assert_eq!(prepared.preparation, Preparation::Stripped);
    assert!(!contains(&prepared.bytes, b"Exif"));
    assert_eq!(prepared.bytes, plain, "the same data, less the EXIF block");
}

#[test]
fn a_rotated_photo_whose_copy_would_be_larger_is_encoded_smaller() {
    let file = {
        let pixels = photo(160, 120);
        let payload = exif::exif_with_gps(6, [31, 14, 24], [121, 29, 12]);
        exif::insert_app1(&jpeg(&pixels, 20), &payload)
    };
    let prepared = prepare(&file, &Limits::default()).expect("read");
    assert!(matches!(prepared.preparation, Preparation::Reencoded { quality: Some(q) } if q < 85));
    assert!(prepared.bytes.len() <= file.len());
    assert_eq!((prepared.width, prepared.height), (120, 160));
}

#[test]
fn variants_decode_and_are_no_larger_than_the_photo() {
    let file = jpeg(&photo(1500, 1000), 90);
    let prepared = prepare(&file, &Limits::default()).expect("read");
    let variants = make_variants(&prepared.bytes, prepared.kind, &Limits::default()).expect("made");
    let widths: Vec<u32> = variants
        .iter()
        .filter(|v| v.format == VariantFormat::WebP)
        .map(|v| v.width)
        .collect();
    assert_eq!(widths, [360, 540, 720, 960, 1280, 1500]);
    for variant in &variants {
        assert!(
            variant.bytes.len() <= prepared.bytes.len(),
            "{} {:?}",
            variant.width,
            variant.format
        );
        let image = decode(&variant.bytes);
        assert_eq!(
            (image.width(), image.height()),
            (variant.width, variant.height)
        );
        assert_eq!(
            image::guess_format(&variant.bytes).expect("known"),
            variant.format.kind().image_format()
        );
    }
}

#[test]
fn share_cards_are_raster_at_1200_by_630() {
    let file = jpeg(&photo(2000, 1500), 90);
    let prepared = prepare(&file, &Limits::default()).expect("read");
    let card = card::photo_card(&prepared.bytes, prepared.kind, &Limits::default()).expect("card");
    let image = decode(&card.bytes);
    assert_eq!((image.width(), image.height()), (CARD_WIDTH, CARD_HEIGHT));
    assert_eq!((card.width, card.height), (CARD_WIDTH, CARD_HEIGHT));
    assert_eq!(
        image::guess_format(&card.bytes).expect("known"),
        image::ImageFormat::Jpeg
    );

    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" width="640" height="360"><rect width="640" height="360" fill="#c00"/><circle cx="320" cy="180" r="90" fill="#fff"/></svg>"##;
    let card = card::svg_card(svg).expect("drawn");
    let image = decode(&card.bytes).into_rgb8();
    assert_eq!((image.width(), image.height()), (CARD_WIDTH, CARD_HEIGHT));
    assert_eq!(
        image.get_pixel(600, 315).0,
        [255, 255, 255],
        "the circle in the middle"
    );
    assert_eq!(image.get_pixel(20, 20).0, [204, 0, 0], "the red ground");
}
