//! The dashboard's SQL, the same on both backends (see `dashboard.rs`):
//! `impl_dashboard!` stamps it onto each backend's store.

macro_rules! impl_dashboard {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::dashboard::DashboardStore for $store {
            async fn reads_by_day(
                &self,
                article_id: i64,
                first_day: i64,
            ) -> $crate::Result<Vec<$crate::dashboard::DayCount>> {
                let rows = sqlx::query_as::<$db, (i64, i64)>(
                    "SELECT day, count FROM view_counts WHERE article_id = $1 AND day >= $2 \
                     ORDER BY day",
                )
                .bind(article_id)
                .bind(first_day)
                .fetch_all(&self.read)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(day, count)| $crate::dashboard::DayCount { day, count })
                    .collect())
            }

            async fn moods_by_day(
                &self,
                article_id: i64,
                first_day: i64,
            ) -> $crate::Result<Vec<$crate::dashboard::MoodDayCount>> {
                let rows = sqlx::query_as::<$db, (i64, String, i64)>(
                    "SELECT day, mood, count FROM mood_counts WHERE article_id = $1 AND day >= $2 \
                     ORDER BY day, mood",
                )
                .bind(article_id)
                .bind(first_day)
                .fetch_all(&self.read)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(day, mood, count)| $crate::dashboard::MoodDayCount { day, mood, count })
                    .collect())
            }

            async fn published_between(
                &self,
                from: i64,
                until: i64,
            ) -> $crate::Result<Vec<$crate::dashboard::PublishedRow>> {
                let rows = sqlx::query_as::<$db, (i64, i64, i64, Option<String>)>(
                    "SELECT a.id, a.published_at, a.channel_id, p.name FROM articles a \
                     LEFT JOIN article_credits c ON c.article_id = a.id AND c.role = 'author' \
                     LEFT JOIN people p ON p.id = c.person_id \
                     WHERE a.status = 'published' AND a.published_at >= $1 AND a.published_at < $2 \
                     ORDER BY a.published_at, a.id, c.position",
                )
                .bind(from)
                .bind(until)
                .fetch_all(&self.read)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(article_id, published_at, channel_id, author)| {
                        $crate::dashboard::PublishedRow {
                            article_id,
                            published_at,
                            channel_id,
                            author,
                        }
                    })
                    .collect())
            }

            async fn signoff_times(
                &self,
                from: i64,
                until: i64,
            ) -> $crate::Result<Vec<$crate::dashboard::SignoffTime>> {
                let rows = sqlx::query_as::<$db, (i64, String, Option<i64>, i64)>(
                    "SELECT s.article_id, a.title, \
                     (SELECT MAX(sub.at) FROM review_events sub WHERE sub.article_id = s.article_id \
                      AND sub.kind = 'submitted' AND sub.at <= s.at) AS submitted_at, s.at \
                     FROM review_events s JOIN articles a ON a.id = s.article_id \
                     WHERE s.kind = 'signed_off' AND s.at >= $1 AND s.at < $2 ORDER BY s.at",
                )
                .bind(from)
                .bind(until)
                .fetch_all(&self.read)
                .await?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(article_id, title, submitted_at, signed_off_at)| {
                        Some($crate::dashboard::SignoffTime {
                            article_id,
                            title,
                            submitted_at: submitted_at?,
                            signed_off_at,
                        })
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use impl_dashboard;
