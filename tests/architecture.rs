//! The layering the architecture promises: only the edges (`src/http/`, `src/cli/`,
//! `src/main.rs`) know the web server, the page templates, the command-line parser, the async
//! runtime and the progress bars. The engine (store, search, reconciliation, writes, imports)
//! stays usable from any program. And data flows one way: a module uses only the modules of its
//! own layer or of the layers before it (`ARCHITECTURE.md` draws them).

use std::fs;
use std::path::{Path, PathBuf};

/// Crates that belong to the edges only.
const EDGE_CRATES: [&str; 5] = ["axum", "maud", "clap", "tokio", "indicatif"];

fn is_edge(path: &Path, src: &Path) -> bool {
    let relative = path.strip_prefix(src).expect("under src");
    relative.starts_with("http") || relative.starts_with("cli") || relative == Path::new("main.rs")
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

/// The layers of `src/`, first to last (the table in `lib.rs` and `ARCHITECTURE.md`).
const LAYERS: [&[&str]; 9] = [
    &["rdf", "analysis", "memory", "background"],
    &["data"],
    &["store"],
    &["places", "catalog"],
    &["search"],
    &["sparql", "publish", "reconcile"],
    &["import", "write"],
    &["live"],
    &["http", "cli", "main", "lib"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|modules| modules.contains(&module))
}

/// The top-level modules `line` names as `crate::module`, outside comments.
fn crate_modules_in(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or_default();
    code.match_indices("crate::")
        .map(|(at, found)| {
            let rest = &code[at + found.len()..];
            &rest[..rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len())]
        })
        .collect()
}

#[test]
fn every_module_uses_only_its_own_layer_and_those_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upstream = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let module = relative.components().next().and_then(|first| first.as_os_str().to_str()).unwrap_or_default();
        let module = module.strip_suffix(".rs").unwrap_or(module);
        let Some(layer) = layer_of(module) else {
            upstream.push(format!("{}: module {module} has no layer in LAYERS", relative.display()));
            continue;
        };
        let text = fs::read_to_string(file).expect("a source file");
        for (number, line) in text.lines().enumerate() {
            for used in crate_modules_in(line) {
                match layer_of(used) {
                    Some(used_layer) if used_layer <= layer => {}
                    _ => upstream.push(format!("{}:{}: {module} uses crate::{used}", relative.display(), number + 1)),
                }
            }
        }
    }
    assert!(upstream.is_empty(), "data flows back up:\n{}", upstream.join("\n"));
}

#[test]
fn the_layer_check_reads_crate_paths() {
    assert_eq!(crate_modules_in("use crate::store::{KnowledgeStore, StoreError};"), ["store"]);
    assert_eq!(crate_modules_in("    let x = crate::rdf::files::read(a, crate::data::X);"), ["rdf", "data"]);
    assert_eq!(crate_modules_in("//! see crate::http"), Vec::<&str>::new());
    assert!(layer_of("search") > layer_of("store"));
}

/// Namespaces whose terms come from `kansrijk::rdf::vocab` (or `oxigraph::model::vocab`), never
/// from an IRI written out elsewhere. Instance IRIs (`w3id.org/kansrijk/id/`, `graph/`) may be.
const VOCABULARY_NAMESPACES: [&str; 10] = [
    "http://schema.org/",
    "https://schema.org/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/",
    "http://www.w3.org/ns/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://rdfs.org/ns/void#",
    "https://w3id.org/kansrijk/def#",
];

/// The vocabulary terms `text` makes with `NamedNode::new_unchecked("…")` or
/// `NamedNodeRef::new_unchecked("…")`, also where rustfmt put the IRI on the next line.
fn vocabulary_terms_in(text: &str) -> Vec<&str> {
    ["NamedNode::new_unchecked(", "NamedNodeRef::new_unchecked("]
        .into_iter()
        .flat_map(|constructor| text.match_indices(constructor).map(move |(at, _)| &text[at + constructor.len()..]))
        .filter_map(|rest| rest.trim_start().strip_prefix('"'))
        .filter_map(|rest| rest.split('"').next())
        .filter(|iri| VOCABULARY_NAMESPACES.iter().any(|namespace| iri.starts_with(namespace)))
        .collect()
}

#[test]
fn vocabulary_terms_come_from_the_vocabulary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let vocabulary = root.join("src").join("rdf");
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples", "fuzz/fuzz_targets"] {
        if root.join(dir).is_dir() {
            rust_files(&root.join(dir), &mut files);
        }
    }
    assert!(files.len() > 50, "the sources are found: {}", files.len());
    let mut written_out = Vec::new();
    for file in files.iter().filter(|file| !file.starts_with(&vocabulary)) {
        let text = fs::read_to_string(file).expect("a source file");
        for iri in vocabulary_terms_in(&text) {
            written_out.push(format!("{}: <{iri}>", file.strip_prefix(root).expect("under the package").display()));
        }
    }
    assert!(
        written_out.is_empty(),
        "terms written out instead of taken from kansrijk::rdf::vocab (add them there):\n{}",
        written_out.join("\n")
    );
}

#[test]
fn the_vocabulary_check_sees_a_term_written_out() {
    assert_eq!(
        vocabulary_terms_in("const NAME: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(\"http://schema.org/name\");"),
        ["http://schema.org/name"]
    );
    assert_eq!(
        vocabulary_terms_in("let t = NamedNode::new_unchecked(\n    \"http://purl.org/dc/terms/title\",\n);"),
        ["http://purl.org/dc/terms/title"]
    );
    assert_eq!(
        vocabulary_terms_in("NamedNode::new_unchecked(\"https://w3id.org/kansrijk/def#Offer\")"),
        ["https://w3id.org/kansrijk/def#Offer"]
    );
    assert!(vocabulary_terms_in("NamedNode::new_unchecked(\"https://w3id.org/kansrijk/id/thema/stress\")").is_empty());
    assert!(vocabulary_terms_in("NamedNode::new_unchecked(format!(\"{}x\", vocab::ID))").is_empty());
}
