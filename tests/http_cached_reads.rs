//! The heavy reads (VoID, graph descriptions, sitemap, dumps) served from memory: the same bytes
//! and strong `ETag` on every request, 304 for `If-None-Match`, fast when repeated, and new
//! documents with a new tag once a write has changed the store.

use std::io::Read;
use std::time::{Duration, Instant};

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use oxigraph::io::{RdfFormat, RdfParser};

mod common;
use common::{App, Response};

const OWN: &str = "https://w3id.org/kansrijk/graph/sociale-kaart-aalsmeer";
const TOKEN: &str = "Bearer 0123456789abcdef-aalsmeer";
const OFFER: &str = "https://w3id.org/kansrijk/id/aanbod/test-cache-tienermoedergroep";
const DATASET: &str = "<https://w3id.org/kansrijk/id/dataset/kansrijk>";

/// Each heavy read, in more than one representation where it has them.
const HEAVY: &[&str] = &[
    "/.well-known/void",
    "/.well-known/void.jsonld",
    "/.well-known/void.nt",
    "/graph/factsheet",
    "/graph/cbs-regio.ttl",
    "/sitemap.xml",
    "/dump.nq.gz",
    "/dump.ttl.gz",
];

fn server() -> (App, tempfile::TempDir) {
    let tokens = tempfile::tempdir().expect("temp dir");
    let file = tokens.path().join("tokens");
    std::fs::write(&file, format!("aalsmeer 0123456789abcdef-aalsmeer {OWN}\n")).expect("token file written");
    (App::options().write_token_file(&file).start(), tokens)
}

fn get(server: &App, path: &str, if_none_match: Option<&str>) -> Response {
    let mut request = server.get(path);
    if let Some(tag) = if_none_match {
        request = request.header(IF_NONE_MATCH, tag);
    }
    request.send()
}

/// The status, the `ETag` and the body of a GET.
fn fetch(server: &App, path: &str) -> (u16, String, Vec<u8>) {
    let response = get(server, path, None);
    let status = response.status().as_u16();
    let etag = response.headers().get(ETAG).and_then(|tag| tag.to_str().ok()).unwrap_or_default().to_owned();
    (status, etag, response.bytes().to_vec())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut plain).expect("gzip");
    plain
}

/// The dataset's `void:triples` in the VoID description.
fn dataset_size(server: &App) -> usize {
    let (status, _, body) = fetch(server, "/.well-known/void.nt");
    assert_eq!(status, 200);
    let prefix = format!("{DATASET} <http://rdfs.org/ns/void#triples> \"");
    String::from_utf8(body)
        .expect("utf-8")
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|rest| rest.split('"').next())
        .and_then(|count| count.parse().ok())
        .expect("the size of the dataset")
}

/// The quads of the N-Quads dump.
fn dumped_quads(server: &App) -> Vec<String> {
    let (status, _, body) = fetch(server, "/dump.nq.gz");
    assert_eq!(status, 200);
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&gunzip(&body))
        .map(|quad| quad.expect("valid N-Quads").to_string())
        .collect()
}

#[test]
fn heavy_reads_repeat_their_bytes_and_etag_and_answer_304() {
    let (server, _tokens) = server();
    for path in HEAVY {
        let (status, etag, body) = fetch(&server, path);
        assert_eq!(status, 200, "GET {path}");
        let strong = etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2;
        assert!(strong, "GET {path}: a strong ETag, not {etag:?}");
        let (status, again, same) = fetch(&server, path);
        assert_eq!((status, &again), (200, &etag), "GET {path} again: the same tag");
        assert!(same == body, "GET {path} again: the same bytes");

        for condition in [etag.clone(), format!("W/{etag}"), format!("\"other\", {etag}"), "*".to_owned()] {
            let response = get(&server, path, Some(&condition));
            assert_eq!(response.status(), 304, "GET {path} If-None-Match: {condition}");
            assert_eq!(response.headers().get(ETAG).and_then(|tag| tag.to_str().ok()), Some(etag.as_str()));
            assert!(response.bytes().is_empty(), "a 304 has no body");
        }
        let response = get(&server, path, Some("\"something-else\""));
        assert_eq!(response.status(), 200, "GET {path} with a tag it does not have");
        assert!(response.bytes() == body, "GET {path} with another tag: the document");
    }
}

#[test]
fn repeated_heavy_reads_are_served_from_memory() {
    let (server, _tokens) = server();
    for path in HEAVY {
        assert_eq!(fetch(&server, path).0, 200, "GET {path}");
    }
    // Computing these takes from 0.2 s (VoID) to 1 s (sitemap) each; from memory, milliseconds.
    let started = Instant::now();
    for _ in 0..20 {
        for path in HEAVY {
            assert_eq!(fetch(&server, path).0, 200, "GET {path}");
        }
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "{} heavy reads took {took:?}", 20 * HEAVY.len());
}

#[test]
fn a_write_gives_new_documents_with_new_tags() {
    let (server, _tokens) = server();
    let before: Vec<(String, Vec<u8>)> = HEAVY
        .iter()
        .map(|path| {
            let (status, etag, body) = fetch(&server, path);
            assert_eq!(status, 200, "GET {path}");
            (etag, body)
        })
        .collect();
    let size_before = dataset_size(&server);
    assert_eq!(size_before, dumped_quads(&server).len(), "VoID counts what the dump holds");

    let offer = format!(
        "@prefix kr: <https://w3id.org/kansrijk/def#> .\n\
         @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
         @prefix schema: <http://schema.org/> .\n\
         @prefix dct: <http://purl.org/dc/terms/> .\n\
         <{OFFER}> a kr:Offer ;\n\
         skos:prefLabel \"Tienermoedergroep (cachetest)\"@nl ;\n\
         schema:description \"Testaanbod (fictief) voor tienermoeders.\"@nl ;\n\
         schema:provider <https://w3id.org/kansrijk/id/organisatie/ggd-kennemerland> ;\n\
         schema:areaServed <https://w3id.org/kansrijk/id/gemeente/gm0358> ;\n\
         kr:theme <https://w3id.org/kansrijk/id/thema/tienerzwangerschap> ;\n\
         dct:source <https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk> .\n"
    );
    let written = server
        .put(&format!("/store?graph={OWN}"))
        .header(AUTHORIZATION, TOKEN)
        .header(CONTENT_TYPE, "text/turtle")
        .body(offer)
        .send();
    assert!(written.status().is_success(), "PUT: {} {}", written.status(), written.text());

    let size_after = dataset_size(&server);
    let quads = dumped_quads(&server);
    assert!(size_after >= size_before + 3, "VoID counts the written triples: {size_before} then {size_after}");
    assert_eq!(size_after, quads.len(), "VoID counts what the dump holds after the write");
    assert!(quads.iter().any(|quad| quad.starts_with(&format!("<{OFFER}>")) && quad.ends_with(&format!("<{OWN}>"))));

    for (path, (etag, body)) in HEAVY.iter().zip(before) {
        if path.starts_with("/graph/") {
            // The write did not touch the source graphs, so their descriptions stay as they were.
            let (status, again, same) = fetch(&server, path);
            assert_eq!((status, &again), (200, &etag), "GET {path} after the write");
            assert!(same == body, "GET {path} after the write: the same description");
            continue;
        }
        let response = get(&server, path, Some(&etag));
        assert_eq!(response.status(), 200, "GET {path} If-None-Match: the tag from before the write");
        let fresh = response.headers().get(ETAG).and_then(|tag| tag.to_str().ok()).unwrap_or_default().to_owned();
        assert!(!fresh.is_empty() && fresh != etag, "GET {path}: a new tag after the write");
        let document = response.bytes();
        assert!(document != body, "GET {path}: a new document after the write");
        assert_eq!(fetch(&server, path).1, fresh, "GET {path}: the new tag stays");
    }
    let sitemap = String::from_utf8(fetch(&server, "/sitemap.xml").2).expect("utf-8");
    assert!(sitemap.contains(&format!("<loc>{OFFER}</loc>")), "the sitemap lists the written offer");
}
