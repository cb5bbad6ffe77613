//! One IPv6 socket, two address families: a listener on [::] with
//! IPV6_V6ONLY off accepts a connection made to 127.0.0.1, and sees the
//! client as a v4-mapped IPv6 address. With IPV6_V6ONLY on, it does not.
//! `cargo run -p demos --example names_dual_stack`

use socket2::{Domain, Socket, Type};
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

// ANCHOR: listener
/// A TCP listener on [::]:0 (every address, IPv6 and, unless `v6_only`, IPv4).
fn listen_any(v6_only: bool) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::IPV6, Type::STREAM, None)?;
    // Must be set before bind. Linux's default comes from
    // /proc/sys/net/ipv6/bindv6only (0); Windows defaults to on.
    socket.set_only_v6(v6_only)?;
    socket.bind(&SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)).into())?;
    socket.listen(16)?;
    Ok(socket.into())
}
// ANCHOR_END: listener

fn main() -> io::Result<()> {
    for v6_only in [false, true] {
        let listener = listen_any(v6_only)?;
        let port = listener.local_addr()?.port();
        println!("IPV6_V6ONLY={v6_only}: listening on {}", listener.local_addr()?);
        // ANCHOR: connect
        let target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        match TcpStream::connect_timeout(&target, Duration::from_secs(2)) {
            Ok(client) => {
                let (_, peer) = listener.accept()?;
                println!("  client {} -> {target}", client.local_addr()?);
                println!("  server sees peer {peer}");
                println!("  which is really   {}", peer.ip().to_canonical());
            }
            Err(e) => println!("  connect to {target}: {e}"),
        }
        // ANCHOR_END: connect
        let target = SocketAddr::from((Ipv6Addr::LOCALHOST, port));
        match TcpStream::connect_timeout(&target, Duration::from_secs(2)) {
            Ok(_) => println!("  connect to {target}: ok, peer {}", listener.accept()?.1),
            Err(e) => println!("  connect to {target}: {e}"),
        }
    }
    Ok(())
}
