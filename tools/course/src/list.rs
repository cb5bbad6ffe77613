//! `cargo course` / `cargo course list`: where you are and what is next.

use crate::config::Course;
use crate::state::State;
use crate::style;
use std::error::Error;

pub fn run() -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let state = State::load();
    println!("{}\n", style::bold(&course.course.title));
    let width = course.exercises.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let mut done = 0;
    for exercise in &course.exercises {
        let (mark, status) = match state.progress(&exercise.name).passed {
            Some(true) => {
                done += 1;
                (style::green("✓"), style::green("passed     "))
            }
            Some(false) => (style::red("✗"), style::red("failing    ")),
            None => (" ".to_string(), style::dim("not started")),
        };
        println!(
            "  {mark} {:<width$}  {status}  week {:>2}  ~{:>3} min  {}",
            exercise.name, exercise.week, exercise.minutes, exercise.summary
        );
    }
    let total = course.exercises.len();
    println!("\n  {}  {done}/{total} done\n", bar(done, total, 30));
    let next = course.exercises.iter().find(|e| state.progress(&e.name).passed != Some(true));
    match next {
        Some(next) => {
            println!("Next: {} ({})", style::bold(&next.name), next.summary);
            println!("  read:  src/{}  (`cargo course book --open` serves the book)", next.chapter);
            println!("  edit:  exercises/{}/", next.name);
            println!("  test:  cargo course check {}", next.name);
            if let Some(first) = next.hints.first() {
                println!("  hint:  {first}");
            }
        }
        None => println!("Every exercise passes. Congratulations!"),
    }
    Ok(true)
}

/// `[#######-----------]`
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", style::green(&"#".repeat(filled)), "-".repeat(width - filled))
}
