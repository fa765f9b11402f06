//! Embeds the default data (`graph-data/` and `ontology/`) into the binary, so that
//! `kansrijk serve` works from any directory and the content hash changes with the data.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn rdf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rdf_files(&path));
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("ttl" | "trig" | "nt" | "nq" | "rdf" | "jsonld")) {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut code = String::from(
        "/// Files embedded from the repository: (path relative to the crate root, contents).\npub static EMBEDDED_FILES: &[(&str, &[u8])] = &[\n",
    );
    for folder in ["graph-data", "ontology"] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        for file in rdf_files(&dir) {
            let relative = file.strip_prefix(&root).expect("file lies under the crate root");
            if let Some(parent) = file.parent() {
                println!("cargo:rerun-if-changed={}", parent.display());
            }
            println!("cargo:rerun-if-changed={}", file.display());
            writeln!(
                code,
                "    ({:?}, include_bytes!({:?})),",
                relative.to_string_lossy().replace('\\', "/"),
                file.display().to_string()
            )
            .expect("writing to a String cannot fail");
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
