//! Hostile SPARQL against the service of `kansrijk serve` (in process, and as a process where its
//! memory, a client hanging up or a real connection is the point): nesting and chains of every construct that
//! once overflowed a worker's stack, by query and by update; runaways that must stop at their
//! time limit and give back the CPU; updates that must never commit after their deadline or
//! after their client left; `SERVICE` in an update; a body that never finishes.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use common::{App, AppOptions, Response, Server};
use reqwest::blocking::Client;

const GRAPH: &str = "https://w3id.org/kansrijk/graph/test";
const TOKEN: &str = "Bearer 0123456789abcdef-test";
/// A cross product of the store with itself: billions of solutions.
const CROSS: &str = "?a ?b ?c . ?d ?e ?f";
/// The same for an update, whose default graph is the (empty) default graph of the store.
const CROSS_GRAPHS: &str = "GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f }";

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(120)).build().expect("http client")
}

fn token_file() -> tempfile::TempDir {
    let tokens = tempfile::tempdir().expect("temp dir");
    std::fs::write(tokens.path().join("tokens"), format!("test 0123456789abcdef-test {GRAPH}\n")).expect("token file written");
    tokens
}

/// The service in process, writable by [`TOKEN`]; the token file lives as long as it.
fn app(options: AppOptions) -> (App, tempfile::TempDir) {
    let tokens = token_file();
    (options.write_token_file(&tokens.path().join("tokens")).start(), tokens)
}

/// A `kansrijk serve` process, for what only a process shows: its memory, a client that hangs
/// up, a body that never finishes on a real connection.
fn server(extra: &[&str]) -> (Server, tempfile::TempDir) {
    let tokens = token_file();
    let file = tokens.path().join("tokens");
    let mut arguments = vec!["--write-token-file", file.to_str().expect("utf-8")];
    arguments.extend_from_slice(extra);
    (Server::start(&arguments), tokens)
}

fn query(server: &App, text: &str) -> Response {
    server.post("/sparql").header(CONTENT_TYPE, "application/sparql-query").body(text.to_owned()).send()
}

fn update(server: &App, text: &str) -> Response {
    server
        .post("/update")
        .header(CONTENT_TYPE, "application/sparql-update")
        .header(AUTHORIZATION, TOKEN)
        .body(text.to_owned())
        .send()
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

/// Query shapes that nest one level per repetition, at `depth`.
fn deep_queries(depth: usize) -> Vec<(&'static str, String)> {
    vec![
        ("collection", format!("ASK {{ ?s <http://e/p> {} }}", nested("(", "1", ")", depth))),
        ("group", format!("ASK {}", nested("{ ", "?s ?p ?o", " }", depth))),
        ("optional", format!("ASK {{ ?s ?p ?o {} }}", nested("OPTIONAL { ?s ?p ?o ", "", "}", depth))),
        ("not exists", format!("ASK {{ ?s ?p ?o {} }}", nested("FILTER NOT EXISTS { ?s ?p ?o ", "", "}", depth))),
        ("sub-select", format!("SELECT * WHERE {}", nested("{ SELECT * WHERE ", "{ ?s ?p ?o }", " }", depth))),
        ("concat", format!("SELECT ({} AS ?x) {{}}", nested("CONCAT(", "'a'", ")", depth))),
        ("blank node", format!("ASK {{ ?s <http://e/p> {} }}", nested("[ <http://e/p> ", "1", " ]", depth))),
        ("bracketed expression", format!("SELECT ({} AS ?x) {{}}", nested("(", "1", ")", depth))),
    ]
}

/// A sequence path of `steps` steps.
fn path(steps: usize) -> String {
    format!("ASK {{ <http://e/s> {} ?o }}", vec!["<http://e/p>"; steps].join("/"))
}

/// Chains that nest one level per link, `links` long.
fn chains(links: usize) -> Vec<(&'static str, String)> {
    vec![
        ("union", format!("SELECT * WHERE {{ {} }}", vec!["{ <http://e/s> ?p ?o }"; links].join(" UNION "))),
        ("and", format!("ASK {{ FILTER({}) }}", vec!["true"; links].join(" && "))),
        ("or", format!("ASK {{ FILTER({}) }}", vec!["false"; links].join(" || "))),
        ("sum", format!("SELECT ({} AS ?n) {{}}", vec!["1"; links].join(" + "))),
        ("optional list", format!("ASK {{ {} }}", vec!["OPTIONAL { <http://e/s> ?p ?o }"; links].join(" "))),
        ("in list", format!("ASK {{ FILTER(1 IN ({})) }}", vec!["2"; links].join(", "))),
    ]
}

#[test]
fn nesting_beyond_the_limit_is_refused_by_query_and_by_update_and_the_server_stays_up() {
    let (server, _tokens) = app(App::options());
    for depth in [65, 1000, 3000, 20_000] {
        for (construct, text) in deep_queries(depth) {
            let response = query(&server, &text);
            assert_eq!(response.status(), 400, "{construct} at depth {depth}");
            let message = response.text();
            assert!(message.contains("te diep genest"), "{construct} at depth {depth}: {message}");
        }
        let insert =
            format!("INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://e/s> <http://e/p> {} }} }}", nested("(", "1", ")", depth));
        let response = update(&server, &insert);
        assert_eq!(response.status(), 400, "update at depth {depth}");
        assert!(response.text().contains("te diep genest"));
    }
    for links in [2_000, 30_000] {
        for (construct, text) in chains(links) {
            let response = query(&server, &text);
            assert_eq!(response.status(), 400, "{construct} of {links}");
            assert!(response.text().contains("te veel operatoren"), "{construct} of {links}");
        }
    }
    for steps in [100, 1000] {
        let response = query(&server, &path(steps));
        assert_eq!(response.status(), 400, "path of {steps}");
        assert!(response.text().contains("te veel padoperatoren"), "path of {steps}");
    }
    let long = format!("SELECT * WHERE {{ ?s ?p '{}' }}", "x".repeat(2 * 1024 * 1024));
    let response = query(&server, &long);
    assert_eq!(response.status(), 400);
    assert!(response.text().contains("te lang"));
    assert!(server.is_alive());
}

#[test]
fn nesting_and_chains_just_within_the_limits_are_answered() {
    let (server, _tokens) = app(App::options());
    for (construct, text) in deep_queries(60) {
        let response = query(&server, &text);
        assert_eq!(response.status(), 200, "{construct} at depth 60: {}", response.text());
    }
    for (construct, text) in chains(900).into_iter().chain([("path", path(60))]) {
        let response = query(&server, &text);
        assert_eq!(response.status(), 200, "{construct}: {}", response.text());
    }
    let sum = query(&server, &format!("SELECT ({} AS ?n) {{}}", vec!["1"; 900].join(" + ")));
    assert!(sum.text().contains("900"));
    let deep_update = format!(
        "INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://w3id.org/kansrijk/id/test/lijst> <http://e/p> {} }} }}",
        nested("(", "1", ")", 60)
    );
    let response = update(&server, &deep_update);
    assert!(response.status().is_client_error() || response.status().is_success(), "{}", response.status());
    assert!(server.is_alive());
}

#[test]
fn a_runaway_order_by_is_stopped_at_the_timeout_and_gives_back_the_cpu_and_memory() {
    let (server, _tokens) = server(&["--timeout-s", "2"]);
    let idle_rss = server.rss_mib();
    let started = Instant::now();
    // Two with LIMIT (which keep one solution), two without (which would sort them all).
    let clients: Vec<_> = ["LIMIT 1", "LIMIT 1", "", ""]
        .into_iter()
        .map(|limit| {
            let url = server.url("/sparql");
            std::thread::spawn(move || {
                let text = format!("SELECT * WHERE {{ {CROSS} }} ORDER BY ?c ?f {limit}");
                let response = client().get(url).query(&[("query", text.as_str())]).send().expect("sent");
                (limit, response.status(), response.text().expect("body"))
            })
        })
        .collect();
    for handle in clients {
        let (limit, status, body) = handle.join().expect("client thread");
        if limit.is_empty() && status == 400 {
            assert!(body.contains("sorteert meer dan"), "{body}");
        } else {
            assert_eq!(status, 503, "ORDER BY {limit}: {body}");
        }
    }
    assert!(started.elapsed() < Duration::from_secs(8), "answered at the timeout: {:?}", started.elapsed());
    std::thread::sleep(Duration::from_secs(1));
    let load = server.cpu_load(Duration::from_secs(2));
    assert!(load < 0.2, "the server still burns {load:.2} CPU s per s after the runaways were stopped");
    let rss = server.rss_mib();
    assert!(rss < idle_rss + 400.0, "the runaways kept their memory: {idle_rss:.0} MiB idle, {rss:.0} MiB after");
    assert!(server.is_alive());
}

#[test]
fn an_update_stops_at_the_timeout_and_never_commits() {
    let (server, _tokens) = app(App::options().timeout_s(2.0));
    let started = Instant::now();
    let response = update(&server, &format!("INSERT {{ GRAPH <{GRAPH}> {{ ?a <http://e/p> ?f }} }} WHERE {{ {CROSS_GRAPHS} }}"));
    assert_eq!(response.status(), 503);
    assert!(response.text().contains("niets geschreven"));
    assert!(started.elapsed() < Duration::from_secs(6), "answered at the timeout: {:?}", started.elapsed());
    std::thread::sleep(Duration::from_secs(1));
    let load = server.cpu_load(Duration::from_secs(2));
    assert!(load < 0.2, "the update still runs: {load:.2} CPU s per s");
    assert_eq!(server.triples_in(GRAPH), 0, "a stopped update committed");
    let small = update(&server, &format!("INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://e/s> <http://e/p> 1 }} }}"));
    assert!(small.status().is_success() || small.status() == 422, "writes go on after a stopped update: {}", small.status());
}

#[test]
fn an_update_whose_client_leaves_is_stopped_and_never_commits() {
    let (server, _tokens) = server(&["--timeout-s", "60"]);
    let gone = Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .expect("client")
        .post(server.url("/update"))
        .header(CONTENT_TYPE, "application/sparql-update")
        .header(AUTHORIZATION, TOKEN)
        .body(format!("INSERT {{ GRAPH <{GRAPH}> {{ ?a <http://e/p> ?f }} }} WHERE {{ {CROSS_GRAPHS} }}"))
        .send();
    assert!(gone.is_err(), "the client gave up after one second");
    std::thread::sleep(Duration::from_secs(2));
    let load = server.cpu_load(Duration::from_secs(2));
    assert!(load < 0.2, "the update goes on without its client: {load:.2} CPU s per s");
    assert_eq!(server.triples_in(GRAPH), 0, "an update without its client committed");
}

#[test]
fn service_in_an_update_is_a_client_error() {
    let (server, _tokens) = app(App::options());
    let response = update(
        &server,
        &format!(
            "INSERT {{ GRAPH <{GRAPH}> {{ ?s <http://e/p> ?o }} }} WHERE {{ SERVICE <http://example.org/sparql> {{ ?s ?p ?o }} }}"
        ),
    );
    assert_eq!(response.status(), 400);
    assert!(response.text().contains("update"));
}

#[test]
fn a_query_body_that_never_finishes_is_cut_off() {
    let (server, _tokens) = server(&["--upload-timeout-s", "1"]);
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).expect("connected");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("read timeout");
    write!(
        stream,
        "POST /sparql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK {{"
    )
    .expect("head sent");
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !answer.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(read) => answer.extend_from_slice(&chunk[..read]),
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5), "cut off after {:?}", started.elapsed());
}
