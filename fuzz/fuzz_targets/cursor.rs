//! Any `after` value: `Cursor::parse` answers or declines, never panics, and
//! an accepted cursor encodes to a canonical form that parses to itself.
#![no_main]

use gazette_core::Cursor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(cursor) = Cursor::parse(&text) {
        assert!(cursor.id > 0 && cursor.published_at >= 0);
        let encoded = cursor.encode();
        assert_eq!(Cursor::parse(&encoded), Ok(cursor), "{encoded}");
    }
});
