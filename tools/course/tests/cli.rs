//! The runner's subcommands, run as a learner or instructor would, including
//! their error paths. Each test keeps its progress in its own state file
//! (COURSE_STATE) so a real learner's progress is never touched.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh scratch directory under target/, unique to this test.
fn scratch(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "course-cli-{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cargo course` with its own empty progress, no colours.
fn course(state_dir: &Path) -> Command {
    let mut command = Command::cargo_bin("course").unwrap();
    command.env("COURSE_STATE", state_dir.join("state.toml")).env("NO_COLOR", "1").env("RUST_BACKTRACE", "0");
    command
}

#[test]
fn list_is_the_default_and_names_the_next_step() {
    let dir = scratch("list");
    for args in [&[][..], &["list"][..]] {
        course(&dir)
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::contains("echo-server"))
            .stdout(predicate::str::contains("not started"))
            .stdout(predicate::str::contains("Next: "))
            .stdout(predicate::str::contains("test:  cargo course check"))
            .stdout(predicate::str::contains("0/"));
    }
}

#[test]
fn unknown_exercises_get_a_suggestion_in_every_subcommand() {
    let dir = scratch("unknown");
    for sub in ["check", "hint", "solution", "reset"] {
        course(&dir)
            .args([sub, "echo-sever"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no exercise called `echo-sever`"))
            .stderr(predicate::str::contains("Did you mean `echo-server`?"));
    }
    course(&dir)
        .args(["check", "zzzz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cargo course list"));
}

/// Whether the learner's echo-server still fails (true in the course
/// repository, where it is the stub; a learner may have solved it).
fn echo_server_is_unsolved(dir: &Path) -> bool {
    let output = course(dir).args(["check", "echo-server"]).output().unwrap();
    output.status.code() == Some(1)
}

#[test]
fn check_summarises_the_stages_and_records_the_result() {
    let dir = scratch("check");
    let assert = course(&dir).args(["check", "echo-server"]).assert();
    let unsolved = assert.get_output().status.code() == Some(1);
    let assert = assert.stdout(predicate::str::contains("stage 1: accepts a connection"));
    if unsolved {
        assert
            .stdout(predicate::str::contains("First failure: stage"))
            .stdout(predicate::str::contains("cargo course hint echo-server"));
        course(&dir).arg("list").assert().success().stdout(predicate::str::contains("failing"));
    } else {
        assert.success().stdout(predicate::str::contains("tests of echo-server pass"));
        course(&dir).arg("list").assert().success().stdout(predicate::str::contains("passed"));
    }
}

#[test]
fn hints_come_one_at_a_time_and_are_remembered() {
    let dir = scratch("hint");
    course(&dir)
        .args(["hint", "echo-server"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Hint 1 of"))
        .stdout(predicate::str::contains("Hint 2 of").not());
    course(&dir)
        .args(["hint", "echo-server"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Hint 2 of"));
    let state = std::fs::read_to_string(dir.join("state.toml")).unwrap();
    assert!(state.contains("hints_seen = 2"), "{state}");
}

#[test]
fn solutions_wait_until_the_exercise_passes_unless_forced() {
    let dir = scratch("solution");
    course(&dir)
        .args(["solution", "echo-server"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has not passed yet"))
        .stderr(predicate::str::contains("--force"));
    course(&dir)
        .args(["solution", "echo-server", "--force"])
        .assert()
        .success()
        .stdout(predicate::str::contains("solutions/echo-server/src/main.rs"))
        .stdout(predicate::str::contains("fn handle_client"));
}

#[test]
fn reset_refuses_to_discard_work_without_confirmation() {
    let dir = scratch("reset");
    course(&dir)
        .args(["reset", "echo-server"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
}

#[test]
fn syllabus_has_ten_weeks_and_the_common_mistakes() {
    let dir = scratch("syllabus");
    let output = course(&dir).arg("syllabus").assert().success().get_output().stdout.clone();
    let text = String::from_utf8(output).unwrap();
    for week in 1..=10 {
        assert!(text.contains(&format!("## Week {week}: ")), "week {week} missing");
    }
    assert!(text.contains("`echo-server`, about"), "{text}");
    assert!(text.contains("| `echo-server` | reads once"), "{text}");
}

#[test]
fn grade_reports_stable_json_per_stage() {
    let dir = scratch("grade");
    let output =
        course(&dir).args(["grade", "--week", "4", "--json"]).assert().success().get_output().stdout.clone();
    let report: serde_json::Value = serde_json::from_slice(&output).expect("grade --json prints JSON");
    assert_eq!(report["schema"], 1);
    assert_eq!(report["week"], 4);
    let exercises = report["exercises"].as_array().unwrap();
    let echo =
        exercises.iter().find(|e| e["name"] == "echo-server").expect("echo-server is graded in week 4");
    assert_eq!(echo["max_points"], 7);
    if echo_server_is_unsolved(&dir) {
        assert!(echo["points"].as_u64().unwrap() < 7, "an unsolved exercise loses points");
    }
    let first = &echo["stages"][0];
    assert_eq!(first["test"], "stage_1_accepts_a_connection");
    assert_eq!(first["passed"], false);
    assert!(first["message"].as_str().unwrap().contains("problem:"));
    assert_eq!(
        report["max_points"],
        report["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["max_points"].as_u64().unwrap())
            .sum::<u64>()
    );
}

#[test]
fn grade_rejects_an_empty_or_contradictory_selection() {
    let dir = scratch("grade-errors");
    course(&dir)
        .args(["grade", "--week", "99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exercise matches"));
    course(&dir)
        .args(["grade", "--week", "1", "--through", "3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn classroom_writes_valid_yaml_naming_only_real_exercises() {
    let dir = scratch("classroom");
    let path = dir.join("classroom.yml");
    course(&dir).args(["classroom", "--through", "10", "--output"]).arg(&path).assert().success();
    let text = std::fs::read_to_string(&path).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).expect("the workflow is valid YAML");
    let steps = docs[0]["jobs"]["run-autograding-tests"]["steps"].as_vec().expect("steps");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let graded: Vec<&str> = steps.iter().filter_map(|s| s["with"]["test-name"].as_str()).collect();
    assert!(graded.contains(&"echo-server"), "{graded:?}");
    for name in &graded {
        assert!(
            root.join("exercises").join(name).is_dir(),
            "the workflow grades `{name}`, which does not exist"
        );
        let step = steps.iter().find(|s| s["with"]["test-name"].as_str() == Some(name)).unwrap();
        assert!(step["with"]["max-score"].as_i64().unwrap() > 0);
        assert!(step["with"]["timeout"].as_i64().unwrap() > 0);
    }
    let reporter = steps.last().unwrap();
    assert_eq!(reporter["with"]["runners"].as_str().unwrap().split(',').count(), graded.len());
    course(&dir).args(["classroom", "--through", "0", "--output"]).arg(&path).assert().code(2);
}

#[test]
fn export_without_solutions_leaves_them_out() {
    let dir = scratch("export");
    let out = dir.join("students");
    course(&dir).args(["export", "--no-solutions"]).arg(&out).assert().success();
    assert!(out.join("exercises/echo-server/tests/stages.rs").is_file());
    assert!(out.join("course.toml").is_file());
    assert!(!out.join("solutions").exists());
    assert!(!out.join(".github/workflows/ci.yml").exists());
    course(&dir)
        .args(["export", "--no-solutions"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not empty"));
}

#[test]
fn watch_runs_the_current_exercise_and_quits_on_q() {
    let dir = scratch("watch");
    course(&dir)
        .args(["watch", "echo-server", "--poll"])
        .write_stdin("h\nq\n")
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success()
        .stdout(predicate::str::contains("watching exercises/echo-server/"))
        .stdout(predicate::str::contains("Hint 1 of"));
}

#[test]
fn every_subcommand_has_help() {
    let dir = scratch("help");
    for sub in [
        "list",
        "check",
        "hint",
        "book",
        "tools",
        "watch",
        "solution",
        "reset",
        "syllabus",
        "grade",
        "classroom",
        "export",
        "verify",
    ] {
        course(&dir)
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: cargo course"));
    }
    course(&dir)
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unrecognized subcommand"));
}
