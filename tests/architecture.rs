//! The layering the architecture promises: only the edges (`src/http/`, `src/cli.rs`,
//! `src/main.rs`) know the web server, the page templates, the command-line parser, the async
//! runtime and the progress bars. The engine (store, search, reconciliation, writes, imports)
//! stays usable from any program.

use std::fs;
use std::path::{Path, PathBuf};

/// Crates that belong to the edges only.
const EDGE_CRATES: [&str; 5] = ["axum", "maud", "clap", "tokio", "indicatif"];

fn is_edge(path: &Path, src: &Path) -> bool {
    let relative = path.strip_prefix(src).expect("under src");
    relative.starts_with("http") || relative == Path::new("cli.rs") || relative == Path::new("main.rs")
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// Where `line` names one of the edge crates as code (`use axum::…`, `tokio::spawn`), not in a comment.
fn edge_crate_in(line: &str) -> Option<&'static str> {
    let code = line.split("//").next().unwrap_or_default();
    EDGE_CRATES.into_iter().find(|krate| {
        code.match_indices(krate).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            let after = &code[at + krate.len()..];
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && (after.starts_with("::") || after.starts_with(';'))
        })
    })
}

#[test]
fn only_http_and_cli_use_the_web_server_templates_cli_parser_runtime_and_progress_bars() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 30, "the sources are found: {}", files.len());
    let mut crossings = Vec::new();
    for file in files.iter().filter(|file| !is_edge(file, &src)) {
        let text = fs::read_to_string(file).expect("a source file");
        for (number, line) in text.lines().enumerate() {
            if let Some(krate) = edge_crate_in(line) {
                crossings.push(format!("{}:{}: uses {krate}", file.strip_prefix(&src).expect("under src").display(), number + 1));
            }
        }
    }
    assert!(crossings.is_empty(), "the engine reaches into the edges:\n{}", crossings.join("\n"));
}

#[test]
fn the_check_sees_a_crossing() {
    assert_eq!(edge_crate_in("use axum::Router;"), Some("axum"));
    assert_eq!(edge_crate_in("    tokio::task::spawn_blocking(job);"), Some("tokio"));
    assert_eq!(edge_crate_in("//! served by axum::serve"), None);
    assert_eq!(edge_crate_in("let claptrap = 1; // clap"), None);
}
