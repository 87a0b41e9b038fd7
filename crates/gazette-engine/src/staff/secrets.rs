//! The secrets staff carry: session cookies and single-use links. Each is
//! 256 random bits in hex; the store keeps only its BLAKE3 hash, so a copy
//! of the database signs nobody in and opens no link.

use crate::EngineError;

/// A new secret: 64 hex digits.
pub fn new_secret() -> Result<String, EngineError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::BadRequest(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

/// Whether `text` has the shape of a secret (checked before any lookup).
pub fn is_secret(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// What the store keeps of a secret.
pub fn stored_hash(secret: &str) -> Vec<u8> {
    blake3::hash(secret.as_bytes()).as_bytes().to_vec()
}

/// The form token of a session: derived from the session's secret, so it
/// needs no storage and no other site can know it.
pub fn form_token(session_secret: &str) -> String {
    hex(&blake3::derive_key("gazette staff form token v1", session_secret.as_bytes())[..16])
}

/// A short public handle for a session (the start of its stored hash in
/// hex), used to name it in lists and revocation forms.
pub fn handle(id_hash: &[u8]) -> String {
    hex(&id_hash[..id_hash.len().min(12)])
}

/// Compares without stopping at the first difference.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_only_their_hash_is_kept() {
        let a = new_secret().expect("secret");
        let b = new_secret().expect("secret");
        assert!(is_secret(&a) && is_secret(&b));
        assert_ne!(a, b);
        assert_ne!(stored_hash(&a), a.as_bytes());
        assert_eq!(stored_hash(&a), stored_hash(&a));
        assert!(!is_secret("../../etc/passwd"));
        assert!(!is_secret(&a.to_uppercase()));
    }

    #[test]
    fn form_tokens_belong_to_their_session() {
        let a = new_secret().expect("secret");
        let b = new_secret().expect("secret");
        assert_eq!(form_token(&a), form_token(&a));
        assert_ne!(form_token(&a), form_token(&b));
        assert!(same(&form_token(&a), &form_token(&a)));
        assert!(!same(&form_token(&a), &form_token(&b)));
        assert!(!same("abc", "abcd"));
    }
}
