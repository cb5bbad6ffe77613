//! `cargo course hint NAME`: hints in order, from a nudge to nearly the answer.

use crate::config::Course;
use crate::state::State;
use crate::style;
use std::error::Error;

pub fn run(name: &str) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let exercise = course.exercise(name)?;
    let mut state = State::load();
    let total = exercise.hints.len();
    let progress = state.progress_mut(name);
    let shown = (progress.hints_seen + 1).min(total);
    progress.hints_seen = shown;
    for (i, hint) in exercise.hints.iter().take(shown).enumerate() {
        let label = format!("Hint {} of {total}:", i + 1);
        let label = if i + 1 == shown { style::bold(&label) } else { style::dim(&label) };
        println!("{label} {hint}\n");
    }
    if shown < total {
        println!("Run `cargo course hint {name}` again for the next one.");
    } else {
        println!("That was the last hint. The book section is src/{}.", exercise.chapter);
    }
    state.save()?;
    Ok(true)
}
