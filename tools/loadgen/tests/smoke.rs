//! A quick run of `loadgen` against a small echo server in this test, and
//! the checks that keep it on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::thread;

/// A thread-per-connection echo server on 127.0.0.1:0 that runs until the
/// test process ends.
fn echo_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("local_addr").to_string();
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    if stream.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    address
}

fn loadgen(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_loadgen")).args(args).output().expect("run loadgen");
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn measures_an_echo_server_for_one_second() {
    let address = echo_server();
    let pid = std::process::id().to_string();
    let args = ["--connections", "20", "--active", "10", "--size", "300", "--seconds", "1", "--csv"];
    let (ok, text) = loadgen(&[&[address.as_str(), "--server-pid", &pid], &args[..]].concat());
    assert!(ok, "loadgen failed:\n{text}");
    assert!(text.contains("20 connections (10 active, 10 idle)") && text.contains(" 0 errors"), "{text}");
    let csv =
        text.lines().find(|l| l.starts_with("20,10,10,300,")).unwrap_or_else(|| panic!("no CSV:\n{text}"));
    let fields: Vec<&str> = csv.split(',').collect();
    assert_eq!(fields.len(), 14, "{csv}");
    let messages: u64 = fields[5].parse().expect("messages");
    assert!(messages > 100, "only {messages} messages in a second:\n{text}");
}

#[test]
fn notices_a_server_that_does_not_echo_faithfully() {
    // Echoes every byte plus one: a corrupted echo must count as an error.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("local_addr").to_string();
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    buf[..n].iter_mut().for_each(|b| *b = b.wrapping_add(1));
                    if stream.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    let (ok, text) = loadgen(&[&address, "--connections", "2", "--seconds", "0.2"]);
    assert!(!ok && text.contains("2 errors") && text.contains("came back as"), "{text}");
}

#[test]
fn refuses_addresses_off_this_machine() {
    // TEST-NET-1 (RFC 5737): refused before any packet is sent.
    let (ok, text) = loadgen(&["192.0.2.1:7", "--seconds", "0.1"]);
    assert!(!ok && text.contains("only talks to loopback"), "{text}");
}

#[test]
fn rejects_impossible_settings() {
    let (ok, text) = loadgen(&["127.0.0.1:7", "--connections", "5", "--active", "6"]);
    assert!(!ok && text.contains("active <= connections"), "{text}");
}
