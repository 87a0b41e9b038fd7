//! Who is asking, as far as vote de-duplication and rate limits need to
//! know: the client's network prefix. Taken from the socket, or from
//! `X-Forwarded-For` only when the socket's peer is a trusted proxy. Used
//! for a hash and a rate-limit bucket, never stored or logged.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The client's address: the peer, or, behind trusted proxies, the last
/// address in `X-Forwarded-For` that is not one of them.
pub fn address(
    peer: Option<SocketAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) if trusted.contains(&address) => continue,
            Ok(address) => return Some(address),
            // A malformed hop: stop believing the header there.
            Err(_) => break,
        }
    }
    Some(peer)
}

/// The network prefix of a request's client (see [`address`], [`prefix`]).
pub fn prefix_of(request: &axum::extract::Request, trusted: &[IpAddr]) -> String {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    prefix(address(peer, request.headers(), trusted))
}

/// An IPv4 address as it is; an IPv6 address cut to its /64, since one
/// household or phone holds a whole /64.
pub fn prefix(address: Option<IpAddr>) -> String {
    match address.map(|a| a.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().expect("ip");
        let peer = Some(SocketAddr::new(proxy, 4000));
        let stranger = Some(SocketAddr::new("192.0.2.7".parse().expect("ip"), 4000));
        let headers = forwarded("203.0.113.5, 10.0.0.1");
        assert_eq!(
            address(peer, &headers, &[proxy]),
            "203.0.113.5".parse().ok()
        );
        assert_eq!(
            address(stranger, &headers, &[proxy]),
            "192.0.2.7".parse().ok(),
            "untrusted peer"
        );
        assert_eq!(address(peer, &forwarded("nonsense"), &[proxy]), Some(proxy));
        assert_eq!(address(peer, &HeaderMap::new(), &[proxy]), Some(proxy));
    }

    #[test]
    fn ipv6_is_cut_to_its_64() {
        assert_eq!(
            prefix("2001:db8:1:2:3:4:5:6".parse().ok()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(prefix("::ffff:198.51.100.3".parse().ok()), "198.51.100.3");
        assert_eq!(prefix(None), "unknown");
    }
}
