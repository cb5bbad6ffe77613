//! TCP keepalive on an idle connection: after TCP_KEEPIDLE seconds of
//! silence the kernel sends an empty probe, and repeats every TCP_KEEPINTVL
//! seconds; after TCP_KEEPCNT unanswered probes it gives up on the peer.
//! Here the peer is alive, so every probe is answered. Watch the probes
//! with tcpdump on `lo`. Takes about 3.5 seconds.
//! `cargo run -p demos --example options_keepalive`
//! (Linux, macOS and FreeBSD: Windows and OpenBSD cannot read the values back.)

use socket2::{SockRef, TcpKeepalive};
use std::io::{self, Read};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "freebsd"))]
fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (mut served, _) = listener.accept()?;

    // ANCHOR: keepalive
    let keepalive = TcpKeepalive::new()
        .with_time(Duration::from_secs(1)) // TCP_KEEPIDLE: idle time before the first probe
        .with_interval(Duration::from_secs(1)) // TCP_KEEPINTVL: between probes
        .with_retries(3); // TCP_KEEPCNT: unanswered probes before the connection is dropped
    let socket = SockRef::from(&client);
    socket.set_tcp_keepalive(&keepalive)?; // also turns SO_KEEPALIVE on
    // ANCHOR_END: keepalive
    println!(
        "SO_KEEPALIVE={} TCP_KEEPIDLE={:?} TCP_KEEPINTVL={:?} TCP_KEEPCNT={}",
        socket.keepalive()?,
        socket.tcp_keepalive_time()?,
        socket.tcp_keepalive_interval()?,
        socket.tcp_keepalive_retries()?
    );
    println!("idle for 3.5 s; the kernel probes the peer meanwhile");
    thread::sleep(Duration::from_millis(3500));

    // Nothing was ever sent, yet the connection is still known to be alive.
    served.set_read_timeout(Some(Duration::from_millis(100)))?;
    let mut buf = [0u8; 1];
    let read = served.read(&mut buf);
    println!("server read after the idle time: {:?}", read.map_err(|e| e.kind()));
    Ok(())
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos", target_os = "freebsd")))]
fn main() {
    println!("this demo reads TCP_KEEPIDLE and friends back, which this platform does not offer");
}
