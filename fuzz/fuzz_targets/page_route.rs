//! Any request path: `PageRoute::parse` answers or declines, never panics,
//! and what it accepts is a path (starts with `/`).
#![no_main]

use gazette_core::PageRoute;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = String::from_utf8_lossy(data);
    if PageRoute::parse(&path).is_some() {
        assert!(path.starts_with('/'), "{path:?}");
    }
});
