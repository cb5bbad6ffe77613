//! The harness keeps its promises: deadlines fire, reports show the bytes.

use harness::{Book, Client, run_stage};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;
use std::time::{Duration, Instant};

const BOOK: Book = Book("tcp-echo-server.md#the-read-loop");

/// Runs a stage that must fail and returns its failure message.
fn failure_of(body: impl FnOnce(&harness::Stage) + Send + 'static, deadline: Duration) -> String {
    let outcome = catch_unwind(AssertUnwindSafe(|| run_stage("a stage that fails", BOOK, deadline, body)));
    let panic = outcome.expect_err("the stage should have failed");
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn the_watchdog_fails_a_stage_that_outlives_its_deadline() {
    let started = Instant::now();
    let message = failure_of(
        |t| {
            t.step("sleeping on purpose");
            thread::sleep(Duration::from_secs(3));
        },
        Duration::from_millis(300),
    );
    assert!(started.elapsed() < Duration::from_secs(2), "the watchdog waited {:?}", started.elapsed());
    assert!(message.contains("did not finish within its 0.3 s deadline"), "{message}");
    assert!(message.contains("waiting for: sleeping on purpose"), "{message}");
}

#[test]
fn a_peer_that_never_answers_fails_within_the_clients_patience() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts, then holds the connection open without a word.
    let silent = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        thread::sleep(Duration::from_secs(2));
        drop(stream);
    });
    let started = Instant::now();
    let message = failure_of(
        move |t| {
            let mut client = Client::connect(t, addr);
            client.set_patience(Duration::from_millis(300));
            client.send(b"ping\n");
            client.expect(b"ping\n", "the hint for this check");
        },
        Duration::from_secs(10),
    );
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    for needed in [
        "0 bytes of the expected 5 bytes arrived",
        r#"sent: "ping\n" (5 bytes)"#,
        "nothing arrived within",
        "hint: the hint for this check",
        "src/tcp-echo-server.md#the-read-loop",
    ] {
        assert!(message.contains(needed), "missing {needed:?} in:\n{message}");
    }
    silent.join().unwrap();
}

#[test]
fn a_wrong_reply_is_shown_escaped_with_the_first_difference() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 16];
        let n = stream.read(&mut buf).unwrap();
        stream.write_all(&buf[..n].to_ascii_uppercase()).unwrap();
    });
    let message = failure_of(
        move |t| {
            let mut client = Client::connect(t, addr);
            client.send(b"hi\r\n");
            client.expect(b"hi\r\n", "echo exactly");
        },
        Duration::from_secs(10),
    );
    assert!(message.contains(r#"received: "HI\r\n" (4 bytes)"#), "{message}");
    assert!(message.contains("first difference: at byte 0"), "{message}");
    peer.join().unwrap();
}

#[test]
fn a_reset_reaches_the_peer_as_connection_reset() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    run_stage("reset", BOOK, Duration::from_secs(10), move |t| {
        let client = Client::connect(t, addr);
        let (mut accepted, _) = listener.accept().unwrap();
        client.reset();
        let mut buf = [0u8; 8];
        let error = accepted.read(&mut buf).expect_err("a reset connection cannot be read");
        assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);
    });
}

#[test]
fn a_server_that_exits_before_announcing_is_reported_with_its_status() {
    let message = failure_of(
        |t| {
            t.start_server("/bin/sh", &["-c", "echo 'cannot bind: no permission' >&2; exit 3"]);
        },
        Duration::from_secs(10),
    );
    for needed in ["before printing `listening on ADDRESS`", "exit status: 3", "cannot bind: no permission"] {
        assert!(message.contains(needed), "missing {needed:?} in:\n{message}");
    }
}
