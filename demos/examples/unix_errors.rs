//! The three faces of MySQL's "Can't connect to local MySQL server through
//! socket '…' (N)", reproduced in a temporary directory: no file (ENOENT, 2),
//! a stale file with no server behind it (ECONNREFUSED, 111), and a socket
//! you may not write to (EACCES, 13).
//! `cargo run -p demos --example unix_errors`
//!
//! Run it as an ordinary user: root skips file permission checks
//! (CAP_DAC_OVERRIDE), so as root the third connect succeeds.

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    demo::run()
}

#[cfg(not(unix))]
fn main() {
    println!("Unix domain sockets with paths need Unix (Linux, macOS, or WSL).");
}

#[cfg(unix)]
mod demo {
    use std::fs;
    use std::io;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::Path;

    pub fn run() -> io::Result<()> {
        let dir = std::env::temp_dir().join(format!("unix-errors-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let outcome = reproduce(&dir);
        fs::remove_dir_all(&dir)?;
        outcome
    }

    // ANCHOR: reproduce
    fn reproduce(dir: &Path) -> io::Result<()> {
        // 1. Nothing at the path: the server never started, or uses another path.
        let missing = dir.join("mysqld.sock");
        try_connect("no file at the path", &missing);

        // 2. A file, but no listener: a server bound it, then died without
        //    removing it. (Dropping a listener does not remove its file.)
        let stale = dir.join("stale.sock");
        drop(UnixListener::bind(&stale)?);
        try_connect("a stale socket file", &stale);

        // 3. A live listener, but its file is not writable for us.
        let private = dir.join("private.sock");
        let _listener = UnixListener::bind(&private)?;
        fs::set_permissions(&private, fs::Permissions::from_mode(0o444))?;
        try_connect("a live socket without write permission", &private);
        Ok(())
    }

    fn try_connect(case: &str, path: &Path) {
        match UnixStream::connect(path) {
            Ok(_) => println!("{case}: connected (running as root? root skips the permission check)\n"),
            Err(e) => {
                let errno = e.raw_os_error().unwrap_or(0);
                println!("{case}:\n  connect: {e} ({:?})", e.kind());
                println!(
                    "  mysql:   ERROR 2002 (HY000): Can't connect to local MySQL server through socket '{}' ({errno})\n",
                    path.display()
                );
            }
        }
    }
    // ANCHOR_END: reproduce
}
