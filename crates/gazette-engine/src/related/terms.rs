//! Text to terms for related reading: the segmentation search uses
//! (`gazette_search::segment`), so the newsroom's dictionary serves both.

pub use gazette_search::segment::{jieba, terms};
