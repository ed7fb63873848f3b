//! The address blocks, as data: one table per family, each row with where it comes from.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

/// A block of addresses and the registry entry or RFC that reserves it.
pub(crate) struct Block<N> {
    pub(crate) net: N,
    /// Where the block comes from; read by the tests and kept beside the data for audits.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) source: &'static str,
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8, source: &'static str) -> Block<Ipv4Net> {
    Block {
        net: Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len),
        source,
    }
}

const fn v6(segments: [u16; 8], len: u8, source: &'static str) -> Block<Ipv6Net> {
    let [a, b, c, d, e, f, g, h] = segments;
    Block {
        net: Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, d, e, f, g, h), len),
        source,
    }
}

/// Every IPv4 block that is not public (IANA IPv4 Special-Purpose Address Registry and friends).
pub(crate) const PRIVATE_IPV4: &[Block<Ipv4Net>] = &[
    v4(
        0,
        0,
        0,
        0,
        8,
        "\"this network\", RFC 791 / RFC 1122 §3.2.1.3",
    ),
    v4(10, 0, 0, 0, 8, "private use, RFC 1918"),
    v4(
        100,
        64,
        0,
        0,
        10,
        "shared address space (carrier-grade NAT), RFC 6598",
    ),
    v4(127, 0, 0, 0, 8, "loopback, RFC 1122 §3.2.1.3"),
    v4(
        169,
        254,
        0,
        0,
        16,
        "link local (cloud metadata lives here), RFC 3927",
    ),
    v4(172, 16, 0, 0, 12, "private use, RFC 1918"),
    v4(192, 0, 0, 0, 24, "IETF protocol assignments, RFC 6890"),
    v4(192, 0, 2, 0, 24, "documentation TEST-NET-1, RFC 5737"),
    v4(192, 88, 99, 0, 24, "6to4 relay anycast, RFC 7526"),
    v4(192, 168, 0, 0, 16, "private use, RFC 1918"),
    v4(198, 18, 0, 0, 15, "benchmarking, RFC 2544"),
    v4(198, 51, 100, 0, 24, "documentation TEST-NET-2, RFC 5737"),
    v4(203, 0, 113, 0, 24, "documentation TEST-NET-3, RFC 5737"),
    v4(224, 0, 0, 0, 4, "multicast, RFC 5771"),
    v4(
        240,
        0,
        0,
        0,
        4,
        "reserved, RFC 1112 §4; includes limited broadcast, RFC 919",
    ),
];

/// The only IPv6 space that can be public: global unicast (IANA IPv6 Address Space, RFC 4291).
pub(crate) const GLOBAL_UNICAST: Block<Ipv6Net> =
    v6([0x2000, 0, 0, 0, 0, 0, 0, 0], 3, "global unicast, RFC 4291");

/// The blocks inside global unicast that are still not public (IANA IPv6 Special-Purpose
/// Address Registry).
pub(crate) const PRIVATE_IPV6_IN_GLOBAL: &[Block<Ipv6Net>] = &[
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        "IETF protocol assignments incl. Teredo, RFC 2928 / RFC 4380",
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        "documentation, RFC 3849",
    ),
    v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16, "6to4, RFC 3056"),
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, "documentation, RFC 9637"),
];

/// IPv6 blocks whose last 32 bits are an IPv4 address that the packet really goes to.
pub(crate) const CARRYING_IPV4: &[Block<Ipv6Net>] = &[
    v6(
        [0, 0, 0, 0, 0, 0xffff, 0, 0],
        96,
        "IPv4-mapped, RFC 4291 §2.5.5.2",
    ),
    v6(
        [0x64, 0xff9b, 0, 0, 0, 0, 0, 0],
        96,
        "NAT64 well-known prefix, RFC 6052",
    ),
];

pub(crate) fn is_private_ipv4(ip: Ipv4Addr) -> bool {
    PRIVATE_IPV4.iter().any(|block| block.net.contains(&ip))
}

/// For an address inside a block of [`CARRYING_IPV4`], the IPv4 address it carries.
pub(crate) fn embedded_ipv4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    CARRYING_IPV4
        .iter()
        .any(|block| block.net.contains(&ip))
        .then(|| Ipv4Addr::from(u128::from(ip) as u32))
}

/// Judges an IPv6 address that carries no IPv4 address.
pub(crate) fn is_public_ipv6(ip: Ipv6Addr) -> bool {
    GLOBAL_UNICAST.net.contains(&ip)
        && !PRIVATE_IPV6_IN_GLOBAL
            .iter()
            .any(|block| block.net.contains(&ip))
}

/// Every block with its source, for documentation and tests.
#[cfg(test)]
pub(crate) fn all_sources() -> impl Iterator<Item = (ipnet::IpNet, &'static str)> {
    let v4 = PRIVATE_IPV4
        .iter()
        .map(|b| (ipnet::IpNet::V4(b.net), b.source));
    let v6 = PRIVATE_IPV6_IN_GLOBAL
        .iter()
        .chain(CARRYING_IPV4)
        .map(|b| (ipnet::IpNet::V6(b.net), b.source));
    v4.chain(v6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_is_canonical_and_sourced() {
        for (net, source) in all_sources() {
            assert_eq!(net, net.trunc(), "{net} has host bits set");
            assert!(source.contains("RFC"), "{net} has no RFC: {source}");
        }
    }

    #[test]
    fn decodes_embedded_ipv4() {
        let mapped: Ipv6Addr = "::ffff:7f00:1".parse().unwrap();
        assert_eq!(embedded_ipv4(mapped), Some(Ipv4Addr::LOCALHOST));
        let nat64: Ipv6Addr = "64:ff9b::a00:1".parse().unwrap();
        assert_eq!(embedded_ipv4(nat64), Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(embedded_ipv4("2606:4700::1".parse().unwrap()), None);
    }
}
