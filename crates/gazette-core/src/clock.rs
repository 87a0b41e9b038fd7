//! The instant pages, schedules and the demo loader take as "now": the
//! system clock, or one fixed instant so that tests and screenshot baselines
//! see the same site on every run. Everything that decides what is due or
//! what a page shows asks a `Clock` rather than the system.

use crate::ParseError;
use jiff::Timestamp;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system's time.
    #[default]
    System,
    /// Always this instant (UTC seconds).
    Fixed(i64),
}

impl Clock {
    /// Now, as UTC seconds.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => Timestamp::now().as_second(),
            Clock::Fixed(seconds) => *seconds,
        }
    }

    /// A fixed clock from an RFC 3339 instant with its offset
    /// (`2026-11-20T09:30:00+08:00`).
    pub fn fixed_at(instant: &str) -> Result<Self, ParseError> {
        instant
            .parse::<Timestamp>()
            .map(|ts| Clock::Fixed(ts.as_second()))
            .map_err(|_| ParseError::Instant(instant.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_at_the_instant_given() {
        let clock = Clock::fixed_at("2026-11-20T09:30:00+08:00").expect("an instant");
        assert_eq!(clock.now(), 1_795_138_200);
        assert_eq!(clock.now(), clock.now());
    }

    #[test]
    fn an_instant_needs_its_offset() {
        assert!(Clock::fixed_at("2026-11-20 09:30").is_err());
        assert!(Clock::fixed_at("yesterday").is_err());
    }

    #[test]
    fn the_system_clock_moves_with_the_system() {
        let before = Timestamp::now().as_second();
        let now = Clock::System.now();
        assert!(now >= before && now <= before + 5);
    }
}
