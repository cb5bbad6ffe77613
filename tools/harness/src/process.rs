//! Running the learner's program as a command with live pipes.
//!
//! [`crate::Stage::start_server`] is for servers that announce themselves on
//! stdout. Some programs use stdout for data (a netcat, a filter), so a test
//! must write to their stdin, read their stdout as it arrives, find a line on
//! stderr and wait for them to exit, all with deadlines. [`Process`] does
//! that; its failures show the command, its state and what it printed.

use crate::escape::{count, show};
use crate::failure::Failure;
use crate::stage::Stage;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What the program gets as stdout, and our end of it if it is not a pipe.
///
/// On Unix that is a socket pair, not a pipe. On Linux, `io::copy` from a
/// socket into a pipe uses splice(2), which keeps the pipe locked while it
/// waits for the socket's next bytes, so the bytes it already copied cannot be
/// read until more arrive: a race that would make tests flaky. With a socket
/// as stdout, a program that flushes what it writes is seen at once, and one
/// that does not fails every time.
#[cfg(unix)]
fn stdout_channel() -> (Stdio, Option<Box<dyn Read + Send>>) {
    let (ours, theirs) =
        std::os::unix::net::UnixStream::pair().expect("the harness could not create a socket pair");
    (Stdio::from(std::os::fd::OwnedFd::from(theirs)), Some(Box::new(ours)))
}

#[cfg(not(unix))]
fn stdout_channel() -> (Stdio, Option<Box<dyn Read + Send>>) {
    (Stdio::piped(), None)
}

/// The complete lines of `bytes`: up to and including the last `\n`.
fn complete(bytes: &[u8]) -> &[u8] {
    bytes.iter().rposition(|&b| b == b'\n').map_or(&bytes[..0], |i| &bytes[..=i])
}

/// Everything a process wrote to one pipe so far, and whether the pipe closed.
#[derive(Default)]
struct Pipe {
    bytes: Vec<u8>,
    closed: bool,
}

/// A pipe's contents, shared between the thread that drains it and the test.
#[derive(Default)]
struct Output {
    pipe: Mutex<Pipe>,
    grew: Condvar,
}

impl Output {
    fn drain(self: Arc<Self>, mut from: impl Read + Send + 'static) {
        thread::spawn(move || {
            let mut buf = [0u8; 64 * 1024];
            loop {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => 0,
                    Ok(n) => n,
                };
                let mut pipe = self.pipe.lock().unwrap();
                if n == 0 {
                    pipe.closed = true;
                } else {
                    pipe.bytes.extend_from_slice(&buf[..n]);
                }
                self.grew.notify_all();
                if pipe.closed {
                    return;
                }
            }
        });
    }

    /// Waits until `done(bytes)` holds, the pipe closes or `deadline` passes,
    /// and returns the bytes then.
    fn wait_until(&self, deadline: Instant, done: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        let mut pipe = self.pipe.lock().unwrap();
        loop {
            let now = Instant::now();
            if done(&pipe.bytes) || pipe.closed || now >= deadline {
                return pipe.bytes.clone();
            }
            pipe = self.grew.wait_timeout(pipe, deadline - now).unwrap().0;
        }
    }

    fn snapshot(&self) -> Vec<u8> {
        self.pipe.lock().unwrap().bytes.clone()
    }
}

/// A program under test, started with piped stdin, stdout and stderr.
/// Killed when dropped.
pub struct Process {
    stage: Stage,
    command: String,
    child: Mutex<Child>,
    stdin: Option<ChildStdin>,
    stdout: Arc<Output>,
    stderr: Arc<Output>,
    /// How much of stdout [`Process::expect_stdout`] has already checked.
    stdout_checked: usize,
}

impl Process {
    /// Starts `program` with `args`. Its stdin stays open until
    /// [`Process::close_stdin`] or drop, so the program sees no EOF before
    /// the test says so.
    #[track_caller]
    pub fn start(stage: &Stage, program: &str, args: &[&str]) -> Process {
        let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let command = std::iter::once(name).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
        stage.step(format!("starting `{command}`"));
        let (stdout_end, our_stdout_end) = stdout_channel();
        let mut child = Command::new(program)
            .args(args)
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(stdout_end)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("the harness could not start `{command}` ({program}): {e}"));
        let stdout = Arc::new(Output::default());
        let stderr = Arc::new(Output::default());
        match our_stdout_end {
            Some(reader) => stdout.clone().drain(reader),
            None => stdout.clone().drain(child.stdout.take().expect("stdout is piped")),
        }
        stderr.clone().drain(child.stderr.take().expect("stderr is piped"));
        Process {
            stage: stage.clone(),
            command,
            stdin: child.stdin.take(),
            child: Mutex::new(child),
            stdout,
            stderr,
            stdout_checked: 0,
        }
    }

    /// The stage this process belongs to.
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// The command line, as shown in reports (`mini-nc -l 0`).
    pub fn command(&self) -> &str {
        &self.command
    }

    pub fn pid(&self) -> u32 {
        self.child.lock().unwrap().id()
    }

    /// The exit status, if the process has exited.
    pub fn status(&self) -> Option<ExitStatus> {
        self.child.lock().unwrap().try_wait().ok().flatten()
    }

    /// Writes all of `bytes` to the program's stdin. Fails the stage if the
    /// program no longer reads it (it exited, or closed stdin).
    #[track_caller]
    pub fn write_stdin(&mut self, bytes: &[u8]) {
        self.stage.step(format!("writing {} to the stdin of `{}`", show(bytes), self.command));
        let result = match self.stdin.as_mut() {
            Some(stdin) => stdin.write_all(bytes).and_then(|()| stdin.flush()),
            None => panic!("the test closed stdin of `{}` and then wrote to it", self.command),
        };
        if let Err(e) = result {
            self.fail(
                Failure::new(format!("could not write to the program's stdin: {e} ({:?})", e.kind()))
                    .detail("writing", show(bytes))
                    .hint("the program stopped reading its stdin (did it exit?)"),
            );
        }
    }

    /// Closes the program's stdin: its next read of stdin returns EOF.
    pub fn close_stdin(&mut self) {
        self.stage.step(format!("closing the stdin of `{}`", self.command));
        self.stdin = None;
    }

    /// Waits up to `within` for the next `expected.len()` bytes of stdout
    /// (after those already checked) and fails unless they equal `expected`.
    #[track_caller]
    pub fn expect_stdout(&mut self, expected: &[u8], within: Duration, hint: &str) {
        self.stage.step(format!("waiting for `{}` to print {} on stdout", self.command, show(expected)));
        let from = self.stdout_checked;
        let want = from + expected.len();
        let all = self.stdout.wait_until(Instant::now() + within, |bytes| bytes.len() >= want);
        let got = &all[from.min(all.len())..want.min(all.len())];
        if got != expected {
            let ending = if got.len() == expected.len() {
                String::new()
            } else if self.stdout.pipe.lock().unwrap().closed {
                " and then stdout closed".to_string()
            } else {
                format!(" and then nothing more for {:.1} s", within.as_secs_f32())
            };
            let mut failure = Failure::new(if got.len() == expected.len() {
                "the program printed other bytes than expected on stdout".to_string()
            } else {
                format!("{} of the expected {} arrived on stdout", count(got.len()), count(expected.len()))
            })
            .detail("expected", show(expected))
            .detail("stdout", format!("{}{ending}", show(got)));
            if let Some(at) = got.iter().zip(expected).position(|(a, b)| a != b) {
                let start = at.saturating_sub(16);
                failure = failure.detail(
                    "first difference",
                    format!(
                        "at byte {at}: expected {} but got {}",
                        show(&expected[start..(at + 16).min(expected.len())]),
                        show(&got[start..(at + 16).min(got.len())])
                    ),
                );
            }
            self.fail(failure.hint(hint));
        }
        self.stdout_checked = want;
    }

    /// Waits up to `within` for a line on stderr that starts with `prefix`
    /// and returns the rest of it (trimmed). `None` if the deadline passes or
    /// stderr closes first; the caller decides what that means.
    pub fn stderr_line(&self, prefix: &str, within: Duration) -> Option<String> {
        self.stage.step(format!("waiting for `{}` to print `{prefix}…` on stderr", self.command));
        let find = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes).lines().find_map(|line| {
                line.trim_end_matches('\r').strip_prefix(prefix).map(|rest| rest.trim().to_string())
            })
        };
        // Only whole lines count: a half-written line could be cut short.
        let all = self.stderr.wait_until(Instant::now() + within, |bytes| find(complete(bytes)).is_some());
        find(complete(&all))
    }

    /// Waits up to `within` for the program to exit; `None` if it is still running.
    pub fn wait_exit(&self, within: Duration) -> Option<ExitStatus> {
        self.stage.step(format!("waiting for `{}` to exit", self.command));
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.status() {
                // The process is gone, but the threads draining its output may
                // not have read the last bytes yet: wait (briefly) for both
                // pipes to close, so stdout() and stderr() are complete.
                let drained = Instant::now() + Duration::from_secs(1);
                self.stdout.wait_until(drained, |_| false);
                self.stderr.wait_until(drained, |_| false);
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits up to `within` for the program to exit with status 0, and
    /// fails, with `hint`, if it is still running or exits with another status.
    #[track_caller]
    pub fn expect_success(&self, within: Duration, hint: &str) {
        match self.wait_exit(within) {
            Some(status) if status.success() => {}
            Some(status) => {
                self.fail(Failure::new(format!("the program exited with {status}, not 0")).hint(hint))
            }
            None => self.fail(
                Failure::new(format!("the program was still running after {:.1} s", within.as_secs_f32()))
                    .hint(hint),
            ),
        }
    }

    /// Everything the program printed on stdout so far.
    pub fn stdout(&self) -> Vec<u8> {
        self.stdout.snapshot()
    }

    /// Everything the program printed on stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.snapshot()).into_owned()
    }

    /// Fails the stage with `failure`, adding the program's state and the
    /// end of what it printed on stderr and stdout.
    #[track_caller]
    pub fn fail(&self, failure: Failure) -> ! {
        // Give a program that is exiting (a panic, say) a moment to finish,
        // so that the report shows its status and its last words.
        let _ = self.child.lock().unwrap().try_wait();
        let status = self.wait_exit(Duration::from_millis(100));
        let state = status.map_or_else(|| "still running".to_string(), |s| format!("exited ({s})"));
        let mut failure =
            failure.detail("program", format!("`{}` (pid {}), {state}", self.command, self.pid()));
        let stderr = self.stderr();
        let lines: Vec<&str> = stderr.lines().collect();
        if !lines.is_empty() {
            let skip = lines.len().saturating_sub(12);
            let mut text = format!("(last {} of {} lines)", lines.len() - skip, lines.len());
            for line in &lines[skip..] {
                let _ = write!(text, "\n    | {line}");
            }
            failure = failure.detail("its stderr", text);
        }
        let stdout = self.stdout();
        if !stdout.is_empty() {
            failure = failure.detail("its stdout", show(&stdout));
        }
        self.stage.fail(failure)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stdin = None;
        let mut child = self.child.lock().unwrap();
        if child.try_wait().ok().flatten().is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
