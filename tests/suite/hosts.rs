//! The host rules: every block at its edges, every spelling the WHATWG parser folds into a
//! private address, and property tests against an oracle written here from the contract.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cmfy_validate::{is_public_ip, validate};
use proptest::prelude::*;

/// The contract's IPv4 list, as written there.
const IPV4_PRIVATE: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
];
/// Inside 2000::/3 but still private.
const IPV6_PRIVATE_IN_GLOBAL: &[&str] = &["2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20"];

fn v4_range(cidr: &str) -> (u32, u32) {
    let (addr, len) = cidr.split_once('/').unwrap();
    let base = u32::from(addr.parse::<Ipv4Addr>().unwrap());
    let len: u32 = len.parse().unwrap();
    let size = if len == 0 {
        u32::MAX
    } else {
        (1u32 << (32 - len)) - 1
    };
    (base, base + size)
}

fn v6_range(cidr: &str) -> (u128, u128) {
    let (addr, len) = cidr.split_once('/').unwrap();
    let base = u128::from(addr.parse::<Ipv6Addr>().unwrap());
    let len: u32 = len.parse().unwrap();
    (base, base + ((1u128 << (128 - len)) - 1))
}

fn oracle_v4_public(ip: u32) -> bool {
    !IPV4_PRIVATE
        .iter()
        .map(|c| v4_range(c))
        .any(|(lo, hi)| (lo..=hi).contains(&ip))
}

fn oracle_v6_public(ip: u128) -> bool {
    let carried = ip as u32;
    if ip >> 32 == 0xffff || ip >> 32 == 0x0064_ff9b_0000_0000_0000_0000 {
        return oracle_v4_public(carried);
    }
    let global = ip >> 125 == 1;
    global
        && !IPV6_PRIVATE_IN_GLOBAL
            .iter()
            .map(|c| v6_range(c))
            .any(|(lo, hi)| (lo..=hi).contains(&ip))
}

fn v4(ip: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(ip))
}

/// The code for a request whose webhook is `url`.
fn webhook(url: &str) -> &'static str {
    let body =
        serde_json::json!({"prompt": {"1": {"class_type": "A", "inputs": {}}}, "webhook_url": url})
            .to_string();
    validate(body.as_bytes()).map_or_else(|e| e.code(), |_| "ok")
}

/// The code for a request with `url` as a workflow input.
fn workflow(url: &str) -> &'static str {
    let body =
        serde_json::json!({"prompt": {"1": {"class_type": "A", "inputs": {"u": url}}}}).to_string();
    validate(body.as_bytes()).map_or_else(|e| e.code(), |_| "ok")
}

/// Each URL gives `as_webhook` as the webhook and `as_input` as a workflow input.
#[track_caller]
fn assert_codes(urls: &[&str], as_webhook: &str, as_input: &str) {
    for url in urls {
        assert_eq!(webhook(url), as_webhook, "webhook {url}");
        assert_eq!(workflow(url), as_input, "workflow {url}");
    }
}

#[test]
fn every_ipv4_block_at_its_edges() {
    for cidr in IPV4_PRIVATE {
        let (lo, hi) = v4_range(cidr);
        for ip in [lo, lo + (hi - lo) / 2, hi] {
            assert!(!is_public_ip(v4(ip)), "{} in {cidr}", Ipv4Addr::from(ip));
            assert_eq!(
                webhook(&format!("https://{}/", Ipv4Addr::from(ip))),
                "webhook_private_host"
            );
        }
        for outside in [lo.checked_sub(1), hi.checked_add(1)].into_iter().flatten() {
            assert_eq!(
                is_public_ip(v4(outside)),
                oracle_v4_public(outside),
                "{} next to {cidr}",
                Ipv4Addr::from(outside)
            );
        }
    }
    // Neighbours that are public, named so a wrong table cannot hide behind the oracle.
    for public in [
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.167.255.255",
        "192.169.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "223.255.255.255",
        "1.1.1.1",
        "8.8.8.8",
    ] {
        assert!(is_public_ip(public.parse().unwrap()), "{public}");
        assert_eq!(webhook(&format!("https://{public}/")), "ok", "{public}");
    }
}

#[test]
fn ipv6_rules_at_their_edges() {
    for cidr in IPV6_PRIVATE_IN_GLOBAL.iter().chain(&[
        "::/128",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
        "ff00::/8",
        "4000::/2",
    ]) {
        let (lo, hi) = v6_range(cidr);
        for ip in [lo, lo + (hi - lo) / 2, hi] {
            assert!(
                !is_public_ip(IpAddr::V6(Ipv6Addr::from(ip))),
                "{} in {cidr}",
                Ipv6Addr::from(ip)
            );
        }
    }
    for public in [
        "2000::",
        "2001:200::",
        "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db9::",
        "2003::",
        "3ffe:ffff::",
        "3fff:1000::",
        "2606:4700::1111",
        "2a00:1450:4001::200e",
    ] {
        let ip: Ipv6Addr = public.parse().unwrap();
        assert!(is_public_ip(IpAddr::V6(ip)), "{public}");
        assert_eq!(webhook(&format!("https://[{public}]/")), "ok", "{public}");
    }
    for (carrier, expected) in [
        ("::ffff:8.8.8.8", true),
        ("::ffff:127.0.0.1", false),
        ("64:ff9b::1.1.1.1", true),
        ("64:ff9b::10.0.0.1", false),
        ("64:ff9b:1::8.8.8.8", false),
        ("::8.8.8.8", false),
    ] {
        assert_eq!(
            is_public_ip(carrier.parse().unwrap()),
            expected,
            "{carrier}"
        );
    }
}

#[test]
fn every_spelling_of_a_private_address() {
    assert_codes(
        &[
            "https://2130706433/",
            "https://0x7f000001/",
            "https://017700000001/",
            "https://0177.0.0.1/",
            "https://0x7f.1/",
            "https://127.1/",
            "https://127.0.1/",
            "https://0x7F.0.0.0x1/",
            "https://127.0x0.00.1/",
            "https://0/",
            "https://4294967295/",
            "https://１２７.０.０.１/",
            "https://２１３０７０６４３３/",
            "https://①②⑦.0.0.1/",
            "https://127。0。0。1/",
            "https://127．0．0．1/",
            "https://%31%32%37.0.0.1/",
            "https://127.0.0.1./",
            "https://127.0.0.1../",
            "https://127.0.0.1.../",
            "https://localhost./",
            "https://localhost../",
            "https://LOCALHOST/",
            "https://ｌｏｃａｌｈｏｓｔ/",
            "https://a@127.0.0.1/",
            "https://a:b@169.254.169.254:443/",
            "https:\\\\127.0.0.1\\x",
            "https:127.0.0.1",
            "https:/127.0.0.1",
            "https:///127.0.0.1",
            " https://127.0.0.1 ",
            "https://127.0.0.1:8443/?q#f",
            "https://[::1]/",
            "https://[::]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[0:0:0:0:0:ffff:7f00:1]/",
            "https://[::127.0.0.1]/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://[2002:7f00:1::]/",
            "https://[2001:0:4136::1]/",
            "https://[fe80::1]/",
            "https://[FC00::1]/",
            "https://[ff02::1]/",
            "https://metadata/",
            "https://metadata.google.internal/",
            "https://printer.local/",
            "https://nas.home.arpa/",
            "https://x.localhost/",
            "https://a.b.corp./",
            "https://a.home/",
            "https://box.localdomain/",
            "https://10.0.0.1%2e/",
            "https://0xa.0xb.0xc.0xd./",
            "https://192.168.0x1.1/",
        ],
        "webhook_private_host",
        "insecure_url",
    );
}

#[test]
fn malformed_hosts_are_invalid() {
    assert_codes(
        &[
            "https://",
            "https:",
            "https://./",
            "https://.../",
            "https://[::1/",
            "https://[fe80::1%25eth0]/",
            "https://1.2.3.4.5/",
            "https://4294967296/",
            "https://256.0.0.1/",
            "https://exa mple.com/",
            "https://xn--/",
            "https://a<b/",
            "https://%00/",
            "https://[::ffff:1.2.3]/",
        ],
        "invalid_url",
        "invalid_url",
    );
}

#[test]
fn public_hosts_pass() {
    assert_codes(
        &[
            "https://example.com/",
            "https://EXAMPLE.com./x",
            "https://huggingface.co:443/a?b=c#d",
            "https://1.1.1.1/",
            "https://[2606:4700:4700::1111]/",
            "https://bücher.example/",
            "https://xn--bcher-kva.example/",
            "https://127.0.0.1.nip.io/",
            "https://localhost.example.com/",
            "https://a.b.c.d.e.example/",
            "https://127.0.0.1@example.com/",
            "https://example.com#@127.0.0.1",
            "https://8.8.8.8:8443/hook",
        ],
        "ok",
        "ok",
    );
}

#[test]
fn schemes_other_than_https() {
    for url in [
        "http://example.com/",
        "HTTP://example.com",
        "ws://x.example",
        "wss://x.example",
        "ftp://x.example",
        "file:///etc/passwd",
        "s3://b/k",
        "gopher://x",
        "javascript://x",
    ] {
        assert_eq!(workflow(url), "insecure_url", "{url}");
    }
    for url in [
        "http://example.com/",
        "javascript:alert(1)",
        "data:text/plain,x",
        "mailto:a@b.example",
        "file:///x",
    ] {
        assert_eq!(webhook(url), "webhook_must_be_https", "{url}");
    }
}

/// An IPv4 address spelled as the WHATWG parser accepts: each part decimal, octal or hex, with
/// the last part covering the remaining bytes, and an optional trailing dot.
fn spell_ipv4(ip: u32, parts: usize, radices: &[u8], trailing_dot: bool) -> String {
    let bytes = ip.to_be_bytes();
    let mut values: Vec<u64> = bytes[..parts - 1].iter().map(|&b| u64::from(b)).collect();
    let rest = bytes[parts - 1..]
        .iter()
        .fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    values.push(rest);
    let spelled: Vec<String> = values
        .iter()
        .zip(radices.iter().cycle())
        .map(|(v, radix)| match radix % 3 {
            0 => v.to_string(),
            1 => format!("0x{v:x}"),
            _ => format!("0{v:o}"),
        })
        .collect();
    format!(
        "{}{}",
        spelled.join("."),
        if trailing_dot { "." } else { "" }
    )
}

fn private_ipv4() -> impl Strategy<Value = u32> {
    (0..IPV4_PRIVATE.len(), any::<u32>()).prop_map(|(block, offset)| {
        let (lo, hi) = v4_range(IPV4_PRIVATE[block]);
        lo + offset % (hi - lo + 1).max(1)
    })
}

/// Addresses inside and around every interesting IPv6 prefix.
fn ipv6_near_blocks() -> impl Strategy<Value = u128> {
    let prefixes: Vec<&str> = IPV6_PRIVATE_IN_GLOBAL
        .iter()
        .copied()
        .chain([
            "2000::/3",
            "::ffff:0:0/96",
            "64:ff9b::/96",
            "fc00::/7",
            "fe80::/10",
            "::/96",
            "ff00::/8",
        ])
        .collect();
    (0..prefixes.len(), any::<u128>(), -2i64..=2, any::<bool>()).prop_map(
        move |(i, random, nudge, at_edge)| {
            let (lo, hi) = v6_range(prefixes[i]);
            let inside = if at_edge {
                if random % 2 == 0 { lo } else { hi }
            } else {
                lo + random % (hi - lo).max(1)
            };
            inside.wrapping_add_signed(i128::from(nudge))
        },
    )
}

proptest! {
    #[test]
    fn any_ipv4_agrees_with_the_oracle(ip in any::<u32>()) {
        prop_assert_eq!(is_public_ip(v4(ip)), oracle_v4_public(ip));
    }

    #[test]
    fn ipv6_near_every_block_agrees_with_the_oracle(ip in ipv6_near_blocks()) {
        prop_assert_eq!(is_public_ip(IpAddr::V6(Ipv6Addr::from(ip))), oracle_v6_public(ip), "{}", Ipv6Addr::from(ip));
    }

    #[test]
    fn any_ipv6_agrees_with_the_oracle(ip in any::<u128>()) {
        prop_assert_eq!(is_public_ip(IpAddr::V6(Ipv6Addr::from(ip))), oracle_v6_public(ip));
    }

    #[test]
    fn private_ipv4_in_any_numeric_spelling_is_private(
        ip in private_ipv4(), parts in 1usize..=4, radices in prop::collection::vec(any::<u8>(), 4), dot in any::<bool>()
    ) {
        let host = spell_ipv4(ip, parts, &radices, dot);
        prop_assert_eq!(webhook(&format!("https://{host}/hook")), "webhook_private_host", "{}", host);
        prop_assert_eq!(workflow(&format!("https://{host}/m")), "insecure_url", "{}", host);
    }
}

/// The code and `details.reason` of a workflow URL and of the same text as the webhook.
fn url_and_webhook(url: &str) -> [(String, Option<String>); 2] {
    let literal = serde_json::Value::String(url.to_owned()).to_string();
    let bodies = [
        format!(r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{"u": {literal}}}}}}}}}"#),
        format!(
            r#"{{"prompt": {{"1": {{"class_type": "A", "inputs": {{}}}}}}, "webhook_url": {literal}}}"#
        ),
    ];
    bodies.map(|body| match validate(body.as_bytes()) {
        Ok(_) => ("ok".to_owned(), None),
        Err(error) => (
            error.code().to_owned(),
            error.details()["reason"].as_str().map(str::to_owned),
        ),
    })
}

#[test]
fn hosts_too_long_to_use_are_invalid_before_they_are_parsed() {
    let too_long = || ("invalid_url".to_owned(), Some("host too long".to_owned()));
    let label = |byte: &str, n: usize| byte.repeat(n);
    for host in [
        label("a", 257),
        format!("{}.com", label("é", 129)),
        format!("{}.com", label("%61", 86)),
        vec!["ab"; 342].join("."),
        vec![label("é", 1000); 7].join("."),
        format!("xn--{}.example", label("a", 300)),
        format!("{}_", label("A", 1 << 20)),
    ] {
        for url in [
            format!("https://{host}/m.safetensors"),
            format!("https://user:pass@{host}:443/m"),
            format!("http://{host}/"),
        ] {
            assert_eq!(url_and_webhook(&url), [too_long(), too_long()], "{url:.60}");
        }
    }
    // Every host that DNS could use passes the rule, however it is written.
    for host in [
        vec![label("a", 63); 4].join("."),
        vec![label("ａ", 63); 3].join("."),
        vec![label("%61", 63); 4].join("."),
        format!("{}.example", label("a", 256)),
    ] {
        for url in [
            format!("https://{host}/"),
            format!("https://{}@{host}:8443/", label("u", 4000)),
            format!("https://{host}/{}", label("p", 4000)),
        ] {
            let expected = ("ok".to_owned(), None);
            assert_eq!(
                url_and_webhook(&url),
                [expected.clone(), expected],
                "{url:.60}"
            );
        }
    }
}
