//! The SQL both backends run. Statements use `$n` parameters and types
//! (BIGINT-sized integers, TEXT, BLOB/BYTEA) that SQLite and PostgreSQL read
//! alike, so one implementation serves both: `impl_store!` stamps it onto
//! each backend's pool type, which differs only in how it connects.

/// Appended to queries that show articles to readers: published, and due.
/// `$NOW` is replaced by the parameter number holding the current time.
pub(crate) const VISIBLE: &str = "a.status = 'published' AND a.published_at <= $NOW";

/// Joins an article row `a` to its cover image `m`.
pub(crate) const COVER_JOIN: &str = "LEFT JOIN media m ON m.id = a.cover_media_id";

/// Newest-first keyset pagination: strictly before the cursor's (time, id).
pub(crate) const BEFORE_CURSOR: &str =
    "(a.published_at < $T OR (a.published_at = $T AND a.id < $I))";

/// Per-article totals of one mood's votes between two days (`$MOOD`,
/// `$FIRST`, `$LAST`), for rankings.
pub(crate) const MOOD_TOTALS: &str = "SELECT article_id, CAST(SUM(count) AS BIGINT) AS total \
     FROM mood_counts WHERE mood = $MOOD AND day BETWEEN $FIRST AND $LAST GROUP BY article_id";

/// Per-article read totals between two days, for the most-read ranking.
pub(crate) const VIEW_TOTALS: &str = "SELECT article_id, CAST(SUM(count) AS BIGINT) AS total \
     FROM view_counts WHERE day BETWEEN $FIRST AND $LAST GROUP BY article_id";

/// Which tallies count, given the hashes the insert found new: the first
/// tally (in order) to carry a new hash gets it; a hash a tally also
/// remembers is used up too, so a later tally with it does not count.
pub(crate) fn credit_first_occurrence(
    tallies: &[crate::Tally],
    fresh: &mut std::collections::HashSet<(i64, Vec<u8>)>,
) -> Vec<bool> {
    tallies
        .iter()
        .map(|t| {
            let counts = fresh.remove(&(t.day, t.hash.to_vec()));
            if let Some(other) = &t.also_remember {
                fresh.remove(&(t.day, other.to_vec()));
            }
            counts
        })
        .collect()
}

/// Takes back the credit of tallies past their cap. `used` holds each cap
/// bucket's count after this group's draws were added: (day, hash, used).
/// Within a bucket the earliest tallies keep their credit.
pub(crate) fn apply_caps(
    tallies: &[crate::Tally],
    counted: &mut [bool],
    used: &[(i64, Vec<u8>, i64)],
) {
    let drawn = cap_draws(tallies, counted);
    let mut allowed: std::collections::HashMap<(i64, &[u8]), i64> = used
        .iter()
        .map(|(day, hash, used)| {
            let limit = tallies
                .iter()
                .find_map(|t| t.cap.filter(|c| t.day == *day && c.hash[..] == hash[..]))
                .map_or(0, |c| c.limit);
            let this_group = drawn.get(&(*day, &hash[..])).copied().unwrap_or(0);
            let before = used - this_group;
            ((*day, &hash[..]), (limit - before).max(0))
        })
        .collect();
    for (tally, counted) in tallies.iter().zip(counted.iter_mut()) {
        let Some(cap) = tally.cap.as_ref().filter(|_| *counted) else {
            continue;
        };
        match allowed.get_mut(&(tally.day, &cap.hash[..])) {
            Some(left) if *left > 0 => *left -= 1,
            _ => *counted = false,
        }
    }
}

/// How many tallies that would count draw on each cap bucket.
pub(crate) fn cap_draws<'a>(
    tallies: &'a [crate::Tally],
    counted: &[bool],
) -> std::collections::BTreeMap<(i64, &'a [u8]), i64> {
    let mut draws = std::collections::BTreeMap::new();
    for (tally, counted) in tallies.iter().zip(counted) {
        if let (Some(cap), true) = (&tally.cap, counted) {
            *draws.entry((tally.day, &cap.hash[..])).or_insert(0) += 1;
        }
    }
    draws
}

/// Increments summed per (article, counter, day), in a stable order.
pub(crate) type Increments = std::collections::BTreeMap<(i64, crate::Counter, i64), i64>;

/// Rows per multi-row upsert (4 parameters a row: far below both backends'
/// limits).
pub(crate) const UPSERT_ROWS: usize = 1_000;

/// Sums increments per key: one row per key, as PostgreSQL's upsert may
/// not touch a row twice in one statement.
pub(crate) fn sum_increments(
    increments: impl IntoIterator<Item = ((i64, crate::Counter, i64), i64)>,
) -> Increments {
    let mut sums = Increments::new();
    for (key, n) in increments {
        *sums.entry(key).or_insert(0) += n;
    }
    sums
}

/// Builds a statement from a template, naming parameters by number. Every
/// piece it splices in is a constant of this module: values are always bound.
pub(crate) fn statement(template: &str, params: &[(&str, usize)]) -> sqlx::AssertSqlSafe<String> {
    let mut sql = template
        .replace("{VISIBLE}", VISIBLE)
        .replace("{BEFORE}", BEFORE_CURSOR);
    sql = sql
        .replace("{COLUMNS}", crate::rows::SUMMARY_COLUMNS)
        .replace("{FROM}", &format!("articles a {COVER_JOIN}"))
        .replace("{COVER}", COVER_JOIN);
    for (name, number) in params {
        sql = sql.replace(name, &format!("${number}"));
    }
    sqlx::AssertSqlSafe(sql)
}

/// The condition a list filter adds, with `$F` for its one parameter.
pub(crate) fn filter_condition(filter: &crate::ArticleFilter) -> &'static str {
    use crate::ArticleFilter::*;
    match filter {
        All => "1 = 1",
        Channel(_) => {
            "a.channel_id IN (WITH RECURSIVE sub(id) AS (SELECT CAST($F AS BIGINT) UNION ALL \
             SELECT c.id FROM channels c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)"
        }
        Topic(_) => "a.topic_id = $F",
        Tag(_) => "EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = $F)",
        // Credited, or the 责编 who signed the published revision off.
        Person(_) => {
            "(EXISTS (SELECT 1 FROM article_credits c WHERE c.article_id = a.id AND c.person_id = $F) \
             OR EXISTS (SELECT 1 FROM review_events e WHERE e.id = a.signoff_event AND e.person_id = $F))"
        }
    }
}

/// Ids a lookup by list binds in one statement: SQLite binds at most
/// 32,766 values and PostgreSQL 65,535, and a list can come from an
/// author's text (a body naming tens of thousands of photos).
pub(crate) const IDS_AT_ONCE: usize = 1_000;

/// Pushes `(id, id, ...)` onto a query, each id bound (never spliced):
/// what `IN` takes. The caller makes sure the list is not empty (`IN ()`
/// is no SQL) and short enough to bind: a list from outside goes through
/// [`rows_for_ids`]; the media library's search rounds (at most 8,000)
/// bind whole.
pub(crate) fn push_ids<DB>(query: &mut sqlx::QueryBuilder<DB>, ids: &[i64])
where
    DB: sqlx::Database,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    query.push("(");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

/// The rows of `select` (a statement that ends in `IN `) for `ids`, then
/// `rest` (its `GROUP BY` or `ORDER BY`). The ids are sorted, each once,
/// and bound [`IDS_AT_ONCE`] a statement, the statements' rows one after
/// the other (a statement that orders by id keeps the whole answer so).
pub(crate) async fn rows_for_ids<DB, R>(
    pool: &sqlx::Pool<DB>,
    ids: &[i64],
    select: &str,
    rest: &str,
) -> crate::Result<Vec<R>>
where
    DB: sqlx::Database,
    <DB as sqlx::Database>::Arguments: Default + sqlx::IntoArguments<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'r> R: sqlx::FromRow<'r, DB::Row> + Send + Unpin,
    for<'c> &'c sqlx::Pool<DB>: sqlx::Executor<'c, Database = DB>,
{
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut rows = Vec::new();
    for list in sorted.chunks(IDS_AT_ONCE) {
        let mut query = sqlx::QueryBuilder::<DB>::new(select);
        push_ids(&mut query, list);
        query.push(rest);
        rows.extend(query.build_query_as::<R>().fetch_all(pool).await?);
    }
    Ok(rows)
}

/// Splits an optional cursor into the two bound values (no cursor: from the top).
pub(crate) fn cursor_bounds(before: Option<gazette_core::Cursor>) -> (i64, i64) {
    before.map_or((i64::MAX, i64::MAX), |c| (c.published_at, c.id))
}

macro_rules! impl_store {
    ($store:ty, $db:ty, $backend:literal) => {
        impl $store {
            /// Adds summed increments to `mood_counts` and `view_counts`: a
            /// few multi-row upserts, whatever the number of rows.
            async fn upsert_counts(
                tx: &mut sqlx::Transaction<'_, $db>,
                sums: &$crate::sql::Increments,
            ) -> $crate::Result<()> {
                let moods: Vec<_> = sums
                    .iter()
                    .filter_map(|((article, counter, day), n)| match counter {
                        $crate::Counter::Mood(mood) => Some((*article, mood, *day, *n)),
                        $crate::Counter::View => None,
                    })
                    .collect();
                for chunk in moods.chunks($crate::sql::UPSERT_ROWS) {
                    let mut upsert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO mood_counts (article_id, mood, day, count) ",
                    );
                    upsert.push_values(chunk, |mut row, (article, mood, day, n)| {
                        row.push_bind(*article)
                            .push_bind(*mood)
                            .push_bind(*day)
                            .push_bind(*n);
                    });
                    upsert.push(
                        " ON CONFLICT (article_id, mood, day) DO UPDATE SET count = mood_counts.count + excluded.count",
                    );
                    upsert.build().execute(&mut **tx).await?;
                }
                let views: Vec<_> = sums
                    .iter()
                    .filter(|((_, counter, _), _)| *counter == $crate::Counter::View)
                    .map(|((article, _, day), n)| (*article, *day, *n))
                    .collect();
                for chunk in views.chunks($crate::sql::UPSERT_ROWS) {
                    let mut upsert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO view_counts (article_id, day, count) ",
                    );
                    upsert.push_values(chunk, |mut row, (article, day, n)| {
                        row.push_bind(*article).push_bind(*day).push_bind(*n);
                    });
                    upsert.push(
                        " ON CONFLICT (article_id, day) DO UPDATE SET count = view_counts.count + excluded.count",
                    );
                    upsert.build().execute(&mut **tx).await?;
                }
                Ok(())
            }

            /// Visible articles of a statement whose parameters are now ($1),
            /// an article id ($2), a language ($3) and a limit ($4).
            async fn summaries_around(
                &self,
                sql: sqlx::AssertSqlSafe<String>,
                article_id: i64,
                lang: gazette_core::Lang,
                now: i64,
                limit: i64,
            ) -> $crate::Result<Vec<gazette_core::ArticleSummary>> {
                let rows = sqlx::query_as::<$db, $crate::rows::SummaryRow>(sql)
                    .bind(now)
                    .bind(article_id)
                    .bind(lang.code())
                    .bind(limit)
                    .fetch_all(&self.read)
                    .await?;
                $crate::rows::convert(rows)
            }
        }

        #[async_trait::async_trait]
        impl $crate::ContentStore for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn create_channel(&self, c: &$crate::NewChannel) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO channels (parent_id, slug, name_zh, name_en, position) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(c.parent_id)
                .bind(c.slug.as_str())
                .bind(&c.name_zh)
                .bind(&c.name_en)
                .bind(c.position)
                .fetch_one(&self.write)
                .await?)
            }

            async fn channels(&self) -> $crate::Result<Vec<gazette_core::Channel>> {
                let rows = sqlx::query_as::<$db, $crate::rows::ChannelRow>(
                    "SELECT id, parent_id, slug, name_zh, name_en, position FROM channels \
                     WHERE retired_at IS NULL ORDER BY id",
                )
                .fetch_all(&self.read)
                .await?;
                $crate::rows::convert(rows)
            }

            async fn create_person(&self, p: &$crate::NewPerson) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO people (slug, name, affiliation, name_en, affiliation_en) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(p.slug.as_str())
                .bind(&p.name)
                .bind(&p.affiliation)
                .bind(&p.name_en)
                .bind(&p.affiliation_en)
                .fetch_one(&self.write)
                .await?)
            }

            async fn person_by_slug(&self, slug: &str) -> $crate::Result<gazette_core::Person> {
                sqlx::query_as::<$db, $crate::rows::PersonRow>(
                    "SELECT id, slug, name, affiliation, name_en, affiliation_en FROM people \
                     WHERE slug = $1",
                )
                .bind(slug)
                .fetch_one(&self.read)
                .await?
                .try_into()
            }

            async fn create_topic(&self, t: &$crate::NewTopic) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO topics (slug, channel_id, title_zh, title_en, description_zh, \
                     description_en, cover_media_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(t.slug.as_str())
                .bind(t.channel_id)
                .bind(&t.title_zh)
                .bind(&t.title_en)
                .bind(&t.description_zh)
                .bind(&t.description_en)
                .bind(t.cover_media_id)
                .fetch_one(&self.write)
                .await?)
            }

            async fn topics(&self) -> $crate::Result<Vec<gazette_core::Topic>> {
                let rows = sqlx::query_as::<$db, $crate::rows::TopicRow>(
                    "SELECT t.id, t.slug, t.channel_id, t.title_zh, t.title_en, t.description_zh, \
                     t.description_en, t.cover_media_id, m.width, m.height, m.extension \
                     FROM topics t LEFT JOIN media m ON m.id = t.cover_media_id ORDER BY t.id",
                )
                .fetch_all(&self.read)
                .await?;
                $crate::rows::convert(rows)
            }

            async fn create_media(&self, m: &$crate::NewMedia) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO media (content_type, extension, width, height, bytes, hash, \
                     variants, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7) RETURNING id",
                )
                .bind(&m.content_type)
                .bind(&m.extension)
                .bind(m.width)
                .bind(m.height)
                .bind(&m.bytes)
                .bind(&m.hash)
                .bind(m.created_at)
                .fetch_one(&self.write)
                .await?)
            }

            async fn media(&self, id: i64) -> $crate::Result<$crate::Media> {
                let row = sqlx::query_as::<$db, $crate::rows::MediaRow>(
                    "SELECT id, content_type, extension, width, height, bytes FROM media \
                     WHERE id = $1 AND deleted_at IS NULL",
                )
                .bind(id)
                .fetch_one(&self.read)
                .await?;
                Ok($crate::Media {
                    id: row.id,
                    content_type: row.content_type,
                    extension: row.extension,
                    width: row.width,
                    height: row.height,
                    bytes: row.bytes,
                })
            }

            async fn media_extension(&self, id: i64) -> $crate::Result<String> {
                Ok(sqlx::query_scalar::<$db, String>("SELECT extension FROM media WHERE id = $1")
                    .bind(id)
                    .fetch_one(&self.read)
                    .await?)
            }

            async fn create_article(&self, a: &$crate::NewArticle) -> $crate::Result<i64> {
                let mut tx = self.write.begin().await?;
                let cover = a.cover.as_ref();
                let id = sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO articles (lang, slug, channel_id, topic_id, translation_group, status, \
                     title, kicker, subtitle, summary, body, source, published_at, updated_at, \
                     cover_media_id, cover_alt, cover_caption, cover_credit, body_format, review_state, kind) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                     $18, 'html', CASE WHEN $6 = 'published' THEN 'live' ELSE 'editing' END, $19) RETURNING id",
                )
                .bind(a.lang.code())
                .bind(a.slug.as_str())
                .bind(a.channel_id)
                .bind(a.topic_id)
                .bind(a.translation_group)
                .bind(a.status.code())
                .bind(&a.title)
                .bind(&a.kicker)
                .bind(&a.subtitle)
                .bind(&a.summary)
                .bind(&a.body)
                .bind(&a.source)
                .bind(a.published_at)
                .bind(a.updated_at)
                .bind(cover.map(|c| c.media_id))
                .bind(cover.map(|c| c.alt.as_str()))
                .bind(cover.and_then(|c| c.caption.as_deref()))
                .bind(cover.and_then(|c| c.credit.as_deref()))
                .bind(if a.gallery { "gallery" } else { "story" })
                .fetch_one(&mut *tx)
                .await?;
                for (position, (role, person_id)) in a.credits.iter().enumerate() {
                    if *role == gazette_core::CreditRole::ResponsibleEditor {
                        Self::record_signoff_of(&mut tx, id, *person_id, a.published_at).await?;
                        continue;
                    }
                    sqlx::query::<$db>(
                        "INSERT INTO article_credits (article_id, role, position, person_id) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(role.code())
                    .bind(position as i64)
                    .bind(*person_id)
                    .execute(&mut *tx)
                    .await?;
                }
                for tag in &a.tags {
                    sqlx::query::<$db>(
                        "INSERT INTO article_tags (article_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(id)
                    .bind(tag.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
                Self::record_change(
                    &mut tx,
                    $crate::changes::ChangeKind::Created,
                    Some(id),
                    a.updated_at,
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn article(&self, id: i64) -> $crate::Result<gazette_core::Article> {
                let sql = $crate::sql::statement(
                    "SELECT {COLUMNS}, a.subtitle, a.body, a.source, a.updated_at, a.status, \
                     a.retraction_note, a.topic_id, a.translation_group, a.kind FROM {FROM} WHERE a.id = $1",
                    &[],
                );
                let row = sqlx::query_as::<$db, $crate::rows::ArticleRow>(sql)
                    .bind(id)
                    .fetch_one(&self.read)
                    .await?;
                let credits = sqlx::query_as::<$db, $crate::rows::CreditRow>(
                    "SELECT c.role, p.id, p.slug, p.name, p.affiliation, p.name_en, p.affiliation_en \
                     FROM article_credits c \
                     JOIN people p ON p.id = c.person_id WHERE c.article_id = $1 ORDER BY c.position",
                )
                .bind(id)
                .fetch_all(&self.read)
                .await?;
                let tags = sqlx::query_scalar::<$db, String>(
                    "SELECT tag FROM article_tags WHERE article_id = $1 ORDER BY tag",
                )
                .bind(id)
                .fetch_all(&self.read)
                .await?;
                let signer = sqlx::query_as::<$db, (String, Option<String>, Option<String>)>(
                    "SELECT e.name_zh, e.name_en, p.slug FROM articles a \
                     JOIN review_events e ON e.id = a.signoff_event \
                     LEFT JOIN people p ON p.id = e.person_id WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(&self.read)
                .await?;
                let credits = credits
                    .into_iter()
                    .map(|c| {
                        Ok(gazette_core::Credit {
                            role: gazette_core::CreditRole::parse(&c.role)?,
                            person: c.person.try_into()?,
                        })
                    })
                    .collect::<$crate::Result<Vec<_>>>()?;
                Ok(gazette_core::Article {
                    summary: row.summary.try_into()?,
                    subtitle: row.subtitle,
                    gallery: row.kind == "gallery",
                    body: row.body,
                    source: row.source,
                    updated_at: row.updated_at,
                    status: gazette_core::ArticleStatus::parse(&row.status)?,
                    retraction_note: row.retraction_note,
                    topic_id: row.topic_id,
                    translation_group: row.translation_group,
                    credits: gazette_core::Credits {
                        responsible_editor: signer
                            .map(|(name, name_en, slug)| {
                                Ok::<_, $crate::StoreError>(gazette_core::Signer {
                                    name,
                                    name_en,
                                    slug: slug.map(|s| gazette_core::Slug::parse(&s)).transpose()?,
                                })
                            })
                            .transpose()?,
                        ..gazette_core::Credits::from_ordered(credits)
                    },
                    tags: tags
                        .iter()
                        .map(|t| gazette_core::Tag::parse(t))
                        .collect::<std::result::Result<_, _>>()?,
                })
            }

            async fn article_count(&self) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>("SELECT COUNT(*) FROM articles")
                    .fetch_one(&self.read)
                    .await?)
            }

            async fn move_article(&self, id: i64, slug: &str, channel_id: i64, now: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                let done = sqlx::query::<$db>(
                    "UPDATE articles SET slug = $1, channel_id = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(slug)
                .bind(channel_id)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                Self::record_change(&mut tx, $crate::changes::ChangeKind::Moved, Some(id), now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn retract_article(&self, id: i64, note: &str, now: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                let done = sqlx::query::<$db>(
                    "UPDATE articles SET status = 'retracted', retraction_note = $1, updated_at = $2, \
                     review_state = 'editing' WHERE id = $3",
                )
                .bind(note)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                // Nothing scheduled may bring it back.
                Self::cancel_open_jobs(&mut tx, id, now).await?;
                Self::record_change(&mut tx, $crate::changes::ChangeKind::Retracted, Some(id), now)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn list_articles(
                &self,
                filter: &$crate::ArticleFilter,
                lang: gazette_core::Lang,
                now: i64,
                before: Option<gazette_core::Cursor>,
                limit: i64,
            ) -> $crate::Result<Vec<gazette_core::ArticleSummary>> {
                let template = format!(
                    "SELECT {{COLUMNS}} FROM {{FROM}} WHERE {{VISIBLE}} AND a.lang = $L AND {{BEFORE}} \
                     AND {} ORDER BY a.published_at DESC, a.id DESC LIMIT $N",
                    $crate::sql::filter_condition(filter)
                );
                let sql = $crate::sql::statement(
                    &template,
                    &[("$NOW", 1), ("$L", 2), ("$T", 3), ("$I", 4), ("$N", 5), ("$F", 6)],
                );
                let (time, id) = $crate::sql::cursor_bounds(before);
                let query = sqlx::query_as::<$db, $crate::rows::SummaryRow>(sql)
                    .bind(now)
                    .bind(lang.code())
                    .bind(time)
                    .bind(id)
                    .bind(limit);
                let query = match filter {
                    $crate::ArticleFilter::All => query,
                    $crate::ArticleFilter::Channel(v)
                    | $crate::ArticleFilter::Topic(v)
                    | $crate::ArticleFilter::Person(v) => query.bind(*v),
                    $crate::ArticleFilter::Tag(tag) => query.bind(tag.as_str()),
                };
                $crate::rows::convert(query.fetch_all(&self.read).await?)
            }

            async fn cursor_listed(
                &self,
                filter: &$crate::ArticleFilter,
                lang: gazette_core::Lang,
                now: i64,
                cursor: gazette_core::Cursor,
            ) -> $crate::Result<bool> {
                let template = format!(
                    "SELECT COUNT(*) FROM articles a WHERE a.id = $I AND a.published_at = $T \
                     AND a.lang = $L AND a.status IN ('published', 'retracted') \
                     AND a.published_at <= $NOW AND {}",
                    $crate::sql::filter_condition(filter)
                );
                let sql = $crate::sql::statement(
                    &template,
                    &[("$NOW", 1), ("$L", 2), ("$T", 3), ("$I", 4), ("$F", 5)],
                );
                let query = sqlx::query_scalar::<$db, i64>(sql)
                    .bind(now)
                    .bind(lang.code())
                    .bind(cursor.published_at)
                    .bind(cursor.id);
                let query = match filter {
                    $crate::ArticleFilter::All => query,
                    $crate::ArticleFilter::Channel(v)
                    | $crate::ArticleFilter::Topic(v)
                    | $crate::ArticleFilter::Person(v) => query.bind(*v),
                    $crate::ArticleFilter::Tag(tag) => query.bind(tag.as_str()),
                };
                Ok(query.fetch_one(&self.read).await? > 0)
            }

            async fn photo_cursor_listed(
                &self,
                lang: gazette_core::Lang,
                now: i64,
                cursor: gazette_core::Cursor,
            ) -> $crate::Result<bool> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT COUNT(*) FROM photo_items p WHERE p.id = $1 AND p.published_at = $2 \
                     AND p.lang = $3 AND p.published_at <= $4",
                )
                .bind(cursor.id)
                .bind(cursor.published_at)
                .bind(lang.code())
                .bind(now)
                .fetch_one(&self.read)
                .await?
                    > 0)
            }

            async fn translations(
                &self,
                group: i64,
                except_id: i64,
                now: i64,
            ) -> $crate::Result<Vec<gazette_core::ArticleSummary>> {
                let sql = $crate::sql::statement(
                    "SELECT {COLUMNS} FROM {FROM} WHERE {VISIBLE} AND a.translation_group = $2 \
                     AND a.id <> $3 ORDER BY a.lang",
                    &[("$NOW", 1)],
                );
                let rows = sqlx::query_as::<$db, $crate::rows::SummaryRow>(sql)
                    .bind(now)
                    .bind(group)
                    .bind(except_id)
                    .fetch_all(&self.read)
                    .await?;
                $crate::rows::convert(rows)
            }

            async fn related_by_tags(
                &self,
                article_id: i64,
                lang: gazette_core::Lang,
                now: i64,
                limit: i64,
            ) -> $crate::Result<Vec<gazette_core::ArticleSummary>> {
                let sql = $crate::sql::statement(
                    "SELECT {COLUMNS} FROM {FROM} JOIN (SELECT t2.article_id, COUNT(*) AS shared \
                     FROM article_tags t1 JOIN article_tags t2 ON t2.tag = t1.tag \
                     WHERE t1.article_id = $2 AND t2.article_id <> $2 GROUP BY t2.article_id) r \
                     ON r.article_id = a.id WHERE {VISIBLE} AND a.lang = $3 \
                     ORDER BY r.shared DESC, a.published_at DESC, a.id DESC LIMIT $4",
                    &[("$NOW", 1)],
                );
                self.summaries_around(sql, article_id, lang, now, limit).await
            }

            async fn article_texts_after(
                &self,
                after: i64,
                limit: i64,
            ) -> $crate::Result<Vec<$crate::ArticleText>> {
                let rows = sqlx::query_as::<$db, $crate::rows::TextRow>(
                    "SELECT id, lang, channel_id, topic_id, published_at, title, summary, body \
                     FROM articles WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(limit)
                .fetch_all(&self.read)
                .await?;
                let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id))
                else {
                    return Ok(Vec::new());
                };
                let tags = sqlx::query_as::<$db, (i64, String)>(
                    "SELECT article_id, tag FROM article_tags WHERE article_id BETWEEN $1 AND $2 \
                     ORDER BY article_id, tag",
                )
                .bind(first)
                .bind(last)
                .fetch_all(&self.read)
                .await?;
                $crate::rows::texts(rows, tags)
            }

            async fn replace_related(&self, lists: &[(i64, Vec<i64>)]) -> $crate::Result<Vec<i64>> {
                let old = sqlx::query_as::<$db, (i64, i64)>(
                    "SELECT article_id, related_id FROM related_articles ORDER BY article_id, rank",
                )
                .fetch_all(&self.write)
                .await?;
                let mut before: std::collections::HashMap<i64, Vec<i64>> = Default::default();
                for (article, related) in old {
                    before.entry(article).or_default().push(related);
                }
                let mut changed: Vec<i64> = lists
                    .iter()
                    .filter(|(article, related)| before.remove(article).as_ref() != Some(related))
                    .map(|(article, _)| *article)
                    .collect();
                // Lists that are gone changed too.
                changed.extend(before.into_keys());
                changed.sort_unstable();
                let rows: Vec<(i64, i64, i64)> = lists
                    .iter()
                    .flat_map(|(article, related)| {
                        related
                            .iter()
                            .enumerate()
                            .map(move |(rank, id)| (*article, rank as i64, *id))
                    })
                    .collect();
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>("DELETE FROM related_articles")
                    .execute(&mut *tx)
                    .await?;
                // 3 parameters a row: chunks stay far below both backends' limits.
                for chunk in rows.chunks(1_000) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO related_articles (article_id, rank, related_id) ",
                    );
                    insert.push_values(chunk, |mut row, (article, rank, id)| {
                        row.push_bind(*article).push_bind(*rank).push_bind(*id);
                    });
                    // Two nodes ranking at once end with the same lists.
                    insert.push(
                        " ON CONFLICT (article_id, rank) DO UPDATE SET related_id = excluded.related_id",
                    );
                    insert.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(changed)
            }

            async fn set_related(&self, lists: &[(i64, Vec<i64>)]) -> $crate::Result<()> {
                // Upserts, so that two nodes writing the same lists at once
                // end with them rather than with a conflict.
                let mut tx = self.write.begin().await?;
                for (article, related) in lists {
                    sqlx::query::<$db>(
                        "DELETE FROM related_articles WHERE article_id = $1 AND rank >= $2",
                    )
                    .bind(*article)
                    .bind(related.len() as i64)
                    .execute(&mut *tx)
                    .await?;
                    if related.is_empty() {
                        continue;
                    }
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO related_articles (article_id, rank, related_id) ",
                    );
                    insert.push_values(related.iter().enumerate(), |mut row, (rank, id)| {
                        row.push_bind(*article).push_bind(rank as i64).push_bind(*id);
                    });
                    insert.push(
                        " ON CONFLICT (article_id, rank) DO UPDATE SET related_id = excluded.related_id",
                    );
                    insert.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn related(
                &self,
                article_id: i64,
                lang: gazette_core::Lang,
                now: i64,
                limit: i64,
            ) -> $crate::Result<Vec<gazette_core::ArticleSummary>> {
                let sql = $crate::sql::statement(
                    "SELECT {COLUMNS} FROM {FROM} JOIN related_articles r ON r.related_id = a.id \
                     WHERE r.article_id = $2 AND {VISIBLE} AND a.lang = $3 ORDER BY r.rank LIMIT $4",
                    &[("$NOW", 1)],
                );
                self.summaries_around(sql, article_id, lang, now, limit).await
            }

            async fn create_slot(&self, s: &$crate::NewSlot) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO slots (key, name_zh, name_en, size_limit) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (key) DO UPDATE SET name_zh = excluded.name_zh, \
                     name_en = excluded.name_en, size_limit = excluded.size_limit RETURNING id",
                )
                .bind(&s.key)
                .bind(&s.name_zh)
                .bind(&s.name_en)
                .bind(s.size_limit)
                .fetch_one(&self.write)
                .await?)
            }

            async fn set_slot_entry(
                &self,
                slot_id: i64,
                article_id: i64,
                position: i64,
                expires_at: Option<i64>,
            ) -> $crate::Result<()> {
                sqlx::query::<$db>(
                    "INSERT INTO slot_entries (slot_id, article_id, position, expires_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (slot_id, article_id) \
                     DO UPDATE SET position = excluded.position, expires_at = excluded.expires_at",
                )
                .bind(slot_id)
                .bind(article_id)
                .bind(position)
                .bind(expires_at)
                .execute(&self.write)
                .await?;
                Ok(())
            }

            async fn slot(
                &self,
                key: &str,
                lang: gazette_core::Lang,
                now: i64,
            ) -> $crate::Result<(gazette_core::Slot, Vec<gazette_core::ArticleSummary>)> {
                let slot: gazette_core::Slot = sqlx::query_as::<$db, $crate::rows::SlotRow>(
                    "SELECT id, key, name_zh, name_en, size_limit FROM slots WHERE key = $1",
                )
                .bind(key)
                .fetch_one(&self.read)
                .await?
                .try_into()?;
                let sql = $crate::sql::statement(
                    "SELECT {COLUMNS} FROM slot_entries e JOIN articles a ON a.id = e.article_id {COVER} \
                     WHERE e.slot_id = $2 AND (e.expires_at IS NULL OR e.expires_at > $1) \
                     AND (e.starts_at IS NULL OR e.starts_at <= $1) \
                     AND {VISIBLE} AND a.lang = $3 ORDER BY e.position, a.id LIMIT $4",
                    &[("$NOW", 1)],
                );
                let rows = sqlx::query_as::<$db, $crate::rows::SummaryRow>(sql)
                    .bind(now)
                    .bind(slot.id)
                    .bind(lang.code())
                    .bind(slot.size_limit)
                    .fetch_all(&self.read)
                    .await?;
                Ok((slot, $crate::rows::convert(rows)?))
            }

            async fn create_photo_item(&self, p: &$crate::NewPhotoItem) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "INSERT INTO photo_items (lang, media_id, alt, caption, credit, article_id, \
                     published_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(p.lang.code())
                .bind(p.media_id)
                .bind(&p.alt)
                .bind(&p.caption)
                .bind(&p.credit)
                .bind(p.article_id)
                .bind(p.published_at)
                .fetch_one(&self.write)
                .await?)
            }

            async fn photo_items(
                &self,
                lang: gazette_core::Lang,
                now: i64,
                before: Option<gazette_core::Cursor>,
                limit: i64,
            ) -> $crate::Result<Vec<gazette_core::PhotoItem>> {
                let (time, id) = $crate::sql::cursor_bounds(before);
                let rows = sqlx::query_as::<$db, $crate::rows::PhotoRow>(
                    "SELECT p.id, p.lang, p.media_id, p.alt, p.caption, p.credit, a.id AS article_id, \
                     a.lang AS article_lang, a.slug AS article_slug, a.channel_id AS article_channel_id, \
                     p.published_at, m.width, m.height, m.extension FROM photo_items p \
                     JOIN media m ON m.id = p.media_id LEFT JOIN articles a ON a.id = p.article_id \
                     AND a.status = 'published' AND a.published_at <= $2 \
                     WHERE p.lang = $1 AND p.published_at <= $2 \
                     AND (p.published_at < $3 OR (p.published_at = $3 AND p.id < $4)) \
                     ORDER BY p.published_at DESC, p.id DESC LIMIT $5",
                )
                .bind(lang.code())
                .bind(now)
                .bind(time)
                .bind(id)
                .bind(limit)
                .fetch_all(&self.read)
                .await?;
                $crate::rows::convert(rows)
            }

            async fn published_at(&self, id: i64) -> $crate::Result<Option<i64>> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT published_at FROM articles WHERE id = $1 AND status = 'published'",
                )
                .bind(id)
                .fetch_optional(&self.read)
                .await?)
            }

        }

        #[async_trait::async_trait]
        impl $crate::counters::CounterStore for $store {
            async fn add_counts(&self, counts: &[$crate::Increment]) -> $crate::Result<()> {
                let sums = $crate::sql::sum_increments(
                    counts
                        .iter()
                        .map(|c| ((c.article_id, c.counter.clone(), c.day), c.count)),
                );
                let mut tx = self.write.begin().await?;
                Self::upsert_counts(&mut tx, &sums).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn record_tallies(&self, tallies: &[$crate::Tally]) -> $crate::Result<Vec<bool>> {
                if tallies.is_empty() {
                    return Ok(Vec::new());
                }
                // Whole groups in a few statements, whatever their size: one
                // insert of every hash (each tally's own, then the one it also
                // remembers), which returns the hashes not seen before; then
                // one upsert per table for the increments of those that count.
                let seen: Vec<(i64, &[u8])> = tallies
                    .iter()
                    .flat_map(|t| {
                        std::iter::once((t.day, &t.hash[..]))
                            .chain(t.also_remember.as_ref().map(|h| (t.day, &h[..])))
                    })
                    .collect();
                let mut tx = self.write.begin().await?;
                let mut insert =
                    sqlx::QueryBuilder::<$db>::new("INSERT INTO dedup_seen (day, hash) ");
                insert.push_values(&seen, |mut row, (day, hash)| {
                    row.push_bind(*day).push_bind(*hash);
                });
                insert.push(" ON CONFLICT DO NOTHING RETURNING day, hash");
                let mut fresh: std::collections::HashSet<(i64, Vec<u8>)> = insert
                    .build_query_as::<(i64, Vec<u8>)>()
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
                let mut counted = $crate::sql::credit_first_occurrence(tallies, &mut fresh);
                let draws = $crate::sql::cap_draws(tallies, &counted);
                if !draws.is_empty() {
                    let mut upsert =
                        sqlx::QueryBuilder::<$db>::new("INSERT INTO dedup_caps (day, hash, used) ");
                    upsert.push_values(&draws, |mut row, ((day, hash), n)| {
                        row.push_bind(*day).push_bind(*hash).push_bind(*n);
                    });
                    upsert.push(
                        " ON CONFLICT (day, hash) DO UPDATE SET used = dedup_caps.used + excluded.used \
                         RETURNING day, hash, used",
                    );
                    let used = upsert
                        .build_query_as::<(i64, Vec<u8>, i64)>()
                        .fetch_all(&mut *tx)
                        .await?;
                    $crate::sql::apply_caps(tallies, &mut counted, &used);
                }
                let increments = $crate::sql::sum_increments(
                    tallies
                        .iter()
                        .zip(&counted)
                        .filter(|(_, counted)| **counted)
                        .map(|(t, _)| ((t.article_id, t.counter.clone(), t.day), 1)),
                );
                Self::upsert_counts(&mut tx, &increments).await?;
                tx.commit().await?;
                Ok(counted)
            }

            async fn dedup_key(&self, day: i64, candidate: &[u8]) -> $crate::Result<Vec<u8>> {
                sqlx::query::<$db>("INSERT INTO dedup_keys (day, key) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(day)
                    .bind(candidate)
                    .execute(&self.write)
                    .await?;
                Ok(sqlx::query_scalar::<$db, Vec<u8>>("SELECT key FROM dedup_keys WHERE day = $1")
                    .bind(day)
                    .fetch_one(&self.write)
                    .await?)
            }

            async fn site_secret(&self, name: &str, candidate: &[u8]) -> $crate::Result<Vec<u8>> {
                sqlx::query::<$db>(
                    "INSERT INTO site_secrets (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(name)
                .bind(candidate)
                .execute(&self.write)
                .await?;
                Ok(sqlx::query_scalar::<$db, Vec<u8>>("SELECT value FROM site_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.write)
                    .await?)
            }

            async fn forget_dedup_before(&self, day: i64) -> $crate::Result<()> {
                let mut tx = self.write.begin().await?;
                sqlx::query::<$db>("DELETE FROM dedup_seen WHERE day < $1")
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM dedup_caps WHERE day < $1")
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query::<$db>("DELETE FROM dedup_keys WHERE day < $1")
                    .bind(day)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn mood_totals_of(
                &self,
                article_ids: &[i64],
            ) -> $crate::Result<Vec<(i64, String, i64)>> {
                $crate::sql::rows_for_ids(
                    &self.read,
                    article_ids,
                    "SELECT article_id, mood, CAST(SUM(count) AS BIGINT) FROM mood_counts WHERE article_id IN ",
                    " GROUP BY article_id, mood ORDER BY article_id, mood",
                )
                .await
            }

            async fn view_total(&self, article_id: i64) -> $crate::Result<i64> {
                Ok(sqlx::query_scalar::<$db, i64>(
                    "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM view_counts WHERE article_id = $1",
                )
                .bind(article_id)
                .fetch_one(&self.read)
                .await?)
            }

            async fn ranking(
                &self,
                counter: &$crate::Counter,
                lang: gazette_core::Lang,
                first_day: i64,
                last_day: i64,
                now: i64,
                limit: i64,
            ) -> $crate::Result<Vec<(gazette_core::ArticleSummary, i64)>> {
                let (totals, mood) = match counter {
                    $crate::Counter::Mood(mood) => ($crate::sql::MOOD_TOTALS, Some(mood)),
                    $crate::Counter::View => ($crate::sql::VIEW_TOTALS, None),
                };
                let sql = $crate::sql::statement(
                    &format!(
                        "SELECT {{COLUMNS}}, r.total FROM ({totals}) r \
                         JOIN articles a ON a.id = r.article_id {{COVER}} WHERE {{VISIBLE}} AND a.lang = $LANG \
                         ORDER BY r.total DESC, a.published_at DESC, a.id DESC LIMIT $LIMIT"
                    ),
                    &[("$NOW", 1), ("$FIRST", 2), ("$LAST", 3), ("$LANG", 4), ("$LIMIT", 5), ("$MOOD", 6)],
                );
                let mut query = sqlx::query_as::<$db, $crate::rows::RankedRow>(sql)
                    .bind(now)
                    .bind(first_day)
                    .bind(last_day)
                    .bind(lang.code())
                    .bind(limit);
                if let Some(mood) = mood {
                    query = query.bind(mood);
                }
                let rows = query.fetch_all(&self.read).await?;
                rows.into_iter()
                    .map(|r| Ok((r.summary.try_into()?, r.total)))
                    .collect()
            }
        }
    };
}

pub(crate) use impl_store;
