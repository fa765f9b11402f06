//! Crash safety of writes: `kansrijk serve` is killed (SIGKILL) before, inside (between the
//! staging and the bulk load, and between the store commit and the index commit) and after a
//! large import and started again on the same data. Where each kill landed is proven by the phase
//! lines the server logs on standard error (`write: started`, `write: staged`, `write: store committed`,
//! `write: index committed`, `write: snapshot swapped`): a case fails when the line it
//! waits for was not logged before the kill, or when a later phase was logged before the process
//! died. After the restart the store holds all of the import or none of it, as the phase says,
//! and search agrees with SPARQL (an index behind the store catches up at start).

mod common;

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::Server;
use reqwest::blocking::Client;

const GRAPH: &str = "https://w3id.org/kansrijk/graph/synthetisch";
const OFFERS: usize = 5000;
const TOKEN: &str = "0123456789abcdef-beheer";

const STARTED: &str = "write: started";
const COMMITTED: &str = "write: store committed";
/// A large write has removed what goes and committed its journal entry; the bulk load follows.
const STAGED: &str = "write: staged";
/// What the store logs at start when it finished a staged write a stopped process left.
const STAGING_FINISHED: &str = "store: finished a staged write";
const INDEX_COMMITTED: &str = "write: index committed";
const SWAPPED: &str = "write: snapshot swapped";
/// What the index logs at start when its generation was built from another state of the store.
const INDEX_REPAIRED: &str = "index: generation does not match the store";

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(300)).build().expect("client")
}

/// `kansrijk serve` with its log (standard error) read line by line.
struct LoggedServer {
    server: Server,
    log: Receiver<String>,
    /// Every log line read so far.
    seen: Vec<String>,
}

impl LoggedServer {
    fn start(data: &Path, tokens: &Path) -> Self {
        let tokens = tokens.to_str().expect("utf-8 path");
        // The phase lines are at info.
        let mut server = Server::start_logged(data, &["--write-token-file", tokens], "warn,kansrijk=info");
        let log = server.take_log();
        Self { server, log, seen: Vec::new() }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Reads the log until a line contains `phase`; fails when the server stops logging first.
    fn wait_for(&mut self, phase: &str) {
        let deadline = Instant::now() + Duration::from_secs(300);
        while !self.seen.iter().any(|line| line.contains(phase)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Timeout) => panic!("no {phase:?} in the log within 300 s:\n{}", self.seen.join("\n")),
                Err(RecvTimeoutError::Disconnected) => panic!("the server stopped before {phase:?}:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// SIGKILLs the server and returns all it logged before it died (standard error is read to
    /// its end, so nothing the process wrote is missed).
    fn kill(mut self) -> Vec<String> {
        self.server.child.kill().expect("SIGKILL");
        let status = self.server.child.wait().expect("reaped");
        assert!(!status.success(), "the server was killed, it did not exit: {status:?}");
        self.seen.extend(self.log.iter());
        self.seen
    }

    fn ask(&self, pattern: &str) -> bool {
        let answer: serde_json::Value = client()
            .get(self.url("/sparql"))
            .query(&[("query", format!("ASK {{ {pattern} }}").as_str())])
            .header("Accept", "application/sparql-results+json")
            .send()
            .expect("query sent")
            .json()
            .expect("JSON results");
        answer["boolean"].as_bool().expect("ASK answers a boolean")
    }

    fn search_iris(&self, question: &str, limit: usize) -> Vec<String> {
        let hits = self.server.search_hits(question, limit);
        hits.iter().filter_map(|hit| hit["iri"].as_str().map(str::to_owned)).collect()
    }

    /// Sends the import on a thread of its own, as a client that is cut off by the kill.
    fn put_import(&self, body: &[u8]) -> JoinHandle<Result<(u16, String), reqwest::Error>> {
        let request = client()
            .put(self.url(&format!("/store?graph={GRAPH}")))
            .header("Authorization", format!("Bearer {TOKEN}"))
            .header("Content-Type", "application/n-quads")
            .body(body.to_vec());
        std::thread::spawn(move || {
            let response = request.send()?;
            let status = response.status().as_u16();
            Ok((status, response.text()?))
        })
    }

    fn delete_import(&self) {
        let delete = client()
            .delete(self.url(&format!("/store?graph={GRAPH}")))
            .header("Authorization", format!("Bearer {TOKEN}"))
            .send()
            .expect("delete sent");
        assert_eq!(delete.status(), 204);
    }
}

/// The last offer of the import, as its IRI and its label (a search for the label finds it).
fn last_offer(body: &str) -> (String, String) {
    let iri = format!("https://w3id.org/kansrijk/id/aanbod/synthetisch-{}", OFFERS - 1);
    let label_line = body
        .lines()
        .find(|line| line.starts_with(&format!("<{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> ")))
        .expect("the last offer has a label");
    let label = label_line.split('"').nth(1).expect("a quoted label").to_owned();
    (iri, label)
}

/// After a restart: the store holds all of the import (`full` triples) or none of it, and the
/// search index says the same as SPARQL about the import's last offer and its offers in Aalsmeer.
fn assert_store_and_index(server: &LoggedServer, case: &str, all: bool, full: u64, (iri, label): &(String, String)) {
    let triples = server.server.triples_in(GRAPH);
    let expected = if all { full } else { 0 };
    assert_eq!(triples, expected, "{case}: the store holds {triples} of the import's {full} triples");
    let in_store = server.ask(&format!("GRAPH <{GRAPH}> {{ <{iri}> ?p ?o }}"));
    let found = server.search_iris(label, 10).contains(iri);
    assert_eq!(in_store, all, "{case}: SPARQL on the last offer");
    assert_eq!(found, in_store, "{case}: search finds the last offer <{iri}> ({found}), SPARQL has it ({in_store})");
    let aalsmeer = server.search_iris("synthetisch aanbod in Aalsmeer", 50);
    let synthetic: Vec<&String> = aalsmeer.iter().filter(|hit| hit.contains("/aanbod/synthetisch-")).collect();
    assert_eq!(!synthetic.is_empty(), all, "{case}: synthetic offers in Aalsmeer found by search: {}", synthetic.len());
    for hit in synthetic {
        assert!(server.ask(&format!("GRAPH <{GRAPH}> {{ <{hit}> a ?type }}")), "{case}: search finds <{hit}>, SPARQL does not");
    }
}

fn logged(lines: &[String], phase: &str) -> bool {
    lines.iter().any(|line| line.contains(phase))
}

#[test]
fn a_kill_before_inside_or_after_an_import_leaves_store_and_index_in_step() {
    let data = common::loaded_data_dir();
    let data_path = data.path().to_str().expect("utf-8 path");
    let file = data.path().join("synthetic.nq");
    let offers = OFFERS.to_string();
    let (ok, _, stderr) =
        common::run(&["--data", data_path, "synthetic", "--offers", &offers, "--output", file.to_str().expect("utf-8")]);
    assert!(ok, "{stderr}");
    let body = std::fs::read(&file).expect("synthetic file");
    let last = last_offer(std::str::from_utf8(&body).expect("N-Quads are UTF-8"));
    let tokens = data.path().join("tokens");
    std::fs::write(&tokens, format!("beheer {TOKEN}\n")).expect("token file");
    let mut timings = Vec::new();

    // (a) Before the store commit: the write has begun (the body was received, it is being
    // parsed and validated), and nothing of it may be committed.
    let case = "killed before the store commit";
    let started = Instant::now();
    let mut server = LoggedServer::start(data.path(), &tokens);
    let put = server.put_import(&body);
    server.wait_for(STARTED);
    let log = server.kill();
    assert!(!logged(&log, COMMITTED), "{case}: the store committed before the process died:\n{}", log.join("\n"));
    assert!(put.join().expect("client thread").is_err(), "{case}: the import was not answered");
    let server = LoggedServer::start(data.path(), &tokens);
    assert_store_and_index(&server, case, false, 0, &last);
    let log = server.kill();
    assert!(!logged(&log, INDEX_REPAIRED), "{case}: the index was still that of the store:\n{}", log.join("\n"));
    timings.push((case, started.elapsed()));

    // (c) After the write: the import was answered, so store and index hold it.
    let case = "killed after the answer";
    let started = Instant::now();
    let mut server = LoggedServer::start(data.path(), &tokens);
    let (status, answer) = server.put_import(&body).join().expect("client thread").expect("import answered");
    assert!((200..300).contains(&status), "{status}: {answer}");
    let report: serde_json::Value = serde_json::from_str(&answer).expect("a JSON write report");
    let full = report["triples"].as_u64().expect("triples in the report");
    assert!(full > 30_000, "{full} triples");
    server.wait_for(SWAPPED);
    drop(server.kill());
    let server = LoggedServer::start(data.path(), &tokens);
    assert_store_and_index(&server, case, true, full, &last);
    server.delete_import();
    let log = server.kill();
    assert!(!logged(&log, INDEX_REPAIRED), "{case}: the answered write left its index generation:\n{}", log.join("\n"));
    timings.push((case, started.elapsed()));

    // (b) Inside the write: the store committed, the index has not caught up yet. The restart
    // finds the index behind the store and catches it up.
    let case = "killed between the store commit and the index commit";
    let started = Instant::now();
    let mut server = LoggedServer::start(data.path(), &tokens);
    assert_store_and_index(&server, "after the delete", false, full, &last);
    let put = server.put_import(&body);
    server.wait_for(COMMITTED);
    let log = server.kill();
    assert!(
        !logged(&log, INDEX_COMMITTED) && !logged(&log, SWAPPED),
        "{case}: the index committed before the process died:\n{}",
        log.join("\n")
    );
    assert!(put.join().expect("client thread").is_err(), "{case}: the import was not answered");
    let server = LoggedServer::start(data.path(), &tokens);
    assert_store_and_index(&server, case, true, full, &last);
    server.delete_import();
    let log = server.kill();
    assert!(logged(&log, INDEX_REPAIRED), "{case}: the start caught the index up:\n{}", log.join("\n"));
    timings.push((case, started.elapsed()));

    // (d) Inside the staging: what the import removes is gone and its journal entry committed,
    // the bulk load of what it adds has not finished. The restart finishes it from the staged
    // file before anything reads the store.
    let case = "killed between the staging and the end of the bulk load";
    let started = Instant::now();
    let mut server = LoggedServer::start(data.path(), &tokens);
    assert_store_and_index(&server, "after the second delete", false, full, &last);
    let put = server.put_import(&body);
    server.wait_for(STAGED);
    let log = server.kill();
    assert!(!logged(&log, COMMITTED), "{case}: the write finished before the process died:\n{}", log.join("\n"));
    assert!(put.join().expect("client thread").is_err(), "{case}: the import was not answered");
    let server = LoggedServer::start(data.path(), &tokens);
    assert_store_and_index(&server, case, true, full, &last);
    let log = server.kill();
    assert!(logged(&log, STAGING_FINISHED), "{case}: the start finished the staged write:\n{}", log.join("\n"));
    let staging = data.path().join("staging");
    let left = std::fs::read_dir(&staging).map_or(0, Iterator::count);
    assert_eq!(left, 0, "{case}: no staged file is left in {}", staging.display());
    timings.push((case, started.elapsed()));

    eprintln!("{OFFERS} offers, {full} triples; each case with its restarts: {timings:?}");
}
