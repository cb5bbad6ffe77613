//! `cargo course export DIR`: a copy of the course to hand out, by default
//! without the solutions (and without the maintainers' CI, which needs them).

use crate::paths;
use std::error::Error;
use std::path::Path;
use std::process::Command;

/// Paths left out of a student copy: the answers, and the CI that checks them.
const MAINTAINERS_ONLY: [&str; 4] =
    ["solutions/", ".ci/", ".github/workflows/ci.yml", ".github/workflows/pages.yml"];

pub fn run(dir: &Path, no_solutions: bool) -> Result<bool, Box<dyn Error>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(format!("{} exists and is not empty; choose a new directory", dir.display()).into());
    }
    let root = paths::root();
    let listing = Command::new("git")
        .current_dir(&root)
        .args(["ls-files", "-z"])
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !listing.status.success() {
        return Err("git ls-files failed (is this a git clone of the course?)".into());
    }
    let mut copied = 0;
    for file in listing.stdout.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let file = String::from_utf8_lossy(file);
        if no_solutions && MAINTAINERS_ONLY.iter().any(|skip| file.starts_with(skip)) {
            continue;
        }
        let from = root.join(file.as_ref());
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let to = dir.join(file.as_ref());
        std::fs::create_dir_all(to.parent().expect("a file has a parent"))?;
        std::fs::copy(&from, &to)?;
        copied += 1;
    }
    if no_solutions {
        // The learners' workspace never referenced solutions/, so it builds as is.
        println!("Exported {copied} files to {} without solutions/ and the maintainers' CI.", dir.display());
        println!("Next: add a grading workflow there with `cargo course classroom --through N`.");
    } else {
        println!("Exported {copied} files to {}.", dir.display());
    }
    Ok(true)
}
