//! View models: exactly what templates receive. The engine fills them from
//! the store; templates never see store types, so a theme cannot reach
//! data the page did not choose to show.

use serde::Serialize;

/// A labelled link.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// A channel in the masthead's channel bar.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub label: String,
    pub url: String,
    pub current: bool,
}

/// What every page shares: the site, its language and its chrome.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub name: String,
    /// Interface language code (`zh`, `en`): picks strings.
    pub lang: String,
    /// BCP 47 tag for `<html lang>`.
    pub html_lang: String,
    pub home_url: String,
    pub nav: Vec<NavItem>,
    /// Registration lines (ICP备案号, 新闻许可证 ...), shown in the footer.
    pub footer_lines: Vec<String>,
    pub css_url: String,
    pub js_url: String,
    /// The theme's mood icons (an SVG sprite: `#mood-NAME`).
    pub moods_url: String,
    /// The same page (or home) in the other interface language.
    pub other_lang: Link,
    pub ranking_url: String,
    pub stream_url: String,
    /// Where the header's search form goes (`/search`, `/en/search`).
    pub search_url: String,
    /// What the header's search box holds (the query, on results pages).
    pub query: String,
    /// The page's place outside the channels, for the navigation to show
    /// it: `home`, `ranking`, or empty.
    pub section: String,
}

/// An alternate-language version of the page, for `hreflang` links.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub url: String,
}

/// Head metadata: title, canonical link, share cards, structured data.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// Absolute URL.
    pub canonical: String,
    pub og_type: String,
    /// Absolute URL of the share-card image.
    pub og_image: Option<String>,
    /// What the share-card image shows, for those who cannot see it.
    pub og_image_alt: Option<String>,
    /// The page's language as Open Graph writes it (`zh_CN`, `en_US`).
    pub og_locale: String,
    /// The page's largest photo above the fold (an article's cover), by
    /// its stable address: preloaded, with its variants named.
    pub preload_image: Option<String>,
    pub alternates: Vec<Alternate>,
    /// NewsArticle JSON-LD, emitted with `tojson`.
    pub jsonld: Option<serde_json::Value>,
    /// Feeds of what the page lists, for `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
    /// Search engines should not index the page (search results).
    pub noindex: bool,
}

/// A feed a page announces.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub title: String,
    /// Absolute URL.
    pub url: String,
    /// `application/rss+xml`, `application/atom+xml`, `application/feed+json`.
    pub mime: String,
}

/// An image with the words it needs.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A moment as pages print it, and as `<time datetime>` reads it.
#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    pub text: String,
    pub iso: String,
}

/// An article (or topic) in a list: headline, teaser, time, optional picture.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub kicker: Option<String>,
    pub summary: String,
    pub time: Option<TimeView>,
    pub image: Option<Image>,
    pub channel: Option<Link>,
}

/// A person in a byline.
#[derive(Debug, Clone, Serialize)]
pub struct Byline {
    pub name: String,
    pub url: String,
    pub affiliation: Option<String>,
}

/// A translation of the article being read.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    pub hreflang: String,
    pub language: String,
    pub title: String,
    pub url: String,
}

/// The article itself, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: i64,
    pub title: String,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    pub summary: String,
    pub source: Option<String>,
    pub published: String,
    pub published_iso: String,
    /// Set when the article changed after publication (更新时间).
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub authors: Vec<Byline>,
    pub body_html: String,
    /// A photo gallery's photos (then `body_html` is its introduction);
    /// empty for a story.
    pub gallery: Vec<GalleryPhoto>,
    pub cover: Option<Image>,
    pub editors: Vec<Link>,
    pub coordinators: Vec<Link>,
    pub responsible_editor: Option<Link>,
    pub tags: Vec<Link>,
    pub translations: Vec<Translation>,
    pub topic: Option<Link>,
    /// Absolute URL, for the share panel.
    pub share_url: String,
    /// The public update log: every published change after the first
    /// publication (minor edits left out), corrections included.
    pub updates: Vec<UpdateView>,
}

/// One photo of a gallery (组图).
#[derive(Debug, Clone, Serialize)]
pub struct GalleryPhoto {
    /// The photo's stable address (`/media/ID.EXT`); the page names its
    /// variants when it is built.
    pub src: String,
    pub media_id: Option<i64>,
    pub alt: String,
    pub width: i64,
    pub height: i64,
    /// Body HTML (sanitised): the figure's caption.
    pub caption_html: String,
    /// The photographer, from the media library.
    pub credit: Option<String>,
}

/// One entry of an article's update log.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub date: String,
    pub iso: String,
    /// 更正: what was corrected.
    pub correction: Option<String>,
    /// The page comparing this version with the one before, if shown.
    pub changes_url: Option<String>,
}

/// What changed between two published versions of an article.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesPage {
    pub site: SiteView,
    pub meta: Meta,
    pub breadcrumb: Vec<Link>,
    pub article: Link,
    pub date: String,
    pub iso: String,
    pub correction: Option<String>,
    /// Fields that changed, each as runs of kept, removed and added text.
    pub fields: Vec<ChangedField>,
}

/// One field of [`ChangesPage`].
#[derive(Debug, Clone, Serialize)]
pub struct ChangedField {
    pub label: String,
    pub segments: Vec<ChangeSegment>,
}

/// A run of text: `same`, `gone` or `new`.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSegment {
    pub kind: &'static str,
    pub text: String,
}

/// One mood with its count on this article.
#[derive(Debug, Clone, Serialize)]
pub struct MoodCount {
    pub key: String,
    pub icon: String,
    pub label: String,
    pub count: i64,
}

/// An article in a ranking, with its score.
#[derive(Debug, Clone, Serialize)]
pub struct RankedItem {
    pub title: String,
    pub url: String,
    pub count: i64,
    /// The page being read: shown without a link (`aria-current="page"`).
    pub current: bool,
}

/// Top articles for one mood over one period.
#[derive(Debug, Clone, Serialize)]
pub struct MoodRanking {
    pub key: String,
    pub icon: String,
    pub label: String,
    pub items: Vec<RankedItem>,
}

/// The mood ranking for one period: `key` is `today`, `week` or `month`.
#[derive(Debug, Clone, Serialize)]
pub struct RankingPeriod {
    pub key: String,
    pub moods: Vec<MoodRanking>,
}

/// The most-read articles over one period (`today`, `week`, `month`).
#[derive(Debug, Clone, Serialize)]
pub struct ReadRanking {
    pub key: String,
    pub items: Vec<RankedItem>,
}

/// A recommendation slot's live entries.
#[derive(Debug, Clone, Serialize)]
pub struct SlotView {
    pub key: String,
    pub name: String,
    pub items: Vec<Card>,
}

/// A photo news item in the recommended stream.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoCard {
    pub image: Image,
    pub caption: String,
    pub url: Option<String>,
    pub time: String,
    pub datetime: String,
}

/// A page of the recommended stream and the links to the next one: a page
/// (without JavaScript) and a fragment (for "load more").
#[derive(Debug, Clone, Serialize)]
pub struct StreamView {
    pub items: Vec<PhotoCard>,
    pub next_url: Option<String>,
    pub more_url: Option<String>,
}

/// The blocks of the side column shared by most pages.
#[derive(Debug, Clone, Serialize)]
pub struct Sidebar {
    /// The week's mood ranking block (新闻表情排行).
    pub ranking: RankingPeriod,
    /// The week's most-read block (阅读排行).
    pub most_read: ReadRanking,
    pub visual_focus: Option<SlotView>,
    pub exclusive: Option<SlotView>,
}

/// The article page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlePage {
    pub site: SiteView,
    pub meta: Meta,
    pub breadcrumb: Vec<Link>,
    pub article: ArticleView,
    pub related: Vec<Card>,
    pub moods: Vec<MoodCount>,
    pub sidebar: Sidebar,
    pub stream: StreamView,
}

/// A channel's block on the home page.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub channel: Link,
    pub items: Vec<Card>,
}

/// The home page.
#[derive(Debug, Clone, Serialize)]
pub struct HomePage {
    pub site: SiteView,
    pub meta: Meta,
    /// The lead story (头条): the largest headline and image on the page.
    pub lead: Option<Card>,
    /// The row of top stories under it.
    pub top: Vec<Card>,
    /// The latest headlines, none of those above.
    pub latest: Vec<Card>,
    pub sections: Vec<Section>,
    pub topics: Vec<Card>,
    pub sidebar: Sidebar,
    pub stream: StreamView,
}

/// Channel, topic, tag and author pages: a heading over a list.
#[derive(Debug, Clone, Serialize)]
pub struct ListPage {
    pub site: SiteView,
    pub meta: Meta,
    pub kind: String,
    pub breadcrumb: Vec<Link>,
    pub heading: String,
    pub description: Option<String>,
    pub image: Option<Image>,
    pub subnav: Vec<Link>,
    /// A special topic's sections of hand-picked articles (first page only).
    pub sections: Vec<TopicSectionView>,
    pub items: Vec<Card>,
    pub next_url: Option<String>,
    pub sidebar: Sidebar,
}

/// One section of a special topic.
#[derive(Debug, Clone, Serialize)]
pub struct TopicSectionView {
    pub title: String,
    pub items: Vec<Card>,
}

/// The recommended stream on its own page (no-JS "load more").
#[derive(Debug, Clone, Serialize)]
pub struct StreamPage {
    pub site: SiteView,
    pub meta: Meta,
    pub breadcrumb: Vec<Link>,
    pub stream: StreamView,
}

/// The next items of the stream, as a fragment "load more" appends.
#[derive(Debug, Clone, Serialize)]
pub struct StreamFragment {
    pub site: SiteView,
    pub stream: StreamView,
}

/// Where a vote without JavaScript lands: fresh counts and the way back.
#[derive(Debug, Clone, Serialize)]
pub struct VotedPage {
    pub site: SiteView,
    pub meta: Meta,
    pub article: Link,
    /// The label of the mood voted for.
    pub chosen: Option<String>,
    /// False when this reader had already voted on the article today.
    pub counted: bool,
    pub moods: Vec<MoodCount>,
}

/// The mood ranking page: every period, every mood.
#[derive(Debug, Clone, Serialize)]
pub struct RankingPage {
    pub site: SiteView,
    pub meta: Meta,
    pub breadcrumb: Vec<Link>,
    /// Most read today, this week, this month.
    pub most_read: Vec<ReadRanking>,
    /// Mood rankings today, this week, this month.
    pub periods: Vec<RankingPeriod>,
}

/// 404 and 410 pages: say what happened and offer a way on. The words
/// come from the theme's strings, chosen by `status`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPage {
    pub site: SiteView,
    pub meta: Meta,
    pub status: u16,
    /// For a retracted article: its title and the retraction notice.
    pub retracted_title: Option<String>,
    pub retraction_note: Option<String>,
    pub suggestions: Vec<Card>,
}

/// One choice of a search filter's list.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The search page's filters, as the form shows them.
#[derive(Debug, Clone, Serialize)]
pub struct SearchFilters {
    pub channels: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub langs: Vec<Choice>,
    /// `YYYY-MM-DD` or empty.
    pub from: String,
    pub until: String,
    /// Some filter narrows the results (the filters start open).
    pub any: bool,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHitView {
    pub url: String,
    /// HTML: escaped text with the matches in `<mark>`.
    pub title_html: String,
    pub snippet_html: String,
    pub time: TimeView,
    pub channel: Option<Link>,
}

/// The search page: the form with the query and a page of results. Works
/// without JavaScript; never cached.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub site: SiteView,
    pub meta: Meta,
    pub breadcrumb: Vec<Link>,
    pub query: String,
    pub filters: SearchFilters,
    pub hits: Vec<SearchHitView>,
    pub total: usize,
    /// Whether something was asked (an empty query shows only the form).
    pub asked: bool,
    /// This is a later page of results.
    pub later_page: bool,
    pub next_url: Option<String>,
    /// The first page of the same search, on later pages.
    pub first_url: Option<String>,
}
