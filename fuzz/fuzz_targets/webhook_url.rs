//! Arbitrary webhook (and workflow) URLs: no panic, and whenever the crate accepts one, its
//! host is outside every blocked network and name, by tables written here.
#![no_main]

use std::net::IpAddr;

use cmfy_validate::{is_public_ip, validate};
use cmfy_validate_fuzz::oracle;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let body = serde_json::json!({"prompt": {"1": {"class_type": "A", "inputs": {}}}, "webhook_url": text}).to_string();
    match validate(body.as_bytes()) {
        Ok(workflow) => {
            let url = workflow.webhook_url().expect("a string webhook is kept");
            assert_eq!(url.scheme(), "https");
            assert_eq!(oracle::host_verdict(url), Ok(false), "accepted a private host: {url}");
        }
        Err(error) => assert_eq!(error.code(), oracle::expected_code(body.as_bytes()), "{text:?}"),
    }
    let body = serde_json::json!({"prompt": {"1": {"class_type": "A", "inputs": {"u": text}}}}).to_string();
    let actual = validate(body.as_bytes()).map_or_else(|e| e.code(), |_| "ok");
    assert_eq!(actual, oracle::expected_code(body.as_bytes()), "{text:?}");

    if let Ok(url) = url::Url::parse(text) {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if let Some(ip) = ip {
            assert_eq!(is_public_ip(ip), !oracle::ip_is_private(ip), "{ip}");
        }
    }
});
