//! Vote tokens the server signs. A token is 128 random bits and a MAC of
//! them under a secret kept in the store (one for every node), so a token
//! the server did not issue is no token at all: a script cannot mint
//! identities by making up cookies. The token still names nobody: it is
//! random, and the server keeps no list of the tokens it handed out.

use gazette_store::{Store, StoreError};

/// The store's name for the signing secret.
const SECRET_NAME: &str = "vote-token-mac";
/// Hex digits of the random part and of the MAC.
const PART: usize = 32;

/// Issues and checks vote tokens under the site's secret.
#[derive(Clone)]
pub struct VoteTokens {
    key: [u8; 32],
}

impl std::fmt::Debug for VoteTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VoteTokens(..)")
    }
}

impl VoteTokens {
    /// The site's tokens: the secret is read from the store, or created
    /// there by the first node that asks.
    pub async fn load(store: &dyn Store) -> Result<Self, StoreError> {
        let mut candidate = [0u8; 32];
        getrandom::fill(&mut candidate)
            .map_err(|e| StoreError::Config(format!("no randomness: {e}")))?;
        let stored = store.site_secret(SECRET_NAME, &candidate).await?;
        let key = stored
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Corrupt("the vote token secret is not 32 bytes".into()))?;
        Ok(VoteTokens { key })
    }

    #[cfg(test)]
    pub(crate) fn with_key(key: [u8; 32]) -> Self {
        VoteTokens { key }
    }

    /// A new token: 32 hex digits of randomness, then 32 of its MAC.
    pub fn issue(&self) -> Result<String, StoreError> {
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce)
            .map_err(|e| StoreError::Config(format!("no randomness: {e}")))?;
        let nonce = hex(&nonce);
        let mac = self.mac(&nonce);
        Ok(format!("{nonce}{mac}"))
    }

    /// Whether this server (or another node of the site) issued `token`.
    pub fn verify(&self, token: &str) -> bool {
        if token.len() != 2 * PART || !token.bytes().all(is_lower_hex) {
            return false;
        }
        let (nonce, mac) = token.split_at(PART);
        // Compared as 32-byte hashes: constant time.
        blake3::hash(self.mac(nonce).as_bytes()) == blake3::hash(mac.as_bytes())
    }

    fn mac(&self, nonce: &str) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&self.key);
        hasher.update(b"gazette vote token\0");
        hasher.update(nonce.as_bytes());
        hex(&hasher.finalize().as_bytes()[..PART / 2])
    }
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_tokens_verify() {
        let tokens = VoteTokens::with_key([7; 32]);
        let token = tokens.issue().expect("random");
        assert_eq!(token.len(), 64);
        assert!(tokens.verify(&token));
        assert_ne!(token, tokens.issue().expect("random"));
        assert!(
            !VoteTokens::with_key([8; 32]).verify(&token),
            "another site's key"
        );
        let mut forged = token.clone();
        forged.replace_range(63.., if token.ends_with('0') { "1" } else { "0" });
        for bad in [
            "",
            "abc",
            "0123456789abcdef0123456789abcdef",
            &"a".repeat(64),
            &token.to_uppercase(),
            &forged,
            &format!("{token}0"),
            &"é".repeat(32),
        ] {
            assert!(!tokens.verify(bad), "{bad}");
        }
    }
}
