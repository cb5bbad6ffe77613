//! The server's and the client's lifecycle, one system call per step, with
//! socket2 so that no step is hidden. (`TcpListener::bind` does the first
//! four server steps in one call; `TcpStream::connect` the two client steps.)
//! `cargo run -p demos --example sockets_lifecycle`

use socket2::{Domain, Protocol, Socket, Type};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

// ANCHOR: server
fn start_server() -> io::Result<Socket> {
    // 1. socket(2): an endpoint with no address yet.
    let listener = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    // 2. setsockopt(2): options that must be set before bind.
    listener.set_reuse_address(true)?;
    // 3. bind(2): claim a local address. Port 0 lets the kernel choose.
    let wanted: SocketAddr = "127.0.0.1:0".parse().unwrap();
    listener.bind(&wanted.into())?;
    // 4. listen(2): become a listening socket; the kernel now completes
    //    handshakes on its own and queues them (up to the backlog).
    listener.listen(128)?;
    Ok(listener)
}
// ANCHOR_END: server

// ANCHOR: accept
fn accept_one(listener: &Socket) -> io::Result<Socket> {
    // 5. accept(2): take one finished connection off the queue. It is a NEW
    //    socket; the listener stays as it was, ready for the next client.
    let (conn, peer) = listener.accept()?;
    println!(
        "server: accepted {}, a new socket: local {}, peer {}",
        peer.as_socket().unwrap(),
        conn.local_addr()?.as_socket().unwrap(),
        conn.peer_addr()?.as_socket().unwrap()
    );
    Ok(conn)
}
// ANCHOR_END: accept

// ANCHOR: client
fn connect_client(server: SocketAddr) -> io::Result<Socket> {
    // 1. socket(2) again, for the client.
    let client = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    // 2. connect(2): no bind needed; the kernel picks a local address and an
    //    ephemeral port for us as part of the connect.
    client.connect(&server.into())?;
    let local = client.local_addr()?.as_socket().unwrap();
    println!("client: connected from {local} (port chosen by the kernel)");
    Ok(client)
}
// ANCHOR_END: client

fn main() -> io::Result<()> {
    let listener = start_server()?;
    let server_addr = listener.local_addr()?.as_socket().unwrap();
    println!("server: listening on {server_addr}");
    let client = connect_client(server_addr)?;
    let conn = accept_one(&listener)?;

    // From here on both are ordinary connected streams.
    let mut conn: TcpStream = conn.into();
    let mut client: TcpStream = client.into();
    client.write_all(b"hi")?;
    let mut buf = [0u8; 2];
    conn.read_exact(&mut buf)?;
    println!("server: read {:?}", String::from_utf8_lossy(&buf));
    Ok(())
}
