//! Mood votes and views without personal data, acknowledged only once
//! durable.
//!
//! A reader is recognised for one day by a keyed hash (BLAKE3, keyed with
//! that day's random key) of what they did (a vote or a view), the article,
//! and either their browser's random vote token or, without one, their
//! network prefix and user agent. Neither the token, the address nor the
//! user agent is kept; the day's key is deleted after 48 hours, and with it
//! any way to link a hash to anyone.
//!
//! Votes and views go through one writer task that commits them in groups:
//! while one transaction commits, the next ones queue, and the next
//! transaction takes them all. Each caller is answered after the commit
//! that holds its vote or view.

use crate::tokens::VoteTokens;
use gazette_core::time::SiteZone;
use gazette_store::{Cap, Counter, Store, StoreError, Tally};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// The most votes and views one transaction takes.
pub const MAX_GROUP: usize = 512;
/// Votes and views waiting for the writer before callers wait for room.
const QUEUE: usize = 8_192;

/// Who a vote or view comes from, as far as de-duplication needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    /// The browser's random vote token (cookie or local storage).
    Token(String),
    /// No token: the client's network prefix (IPv4 address or IPv6 /64) and user agent.
    Network { prefix: String, user_agent: String },
}

/// A visitor as the web layer describes them. The network prefix and user
/// agent are used for one hash and then dropped.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    /// The browser's vote token, if it sent one (checked here).
    pub token: Option<String>,
    /// IPv4 address or IPv6 /64 of the client.
    pub network_prefix: String,
    pub user_agent: String,
}

impl Visitor {
    /// The token, if the site issued it (a made-up one is no token).
    pub(crate) fn token(&self, tokens: &VoteTokens) -> Option<&str> {
        self.token.as_deref().filter(|t| tokens.verify(t))
    }

    /// Who this visitor is to de-duplication: the token if they have a
    /// valid one, else their network and browser.
    pub(crate) fn reader(&self, tokens: &VoteTokens) -> Reader {
        match self.token(tokens) {
            Some(token) => Reader::Token(token.to_owned()),
            None => Reader::Network {
                prefix: self.network_prefix.clone(),
                user_agent: self.user_agent.clone(),
            },
        }
    }
}

/// A daily quota of counted votes per network prefix and article, for
/// votes without a token: rotating user agents then mints nothing beyond it.
#[derive(Debug, Clone, Copy)]
pub struct NetworkCap<'a> {
    pub prefix: &'a str,
    pub per_day: i64,
}

/// Called with the articles whose votes a group committed, before the
/// voters are answered (to drop cached counts).
pub type CommitHook = Box<dyn Fn(&[i64]) + Send + Sync>;

/// What became of one vote or view, once committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// False when this reader already voted on (or read) the article today.
    pub counted: bool,
    /// For a vote: the article's all-time totals per mood key, read just
    /// after the commit that holds it (`None` if that read failed).
    pub mood_totals: Option<Vec<(String, i64)>>,
}

struct Pending {
    tally: Tally,
    reply: oneshot::Sender<Result<Recorded, StoreError>>,
}

/// Hands votes and views to the writer task and keeps the day's
/// de-duplication key.
pub struct TallyDesk {
    store: Arc<dyn Store>,
    zone: SiteZone,
    queue: mpsc::Sender<Pending>,
    key: Mutex<Option<(i64, [u8; 32])>>,
}

impl std::fmt::Debug for TallyDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TallyDesk").finish_non_exhaustive()
    }
}

impl TallyDesk {
    /// Starts the writer task, which commits up to `max_group` votes and
    /// views at a time (1 turns group commit off); it ends when the desk is
    /// dropped.
    pub fn start(
        store: Arc<dyn Store>,
        zone: SiteZone,
        max_group: usize,
        on_commit: CommitHook,
    ) -> Self {
        let (queue, inbox) = mpsc::channel(QUEUE);
        tokio::spawn(write_groups(
            store.clone(),
            inbox,
            max_group.max(1),
            Arc::new(on_commit),
        ));
        TallyDesk {
            store,
            zone,
            queue,
            key: Mutex::new(None),
        }
    }

    /// Records a vote (`Counter::Mood`) or a view on `article_id` at `now`;
    /// `Ok(false)` when this reader already voted on (or read) this article
    /// today. `also` is remembered as having done so too (a token just
    /// handed to a reader who had none). Returns after commit.
    pub async fn record(
        &self,
        article_id: i64,
        counter: Counter,
        reader: &Reader,
        also: Option<&Reader>,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(self
            .record_with_totals(article_id, counter, reader, also, None, now)
            .await?
            .counted)
    }

    /// Like [`record`](Self::record), with the article's fresh mood totals
    /// for a vote (read once per group, not once per vote), drawing on
    /// `cap` when given.
    pub async fn record_with_totals(
        &self,
        article_id: i64,
        counter: Counter,
        reader: &Reader,
        also: Option<&Reader>,
        cap: Option<NetworkCap<'_>>,
        now: i64,
    ) -> Result<Recorded, StoreError> {
        let day = self.zone.day_number(now);
        let key = self.key_for(day, now).await?;
        let kind = kind_of(&counter);
        let tally = Tally {
            article_id,
            counter,
            day,
            hash: reader_hash(&key, kind, article_id, reader),
            also_remember: also.map(|other| reader_hash(&key, kind, article_id, other)),
            cap: cap.map(|cap| Cap {
                hash: cap_hash(&key, kind, article_id, cap.prefix),
                limit: cap.per_day,
            }),
        };
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { tally, reply })
            .await
            .map_err(|_| StoreError::Config("the vote writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Config("the vote writer has stopped".into()))?
    }

    /// Today's key, fetched (or created) once a day; on a new day, keys and
    /// hashes older than two days are destroyed.
    pub(crate) async fn key_for(&self, day: i64, now: i64) -> Result<[u8; 32], StoreError> {
        let cached = *self.key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cached_day, key)) = cached
            && cached_day == day
        {
            return Ok(key);
        }
        let mut candidate = [0u8; 32];
        getrandom::fill(&mut candidate)
            .map_err(|e| StoreError::Config(format!("no randomness: {e}")))?;
        let stored = self.store.dedup_key(day, &candidate).await?;
        let key: [u8; 32] = stored
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Corrupt("a de-duplication key is not 32 bytes".into()))?;
        self.store
            .forget_dedup_before(self.zone.day_number_before(now, 2))
            .await?;
        *self.key.lock().unwrap_or_else(|e| e.into_inner()) = Some((day, key));
        Ok(key)
    }
}

/// What the hash is of: a vote (whatever the mood: one vote per article a
/// day) or a view, which must not stop the same reader's vote.
fn kind_of(counter: &Counter) -> &'static [u8] {
    match counter {
        Counter::Mood(_) => b"vote\0",
        Counter::View => b"view\0",
    }
}

/// The keyed hash that stands for a reader's vote or view on one article
/// for one day.
fn reader_hash(key: &[u8; 32], kind: &[u8], article_id: i64, reader: &Reader) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(kind);
    hasher.update(&article_id.to_le_bytes());
    match reader {
        Reader::Token(token) => {
            hasher.update(b"t\0");
            hasher.update(token.as_bytes());
        }
        Reader::Network { prefix, user_agent } => {
            hasher.update(b"n\0");
            hasher.update(prefix.as_bytes());
            hasher.update(b"\0");
            hasher.update(user_agent.as_bytes());
        }
    }
    *hasher.finalize().as_bytes()
}

/// The keyed hash that names a network's daily quota on one article.
fn cap_hash(key: &[u8; 32], kind: &[u8], article_id: i64, prefix: &str) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(b"cap\0");
    hasher.update(kind);
    hasher.update(&article_id.to_le_bytes());
    hasher.update(prefix.as_bytes());
    *hasher.finalize().as_bytes()
}

/// The writer: takes everything queued (up to `max_group`), commits it in
/// one transaction, then hands the group to a task that reads the fresh
/// mood totals and answers each caller, while the writer goes on with the
/// next group.
async fn write_groups(
    store: Arc<dyn Store>,
    mut inbox: mpsc::Receiver<Pending>,
    max_group: usize,
    on_commit: Arc<CommitHook>,
) {
    let mut group = Vec::with_capacity(max_group);
    while inbox.recv_many(&mut group, max_group).await > 0 {
        let tallies: Vec<Tally> = group.iter().map(|p| p.tally.clone()).collect();
        match store.record_tallies(&tallies).await {
            Ok(counted) => {
                let committed = std::mem::replace(&mut group, Vec::with_capacity(max_group));
                tokio::spawn(answer_with_totals(
                    store.clone(),
                    committed,
                    counted,
                    on_commit.clone(),
                ));
            }
            Err(error) => {
                // One bad vote (an article deleted meanwhile) must not sink the
                // others: retry them one by one so that each gets its own answer.
                for pending in group.drain(..) {
                    let result = store
                        .record_tallies(std::slice::from_ref(&pending.tally))
                        .await;
                    if matches!(pending.tally.counter, Counter::Mood(_)) && result.is_ok() {
                        on_commit(&[pending.tally.article_id]);
                    }
                    let _ = pending.reply.send(result.map(|c| Recorded {
                        counted: c.first().copied().unwrap_or(false),
                        mood_totals: None,
                    }));
                }
                tracing::warn!(%error, "a group of votes and views failed; retried one by one");
            }
        }
    }
}

/// Answers the callers of a committed group, votes with their article's
/// fresh totals (one read for the whole group).
async fn answer_with_totals(
    store: Arc<dyn Store>,
    group: Vec<Pending>,
    counted: Vec<bool>,
    on_commit: Arc<CommitHook>,
) {
    let mut voted: Vec<i64> = group
        .iter()
        .filter(|p| matches!(p.tally.counter, Counter::Mood(_)))
        .map(|p| p.tally.article_id)
        .collect();
    voted.sort_unstable();
    voted.dedup();
    if !voted.is_empty() {
        on_commit(&voted);
    }
    let totals = match store.mood_totals_of(&voted).await {
        Ok(totals) => Some(totals),
        Err(error) => {
            tracing::warn!(%error, "reading mood totals after a commit failed");
            None
        }
    };
    for (pending, counted) in group.into_iter().zip(counted) {
        let mood_totals = match (&pending.tally.counter, &totals) {
            (Counter::Mood(_), Some(totals)) => Some(
                totals
                    .iter()
                    .filter(|(id, _, _)| *id == pending.tally.article_id)
                    .map(|(_, mood, n)| (mood.clone(), *n))
                    .collect(),
            ),
            _ => None,
        };
        let _ = pending.reply.send(Ok(Recorded {
            counted,
            mood_totals,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gazette_core::{ArticleStatus, Lang, Slug};
    use gazette_store::{NewArticle, NewChannel, SqliteStore};

    const NOW: i64 = 1_735_000_000;

    async fn store_with_article() -> (tempfile::TempDir, Arc<dyn Store>, i64) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("g.db"))
                .await
                .expect("open"),
        );
        let slug = Slug::parse("news").expect("slug");
        let channel = store
            .create_channel(&NewChannel {
                parent_id: None,
                slug: slug.clone(),
                name_zh: "新闻".into(),
                name_en: "News".into(),
                position: 0,
            })
            .await
            .expect("channel");
        let article = store
            .create_article(&NewArticle {
                lang: Lang::Zh,
                slug,
                channel_id: channel,
                topic_id: None,
                translation_group: None,
                status: ArticleStatus::Published,
                title: "标题".into(),
                kicker: None,
                subtitle: None,
                gallery: false,
                summary: "摘要".into(),
                body: "正文".into(),
                source: None,
                published_at: NOW - 100,
                updated_at: NOW - 100,
                cover: None,
                credits: vec![],
                tags: vec![],
            })
            .await
            .expect("article");
        (dir, store, article)
    }

    fn mood(key: &str) -> Counter {
        Counter::Mood(key.into())
    }

    fn no_hook() -> CommitHook {
        Box::new(|_| {})
    }

    fn zone() -> SiteZone {
        SiteZone::parse("Asia/Shanghai").expect("zone")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fifty_identical_concurrent_votes_count_once() {
        let (_dir, store, article) = store_with_article().await;
        let desk = Arc::new(TallyDesk::start(
            store.clone(),
            zone(),
            MAX_GROUP,
            no_hook(),
        ));
        let reader = Reader::Token("0123456789abcdef".into());
        let handles: Vec<_> = (0..50)
            .map(|_| {
                let (desk, reader) = (desk.clone(), reader.clone());
                tokio::spawn(async move {
                    desk.record(article, mood("happy"), &reader, None, NOW)
                        .await
                })
            })
            .collect();
        let mut counted = 0;
        for handle in handles {
            if handle.await.expect("task").expect("vote") {
                counted += 1;
            }
        }
        assert_eq!(counted, 1);
        assert_eq!(
            store.mood_totals(article).await.expect("totals"),
            [("happy".to_string(), 1)]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn distinct_voters_each_count_and_the_next_day_counts_again() {
        let (_dir, store, article) = store_with_article().await;
        let desk = Arc::new(TallyDesk::start(
            store.clone(),
            zone(),
            MAX_GROUP,
            no_hook(),
        ));
        let handles: Vec<_> = (0..200)
            .map(|i| {
                let desk = desk.clone();
                tokio::spawn(async move {
                    let reader = if i % 2 == 0 {
                        Reader::Token(format!("token-{i}"))
                    } else {
                        Reader::Network {
                            prefix: format!("198.51.100.{i}"),
                            user_agent: "Test/1.0".into(),
                        }
                    };
                    desk.record(article, mood("like"), &reader, None, NOW).await
                })
            })
            .collect();
        for handle in handles {
            assert!(
                handle.await.expect("task").expect("vote"),
                "each distinct voter counts"
            );
        }
        let same = Reader::Network {
            prefix: "198.51.100.1".into(),
            user_agent: "Test/1.0".into(),
        };
        assert!(
            !desk
                .record(article, mood("like"), &same, None, NOW)
                .await
                .expect("repeat")
        );
        assert!(
            desk.record(article, mood("like"), &same, None, NOW + 86_400)
                .await
                .expect("next day")
        );
        let other_agent = Reader::Network {
            prefix: "198.51.100.1".into(),
            user_agent: "Other/2.0".into(),
        };
        assert!(
            desk.record(article, mood("like"), &other_agent, None, NOW)
                .await
                .expect("another browser behind the same address")
        );
        assert_eq!(
            store.mood_totals(article).await.expect("totals"),
            [("like".to_string(), 202)]
        );
    }

    #[tokio::test]
    async fn views_count_once_a_day_and_apart_from_votes() {
        let (_dir, store, article) = store_with_article().await;
        let desk = TallyDesk::start(store.clone(), zone(), 1, no_hook());
        let reader = Reader::Token("reader".into());
        let view = |now| desk.record(article, Counter::View, &reader, None, now);
        assert!(view(NOW).await.expect("first view"));
        assert!(!view(NOW + 60).await.expect("reload"));
        assert!(
            desk.record(article, mood("sad"), &reader, None, NOW)
                .await
                .expect("a vote after reading")
        );
        assert!(view(NOW + 86_400).await.expect("next day"));
        assert_eq!(store.view_total(article).await.expect("views"), 2);
        assert_eq!(
            store.mood_totals(article).await.expect("votes"),
            [("sad".to_string(), 1)]
        );
    }

    #[tokio::test]
    async fn a_vote_for_a_missing_article_fails_alone() {
        let (_dir, store, article) = store_with_article().await;
        let desk = TallyDesk::start(store.clone(), zone(), MAX_GROUP, no_hook());
        let reader = Reader::Token("t".into());
        assert!(
            desk.record(424_242, mood("happy"), &reader, None, NOW)
                .await
                .is_err()
        );
        assert!(
            desk.record(article, mood("happy"), &reader, None, NOW)
                .await
                .expect("vote")
        );
    }

    #[test]
    fn hashes_depend_on_key_kind_article_and_reader() {
        let token = Reader::Token("abc".into());
        let vote = kind_of(&mood("happy"));
        let base = reader_hash(&[1; 32], vote, 1, &token);
        assert_eq!(
            vote,
            kind_of(&mood("sad")),
            "one vote a day, whatever the mood"
        );
        assert_ne!(base, reader_hash(&[2; 32], vote, 1, &token), "daily key");
        assert_ne!(base, reader_hash(&[1; 32], vote, 2, &token), "article");
        assert_ne!(
            base,
            reader_hash(&[1; 32], kind_of(&Counter::View), 1, &token),
            "a view does not stop a vote"
        );
        assert_ne!(
            base,
            reader_hash(&[1; 32], vote, 1, &Reader::Token("abd".into())),
            "reader"
        );
        let network = Reader::Network {
            prefix: "abc".into(),
            user_agent: String::new(),
        };
        assert_ne!(
            base,
            reader_hash(&[1; 32], vote, 1, &network),
            "a token never collides with an address"
        );
    }
}
