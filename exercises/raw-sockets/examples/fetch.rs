//! Sends a minimal HTTP/1.0 GET with your `raw_sockets::fetch` and prints
//! the reply: `fetch HOST PORT [PATH]`.
//!
//! Run: `python3 -m http.server 8000 --bind 127.0.0.1` in one terminal, then
//! `cargo run -p raw-sockets --example fetch -- 127.0.0.1 8000 /` in another.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let host = args.next().unwrap_or_else(|| "127.0.0.1".to_string());
    let port = args.next().and_then(|p| p.parse().ok()).unwrap_or(8000);
    let path = args.next().unwrap_or_else(|| "/".to_string());
    let request = format!("GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n");
    match raw_sockets::fetch(&host, port, request.as_bytes()) {
        Ok(reply) => {
            let _ = std::io::stdout().write_all(&reply);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fetch {host} port {port}: {e}");
            ExitCode::FAILURE
        }
    }
}
