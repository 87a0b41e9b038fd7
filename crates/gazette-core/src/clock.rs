//! The instant pages, schedules and the demo loader take as "now": the
//! system clock, or one fixed instant so that tests and screenshot baselines
//! see the same site on every run. Everything that decides what is due or
//! what a page shows asks a `Clock` rather than the system. A held clock
//! stands still until it is moved on (`serve --fixed-clock`: browser tests
//! of schedules move it by a signal).

use crate::ParseError;
use jiff::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    /// The system's time.
    #[default]
    System,
    /// Always this instant (UTC seconds).
    Fixed(i64),
    /// This instant, until [`Clock::advance`] moves it on (one per process:
    /// made by [`Clock::held_at`]).
    Held(&'static AtomicI64),
}

impl PartialEq for Clock {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Clock::System, Clock::System) => true,
            (Clock::Fixed(a), Clock::Fixed(b)) => a == b,
            (Clock::Held(a), Clock::Held(b)) => std::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

impl Eq for Clock {}

impl Clock {
    /// Now, as UTC seconds.
    pub fn now(&self) -> i64 {
        match self {
            Clock::System => Timestamp::now().as_second(),
            Clock::Fixed(seconds) => *seconds,
            Clock::Held(seconds) => seconds.load(Ordering::Acquire),
        }
    }

    /// A clock standing at `seconds` until moved on. Each call keeps a few
    /// bytes for the life of the process: make one per process.
    pub fn held_at(seconds: i64) -> Self {
        Clock::Held(Box::leak(Box::new(AtomicI64::new(seconds))))
    }

    /// Moves a held clock on by `seconds`; other clocks do not move.
    pub fn advance(&self, seconds: i64) {
        if let Clock::Held(now) = self {
            now.fetch_add(seconds, Ordering::AcqRel);
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
    fn a_held_clock_moves_only_when_moved_and_its_copies_with_it() {
        let clock = Clock::held_at(1_000);
        let copy = clock;
        assert_eq!(clock.now(), 1_000);
        copy.advance(3_600);
        assert_eq!(clock.now(), 4_600);
        assert_eq!(clock, copy);
        assert_ne!(clock, Clock::held_at(4_600));
        Clock::Fixed(5).advance(10);
        assert_eq!(Clock::Fixed(5).now(), 5);
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
