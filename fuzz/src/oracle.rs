//! The contract, implemented slowly and plainly: strict JSON through serde_json, then the rules
//! on `serde_json::Value`. Independent of the crate but for the `url` parser they both use.

use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use url::{Host, Url};

/// The contract's private networks, written out again here.
const PRIVATE_V4: &[&str] = &[
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/4", "240.0.0.0/4",
];
const PRIVATE_V6_IN_GLOBAL: &[&str] = &["2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20"];
const PRIVATE_SUFFIXES: &[&str] = &["localhost", "local", "internal", "home.arpa", "localdomain", "corp", "home"];

fn nets(list: &[&str]) -> Vec<IpNet> {
    list.iter().filter_map(|n| n.parse().ok()).collect()
}

/// Whether `ip` is private by the contract (an oracle of `is_public_ip`).
pub fn ip_is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => nets(PRIVATE_V4).iter().any(|n| n.contains(&IpAddr::V4(v4))),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let carrier_mapped = bits >> 32 == 0xffff;
            let carrier_nat64 = bits >> 32 == 0x0064_ff9b_0000_0000_0000_0000;
            if carrier_mapped || carrier_nat64 {
                return ip_is_private(IpAddr::V4(std::net::Ipv4Addr::from(bits as u32)));
            }
            let global: IpNet = "2000::/3".parse().expect("literal");
            !global.contains(&ip) || nets(PRIVATE_V6_IN_GLOBAL).iter().any(|n| n.contains(&ip))
        }
    }
}

/// Whether a host name (no trailing dots) is private by the contract.
pub fn name_is_private(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !name.contains('.') || PRIVATE_SUFFIXES.iter().any(|s| name == *s || name.ends_with(&format!(".{s}")))
}

/// The judgement of a parsed https URL's host: `Err` if invalid, `Ok(private?)` otherwise.
pub fn host_verdict(url: &Url) -> Result<bool, ()> {
    match url.host().ok_or(())? {
        Host::Ipv4(ip) => Ok(ip_is_private(IpAddr::V4(ip))),
        Host::Ipv6(ip) => Ok(ip_is_private(IpAddr::V6(ip))),
        Host::Domain(name) => {
            let stripped = name.trim_end_matches('.');
            if stripped.is_empty() {
                return Err(());
            }
            if stripped == name {
                return Ok(name_is_private(name));
            }
            match Host::parse(stripped).map_err(|_| ())? {
                Host::Ipv4(ip) => Ok(ip_is_private(IpAddr::V4(ip))),
                Host::Ipv6(ip) => Ok(ip_is_private(IpAddr::V6(ip))),
                Host::Domain(name) => Ok(name_is_private(&name)),
            }
        }
    }
}

/// URL-likeness, as the contract words it.
pub fn url_like(text: &str) -> bool {
    let removed: String = text.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let trimmed = removed.trim_start_matches(|c: char| c <= ' ');
    let Some(colon) = trimmed.find(':') else { return false };
    let scheme = &trimmed[..colon];
    let valid_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid_scheme {
        return false;
    }
    let special = ["http", "https", "ftp", "file", "ws", "wss"].contains(&scheme.to_ascii_lowercase().as_str());
    special || trimmed[colon + 1..].starts_with("//")
}

/// A strictly parsed JSON value: serde_json's grammar, plus no duplicate keys.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(A::Error::custom("duplicate key"));
            }
            let value = map.next_value_seed(Strict)?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The body as the contract's JSON, or `None` if it is `invalid_json`. Bodies must not nest
/// deeper than a few hundred levels (the oracle recurses).
pub fn strict_json(body: &[u8]) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(body);
    de.disable_recursion_limit();
    let value = Strict.deserialize(&mut de).ok()?;
    de.end().ok()?;
    (depth(&value) <= 128).then_some(value)
}

const ORDER: &[&str] = &[
    "invalid_json", "missing_prompt", "invalid_prompt_type", "empty_workflow", "too_many_nodes", "missing_class_type",
    "missing_inputs", "invalid_url", "insecure_url", "webhook_must_be_https", "webhook_private_host",
];

fn rank(code: &str) -> usize {
    ORDER.iter().position(|c| *c == code).unwrap_or(usize::MAX)
}

fn strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(members) => members.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The contract's rule for hosts no network could use, written plainly: the host as written is
/// longer than 1,024 bytes, or one of its labels longer than 256.
pub fn host_too_long(text: &str) -> bool {
    let removed: String = text.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let prepared = removed.trim_matches(|c: char| c <= ' ');
    let Some(colon) = prepared.find(':') else { return false };
    let scheme = &prepared[..colon];
    let valid_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid_scheme {
        return false;
    }
    let rest = prepared[colon + 1..].trim_start_matches(['/', '\\']);
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or("");
    let mut host = authority.rsplit('@').next().unwrap_or("");
    if let Some(at) = host.rfind(':') {
        let outside = host[..at].rfind(']').map_or(!host[..at].contains('['), |close| {
            host[..at].rfind('[').is_none_or(|open| open < close)
        });
        if outside && host[at + 1..].bytes().all(|b| b.is_ascii_digit()) {
            host = &host[..at];
        }
    }
    host.len() > 1024 || host.split(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}']).any(|label| label.len() > 256)
}

/// The code for a URL: `invalid_url` if it does not parse or its host is unusable, else
/// `not_https` for another scheme and `private` for a private host.
fn url_code(text: &str, not_https: &'static str, private: &'static str) -> Option<&'static str> {
    if host_too_long(text) {
        return Some("invalid_url");
    }
    let Ok(url) = Url::parse(text) else { return Some("invalid_url") };
    if url.scheme() != "https" {
        return Some(not_https);
    }
    match host_verdict(&url) {
        Err(()) => Some("invalid_url"),
        Ok(true) => Some(private),
        Ok(false) => None,
    }
}

fn webhook_code(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::String(text) => url_code(text, "webhook_must_be_https", "webhook_private_host"),
        _ => Some("invalid_url"),
    }
}

/// The code the contract gives `body` under the default policy, or `"ok"`.
pub fn expected_code(body: &[u8]) -> &'static str {
    let Some(top) = strict_json(body) else { return "invalid_json" };
    let Some(top) = top.as_object() else { return "missing_prompt" };
    let prompt = match top.get("prompt") {
        None | Some(Value::Null) => return "missing_prompt",
        Some(Value::Object(prompt)) => prompt,
        Some(_) => return "invalid_prompt_type",
    };
    if prompt.is_empty() {
        return "empty_workflow";
    }
    if prompt.len() > 500 {
        return "too_many_nodes";
    }
    // Every problem in document order; the first of the best rank wins.
    let mut problems: Vec<&'static str> = Vec::new();
    for node in prompt.values() {
        let Some(node) = node.as_object() else {
            problems.push("missing_class_type");
            continue;
        };
        let class_ok = node.get("class_type").and_then(Value::as_str).is_some_and(|c| !c.chars().all(char::is_whitespace));
        if !class_ok {
            problems.push("missing_class_type");
        }
        match node.get("inputs") {
            Some(Value::Object(inputs)) => {
                let mut found = Vec::new();
                inputs.values().for_each(|v| strings(v, &mut found));
                problems.extend(found.into_iter().filter(|s| url_like(s)).filter_map(|s| url_code(s, "insecure_url", "insecure_url")));
            }
            _ => problems.push("missing_inputs"),
        }
    }
    if let Some(code) = top.get("webhook_url").and_then(webhook_code) {
        problems.push(code);
    }
    problems.into_iter().min_by_key(|code| rank(code)).unwrap_or("ok")
}
