//! Model answer for `wire-formats`: byte order by hand, a `sockaddr_in` as
//! 16 bytes, and the IPv4 and UDP headers of a captured packet.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddrV4};

/// Why some bytes are not what they claim to be.
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

// ANCHOR: byte_order
/// `0x1f90` becomes `[0x1f, 0x90]`: most significant byte first (network order).
pub fn u16_to_be_bytes(x: u16) -> [u8; 2] {
    [(x >> 8) as u8, x as u8]
}

/// `[0x1f, 0x90]` becomes `0x1f90`.
pub fn u16_from_be_bytes(b: [u8; 2]) -> u16 {
    (u16::from(b[0]) << 8) | u16::from(b[1])
}

/// `0xc0000201` becomes `[192, 0, 2, 1]`.
pub fn u32_to_be_bytes(x: u32) -> [u8; 4] {
    [(x >> 24) as u8, (x >> 16) as u8, (x >> 8) as u8, x as u8]
}

/// `[192, 0, 2, 1]` becomes `0xc0000201`.
pub fn u32_from_be_bytes(b: [u8; 4]) -> u32 {
    (u32::from(b[0]) << 24) | (u32::from(b[1]) << 16) | (u32::from(b[2]) << 8) | u32::from(b[3])
}

/// `0x1f90` becomes `[0x90, 0x1f]`: least significant byte first, the order
/// x86 and most ARM machines keep numbers in memory.
pub fn u16_to_le_bytes(x: u16) -> [u8; 2] {
    [x as u8, (x >> 8) as u8]
}

/// `[0x90, 0x1f]` becomes `0x1f90`.
pub fn u16_from_le_bytes(b: [u8; 2]) -> u16 {
    u16::from(b[0]) | (u16::from(b[1]) << 8)
}
// ANCHOR_END: byte_order

/// `AF_INET` on Linux.
pub const AF_INET: u16 = 2;

// ANCHOR: sockaddr_in
/// The 16 bytes of a Linux `struct sockaddr_in` on a little-endian machine:
/// family (host order), port and address (network order), 8 zero bytes.
pub fn encode_sockaddr_in(addr: SocketAddrV4) -> [u8; 16] {
    let mut out = [0u8; 16];
    out[0..2].copy_from_slice(&u16_to_le_bytes(AF_INET));
    out[2..4].copy_from_slice(&u16_to_be_bytes(addr.port()));
    out[4..8].copy_from_slice(&u32_to_be_bytes(u32::from(*addr.ip())));
    // out[8..16], `sin_zero`, stays zero.
    out
}

/// Reads the 16 bytes of a `sockaddr_in` back into an address.
pub fn decode_sockaddr_in(bytes: &[u8]) -> Result<SocketAddrV4, WireError> {
    let record = bytes.get(..16).ok_or(WireError::Truncated { needed: 16, got: bytes.len() })?;
    let family = u16_from_le_bytes([record[0], record[1]]);
    if family != AF_INET {
        return Err(WireError::WrongFamily(family));
    }
    let port = u16_from_be_bytes([record[2], record[3]]);
    let ip = u32_from_be_bytes([record[4], record[5], record[6], record[7]]);
    Ok(SocketAddrV4::new(Ipv4Addr::from(ip), port))
}
// ANCHOR_END: sockaddr_in

// ANCHOR: checksum
/// The Internet checksum of RFC 1071: the ones' complement of the ones'
/// complement sum of the bytes taken as big-endian 16-bit words (an odd last
/// byte is padded with a zero). Over a header that holds its checksum, it is 0.
pub fn internet_checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut words = bytes.chunks_exact(2);
    for word in &mut words {
        sum += u32::from(u16_from_be_bytes([word[0], word[1]]));
    }
    if let [last] = words.remainder() {
        sum += u32::from(u16_from_be_bytes([*last, 0]));
    }
    // Fold the carries back in until none are left: adding one carry can
    // make another (0xffff + 0x1 = 0x10000).
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}
// ANCHOR_END: checksum

/// The fixed fields of an IPv4 header (RFC 791, section 3.1).
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
    /// The header's length in bytes, options included: IHL × 4.
    pub fn header_len(&self) -> usize {
        usize::from(self.ihl) * 4
    }
}

/// Where to read a field: the length check happened before, so these only
/// index inside `bytes`.
fn be16(bytes: &[u8], at: usize) -> u16 {
    u16_from_be_bytes([bytes[at], bytes[at + 1]])
}

fn ipv4_at(bytes: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::from(u32_from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]))
}

// BUG: trusts the input to be as long as it says; indexing does the checking (by panicking).
fn need(_bytes: &[u8], _needed: usize) -> Result<(), WireError> {
    Ok(())
}

// ANCHOR: parse_ipv4
/// Parses the IPv4 header at the start of `packet` and returns it with the
/// payload: the bytes after the header (options included in the header),
/// up to the total length.
pub fn parse_ipv4(packet: &[u8]) -> Result<(Ipv4Header, &[u8]), WireError> {
    need(packet, 20)?;
    let version = packet[0] >> 4;
    if version != 4 {
        return Err(WireError::WrongVersion(version));
    }
    let ihl = packet[0] & 0x0f;
    if ihl < 5 {
        return Err(WireError::BadIhl(ihl));
    }
    let header_len = usize::from(ihl) * 4;
    need(packet, header_len)?;

    let header = &packet[..header_len];
    if internet_checksum(header) != 0 {
        let stored = be16(header, 10);
        let mut zeroed = header.to_vec();
        zeroed[10..12].fill(0);
        return Err(WireError::BadChecksum { stored, computed: internet_checksum(&zeroed) });
    }

    let total_length = be16(header, 2);
    if usize::from(total_length) < header_len {
        return Err(WireError::BadTotalLength(total_length));
    }
    need(packet, usize::from(total_length))?;

    let flags_and_offset = be16(header, 6);
    let parsed = Ipv4Header {
        version,
        ihl,
        tos: header[1],
        total_length,
        identification: be16(header, 4),
        flags: (flags_and_offset >> 13) as u8,
        fragment_offset: flags_and_offset & 0x1fff,
        ttl: header[8],
        protocol: header[9],
        checksum: be16(header, 10),
        source: ipv4_at(header, 12),
        destination: ipv4_at(header, 16),
    };
    // The payload starts after the options, at IHL × 4, not at 20; and it
    // ends at the total length (a link layer may pad short frames).
    Ok((parsed, &packet[header_len..usize::from(total_length)]))
}
// ANCHOR_END: parse_ipv4

/// The UDP header (RFC 768): four 16-bit fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UdpHeader {
    pub source_port: u16,
    pub destination_port: u16,
    /// Header plus data, in bytes: at least 8.
    pub length: u16,
    pub checksum: u16,
}

// ANCHOR: parse_udp
/// Parses the UDP header at the start of `datagram` and returns it with the
/// data (the bytes after the header, up to the UDP length).
pub fn parse_udp(datagram: &[u8]) -> Result<(UdpHeader, &[u8]), WireError> {
    need(datagram, 8)?;
    let length = be16(datagram, 4);
    if length < 8 {
        return Err(WireError::BadUdpLength(length));
    }
    need(datagram, usize::from(length))?;
    let header = UdpHeader {
        source_port: be16(datagram, 0),
        destination_port: be16(datagram, 2),
        length,
        checksum: be16(datagram, 6),
    };
    Ok((header, &datagram[8..usize::from(length)]))
}

/// Parses an IPv4 packet that carries UDP: both headers and the data.
pub fn parse_ipv4_udp(packet: &[u8]) -> Result<(Ipv4Header, UdpHeader, &[u8]), WireError> {
    let (ip, payload) = parse_ipv4(packet)?;
    if ip.protocol != 17 {
        return Err(WireError::NotUdp(ip.protocol));
    }
    let (udp, data) = parse_udp(payload)?;
    Ok((ip, udp, data))
}
// ANCHOR_END: parse_udp
