//! Wrong answers, kept as patches.
//!
//! A wrong answer is the model answer with one classic bug, so it is stored
//! as exactly that: `solutions/wrong/<exercise>/<bug>.patch`, a unified diff
//! against `solutions/<exercise>/` that shows the bug and nothing else.
//! `verify` builds each one under `target/wrong-<exercise>-<bug>/`: a copy
//! of the model answer, the patch applied (`git apply`), and a manifest of its
//! own that still runs the exercise's tests by path.

use crate::config::Wrong;
use crate::paths;
use std::path::{Path, PathBuf};
use std::process::Command;
use toml::{Table, Value};

/// The patch file of a wrong answer.
pub fn patch_file(exercise: &str, wrong: &Wrong) -> PathBuf {
    paths::wrong().join(exercise).join(format!("{}.patch", wrong.name))
}

/// Builds the wrong answer's package and returns its manifest path.
pub fn materialize(exercise: &str, wrong: &Wrong) -> Result<PathBuf, String> {
    let root = paths::root();
    let solution = paths::solutions().join(exercise);
    // target/<package>/ is as deep as solutions/<exercise>/, so relative paths
    // in the code (a `#[path]` to a file the exercise provides) still resolve.
    let dir = root.join("target").join(wrong.package(exercise));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    copy_tree(&solution, &dir).map_err(|e| format!("cannot copy {}: {e}", solution.display()))?;

    let patch = patch_file(exercise, wrong);
    let relative = dir.strip_prefix(&root).expect("target/ is inside the repository");
    let output = Command::new("git")
        .current_dir(&root)
        .arg("apply")
        .arg(format!("--directory={}", relative.display()))
        .arg(&patch)
        .output()
        .map_err(|e| format!("cannot run git apply: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{} does not apply to solutions/{exercise} (did the model answer change? regenerate the patch):\n{}",
            patch.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }

    touches_only_src(&patch)?;
    let manifest = standalone_manifest(exercise, wrong, &solution, &dir)?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The model answer's lock file, so the wrong answer builds with the same versions.
    let _ = std::fs::copy(paths::solutions().join("Cargo.lock"), dir.join("Cargo.lock"));
    Ok(dir.join("Cargo.toml"))
}

/// The solution's manifest made standalone: its own name and empty
/// `[workspace]`, the workspace's inherited values filled in, every path
/// made absolute, and the bin and lib targets named as in the exercise.
fn standalone_manifest(exercise: &str, wrong: &Wrong, solution: &Path, dir: &Path) -> Result<String, String> {
    let read = |path: &Path| -> Result<Table, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        text.parse::<Table>().map_err(|e| format!("{}: {e}", path.display()))
    };
    let workspace = read(&paths::solutions().join("Cargo.toml"))?;
    let mut manifest = read(&solution.join("Cargo.toml"))?;
    let shared =
        |key: &str| workspace.get("workspace").and_then(|w| w.get(key)).and_then(Value::as_table).cloned();
    let shared_package = shared("package").unwrap_or_default();
    let shared_dependencies = shared("dependencies").unwrap_or_default();

    if let Some(Value::Table(package)) = manifest.get_mut("package") {
        for (key, value) in package.iter_mut() {
            if is_inherited(value)
                && let Some(inherited) = shared_package.get(key)
            {
                *value = inherited.clone();
            }
        }
        package.insert("name".into(), Value::String(wrong.package(exercise)));
    }
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(Value::Table(dependencies)) = manifest.get_mut(section) {
            for (name, spec) in dependencies.iter_mut() {
                if is_inherited(spec)
                    && let Some(inherited) = shared_dependencies.get(name)
                {
                    *spec = absolute_paths(inherited.clone(), &paths::solutions());
                } else {
                    *spec = absolute_paths(spec.clone(), solution);
                }
            }
        }
    }
    if let Some(lib) = manifest.get_mut("lib") {
        *lib = absolute_paths(lib.clone(), solution);
    }
    for section in ["test", "example", "bench", "bin"] {
        if let Some(Value::Array(targets)) = manifest.get_mut(section) {
            for target in targets.iter_mut() {
                *target = absolute_paths(target.clone(), solution);
            }
        }
    }
    manifest.remove("lints");
    // Cargo names a package's targets after the package; keep the exercise's names.
    let crate_name = exercise.replace('-', "_");
    if dir.join("src/lib.rs").exists() && !manifest.contains_key("lib") {
        let mut lib = Table::new();
        lib.insert("name".into(), Value::String(crate_name));
        manifest.insert("lib".into(), Value::Table(lib));
    }
    if dir.join("src/main.rs").exists() && !manifest.contains_key("bin") {
        let mut bin = Table::new();
        bin.insert("name".into(), Value::String(exercise.to_string()));
        bin.insert("path".into(), Value::String("src/main.rs".into()));
        manifest.insert("bin".into(), Value::Array(vec![Value::Table(bin)]));
    }
    manifest.insert("workspace".into(), Value::Table(Table::new()));
    let header = format!(
        "# Generated by `cargo course verify` from solutions/{exercise} and\n# solutions/wrong/{exercise}/{}.patch. Do not edit.\n",
        wrong.name
    );
    Ok(header + &toml::to_string(&manifest).map_err(|e| e.to_string())?)
}

/// A wrong answer differs from the model answer in its code only: never in
/// its tests (they are the exercise's) or its manifest (that is generated).
fn touches_only_src(patch: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(patch).map_err(|e| format!("{}: {e}", patch.display()))?;
    for line in text.lines().filter(|l| l.starts_with("+++ ") || l.starts_with("--- ")) {
        let file = line[4..].split('\t').next().unwrap_or("");
        if file != "/dev/null" && !file.starts_with("a/src/") && !file.starts_with("b/src/") {
            return Err(format!("{} changes {file}: a wrong answer may change only src/", patch.display()));
        }
    }
    Ok(())
}

/// `{ workspace = true }` or `x.workspace = true`.
fn is_inherited(value: &Value) -> bool {
    value.get("workspace").and_then(Value::as_bool) == Some(true)
}

/// A `path` key that leaves the package (`../..`), made absolute against
/// `base`; paths inside the package stay relative, to the patched copy.
fn absolute_paths(mut value: Value, base: &Path) -> Value {
    if let Some(table) = value.as_table_mut()
        && let Some(Value::String(path)) = table.get("path")
        && path.starts_with("..")
    {
        let absolute = base.join(path);
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        table.insert("path".into(), Value::String(absolute.display().to_string()));
    }
    value
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name))?;
        } else {
            std::fs::copy(&path, to.join(&name))?;
        }
    }
    Ok(())
}
