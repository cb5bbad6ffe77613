//! `cargo course grade`: run the selected exercises' tests and score them.
//!
//! One point per passing test (each test is a stage). The JSON form
//! (`--json`) is a stable interface, documented in src/instructors.md;
//! `schema` changes if its shape ever does.

use crate::cargo;
use crate::config::Course;
use crate::{paths, style};
use serde::Serialize;
use std::error::Error;

#[derive(Serialize)]
pub struct Report {
    pub schema: u32,
    pub course: String,
    pub week: Option<u32>,
    pub through: Option<u32>,
    pub exercises: Vec<ExerciseGrade>,
    pub points: usize,
    pub max_points: usize,
}

#[derive(Serialize)]
pub struct ExerciseGrade {
    pub name: String,
    pub week: u32,
    /// False when the code did not compile (every stage scores 0).
    pub compiled: bool,
    pub points: usize,
    pub max_points: usize,
    pub stages: Vec<StageGrade>,
}

#[derive(Serialize)]
pub struct StageGrade {
    pub test: String,
    pub title: String,
    pub passed: bool,
    pub points: usize,
    /// The failure report, for failed stages.
    pub message: Option<String>,
}

pub fn run(week: Option<u32>, through: Option<u32>, json: bool) -> Result<bool, Box<dyn Error>> {
    let course = Course::load()?;
    let selected: Vec<_> = course.exercises.iter().filter(|e| e.in_weeks(week, through)).collect();
    if selected.is_empty() {
        return Err(
            "no exercise matches that selection; `cargo course list` shows each exercise's week".into()
        );
    }
    let mut exercises = Vec::new();
    for exercise in selected {
        if !json {
            eprintln!("grading {} ...", exercise.name);
        }
        let run = cargo::test(&paths::root(), &exercise.name, None)?;
        let declared = exercise.declared_tests();
        let stages: Vec<StageGrade> = declared
            .iter()
            .map(|test| {
                let passed = run.ran && run.tests.iter().any(|(name, ok)| name == test && *ok);
                let message = if passed {
                    None
                } else if !run.ran {
                    Some("the exercise does not compile".to_string())
                } else {
                    Some(
                        run.failures.get(test).map_or("did not run".to_string(), |m| cargo::clean_failure(m)),
                    )
                };
                StageGrade {
                    test: test.clone(),
                    title: cargo::display_name(test),
                    passed,
                    points: usize::from(passed),
                    message,
                }
            })
            .collect();
        let points = stages.iter().map(|s| s.points).sum();
        exercises.push(ExerciseGrade {
            name: exercise.name.clone(),
            week: exercise.week,
            compiled: run.ran,
            points,
            max_points: stages.len(),
            stages,
        });
    }
    let report = Report {
        schema: 1,
        course: course.course.title.clone(),
        week,
        through,
        points: exercises.iter().map(|e| e.points).sum(),
        max_points: exercises.iter().map(|e| e.max_points).sum(),
        exercises,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(true)
}

fn print_table(report: &Report) {
    for exercise in &report.exercises {
        let note = if exercise.compiled { String::new() } else { style::red(" (does not compile)") };
        println!(
            "{}  {}/{} points{note}",
            style::bold(&format!("{} (week {})", exercise.name, exercise.week)),
            exercise.points,
            exercise.max_points
        );
        for stage in &exercise.stages {
            let mark = if stage.passed { style::green("✓") } else { style::red("✗") };
            println!("  {mark} {}", stage.title);
            if let Some(problem) = stage.message.as_deref().and_then(first_problem) {
                println!("      {}", style::dim(problem));
            }
        }
    }
    println!("\nTotal: {}/{} points", report.points, report.max_points);
}

/// The `problem:` line of a harness report, or the first non-empty line.
fn first_problem(message: &str) -> Option<&str> {
    let lines = || message.lines().map(str::trim).filter(|l| !l.is_empty());
    lines().find_map(|l| l.strip_prefix("problem: ")).or_else(|| lines().find(|l| !l.starts_with("thread ")))
}
