//! Test support for `remote-exec`: a private temp dir per test, the server
//! started on a Unix socket (or TCP), and a client that speaks the framed
//! protocol with a deadline on every wait. Do not edit.

use harness::{Failure, Server, Stage, show};
use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const SERVER: &str = env!("CARGO_BIN_EXE_remote-exec");
/// The limits the exercise asks for (see `src/main.rs` and `src/wire.rs`).
pub const MAX_REQUEST: usize = 64 * 1024;
pub const MAX_OUTPUT: usize = 64 * 1024;
pub const TIMEOUT: Duration = Duration::from_secs(2);
pub const MAX_CLIENTS: usize = 4;
/// The largest reply frame this client accepts (a reply over the output
/// limit is a failure, not a reason to run out of memory).
const MAX_REPLY_FRAME: usize = 1 << 20;

/// A fresh directory under the system temp dir, deleted when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("remote-exec-{what}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).expect("create a temp dir for the test");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where a running server listens.
#[derive(Clone)]
pub enum Place {
    Unix(PathBuf),
    Tcp(String),
}

/// A server under test and the directory its socket lives in. Field order
/// matters: the server is killed before the directory is removed.
pub struct Remote {
    pub server: Server,
    pub place: Place,
    stage: Stage,
    _dir: Option<TempDir>,
}

impl Remote {
    /// Starts `remote-exec --unix DIR/sock` in a fresh directory.
    pub fn unix(t: &Stage) -> Remote {
        let dir = TempDir::new("sock");
        let path = dir.path().join("sock");
        let server = t.start_server(SERVER, &["--unix", path.to_str().expect("temp paths are UTF-8")]);
        Remote { server, place: Place::Unix(path), stage: t.clone(), _dir: Some(dir) }
    }

    /// Starts `remote-exec --tcp 127.0.0.1:0`.
    pub fn tcp(t: &Stage) -> Remote {
        let server = t.start_server(SERVER, &["--tcp", "127.0.0.1:0"]);
        let address = server.address().to_string();
        Remote { server, place: Place::Tcp(address), stage: t.clone(), _dir: None }
    }

    /// Opens a connection (no retries: the server announced it is listening).
    #[track_caller]
    pub fn connect(&self, label: impl Into<String>) -> Conn {
        let label = label.into();
        self.stage.step(format!("{label}: connecting"));
        let stream = match &self.place {
            Place::Unix(path) => UnixStream::connect(path).map(Stream::Unix),
            Place::Tcp(address) => TcpStream::connect(address.as_str()).map(Stream::Tcp),
        };
        match stream {
            Ok(stream) => {
                Conn { stage: self.stage.clone(), stream, label, sent: Vec::new(), send_error: None }
            }
            Err(e) => self.stage.fail(
                Failure::new(format!("could not connect: {e} ({:?})", e.kind()))
                    .detail("connection", label)
                    .hint(
                        "the server announced this address but does not accept there. Is the \
                         accept loop still running, and does the socket file still exist?",
                    ),
            ),
        }
    }

    /// Sends one request as `label` and returns the reply, which must come
    /// within `within`. A `busy` reply is retried for a few seconds: a server
    /// may give a client's slot back only after the client has read its
    /// reply, so back-to-back requests can briefly find it full.
    #[track_caller]
    pub fn run(&self, label: &str, argv: &[&str], within: Duration, hint: &str) -> Reply {
        self.run_raw(label, &request_frame(argv), within, hint)
    }

    /// Like [`Remote::run`], with the request given as raw bytes.
    #[track_caller]
    pub fn run_raw(&self, label: &str, bytes: &[u8], within: Duration, hint: &str) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut conn = self.connect(label);
            conn.send_raw(bytes);
            let reply = conn.reply(within, hint);
            if reply.status != "busy" || Instant::now() >= deadline {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Like [`Remote::run_raw`], but returns what went wrong instead of
    /// failing, for stages that explain the failure themselves.
    pub fn try_run_raw(
        &self,
        label: &str,
        bytes: &[u8],
        within: Duration,
    ) -> Result<Reply, (String, Vec<u8>)> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut conn = self.connect(label);
            conn.send_raw(bytes);
            match conn.try_reply(within) {
                Ok(reply) if reply.status == "busy" && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                result => return result,
            }
        }
    }

    /// Like [`Remote::run`], but takes a `busy` reply as the answer.
    #[track_caller]
    pub fn run_once(&self, label: &str, argv: &[&str], within: Duration, hint: &str) -> Reply {
        let mut conn = self.connect(label);
        conn.send_request(argv);
        conn.reply(within, hint)
    }

    /// Checks that an ordinary request still works (the server keeps serving).
    #[track_caller]
    pub fn still_serving(&self, hint: &str) {
        self.server.assert_running(hint);
        let reply = self.run("a client after that", &["echo", "still here"], Duration::from_secs(5), hint);
        reply.expect_status("exit 0", hint);
        reply.expect_stdout(b"still here\n", hint);
    }
}

enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Stream {
    fn set_read_timeout(&self, timeout: Duration) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_read_timeout(Some(timeout)),
            Stream::Tcp(s) => s.set_read_timeout(Some(timeout)),
        }
    }

    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.set_nonblocking(nonblocking),
            Stream::Tcp(s) => s.set_nonblocking(nonblocking),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.write_all(bytes),
            Stream::Tcp(s) => s.write_all(bytes),
        }
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

/// One client connection.
pub struct Conn {
    stage: Stage,
    stream: Stream,
    label: String,
    sent: Vec<u8>,
    send_error: Option<String>,
}

/// A reply as it came off the wire.
pub struct Reply {
    pub stage: Stage,
    pub request: String,
    pub status: String,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Encodes argv as a request frame: NUL-separated UTF-8, length first.
pub fn request_frame(argv: &[&str]) -> Vec<u8> {
    let payload = argv.join("\0");
    let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(payload.as_bytes());
    frame
}

impl Conn {
    /// Sends argv as one request frame.
    #[track_caller]
    pub fn send_request(&mut self, argv: &[&str]) {
        self.send_raw(&request_frame(argv));
    }

    /// Sends bytes as they are (for malformed and oversized requests). If the
    /// server already closed the connection (a `busy` reply is sent without
    /// reading the request), the error is kept and reported only if no
    /// reply can be read either.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stage.step(format!("{}: sending {}", self.label, show(bytes)));
        self.sent.extend_from_slice(bytes);
        if let Err(e) = self.stream.write_all(bytes) {
            self.send_error = Some(format!("{e} ({:?})", e.kind()));
        }
    }

    /// Reads the three reply frames, failing if they do not all arrive
    /// within `within` or do not make sense.
    #[track_caller]
    pub fn reply(&mut self, within: Duration, hint: &str) -> Reply {
        match self.try_reply(within) {
            Ok(reply) => reply,
            Err((problem, got)) => {
                let mut failure = Failure::new(problem)
                    .detail("connection", self.label.clone())
                    .detail("sent", show(&self.sent))
                    .detail("received", show(&got));
                if let Some(e) = &self.send_error {
                    failure = failure.detail("sending failed", e.clone());
                }
                self.stage.fail(failure.hint(hint))
            }
        }
    }

    /// Like [`Conn::reply`], but returns the problem instead of failing.
    pub fn try_reply(&mut self, within: Duration) -> Result<Reply, (String, Vec<u8>)> {
        self.stage.step(format!("{}: waiting up to {:.1} s for the reply", self.label, within.as_secs_f32()));
        let deadline = Instant::now() + within;
        let mut got = Vec::new();
        let mut frames = Vec::new();
        for name in ["status", "stdout", "stderr"] {
            let header = self.read_exact(4, deadline, &mut got).map_err(|end| {
                (
                    format!(
                        "the reply's {name} frame did not arrive: {end} (within {:.1} s)",
                        within.as_secs_f32()
                    ),
                    got.clone(),
                )
            })?;
            let len = u32::from_be_bytes(header.try_into().expect("4 bytes")) as usize;
            if len > MAX_REPLY_FRAME {
                return Err((
                    format!("the reply's {name} frame announces {len} bytes: far over the output limit"),
                    got,
                ));
            }
            let payload = self.read_exact(len, deadline, &mut got).map_err(|end| {
                (format!("the reply's {name} frame announced {len} bytes, but {end}"), got.clone())
            })?;
            frames.push(payload);
        }
        let [status, stdout, stderr] = <[Vec<u8>; 3]>::try_from(frames).expect("three frames");
        Ok(Reply {
            stage: self.stage.clone(),
            request: show(&self.sent),
            status: String::from_utf8_lossy(&status).into_owned(),
            stdout,
            stderr,
        })
    }

    /// True if nothing has arrived on this connection yet (no bytes, no
    /// EOF): the server is still waiting for this client to speak.
    pub fn is_quiet(&mut self) -> bool {
        self.stream.set_nonblocking(true).expect("set_nonblocking");
        let mut buf = [0u8; 1];
        let quiet = matches!(self.stream.read(&mut buf), Err(e) if e.kind() == ErrorKind::WouldBlock);
        self.stream.set_nonblocking(false).expect("set_nonblocking");
        quiet
    }

    fn read_exact(&mut self, n: usize, deadline: Instant, got: &mut Vec<u8>) -> Result<Vec<u8>, String> {
        let mut out = vec![0u8; n];
        let mut filled = 0;
        while filled < n {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err("time ran out".to_string());
            }
            self.stream.set_read_timeout(left).expect("set_read_timeout");
            match self.stream.read(&mut out[filled..]) {
                Ok(0) => return Err("the server closed the connection first (EOF)".to_string()),
                Ok(k) => {
                    got.extend_from_slice(&out[filled..filled + k]);
                    filled += k;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err("time ran out".to_string());
                }
                Err(e) => return Err(format!("the read failed: {e} ({:?})", e.kind())),
            }
        }
        Ok(out)
    }
}

impl Reply {
    fn failure(&self, problem: impl Into<String>) -> Failure {
        Failure::new(problem)
            .detail("request", self.request.clone())
            .detail("status", show(self.status.as_bytes()))
            .detail("stdout", show(&self.stdout))
            .detail("stderr", show(&self.stderr))
    }

    /// Fails unless the status frame is exactly `expected`.
    #[track_caller]
    pub fn expect_status(&self, expected: &str, hint: &str) {
        if self.status != expected {
            self.stage.fail(self.failure(format!("expected the status {expected:?}")).hint(hint));
        }
    }

    /// Fails unless stdout is exactly `expected`.
    #[track_caller]
    pub fn expect_stdout(&self, expected: &[u8], hint: &str) {
        if self.stdout != expected {
            self.stage.fail(self.failure(format!("expected stdout {}", show(expected))).hint(hint));
        }
    }

    /// Fails with `problem` and the reply as evidence.
    #[track_caller]
    pub fn fail(&self, problem: &str, hint: &str) -> ! {
        self.stage.fail(self.failure(problem).hint(hint))
    }
}

/// The processes whose parent is `pid` and whose name is `name` (Linux only;
/// elsewhere the list is always empty).
pub fn children_named(pid: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // "PID (COMM) STATE PPID ...": COMM may contain spaces, so split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let comm = &stat[open + 1..close];
        let mut rest = stat[close + 1..].split_whitespace();
        let (_state, ppid) = (rest.next(), rest.next().and_then(|p| p.parse::<u32>().ok()));
        if ppid == Some(pid) && comm == name {
            found.push(child);
        }
    }
    found
}
