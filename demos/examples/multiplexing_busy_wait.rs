//! Three ways to wait one second for a client that never comes, and the CPU
//! time each one costs: a busy-wait on a non-blocking `accept`, the same
//! with a 10 ms nap between tries, and one blocking call with a timeout.
//!
//! Run: `cargo run -p demos --example multiplexing_busy_wait`

use std::io::{self, ErrorKind, Read};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

/// CPU time (user + system) this process has used so far, from getrusage(2).
#[allow(unsafe_code)]
fn cpu_time() -> Duration {
    // SAFETY: rusage is plain integers, for which all zeros is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills in the struct we own; RUSAGE_SELF is valid.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage failed");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn report(what: &str, wall: Duration, cpu: Duration, tries: u64) {
    println!("{what:<28} wall {:.2} s, CPU {:.2} s, {tries} calls", wall.as_secs_f64(), cpu.as_secs_f64());
}

fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;

    // ANCHOR: busy
    // 1. Busy-wait: ask again and again, as fast as the CPU allows.
    listener.set_nonblocking(true)?;
    let (start, cpu) = (Instant::now(), cpu_time());
    let mut tries = 0;
    while start.elapsed() < Duration::from_secs(1) {
        tries += 1;
        match listener.accept() {
            Ok(_) => unreachable!("nobody connects in this demo"),
            // "No client yet": the answer we get every time.
            Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    report("busy-wait on accept", start.elapsed(), cpu_time() - cpu, tries);
    // ANCHOR_END: busy

    // 2. The same, with a nap between tries: cheap, but a client that
    //    arrives just after a try waits up to 10 ms for the next one.
    let (start, cpu) = (Instant::now(), cpu_time());
    let mut tries = 0;
    while start.elapsed() < Duration::from_secs(1) {
        tries += 1;
        match listener.accept() {
            Ok(_) => unreachable!("nobody connects in this demo"),
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(e),
        }
    }
    report("accept, then nap 10 ms", start.elapsed(), cpu_time() - cpu, tries);

    // ANCHOR: blocking
    // 3. Block: one read on a silent connection, with a one-second timeout.
    //    The kernel puts the thread to sleep and wakes it when data (or the
    //    timeout) comes.
    listener.set_nonblocking(false)?;
    let _client = TcpStream::connect(listener.local_addr()?)?;
    let (mut server_side, _) = listener.accept()?;
    server_side.set_read_timeout(Some(Duration::from_secs(1)))?;
    let (start, cpu) = (Instant::now(), cpu_time());
    let result = server_side.read(&mut [0u8; 16]);
    report("one blocking read", start.elapsed(), cpu_time() - cpu, 1);
    // ANCHOR_END: blocking
    // A read timeout shows up as WouldBlock (EAGAIN) on Unix, TimedOut on Windows.
    println!("the blocking read ended with: {:?}", result.map_err(|e| e.kind()));
    Ok(())
}
