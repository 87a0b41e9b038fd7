//! The newsroom's accounts: roles and sign-in addresses. What each role may
//! do is decided by the engine's permission table; here are only the names.

use crate::ParseError;
use serde::{Deserialize, Serialize};

/// A staff member's role. Each grants what the roles before it grant,
/// except that only admins manage accounts and settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 记者/作者: writes and submits; sees own and co-authored drafts.
    Author,
    /// 编辑: edits anyone's drafts, approves the review levels given to them.
    Editor,
    /// 责任编辑: signs off (the last review level).
    ResponsibleEditor,
    /// 管理员: accounts, roles, review settings.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Author,
        Role::Editor,
        Role::ResponsibleEditor,
        Role::Admin,
    ];

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        match text {
            "author" => Ok(Role::Author),
            "editor" => Ok(Role::Editor),
            "responsible-editor" => Ok(Role::ResponsibleEditor),
            "admin" => Ok(Role::Admin),
            other => Err(ParseError::Role(other.to_owned())),
        }
    }

    /// The name stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Editor => "editor",
            Role::ResponsibleEditor => "responsible-editor",
            Role::Admin => "admin",
        }
    }

    /// The name staff read, in the interface's language.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang::{En, Zh};
        match (self, lang) {
            (Role::Author, Zh) => "记者",
            (Role::Author, En) => "Author",
            (Role::Editor, Zh) => "编辑",
            (Role::Editor, En) => "Editor",
            (Role::ResponsibleEditor, Zh) => "责任编辑",
            (Role::ResponsibleEditor, En) => "Responsible editor",
            (Role::Admin, Zh) => "管理员",
            (Role::Admin, En) => "Admin",
        }
    }
}

/// A sign-in address, trimmed and lower-cased: one account per address
/// whatever its spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    /// Longest address accepted (RFC 5321's path limit).
    pub const MAX_LEN: usize = 254;

    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let email = text.trim().to_lowercase();
        let valid = email.len() <= Self::MAX_LEN
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && email.matches('@').count() == 1
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>\"'(),;:\\[]".contains(c));
        if valid {
            Ok(Email(email))
        } else {
            Err(ParseError::Email(text.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_by_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).expect("role"), role);
        }
        assert!(Role::parse("root").is_err());
        assert!(Role::parse("Admin").is_err());
    }

    #[test]
    fn addresses_are_kept_in_one_spelling() {
        let email = Email::parse("  Lin.QingYun@Example.ORG ").expect("address");
        assert_eq!(email.as_str(), "lin.qingyun@example.org");
    }

    #[test]
    fn odd_addresses_are_refused() {
        for bad in [
            "",
            "no-at-sign",
            "@example.org",
            "a@b",
            "a@.org",
            "a@@example.org",
            "a b@example.org",
            "a@example.org\n",
            "<script>@example.org",
            "a\u{0}@example.org",
        ] {
            assert!(Email::parse(bad).is_err() || bad.trim() != bad, "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(250))).is_err());
    }
}
