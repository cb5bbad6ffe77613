//! `cargo course solution NAME`: the model answer, once you have earned it.

use crate::config::Course;
use crate::state::State;
use crate::{paths, style};
use std::error::Error;
use std::path::{Path, PathBuf};

pub fn run(name: &str, force: bool) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let exercise = course.exercise(name)?;
    if State::load().progress(name).passed != Some(true) && !force {
        return Err(format!(
            "`{name}` has not passed yet (as far as `cargo course check {name}` knows). Solutions \
             teach most after your own attempt; pass it first, or add --force."
        )
        .into());
    }
    let dir = paths::solutions().join(&exercise.name).join("src");
    if !dir.is_dir() {
        return Err(format!("there is no solution here ({} is missing)", dir.display()).into());
    }
    for file in rust_files(&dir) {
        let shown = file.strip_prefix(paths::root()).unwrap_or(&file).display().to_string();
        println!("{}\n", style::bold(&format!("── {shown} ──")));
        println!("{}", std::fs::read_to_string(&file)?);
    }
    println!("Compare with yours: diff -ru exercises/{name}/src solutions/{name}/src");
    Ok(true)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}
