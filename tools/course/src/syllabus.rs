//! `cargo course syllabus`: the ten-week plan, rendered from course.toml.

use crate::config::Course;
use crate::paths;
use std::error::Error;
use std::fmt::Write as _;

/// The generated page. `verify` compares it with src/syllabus.md.
pub fn render(course: &Course) -> String {
    let titles = chapter_titles();
    let title_of =
        |page: &str| titles.iter().find(|(p, _)| p == page).map_or(page.to_string(), |(_, t)| t.clone());
    let mut out = String::new();
    let _ = writeln!(out, "# Weekly syllabus\n");
    let _ = writeln!(
        out,
        "<!-- Generated from course.toml by `cargo course syllabus --write`. Do not edit by hand. -->\n"
    );
    let _ = writeln!(
        out,
        "Ten evenings, one a week. Each evening: about an hour of lecture, a break, an hour \
         of lab on the week's exercises, and half an hour of lightning talks (five minutes \
         each, by volunteers). Learners read the week's chapters before the evening. \
         [For instructors](instructors.md) explains the format.\n"
    );
    let total: u32 = course.exercises.iter().map(|e| e.minutes).sum();
    let _ = writeln!(out, "The exercises add up to about {} minutes of lab work.\n", total);
    for week in &course.weeks {
        let _ = writeln!(out, "## Week {}: {}\n", week.number, week.title);
        let reading: Vec<String> = week.chapters.iter().map(|p| format!("[{}]({p})", title_of(p))).collect();
        let _ = writeln!(out, "- **Read:** {}", reading.join(", "));
        let _ = writeln!(out, "- **Lecture:**");
        for topic in &week.lecture {
            let _ = writeln!(out, "  - {topic}");
        }
        let lab: Vec<_> = course.exercises.iter().filter(|e| e.week == week.number).collect();
        if lab.is_empty() {
            let _ =
                writeln!(out, "- **Lab:** the chapter's demos and \"Try it\" sections (no graded exercise)");
        } else {
            let _ = writeln!(out, "- **Lab:**");
            for exercise in lab {
                let _ = writeln!(
                    out,
                    "  - `{}`, about {} minutes: {} (`cargo course check {}`)",
                    exercise.name, exercise.minutes, exercise.summary, exercise.name
                );
            }
        }
        let _ = writeln!(out, "- **Lightning talks:** {}\n", week.talks.join("; "));
    }
    let _ = writeln!(out, "## Common mistakes, and the stage that catches each\n");
    let _ = writeln!(
        out,
        "Every mistake below is a wrong answer kept in `solutions/wrong/`; `cargo course verify` \
         proves that the named stage fails on it with a message that points at the bug. When a \
         learner is stuck on a stage, this is the likely cause.\n"
    );
    let _ = writeln!(out, "| Exercise | Mistake | Caught by |\n|---|---|---|");
    for exercise in &course.exercises {
        for wrong in &exercise.wrong {
            let stage = crate::cargo::display_name(&wrong.fails);
            let _ = writeln!(out, "| `{}` | {} | {stage} |", exercise.name, wrong.bug.replace('|', "\\|"));
        }
    }
    out
}

pub fn run(write: bool) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let page = render(&course);
    if write {
        let path = paths::root().join("src/syllabus.md");
        std::fs::write(&path, &page)?;
        println!("wrote {}", path.display());
    } else {
        print!("{page}");
    }
    Ok(true)
}

/// `(page, title)` for every chapter in src/SUMMARY.md.
pub fn chapter_titles() -> Vec<(String, String)> {
    let summary = std::fs::read_to_string(paths::root().join("src/SUMMARY.md")).unwrap_or_default();
    summary
        .lines()
        .filter_map(|line| {
            let start = line.find('[')?;
            let middle = line[start..].find("](")? + start;
            let end = line[middle..].find(')')? + middle;
            Some((line[middle + 2..end].to_string(), line[start + 1..middle].replace('`', "")))
        })
        .collect()
}
