//! Links inside the book: every `page.md#anchor` and `#anchor` must land on
//! a heading (or an element id) that exists. mdbook-linkcheck2 checks that
//! pages exist; it does not check the part after `#`.

use crate::paths;
use std::collections::BTreeMap;
use std::path::Path;

/// Checks every relative link in src/*.md. Returns how many links were
/// checked, or one line per broken link.
pub fn check() -> Result<usize, Vec<String>> {
    let src = paths::root().join("src");
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&src).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            pages.insert(name, std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
    let ids: BTreeMap<&str, Vec<String>> =
        pages.iter().map(|(name, text)| (name.as_str(), anchors(text))).collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (name, text) in &pages {
        for target in link_targets(text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = target.split_once('#').unwrap_or((target.as_str(), ""));
            let file = if file.is_empty() { name.as_str() } else { file };
            checked += 1;
            if !file.ends_with(".md") {
                if !Path::new(&src).join(file).exists() {
                    problems.push(format!("src/{name}: link to `{target}`: no such file"));
                }
                continue;
            }
            match ids.get(file) {
                None => problems.push(format!("src/{name}: link to `{target}`: no page src/{file}")),
                Some(found) if !anchor.is_empty() && !found.iter().any(|id| id == anchor) => {
                    problems.push(format!(
                        "src/{name}: link to `{target}`: src/{file} has no heading `#{anchor}`"
                    ));
                }
                Some(_) => {}
            }
        }
    }
    if problems.is_empty() { Ok(checked) } else { Err(problems) }
}

/// The targets of Markdown links `[text](target)` outside code.
fn link_targets(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        // Drop inline code spans so `[x](y)` inside backticks is not a link.
        let line: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].split_whitespace().next().unwrap_or("");
            if !target.is_empty() {
                targets.push(target.to_string());
            }
            rest = &after[end..];
        }
    }
    targets
}

/// Heading ids as mdBook makes them (numbered `-1`, `-2` when repeated),
/// plus any explicit `id="..."`.
pub fn anchors(markdown: &str) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = Vec::new();
    for id in heading_ids(markdown) {
        let n = seen.entry(id.clone()).or_insert(0);
        ids.push(if *n == 0 { id.clone() } else { format!("{id}-{n}") });
        *n += 1;
    }
    for part in markdown.split("id=\"").skip(1) {
        if let Some(id) = part.split('"').next() {
            ids.push(id.to_string());
        }
    }
    ids
}

/// The ids mdBook gives headings: lowercase, spaces to '-', only
/// alphanumerics, '-' and '_' kept. Code blocks are skipped.
pub fn heading_ids(markdown: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code || !line.starts_with('#') {
            continue;
        }
        let text = line.trim_start_matches('#').trim();
        let id: String = text
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect();
        ids.push(id);
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_follow_mdbook() {
        let ids = heading_ids(
            "# A TCP echo server\n```\n# not a heading\n```\n## Many clients, one thread each\n### EOF and `half-close`",
        );
        assert_eq!(ids, vec!["a-tcp-echo-server", "many-clients-one-thread-each", "eof-and-half-close"]);
    }

    #[test]
    fn repeated_headings_are_numbered() {
        assert_eq!(anchors("## Answer\n## Answer\n<a id=\"x\"></a>"), vec!["answer", "answer-1", "x"]);
    }

    #[test]
    fn finds_link_targets_outside_code() {
        let text = "See [a](a.md#b) and [c](#d \"title\").\n`[not](this.md)`\n```\n[no](code.md)\n```";
        assert_eq!(link_targets(text), vec!["a.md#b", "#d"]);
    }
}
