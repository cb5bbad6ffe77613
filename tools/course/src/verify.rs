//! `cargo course verify`: the maintainers' proof that the course works.
//!
//! One line per check, `ok` or `FAIL` with the reason; exits non-zero if any
//! check failed. The checks, in order: course.toml and the layout agree;
//! tests are written once; chapters exist and link their exercises; the book
//! sections that tests cite exist; the tools' own tests pass; stubs compile
//! and fail their tests; solutions pass; every wrong answer fails the stage
//! it should, with the words that point at its bug; rustfmt and clippy are
//! clean; the book builds with no unresolved include.

use crate::cargo::{self, TestRun};
use crate::config::{Course, Exercise};
use crate::{book, links, paths, style, syllabus, wrong};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

type Outcome = Result<String, String>;

struct Checks {
    passed: usize,
    failed: Vec<String>,
}

impl Checks {
    /// Runs one check and prints its line.
    fn run(&mut self, name: &str, check: impl FnOnce() -> Outcome) {
        let started = Instant::now();
        let outcome = check();
        let took = style::dim(&format!("({:.1}s)", started.elapsed().as_secs_f32()));
        match outcome {
            Ok(detail) => {
                self.passed += 1;
                let detail = if detail.is_empty() { String::new() } else { format!(": {detail}") };
                println!("{}   {name}{detail} {took}", style::green("ok"));
            }
            Err(reason) => {
                self.failed.push(name.to_string());
                println!("{} {name} {took}", style::red("FAIL"));
                for line in reason.lines() {
                    println!("       {line}");
                }
            }
        }
    }
}

pub fn run(only: &[String], skip_book: bool) -> Result<bool, Box<dyn Error>> {
    let started = Instant::now();
    let course = Course::load()?;
    for name in only {
        course.exercise(name)?;
    }
    let selected: Vec<&Exercise> =
        course.exercises.iter().filter(|e| only.is_empty() || only.contains(&e.name)).collect();
    let root = paths::root();
    let mut checks = Checks { passed: 0, failed: Vec::new() };

    checks.run("course.toml matches the exercise folders", || layout(&course));
    checks.run("tests are written once (solutions use exercises/*/tests by path)", || {
        tests_written_once(&course)
    });
    checks.run("every exercise's chapter exists and shows its exercise box", || chapters(&course));
    checks.run("book sections named by the tests exist", book_sections_cited_by_tests);
    checks.run("the book shows no code from solutions/", book_spoils_nothing);
    checks.run("links between book pages land on pages and headings that exist", || {
        links::check().map(|n| format!("{n} links")).map_err(|problems| problems.join("\n"))
    });
    checks.run("the syllabus covers every chapter and src/syllabus.md is up to date", || {
        syllabus_current(&course)
    });
    checks.run("the tools' own tests pass (runner, harness, load generator)", || {
        let mut command = Command::new(cargo::cargo());
        command.current_dir(&root).args(["test", "-q"]);
        for package in tool_packages() {
            command.args(["-p", &package]);
        }
        run_ok(&mut command)
    });

    checks.run("the book's demos build and their tests pass (every chapter 14 error, reproduced)", || {
        run_ok(Command::new(cargo::cargo()).current_dir(&root).args(["test", "-q", "-p", "demos"]))
    });

    // Stubs: the learner's workspace.
    checks.run("stubs and their tests compile", || {
        run_ok(Command::new(cargo::cargo()).current_dir(&root).args([
            "build",
            "--workspace",
            "--all-targets",
        ]))
    });
    for exercise in &selected {
        checks.run(&format!("stub {} fails its tests", exercise.name), || stub_fails(&exercise.name));
    }

    // Solutions: their own workspace and target dir.
    let target = paths::solutions_target();
    checks.run("solutions compile", || {
        run_ok(
            Command::new(cargo::cargo())
                .current_dir(paths::solutions())
                .env("CARGO_TARGET_DIR", &target)
                .args(["build", "--workspace", "--all-targets"]),
        )
    });
    for exercise in &selected {
        checks
            .run(&format!("solution {} passes its tests", exercise.name), || solution_passes(&exercise.name));
    }
    // Wrong answers one at a time: they share binary names, so building two
    // at once would let one's tests run the other's binary.
    let wrong_target = paths::root().join("target/wrong-build");
    for exercise in &selected {
        for wrong in &exercise.wrong {
            let name = format!(
                "wrong answer {}/{} ({}) fails {}",
                exercise.name, wrong.name, wrong.bug, wrong.fails
            );
            checks.run(&name, || {
                let manifest = wrong::materialize(&exercise.name, wrong)?;
                let dir = manifest.parent().expect("a manifest is in a folder");
                let run = cargo::test(dir, &wrong.package(&exercise.name), Some(&wrong_target))
                    .map_err(|e| format!("could not run cargo test: {e}"))?;
                wrong_fails_as_expected(&run, &wrong.fails, &wrong.says)
            });
        }
    }

    checks.run("rustfmt is clean in both workspaces", || {
        for dir in [root.clone(), paths::solutions()] {
            run_ok(
                Command::new(cargo::cargo())
                    .current_dir(&dir)
                    .args(["fmt", "--all", "--check", "--", "--color", "never"]),
            )
            .map_err(|e| format!("in {}: run `cargo fmt --all` there\n{e}", dir.display()))?;
        }
        Ok(String::new())
    });
    checks.run("clippy -D warnings: solutions", || {
        run_ok(
            Command::new(cargo::cargo())
                .current_dir(paths::solutions())
                .env("CARGO_TARGET_DIR", &target)
                .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        )
    });
    checks.run("clippy -D warnings: tools/* and demos", || {
        let mut command = Command::new(cargo::cargo());
        command.current_dir(&root).arg("clippy");
        for package in tool_packages() {
            command.args(["-p", &package]);
        }
        run_ok(command.args(["-p", "demos", "--all-targets", "--", "-D", "warnings"]))
    });
    if !skip_book {
        checks.run("the book builds with the pinned mdBook, every include resolved", build_book);
    }

    let total = checks.passed + checks.failed.len();
    println!("\nverify took {:.0}s", started.elapsed().as_secs_f32());
    if checks.failed.is_empty() {
        println!("{} {total} passed, 0 failed", style::green("verify:"));
        Ok(true)
    } else {
        println!("Failed checks:");
        for name in &checks.failed {
            println!("  - {name}");
        }
        println!("{} {} passed, {} failed", style::red("verify:"), checks.passed, checks.failed.len());
        Ok(false)
    }
}

/// The package names of every crate under tools/.
fn tool_packages() -> Vec<String> {
    subdirs(&paths::root().join("tools"))
        .iter()
        .filter_map(|dir| {
            let text =
                std::fs::read_to_string(paths::root().join("tools").join(dir).join("Cargo.toml")).ok()?;
            let manifest = text.parse::<toml::Table>().ok()?;
            Some(manifest.get("package")?.get("name")?.as_str()?.to_string())
        })
        .collect()
}

/// Runs a command; on failure, returns the end of what it printed.
fn run_ok(command: &mut Command) -> Outcome {
    command.env("RUST_BACKTRACE", "0");
    let output = command.output().map_err(|e| format!("could not run {command:?}: {e}"))?;
    if output.status.success() {
        return Ok(String::new());
    }
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let lines: Vec<&str> = text.lines().collect();
    Err(lines[lines.len().saturating_sub(40)..].join("\n"))
}

fn test(workspace: &Path, package: &str) -> Result<TestRun, String> {
    let target = if workspace == paths::root() { None } else { Some(paths::solutions_target()) };
    cargo::test(workspace, package, target.as_deref()).map_err(|e| format!("could not run cargo test: {e}"))
}

fn stub_fails(name: &str) -> Outcome {
    let run = test(&paths::root(), name)?;
    if !run.ran {
        return Err(format!("the stub's tests did not run:\n{}", tail(&run.stderr, 30)));
    }
    if run.failed() == 0 {
        return Err(format!(
            "all {} tests pass on the stub: a learner would have nothing to do (or the tests cannot fail)",
            run.tests.len()
        ));
    }
    Ok(format!("{} of {} tests fail", run.failed(), run.tests.len()))
}

fn solution_passes(name: &str) -> Outcome {
    let run = test(&paths::solutions(), name)?;
    if run.all_passed() {
        return Ok(format!("{} tests", run.tests.len()));
    }
    if !run.ran {
        return Err(format!("the solution's tests did not run:\n{}", tail(&run.stderr, 30)));
    }
    let first = run
        .tests
        .iter()
        .find(|(_, ok)| !ok)
        .and_then(|(t, _)| Some(format!("{t}:\n{}", cargo::clean_failure(run.failures.get(t)?))));
    Err(format!("{} of {} tests fail. First: {}", run.failed(), run.tests.len(), first.unwrap_or_default()))
}

fn wrong_fails_as_expected(run: &TestRun, fails: &str, says: &str) -> Outcome {
    if !run.ran {
        return Err(format!("its tests did not run (does it compile?):\n{}", tail(&run.stderr, 30)));
    }
    let failed: Vec<&String> = run.tests.iter().filter(|(_, ok)| !ok).map(|(t, _)| t).collect();
    let Some(target) = failed.iter().find(|t| t.starts_with(fails)) else {
        return Err(format!(
            "expected test `{fails}` to fail, but the failing tests were: {}",
            if failed.is_empty() {
                "none (the tests do not catch this bug)".to_string()
            } else {
                format!("{failed:?}")
            }
        ));
    };
    let message = run.failures.get(*target).map(String::as_str).unwrap_or("");
    if !message.contains(says) {
        return Err(format!(
            "`{target}` failed, but its message does not say \"{says}\". It said:\n{}",
            tail(&cargo::clean_failure(message), 25)
        ));
    }
    Ok(format!("{} of {} tests fail", failed.len(), run.tests.len()))
}

fn layout(course: &Course) -> Outcome {
    let mut problems = Vec::new();
    let root = paths::root();
    let listed: Vec<&str> = course.exercises.iter().map(|e| e.name.as_str()).collect();
    for dir in subdirs(&root.join("exercises")) {
        if !listed.contains(&dir.as_str()) {
            problems.push(format!("exercises/{dir} is not listed in course.toml"));
        }
    }
    for (i, exercise) in course.exercises.iter().enumerate() {
        let name = &exercise.name;
        if listed[..i].contains(&name.as_str()) {
            problems.push(format!("{name} is listed twice"));
        }
        for dir in [format!("exercises/{name}"), format!("solutions/{name}")] {
            if !root.join(&dir).join("Cargo.toml").is_file() {
                problems.push(format!("{dir}/Cargo.toml is missing"));
            }
        }
        if exercise.hints.len() < 2 {
            problems.push(format!("{name} needs at least two hints (a nudge, then nearly the answer)"));
        }
        if !(1..=10).contains(&exercise.week) || exercise.minutes == 0 {
            problems.push(format!("{name}: week must be 1-10 and minutes positive"));
        }
        if exercise.wrong.len() < 2 {
            problems.push(format!("{name} needs at least two wrong answers that its tests fail"));
        }
        for wrong in &exercise.wrong {
            if !wrong::patch_file(name, wrong).is_file() {
                problems.push(format!("solutions/wrong/{name}/{}.patch is missing", wrong.name));
            }
        }
        for entry in std::fs::read_dir(paths::wrong().join(name)).into_iter().flatten().flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let listed =
                file.strip_suffix(".patch").is_some_and(|w| exercise.wrong.iter().any(|x| x.name == w));
            if !listed {
                problems.push(format!(
                    "solutions/wrong/{name}/{file} is not a wrong answer listed in course.toml"
                ));
            }
        }
    }
    for dir in subdirs(&paths::wrong()) {
        if !listed.contains(&dir.as_str()) {
            problems.push(format!("solutions/wrong/{dir} belongs to no exercise in course.toml"));
        }
    }
    if problems.is_empty() {
        Ok(format!("{} exercises", course.exercises.len()))
    } else {
        Err(problems.join("\n"))
    }
}

fn tests_written_once(course: &Course) -> Outcome {
    let mut problems = Vec::new();
    let root = paths::root();
    for exercise in &course.exercises {
        let name = &exercise.name;
        let test_dir = root.join("exercises").join(name).join("tests");
        let test_files = rs_files(&test_dir);
        if test_files.is_empty() {
            problems.push(format!("exercises/{name}/tests has no test files"));
        }
        // Wrong answers are patches of the solution's src/ (checked when built).
        for package in [paths::solutions().join(name)] {
            let shown = package.strip_prefix(&root).unwrap_or(&package).display().to_string();
            if package.join("tests").exists() {
                problems.push(format!("{shown}/tests exists: tests live only in exercises/{name}/tests"));
            }
            let used = declared_test_paths(&package);
            for file in &test_files {
                if !used.contains(file) {
                    problems.push(format!(
                        "{shown}/Cargo.toml does not run {} (add a [[test]] with its path)",
                        file.strip_prefix(&root).unwrap_or(file).display()
                    ));
                }
            }
        }
    }
    if problems.is_empty() { Ok(String::new()) } else { Err(problems.join("\n")) }
}

/// The canonical paths of a package's [[test]] targets.
fn declared_test_paths(package: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(package.join("Cargo.toml")) else { return Vec::new() };
    let Ok(manifest) = text.parse::<toml::Table>() else { return Vec::new() };
    let tests = manifest.get("test").and_then(|t| t.as_array()).cloned().unwrap_or_default();
    tests
        .iter()
        .filter_map(|t| t.get("path")?.as_str())
        .filter_map(|p| package.join(p).canonicalize().ok())
        .collect()
}

fn chapters(course: &Course) -> Outcome {
    let src = paths::root().join("src");
    let summary =
        std::fs::read_to_string(src.join("SUMMARY.md")).map_err(|e| format!("src/SUMMARY.md: {e}"))?;
    let mut problems = Vec::new();
    for exercise in &course.exercises {
        let (name, page) = (&exercise.name, &exercise.chapter);
        if !summary.contains(&format!("({page})")) {
            problems.push(format!("{name}: its chapter {page} is not in src/SUMMARY.md"));
        }
        match std::fs::read_to_string(src.join(page)) {
            Err(e) => problems.push(format!("{name}: src/{page}: {e}")),
            Ok(text) => {
                for needle in [format!("exercises/{name}/"), format!("cargo course check {name}")] {
                    if !text.contains(&needle) {
                        problems.push(format!(
                            "{name}: src/{page} does not mention `{needle}` (the exercise box)"
                        ));
                    }
                }
            }
        }
    }
    if problems.is_empty() { Ok(String::new()) } else { Err(problems.join("\n")) }
}

/// Every `Book("page.md#anchor")` in the tests names a page and a heading that exist.
fn book_sections_cited_by_tests() -> Outcome {
    let root = paths::root();
    let mut problems = Vec::new();
    let mut count = 0;
    for exercise in subdirs(&root.join("exercises")) {
        for file in rs_files(&root.join("exercises").join(&exercise).join("tests")) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for cited in text.split("Book(\"").skip(1).filter_map(|rest| rest.split('"').next()) {
                count += 1;
                let (page, anchor) = cited.split_once('#').unwrap_or((cited, ""));
                let Ok(markdown) = std::fs::read_to_string(root.join("src").join(page)) else {
                    problems
                        .push(format!("exercises/{exercise}/tests cite src/{page}, which does not exist"));
                    continue;
                };
                if !anchor.is_empty() && !links::anchors(&markdown).iter().any(|id| id == anchor) {
                    problems.push(format!(
                        "exercises/{exercise}/tests cite {page}#{anchor}, but no heading has that id"
                    ));
                }
            }
        }
    }
    if problems.is_empty() { Ok(format!("{count} citations")) } else { Err(problems.join("\n")) }
}

/// Chapters may include exercise stubs and demos, never solutions: the book
/// is public, and the student copy (`export --no-solutions`) has none.
fn book_spoils_nothing() -> Outcome {
    let mut problems = Vec::new();
    for page in walk(&paths::root().join("src")) {
        let text = std::fs::read_to_string(&page).unwrap_or_default();
        for line in text.lines().filter(|l| l.contains("{{#") && l.contains("solutions/")) {
            problems.push(format!("{}: {line}", page.display()));
        }
    }
    if problems.is_empty() { Ok(String::new()) } else { Err(problems.join("\n")) }
}

fn syllabus_current(course: &Course) -> Outcome {
    let mut problems = Vec::new();
    let planned: Vec<&String> = course.weeks.iter().flat_map(|w| &w.chapters).collect();
    let summary = std::fs::read_to_string(paths::root().join("src/SUMMARY.md")).unwrap_or_default();
    // Numbered chapters are the `- [..](..)` lines; appendices are not taught in a week.
    for (page, _) in syllabus::chapter_titles() {
        let numbered =
            summary.lines().any(|l| l.trim_start().starts_with("- [") && l.contains(&format!("({page})")));
        if numbered && !planned.contains(&&page) {
            problems.push(format!("{page} is in no week of course.toml's [[week]] plan"));
        }
    }
    for page in &planned {
        if !paths::root().join("src").join(page).is_file() {
            problems.push(format!("course.toml's weeks name src/{page}, which does not exist"));
        }
    }
    for exercise in &course.exercises {
        if !course.weeks.iter().any(|w| w.number == exercise.week) {
            problems.push(format!(
                "{} is in week {}, which course.toml does not plan",
                exercise.name, exercise.week
            ));
        }
    }
    let current = std::fs::read_to_string(paths::root().join("src/syllabus.md")).unwrap_or_default();
    if current != syllabus::render(course) {
        problems.push("src/syllabus.md is stale: run `cargo course syllabus --write`".to_string());
    }
    if problems.is_empty() { Ok(format!("{} weeks", course.weeks.len())) } else { Err(problems.join("\n")) }
}

fn build_book() -> Outcome {
    // Every pinned tool, the link checker included: in verify it is not optional.
    let course = Course::load().map_err(|e| e.to_string())?;
    let names: Vec<&str> = course.tools.keys().map(String::as_str).collect();
    book::install(&names).map_err(|e| e.to_string())?;
    let root = paths::root();
    let output = book::mdbook_command()
        .arg("build")
        .arg(&root)
        .output()
        .map_err(|e| format!("could not run mdbook: {e}"))?;
    let log =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        return Err(tail(&log, 30));
    }
    // mdBook reports a missing include but may still succeed; a leftover
    // `{{#include` in the output is the proof.
    let mut problems: Vec<String> = log.lines().filter(|l| l.contains("ERROR")).map(str::to_string).collect();
    for page in walk(&root.join("target/book")) {
        if page.extension().is_some_and(|e| e == "html")
            && std::fs::read_to_string(&page).is_ok_and(|t| t.contains("{{#include"))
        {
            problems.push(format!("{} has an unresolved {{{{#include}}}}", page.display()));
        }
    }
    if problems.is_empty() { Ok("target/book/html".to_string()) } else { Err(problems.join("\n")) }
}

fn subdirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && p.parent() == Some(dir))
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
