//! What `ToSocketAddrs` gives back for a few inputs on this machine. Behind
//! every input that is not a literal address, std calls getaddrinfo(3).
//! `cargo run -p demos --example names_resolve [-- HOST:PORT ...]`

use std::net::{SocketAddr, ToSocketAddrs};

// ANCHOR: show
/// Resolves `input` and prints every address it gave, or the error.
fn show(label: &str, input: impl ToSocketAddrs) {
    match input.to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<SocketAddr> = addrs.collect();
            println!("{label:<24} -> {addrs:?}");
        }
        Err(e) => println!("{label:<24} -> error: {e} ({:?})", e.kind()),
    }
}

fn main() {
    show("\"localhost:80\"", "localhost:80");
    show("(\"localhost\", 443)", ("localhost", 443));
    show("\"127.0.0.1:80\"", "127.0.0.1:80");
    show("\"[::1]:80\"", "[::1]:80");
    show("(\"::1\", 80)", ("::1", 80));
    // No port: a &str must be "host:port", so this fails before any lookup.
    show("\"localhost\"", "localhost");
    // A service name is not a port number for ToSocketAddrs.
    show("\"localhost:http\"", "localhost:http");
    // Anything given on the command line, e.g. `-- shop.course.test:443`.
    for arg in std::env::args().skip(1) {
        show(&format!("{arg:?}"), arg.as_str());
    }
}
// ANCHOR_END: show
