//! Test support for Unix domain sockets: fresh temporary directories and a
//! patient client for a line protocol over a socket file. (To run the
//! server under test, use [`crate::Process`].)

use crate::escape::{count, show};
use crate::failure::Failure;
use crate::stage::Stage;
use std::io::{self, ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// A fresh directory under the system's temporary directory, named after the
/// test process and a counter so that parallel tests never share one.
/// Removed, with everything in it, when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `$TMPDIR/<prefix>-<pid>-<n>`. Keep the prefix short: a socket
    /// path must fit in `sun_path` (108 bytes on Linux, 104 on macOS).
    pub fn new(prefix: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{n}", std::process::id()));
        // Left over from an earlier run whose process had the same pid.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("the harness could not create {}: {e}", path.display()));
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A test client for a line protocol over a Unix stream socket. Every wait
/// has a deadline; failures show what was sent and what came back.
pub struct UnixClient {
    stage: Stage,
    stream: UnixStream,
    label: String,
    sent: Vec<u8>,
}

impl UnixClient {
    /// Connects to the socket file at `path`, once, without retrying: for a
    /// server that already announced it is listening.
    #[track_caller]
    pub fn connect(stage: &Stage, path: &Path) -> UnixClient {
        stage.step(format!("connecting to {}", path.display()));
        match UnixStream::connect(path) {
            Ok(stream) => UnixClient::from_stream(stage, stream, &format!("client of {}", path.display())),
            Err(e) => stage.fail(
                Failure::new(format!("could not connect to {}", path.display()))
                    .detail("error", describe_error(&e))
                    .hint(
                        "the server announced this path but nothing accepts connections there. \
                         NotFound (ENOENT) means there is no file; ConnectionRefused (ECONNREFUSED) \
                         means a file but no listening socket behind it (the server exited, or \
                         dropped its listener).",
                    ),
            ),
        }
    }

    /// Wraps a connected stream.
    pub fn from_stream(stage: &Stage, stream: UnixStream, label: &str) -> UnixClient {
        stream.set_read_timeout(Some(crate::client::PATIENCE)).expect("set_read_timeout");
        stream.set_write_timeout(Some(crate::client::PATIENCE)).expect("set_write_timeout");
        UnixClient { stage: stage.clone(), stream, label: label.to_string(), sent: Vec::new() }
    }

    /// Names this client in failure reports.
    pub fn with_label(mut self, label: impl Into<String>) -> UnixClient {
        self.label = label.into();
        self
    }

    pub fn stream(&self) -> &UnixStream {
        &self.stream
    }

    /// Sends all of `bytes`.
    #[track_caller]
    pub fn send(&mut self, bytes: &[u8]) {
        self.stage.step(format!("{} sending {}", self.label, show(bytes)));
        if let Err(e) = self.stream.write_all(bytes) {
            self.stage.fail(
                Failure::new(format!("could not send: {}", describe_error(&e)))
                    .detail("connection", self.label.clone())
                    .detail("sent before", show(&self.sent))
                    .detail("trying to send", show(bytes))
                    .hint("the server closed the connection while the client was still talking"),
            );
        }
        self.sent.extend_from_slice(bytes);
    }

    /// Sends `bytes` one byte per write with a pause after each.
    #[track_caller]
    pub fn trickle(&mut self, bytes: &[u8], pause: Duration) {
        for &byte in bytes {
            self.send(&[byte]);
            thread::sleep(pause);
        }
    }

    /// Reads exactly `expected.len()` bytes and fails unless they match.
    #[track_caller]
    pub fn expect(&mut self, expected: &[u8], hint: &str) {
        self.stage.step(format!("{} waiting to receive {}", self.label, show(expected)));
        let (got, end) = self.read_up_to(expected.len());
        if got != expected {
            let problem = if got.len() == expected.len() {
                "the bytes that arrived are not the expected ones".to_string()
            } else {
                format!("{} of the expected {} arrived", count(got.len()), count(expected.len()))
            };
            self.stage.fail(
                Failure::new(problem)
                    .detail("connection", self.label.clone())
                    .detail("sent", show(&self.sent))
                    .detail("expected", show(expected))
                    .detail("received", format!("{} {end}", show(&got)))
                    .hint(hint),
            );
        }
    }

    /// Expects the server to close the connection without sending more.
    #[track_caller]
    pub fn expect_eof(&mut self, hint: &str) {
        self.stage.step(format!("{} waiting for the server to close the connection", self.label));
        let mut buf = [0u8; 256];
        let problem = match self.stream.read(&mut buf) {
            Ok(0) => return,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
            Ok(n) => format!("expected the connection to close, but {} arrived", show(&buf[..n])),
            Err(e) => {
                format!("expected the connection to close, but the read ended with {}", describe_error(&e))
            }
        };
        self.stage.fail(
            Failure::new(problem)
                .detail("connection", self.label.clone())
                .detail("sent", show(&self.sent))
                .hint(hint),
        );
    }

    fn read_up_to(&mut self, n: usize) -> (Vec<u8>, String) {
        let mut got = Vec::with_capacity(n);
        let mut buf = [0u8; 4096];
        while got.len() < n {
            let want = (n - got.len()).min(buf.len());
            match self.stream.read(&mut buf[..want]) {
                Ok(0) => return (got, "then the server closed the connection (EOF)".to_string()),
                Ok(k) => got.extend_from_slice(&buf[..k]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return (got, format!("then nothing more for {} s", crate::client::PATIENCE.as_secs()));
                }
                Err(e) => return (got, format!("then the read failed: {}", describe_error(&e))),
            }
        }
        (got, String::new())
    }
}

/// `Connection refused (os error 111), ConnectionRefused`: the message, the
/// errno and the kind, which is what the book's error tables use.
pub fn describe_error(e: &io::Error) -> String {
    format!("{e} ({:?})", e.kind())
}
