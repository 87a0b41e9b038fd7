//! Review and sign-off: the buttons of an article's review panel (submit,
//! approve, sign off, reject with a comment) and the admins' page
//! of each channel's review levels. The newsroom service checks every rule
//! (role, channel settings, own articles, the revision the page showed);
//! these handlers only translate.

use super::account::context;
use super::guard::{Halt, Visit, engine_error, see_other};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gazette_core::Role;
use gazette_engine::newsroom::review::{LevelRule, MAX_LEVELS, ReviewPanel, StepKind};
use minijinja::{Value, context};
use serde::Deserialize;
use std::sync::Arc;

/// A review button's form: its token, the revision the page showed and,
/// for a rejection, the comment.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    pub(super) form_token: String,
    #[serde(default)]
    base: String,
    #[serde(default)]
    pub(super) comment: String,
}

impl StepForm {
    pub(super) fn base(&self) -> Option<i64> {
        self.base.trim().parse().ok()
    }
}

pub async fn submit(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .submit(&visit.actor(), id, form.base())
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/articles/{id}?done=submitted")))
}

pub async fn approve(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    let approved = state
        .engine
        .newsroom()
        .approve(&visit.actor(), id, form.base(), None)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!(
        "/admin/articles/{id}?done={}",
        done_of(&approved)
    )))
}

/// The notice after an approval.
pub(super) fn done_of(approved: &gazette_engine::newsroom::review::Approved) -> &'static str {
    match approved {
        gazette_engine::newsroom::review::Approved::Done { signed_off: true } => "signed_off",
        _ => "approved",
    }
}

pub async fn reject(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, Halt> {
    visit.check_form(&state, &form.form_token)?;
    state
        .engine
        .newsroom()
        .reject(&visit.actor(), id, form.base(), &form.comment)
        .await
        .map_err(engine_error)?;
    Ok(see_other(&format!("/admin/articles/{id}?done=rejected")))
}

/// The review panel as the article page shows it.
pub(super) fn panel_view(state: &AppState, lang: &str, panel: &ReviewPanel) -> Value {
    let zone = &state.engine.config().zone;
    let word = |key: &str| state.admin.word(lang, key);
    let levels: Vec<Value> = panel
        .levels
        .iter()
        .map(|l| {
            context! {
                level => l.rule.level,
                name => word(&format!("level_{}_of_{}", l.rule.level, panel.levels.len())),
                who => who_does(lang, &l.rule, &l.member_names),
                passed_by => l.passed_by.clone(),
                waiting => panel.next_level == Some(l.rule.level),
            }
        })
        .collect();
    let steps: Vec<Value> = panel
        .steps
        .iter()
        .map(|s| {
            context! {
                kind => s.kind.as_str(),
                what => word(&format!("step_{}", s.kind.as_str())),
                level => s.level.filter(|_| matches!(s.kind, StepKind::Approved | StepKind::SignedOff | StepKind::Rejected)),
                by => s.name_zh.clone(),
                at => zone.minute(s.at),
                comment => s.comment.clone(),
                revision => s.revision_id,
            }
        })
        .collect();
    context! {
        state => panel.state.as_str(),
        state_label => word(&format!("review_{}", panel.state.as_str())),
        levels,
        steps,
        may_submit => panel.may_submit,
        may_review => panel.may_review,
        signs_off => panel.signs_off,
        may_publish => panel.may_publish,
        why_not => panel.why_not.map(|w| word(&format!("why_not_{w}"))),
        next_level => panel.next_level,
    }
}

/// "Editors" or the named members of a level.
fn who_does(lang: &str, rule: &LevelRule, names: &[String]) -> String {
    if rule.members.is_empty() {
        rule.role
            .label(gazette_core::Lang::parse(lang).unwrap_or(gazette_core::Lang::Zh))
            .to_owned()
    } else {
        names.join("、")
    }
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    done: Option<String>,
}

/// Every channel's review levels, for admins.
pub async fn settings(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Query(notice): Query<Notice>,
) -> Result<Response, Halt> {
    visit.signed_in()?;
    let notice = notice
        .done
        .as_deref()
        .filter(|d| *d == "saved")
        .map(|_| "review_saved");
    settings_page(&state, &visit, notice, StatusCode::OK).await
}

async fn settings_page(
    state: &AppState,
    visit: &Visit,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, Halt> {
    let lang = visit.lang.code();
    let newsroom = state.engine.newsroom();
    let settings = newsroom
        .review_settings(&visit.actor())
        .await
        .map_err(engine_error)?;
    let staff = newsroom
        .reviewers(&visit.actor())
        .await
        .map_err(engine_error)?;
    let name_of = |id: i64| {
        staff
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| format!("#{id}"), |a| a.name_zh.clone())
    };
    let channels: Vec<Value> = settings
        .iter()
        .map(|c| {
            let rows: Vec<Value> = (1..=MAX_LEVELS)
                .map(|n| {
                    let own = c.own.iter().find(|r| r.level == n);
                    context! {
                        level => n,
                        role => own.map(|r| r.role.as_str()).unwrap_or(""),
                        members => own.map(|r| r.members.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            context! {
                id => c.channel.id,
                name => c.channel.name(visit.lang),
                child => c.channel.parent_id.is_some(),
                own_levels => c.own.len(),
                rows,
                effective => c.effective.iter().map(|r| {
                    let names: Vec<String> = r.members.iter().map(|m| name_of(*m)).collect();
                    who_does(lang, r, &names)
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let staff: Vec<Value> = staff
        .iter()
        .map(|a| context! { id => a.id, name => a.name_zh.clone(), role => a.role.as_str() })
        .collect();
    Ok(state.admin.page(
        status,
        "review.html",
        context(
            state,
            visit,
            "review",
            notice,
            None,
            context! { channels, staff, max_levels => MAX_LEVELS },
        ),
    ))
}

/// Saves one channel's levels: `levels` (0 = as its parent) and, for each
/// level n, `role_n` and any number of `member_n`.
pub async fn save_settings(
    State(state): State<Arc<AppState>>,
    visit: Visit,
    Path(channel): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Halt> {
    let token = pairs
        .iter()
        .find(|(k, _)| k == "form_token")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    visit.check_form(&state, token)?;
    let levels = parse_levels(&pairs)
        .map_err(|message| Halt::from(WebError::BadRequest(message).into_response()))?;
    state
        .engine
        .newsroom()
        .set_review_levels(&visit.actor(), channel, &levels)
        .await
        .map_err(engine_error)?;
    Ok(see_other("/admin/review?done=saved"))
}

fn parse_levels(pairs: &[(String, String)]) -> Result<Vec<LevelRule>, String> {
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim());
    let count: i64 = value("levels")
        .unwrap_or("0")
        .parse()
        .map_err(|_| "the number of levels must be 0 (as the parent), 1, 2 or 3".to_owned())?;
    if !(0..=MAX_LEVELS).contains(&count) {
        return Err("the number of levels must be 0 (as the parent), 1, 2 or 3".into());
    }
    (1..=count)
        .map(|n| {
            let role = match value(&format!("role_{n}")) {
                Some(text) if !text.is_empty() => {
                    Role::parse(text).map_err(|_| format!("level {n}: unknown role {text:?}"))?
                }
                _ if n == count => Role::ResponsibleEditor,
                _ => Role::Editor,
            };
            let key = format!("member_{n}");
            let members = pairs
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v.trim().parse::<i64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| format!("level {n}: a member is not an account number"))?;
            Ok(LevelRule {
                level: n,
                role,
                members,
            })
        })
        .collect()
}
