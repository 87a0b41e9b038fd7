//! The optional second factor: TOTP codes (RFC 6238: SHA-1, six digits,
//! 30-second steps, one step of clock skew either way), as every
//! authenticator app reads them, and one-time recovery codes.

use super::secrets;
use crate::EngineError;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// How many recovery codes an account gets.
pub const RECOVERY_CODES: usize = 10;

fn totp(secret: &[u8], issuer: &str, account: &str) -> Result<Totp, EngineError> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(Secret::new(secret.to_vec().into_boxed_slice()))
        // The otpauth label may not hold a colon.
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|e| EngineError::BadRequest(format!("second factor: {e}")))
}

/// A new secret: 160 random bits, as RFC 4226 recommends.
pub fn new_secret() -> Result<Vec<u8>, EngineError> {
    let mut bytes = vec![0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::BadRequest(format!("no randomness: {e}")))?;
    Ok(bytes)
}

/// The time step a code is right for at `now`, if it is right.
pub fn check(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "Gazette", "staff").ok()?;
    let time = u64::try_from(now).ok()?;
    totp.check(&code, time)
        .and_then(|step| i64::try_from(step).ok())
}

/// The code for `now` (tests and the set-up page's check).
pub fn code_at(secret: &[u8], now: i64) -> String {
    match totp(secret, "Gazette", "staff") {
        Ok(totp) => totp.generate(u64::try_from(now).unwrap_or(0)).to_string(),
        Err(_) => String::new(),
    }
}

/// What an authenticator app scans: the otpauth URL, and it as a QR code (SVG).
pub fn enrolment(
    secret: &[u8],
    issuer: &str,
    account: &str,
) -> Result<(String, String, String), EngineError> {
    let url = totp(secret, issuer, account)?
        .to_url()
        .map_err(|e| EngineError::BadRequest(format!("second factor: {e}")))?;
    let svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| EngineError::BadRequest(format!("QR code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let base32 = Secret::new(secret.to_vec().into_boxed_slice()).to_base32();
    Ok((url, svg, base32))
}

/// New recovery codes (`abcde-fghij`, 50 random bits each) and their hashes.
pub fn recovery_codes() -> Result<(Vec<String>, Vec<Vec<u8>>), EngineError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; 10];
        getrandom::fill(&mut bytes)
            .map_err(|e| EngineError::BadRequest(format!("no randomness: {e}")))?;
        let chars: String = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        codes.push(format!("{}-{}", &chars[..5], &chars[5..]));
    }
    let hashes = codes.iter().map(|c| recovery_hash(c)).collect();
    Ok((codes, hashes))
}

/// What the store keeps of a recovery code, however it was typed.
pub fn recovery_hash(code: &str) -> Vec<u8> {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    secrets::stored_hash(&normal)
}

/// Whether what was typed looks like a recovery code rather than a TOTP code.
pub fn looks_like_recovery_code(code: &str) -> bool {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).count() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_right_for_its_step_and_the_next_and_previous_only() {
        let secret = new_secret().expect("secret");
        let now = 1_795_138_200;
        let code = code_at(&secret, now);
        assert_eq!(code.len(), 6);
        assert_eq!(check(&secret, &code, now), Some(now / 30));
        assert!(
            check(&secret, &code, now + 30).is_some(),
            "one step of skew"
        );
        assert!(check(&secret, &code, now + 90).is_none());
        assert!(check(&secret, "12345", now).is_none());
        assert!(check(&secret, "abcdef", now).is_none());
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(check(&secret, &spaced, now).is_some());
    }

    #[test]
    fn recovery_codes_are_distinct_and_match_however_typed() {
        let (codes, hashes) = recovery_codes().expect("codes");
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::HashSet<_> = hashes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert!(looks_like_recovery_code(&codes[0]));
        assert_eq!(
            recovery_hash(&codes[0].to_uppercase().replace('-', " ")),
            hashes[0]
        );
    }

    #[test]
    fn the_enrolment_names_the_site_and_account() {
        let secret = new_secret().expect("secret");
        let (url, svg, base32) = enrolment(&secret, "公报新闻", "lin@example.org").expect("enrol");
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains(&base32), "{url}");
        assert!(svg.contains("<svg"));
    }
}
