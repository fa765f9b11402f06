//! Crash safety of writes: the server is killed (SIGKILL) at several moments during a large
//! import and started again on the same data; store and search index then hold either all of
//! the import or none of it, and agree with each other.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use reqwest::blocking::Client;

const GRAPH: &str = "https://w3id.org/kansrijk/graph/synthetisch";
const OFFERS: &str = "20000";

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(300)).build().expect("client")
}

fn delete_import(server: &Server) {
    let delete = client()
        .delete(server.url(&format!("/store?graph={GRAPH}")))
        .header("Authorization", "Bearer 0123456789abcdef-beheer")
        .send()
        .expect("delete sent");
    assert_eq!(delete.status(), 204);
}

fn synthetic_hits(server: &Server) -> usize {
    server
        .search_hits("synthetisch aanbod in Aalsmeer", 50)
        .iter()
        .filter(|hit| hit["iri"].as_str().is_some_and(|iri| iri.contains("/aanbod/synthetisch-")))
        .count()
}

#[test]
fn a_killed_import_leaves_store_and_index_wholly_before_or_after_it() {
    let data = common::loaded_data_dir();
    let data_path = data.path().to_str().expect("utf-8 path");
    let file = data.path().join("synthetic.nq");
    let (ok, _, stderr) =
        common::run(&["--data", data_path, "synthetic", "--offers", OFFERS, "--output", file.to_str().expect("utf-8")]);
    assert!(ok, "{stderr}");
    let body = std::fs::read(&file).expect("synthetic file");
    let tokens = data.path().join("tokens");
    std::fs::write(&tokens, "beheer 0123456789abcdef-beheer\n").expect("token file");
    let serve_args = ["--write-token-file", tokens.to_str().expect("utf-8")];

    // How long an uninterrupted import takes, to spread the kills over it.
    let mut server = Server::start_in(data.path(), &serve_args);
    let started = Instant::now();
    let put = |server: &Server, body: Vec<u8>| {
        client()
            .put(server.url(&format!("/store?graph={GRAPH}")))
            .header("Authorization", "Bearer 0123456789abcdef-beheer")
            .header("Content-Type", "application/n-quads")
            .body(body)
            .send()
    };
    let answer = put(&server, body.clone()).expect("import sent");
    assert!(answer.status().is_success(), "{:?}", answer.text());
    let full = server.triples_in(GRAPH);
    assert!(full > 100_000, "{full} triples");
    assert!(synthetic_hits(&server) > 0);
    let duration = started.elapsed();
    delete_import(&server);

    let mut outcomes = Vec::new();
    for tenth in [1, 3, 5, 7, 9, 10, 11] {
        let writer = {
            let url = server.url(&format!("/store?graph={GRAPH}"));
            let body = body.clone();
            std::thread::spawn(move || {
                let _ = client()
                    .put(url)
                    .header("Authorization", "Bearer 0123456789abcdef-beheer")
                    .header("Content-Type", "application/n-quads")
                    .body(body)
                    .send();
            })
        };
        std::thread::sleep(duration * tenth / 10);
        server.child.kill().expect("SIGKILL");
        let _ = server.child.wait();
        let _ = writer.join();
        drop(server);
        server = Server::start_in(data.path(), &serve_args);
        let triples = server.triples_in(GRAPH);
        let hits = synthetic_hits(&server);
        assert!(triples == 0 || triples == full, "killed at {tenth}/10: {triples} of {full} triples");
        assert_eq!(triples == full, hits > 0, "killed at {tenth}/10: store has {triples} triples, index {hits} hits");
        outcomes.push((tenth, triples == full));
        if triples == full {
            delete_import(&server);
        }
    }
    eprintln!("killed at tenths of an import ({duration:?}): (tenth, import survived) {outcomes:?}");
}
