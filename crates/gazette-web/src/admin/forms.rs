//! Forms that carry a list of repeated groups of fields (`entry_3_id`,
//! `entry_3_starts`; `section_1_title_zh`), read in the order the fields
//! stand: with the page's script moving groups around, the order in the
//! form is the order the editor meant, and the numbers only tie a group's
//! fields together.

use super::guard::Halt;
use crate::WebError;
use axum::response::IntoResponse;
use std::collections::HashMap;

/// The most groups a form may carry (a slot keeps 20 entries, a topic 12
/// sections): past it, the form is refused before more work.
const MAX_GROUPS: usize = 100;

/// A form's plain fields, and its groups in order (each its fields by name).
#[derive(Debug, Default)]
pub struct GroupedForm {
    pub fields: Vec<(String, String)>,
    pub groups: Vec<Vec<(String, String)>>,
}

impl GroupedForm {
    /// A plain field's value, empty when absent.
    pub fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// A field of a group, empty when absent.
pub fn group_field(group: &[(String, String)], name: &str) -> String {
    group
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Reads `application/x-www-form-urlencoded`; groups are the fields named
/// `PREFIX_N_FIELD`.
pub fn read_grouped(body: &[u8], prefix: &str) -> Result<GroupedForm, Halt> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| {
        Halt::from(WebError::BadRequest(format!("the form could not be read: {e}")).into_response())
    })?;
    let mut form = GroupedForm::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let lead = format!("{prefix}_");
    for (name, value) in pairs {
        let grouped = name
            .strip_prefix(&lead)
            .and_then(|rest| rest.split_once('_'))
            .map(|(group, field)| (group.to_owned(), field.to_owned()));
        match grouped {
            Some((group, field)) => {
                let at = match index.get(&group) {
                    Some(at) => *at,
                    None => {
                        if form.groups.len() == MAX_GROUPS {
                            return Err(Halt::from(
                                WebError::BadRequest(format!(
                                    "the form has more than {MAX_GROUPS} entries"
                                ))
                                .into_response(),
                            ));
                        }
                        index.insert(group, form.groups.len());
                        form.groups.push(Vec::new());
                        form.groups.len() - 1
                    }
                };
                form.groups[at].push((field, value));
            }
            None => form.fields.push((name, value)),
        }
    }
    Ok(form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_order_they_stand_in() {
        let form = read_grouped(
            b"form_token=t&entry_7_id=3&entry_2_id=1&entry_7_starts=x&q=a%20b",
            "entry",
        )
        .map_err(|_| "read")
        .expect("reads");
        assert_eq!(form.field("q"), "a b");
        assert_eq!(form.groups.len(), 2);
        assert_eq!(group_field(&form.groups[0], "id"), "3");
        assert_eq!(group_field(&form.groups[0], "starts"), "x");
        assert_eq!(group_field(&form.groups[1], "id"), "1");
    }
}
