//! Each server form echoes, to several clients at once, a message big
//! enough that the server's writes come up short.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Duration;

/// Kills the server when the test ends, even if it fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(mode: &str) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_echo-bench"))
        .arg(mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start echo-bench");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read the first line");
    let address = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("said {line:?}"));
    (server, address.to_string())
}

fn echo_many(mode: &str) {
    let (_server, address) = start(mode);
    let clients: Vec<_> = (0..4u8)
        .map(|id| {
            let address = address.clone();
            thread::spawn(move || {
                let mut stream = TcpStream::connect(&address).expect("connect");
                stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
                let payload: Vec<u8> = (0..2u32 << 20).map(|i| (i % 251) as u8 ^ id).collect();
                let mut writer = stream.try_clone().expect("clone");
                let sent = payload.clone();
                let sender = thread::spawn(move || {
                    writer.write_all(&sent).expect("send");
                    writer.shutdown(Shutdown::Write).expect("shutdown");
                });
                let mut echo = Vec::new();
                stream.read_to_end(&mut echo).expect("read the echo");
                sender.join().expect("sender");
                assert!(
                    echo == payload,
                    "client {id}: {} bytes back of {}, or different",
                    echo.len(),
                    payload.len()
                );
            })
        })
        .collect();
    for client in clients {
        client.join().expect("client");
    }
}

#[test]
fn threads_echo_to_several_clients() {
    echo_many("threads");
}

#[test]
fn mio_echoes_to_several_clients() {
    echo_many("mio");
}
