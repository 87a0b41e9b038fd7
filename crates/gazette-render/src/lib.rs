//! Gazette's rendering: the theme (templates, strings, assets), Markdown to
//! sanitised HTML, and the view models templates receive. Pure: no store,
//! no HTTP, no clock; callers hand in data and get bytes back.

pub mod assets;
pub mod body;
pub mod fixtures;
pub mod i18n;
pub mod markdown;
pub mod theme;
pub mod view;

pub use assets::{Asset, Assets, ICON_FILES};
pub use theme::{Theme, ThemeError};
