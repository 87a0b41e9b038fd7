//! Mood votes without personal data, acknowledged only once durable.
//!
//! A reader is recognised for one day by a keyed hash (BLAKE3, keyed with
//! that day's random key) of the article and either their browser's random
//! vote token or, without one, their network prefix and user agent. Neither
//! the token, the address nor the user agent is kept; the day's key is
//! deleted after 48 hours, and with it any way to link a hash to anyone.
//!
//! Votes go through one writer task that commits them in groups: while one
//! transaction commits, the next votes queue, and the next transaction takes
//! them all. Each caller is answered after the commit that holds its vote.

use gazette_core::time::SiteZone;
use gazette_store::{Store, StoreError, Vote};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// The most votes one transaction takes.
const MAX_GROUP: usize = 512;
/// Votes waiting for the writer before callers are made to wait for room.
const QUEUE: usize = 8_192;

/// Who a vote comes from, as far as de-duplication needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Voter {
    /// The browser's random vote token (cookie or local storage).
    Token(String),
    /// No token: the client's network prefix (IPv4 address or IPv6 /64) and user agent.
    Network { prefix: String, user_agent: String },
}

struct Pending {
    vote: Vote,
    reply: oneshot::Sender<Result<bool, StoreError>>,
}

/// Hands votes to the writer task and keeps the day's de-duplication key.
pub struct VoteDesk {
    store: Arc<dyn Store>,
    zone: SiteZone,
    queue: mpsc::Sender<Pending>,
    key: Mutex<Option<(i64, [u8; 32])>>,
}

impl std::fmt::Debug for VoteDesk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoteDesk").finish_non_exhaustive()
    }
}

impl VoteDesk {
    /// Starts the writer task; it ends when the desk is dropped.
    pub fn start(store: Arc<dyn Store>, zone: SiteZone) -> Self {
        let (queue, inbox) = mpsc::channel(QUEUE);
        tokio::spawn(write_groups(store.clone(), inbox));
        VoteDesk {
            store,
            zone,
            queue,
            key: Mutex::new(None),
        }
    }

    /// Records a vote for `mood` on `article_id` at `now`; `Ok(false)` when
    /// this voter already voted on this article today. `also` is remembered
    /// as having voted too (a token just handed to a reader who had none).
    /// Returns after commit.
    pub async fn vote(
        &self,
        article_id: i64,
        mood: &str,
        voter: &Voter,
        also: Option<&Voter>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let day = self.zone.day_number(now);
        let key = self.key_for(day, now).await?;
        let vote = Vote {
            article_id,
            mood: mood.to_owned(),
            day,
            hash: voter_hash(&key, article_id, voter),
            also_remember: also.map(|other| voter_hash(&key, article_id, other)),
        };
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { vote, reply })
            .await
            .map_err(|_| StoreError::Config("the vote writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Config("the vote writer has stopped".into()))?
    }

    /// Today's key, fetched (or created) once a day; on a new day, keys and
    /// hashes older than two days are destroyed.
    async fn key_for(&self, day: i64, now: i64) -> Result<[u8; 32], StoreError> {
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

/// The keyed hash that stands for a voter on one article for one day.
fn voter_hash(key: &[u8; 32], article_id: i64, voter: &Voter) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_keyed(key);
    hasher.update(&article_id.to_le_bytes());
    match voter {
        Voter::Token(token) => {
            hasher.update(b"t\0");
            hasher.update(token.as_bytes());
        }
        Voter::Network { prefix, user_agent } => {
            hasher.update(b"n\0");
            hasher.update(prefix.as_bytes());
            hasher.update(b"\0");
            hasher.update(user_agent.as_bytes());
        }
    }
    *hasher.finalize().as_bytes()
}

/// The writer: takes everything queued (up to `MAX_GROUP`), commits it in
/// one transaction, answers each caller, repeats.
async fn write_groups(store: Arc<dyn Store>, mut inbox: mpsc::Receiver<Pending>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while inbox.recv_many(&mut group, MAX_GROUP).await > 0 {
        let votes: Vec<Vote> = group.iter().map(|p| p.vote.clone()).collect();
        match store.record_votes(&votes).await {
            Ok(counted) => {
                for (pending, counted) in group.drain(..).zip(counted) {
                    let _ = pending.reply.send(Ok(counted));
                }
            }
            Err(error) => {
                // One bad vote (an article deleted meanwhile) must not sink the
                // others: retry them one by one so that each gets its own answer.
                for pending in group.drain(..) {
                    let result = store
                        .record_votes(std::slice::from_ref(&pending.vote))
                        .await;
                    let _ = pending
                        .reply
                        .send(result.map(|c| c.first().copied().unwrap_or(false)));
                }
                tracing::warn!(%error, "a group of votes failed; retried one by one");
            }
        }
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

    fn zone() -> SiteZone {
        SiteZone::parse("Asia/Shanghai").expect("zone")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn fifty_identical_concurrent_votes_count_once() {
        let (_dir, store, article) = store_with_article().await;
        let desk = Arc::new(VoteDesk::start(store.clone(), zone()));
        let voter = Voter::Token("0123456789abcdef".into());
        let handles: Vec<_> = (0..50)
            .map(|_| {
                let (desk, voter) = (desk.clone(), voter.clone());
                tokio::spawn(async move { desk.vote(article, "happy", &voter, None, NOW).await })
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
        let desk = Arc::new(VoteDesk::start(store.clone(), zone()));
        let handles: Vec<_> = (0..200)
            .map(|i| {
                let desk = desk.clone();
                tokio::spawn(async move {
                    let voter = if i % 2 == 0 {
                        Voter::Token(format!("token-{i}"))
                    } else {
                        Voter::Network {
                            prefix: format!("198.51.100.{i}"),
                            user_agent: "Test/1.0".into(),
                        }
                    };
                    desk.vote(article, "like", &voter, None, NOW).await
                })
            })
            .collect();
        for handle in handles {
            assert!(
                handle.await.expect("task").expect("vote"),
                "each distinct voter counts"
            );
        }
        let same = Voter::Network {
            prefix: "198.51.100.1".into(),
            user_agent: "Test/1.0".into(),
        };
        assert!(
            !desk
                .vote(article, "like", &same, None, NOW)
                .await
                .expect("repeat")
        );
        assert!(
            desk.vote(article, "like", &same, None, NOW + 86_400)
                .await
                .expect("next day")
        );
        let other_agent = Voter::Network {
            prefix: "198.51.100.1".into(),
            user_agent: "Other/2.0".into(),
        };
        assert!(
            desk.vote(article, "like", &other_agent, None, NOW)
                .await
                .expect("another browser behind the same address")
        );
        assert_eq!(
            store.mood_totals(article).await.expect("totals"),
            [("like".to_string(), 202)]
        );
    }

    #[tokio::test]
    async fn a_vote_for_a_missing_article_fails_alone() {
        let (_dir, store, article) = store_with_article().await;
        let desk = VoteDesk::start(store.clone(), zone());
        let voter = Voter::Token("t".into());
        assert!(
            desk.vote(424_242, "happy", &voter, None, NOW)
                .await
                .is_err()
        );
        assert!(
            desk.vote(article, "happy", &voter, None, NOW)
                .await
                .expect("vote")
        );
    }

    #[test]
    fn hashes_depend_on_key_article_and_voter() {
        let token = Voter::Token("abc".into());
        let base = voter_hash(&[1; 32], 1, &token);
        assert_ne!(base, voter_hash(&[2; 32], 1, &token), "daily key");
        assert_ne!(base, voter_hash(&[1; 32], 2, &token), "article");
        assert_ne!(
            base,
            voter_hash(&[1; 32], 1, &Voter::Token("abd".into())),
            "voter"
        );
        let network = Voter::Network {
            prefix: "abc".into(),
            user_agent: String::new(),
        };
        assert_ne!(
            base,
            voter_hash(&[1; 32], 1, &network),
            "a token never collides with an address"
        );
    }
}
