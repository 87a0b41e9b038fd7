//! Time in the site's zone: storage keeps UTC seconds, pages show local time.

use crate::ParseError;
use jiff::{Timestamp, tz::TimeZone};

/// The site's time zone, parsed once from configuration.
#[derive(Debug, Clone)]
pub struct SiteZone(TimeZone);

impl SiteZone {
    pub fn parse(name: &str) -> Result<Self, ParseError> {
        TimeZone::get(name)
            .map(SiteZone)
            .map_err(|_| ParseError::TimeZone(name.to_owned()))
    }

    /// `2024-01-03 20:38` in the site's zone, as news pages print it.
    pub fn minute(&self, unix_seconds: i64) -> String {
        self.format(unix_seconds, "%Y-%m-%d %H:%M")
    }

    /// The calendar day in the site's zone, as `YYYYMMDD`, for per-day counts.
    pub fn day_number(&self, unix_seconds: i64) -> i64 {
        self.format(unix_seconds, "%Y%m%d").parse().unwrap_or(0)
    }

    /// RFC 3339 with the zone's offset, for `<time datetime>` and JSON-LD.
    pub fn rfc3339(&self, unix_seconds: i64) -> String {
        self.format(unix_seconds, "%Y-%m-%dT%H:%M:%S%:z")
    }

    /// RFC 2822 with the zone's offset (`Fri, 20 Nov 2026 09:30:00 +0800`),
    /// for RSS.
    pub fn rfc2822(&self, unix_seconds: i64) -> String {
        self.format(unix_seconds, "%a, %d %b %Y %H:%M:%S %z")
    }

    /// The day number `days` days before the day of `unix_seconds`.
    pub fn day_number_before(&self, unix_seconds: i64, days: i64) -> i64 {
        self.day_number(unix_seconds - days * 86_400)
    }

    /// The first second of a day written `2026-11-20`, in the site's zone.
    pub fn day_start(&self, date: &str) -> Option<i64> {
        let date: jiff::civil::Date = date.parse().ok()?;
        date.to_zoned_datetime(self.0.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    }

    /// A moment typed `2026-11-20T09:30` (an HTML `datetime-local` field)
    /// in the site's zone. A time skipped by a clock change is moved
    /// forward; a repeated one is the earlier.
    pub fn local_minute(&self, text: &str) -> Option<i64> {
        let civil: jiff::civil::DateTime = text.trim().parse().ok()?;
        self.0
            .to_ambiguous_zoned_datetime(civil)
            .compatible()
            .ok()
            .map(|z| z.timestamp().as_second())
    }

    /// `2026-11-20T09:30` in the site's zone, for a `datetime-local` field.
    pub fn input_minute(&self, unix_seconds: i64) -> String {
        self.format(unix_seconds, "%Y-%m-%dT%H:%M")
    }

    fn format(&self, unix_seconds: i64, pattern: &str) -> String {
        match Timestamp::from_second(unix_seconds) {
            Ok(ts) => ts
                .to_zoned_datetime(self.0.clone())
                .strftime(pattern)
                .to_string(),
            Err(_) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_local_minute_is_read_in_the_site_zone() {
        let zone = SiteZone::parse("Asia/Shanghai").expect("zone");
        let at = zone.local_minute("2026-11-20T09:30").expect("a minute");
        assert_eq!(at, 1_795_138_200);
        assert_eq!(zone.input_minute(at), "2026-11-20T09:30");
        assert_eq!(zone.local_minute("tomorrow"), None);
        assert_eq!(zone.local_minute(""), None);
    }

    #[test]
    fn shows_beijing_time() {
        let zone = SiteZone::parse("Asia/Shanghai").expect("zone exists");
        // 2024-01-03T12:38:00Z is 20:38 in Beijing.
        assert_eq!(zone.minute(1_704_285_480), "2024-01-03 20:38");
        assert_eq!(zone.day_number(1_704_285_480), 20240103);
        assert_eq!(zone.rfc3339(1_704_285_480), "2024-01-03T20:38:00+08:00");
    }

    #[test]
    fn unknown_zone_is_an_error() {
        assert!(SiteZone::parse("Mars/Olympus").is_err());
    }
}
