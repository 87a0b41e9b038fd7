//! Site search: this node's index, following the change log.
//!
//! The index is derived data. Each node keeps its own (in `search/` under
//! its data folder) and notes in every commit the change-log number it
//! reflects; after a restart or a lost connection it goes on from there
//! ([`SiteSearch::catch_up`], run by the node that made a change at once
//! and by every other node on the log's signal or poll). An article of
//! any status is indexed (readers' search keeps to published ones, staff
//! search sees drafts under the role rules); an article that left the
//! store leaves the index.
//!
//! `gazette reindex` ([`rebuild`]) builds a new index beside the live one
//! and switches to it; a running server notices on its next catch-up,
//! opens it and deletes the old one, answering searches throughout.

use crate::EngineError;
use gazette_search::{Document, IndexHome, Request, Results, SearchError, SearchIndex};
use gazette_store::{SearchSource, Store};
use std::path::Path;
use std::sync::{Arc, RwLock};

/// Articles read from the store at a time.
const BATCH: i64 = 500;
/// Past this many changes behind, rebuilding is quicker than replaying.
const REPLAY_LIMIT: usize = 20_000;

impl From<SearchError> for EngineError {
    fn from(error: SearchError) -> Self {
        EngineError::Search(error.to_string())
    }
}

/// The live index and the folder it lives in (None in memory).
struct Live {
    name: Option<String>,
    index: Arc<SearchIndex>,
}

/// The node's search index: opened by the first catch-up (at start-up);
/// searches before that find nothing.
pub struct SiteSearch {
    home: Option<IndexHome>,
    live: RwLock<Option<Live>>,
    /// One catch-up at a time.
    catching_up: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for SiteSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteSearch")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

impl SiteSearch {
    /// The index to keep in `folder` (in memory when None).
    pub fn new(folder: Option<&Path>) -> SiteSearch {
        SiteSearch {
            home: folder.map(IndexHome::new),
            live: RwLock::new(None),
            catching_up: tokio::sync::Mutex::new(()),
        }
    }

    /// Opens the live index (making one if there is none), or the one
    /// `gazette reindex` switched to since: the index to write to.
    fn open_live(&self) -> Result<Arc<SearchIndex>, EngineError> {
        let current = match &self.home {
            Some(home) => Some(match home.current_name() {
                Some(name) => name,
                None => {
                    let (name, _) = home.new_build()?;
                    home.switch_to(&name)?;
                    name
                }
            }),
            None => None,
        };
        let switching = {
            let live = self.live.read().unwrap_or_else(|e| e.into_inner());
            match &*live {
                Some(live) if live.name == current => return Ok(live.index.clone()),
                Some(_) => true,
                None => false,
            }
        };
        let (name, index) = match (&self.home, current) {
            (Some(home), Some(name)) => {
                let (name, index) = match SearchIndex::open_or_create(&home.path_of(&name)) {
                    Ok(index) => (name, index),
                    Err(error) if error.is_locked() => return Err(error.into()),
                    // Derived data: an index this version cannot read (an
                    // older layout, a damaged folder) is made anew.
                    Err(error) => {
                        tracing::warn!(%error, index = name, "the search index is made anew");
                        let (name, path) = home.new_build()?;
                        home.switch_to(&name)?;
                        (name, SearchIndex::open_or_create(&path)?)
                    }
                };
                home.remove_older_than(&name);
                if switching {
                    tracing::info!(index = name, "search switched to a rebuilt index");
                }
                (Some(name), index)
            }
            _ => (None, SearchIndex::in_memory()?),
        };
        let index = Arc::new(index);
        *self.live.write().unwrap_or_else(|e| e.into_inner()) = Some(Live {
            name,
            index: index.clone(),
        });
        Ok(index)
    }

    fn index(&self) -> Option<Arc<SearchIndex>> {
        self.live
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|l| l.index.clone())
    }

    /// Runs a search on the blocking pool (it is CPU work).
    pub async fn search(&self, request: Request) -> Result<Results, EngineError> {
        let Some(index) = self.index() else {
            return Ok(Results::default());
        };
        tokio::task::spawn_blocking(move || index.search(&request))
            .await
            .map_err(|e| EngineError::Search(e.to_string()))?
            .map_err(Into::into)
    }

    /// How many articles the index holds, and the change it reflects.
    pub fn state(&self) -> (u64, Option<i64>) {
        self.index()
            .map_or((0, None), |index| (index.len(), index.last_seq()))
    }

    /// Brings the index up to the change log: the articles each change
    /// names are read again and put in (or taken out). A new index is
    /// filled from the store. How many articles were written.
    pub async fn catch_up(&self, store: &dyn Store) -> Result<usize, EngineError> {
        let _one_at_a_time = self.catching_up.lock().await;
        teach_the_newsroom_terms(store).await?;
        let index = self.open_live()?;
        let Some(mut last) = index.last_seq() else {
            return fill(store, index, |_, _| {}).await;
        };
        let mut written = 0;
        let mut replayed = 0;
        loop {
            let batch = store.changes_after(last, BATCH).await?;
            let Some(newest) = batch.last().map(|c| c.seq) else {
                break;
            };
            replayed += batch.len();
            if replayed > REPLAY_LIMIT {
                return fill(store, index, |_, _| {}).await;
            }
            let mut ids: Vec<i64> = batch.iter().filter_map(|c| c.article_id).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut documents = Vec::with_capacity(ids.len());
            for id in &ids {
                let source = store.search_sources(id - 1, *id, 1).await?.pop();
                documents.push((*id, source.map(|s| document_of(&s))));
            }
            written += documents.len();
            let writing = index.clone();
            tokio::task::spawn_blocking(move || {
                for (id, document) in documents {
                    match document {
                        Some(document) => writing.put(&document)?,
                        None => writing.remove(id as u64),
                    }
                }
                writing.commit(Some(newest))
            })
            .await
            .map_err(|e| EngineError::Search(e.to_string()))??;
            last = newest;
        }
        Ok(written)
    }
}

/// The newsroom's term list (the back office's 术语表) is also the
/// segmenter's dictionary: each Chinese term becomes a word, for search
/// and related reading alike, on every node (read at each catch-up; the
/// list is short). Articles indexed before a term was added match it as
/// before (by its pairs); `gazette reindex` gives them the new word too.
async fn teach_the_newsroom_terms(store: &dyn Store) -> Result<(), EngineError> {
    let terms = store.style_terms().await?;
    gazette_search::segment::add_words(
        terms
            .iter()
            .map(|t| t.term.as_str())
            .filter(|t| t.chars().count() >= 2 && t.chars().all(gazette_search::fold::is_han)),
    );
    Ok(())
}

/// Fills `index` with every article of the store, committing with the
/// change-log number read before the first article (changes made during
/// the fill are replayed after it). `progress` hears (done, total).
async fn fill(
    store: &dyn Store,
    index: Arc<SearchIndex>,
    progress: impl Fn(u64, u64),
) -> Result<usize, EngineError> {
    teach_the_newsroom_terms(store).await?;
    let seq = store.last_change().await?;
    let total = store.article_count().await?.max(0) as u64;
    // Reading the next batch from the store overlaps with turning this one
    // into documents (on the blocking pool) and indexing it (tantivy's
    // own threads): the three go on at once.
    let (batches, mut arriving) = tokio::sync::mpsc::channel::<Vec<SearchSource>>(2);
    let read = async move {
        let mut after = 0;
        loop {
            let sources = store.search_sources(after, i64::MAX, BATCH).await?;
            let Some(last) = sources.last().map(|s| s.id) else {
                return Ok::<_, EngineError>(());
            };
            after = last;
            if batches.send(sources).await.is_err() {
                return Ok(());
            }
        }
    };
    let write = async {
        let mut done = 0;
        while let Some(sources) = arriving.recv().await {
            let count = sources.len();
            let writing = index.clone();
            // Text to tokens on every core (tantivy's threads then write).
            tokio::task::spawn_blocking(move || {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                let share = sources.len().div_ceil(cores).max(1);
                std::thread::scope(|scope| {
                    let workers: Vec<_> = sources
                        .chunks(share)
                        .map(|chunk| {
                            let writing = &writing;
                            scope.spawn(move || {
                                for source in chunk {
                                    writing.put(&document_of(source))?;
                                }
                                Ok::<_, SearchError>(())
                            })
                        })
                        .collect();
                    for worker in workers {
                        worker.join().unwrap_or_else(|_| {
                            Err(SearchError::Io(std::io::Error::other(
                                "an indexing thread stopped",
                            )))
                        })?;
                    }
                    Ok::<_, SearchError>(())
                })
            })
            .await
            .map_err(|e| EngineError::Search(e.to_string()))??;
            done += count;
            progress(done as u64, total.max(done as u64));
        }
        Ok::<_, EngineError>(done)
    };
    let (read, done) = tokio::join!(read, write);
    read?;
    let done = done?;
    let writing = index.clone();
    tokio::task::spawn_blocking(move || writing.commit(Some(seq)))
        .await
        .map_err(|e| EngineError::Search(e.to_string()))??;
    Ok(done)
}

/// Builds a new index of every article in `folder`'s next build and makes
/// it the live one (`gazette reindex`). `progress` hears (done, total).
/// How many articles it holds.
pub async fn rebuild(
    store: &dyn Store,
    folder: &Path,
    progress: impl Fn(u64, u64),
) -> Result<usize, EngineError> {
    let home = IndexHome::new(folder);
    let (name, path) = home.new_build()?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let index = Arc::new(SearchIndex::open_for_build(&path, threads)?);
    let count = fill(store, index.clone(), progress).await?;
    let index = Arc::into_inner(index)
        .ok_or_else(|| EngineError::Search("the new index is still in use".into()))?;
    tokio::task::spawn_blocking(move || index.finish())
        .await
        .map_err(|e| EngineError::Search(e.to_string()))??;
    home.switch_to(&name)?;
    Ok(count)
}

/// An article as the index takes it.
pub(crate) fn document_of(source: &SearchSource) -> Document {
    Document {
        id: source.id as u64,
        lang: source.lang.code().to_owned(),
        status: source.status.code().to_owned(),
        channel_id: source.channel_id as u64,
        topic_id: source.topic_id.map(|t| t as u64),
        published_at: source.published_at,
        updated_at: source.updated_at,
        creator: source.created_by.map(|c| c as u64),
        authors: source.authors.iter().map(|a| a.0 as u64).collect(),
        slug: source.slug.clone(),
        title: source.title.clone(),
        subtitle: source.subtitle.clone(),
        summary: source.summary.clone(),
        body: gazette_render::body::plain_text(&source.body),
        source: source.source.clone(),
        author_names: source
            .authors
            .iter()
            .flat_map(|(_, zh, en)| std::iter::once(zh.clone()).chain(en.clone()))
            .collect(),
        tags: source.tags.clone(),
    }
}
