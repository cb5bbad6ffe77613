//! Lists what getaddrinfo says about a name, like Python's
//! `socket.getaddrinfo(host, port)`, using your `raw_sockets::lookup`.
//!
//! Run: `cargo run -p raw-sockets --example lookup -- localhost 80`

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let host = args.next().unwrap_or_else(|| "localhost".to_string());
    let port = args.next().and_then(|p| p.parse().ok()).unwrap_or(80);
    match raw_sockets::lookup(&host, port) {
        Ok(entries) => {
            for entry in entries {
                println!(
                    "family {:>2}  socktype {}  protocol {:>2}  {}",
                    entry.family, entry.socktype, entry.protocol, entry.address
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lookup {host}: {e}");
            ExitCode::FAILURE
        }
    }
}
