//! Where "port 0" lands: the kernel picks a free ephemeral port, from the
//! range in /proc/sys/net/ipv4/ip_local_port_range on Linux.
//! `cargo run -p demos --example networking_ephemeral_ports`

use std::net::UdpSocket;

fn main() -> std::io::Result<()> {
    // ANCHOR: main
    // Linux's range for ports it picks itself (`sysctl net.ipv4.ip_local_port_range`).
    match std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range") {
        Ok(range) => {
            println!("ip_local_port_range: {}", range.split_whitespace().collect::<Vec<_>>().join("-"))
        }
        Err(_) => println!("no /proc/sys/net/ipv4/ip_local_port_range here (not Linux?)"),
    }

    // Bind ten sockets to port 0 on loopback: "any free port, please".
    let sockets: Vec<UdpSocket> =
        (0..10).map(|_| UdpSocket::bind("127.0.0.1:0")).collect::<Result<_, _>>()?;
    let mut ports: Vec<u16> =
        sockets.iter().map(|s| s.local_addr().map(|a| a.port())).collect::<Result<_, _>>()?;
    println!("ten sockets bound to port 0 got: {ports:?}");
    ports.sort_unstable();
    println!("lowest {}, highest {}", ports[0], ports[ports.len() - 1]);
    // ANCHOR_END: main
    Ok(())
}
