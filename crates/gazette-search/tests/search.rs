//! The search engine against what readers and editors expect of it:
//! Chinese fragments, names, folding, ranking, filters, paging, the role
//! rules, and queries full of syntax.

use gazette_search::{Cursor, Document, Filters, Request, Scope, SearchIndex, segment};

const DAY: i64 = 86_400;
const NOW: i64 = 1_795_000_000;

fn doc(id: u64, lang: &str, title: &str, body: &str) -> Document {
    Document {
        id,
        lang: lang.into(),
        status: "published".into(),
        channel_id: 1,
        published_at: NOW - 400 * DAY,
        updated_at: NOW - 400 * DAY,
        slug: format!("story-{id}"),
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        ..Document::default()
    }
}

fn index_of(docs: &[Document]) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    for d in docs {
        index.put(d).expect("put");
    }
    index.commit(Some(1)).expect("commit");
    index
}

fn request(query: &str) -> Request {
    Request {
        query: query.to_owned(),
        scope: Scope::Public,
        filters: Filters::default(),
        after: None,
        per_page: 20,
        now: NOW,
    }
}

fn ids(index: &SearchIndex, query: &str) -> Vec<u64> {
    ids_for(index, &request(query))
}

fn ids_for(index: &SearchIndex, request: &Request) -> Vec<u64> {
    index
        .search(request)
        .expect("search")
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn newsroom() -> Vec<Document> {
    vec![
        doc(
            1,
            "zh",
            "构建网络空间命运共同体",
            "各方代表在乌镇讨论数字治理。",
        ),
        doc(
            2,
            "zh",
            "固态电池量产在即",
            "锂电池之后，固态电池的能量密度更高。",
        ),
        doc(
            3,
            "zh",
            "张小北获得青年科学家奖",
            "这位研究者专注于深海探测。",
        ),
        doc(
            4,
            "en",
            "Battery makers race to scale",
            "Batteries with solid electrolytes charge faster.",
        ),
        doc(
            5,
            "en",
            "GPU shortage eases",
            "Chip makers ship more accelerators.",
        ),
        doc(6, "zh", "台灣海峽航運繁忙", "貨輪往來不斷。"),
        doc(
            7,
            "zh",
            "航天员完成出舱活动",
            "他们在空间站外工作了六个小时。",
        ),
        doc(
            8,
            "zh",
            "学校举办开放日",
            "学生们下午参观了学校新建成的阅读空间。",
        ),
    ]
}

#[test]
fn any_run_of_two_chinese_characters_finds_its_article() {
    let index = index_of(&newsroom());
    assert_eq!(ids(&index, "网络空间"), [1]);
    assert_eq!(ids(&index, "络空"), [1]);
    assert_eq!(ids(&index, "命运共同体"), [1]);
    assert_eq!(ids(&index, "运共"), [1]);
    assert_eq!(ids(&index, "深海探测"), [3]);
    assert!(ids(&index, "网空").is_empty(), "pairs must stand together");
    // One character finds every article that has it.
    assert_eq!(ids(&index, "络"), [1]);
    let mut with_hai = ids(&index, "海");
    with_hai.sort();
    assert_eq!(with_hai, [3, 6]);
}

#[test]
fn names_the_segmenter_does_not_know_are_found() {
    let index = index_of(&newsroom());
    assert_eq!(ids(&index, "张小北"), [3]);
    assert_eq!(ids(&index, "小北"), [3]);
}

#[test]
fn whole_words_rank_above_fragments() {
    let index = index_of(&newsroom());
    // 空间 is a word in 8 (阅读空间) but part of 空间站 in 7; both in
    // the text only, as long and as old.
    let found = ids(&index, "空间");
    let place = |id| found.iter().position(|f| *f == id);
    assert!(place(8) < place(7), "{found:?}");
    assert!(found.contains(&7) && found.contains(&1), "{found:?}");
}

#[test]
fn english_is_case_and_plural_insensitive() {
    let index = index_of(&newsroom());
    assert_eq!(ids(&index, "batteries"), [4]);
    assert_eq!(ids(&index, "BATTERY"), [4]);
    assert_eq!(ids(&index, "battery makers"), [4]);
}

#[test]
fn widths_and_scripts_fold() {
    let index = index_of(&newsroom());
    assert_eq!(ids(&index, "ＧＰＵ"), [5]);
    assert_eq!(ids(&index, "gpu"), [5]);
    assert_eq!(ids(&index, "台湾海峡"), [6]);
    assert_eq!(ids(&index, "货轮"), [6]);
    assert_eq!(ids(&index, "貨輪"), [6]);
    assert_eq!(ids(&index, "固態電池"), [2]);
}

#[test]
fn mixed_queries_need_every_part() {
    let mut docs = newsroom();
    docs.push(doc(
        9,
        "zh",
        "国产GPU芯片发布",
        "新芯片支持Transformer模型。",
    ));
    let index = index_of(&docs);
    assert_eq!(ids(&index, "GPU芯片"), [9]);
    assert_eq!(ids(&index, "transformers 模型"), [9]);
}

#[test]
fn syntax_is_searched_as_text_and_never_fails() {
    let index = index_of(&newsroom());
    for query in [
        "\"",
        "(",
        ")",
        "title:",
        "title:battery",
        "AND",
        "battery AND",
        "*",
        "**",
        "\"\"\"",
        "battery)",
        "-",
        "~",
        "^2",
        "[",
        "{}",
        "\\",
        "\u{0}",
        "\u{FEFF}",
    ] {
        index.search(&request(query)).expect(query);
    }
    assert_eq!(
        ids(&index, "title:battery"),
        Vec::<u64>::new(),
        "title is a word, not a field"
    );
    assert_eq!(ids(&index, "(battery)*"), [4]);
    assert_eq!(ids(&index, "battery AND makers"), [4]);
    let huge = "电池 battery ".repeat(1_000);
    index.search(&request(&huge)).expect("10 KB");
    assert_eq!(ids(&index, "\"solid electrolytes\""), [4]);
    assert!(ids(&index, "\"electrolytes solid\"").is_empty());
}

#[test]
fn titles_outweigh_text_and_recent_outweighs_old() {
    let mut docs = vec![
        doc(1, "en", "Harbour news", "The harbour crane was repaired."),
        doc(2, "en", "Crane repaired", "Work at the harbour finished."),
    ];
    let index = index_of(&docs);
    assert_eq!(ids(&index, "crane"), [2, 1]);

    docs = vec![
        doc(1, "en", "Floods in the valley", "Rain continues."),
        doc(2, "en", "Floods in the valley", "Rain continues."),
    ];
    docs[1].published_at = NOW - DAY;
    let index = index_of(&docs);
    assert_eq!(ids(&index, "floods"), [2, 1]);
}

#[test]
fn filters_narrow_the_results() {
    let mut docs: Vec<Document> = (1..=6)
        .map(|id| {
            doc(
                id,
                if id % 2 == 0 { "en" } else { "zh" },
                "Harbour 港口",
                "港口 harbour",
            )
        })
        .collect();
    docs[0].channel_id = 7;
    docs[1].topic_id = Some(3);
    docs[2].published_at = NOW - 10 * DAY;
    let index = index_of(&docs);
    let mut filtered = request("harbour");
    filtered.filters.channels = vec![7, 8];
    assert_eq!(ids_for(&index, &filtered), [1]);
    filtered.filters = Filters {
        topic: Some(3),
        ..Filters::default()
    };
    assert_eq!(ids_for(&index, &filtered), [2]);
    filtered.filters = Filters {
        lang: Some("en".into()),
        ..Filters::default()
    };
    let mut english = ids_for(&index, &filtered);
    english.sort();
    assert_eq!(english, [2, 4, 6]);
    filtered.filters = Filters {
        from: Some(NOW - 11 * DAY),
        until: Some(NOW - 9 * DAY),
        ..Filters::default()
    };
    assert_eq!(ids_for(&index, &filtered), [3]);
}

#[test]
fn pages_follow_a_cursor_without_repeats_or_gaps() {
    let docs: Vec<Document> = (1..=47)
        .map(|id| {
            let mut d = doc(id, "zh", "港口吞吐量", &"港口".repeat(id as usize % 5 + 1));
            d.published_at = NOW - id as i64 * DAY;
            d
        })
        .collect();
    let index = index_of(&docs);
    let mut seen = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let mut page = request("港口");
        page.per_page = 10;
        page.after = after;
        let results = index.search(&page).expect("page");
        assert_eq!(results.total, 47);
        seen.extend(results.hits.iter().map(|h| h.id));
        pages += 1;
        match results.next {
            Some(next) => {
                let encoded = next.encode();
                after = Some(Cursor::decode(&encoded).expect("round trip"));
            }
            None => break,
        }
    }
    assert_eq!(pages, 5);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 47, "{seen:?}");
    assert_eq!(Cursor::decode("zzzz"), None);
    assert_eq!(Cursor::decode("7fc00000-1-0"), None, "NaN is no cursor");
    assert_eq!(Cursor::decode("3f800000-1"), None);
    assert_eq!(Cursor::decode("3f800000-1-2-3"), None);
}

/// Every hit of `query`, page after page of `per_page`, as (score, id).
fn all_pages(index: &SearchIndex, query: &str, per_page: usize) -> Vec<(f32, u64)> {
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let mut page = request(query);
        page.per_page = per_page;
        page.after = after;
        let results = index.search(&page).expect("page");
        seen.extend(results.hits.iter().map(|h| (h.score, h.id)));
        match results.next {
            Some(next) => after = Some(next),
            None => return seen,
        }
    }
}

#[test]
fn small_pages_and_large_ones_rank_alike() {
    // Counts and dates that pull against each other: an old article that
    // says it often, a new one that says it once, and everything between.
    let docs: Vec<Document> = (1..=240)
        .map(|id| {
            let times = (id * 7 % 11 + 1) as usize;
            let mut d = doc(id, "zh", "航运周报", &"港口吞吐量增长。".repeat(times));
            d.published_at = NOW - (id as i64 * 37 % 400) * DAY - id as i64;
            d
        })
        .collect();
    let index = index_of(&docs);
    let small = all_pages(&index, "港口", 3);
    let large = all_pages(&index, "港口", 50);
    assert_eq!(small.len(), 240);
    assert_eq!(small, large);
    assert!(
        small
            .windows(2)
            .all(|w| (w[0].0, w[0].1) > (w[1].0, w[1].1)),
        "{small:?}"
    );
}

#[test]
fn readers_find_only_published_articles_and_staff_follow_their_role() {
    let mut docs = newsroom();
    docs[0].status = "draft".into();
    docs[0].creator = Some(10);
    docs[1].status = "retracted".into();
    docs[2].status = "draft".into();
    docs[2].creator = Some(11);
    docs[2].authors = vec![20];
    let index = index_of(&docs);
    assert!(ids(&index, "网络空间").is_empty());
    assert!(ids(&index, "固态电池").is_empty());
    let mut staff = request("网络空间");
    staff.scope = Scope::Staff {
        status: None,
        only_for: None,
    };
    assert_eq!(ids_for(&index, &staff), [1]);
    staff.scope = Scope::Staff {
        status: None,
        only_for: Some((11, Some(21))),
    };
    assert!(ids_for(&index, &staff).is_empty(), "another author's draft");
    staff.scope = Scope::Staff {
        status: Some("draft".into()),
        only_for: Some((12, Some(20))),
    };
    staff.query = "张小北".into();
    assert_eq!(ids_for(&index, &staff), [3], "credited as an author");
}

#[test]
fn highlights_mark_the_matches_and_escape_the_rest() {
    let index = index_of(&[doc(
        1,
        "zh",
        "<script>网络空间</script>",
        "前文。构建网络空间命运共同体的倡议 & 行动。",
    )]);
    let hit = &index.search(&request("网络空间")).expect("search").hits[0];
    assert_eq!(
        hit.title_html,
        "&lt;script&gt;<mark>网络空间</mark>&lt;/script&gt;"
    );
    assert!(
        hit.snippet_html.contains("<mark>网络空间</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.contains("&amp;"), "{}", hit.snippet_html);
    // A quoted phrase whose lone character meets the edge of a longer run.
    let edges = index_of(&[
        doc(1, "zh", "标题一", "新用户在B站用户区留言。"),
        doc(2, "zh", "标题二", "今天你好 天气也好。"),
    ]);
    assert_eq!(ids(&edges, "\"B站\""), [1]);
    assert_eq!(ids(&edges, "\"好 天气\""), [2]);
    assert!(ids(&edges, "\"站用户区留\"").len() == 1);
    // A character found only in the text, quoted or not, is marked there.
    for query in ["倡", "\"倡\""] {
        let hit = &index.search(&request(query)).expect("search").hits[0];
        assert!(
            hit.snippet_html.contains("<mark>倡</mark>"),
            "{query}: {}",
            hit.snippet_html
        );
    }
}

#[test]
fn changes_apply_and_the_commit_remembers_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let index = SearchIndex::open_or_create(dir.path()).expect("open");
        assert_eq!(index.last_seq(), None);
        for d in newsroom() {
            index.put(&d).expect("put");
        }
        index.commit(Some(41)).expect("commit");
        assert_eq!(ids(&index, "络空"), [1]);
        let mut edited = newsroom().remove(0);
        edited.title = "数字治理论坛开幕".into();
        edited.body = "会场在乌镇。".into();
        index.put(&edited).expect("edit");
        index.remove(3);
        index.commit(Some(42)).expect("commit");
        assert!(ids(&index, "络空").is_empty());
        assert_eq!(ids(&index, "数字治理"), [1]);
        assert!(ids(&index, "张小北").is_empty());
    }
    let reopened = SearchIndex::open_or_create(dir.path()).expect("reopen");
    assert_eq!(reopened.last_seq(), Some(42));
    assert_eq!(reopened.len(), 7);
}

#[test]
fn the_newsroom_dictionary_makes_a_name_one_word() {
    let before: Vec<String> = gazette_search::tokens::word_tokens("欧阳星河教授发言")
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert!(!before.contains(&"欧阳星河".to_owned()), "{before:?}");
    segment::add_words(["欧阳星河"]);
    let after: Vec<String> = gazette_search::tokens::word_tokens("欧阳星河教授发言")
        .into_iter()
        .map(|t| t.text)
        .collect();
    assert!(after.contains(&"欧阳星河".to_owned()), "{after:?}");
}

#[test]
fn source_authors_and_tags_are_searched_but_not_quoted() {
    let mut story = doc(1, "zh", "月球样品研究取得新进展", "研究团队公布了新数据。");
    story.source = Some("新华社".into());
    story.author_names = vec!["林青云".into(), "Lin Qingyun".into()];
    story.tags = vec!["行星科学".into()];
    let index = index_of(&[story]);
    for query in ["新华社", "林青云", "lin qingyun", "行星科学"] {
        assert_eq!(ids(&index, query), [1], "{query}");
    }
    let hit = &index.search(&request("林青云")).expect("search").hits[0];
    assert_eq!(hit.snippet_html, "研究团队公布了新数据。");
}

#[test]
fn a_match_where_a_snippet_is_cut_is_marked_whole() {
    // 78 characters, then the match: its pair ends exactly where the first
    // 240-byte fragment must end.
    let body = format!("{}研究{}", "一".repeat(78), "二".repeat(100));
    let index = index_of(&[doc(1, "zh", "标题", &body)]);
    let results = index.search(&request("研究")).expect("search");
    assert!(
        results.hits[0].snippet_html.contains("<mark>研究</mark>"),
        "{}",
        results.hits[0].snippet_html
    );
}

#[test]
fn a_title_outranks_a_newer_mention_in_passing() {
    let mut about = doc(1, "zh", "量子通信干线全线贯通", "这条干线连接三座城市。");
    about.published_at = NOW - 20 * DAY;
    let mut passing = doc(
        2,
        "zh",
        "城市交通年度报告发布",
        "报告提到量子通信在交通调度中的试点。",
    );
    passing.published_at = NOW - DAY;
    let index = index_of(&[about, passing]);
    assert_eq!(ids(&index, "量子通信"), [1, 2]);
}
