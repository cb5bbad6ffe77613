//! Binding a Unix socket safely: a private mode from the first instant
//! (born in a 0700 directory, then linked into place), and a stale file
//! removed only after proving it is stale (a probe connect is refused).
//! Tries four situations in a temp dir.
//! `cargo run -p demos --example unix_safe_bind`

#[cfg(unix)]
fn main() -> std::io::Result<()> {
    safe::run()
}

#[cfg(not(unix))]
fn main() {
    println!("Unix domain sockets with paths need Unix (Linux, macOS, or WSL).");
}

#[cfg(unix)]
mod safe {
    use std::fs;
    use std::io::{self, ErrorKind};
    use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::path::Path;

    pub fn run() -> io::Result<()> {
        let dir = std::env::temp_dir().join(format!("unix-safe-bind-{}", std::process::id()));
        fs::create_dir_all(&dir)?;
        let outcome = situations(&dir);
        fs::remove_dir_all(&dir)?;
        outcome
    }

    fn situations(dir: &Path) -> io::Result<()> {
        let plain = dir.join("plain.sock");
        let _plain = UnixListener::bind(&plain)?;
        println!("plain bind:      mode {:04o}", mode(&plain)?);
        let private = dir.join("private.sock");
        let listener = bind_private(&private)?;
        println!("private bind:    mode {:04o}", mode(&private)?);
        println!("files now:       {:?}", names(dir)?);
        println!("bound as:        {:?}", listener.local_addr()?.as_pathname());

        let stale = dir.join("stale.sock");
        drop(UnixListener::bind(&stale)?);
        let missing = dir.join("missing.sock");
        let regular = dir.join("notes.txt");
        fs::write(&regular, "not a socket\n")?;
        for (what, path) in [
            ("nothing there", &missing),
            ("a stale socket", &stale),
            ("a live server", &private),
            ("a regular file", &regular),
        ] {
            match clear_stale(path) {
                Ok(()) => println!("{what:>15}: free to bind (exists now: {})", path.exists()),
                Err(e) => println!("{what:>15}: refused: {e}"),
            }
        }
        Ok(())
    }

    fn names(dir: &Path) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(dir)? {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        Ok(names)
    }

    fn mode(path: &Path) -> io::Result<u32> {
        Ok(fs::symlink_metadata(path)?.permissions().mode() & 0o777)
    }

    // ANCHOR: bind_private
    /// Binds a listening socket at `path` that only this user can connect to,
    /// from its very first instant.
    ///
    /// `bind` creates the socket file with mode 0777 minus the umask, and a
    /// `chmod` afterwards would leave a moment in which others may connect. So
    /// the socket is born inside a fresh directory that only we may enter, made
    /// private (0600) there, and only then given its public name.
    fn bind_private(path: &Path) -> io::Result<UnixListener> {
        // Next to `path`, so on the same file system. `create` fails if the name
        // is taken, so this is surely a directory we just made, and the umask can
        // only take bits away from 0700, never add them.
        let private_dir = path.with_file_name(format!(".bind-{}", std::process::id()));
        fs::DirBuilder::new().mode(0o700).create(&private_dir)?;
        let bound = bind_inside(&private_dir, path);
        // Whatever happened, leave no trace but the socket at `path`.
        let _ = fs::remove_dir_all(&private_dir);
        bound
    }

    fn bind_inside(private_dir: &Path, path: &Path) -> io::Result<UnixListener> {
        // The same file name, so that `ss -xl | grep NAME` still finds it.
        let hidden = private_dir.join(path.file_name().unwrap_or("socket".as_ref()));
        // Nobody else can reach `hidden`: connecting needs search permission on
        // every directory on the way, and `private_dir` is 0700.
        let listener = UnixListener::bind(&hidden)?;
        fs::set_permissions(&hidden, fs::Permissions::from_mode(0o600))?;
        // A second name for the same socket file, already 0600. Unlike `rename`,
        // `hard_link` never replaces what is at `path`: like `bind`, it fails if
        // the path is taken (by a stale file, or by anything that appeared there
        // since `clear_stale`), and we report that as `bind` would.
        fs::hard_link(&hidden, path).map_err(|e| match e.kind() {
            ErrorKind::AlreadyExists => io::Error::new(ErrorKind::AddrInUse, "Address already in use"),
            _ => e,
        })?;
        Ok(listener)
    }
    // ANCHOR_END: bind_private

    // ANCHOR: clear_stale
    /// Makes `path` free for a new socket, but only by removing a *stale*
    /// socket file: one that no server listens behind any more.
    fn clear_stale(path: &Path) -> io::Result<()> {
        // symlink_metadata: look at the path itself, not where a symlink points.
        let metadata = match fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if !metadata.file_type().is_socket() {
            return Err(io::Error::new(
                ErrorKind::AlreadyExists,
                "exists and is not a socket; refusing to remove it",
            ));
        }
        // The only reliable liveness test: knock. A live server accepts (and
        // sees us hang up at once); a stale file refuses.
        match UnixStream::connect(path) {
            Ok(_) => Err(io::Error::new(ErrorKind::AddrInUse, "another server is listening there")),
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => fs::remove_file(path),
            Err(e) => Err(e),
        }
    }
    // ANCHOR_END: clear_stale
}
