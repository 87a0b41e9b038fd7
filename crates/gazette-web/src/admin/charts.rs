//! Charts drawn by the server as inline SVG: bars for values over days
//! (columns) or over names (rows). Each is an `<svg role="img">` named by
//! its `<title>` and described by its `<desc>` (what the bars say, in
//! words); the template puts it in a `<figure>` beside the table of the
//! same numbers, so nothing depends on seeing the picture. Colours come
//! from the back office's style sheet (classes), so they follow dark mode;
//! no script, no library, nothing from another host.

use gazette_engine::dashboard::Bar;

const WIDTH: f64 = 640.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A number as a chart prints it: whole numbers plainly, others to one place.
pub fn number(value: f64) -> String {
    if (value - value.round()).abs() < 0.05 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

fn open(id: &str, title: &str, desc: &str, height: f64) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" focusable=\"false\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    )
}

/// Vertical bars, one per label (days), with the highest value marked on a
/// guide line; every label shown when there are few, else every few.
pub fn columns(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let height = 220.0;
    let (top, bottom, left) = (24.0, 36.0, 8.0);
    let plot = height - top - bottom;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let step = (WIDTH - 2.0 * left) / bars.len().max(1) as f64;
    let every = bars.len().div_ceil(10).max(1);
    let mut svg = open(id, title, desc, height);
    svg.push_str(&format!(
        "<line class=\"chart-guide\" x1=\"{left}\" x2=\"{}\" y1=\"{top}\" y2=\"{top}\"/>\
         <text class=\"chart-note\" x=\"{left}\" y=\"{}\">{}</text>",
        WIDTH - left,
        top - 8.0,
        number(max)
    ));
    for (i, bar) in bars.iter().enumerate() {
        let h = if max > 0.0 {
            bar.value / max * plot
        } else {
            0.0
        };
        let x = left + i as f64 * step + step * 0.15;
        svg.push_str(&format!(
            "<rect class=\"chart-bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>",
            top + plot - h,
            step * 0.7
        ));
        if i % every == 0 {
            svg.push_str(&format!(
                "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + step * 0.35,
                height - bottom + 18.0,
                escape(&bar.label)
            ));
        }
    }
    svg.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"{left}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/></svg>",
        WIDTH - left,
        top + plot,
        top + plot
    ));
    svg
}

/// Horizontal bars, one row per name, the value written at each bar's end.
pub fn rows(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let row = 30.0;
    let label_width = 190.0;
    let height = (bars.len().max(1) as f64) * row + 8.0;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let room = WIDTH - label_width - 56.0;
    let mut svg = open(id, title, desc, height);
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let w = if max > 0.0 {
            bar.value / max * room
        } else {
            0.0
        };
        let label: String = bar.label.chars().take(12).collect();
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"chart-bar\" x=\"{label_width}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>\
             <text class=\"chart-note\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_width - 8.0,
            y + row * 0.62,
            escape(&label),
            y + 3.0,
            row - 8.0,
            label_width + w + 6.0,
            y + row * 0.62,
            number(bar.value)
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_name_themselves_and_escape_what_they_print() {
        let bars = [
            Bar {
                label: "<b>".into(),
                value: 3.0,
            },
            Bar {
                label: "11-28".into(),
                value: 0.0,
            },
        ];
        let svg = columns("c", "标题 & <x>", "描述", &bars);
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"c-title c-desc\""));
        assert!(svg.contains("<title id=\"c-title\">标题 &amp; &lt;x&gt;</title>"));
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
        assert_eq!(svg.matches("<rect").count(), 2);
        let svg = rows("r", "t", "d", &bars);
        assert!(svg.contains(">3</text>"));
        assert_eq!(number(2.34), "2.3");
        assert_eq!(number(4.0), "4");
    }
}
