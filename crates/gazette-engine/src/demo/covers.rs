//! Cover images for the demo, drawn by the program: an SVG of a gradient and
//! a few shapes, chosen from a seed. Nothing is downloaded; each image is a
//! couple of kilobytes and scales to any screen.

/// A colour scheme with names for the alt text.
struct Palette {
    zh: &'static str,
    en: &'static str,
    from: &'static str,
    to: &'static str,
    shape: &'static str,
}

const PALETTES: &[Palette] = &[
    Palette {
        zh: "蓝色",
        en: "blue",
        from: "#123a6b",
        to: "#3f86c9",
        shape: "#cfe3f5",
    },
    Palette {
        zh: "青绿色",
        en: "teal",
        from: "#0d4d4a",
        to: "#2f9c8f",
        shape: "#d3f0ea",
    },
    Palette {
        zh: "橙红色",
        en: "orange-red",
        from: "#7a1f12",
        to: "#e0683a",
        shape: "#ffe2cf",
    },
    Palette {
        zh: "紫色",
        en: "violet",
        from: "#34205c",
        to: "#8a64c8",
        shape: "#e9defa",
    },
    Palette {
        zh: "金色",
        en: "golden",
        from: "#5f4306",
        to: "#d6a32c",
        shape: "#fff1c7",
    },
    Palette {
        zh: "灰色",
        en: "slate",
        from: "#2b3138",
        to: "#7d8894",
        shape: "#e6eaee",
    },
];

/// A generated cover: the SVG bytes and an honest description for `alt`.
pub struct GeneratedCover {
    pub svg: Vec<u8>,
    pub alt_zh: String,
    pub alt_en: String,
}

pub const WIDTH: i64 = 1200;
pub const HEIGHT: i64 = 675;

/// Draws the cover for a seed (the article's key): the same seed, the same image.
pub fn cover(seed: &str) -> GeneratedCover {
    let hash = blake3::hash(seed.as_bytes());
    let bytes = hash.as_bytes();
    let palette = &PALETTES[bytes[0] as usize % PALETTES.len()];
    let value = |i: usize, max: u32| u32::from(bytes[i]) * max / 255;
    let mut shapes = String::new();
    for i in 0..4 {
        let (cx, cy, r) = (
            value(1 + i * 3, 1200),
            value(2 + i * 3, 675),
            60 + value(3 + i * 3, 220),
        );
        let opacity = 0.12 + f64::from(value(14 + i, 20)) / 100.0;
        shapes.push_str(&format!(
            "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"{}\" fill-opacity=\"{opacity:.2}\"/>",
            palette.shape
        ));
    }
    let mut horizon = String::from("M0 675");
    for i in 0..=12 {
        let x = i * 100;
        let y = 430 + value(18 + (i as usize % 12), 160);
        horizon.push_str(&format!(" L{x} {y}"));
    }
    horizon.push_str(" L1200 675 Z");
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\
         <defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"1\">\
         <stop offset=\"0\" stop-color=\"{from}\"/><stop offset=\"1\" stop-color=\"{to}\"/></linearGradient></defs>\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"url(#g)\"/>{shapes}\
         <path d=\"{horizon}\" fill=\"{from}\" fill-opacity=\"0.55\"/></svg>",
        from = palette.from,
        to = palette.to,
    );
    GeneratedCover {
        svg: svg.into_bytes(),
        alt_zh: format!("{}色调的抽象几何示意图", palette.zh.trim_end_matches('色')),
        alt_en: format!("Abstract geometric illustration in {} tones", palette.en),
    }
}

#[cfg(test)]
mod tests {
    use super::cover;

    #[test]
    fn covers_are_deterministic_small_svgs() {
        let a = cover("open-internet");
        assert_eq!(a.svg, cover("open-internet").svg);
        assert_ne!(a.svg, cover("wind-farm").svg);
        assert!(
            a.svg
                .starts_with(b"<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
        assert!(a.svg.len() < 3_000, "{} bytes", a.svg.len());
        assert!(a.alt_zh.ends_with("示意图"));
    }
}
