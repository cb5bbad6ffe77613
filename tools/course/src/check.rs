//! `cargo course check NAME`: run one exercise's tests, show a staged summary.

use crate::cargo::{self, TestRun};
use crate::config::Course;
use crate::state::State;
use crate::{paths, style};
use std::error::Error;

pub fn run(name: &str, verbose: bool) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let exercise = course.exercise(name)?;
    println!("Checking {} (cargo test -p {name}) ...", style::bold(name));
    let run = cargo::test(&paths::root(), name, None)?;
    if verbose {
        print!("{}", run.stdout);
        eprint!("{}", run.stderr);
    }
    let passed = summarize(name, &run);
    let mut state = State::load();
    state.progress_mut(name).passed = Some(passed);
    state.save()?;
    if passed {
        let next = course.exercises.iter().skip_while(|e| e.name != exercise.name).nth(1);
        match next {
            Some(next) => println!("Next: {} (read src/{}).", style::bold(&next.name), next.chapter),
            None => println!("That was the last exercise. Well done."),
        }
    } else {
        println!(
            "Fix that, then run `cargo course check {name}` again. Stuck? `cargo course hint {name}`; book: src/{}",
            exercise.chapter
        );
    }
    Ok(passed)
}

/// Prints one line per test and the first failure in full. Returns whether all passed.
pub fn summarize(name: &str, run: &TestRun) -> bool {
    if !run.ran {
        println!("{} {name} does not compile yet. The compiler says:\n", style::red("✗"));
        println!("{}", compiler_errors(&run.stderr));
        return false;
    }
    for (test, ok) in &run.tests {
        let mark = if *ok { style::green("✓") } else { style::red("✗") };
        println!("  {mark} {}", cargo::display_name(test));
    }
    let total = run.tests.len();
    if run.all_passed() {
        println!("{} all {total} tests of {name} pass.", style::green("✓"));
        return true;
    }
    println!("{} of {total} tests pass.", run.passed());
    // Tests are sorted by stage, so the first failing one is the one to fix first.
    let first = run.tests.iter().find(|(_, ok)| !ok).and_then(|(t, _)| Some((t, run.failures.get(t)?)));
    if let Some((test, text)) = first {
        println!("\n{} {}", style::red("First failure:"), cargo::display_name(test));
        println!("{}\n", cargo::clean_failure(text));
    }
    false
}

/// The compiler's errors, without cargo's progress lines.
fn compiler_errors(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("Compiling") || t.starts_with("Finished") || t.starts_with("Running"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
