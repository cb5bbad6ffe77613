//! The same numbers in this machine's byte order and in network byte order,
//! and what a C `struct sockaddr_in` holds for 192.0.2.1:8080.
//! `cargo run -p demos --example networking_byte_order`

use std::net::Ipv4Addr;

fn main() {
    // ANCHOR: numbers
    let port: u16 = 8080;
    println!("port {port} = {port:#06x}");
    println!("  in this machine's memory: {:02x?}", port.to_ne_bytes());
    println!("  in network byte order:    {:02x?}", port.to_be_bytes());

    let ip = Ipv4Addr::new(192, 0, 2, 1);
    let n = u32::from(ip);
    println!("address {ip} = {n:#010x}");
    println!("  in this machine's memory: {:02x?}", n.to_ne_bytes());
    println!("  in network byte order:    {:02x?}", n.to_be_bytes());
    // ANCHOR_END: numbers

    // ANCHOR: sockaddr
    // What C code builds with htons() and htonl(), through the libc crate.
    #[cfg(target_os = "linux")]
    {
        let sa = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: port.to_be(),                        // htons(8080)
            sin_addr: libc::in_addr { s_addr: n.to_be() }, // htonl(...)
            sin_zero: [0; 8],
        };
        println!("struct sockaddr_in is {} bytes", std::mem::size_of::<libc::sockaddr_in>());
        println!("  sin_family = {}", sa.sin_family);
        println!("  sin_port   = {:#06x} (read as a native u16)", sa.sin_port);
        println!("  s_addr     = {:#010x} (read as a native u32)", sa.sin_addr.s_addr);
    }
    // ANCHOR_END: sockaddr
}
