//! Runs every subcommand of the `common_errors` example (chapter "Common
//! errors, now understood") and checks that each error really happened on
//! this machine, with the errno the chapter shows.
//!
//! Each demo runs as its own process: `too-many-files` lowers its own
//! RLIMIT_NOFILE, and the namespace demos re-run the example inside a network
//! namespace, neither of which may touch this test process.
//!
//! `cargo test -p demos` builds the examples before running the tests; this
//! file looks for the binary next to its own, and builds it if it is missing.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn example() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            // target/<profile>/deps/common_errors-HASH -> target/<profile>/examples/common_errors
            let me = std::env::current_exe().expect("current_exe");
            let profile_dir = me.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
            let exe = profile_dir.join("examples").join("common_errors");
            if !exe.exists() {
                // `cargo test --test common_errors` does not build examples; do it now.
                let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
                let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
                let status = Command::new(cargo)
                    .args(["build", "--quiet", "--manifest-path", manifest, "--example", "common_errors"])
                    .status()
                    .expect("run cargo build");
                assert!(status.success(), "building the common_errors example failed");
            }
            assert!(exe.exists(), "{} is missing: run `cargo test -p demos`", exe.display());
            exe
        })
        .clone()
}

/// Runs one demo and returns what it printed, failing on a crash or a hang.
fn run(demo: &str, within: Duration) -> String {
    let started = Instant::now();
    let out = Command::new(example()).arg(demo).output().expect("run the common_errors example");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "`common_errors {demo}` failed: {}\n{stdout}\n{stderr}", out.status);
    assert!(started.elapsed() < within, "`common_errors {demo}` took {:?}", started.elapsed());
    print!("== {demo}\n{stdout}");
    stdout
}

/// Checks that `demo` reports an OS error with this kind and errno.
fn expect_os_error(demo: &str, kind: &str, errno: i32) {
    let out = run(demo, Duration::from_secs(10));
    let wanted = format!("kind():  {kind}\n  raw_os_error(): Some({errno})");
    assert!(out.contains(&wanted), "`common_errors {demo}` should show\n{wanted}\nbut printed:\n{out}");
}

/// For demos that need root and `ip`: either the error or a reason to skip.
fn expect_os_error_or_skip(demo: &str, kind: &str, errno: i32) {
    let out = run(demo, Duration::from_secs(20));
    if let Some(reason) = out.lines().find(|l| l.starts_with("skipped: ")) {
        println!("{demo}: {reason}");
        return;
    }
    let wanted = format!("kind():  {kind}\n  raw_os_error(): Some({errno})");
    assert!(out.contains(&wanted), "`common_errors {demo}` should show\n{wanted}\nbut printed:\n{out}");
}

#[test]
fn refused() {
    expect_os_error("refused", "ConnectionRefused", 111);
}

#[test]
fn address_in_use() {
    expect_os_error("in-use", "AddrInUse", 98);
}

#[test]
fn broken_pipe() {
    let out = run("broken-pipe", Duration::from_secs(10));
    assert!(out.contains("write 1: Ok("), "the first write after the peer closed should succeed:\n{out}");
    assert!(out.contains("kind():  BrokenPipe\n  raw_os_error(): Some(32)"), "no EPIPE:\n{out}");
}

#[test]
fn reset() {
    let out = run("reset", Duration::from_secs(10));
    assert_eq!(out.matches("raw_os_error(): Some(104)").count(), 2, "both ways should reset:\n{out}");
}

#[test]
fn timeouts() {
    let out = run("timeout", Duration::from_secs(10));
    assert!(
        out.contains("kind():  WouldBlock\n  raw_os_error(): Some(11)"),
        "read timeout is EAGAIN:\n{out}"
    );
    assert!(out.contains("Display: connection timed out"), "std's own connect timeout:\n{out}");
    assert!(out.contains("kind():  TimedOut\n  raw_os_error(): None"), "std's own connect timeout:\n{out}");
}

#[test]
fn syn_timeout_in_a_namespace() {
    expect_os_error_or_skip("syn-timeout", "TimedOut", 110);
}

#[test]
fn no_such_socket_file() {
    expect_os_error("no-such-file", "NotFound", 2);
}

#[test]
fn permission_denied_on_a_unix_socket() {
    expect_os_error("permission-unix", "PermissionDenied", 13);
}

#[test]
fn permission_denied_on_a_low_port() {
    let start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start").unwrap_or_default();
    if start.trim().parse::<u32>().is_ok_and(|n| n <= 80) {
        println!("skipped: ip_unprivileged_port_start is {}, so anyone may bind port 80", start.trim());
        return;
    }
    expect_os_error("permission-port", "PermissionDenied", 13);
}

#[test]
fn would_block() {
    expect_os_error("would-block", "WouldBlock", 11);
}

#[test]
fn name_not_known() {
    let out = run("name", Duration::from_secs(30));
    assert!(out.contains("Display: failed to lookup address information: "), "no lookup failure:\n{out}");
    assert!(out.contains("raw_os_error(): None"), "getaddrinfo errors carry no errno:\n{out}");
}

#[test]
fn too_many_open_files() {
    expect_os_error("too-many-files", "Uncategorized", 24);
}

#[test]
fn network_unreachable_in_a_namespace() {
    expect_os_error_or_skip("unreachable", "NetworkUnreachable", 101);
}
