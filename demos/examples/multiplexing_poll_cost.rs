//! What one wait costs as idle connections grow: `poll(2)` hands the kernel
//! the whole list every call and the kernel checks every entry; `epoll(7)`
//! keeps the list in the kernel and hands back only the ready ones.
//! N idle socket pairs, exactly one of them readable; each wait has a zero
//! timeout, so we time the bookkeeping, not the waiting. Linux only (epoll).
//!
//! Run: `cargo run -p demos --example multiplexing_poll_cost`

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn main() -> std::io::Result<()> {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;
    use std::time::Instant;

    const CALLS: u32 = 200;
    for n in [10, 100, 1_000, 5_000] {
        let pairs: Vec<(UnixStream, UnixStream)> =
            (0..n).map(|_| UnixStream::pair()).collect::<Result<_, _>>()?;
        // One byte on the last pair: exactly one socket is readable.
        (&pairs[n - 1].1).write_all(b"x")?;

        // ANCHOR: poll
        // poll: the whole array goes to the kernel on every call.
        let mut fds: Vec<libc::pollfd> = pairs
            .iter()
            .map(|(a, _)| libc::pollfd { fd: a.as_raw_fd(), events: libc::POLLIN, revents: 0 })
            .collect();
        let start = Instant::now();
        for _ in 0..CALLS {
            // SAFETY: fds is a valid array of fds.len() pollfd structs.
            let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, 0) };
            assert_eq!(ready, 1);
        }
        let poll_cost = start.elapsed() / CALLS;
        // ANCHOR_END: poll

        // ANCHOR: epoll
        // epoll: register each socket once; a wait returns only ready ones.
        // SAFETY: epoll_create1 takes no pointers.
        let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        assert!(ep >= 0, "epoll_create1 failed");
        for (i, (a, _)) in pairs.iter().enumerate() {
            let mut event = libc::epoll_event { events: libc::EPOLLIN as u32, u64: i as u64 };
            // SAFETY: ep and the socket are open descriptors; event is a valid struct.
            let rc = unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, a.as_raw_fd(), &mut event) };
            assert_eq!(rc, 0, "epoll_ctl failed");
        }
        let mut ready = vec![libc::epoll_event { events: 0, u64: 0 }; 64];
        let start = Instant::now();
        for _ in 0..CALLS {
            // SAFETY: ready has room for the 64 events we allow.
            let n_ready = unsafe { libc::epoll_wait(ep, ready.as_mut_ptr(), 64, 0) };
            assert_eq!(n_ready, 1);
        }
        let epoll_cost = start.elapsed() / CALLS;
        // SAFETY: ep is ours and closed once.
        unsafe { libc::close(ep) };
        // ANCHOR_END: epoll

        println!(
            "{n:>5} sockets, 1 ready: poll {:>7.1} µs per call, epoll {:>4.1} µs per call",
            poll_cost.as_secs_f64() * 1e6,
            epoll_cost.as_secs_f64() * 1e6
        );
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("this demo uses epoll, which only Linux has (macOS and the BSDs have kqueue)");
}
