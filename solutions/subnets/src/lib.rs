//! Model answer for `subnets`: CIDR blocks, netmasks, host ranges, the
//! "direct or via the router" decision and port classes, with the prefix
//! arithmetic done by hand on integers.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a string is not an IPv4 address or a CIDR block.
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

// ANCHOR: parse_ipv4
/// Parses a dotted quad like `192.0.2.12`: exactly four decimal numbers from
/// 0 to 255, without signs, spaces or leading zeros.
pub fn parse_ipv4(s: &str) -> Result<Ipv4Addr, CidrError> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return Err(CidrError::WrongOctetCount(parts.len()));
    }
    let mut octets = [0u8; 4];
    for (octet, part) in octets.iter_mut().zip(parts) {
        *octet = parse_octet(part)?;
    }
    Ok(Ipv4Addr::from(octets))
}

fn parse_octet(part: &str) -> Result<u8, CidrError> {
    // Digits only: `str::parse` alone would accept "+7".
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::BadOctet(part.to_string()));
    }
    if part.len() > 1 && part.starts_with('0') {
        return Err(CidrError::LeadingZero(part.to_string()));
    }
    // At most three digits left to read, so u16 cannot overflow.
    match part.parse::<u16>() {
        Ok(value) if part.len() <= 3 && value <= 255 => Ok(value as u8),
        _ => Err(CidrError::OctetTooLarge(part.to_string())),
    }
}
// ANCHOR_END: parse_ipv4

/// Parses the part after the slash: a decimal number from 0 to `max`.
fn parse_prefix(s: &str, max: u32) -> Result<u8, CidrError> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::BadPrefix(s.to_string()));
    }
    let len: u32 = s.parse().map_err(|_| CidrError::BadPrefix(s.to_string()))?;
    if len > max {
        return Err(CidrError::PrefixTooLong(len));
    }
    Ok(len as u8)
}

// ANCHOR: mask
/// The netmask for a prefix length as a number: `prefix_len` one bits, then zeros.
fn mask(prefix_len: u8) -> u32 {
    // `u32::MAX << 32` would overflow (a panic in debug builds), and /0 is
    // exactly the case that asks for it: checked_shl says None there.
    u32::MAX.checked_shl(32 - u32::from(prefix_len)).unwrap_or(0)
}
// ANCHOR_END: mask

/// An IPv4 address with a prefix length: `192.0.2.12/26`. The address keeps
/// its host bits (it is an interface's address, not necessarily the network's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Net {
    address: Ipv4Addr,
    prefix_len: u8,
}

impl Ipv4Net {
    /// The block `address/prefix_len`; a prefix length over 32 is an error.
    pub fn new(address: Ipv4Addr, prefix_len: u8) -> Result<Ipv4Net, CidrError> {
        if prefix_len > 32 {
            return Err(CidrError::PrefixTooLong(u32::from(prefix_len)));
        }
        Ok(Ipv4Net { address, prefix_len })
    }

    /// Parses `a.b.c.d/len`.
    pub fn parse(s: &str) -> Result<Ipv4Net, CidrError> {
        let (address, prefix) = s.split_once('/').ok_or(CidrError::MissingSlash)?;
        Ipv4Net::new(parse_ipv4(address)?, parse_prefix(prefix, 32)?)
    }

    pub fn address(&self) -> Ipv4Addr {
        self.address
    }

    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    // ANCHOR: arithmetic
    /// `255.255.255.192` for a /26.
    pub fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from(mask(self.prefix_len))
    }

    /// The address with every host bit cleared.
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.address) & mask(self.prefix_len))
    }

    /// The address with every host bit set; none for /31 and /32, which
    /// have no broadcast address (RFC 3021).
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        if self.prefix_len >= 31 {
            return None;
        }
        Some(Ipv4Addr::from(u32::from(self.address) | !mask(self.prefix_len)))
    }

    /// How many addresses hosts can use: all but the network and broadcast
    /// addresses, except in a /31 (both are hosts) and a /32 (the one address).
    pub fn host_count(&self) -> u64 {
        match self.prefix_len {
            32 => 1,
            31 => 2,
            len => (1u64 << (32 - len)) - 2,
        }
    }

    pub fn first_host(&self) -> Ipv4Addr {
        let network = u32::from(self.network());
        match self.prefix_len {
            31 | 32 => Ipv4Addr::from(network),
            _ => Ipv4Addr::from(network + 1),
        }
    }

    pub fn last_host(&self) -> Ipv4Addr {
        let last = u32::from(self.network()) | !mask(self.prefix_len);
        match self.prefix_len {
            31 | 32 => Ipv4Addr::from(last),
            _ => Ipv4Addr::from(last - 1),
        }
    }

    /// Whether `address` is inside this block.
    pub fn contains(&self, address: Ipv4Addr) -> bool {
        same_subnet(self.address, address, self.netmask())
    }
    // ANCHOR_END: arithmetic
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}

// ANCHOR: next_hop
/// Whether `a` and `b` are on the same subnet under `netmask`: equal in
/// every bit the mask has set.
pub fn same_subnet(a: Ipv4Addr, b: Ipv4Addr, netmask: Ipv4Addr) -> bool {
    let mask = u32::from(netmask);
    u32::from(a) & mask == u32::from(b) & mask
}

/// Where a host sends a packet for `destination`.
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
    if host.contains(destination) {
        NextHop::Direct
    } else {
        gateway.map_or(NextHop::Unreachable, NextHop::Router)
    }
}
// ANCHOR_END: next_hop

/// The three port ranges of RFC 6335.
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
    match port {
        0..=1023 => PortClass::WellKnown,
        1024..=49151 => PortClass::Registered,
        49152..=u16::MAX => PortClass::Dynamic,
    }
}

/// Whether Linux, with its default `net.ipv4.ip_local_port_range` of
/// `32768 60999`, may pick `port` as an ephemeral (client-side) port.
pub fn in_linux_ephemeral_range(port: u16) -> bool {
    (32768..=60999).contains(&port)
}

/// An IPv6 prefix: `2001:db8::/32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Net {
    address: Ipv6Addr,
    prefix_len: u8,
}

impl Ipv6Net {
    /// The prefix `address/prefix_len`; a prefix length over 128 is an error.
    pub fn new(address: Ipv6Addr, prefix_len: u8) -> Result<Ipv6Net, CidrError> {
        if prefix_len > 128 {
            return Err(CidrError::PrefixTooLong(u32::from(prefix_len)));
        }
        Ok(Ipv6Net { address, prefix_len })
    }

    /// Parses `2001:db8::/32`. The address part may be parsed with
    /// `Ipv6Addr`'s `FromStr`; the prefix length is yours.
    pub fn parse(s: &str) -> Result<Ipv6Net, CidrError> {
        let (address, prefix) = s.split_once('/').ok_or(CidrError::MissingSlash)?;
        let address: Ipv6Addr = address.parse().map_err(|_| CidrError::BadIpv6(address.to_string()))?;
        Ipv6Net::new(address, parse_prefix(prefix, 128)?)
    }

    pub fn address(&self) -> Ipv6Addr {
        self.address
    }

    pub fn prefix_len(&self) -> u8 {
        self.prefix_len
    }

    fn mask(&self) -> u128 {
        u128::MAX.checked_shl(128 - u32::from(self.prefix_len)).unwrap_or(0)
    }

    /// The prefix itself: the address with every bit after the prefix cleared.
    pub fn network(&self) -> Ipv6Addr {
        Ipv6Addr::from(u128::from(self.address) & self.mask())
    }

    /// Whether `address` starts with this prefix.
    pub fn contains(&self, address: Ipv6Addr) -> bool {
        u128::from(address) & self.mask() == u128::from(self.address) & self.mask()
    }
}

impl fmt::Display for Ipv6Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}
