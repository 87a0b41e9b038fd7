//! Ranking: BM25 (tantivy's score) times a recency factor, the best hits
//! after a cursor, and how many match in all, in one pass over the
//! matches.
//!
//! An article published today counts up to half as much again as an old
//! one, the bonus halving every 30 days. The factor is never above
//! [`MOST_FACTOR`], so once a page is full, a match whose score times
//! that cannot beat the page's last hit is only counted: its date and id
//! are not read, its factor not worked out. Most matches of a common
//! word end there.

use crate::index::Cursor;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The recency bonus at publication, as a share of the score.
const RECENCY_BONUS: f32 = 0.5;
/// Days for the recency bonus to halve.
const RECENCY_HALF_LIFE_DAYS: f32 = 30.0;
/// The largest recency factor (an article published this second).
const MOST_FACTOR: f32 = 1.0 + RECENCY_BONUS;

/// A hit's rank: the boosted score, then the article id (ties broken the
/// same way on every page).
pub type Rank = (Score, u64);

/// The best `limit` matches ranked as of `now`, after `after` if given,
/// and the count of all matches.
pub struct Ranked {
    pub limit: usize,
    pub now: i64,
    pub after: Option<Cursor>,
}

/// A rank ordered for the heap: by score, then id (scores are never NaN:
/// BM25 and the factor are finite and positive; an id is one article).
#[derive(Debug, Clone, Copy)]
struct Ordered(Rank, DocAddress);

impl PartialEq for Ordered {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Ordered {}

impl PartialOrd for Ordered {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ordered {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .0
            .total_cmp(&other.0.0)
            .then(self.0.1.cmp(&other.0.1))
    }
}

/// What a segment gives: its count and its best hits.
pub type SegmentFruit = (usize, Vec<(Rank, DocAddress)>);

impl Collector for Ranked {
    type Fruit = (usize, Vec<(Rank, DocAddress)>);
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        let fast = reader.fast_fields();
        Ok(RankedSegment {
            segment,
            // Every article has both (0 would be an old article, id 0).
            published: fast
                .i64("published")
                .ok()
                .map(|c| c.first_or_default_col(0)),
            ids: fast.u64("id").ok().map(|c| c.first_or_default_col(0)),
            limit: self.limit,
            now: self.now,
            after: self.after.map(|c| (c.score, c.id)),
            best: BinaryHeap::with_capacity(self.limit + 1),
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Self::Fruit> {
        let mut count = 0;
        let mut all = Vec::new();
        for (found, best) in fruits {
            count += found;
            all.extend(
                best.into_iter()
                    .map(|(rank, address)| Ordered(rank, address)),
            );
        }
        all.sort_by(|a, b| b.cmp(a));
        all.truncate(self.limit);
        Ok((count, all.into_iter().map(|o| (o.0, o.1)).collect()))
    }
}

/// One segment's share of [`Ranked`].
pub struct RankedSegment {
    segment: SegmentOrdinal,
    published: Option<Arc<dyn ColumnValues<i64>>>,
    ids: Option<Arc<dyn ColumnValues<u64>>>,
    limit: usize,
    now: i64,
    after: Option<Rank>,
    /// The best so far, the worst on top.
    best: BinaryHeap<Reverse<Ordered>>,
    count: usize,
}

impl RankedSegment {
    fn rank(&self, doc: DocId, score: Score) -> Rank {
        let age_days = self.published.as_ref().map_or(f32::MAX, |p| {
            self.now.saturating_sub(p.get_val(doc)).max(0) as f32 / 86_400.0
        });
        let id = self.ids.as_ref().map_or(0, |i| i.get_val(doc));
        let factor = 1.0 + RECENCY_BONUS * (-age_days / RECENCY_HALF_LIFE_DAYS).exp2();
        (score * factor, id)
    }
}

impl SegmentCollector for RankedSegment {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.count += 1;
        if self.limit == 0 {
            return;
        }
        // A full page's last hit, and a match that cannot beat it even
        // published this second (rounding keeps the order: the factor is
        // at most MOST_FACTOR, and multiplying by a larger number never
        // gives a smaller float).
        let worst = self.best.peek().map(|Reverse(o)| o.0);
        if self.best.len() >= self.limit
            && let Some(worst) = worst
            && score * MOST_FACTOR < worst.0
        {
            return;
        }
        let rank = self.rank(doc, score);
        // Hits up to the cursor were on earlier pages.
        if self.after.is_some_and(|after| {
            rank.0.total_cmp(&after.0).then(rank.1.cmp(&after.1)) != std::cmp::Ordering::Less
        }) {
            return;
        }
        let hit = Ordered(rank, DocAddress::new(self.segment, doc));
        if self.best.len() < self.limit {
            self.best.push(Reverse(hit));
        } else if let Some(mut worst) = self.best.peek_mut()
            && hit > worst.0
        {
            *worst = Reverse(hit);
        }
    }

    fn harvest(self) -> SegmentFruit {
        (
            self.count,
            self.best.into_iter().map(|Reverse(o)| (o.0, o.1)).collect(),
        )
    }
}
