//! Exercise `subnets`: CIDR blocks, netmasks, host ranges, "direct or via the
//! router", and port classes, with the prefix arithmetic done by hand.
//!
//! Read first: the book, chapter "Networking in one chapter" (src/networking.md;
//! `cargo course book --open`), sections "Netmasks and CIDR" to "Ports".
//! Test:       `cargo course check subnets` (or `cargo test -p subnets`).
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.
//!
//! Write the functions marked `// TODO`, in this order (one test stage each):
//!   1. `parse_ipv4`                     dotted quads, with useful errors
//!   2. `Ipv4Net::parse`                 `a.b.c.d/len`
//!   3. `netmask`, `network`, `broadcast`
//!   4. `host_count`, `first_host`, `last_host`
//!   5. `same_subnet`, `Ipv4Net::contains`, `next_hop`
//!   6. `port_class`, `in_linux_ephemeral_range`
//!   7. `Ipv6Net::parse`, `Ipv6Net::network`, `Ipv6Net::contains`
//!
//! The rules of the game: `std::net::Ipv4Addr` and `Ipv6Addr` are fine as
//! *containers* (`Ipv4Addr::from([a, b, c, d])`, `u32::from(addr)`,
//! `Ipv4Addr::from(u32)`, the same with u128 for IPv6), and you may parse the
//! IPv6 address part with `"2001:db8::".parse::<Ipv6Addr>()`, because IPv6's
//! `::` shorthand is a parsing chore beside the point. But parse the IPv4
//! dotted quad and every prefix length yourself, and do all the mask
//! arithmetic yourself on u32 and u128: that is the exercise.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a string is not an IPv4 address or a CIDR block. (Given: the tests
/// expect exactly these variants.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CidrError {
    /// `192.0.2.0`: a CIDR block needs `/` and a prefix length.
    MissingSlash,
    /// Not exactly four dot-separated parts (`192.0.2`, `1.2.3.4.5`); holds how many there were.
    WrongOctetCount(usize),
    /// A part that is not a plain decimal number: empty, a sign, a space, a letter.
    BadOctet(String),
    /// A part larger than 255.
    OctetTooLarge(String),
    /// A part with a leading zero, like `010`, which some C libraries read as octal (8).
    LeadingZero(String),
    /// A prefix length that is not a plain decimal number: empty, `24x`, `+24`, `24/8`.
    BadPrefix(String),
    /// A prefix length longer than the address: more than 32 for IPv4, 128 for IPv6.
    PrefixTooLong(u32),
    /// The address part of an IPv6 block is not an IPv6 address.
    BadIpv6(String),
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrError::MissingSlash => write!(f, "missing '/' and prefix length (like 192.0.2.0/24)"),
            CidrError::WrongOctetCount(n) => write!(f, "an IPv4 address has 4 parts, this has {n}"),
            CidrError::BadOctet(s) => write!(f, "{s:?} is not a decimal number from 0 to 255"),
            CidrError::OctetTooLarge(s) => write!(f, "{s} is larger than 255"),
            CidrError::LeadingZero(s) => write!(f, "{s} has a leading zero (octal in some C libraries)"),
            CidrError::BadPrefix(s) => write!(f, "{s:?} is not a prefix length"),
            CidrError::PrefixTooLong(n) => write!(f, "prefix length {n} is longer than the address"),
            CidrError::BadIpv6(s) => write!(f, "{s:?} is not an IPv6 address"),
        }
    }
}

impl std::error::Error for CidrError {}

/// Parses a dotted quad like `192.0.2.12`: exactly four decimal numbers from
/// 0 to 255, without signs, spaces or leading zeros.
pub fn parse_ipv4(s: &str) -> Result<Ipv4Addr, CidrError> {
    // TODO (stage 1):
    //  - `s.split('.')` and count the parts: not 4 is `WrongOctetCount(n)`.
    //  - Each part: empty or anything but ASCII digits is `BadOctet(part)`.
    //    Check the characters yourself: `"+1".parse::<u8>()` succeeds!
    //  - More than one digit and starting with '0' (`010`, `00`) is
    //    `LeadingZero(part)`.
    //  - A value over 255 is `OctetTooLarge(part)` (watch out: "99999" does
    //    not fit in a u8 or even a u16).
    //  - Build the address with `Ipv4Addr::from([a, b, c, d])`.
    todo!("parse a dotted quad: see the section 'Writing addresses down'")
}

/// An IPv4 address with a prefix length: `192.0.2.12/26`. The address keeps
/// its host bits (it is an interface's address, not necessarily the network's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Net {
    address: Ipv4Addr,
    prefix_len: u8,
}

impl Ipv4Net {
    /// The block `address/prefix_len`; a prefix length over 32 is an error. (Given.)
    pub fn new(address: Ipv4Addr, prefix_len: u8) -> Result<Ipv4Net, CidrError> {
        if prefix_len > 32 {
            return Err(CidrError::PrefixTooLong(u32::from(prefix_len)));
        }
        Ok(Ipv4Net { address, prefix_len })
    }

    /// Parses `a.b.c.d/len`.
    pub fn parse(s: &str) -> Result<Ipv4Net, CidrError> {
        // TODO (stage 2):
        //  - No '/' is `MissingSlash` (`s.split_once('/')` helps).
        //  - The address part goes through your `parse_ipv4`.
        //  - The prefix part must be ASCII digits only (else `BadPrefix(part)`,
        //    which also catches trailing garbage like "24x" or "24/8"), and
        //    at most 32 (else `PrefixTooLong(n)`).
        todo!("parse a CIDR block: see the section 'Netmasks and CIDR'")
    }

    /// The address as written (host bits included). (Given.)
    pub fn address(&self) -> Ipv4Addr {
        self.address
    }

    /// The prefix length, 0 to 32. (Given.)
    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// `255.255.255.192` for a /26: prefix_len one bits, then zeros.
    pub fn netmask(&self) -> Ipv4Addr {
        // TODO (stage 3): compute the mask on a u32 and return
        // `Ipv4Addr::from(mask)`. Careful at /0: shifting a u32 by 32 bits
        // is an overflow (a panic in debug builds), not zero.
        todo!("the netmask: see the section 'Working one out in binary'")
    }

    /// The address with every host bit cleared: 192.0.2.0 for 192.0.2.12/26.
    pub fn network(&self) -> Ipv4Addr {
        // TODO (stage 3): address AND mask, on u32s.
        todo!("the network address: see the section 'Working one out in binary'")
    }

    /// The address with every host bit set: 192.0.2.63 for 192.0.2.12/26.
    /// None for /31 and /32, which have no broadcast address (RFC 3021).
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        // TODO (stage 3): address OR the inverted mask.
        todo!("the broadcast address: see the section 'Working one out in binary'")
    }

    /// How many addresses hosts can use: 62 in a /26.
    pub fn host_count(&self) -> u64 {
        // TODO (stage 4): 2^(32 - prefix_len) addresses, minus the network
        // and broadcast addresses. But a /31 has 2 hosts (RFC 3021) and a
        // /32 has 1.
        todo!("count the hosts: see the section 'Edge cases'")
    }

    /// The lowest address a host can use: 192.0.2.1 in 192.0.2.12/26.
    pub fn first_host(&self) -> Ipv4Addr {
        // TODO (stage 4): network + 1, except in a /31 and a /32.
        todo!("the first host: see the section 'Edge cases'")
    }

    /// The highest address a host can use: 192.0.2.62 in 192.0.2.12/26.
    pub fn last_host(&self) -> Ipv4Addr {
        // TODO (stage 4): broadcast - 1, except in a /31 and a /32.
        todo!("the last host: see the section 'Edge cases'")
    }

    /// Whether `address` is inside this block.
    pub fn contains(&self, address: Ipv4Addr) -> bool {
        // TODO (stage 5): `same_subnet` with this block's netmask.
        todo!("containment: see the section 'Direct or via a router'")
    }
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}

/// Whether `a` and `b` are on the same subnet under `netmask`.
pub fn same_subnet(a: Ipv4Addr, b: Ipv4Addr, netmask: Ipv4Addr) -> bool {
    // TODO (stage 5): equal in every bit the mask has set. Compare bits, not
    // octets: 255.255.255.192 splits the last octet.
    todo!("same subnet: see the section 'Direct or via a router'")
}

/// Where a host sends a packet for `destination`. (Given.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextHop {
    /// On the host's own subnet: straight to the destination.
    Direct,
    /// Elsewhere: to this router (the default gateway), which passes it on.
    Router(Ipv4Addr),
    /// Elsewhere, and the host has no default gateway: "Network is unreachable".
    Unreachable,
}

/// The decision a host with address `host` (and its prefix length) makes
/// for a packet to `destination`, given its default gateway, if any.
pub fn next_hop(host: Ipv4Net, gateway: Option<Ipv4Addr>, destination: Ipv4Addr) -> NextHop {
    // TODO (stage 5): on the host's own subnet, Direct; otherwise the gateway,
    // or Unreachable when there is none.
    todo!("the routing decision: see the section 'Direct or via a router'")
}

/// The three port ranges of RFC 6335. (Given.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortClass {
    /// 0-1023, the system or well-known ports (binding one needs privilege on Unix).
    WellKnown,
    /// 1024-49151, the user or registered ports.
    Registered,
    /// 49152-65535, the dynamic or private ports.
    Dynamic,
}

/// The RFC 6335 class of a port.
pub fn port_class(port: u16) -> PortClass {
    // TODO (stage 6): a `match` on ranges (`0..=1023 => ...`).
    todo!("port classes: see the section 'Ports'")
}

/// Whether Linux, with its default `net.ipv4.ip_local_port_range` of
/// `32768 60999`, may pick `port` as an ephemeral (client-side) port.
pub fn in_linux_ephemeral_range(port: u16) -> bool {
    // TODO (stage 6)
    todo!("the ephemeral range: see the section 'Ports'")
}

/// An IPv6 prefix: `2001:db8::/32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Net {
    address: Ipv6Addr,
    prefix_len: u8,
}

impl Ipv6Net {
    /// The prefix `address/prefix_len`; a prefix length over 128 is an error. (Given.)
    pub fn new(address: Ipv6Addr, prefix_len: u8) -> Result<Ipv6Net, CidrError> {
        if prefix_len > 128 {
            return Err(CidrError::PrefixTooLong(u32::from(prefix_len)));
        }
        Ok(Ipv6Net { address, prefix_len })
    }

    /// Parses `2001:db8::/32`.
    pub fn parse(s: &str) -> Result<Ipv6Net, CidrError> {
        // TODO (stage 7): like `Ipv4Net::parse`, with a limit of 128. The
        // address part may be parsed with `address.parse::<Ipv6Addr>()`;
        // when that fails, return `BadIpv6(address part)`.
        todo!("parse an IPv6 prefix: see the section 'IPv6 prefixes'")
    }

    /// The address as written. (Given.)
    pub fn address(&self) -> Ipv6Addr {
        self.address
    }

    /// The prefix length, 0 to 128. (Given.)
    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    /// The address with every bit after the prefix cleared: `2001:db8::` for
    /// `2001:db8:ffff::1/32`.
    pub fn network(&self) -> Ipv6Addr {
        // TODO (stage 7): the stage 3 arithmetic on a u128 (`u128::from(addr)`).
        todo!("the IPv6 network: see the section 'IPv6 prefixes'")
    }

    /// Whether `address` starts with this prefix.
    pub fn contains(&self, address: Ipv6Addr) -> bool {
        // TODO (stage 7)
        todo!("IPv6 containment: see the section 'IPv6 prefixes'")
    }
}

impl fmt::Display for Ipv6Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}
