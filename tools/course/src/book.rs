//! `cargo course book`: the book, built and served offline with the pinned mdBook.

use crate::config::Course;
use crate::{cargo, paths, style};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run(open: bool, build_only: bool, port: u16) -> Result<bool, Box<dyn Error>> {
    let mdbook = mdbook()?;
    let root = paths::root();
    if build_only {
        let ok = Command::new(&mdbook).arg("build").arg(&root).status()?.success();
        if ok {
            println!("Built: {}", root.join("target/book/index.html").display());
        }
        return Ok(ok);
    }
    println!("Serving the book on http://127.0.0.1:{port} (Ctrl-C to stop) ...");
    let mut serve = Command::new(&mdbook);
    serve.arg("serve").arg(&root).args(["--hostname", "127.0.0.1", "--port", &port.to_string()]);
    if open {
        serve.arg("--open");
    }
    Ok(serve.status()?.success())
}

/// The pinned mdBook: from target/tools, else from PATH if it is the pinned
/// version, else installed into target/tools with `cargo install --locked`.
pub fn mdbook() -> Result<PathBuf, Box<dyn Error>> {
    let version = Course::load()?.course.mdbook;
    let local = paths::root().join("target/tools/bin/mdbook");
    for candidate in [local.clone(), PathBuf::from("mdbook")] {
        if version_of(&candidate).as_deref() == Some(version.as_str()) {
            return Ok(candidate);
        }
    }
    println!(
        "{} mdBook {version} is not installed; installing it into target/tools with \
         `cargo install --locked` (about two minutes, once) ...",
        style::yellow("note:")
    );
    let status = Command::new(cargo::cargo())
        .args(["install", "--locked", "mdbook", "--version", &format!("={version}"), "--root"])
        .arg(paths::root().join("target/tools"))
        .status()?;
    if !status.success() || version_of(&local).as_deref() != Some(version.as_str()) {
        return Err(format!(
            "could not install mdBook {version}; try `cargo install --locked mdbook --version {version}`"
        )
        .into());
    }
    Ok(local)
}

/// `mdbook v0.5.4` -> `0.5.4`.
fn version_of(program: &Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.split_whitespace().nth(1)?.trim_start_matches('v').to_string())
}
