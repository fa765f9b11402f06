//! The command line as a user meets it: loading (atomic, with located errors), dumping,
//! querying and checking.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

mod common;
use common::{kansrijk, loaded_data_dir, run};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

fn dump(data: &str) -> String {
    let (ok, stdout, stderr) = run(&["--data", data, "dump", "--format", "nquads"]);
    assert!(ok, "dump failed: {stderr}");
    stdout
}

#[test]
fn a_malformed_file_is_reported_with_line_and_column_and_changes_nothing() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let before = dump(data);
    let good = tempfile::Builder::new().suffix(".nt").tempfile().expect("temp file");
    writeln!(good.as_file(), "<http://example.org/s> <http://example.org/p> \"first file is fine\" .").expect("write");
    let good_path = good.path().to_str().expect("utf-8");
    let (ok, _, stderr) = run(&["--data", data, "load", good_path, &fixture("malformed.ttl"), "--graph", "http://example.org/g"]);
    assert!(!ok, "loading a malformed file must fail");
    assert!(stderr.contains("malformed.ttl:4:"), "error names file and line: {stderr}");
    assert_eq!(dump(data), before, "neither file was loaded");
}

#[test]
fn load_then_query_and_dump() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let file = tempfile::Builder::new().suffix(".ttl").tempfile().expect("temp file");
    writeln!(file.as_file(), "<http://example.org/aanbod> <http://www.w3.org/2004/02/skos/core#prefLabel> \"Testaanbod\"@nl .")
        .expect("write");
    let (ok, _, stderr) =
        run(&["--data", data, "load", file.path().to_str().expect("utf-8"), "--graph", "http://example.org/sociale-kaart"]);
    assert!(ok, "load failed: {stderr}");
    assert!(stderr.contains("loaded 1 quads"), "{stderr}");
    let (ok, stdout, _) = run(&[
        "--data",
        data,
        "query",
        "SELECT ?g WHERE { GRAPH ?g { ?s skos:prefLabel \"Testaanbod\"@nl } }",
        "--format",
        "csv",
    ]);
    assert!(ok);
    assert_eq!(stdout.trim(), "g\r\nhttp://example.org/sociale-kaart");
    assert!(dump(data).contains("\"Testaanbod\"@nl <http://example.org/sociale-kaart> ."));
}

#[test]
fn base_graphs_cannot_be_loaded_into() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let (ok, _, stderr) =
        run(&["--data", data, "load", &fixture("broken-theme.ttl"), "--graph", "https://w3id.org/kansrijk/graph/factsheet"]);
    assert!(!ok);
    assert!(stderr.contains("base data"), "{stderr}");
}

#[test]
fn query_errors_are_reported() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let (ok, _, stderr) = run(&["--data", data, "query", "SELEKT * WHERE { ?s ?p ?o }"]);
    assert!(!ok);
    assert!(stderr.contains("not valid SPARQL"), "{stderr}");
    let (ok, _, stderr) = run(&["--data", data, "query", "ASK { ?s ?p ?o }", "--format", "ttl"]);
    assert!(!ok);
    assert!(stderr.contains("does not fit"), "{stderr}");
}

#[test]
fn dump_to_a_file_round_trips_through_load() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let out = tempfile::tempdir().expect("temp dir");
    let file = out.path().join("dump.trig");
    let (ok, _, stderr) = run(&["--data", data, "dump", "--format", "trig", "--output", file.to_str().expect("utf-8")]);
    assert!(ok, "{stderr}");
    let text = fs::read_to_string(&file).expect("dump written");
    assert!(
        text.contains("GRAPH <https://w3id.org/kansrijk/graph/cbs-regio>")
            || text.contains("<https://w3id.org/kansrijk/graph/cbs-regio> {")
    );
    assert!(!out.path().join("dump.partial").exists(), "no partial file is left behind");
}

#[test]
fn check_passes_on_graph_data_and_reports_a_broken_fixture() {
    let (ok, stdout, stderr) = run(&["check"]);
    assert!(ok, "graph-data must conform to the shapes:\n{stdout}\n{stderr}");
    let (ok, stdout, stderr) = run(&["check", &fixture("broken-theme.ttl")]);
    assert!(!ok, "the broken fixture must fail the check");
    assert!(stdout.contains("focus node: <https://w3id.org/kansrijk/id/thema/kapot>"), "{stdout}");
    assert!(stdout.contains("dct:source") || stdout.contains("http://purl.org/dc/terms/source"), "path is named: {stdout}");
    assert!(stdout.contains("gm9999"), "the malformed municipality is reported: {stdout}");
    assert!(stderr.contains("violation(s) found"), "{stderr}");
}

#[test]
fn check_gives_an_hsds_file_the_checks_of_an_import() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aanbod.hsds.json");
    let example = example.to_str().expect("utf-8");
    let (ok, stdout, stderr) = run(&["--data", data, "check", example]);
    assert!(ok, "the example conforms:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 services of 1 organisations conform to HSDS 3.0"), "{stdout}");

    let text = fs::read_to_string(example).expect("example");
    let broken = tempfile::Builder::new().suffix(".json").tempfile().expect("temp file");
    let edited = text
        .replacen("\"name\": \"Inloopochtend", "\"naam\": \"Inloopochtend", 1)
        .replace("\"Tienerzwangerschap\"", "\"Schuldhulp\"");
    fs::write(broken.path(), edited).expect("write");
    let broken_path = broken.path().to_str().expect("utf-8");
    let (ok, stdout, stderr) = run(&["--data", data, "check", broken_path]);
    assert!(!ok, "an unknown field fails the check:\n{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!("{broken_path}:4:")) && stderr.contains("onbekend veld `naam`; bedoelt u `name`?"),
        "{stderr}"
    );

    let warned = text.replace("\"Tienerzwangerschap\"", "\"Schuldhulp\"");
    fs::write(broken.path(), warned).expect("write");
    let (ok, stdout, stderr) = run(&["--data", data, "check", broken_path]);
    assert!(ok, "a term that is no theme is a warning, not a failure:\n{stdout}\n{stderr}");
    assert!(stderr.contains("waarschuwing: taxonomieterm `Schuldhulp` is geen thema"), "{stderr}");
}

#[test]
fn sigkill_during_a_large_load_leaves_the_store_unchanged() {
    let data = loaded_data_dir();
    let data_path = data.path().to_str().expect("utf-8");
    let before = dump(data_path);
    let big = tempfile::Builder::new().suffix(".nt").tempfile().expect("temp file");
    {
        let mut writer = std::io::BufWriter::new(big.as_file());
        for i in 0..3_000_000 {
            writeln!(writer, "<http://example.org/s{i}> <http://example.org/p> \"waarde {i}\" .").expect("write");
        }
    }
    let mut child = kansrijk()
        .args(["--data", data_path, "load", big.path().to_str().expect("utf-8"), "--graph", "http://example.org/groot"])
        .spawn()
        .expect("load starts");
    // Kill once the loader is well under way: it has opened the store and read part of the file.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("child status").is_none(),
        "the load finished before it could be killed; make the file larger"
    );
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaped");
    // The load died of the kill, and did not finish (or fail) on its own just before it.
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(libc::SIGKILL),
        "the load was killed mid-way: {status:?}"
    );
    assert_eq!(dump(data_path), before, "a killed load leaves the store exactly as it was");
    let (ok, stdout, _) =
        run(&["--data", data_path, "query", "ASK { GRAPH <http://example.org/groot> { ?s ?p ?o } }", "--format", "json"]);
    assert!(ok);
    assert!(stdout.contains("false"));
}

#[test]
fn a_later_start_reuses_the_store_and_reloads_only_changed_graph_data() {
    let data = common::loaded_data_dir();
    let path = data.path().to_str().expect("utf-8 temp path");
    let (ok, _, stderr) = common::run(&["--data", path, "query", "ASK {}"]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("loaded graph-data"), "an unchanged store is reused as it is: {stderr}");

    // Simulate an older graph-data: a factsheet triple is gone and the recorded hash differs.
    let stress = "https://w3id.org/kansrijk/id/thema/stress";
    {
        let store = oxigraph::store::Store::open(data.path().join("store")).expect("store opens");
        let factsheet = kansrijk::rdf::vocab::graph_iri("factsheet");
        store
            .update(&format!(
                "DELETE WHERE {{ GRAPH {factsheet} {{ <{stress}> ?p ?o }} }} ;
                 DELETE WHERE {{ GRAPH <{meta}> {{ {factsheet} <{hash}> ?h }} }} ;
                 INSERT DATA {{ GRAPH <{meta}> {{ {factsheet} <{hash}> \"stale\" }} }}",
                meta = kansrijk::rdf::vocab::META_GRAPH.as_str(),
                hash = kansrijk::rdf::vocab::CONTENT_HASH.as_str(),
            ))
            .expect("update runs");
    }
    let ask = format!("ASK {{ <{stress}> skos:prefLabel \"Stress\"@nl }}");
    let (ok, stdout, stderr) = common::run(&["--data", path, "query", &ask, "--format", "csv"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("loaded graph-data (factsheet)"), "only the changed graph is reloaded: {stderr}");
    assert!(stdout.contains("true"), "the reloaded graph is complete again: {stdout}");
}

#[test]
fn a_closed_pipe_is_success_and_exit_codes_tell_violations_from_errors() {
    use std::io::Read;
    use std::process::Stdio;
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let mut dump =
        kansrijk().args(["--data", data, "dump"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("dump runs");
    let mut first = [0u8; 64];
    dump.stdout.take().expect("stdout").read_exact(&mut first).expect("the dump starts");
    let output = dump.wait_with_output().expect("dump ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "`kansrijk dump | head` is not an error: {:?} {stderr}", output.status);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");

    let violations = kansrijk().args(["check", &fixture("broken-theme.ttl")]).output().expect("check runs");
    assert_eq!(violations.status.code(), Some(1), "violations found");
    let failed = kansrijk().args(["check", "/nonexistent/file.ttl"]).output().expect("check runs");
    assert_eq!(failed.status.code(), Some(2), "the check could not run: {}", String::from_utf8_lossy(&failed.stderr));
}

#[test]
fn query_errors_say_what_is_wrong_in_a_line() {
    let data = loaded_data_dir();
    let data = data.path().to_str().expect("utf-8");
    let (ok, _, stderr) = run(&["--data", data, "query", "SELECT * WHERE { ?s foaf:name ?o }"]);
    assert!(!ok);
    assert!(stderr.contains("foaf"), "the unknown prefix is named: {stderr}");
    assert!(stderr.len() < 400, "one readable line, not the parser's character classes: {stderr}");
    let (ok, _, stderr) = run(&["--data", data, "query", "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"]);
    assert!(!ok);
    assert!(stderr.contains("SPARQL Update"), "an update is recognised as one: {stderr}");
    assert!(stderr.len() < 400, "{stderr}");
}

#[test]
fn a_new_store_is_never_created_silently() {
    let parent = tempfile::tempdir().expect("temp dir");
    let data = parent.path().join("nieuw");
    let (ok, _, stderr) = run(&["--data", data.to_str().expect("utf-8"), "search", "roken"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("creating a new store in") && stderr.contains("nieuw"), "{stderr}");
}
