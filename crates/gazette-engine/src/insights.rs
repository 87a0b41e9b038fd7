//! Search insights for editors, without tracking readers: what readers
//! search for, counted like votes. Each query is normalised (folded as
//! search folds it, spaces collapsed, cut to 40 characters) and counted
//! once per asker and day: the asker is a keyed hash (BLAKE3 under the
//! day's random key, the same key votes use) of the query and their
//! network prefix, kept in `dedup_seen` and gone with the key after two
//! days. The query itself is kept as a keyed hash under the same key until
//! [`LEAST_ASKERS`] distinct askers asked it that day; only then are its
//! words written. Only per-day counts remain; a query fewer asked on a day
//! is never shown, and its row is deleted once the day is over
//! ([`SearchInsights::forget_rare`]).

use crate::EngineError;
use crate::tally::TallyDesk;
use gazette_core::time::SiteZone;
use gazette_store::Store;
use std::sync::Arc;

/// Below this many distinct askers a day, a query is nobody's business.
pub const LEAST_ASKERS: i64 = 5;
/// Characters of a query kept.
const LONGEST: usize = 40;

/// A query as it is counted: folded, spaces collapsed, cut. Empty for a
/// query with nothing in it.
pub fn normalise(query: &str) -> String {
    let folded = gazette_search::fold::fold_str(query);
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(LONGEST)
        .collect()
}

/// The insights shown to editors.
#[derive(Debug, Clone, Default)]
pub struct Insights {
    pub today: Vec<(String, i64)>,
    pub week: Vec<(String, i64)>,
    /// This week's frequent queries that found nothing.
    pub unfound: Vec<(String, i64)>,
}

pub(crate) struct SearchInsights {
    store: Arc<dyn Store>,
    zone: SiteZone,
}

impl SearchInsights {
    pub(crate) fn new(store: Arc<dyn Store>, zone: SiteZone) -> Self {
        SearchInsights { store, zone }
    }

    /// Counts one reader's query. Whether it counted (a repeat does not).
    pub(crate) async fn note(
        &self,
        tallies: &TallyDesk,
        network_prefix: &str,
        query: &str,
        found: bool,
        now: i64,
    ) -> Result<bool, EngineError> {
        let query = normalise(query);
        if query.is_empty() {
            return Ok(false);
        }
        let day = self.zone.day_number(now);
        let key = tallies.key_for(day, now).await?;
        let keyed = |parts: &[&[u8]]| {
            let mut hasher = blake3::Hasher::new_keyed(&key);
            for part in parts {
                hasher.update(part);
                hasher.update(b"\0");
            }
            hasher.finalize()
        };
        let asker = keyed(&[b"search", query.as_bytes(), network_prefix.as_bytes()]);
        let query_key = keyed(&[b"query", query.as_bytes()]);
        Ok(self
            .store
            .count_search(&gazette_store::SearchAsked {
                day,
                asker: asker.as_bytes(),
                query_key: query_key.as_bytes(),
                query: &query,
                found,
                least: LEAST_ASKERS,
            })
            .await?)
    }

    /// Today's and this week's most frequent queries, and this week's that
    /// found nothing: only queries of at least [`LEAST_ASKERS`] a day.
    pub(crate) async fn insights(&self, now: i64, limit: i64) -> Result<Insights, EngineError> {
        let today = self.zone.day_number(now);
        let week_start = self.zone.day_number_before(now, 6);
        let frequent = |first, unfound| {
            self.store
                .frequent_searches(first, today, LEAST_ASKERS, unfound, limit)
        };
        Ok(Insights {
            today: frequent(today, false).await?,
            week: frequent(week_start, false).await?,
            unfound: frequent(week_start, true).await?,
        })
    }

    /// Deletes the rare queries of days that are over.
    pub(crate) async fn forget_rare(&self, now: i64) -> Result<u64, EngineError> {
        Ok(self
            .store
            .forget_rare_searches(self.zone.day_number(now), LEAST_ASKERS)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_folded_collapsed_and_cut() {
        assert_eq!(normalise("  Ｍars   BASE "), "mars base");
        assert_eq!(normalise("網絡空間"), "网络空间");
        assert_eq!(normalise(&"长".repeat(100)).chars().count(), 40);
        assert_eq!(normalise(" \t "), "");
    }
}
