//! Exercise `wire-formats`: byte order by hand, a `sockaddr_in` as 16 bytes,
//! and the IPv4 and UDP headers of a packet captured with tcpdump.
//!
//! Read first: the book, chapter "Networking in one chapter" (src/networking.md;
//! `cargo course book --open`), section "Encapsulation, byte by byte".
//! Test:       `cargo course check wire-formats` (or `cargo test -p wire-formats`).
//!
//! Change this file only. Never edit the tests in `tests/`: they are the
//! teacher, and your instructor grades with the original ones.
//!
//! Write the functions marked `// TODO`, in this order (one test stage each):
//!   1. `u16_to_be_bytes`, `u16_from_be_bytes`, `u32_to_be_bytes`,
//!      `u32_from_be_bytes`, `u16_to_le_bytes`, `u16_from_le_bytes`
//!   2. `encode_sockaddr_in`, `decode_sockaddr_in`
//!   3. `internet_checksum`
//!   4. `parse_ipv4`
//!   5. `parse_udp`, `parse_ipv4_udp`
//!   6. (`parse_ipv4` again: IP options and the total length)
//!   7. (every parser again: truncated and malformed input)
//!
//! The one rule: write the byte order conversions yourself, with shifts and
//! casts. Do not use the standard library's `to_be_bytes`, `from_be_bytes`,
//! `to_le_bytes`, `from_le_bytes`, `to_be`, `from_be`, `swap_bytes` (or their
//! `ne`/`le` cousins) anywhere in this file: stage 1 checks. Everywhere else,
//! call your own functions. `Ipv4Addr::from(u32)` and `u32::from(ip)` are fine.

// The unfinished functions below do not use everything yet. Delete this
// line when you are done, so the compiler can warn you again.
#![allow(unused_imports, unused_variables, dead_code)]

use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

/// Why some bytes are not what they claim to be. (Given: the tests expect
/// exactly these variants.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// Fewer bytes than the format (or a length field) says there are.
    Truncated { needed: usize, got: usize },
    /// A `sockaddr_in` whose family is not `AF_INET` (2).
    WrongFamily(u16),
    /// An IP header whose version (the first 4 bits) is not 4.
    WrongVersion(u8),
    /// An IHL below 5: the fixed part of the header alone is 5 words.
    BadIhl(u8),
    /// The header checksum does not verify. `stored` is what the header
    /// holds, `computed` what it should hold.
    BadChecksum { stored: u16, computed: u16 },
    /// An IPv4 total length shorter than the header itself.
    BadTotalLength(u16),
    /// A UDP length below 8, the size of the UDP header alone.
    BadUdpLength(u16),
    /// An IPv4 packet that does not carry UDP (protocol 17).
    NotUdp(u8),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Truncated { needed, got } => write!(f, "truncated: need {needed} bytes, got {got}"),
            WireError::WrongFamily(family) => write!(f, "address family {family} is not AF_INET (2)"),
            WireError::WrongVersion(version) => write!(f, "IP version {version}, expected 4"),
            WireError::BadIhl(ihl) => write!(f, "IHL {ihl} is below the minimum of 5"),
            WireError::BadChecksum { stored, computed } => {
                write!(f, "header checksum {stored:#06x} should be {computed:#06x}")
            }
            WireError::BadTotalLength(len) => write!(f, "total length {len} is shorter than the header"),
            WireError::BadUdpLength(len) => write!(f, "UDP length {len} is shorter than the UDP header"),
            WireError::NotUdp(protocol) => write!(f, "protocol {protocol} is not UDP (17)"),
        }
    }
}

impl std::error::Error for WireError {}

// ── Stage 1: byte order ─────────────────────────────────────────────────────
// TODO: with shifts (`x >> 8`), casts (`as u8` keeps the low 8 bits) and
// `u16::from(byte) << 8`. Network byte order is big-endian: most significant
// byte first. Little-endian is the other way round.

/// `0x1f90` becomes `[0x1f, 0x90]`: most significant byte first (network order).
pub fn u16_to_be_bytes(x: u16) -> [u8; 2] {
    todo!("see the section 'Byte order'")
}

/// `[0x1f, 0x90]` becomes `0x1f90`.
pub fn u16_from_be_bytes(b: [u8; 2]) -> u16 {
    todo!("see the section 'Byte order'")
}

/// `0xc0000201` becomes `[192, 0, 2, 1]`.
pub fn u32_to_be_bytes(x: u32) -> [u8; 4] {
    todo!("see the section 'Byte order'")
}

/// `[192, 0, 2, 1]` becomes `0xc0000201`.
pub fn u32_from_be_bytes(b: [u8; 4]) -> u32 {
    todo!("see the section 'Byte order'")
}

/// `0x1f90` becomes `[0x90, 0x1f]`: least significant byte first, the order
/// x86 and most ARM machines keep numbers in memory.
pub fn u16_to_le_bytes(x: u16) -> [u8; 2] {
    todo!("see the section 'Byte order'")
}

/// `[0x90, 0x1f]` becomes `0x1f90`.
pub fn u16_from_le_bytes(b: [u8; 2]) -> u16 {
    todo!("see the section 'Byte order'")
}

// ── Stage 2: a socket address as the kernel sees it ─────────────────────────

/// `AF_INET` on Linux.
pub const AF_INET: u16 = 2;

/// The 16 bytes of a Linux `struct sockaddr_in` on a little-endian machine.
pub fn encode_sockaddr_in(addr: SocketAddrV4) -> [u8; 16] {
    // TODO:
    //  - bytes 0-1:  sin_family, AF_INET, in *host* order (little-endian here)
    //  - bytes 2-3:  sin_port, in network order (big-endian)
    //  - bytes 4-7:  sin_addr, in network order (`u32::from(*addr.ip())`)
    //  - bytes 8-15: sin_zero, zeros
    todo!("encode a sockaddr_in: see the section 'A socket address in memory'")
}

/// Reads the 16 bytes of a `sockaddr_in` back into an address.
pub fn decode_sockaddr_in(bytes: &[u8]) -> Result<SocketAddrV4, WireError> {
    // TODO: fewer than 16 bytes is `Truncated { needed: 16, got }`; a family
    // other than AF_INET is `WrongFamily(family)`; then port and address.
    todo!("decode a sockaddr_in: see the section 'A socket address in memory'")
}

// ── Stage 3: the Internet checksum ──────────────────────────────────────────

/// The Internet checksum of RFC 1071: the ones' complement of the ones'
/// complement sum of the bytes taken as big-endian 16-bit words (an odd last
/// byte is padded with a zero). Over a header that holds its checksum, it is 0.
pub fn internet_checksum(bytes: &[u8]) -> u16 {
    // TODO: add the 16-bit words in a u32; fold the carries (`sum >> 16`)
    // back into the low 16 bits until there are none; return `!sum` as u16.
    todo!("the checksum: see the section 'The header checksum'")
}

// ── Stages 4-7: parsing headers ─────────────────────────────────────────────

/// The fixed fields of an IPv4 header (RFC 791, section 3.1). (Given.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Header {
    pub version: u8,
    /// Header length in 32-bit words: 5 without options, up to 15.
    pub ihl: u8,
    /// The old "type of service" byte, now DSCP and ECN.
    pub tos: u8,
    /// Header plus payload, in bytes.
    pub total_length: u16,
    pub identification: u16,
    /// The 3 flag bits: 0b010 is "don't fragment", 0b001 "more fragments".
    pub flags: u8,
    /// 13 bits, in units of 8 bytes.
    pub fragment_offset: u16,
    pub ttl: u8,
    /// 17 for UDP, 6 for TCP, 1 for ICMP.
    pub protocol: u8,
    pub checksum: u16,
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
}

impl Ipv4Header {
    /// The header's length in bytes, options included: IHL × 4. (Given.)
    pub fn header_len(&self) -> usize {
        usize::from(self.ihl) * 4
    }
}

/// Parses the IPv4 header at the start of `packet` and returns it with the
/// payload: the bytes after the header (and its options), up to the total length.
pub fn parse_ipv4(packet: &[u8]) -> Result<(Ipv4Header, &[u8]), WireError> {
    // TODO, in this order (the tests expect the first error that applies):
    //  1. fewer than 20 bytes: `Truncated { needed: 20, got }`
    //  2. version (high 4 bits of byte 0) not 4: `WrongVersion(v)`
    //  3. IHL (low 4 bits of byte 0) below 5: `BadIhl(ihl)`
    //  4. fewer than IHL × 4 bytes: `Truncated`
    //  5. `internet_checksum` of the IHL × 4 header bytes not 0:
    //     `BadChecksum { stored, computed }`, where computed is the checksum
    //     of the header with bytes 10-11 set to zero
    //  6. total length (bytes 2-3) below IHL × 4: `BadTotalLength(len)`;
    //     more than the bytes you have: `Truncated`
    //  Then read the fields, and return the payload `packet[IHL × 4 .. total length]`.
    //  Never index before checking the length: truncated input must be an
    //  Err, not a panic.
    todo!("parse an IPv4 header: see the section 'Reading the IPv4 header'")
}

/// The UDP header (RFC 768): four 16-bit fields. (Given.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    /// Header plus data, in bytes: at least 8.
    pub length: u16,
    pub checksum: u16,
}

/// Parses the UDP header at the start of `datagram` and returns it with the
/// data (the bytes after the header, up to the UDP length).
pub fn parse_udp(datagram: &[u8]) -> Result<(UdpHeader, &[u8]), WireError> {
    // TODO: fewer than 8 bytes is `Truncated`; a length field below 8 is
    // `BadUdpLength`; a length field beyond the bytes you have is `Truncated`.
    // The data is `datagram[8..length]`.
    todo!("parse a UDP header: see the section 'Reading the UDP header'")
}

/// Parses an IPv4 packet that carries UDP: both headers and the data.
pub fn parse_ipv4_udp(packet: &[u8]) -> Result<(Ipv4Header, UdpHeader, &[u8]), WireError> {
    // TODO: `parse_ipv4`, then `NotUdp(protocol)` unless the protocol is 17,
    // then `parse_udp` on the IPv4 payload.
    todo!("both headers: see the section 'Reading the UDP header'")
}
