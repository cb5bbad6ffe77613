//! `cargo course reset NAME`: put an exercise back as it was shipped.

use crate::config::Course;
use crate::paths;
use crate::state::State;
use std::error::Error;
use std::io::{BufRead, IsTerminal, Write};
use std::process::Command;

pub fn run(name: &str, yes: bool) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let exercise = course.exercise(name)?;
    let src = format!("exercises/{}/src", exercise.name);
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(format!(
                "reset discards your work in {src}; pass --yes to confirm without a terminal"
            )
            .into());
        }
        print!(
            "Restore {src} from git (HEAD), discarding your changes there, and forget its progress? [y/N] "
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("Nothing changed.");
            return Ok(true);
        }
    }
    let status = Command::new("git")
        .current_dir(paths::root())
        .args(["checkout", "HEAD", "--"])
        .arg(&src)
        .status()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !status.success() {
        return Err(format!("git could not restore {src} (is this a git clone of the course?)").into());
    }
    let mut state = State::load();
    state.exercise.remove(&exercise.name);
    state.save()?;
    println!("Restored {src} and reset its progress and hints.");
    Ok(true)
}
