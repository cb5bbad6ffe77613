//! Running the learner's server as a real process.
//!
//! A server under test is a program: the harness starts it, reads the address
//! it announces (`listening on 127.0.0.1:40231`), keeps everything it prints
//! for the failure report, and kills it at the end.

use crate::client::Client;
use crate::failure::Failure;
use crate::stage::Stage;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How long a server may take to print its address.
const STARTUP: Duration = Duration::from_secs(10);
/// How many bytes of stderr to keep (the end is what matters).
const KEEP: usize = 64 * 1024;

/// A server process started by [`Stage::start_server`].
pub struct Server {
    stage: Stage,
    shared: Arc<Shared>,
    address: String,
}

pub(crate) struct Shared {
    command: String,
    pid: u32,
    child: Mutex<Child>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stdout: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    #[track_caller]
    pub(crate) fn start(stage: Stage, program: &str, args: &[&str]) -> Server {
        let name = program.rsplit('/').next().unwrap_or(program);
        let command = std::iter::once(name).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
        stage.step(format!("starting `{command}`"));
        let mut child = Command::new(program)
            .args(args)
            // Backtraces would push the panic message itself out of the report.
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("the harness could not start `{command}` ({program}): {e}"));

        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (announced, announcement) = mpsc::channel();
        let out_pipe = child.stdout.take().expect("stdout is piped");
        let out_log = stdout.clone();
        thread::spawn(move || {
            // Every stdout line is kept; the first `listening on …` line is the address.
            let mut announced = Some(announced);
            for line in BufReader::new(out_pipe).split(b'\n') {
                let Ok(line) = line else { break };
                keep(&out_log, &line, true);
                let text = String::from_utf8_lossy(&line);
                if let Some(address) = text.trim().strip_prefix("listening on ")
                    && let Some(tx) = announced.take()
                {
                    let _ = tx.send(address.trim().to_string());
                }
            }
        });
        let err_pipe = child.stderr.take().expect("stderr is piped");
        let err_log = stderr.clone();
        thread::spawn(move || {
            let mut pipe = err_pipe;
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                keep(&err_log, &buf[..n], false);
            }
        });

        let shared = Arc::new(Shared {
            command: command.clone(),
            pid: child.id(),
            child: Mutex::new(child),
            stderr,
            stdout,
        });
        stage.register(shared.clone());
        let mut server = Server { stage: stage.clone(), shared, address: String::new() };
        stage.step(format!("waiting for `{command}` to print `listening on ADDRESS`"));
        // Wait for the announcement, noticing early if the process dies first.
        let mut waited = Duration::ZERO;
        let tick = Duration::from_millis(50);
        let address = loop {
            match announcement.recv_timeout(tick) {
                Ok(address) => break address,
                Err(RecvTimeoutError::Disconnected) => {
                    // stdout closed without an announcement: the process is exiting.
                    server.shared.wait_briefly();
                    server.fail_startup(
                        "the server closed its stdout (exited?) before printing `listening on ADDRESS`",
                    );
                }
                Err(RecvTimeoutError::Timeout) => {
                    waited += tick;
                    if waited >= STARTUP {
                        server.fail_startup(&format!(
                            "the server did not print `listening on ADDRESS` within {} s",
                            STARTUP.as_secs()
                        ));
                    }
                }
            }
        };
        server.address = address;
        server
    }

    #[track_caller]
    fn fail_startup(&self, problem: &str) -> ! {
        // The report shows the server's state and stderr below the hint.
        self.stage.fail(Failure::new(problem).hint(
            "the tests start your program and wait for one line on stdout, \
                     `listening on IP:PORT`, with the address your listener really got \
                     (print `listener.local_addr()`; the tests ask for port 0 so that the \
                     kernel picks a free one). If it exited, its stderr above says why.",
        ))
    }

    /// The address the server announced, as printed.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The announced address as a socket address.
    #[track_caller]
    pub fn addr(&self) -> SocketAddr {
        self.address.parse().unwrap_or_else(|_| {
            self.stage.fail(
                Failure::new("the server announced an address that is not IP:PORT")
                    .detail("announced", crate::show(self.address.as_bytes()))
                    .hint("print `listening on {}` with `listener.local_addr()?`, for example `listening on 127.0.0.1:40231`"),
            )
        })
    }

    /// Opens a client connection to the server.
    #[track_caller]
    pub fn connect(&self) -> Client {
        Client::connect_now(&self.stage, self.addr())
    }

    /// Fails unless the server process is still running.
    #[track_caller]
    pub fn assert_running(&self, hint: &str) {
        if let Some(status) = self.shared.status() {
            self.stage.fail(
                Failure::new(format!("the server exited ({status}) but should still be running")).hint(hint),
            );
        }
    }

    /// Fails if the server printed a panic on stderr. `settle` is how long to
    /// give a thread that is about to panic (it runs concurrently with the test).
    #[track_caller]
    pub fn assert_no_panic(&self, settle: Duration, hint: &str) {
        let deadline = std::time::Instant::now() + settle;
        loop {
            let stderr = String::from_utf8_lossy(&self.shared.stderr.lock().unwrap()).to_string();
            if let Some(at) = stderr.find("panicked at") {
                let line_start = stderr[..at].rfind('\n').map_or(0, |i| i + 1);
                let excerpt: String = stderr[line_start..].lines().take(3).collect::<Vec<_>>().join(" / ");
                self.stage.fail(
                    Failure::new("a thread of the server panicked").detail("stderr", excerpt).hint(hint),
                );
            }
            if std::time::Instant::now() >= deadline {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything the server printed on stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.shared.stderr.lock().unwrap()).into_owned()
    }

    /// Everything the server printed on stdout so far.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.shared.stdout.lock().unwrap()).into_owned()
    }

    pub fn pid(&self) -> u32 {
        self.shared.pid
    }

    /// The exit status, if the process has exited.
    pub fn status(&self) -> Option<ExitStatus> {
        self.shared.status()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.kill();
    }
}

impl Shared {
    pub(crate) fn status(&self) -> Option<ExitStatus> {
        self.child.lock().unwrap().try_wait().ok().flatten()
    }

    /// Gives a process that closed stdout a moment to finish exiting, so the
    /// report can show its exit status.
    fn wait_briefly(&self) {
        for _ in 0..50 {
            if self.status().is_some() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    pub(crate) fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        if child.try_wait().ok().flatten().is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server's part of a failure report: command, state, output tails.
    pub(crate) fn describe(&self) -> String {
        let state = match self.status() {
            Some(status) => format!("exited ({status})"),
            None => "still running".to_string(),
        };
        let mut out = format!("  server: `{}` (pid {}) {state}\n", self.command, self.pid);
        for (name, log) in [("stderr", &self.stderr), ("stdout", &self.stdout)] {
            let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                continue;
            }
            let skip = lines.len().saturating_sub(12);
            let _ = writeln!(out, "  server {name} (last {} of {} lines):", lines.len() - skip, lines.len());
            for line in &lines[skip..] {
                let _ = writeln!(out, "    | {line}");
            }
        }
        out
    }
}

/// Appends to a log, keeping only its last `KEEP` bytes.
fn keep(log: &Mutex<Vec<u8>>, bytes: &[u8], newline: bool) {
    let mut log = log.lock().unwrap();
    log.extend_from_slice(bytes);
    if newline {
        log.push(b'\n');
    }
    if log.len() > KEEP {
        let cut = log.len() - KEEP;
        log.drain(..cut);
    }
}
