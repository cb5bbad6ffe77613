//! Three calls straight into the C library through the `libc` crate: one
//! that cannot fail, one that writes, and one that fails on purpose so that
//! you can see errno become an `io::Error`.
//! `cargo run -p demos --example libc_errno`

use std::io;

// ANCHOR: calls
fn main() {
    // getpid(2) cannot fail, but the compiler cannot know that: every
    // foreign function is `unsafe` to call.
    // SAFETY: getpid takes no arguments and has no preconditions.
    let pid = unsafe { libc::getpid() };
    println!("my process id is {pid}");

    // write(2) to descriptor 1, standard output, bypassing Rust's `println!`.
    let message = b"written by libc::write, not println!\n";
    // SAFETY: the pointer and length describe `message`, which outlives the
    // call; write only reads from it. Descriptor 1 is open (it may fail with
    // EBADF if it is not, which we would see in the return value).
    let n = unsafe { libc::write(1, message.as_ptr().cast(), message.len()) };
    println!("write returned {n}");

    // close(2) on a descriptor that cannot exist: -1 and errno = EBADF.
    // SAFETY: closing a number that is not an open descriptor is harmless;
    // it only fails.
    let status = unsafe { libc::close(-1) };
    // Read errno at once: the next call into the C library may change it.
    let error = io::Error::last_os_error();
    println!("close(-1) returned {status}");
    println!("errno says: {error}");
    println!("  raw_os_error: {:?}, kind: {:?}", error.raw_os_error(), error.kind());
    println!("  libc::EBADF is {}", libc::EBADF);
}
// ANCHOR_END: calls
