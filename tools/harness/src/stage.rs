//! A test stage: a deadline, a running account of what the test is doing, and
//! the servers it started, so that any failure can say all three.

use crate::failure::Failure;
use crate::server::{Server, Shared};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A book section, as a path under `src/` with an optional `#anchor`:
/// `Book("tcp-echo-server.md#the-read-loop")`.
#[derive(Debug, Clone, Copy)]
pub struct Book(pub &'static str);

/// The context a test body gets: it starts servers, opens clients, records
/// what the test is doing and turns problems into teaching failures.
/// Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Stage(Arc<Inner>);

struct Inner {
    title: String,
    book: Book,
    step: Mutex<String>,
    /// Set by the first failure, so that clients failing after it (in
    /// `concurrently`) do not bury the first report under copies.
    failed: AtomicBool,
    servers: Mutex<Vec<Arc<Shared>>>,
}

/// Runs `body` as one test stage with a watchdog.
///
/// If the body finishes, so does the test. If it fails, its failure is the
/// test's failure. If it is still running at `deadline`, every server it
/// started is killed and the test fails, saying what the body was waiting for.
/// The body thread cannot be killed, but every socket the harness opens has
/// timeouts, so it ends soon after.
pub fn run_stage(title: &str, book: Book, deadline: Duration, body: impl FnOnce(&Stage) + Send + 'static) {
    let stage = Stage(Arc::new(Inner {
        title: title.to_string(),
        book,
        step: Mutex::new("starting".to_string()),
        failed: AtomicBool::new(false),
        servers: Mutex::new(Vec::new()),
    }));
    let (done, finished) = mpsc::channel();
    let for_body = stage.clone();
    thread::Builder::new()
        .name(title.to_string())
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| body(&for_body)));
            // The receiver is gone only if the watchdog already gave up.
            let _ = done.send(outcome);
        })
        .expect("the harness could not start a thread for the test body");

    match finished.recv_timeout(deadline) {
        Ok(Ok(())) => stage.stop_servers(),
        // The panic message was already printed (and captured) by the body thread.
        Ok(Err(panic)) => {
            stage.stop_servers();
            resume_unwind(panic)
        }
        Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
            let step = stage.0.step.lock().unwrap().clone();
            let report = stage.report(
                &Failure::new(format!(
                    "the test did not finish within its {} s deadline",
                    deadline.as_secs_f32()
                ))
                .detail("waiting for", step)
                .hint(
                    "something is blocked: a server that never answers, never closes, or waits \
                         for more input than the client sends. The last step above is what the test \
                         was doing when time ran out.",
                ),
            );
            stage.stop_servers();
            panic!("{report}");
        }
    }
}

impl Stage {
    /// Records what the test is doing now; a deadline failure quotes it.
    pub fn step(&self, what: impl Into<String>) {
        *self.0.step.lock().unwrap() = what.into();
    }

    /// Fails the test with a full report. Never returns.
    #[track_caller]
    pub fn fail(&self, failure: Failure) -> ! {
        if self.0.failed.swap(true, Ordering::SeqCst) {
            panic!("(also: {}; see the first failure report)", failure.problem);
        }
        panic!("{}", self.report(&failure))
    }

    /// Starts `program` with `args` and waits (up to 10 s) for it to print
    /// `listening on ADDRESS` on stdout. The server is killed when the
    /// returned handle is dropped or the stage ends.
    #[track_caller]
    pub fn start_server(&self, program: &str, args: &[&str]) -> Server {
        Server::start(self.clone(), program, args)
    }

    /// Remembers a server so that failure reports show it and the stage stops it.
    pub(crate) fn register(&self, server: Arc<Shared>) {
        self.0.servers.lock().unwrap().push(server);
    }

    /// Runs `n` copies of `f` at once, one thread each, and returns their
    /// results in order. A failure in any copy fails the stage.
    pub fn concurrently<T: Send>(&self, n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
        thread::scope(|scope| {
            let f = &f;
            let handles: Vec<_> = (0..n).map(|i| scope.spawn(move || f(i))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| resume_unwind(panic))).collect()
        })
    }

    pub fn title(&self) -> &str {
        &self.0.title
    }

    fn stop_servers(&self) {
        for server in self.0.servers.lock().unwrap().iter() {
            server.kill();
        }
    }

    /// The whole failure message: stage, problem, evidence, hint, book
    /// section, and each server's state and stderr.
    pub(crate) fn report(&self, failure: &Failure) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "\n── {} ── FAILED", self.0.title);
        let _ = writeln!(out, "  problem: {}", failure.problem);
        let width = failure.details.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
        for (label, value) in &failure.details {
            let _ = writeln!(out, "  {label:>width$}: {value}");
        }
        if let Some(hint) = &failure.hint {
            let _ = writeln!(out, "  hint: {hint}");
        }
        let _ = writeln!(out, "  read: the book, src/{} (`cargo course book --open`)", self.0.book.0);
        for server in self.0.servers.lock().unwrap().iter() {
            out.push_str(&server.describe());
        }
        out
    }
}
