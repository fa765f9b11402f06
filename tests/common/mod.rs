//! Helpers shared by the integration tests: the `kansrijk` binary, data folders with the base
//! data already loaded, the service in process ([`App`]), a running server (for the tests of
//! real connections and of the process), the reference tables beside the checkout, the embedded
//! graph-data in a store to query, and a search engine over it.
#![allow(dead_code)] // each test binary uses a different part of this module

mod app;
#[allow(unused_imports)] // as the rest of this module: each binary uses a part
pub use app::{App, AppOptions, Request, Response};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

pub fn kansrijk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kansrijk"))
}

/// Runs `kansrijk ARGS` and returns (success, stdout, stderr).
pub fn run(args: &[&str]) -> (bool, String, String) {
    let output = kansrijk().args(args).output().expect("the kansrijk binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create data dir copy");
    for entry in std::fs::read_dir(from).expect("read data dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy store file");
        }
    }
}

/// A fresh data folder whose store already holds the base data (copied from a template that
/// is built once per test binary, so each test does not pay for the initial load).
pub fn loaded_data_dir() -> tempfile::TempDir {
    static TEMPLATE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().to_str().expect("utf-8 temp path");
        let (ok, _, stderr) = run(&["--data", data, "index"]);
        assert!(ok, "creating the template store and index failed: {stderr}");
        // The load leaves the store in RocksDB's write-ahead log, which every copy would replay
        // when it opens (most of a second); flushed once, a copy opens at once.
        let store = kansrijk::store::KnowledgeStore::open(dir.path()).expect("the template store opens");
        store.flush().expect("the template store is flushed");
        drop(store);
        dir
    });
    let copy = tempfile::tempdir().expect("temp dir");
    copy_dir(template.path(), copy.path());
    copy
}

/// A running `kansrijk serve` on a free port; killed when dropped.
pub struct Server {
    pub child: Child,
    pub base_url: String,
    /// The server's standard error line by line, when started by [`Server::start_logged`].
    log: std::sync::Mutex<Option<Receiver<String>>>,
    _data: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts a server on a copy of the loaded template store with extra arguments.
    pub fn start(extra: &[&str]) -> Self {
        let data = loaded_data_dir();
        let mut server = Self::start_in(data.path(), extra);
        server._data = Some(data);
        server
    }

    /// Starts a server on `data`; its log goes to the test's standard error.
    pub fn start_in(data: &Path, extra: &[&str]) -> Self {
        Self::spawn(data, extra, None)
    }

    /// Starts a server on `data` whose log, filtered by `log_filter` (a `RUST_LOG` of the
    /// developer's must not hide what a test waits for), is read line by line: see
    /// [`Server::take_log`]. Each line is echoed to the test's standard error as well.
    pub fn start_logged(data: &Path, extra: &[&str], log_filter: &str) -> Self {
        Self::spawn(data, extra, Some(log_filter))
    }

    fn spawn(data: &Path, extra: &[&str], log_filter: Option<&str>) -> Self {
        let mut command = kansrijk();
        command
            .args(["--data", data.to_str().expect("utf-8 path"), "serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped());
        match log_filter {
            Some(filter) => command.env("RUST_LOG", filter).stderr(Stdio::piped()),
            None => command.stderr(Stdio::inherit()),
        };
        let mut child = command.spawn().expect("kansrijk serve starts");
        let log = log_filter.map(|_| {
            let stderr = child.stderr.take().expect("piped stderr");
            let (sender, receiver) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("serve| {line}");
                    if sender.send(line).is_err() {
                        break;
                    }
                }
            });
            receiver
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(120);
        let base_url = loop {
            assert!(Instant::now() < deadline, "server did not report its address in time");
            let line = lines.next().expect("server printed its address before exiting").expect("utf-8 line");
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split_whitespace().next().expect("address after 'listening on'").to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, base_url, log: std::sync::Mutex::new(log), _data: None }
    }

    /// The log of a server started by [`Server::start_logged`]: every line it writes to
    /// standard error, until it dies.
    pub fn take_log(&mut self) -> Receiver<String> {
        let log = self.log.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner);
        log.take().expect("the server was started by Server::start_logged")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Number of triples in the named graph `graph`, asked by SPARQL.
    pub fn triples_in(&self, graph: &str) -> u64 {
        let query = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
        let answer: serde_json::Value = reqwest::blocking::Client::new()
            .get(self.url("/sparql"))
            .query(&[("query", query.as_str())])
            .header("Accept", "application/sparql-results+json")
            .send()
            .expect("query sent")
            .json()
            .expect("JSON results");
        answer["results"]["bindings"][0]["n"]["value"].as_str().expect("count").parse().expect("number")
    }

    /// CPU seconds the server process has used (user + system), from /proc.
    pub fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).expect("/proc is readable");
        let fields: Vec<&str> = stat.rsplit_once(") ").expect("stat format").1.split_whitespace().collect();
        let ticks: f64 = fields[11].parse::<f64>().expect("utime") + fields[12].parse::<f64>().expect("stime");
        ticks / 100.0
    }

    /// CPU seconds per second the server uses over `window`.
    pub fn cpu_load(&self, window: Duration) -> f64 {
        let before = self.cpu_seconds();
        std::thread::sleep(window);
        (self.cpu_seconds() - before) / window.as_secs_f64()
    }

    /// The server's resident memory in MiB, from /proc.
    pub fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("/proc is readable");
        let kib: f64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/<pid>/status");
        kib / 1024.0
    }

    /// Whether the server still answers a cheap request.
    pub fn is_alive(&self) -> bool {
        reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("http client")
            .get(self.url("/robots.txt"))
            .send()
            .is_ok_and(|response| response.status() == 200)
    }

    /// The results `/api/search` gives for `question`, at most `limit` of them.
    pub fn search_hits(&self, question: &str, limit: usize) -> Vec<serde_json::Value> {
        let answer: serde_json::Value = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client")
            .get(self.url("/api/search"))
            .query(&[("q", question), ("limit", &limit.to_string())])
            .send()
            .expect("search sent")
            .json()
            .expect("JSON answer");
        answer["results"].as_array().expect("results").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `../shared/reference`, the CBS reference tables beside the checkout.
pub fn reference_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    assert!(dir.is_dir(), "the reference tables are expected in {} (../shared beside the checkout)", dir.display());
    dir
}

/// Rows of a CSV file without quoting (the reference tables have none), header removed.
pub fn csv_rows(file: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(file).unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
    reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|error| panic!("{}: {error}", file.display()));
            record.iter().map(|cell| cell.trim().to_owned()).collect()
        })
        .collect()
}

/// The embedded graph-data in an in-memory store, one named graph per source.
pub fn embedded_store() -> oxigraph::store::Store {
    let store = oxigraph::store::Store::new().expect("in-memory store");
    for graph in kansrijk::data::embedded_graphs() {
        store.extend(graph.quads().expect("embedded graph-data parses")).expect("insert");
    }
    store
}

/// Solutions of a SELECT over the union of the graphs (with the prefixes kr, schema, skos, dct,
/// owl, rdfs), as rows of variable → IRI or literal value.
pub fn select(store: &oxigraph::store::Store, query: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    let mut prepared = SparqlEvaluator::new()
        .with_prefix("kr", "https://w3id.org/kansrijk/def#")
        .and_then(|e| e.with_prefix("schema", "http://schema.org/"))
        .and_then(|e| e.with_prefix("skos", "http://www.w3.org/2004/02/skos/core#"))
        .and_then(|e| e.with_prefix("dct", "http://purl.org/dc/terms/"))
        .and_then(|e| e.with_prefix("owl", "http://www.w3.org/2002/07/owl#"))
        .and_then(|e| e.with_prefix("rdfs", "http://www.w3.org/2000/01/rdf-schema#"))
        .expect("valid prefixes")
        .parse_query(query)
        .unwrap_or_else(|error| panic!("test query does not parse: {error}\n{query}"));
    prepared.dataset_mut().set_default_graph_as_union();
    let QueryResults::Solutions(solutions) = prepared.on_store(store).execute().expect("query runs") else {
        panic!("expected solutions");
    };
    solutions
        .map(|solution| {
            solution
                .expect("solution")
                .iter()
                .map(|(variable, term)| {
                    let value = match term {
                        oxigraph::model::Term::NamedNode(node) => node.as_str().to_owned(),
                        oxigraph::model::Term::Literal(literal) => literal.value().to_owned(),
                        other => other.to_string(),
                    };
                    (variable.as_str().to_owned(), value)
                })
                .collect()
        })
        .collect()
}

/// A search engine over a loaded copy of the base data (keep the folder while it is used).
pub fn search_engine() -> (tempfile::TempDir, kansrijk::search::SearchEngine) {
    let data = loaded_data_dir();
    let store = kansrijk::store::KnowledgeStore::open(data.path()).expect("store opens").view().expect("a view");
    let (index, _) = kansrijk::search::index::SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index opens");
    let engine = kansrijk::search::SearchEngine::new(index, &store).expect("engine");
    (data, engine)
}

/// The first `n` answers to `question`, as IRIs under `id/` without that prefix.
pub fn top(engine: &kansrijk::search::SearchEngine, question: &str, n: usize) -> Vec<String> {
    let answer = engine.search(question, n, None).expect("search runs");
    answer.results.into_iter().map(|hit| hit.iri.trim_start_matches("https://w3id.org/kansrijk/id/").to_owned()).collect()
}
