//! `cargo course book` and `cargo course tools`: the book, built and served
//! offline with the pinned mdBook and its plugins.

use crate::config::Course;
use crate::{cargo, paths, style};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What reading the book needs; `verify` also needs the link checker.
pub const FOR_READING: [&str; 2] = ["mdbook", "mdbook-mermaid"];

pub fn run(open: bool, build_only: bool, port: u16) -> Result<bool, Box<dyn Error>> {
    install(&FOR_READING)?;
    let root = paths::root();
    if build_only {
        let ok = mdbook_command().arg("build").arg(&root).status()?.success();
        if ok {
            println!("Built: {}", root.join("target/book/html/index.html").display());
        }
        return Ok(ok);
    }
    println!("Serving the book on http://127.0.0.1:{port} (Ctrl-C to stop) ...");
    let mut serve = mdbook_command();
    serve.arg("serve").arg(&root).args(["--hostname", "127.0.0.1", "--port", &port.to_string()]);
    if open {
        serve.arg("--open");
    }
    Ok(serve.status()?.success())
}

/// `cargo course tools`: every pinned tool.
pub fn install_all() -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let names: Vec<&str> = course.tools.keys().map(String::as_str).collect();
    install(&names)?;
    println!("Ready in {}: {}", tools_bin().display(), names.join(", "));
    Ok(true)
}

/// `mdbook`, run with target/tools/bin first on PATH so that it finds the
/// pinned plugins (mdBook runs `mdbook-mermaid` and friends by name).
pub fn mdbook_command() -> Command {
    let mut command = Command::new(tools_bin().join("mdbook"));
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![tools_bin()];
    dirs.extend(std::env::split_paths(&path));
    command.env("PATH", std::env::join_paths(dirs).expect("PATH entries never contain ':'"));
    command
}

/// Makes sure each named tool is installed at its pinned version under
/// target/tools, installing it with `cargo install --locked` if not.
pub fn install(names: &[&str]) -> Result<(), Box<dyn Error>> {
    let course = Course::load()?;
    for &name in names {
        let version =
            course.tools.get(name).ok_or_else(|| format!("course.toml [tools] does not pin {name}"))?;
        let installed = tools_bin().join(name);
        if version_of(&installed).as_deref() == Some(version.as_str()) {
            continue;
        }
        println!(
            "{} {name} {version} is not installed here; installing it into target/tools with \
             `cargo install --locked` (a minute or two, once) ...",
            style::yellow("note:")
        );
        let status = Command::new(cargo::cargo())
            // --force: a stale or hand-copied binary of another version may be there.
            .args([
                "install",
                "--locked",
                "--force",
                "--quiet",
                name,
                "--version",
                &format!("={version}"),
                "--root",
            ])
            .arg(paths::root().join("target/tools"))
            .status()?;
        if !status.success() || version_of(&installed).as_deref() != Some(version.as_str()) {
            return Err(format!(
                "could not install {name} {version}; try `cargo install --locked {name} --version {version}`"
            )
            .into());
        }
    }
    Ok(())
}

fn tools_bin() -> PathBuf {
    paths::root().join("target/tools/bin")
}

/// `mdbook v0.5.4` -> `0.5.4`; `mdbook-mermaid 0.17.1` -> `0.17.1`.
fn version_of(program: &Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.split_whitespace().nth(1)?.trim_start_matches('v').to_string())
}
