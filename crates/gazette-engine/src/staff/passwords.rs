//! Password hashing: Argon2id with OWASP's parameters (19 MiB, two passes,
//! one lane), PHC strings in the store. Hashing is slow on purpose, so it
//! runs on the blocking pool, a bounded number at a time.

use crate::EngineError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// How costly each hash is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordCost {
    /// OWASP's recommendation for Argon2id: m = 19 MiB, t = 2, p = 1.
    #[default]
    Owasp,
    /// Minimal parameters, for tests that sign in many times.
    Cheap,
}

/// The shortest password accepted.
pub const MIN_LEN: usize = 10;
/// Longer input is refused before hashing: nobody types this much.
pub const MAX_LEN: usize = 256;

/// Why a new password is refused.
pub fn problem(password: &str, email: &str) -> Option<&'static str> {
    if password.chars().count() < MIN_LEN {
        Some("too_short")
    } else if password.len() > MAX_LEN {
        Some("too_long")
    } else if password.trim().eq_ignore_ascii_case(email) {
        Some("is_email")
    } else {
        None
    }
}

fn hasher(cost: PasswordCost) -> Result<Argon2<'static>, EngineError> {
    let params = match cost {
        PasswordCost::Owasp => Params::new(19 * 1024, 2, 1, None),
        PasswordCost::Cheap => Params::new(Params::MIN_M_COST.max(8), 1, 1, None),
    }
    .map_err(|e| EngineError::BadRequest(format!("password parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// A PHC string for `password` with a fresh salt.
pub fn hash(password: &str, cost: PasswordCost) -> Result<String, EngineError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Ok(hasher(cost)?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| EngineError::BadRequest(format!("hashing failed: {e}")))?
        .to_string())
}

/// Whether `password` matches the stored PHC string (by the parameters
/// recorded in it). A string that does not parse matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery", PasswordCost::Cheap).expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn the_owasp_cost_is_recorded_in_the_hash() {
        let stored = hash("correct horse battery", PasswordCost::Owasp).expect("hash");
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
        assert!(verify("correct horse battery", &stored));
    }

    #[test]
    fn weak_passwords_are_named() {
        assert_eq!(problem("short", "a@example.org"), Some("too_short"));
        assert_eq!(problem(&"x".repeat(300), "a@example.org"), Some("too_long"));
        assert_eq!(problem("A@Example.org", "a@example.org"), Some("is_email"));
        assert_eq!(problem("十个汉字的密码也可以用", "a@example.org"), None);
    }
}
