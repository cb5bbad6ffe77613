//! Three defences of the remote command server, each on its own
//! (chapter "Project: a remote command server"):
//! argv instead of a shell, a time limit and an output limit.
//!
//! `cargo run -p demos --example remote_exec_limits` runs all three on this
//! machine in about half a second.

use std::io::{self, Read};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

fn main() -> io::Result<()> {
    argv_not_shell()?;
    time_limit()?;
    output_limit()?;
    Ok(())
}

// ANCHOR: argv
/// The hostile text reaches echo as one argument: nothing interprets it.
fn argv_not_shell() -> io::Result<()> {
    let hostile = "; touch /tmp/pwned";
    let output = Command::new("/bin/echo").arg(hostile).output()?;
    print!("argv:  echo printed {}", String::from_utf8_lossy(&output.stdout));
    Ok(())
}
// ANCHOR_END: argv

// ANCHOR: time_limit
/// Waits at most 500 ms for a command that would take 5 s, then kills it.
fn time_limit() -> io::Result<()> {
    let limit = Duration::from_millis(500);
    let started = Instant::now();
    let mut child = Command::new("/bin/sleep").arg("5").spawn()?;
    let status = loop {
        // try_wait never blocks: Some(status) once the child has exited.
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() >= limit {
            child.kill()?; // SIGKILL on Unix
            break child.wait()?; // reap it, or it stays a zombie
        }
        thread::sleep(Duration::from_millis(10));
    };
    println!("time:  stopped after {:.2} s, {status}", started.elapsed().as_secs_f32());
    Ok(())
}
// ANCHOR_END: time_limit

// ANCHOR: output_limit
/// Keeps at most `CAP` bytes of a command that prints forever.
fn output_limit() -> io::Result<()> {
    const CAP: u64 = 4096;
    let mut child = Command::new("/usr/bin/yes").stdout(Stdio::piped()).spawn()?;
    let mut kept = Vec::new();
    let mut stdout = child.stdout.take().expect("stdout is piped");
    // Ask for one byte more than the cap: getting it means "too much".
    (&mut stdout).take(CAP + 1).read_to_end(&mut kept)?;
    let too_much = kept.len() as u64 > CAP;
    kept.truncate(CAP as usize);
    // Kill while the pipe is still open, so the status says SIGKILL (with
    // the pipe closed first, yes would die of SIGPIPE on its next write).
    child.kill()?;
    let status = child.wait()?;
    drop(stdout);
    println!("output: kept {} bytes, too much: {too_much}, {status}", kept.len());
    Ok(())
}
// ANCHOR_END: output_limit
