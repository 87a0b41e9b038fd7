//! The article page: every element of the reference page.

use super::{ARTICLE_CACHE, Page};
use crate::newsroom::publishing::{PublicText, is_public};
use crate::{EngineError, Reply};
use gazette_core::{Article, ArticleStatus, Lang, Permalink, Person};
use gazette_render::view::{
    ArticlePage, ArticleView, Byline, ChangeSegment, ChangedField, ChangesPage, Link, MoodCount,
    Translation, UpdateView,
};

/// Articles shown under 相关阅读.
const RELATED: i64 = 6;
/// An edit this long after publication shows 更新时间.
const UPDATE_NOTICE_AFTER: i64 = 10 * 60;

pub(super) async fn build(page: &Page<'_>, id: i64) -> Result<Reply, EngineError> {
    let store = page.content;
    let ctx = &page.ctx;
    let article = store.article(id).await?;
    let visible = matches!(
        article.status,
        ArticleStatus::Published | ArticleStatus::Retracted
    ) && article.summary.published_at <= page.now;
    if !visible {
        return Err(gazette_store::StoreError::NotFound.into());
    }
    let canonical = Permalink::article(ctx.tree, &article.summary);
    if let Some(moved) = page.redirect_unless(&canonical, None) {
        return Ok(moved);
    }
    if article.status == ArticleStatus::Retracted {
        return super::extras::gone(page, &article).await;
    }
    render(page, &article, &canonical).await
}

/// A draft's page exactly as readers would get it, built afresh (never
/// cached): the newsroom's preview.
pub(crate) async fn preview(page: &Page<'_>, article: &Article) -> Result<Reply, EngineError> {
    let canonical = Permalink::article(page.ctx.tree, &article.summary);
    render(page, article, &canonical).await
}

async fn render(page: &Page<'_>, article: &Article, canonical: &str) -> Result<Reply, EngineError> {
    let store = page.content;
    let ctx = &page.ctx;
    let id = article.summary.id;
    // The interface speaks the article's language whatever the URL prefix said.
    let lang = article.summary.lang;
    let translations = match article.translation_group {
        Some(group) => store.translations(group, id, page.now).await?,
        None => Vec::new(),
    };
    // Computed lists (see `related/`); an article not ranked yet (added
    // since the last refresh) falls back to shared tags.
    let mut related = store.related(id, lang, page.now, RELATED).await?;
    if related.is_empty() {
        related = store.related_by_tags(id, lang, page.now, RELATED).await?;
    }
    let totals = page.counters.mood_totals(id).await?;
    let updates = page
        .updates
        .updates(id)
        .await?
        .iter()
        .filter(|u| is_public(u))
        .map(|u| UpdateView {
            date: ctx.config.zone.minute(u.at),
            iso: ctx.config.zone.rfc3339(u.at),
            correction: u.correction.clone(),
            changes_url: ctx
                .config
                .public_diff
                .then(|| Permalink::changes(lang, u.id)),
        })
        .collect();
    let topic = match article.topic_id {
        Some(topic_id) => store.topics().await?.into_iter().find(|t| t.id == topic_id),
        None => None,
    };

    let mut breadcrumb = ctx.trail(Some(article.summary.channel_id));
    let topic_link = topic.as_ref().map(|t| Link {
        label: t.title(lang).to_owned(),
        url: Permalink::topic(lang, &t.slug),
    });
    breadcrumb.extend(topic_link.clone());
    let other = translations
        .iter()
        .find(|t| t.lang != lang)
        .map(|t| Permalink::article(ctx.tree, t));
    let canonical = canonical.to_owned();
    let body_html = gazette_render::body::sanitize(&article.body);
    let (gallery, body_html) =
        match super::gallery::photos(page.engine.store.as_ref(), article, &body_html).await? {
            Some((photos, intro)) => (photos, intro),
            None => (Vec::new(), body_html),
        };
    let view = ArticlePage {
        site: ctx.site(Some(article.summary.channel_id), other.clone()),
        meta: meta(page, article, &canonical, other.as_deref()),
        breadcrumb,
        article: ArticleView {
            updates,
            gallery,
            body_html,
            ..article_view(page, article, &canonical, topic_link, &translations)
        },
        related: ctx.cards(&related),
        moods: ctx
            .config
            .moods
            .iter()
            .map(|mood| MoodCount {
                key: mood.key.clone(),
                icon: mood.icon.clone(),
                label: super::mood_label(mood, lang),
                count: totals
                    .iter()
                    .find(|(key, _)| key == &mood.key)
                    .map_or(0, |(_, n)| *n),
            })
            .collect(),
        sidebar: page
            .sidebar_without(std::slice::from_ref(&canonical), Some(&canonical))
            .await?,
        stream: page.stream_without(None, Some(id)).await?,
    };
    page.render(200, ARTICLE_CACHE, "article.html", &view).await
}

fn person_link(lang: Lang, person: &Person) -> Link {
    Link {
        label: person.name_in(lang).to_owned(),
        url: Permalink::author(lang, &person.slug),
    }
}

fn article_view(
    page: &Page<'_>,
    article: &Article,
    canonical: &str,
    topic: Option<Link>,
    translations: &[gazette_core::ArticleSummary],
) -> ArticleView {
    let ctx = &page.ctx;
    let lang = article.summary.lang;
    let published = ctx.time(article.summary.published_at);
    let updated = (article.updated_at > article.summary.published_at + UPDATE_NOTICE_AFTER)
        .then(|| ctx.time(article.updated_at));
    let credits = &article.credits;
    ArticleView {
        id: article.summary.id,
        title: article.summary.title.clone(),
        kicker: article.summary.kicker.clone(),
        subtitle: article.subtitle.clone(),
        summary: article.summary.summary.clone(),
        source: article.source.clone(),
        published: published.text,
        published_iso: published.iso,
        updated_iso: updated.as_ref().map(|t| t.iso.clone()),
        updated: updated.map(|t| t.text),
        authors: credits
            .authors
            .iter()
            .map(|p| Byline {
                name: p.name_in(lang).to_owned(),
                url: Permalink::author(lang, &p.slug),
                affiliation: p.affiliation_in(lang).map(str::to_owned),
            })
            .collect(),
        body_html: String::new(),
        gallery: Vec::new(),
        cover: article.summary.cover.as_ref().map(|c| ctx.image(c)),
        editors: credits
            .editors
            .iter()
            .map(|p| person_link(lang, p))
            .collect(),
        coordinators: credits
            .coordinators
            .iter()
            .map(|p| person_link(lang, p))
            .collect(),
        responsible_editor: credits.responsible_editor.as_ref().map(|s| Link {
            label: s.name_in(lang).to_owned(),
            url: s
                .slug
                .as_ref()
                .map(|slug| Permalink::author(lang, slug))
                .unwrap_or_default(),
        }),
        tags: article
            .tags
            .iter()
            .map(|t| Link {
                label: t.to_string(),
                url: Permalink::tag(lang, t),
            })
            .collect(),
        translations: translations
            .iter()
            .map(|t| Translation {
                hreflang: t.lang.bcp47().to_owned(),
                language: match t.lang {
                    Lang::Zh => "中文".into(),
                    Lang::En => "English".into(),
                },
                title: t.title.clone(),
                url: Permalink::article(ctx.tree, t),
            })
            .collect(),
        topic,
        share_url: ctx.absolute(canonical),
        updates: Vec::new(),
    }
}

/// What changed in one public update of a live article: its fields
/// before and after, compared (characters for Chinese, words for
/// English). Only while the article is live, the update public and the
/// site's `public_diff` setting on.
pub(super) async fn changes(page: &Page<'_>, update_id: i64) -> Result<Reply, EngineError> {
    let store = page.content;
    let ctx = &page.ctx;
    let update = page.updates.update(update_id).await?;
    let article = store.article(update.article_id).await?;
    let live =
        article.status == ArticleStatus::Published && article.summary.published_at <= page.now;
    if !ctx.config.public_diff || !is_public(&update) || !live {
        return Err(gazette_store::StoreError::NotFound.into());
    }
    let lang = article.summary.lang;
    let canonical = Permalink::changes(lang, update_id);
    if let Some(moved) = page.redirect_unless(&canonical, None) {
        return Ok(moved);
    }
    let before = PublicText::from_json(&update.before);
    let after = PublicText::from_json(&update.after);
    let labels = match lang {
        Lang::Zh => ["标题", "副题", "摘要", "正文"],
        Lang::En => ["Headline", "Subtitle", "Summary", "Text"],
    };
    let pairs = [
        (&before.title, &after.title),
        (&before.subtitle, &after.subtitle),
        (&before.summary, &after.summary),
        (&before.body, &after.body),
    ];
    let fields = labels
        .iter()
        .zip(pairs)
        .filter(|(_, (old, new))| old != new)
        .map(|(label, (old, new))| ChangedField {
            label: (*label).to_owned(),
            segments: crate::newsroom::diff::segments(old, new, lang)
                .into_iter()
                .map(|s| ChangeSegment {
                    kind: s.kind,
                    text: s.text,
                })
                .collect(),
        })
        .collect();
    let title = match lang {
        Lang::Zh => format!("改动：{}", article.summary.title),
        Lang::En => format!("What changed: {}", article.summary.title),
    };
    let article_url = Permalink::article(ctx.tree, &article.summary);
    let mut breadcrumb = ctx.trail(Some(article.summary.channel_id));
    breadcrumb.push(Link {
        label: article.summary.title.clone(),
        url: article_url.clone(),
    });
    let meta = ctx.meta(
        ctx.title(&title),
        article.summary.summary.clone(),
        &canonical,
        None,
    );
    let view = ChangesPage {
        site: ctx.site(Some(article.summary.channel_id), None),
        meta,
        breadcrumb,
        article: Link {
            label: article.summary.title.clone(),
            url: article_url,
        },
        date: ctx.config.zone.minute(update.at),
        iso: ctx.config.zone.rfc3339(update.at),
        correction: update.correction.clone(),
        fields,
    };
    page.render(200, super::ARTICLE_CACHE, "changes.html", &view)
        .await
}

fn meta(
    page: &Page<'_>,
    article: &Article,
    canonical: &str,
    other: Option<&str>,
) -> gazette_render::view::Meta {
    let ctx = &page.ctx;
    let summary = &article.summary;
    let mut meta = ctx.meta(
        ctx.title(&summary.title),
        summary.summary.clone(),
        canonical,
        other,
    );
    meta.og_type = "article".into();
    if let Some(cover) = &summary.cover {
        meta.og_image = Some(ctx.absolute(&Permalink::media(cover.media_id, &cover.extension)));
        meta.og_image_alt = Some(if cover.alt.trim().is_empty() {
            summary.title.clone()
        } else {
            cover.alt.clone()
        });
    }
    meta.preload_image = summary
        .cover
        .as_ref()
        .map(|c| Permalink::media(c.media_id, &c.extension));
    let person = |p: &Person| {
        serde_json::json!({"@type": "Person", "name": p.name_in(summary.lang),
            "affiliation": p.affiliation_in(summary.lang),
            "url": ctx.absolute(&Permalink::author(summary.lang, &p.slug))})
    };
    meta.jsonld = Some(serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": summary.title,
        "description": summary.summary,
        "inLanguage": summary.lang.bcp47(),
        "datePublished": ctx.config.zone.rfc3339(summary.published_at),
        "dateModified": ctx.config.zone.rfc3339(article.updated_at.max(summary.published_at)),
        "mainEntityOfPage": ctx.absolute(canonical),
        "image": meta.og_image.iter().collect::<Vec<_>>(),
        "author": article.credits.authors.iter().map(person).collect::<Vec<_>>(),
        "editor": article.credits.responsible_editor.as_ref().map(|s| {
            let mut editor = serde_json::json!({"@type": "Person", "name": s.name_in(summary.lang)});
            if let Some(slug) = &s.slug {
                editor["url"] = ctx.absolute(&Permalink::author(summary.lang, slug)).into();
            }
            editor
        }),
        "keywords": article.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        "articleSection": ctx.tree.get(summary.channel_id).map(|c| c.name(summary.lang)),
        "isAccessibleForFree": true,
        "publisher": {
            "@type": "Organization",
            "name": ctx.config.name(summary.lang),
            "url": ctx.absolute(&Permalink::home(summary.lang)),
            "logo": {
                "@type": "ImageObject",
                "url": ctx.absolute(crate::views::SITE_IMAGE),
                "width": 512,
                "height": 512,
            },
        },
    }));
    meta
}
