//! Which (domain, type) pairs does this kernel support, and which protocol
//! does it pick when you pass 0? Asks the kernel itself, cell by cell.
//! `cargo run -p demos --example sockets_domains`
//!
//! Each cell is one `socket(domain, type, 0)` call (socket2's `Socket::new`
//! with no protocol), followed by `getsockopt(SO_PROTOCOL)` to read back the
//! protocol the kernel chose. Raw sockets need root (or CAP_NET_RAW).
//! Linux only: SO_PROTOCOL and these errno names are Linux's.

#[cfg(target_os = "linux")]
use socket2::{Domain, Socket, Type};

#[cfg(target_os = "linux")]
// ANCHOR: cells
fn main() {
    let domains = [("AF_UNIX", Domain::UNIX), ("AF_INET", Domain::IPV4), ("AF_INET6", Domain::IPV6)];
    let types = [
        ("SOCK_STREAM", Type::STREAM),
        ("SOCK_DGRAM", Type::DGRAM),
        ("SOCK_SEQPACKET", Type::SEQPACKET),
        ("SOCK_RAW", Type::RAW),
    ];
    println!("{:<15} {:<24} {:<24} {}", "", domains[0].0, domains[1].0, domains[2].0);
    for (type_name, ty) in types {
        let cells: Vec<String> = domains
            .iter()
            .map(|&(_, domain)| match Socket::new(domain, ty, None) {
                // The socket is closed again when `socket` is dropped.
                Ok(socket) => {
                    let protocol = socket.protocol().ok().flatten().map_or(0, i32::from);
                    // Linux quietly turns an AF_UNIX SOCK_RAW into SOCK_DGRAM.
                    let became = match socket.r#type() {
                        Ok(t) if t != ty => " as DGRAM",
                        _ => "",
                    };
                    format!("ok{became}, protocol {}", name(protocol))
                }
                Err(e) => short(&e),
            })
            .collect();
        let row = format!("{type_name:<15} {:<24} {:<24} {}", cells[0], cells[1], cells[2]);
        println!("{}", row.trim_end());
    }

    // Raw IP sockets want a protocol number: the one whose packets they see.
    for (label, domain, protocol) in [
        ("AF_INET,  SOCK_RAW, IPPROTO_ICMP  ", Domain::IPV4, socket2::Protocol::ICMPV4),
        ("AF_INET6, SOCK_RAW, IPPROTO_ICMPV6", Domain::IPV6, socket2::Protocol::ICMPV6),
    ] {
        match Socket::new(domain, Type::RAW, Some(protocol)) {
            Ok(socket) => {
                let got = socket.protocol().ok().flatten().map_or(0, i32::from);
                println!("{label}: ok, protocol {}", name(got));
            }
            Err(e) => println!("{label}: {}", short(&e)),
        }
    }
}
// ANCHOR_END: cells

/// The names of the protocol numbers in /etc/protocols that can turn up here.
#[cfg(target_os = "linux")]
fn name(protocol: i32) -> String {
    match protocol {
        0 => "0".to_string(),
        1 => "1 (ICMP)".to_string(),
        6 => "6 (TCP)".to_string(),
        17 => "17 (UDP)".to_string(),
        58 => "58 (ICMPv6)".to_string(),
        132 => "132 (SCTP)".to_string(),
        n => n.to_string(),
    }
}

/// The errno name, which is what the man pages list.
#[cfg(target_os = "linux")]
fn short(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::ESOCKTNOSUPPORT) => "ESOCKTNOSUPPORT".to_string(),
        Some(libc::EPROTONOSUPPORT) => "EPROTONOSUPPORT".to_string(),
        Some(libc::EPROTOTYPE) => "EPROTOTYPE".to_string(),
        Some(libc::EPERM) => "EPERM (needs root)".to_string(),
        Some(libc::EACCES) => "EACCES (needs root)".to_string(),
        Some(libc::EAFNOSUPPORT) => "EAFNOSUPPORT".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("this demo asks a Linux kernel; on this system, see the table in the book");
}
