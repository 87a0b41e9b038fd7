//! Related reading kept up to date one article at a time: publishing or
//! editing an article computes its own list and changes only the lists it
//! enters or leaves, instead of ranking the whole archive again.
//!
//! The index holds what the last full ranking knew, without any text: the
//! document frequencies, each article's profile (its strongest terms), who
//! has each term and tag, and every list with its scores. A new article
//! adds to the document frequencies; an edited one keeps them (they drift
//! a little until the next full ranking). Its candidates come from the
//! articles sharing its strongest terms (not the too-common ones) or its
//! tags; the score is the one the full ranking gives.

use super::{Profile, count, score, strongest, too_common};
use gazette_core::Lang;
use gazette_store::ArticleText;
use std::collections::HashMap;

/// The full ranking's knowledge, kept to update lists one article at a time.
pub struct RelatedIndex {
    document_frequency: HashMap<u32, u32>,
    per_lang: HashMap<Lang, usize>,
    profiles: HashMap<i64, Profile>,
    by_term: HashMap<u32, Vec<i64>>,
    by_tag: HashMap<String, Vec<i64>>,
    /// Every list, best first, with its scores.
    lists: HashMap<i64, Vec<(f64, i64)>>,
    per_article: usize,
}

impl RelatedIndex {
    pub(super) fn new(
        document_frequency: HashMap<u32, u32>,
        per_lang: HashMap<Lang, usize>,
        profiles: Vec<Profile>,
        lists: Vec<(i64, Vec<(f64, i64)>)>,
        per_article: usize,
    ) -> Self {
        let mut index = RelatedIndex {
            document_frequency,
            per_lang,
            profiles: HashMap::with_capacity(profiles.len()),
            by_term: HashMap::new(),
            by_tag: HashMap::new(),
            lists: lists.into_iter().collect(),
            per_article,
        };
        for profile in profiles {
            index.file(profile);
        }
        index
    }

    /// How many articles the index knows.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// An article's list, best first.
    pub fn list(&self, id: i64) -> Vec<i64> {
        self.lists
            .get(&id)
            .map(|l| l.iter().map(|&(_, other)| other).collect())
            .unwrap_or_default()
    }

    fn df(&self, term: u32) -> u32 {
        self.document_frequency.get(&term).copied().unwrap_or(1)
    }

    /// Puts a profile into the term and tag lists.
    fn file(&mut self, profile: Profile) {
        for &(term, _) in &profile.vector {
            self.by_term.entry(term).or_default().push(profile.id);
        }
        for tag in &profile.tags {
            self.by_tag.entry(tag.clone()).or_default().push(profile.id);
        }
        self.profiles.insert(profile.id, profile);
    }

    /// Takes an article out of the term and tag lists.
    fn unfile(&mut self, id: i64) -> Option<Profile> {
        let profile = self.profiles.remove(&id)?;
        for &(term, _) in &profile.vector {
            if let Some(ids) = self.by_term.get_mut(&term) {
                ids.retain(|&other| other != id);
            }
        }
        for tag in &profile.tags {
            if let Some(ids) = self.by_tag.get_mut(tag) {
                ids.retain(|&other| other != id);
            }
        }
        Some(profile)
    }

    /// Adds or updates a published article (body as plain text): its own
    /// list, and its place in the lists of the others. The articles whose
    /// lists changed, itself included.
    pub fn upsert(&mut self, article: ArticleText) -> Vec<i64> {
        let id = article.id;
        let counts = count(&article);
        if self.unfile(id).is_none() {
            *self.per_lang.entry(article.lang).or_default() += 1;
            for &(term, _) in &counts {
                *self.document_frequency.entry(term).or_default() += 1;
            }
        }
        let n = self.per_lang.get(&article.lang).copied().unwrap_or(1);
        let vector = strongest(counts, n, |term| self.df(term));
        let profile = Profile::of(article, vector);
        // Candidates: articles sharing a strong, not too common term, or a tag.
        let mut cosine: HashMap<i64, f64> = HashMap::new();
        let mut shared_tags: HashMap<i64, usize> = HashMap::new();
        for &(term, weight) in &profile.vector {
            if too_common(self.df(term), n) {
                continue;
            }
            for other in self.by_term.get(&term).map_or(&[][..], Vec::as_slice) {
                let their = self.profiles[other]
                    .vector
                    .iter()
                    .find(|(t, _)| *t == term)
                    .map_or(0.0, |(_, w)| *w);
                *cosine.entry(*other).or_default() += f64::from(weight) * f64::from(their);
            }
        }
        for tag in &profile.tags {
            for other in self.by_tag.get(tag).map_or(&[][..], Vec::as_slice) {
                *shared_tags.entry(*other).or_default() += 1;
                cosine.entry(*other).or_default();
            }
        }
        let mut scored: Vec<(f64, i64)> = cosine
            .iter()
            .filter_map(|(other, c)| {
                let theirs = &self.profiles[other];
                (theirs.lang == profile.lang).then(|| {
                    let tags = shared_tags.get(other).copied().unwrap_or(0);
                    (score(&profile, theirs, *c, tags), *other)
                })
            })
            .filter(|(s, _)| *s > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut changed = vec![id];
        // The lists it enters, moves in, or leaves.
        let score_of: HashMap<i64, f64> = scored.iter().map(|&(s, other)| (other, s)).collect();
        for (owner, list) in self.lists.iter_mut() {
            let holds = list.iter().any(|&(_, other)| other == id);
            if *owner == id || (!holds && !score_of.contains_key(owner)) {
                continue;
            }
            let before: Vec<i64> = list.iter().map(|&(_, other)| other).collect();
            list.retain(|&(_, other)| other != id);
            if let Some(&s) = score_of.get(owner) {
                let last = list.last().map_or(f64::MIN, |&(worst, _)| worst);
                if list.len() < self.per_article || s > last {
                    list.push((s, id));
                    list.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
                    list.truncate(self.per_article);
                }
            }
            if list
                .iter()
                .map(|&(_, other)| other)
                .ne(before.iter().copied())
            {
                changed.push(*owner);
            }
        }
        scored.truncate(self.per_article);
        self.lists.insert(id, scored);
        self.file(profile);
        changed
    }

    /// Forgets an article that is no longer published: it finds no more
    /// candidates, and its own list goes. Lists showing it keep it until
    /// the next full ranking (pages show only visible articles).
    pub fn remove(&mut self, id: i64) {
        self.unfile(id);
        self.lists.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Ranker, STORED, rank};
    use gazette_core::Lang;
    use gazette_store::ArticleText;

    fn text(id: i64, title: &str, body: &str, tags: &[&str]) -> ArticleText {
        ArticleText {
            id,
            lang: Lang::Zh,
            channel_id: 1,
            topic_id: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            published_at: 1_790_000_000 - id * 3_600,
            title: title.into(),
            summary: String::new(),
            body: body.into(),
        }
    }

    fn archive() -> Vec<ArticleText> {
        vec![
            text(
                1,
                "固态电池能量密度提升",
                "固态电池的能量密度提升，新能源汽车续航增加。",
                &["电池"],
            ),
            text(
                2,
                "动力电池回收规模化",
                "动力电池回收进入规模化阶段，电池材料再利用。",
                &["电池"],
            ),
            text(
                3,
                "港口集装箱吞吐量回升",
                "港口集装箱吞吐量回升，全球贸易回暖。",
                &["港口"],
            ),
            text(
                4,
                "港口自动化码头投用",
                "自动化码头投入使用，港口装卸效率提高。",
                &["港口"],
            ),
            text(
                5,
                "乡村学校营养午餐",
                "乡村学校的营养午餐提质，学生有了新食堂。",
                &["教育"],
            ),
            text(
                6,
                "城市书房夜不闭馆",
                "城市书房夜间开放，深夜读书的人多了。",
                &["阅读"],
            ),
        ]
    }

    fn index_of(articles: &[ArticleText]) -> super::RelatedIndex {
        let mut ranker = Ranker::new();
        ranker.count(articles);
        ranker.profile(articles.to_vec());
        ranker.into_index(STORED).1
    }

    #[test]
    fn a_new_article_gets_the_list_a_full_ranking_gives_it_and_enters_others() {
        let all = archive();
        let newcomer = text(
            7,
            "电池热管理技术突破",
            "固态电池热管理技术突破，动力电池更安全。",
            &["电池"],
        );
        let mut index = index_of(&all);
        assert_eq!(index.len(), 6);
        let changed = index.upsert(newcomer.clone());
        let mut with = all.clone();
        with.push(newcomer);
        let full = rank(&with, STORED);
        let expected = &full.iter().find(|(id, _)| *id == 7).expect("ranked").1;
        assert_eq!(&index.list(7), expected);
        assert_eq!(index.list(7).first(), Some(&1), "{:?}", index.list(7));
        // It enters the battery stories' lists, and only lists it entered changed.
        assert!(index.list(1).contains(&7) && index.list(2).contains(&7));
        assert!(!index.list(5).contains(&7));
        assert!(changed.contains(&7) && changed.contains(&1) && changed.contains(&2));
        assert!(!changed.contains(&5));
    }

    #[test]
    fn an_edit_moves_an_article_out_of_lists_it_no_longer_belongs_in() {
        let all = archive();
        let mut index = index_of(&all);
        assert!(index.list(1).contains(&2));
        // Article 2 is rewritten about ports.
        let changed = index.upsert(text(
            2,
            "港口夜班装卸",
            "港口码头夜班装卸集装箱。",
            &["港口"],
        ));
        assert!(!index.list(1).contains(&2), "{:?}", index.list(1));
        assert!(index.list(3).contains(&2) || index.list(4).contains(&2));
        assert!(changed.contains(&1));
        index.remove(2);
        assert!(index.list(2).is_empty());
    }
}
