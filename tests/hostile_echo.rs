//! Echoed input under attack: request paths built to break out of the 404 message of every
//! format (a line break ending a Turtle comment, `-->` ending an XML comment, quotes, `]]>`,
//! `</script>`, NUL, invalid UTF-8) under `/id/`, `/graph/` and `/def`-like paths. Each answer
//! must be the empty document of its format, carry no injected statement, and name its
//! alternates in a `Link` header that the path cannot extend.

use axum::http::HeaderMap;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};

mod common;
use common::{App, Response};

/// What an injection would bring into an answer if it got through as it was sent.
const INJECTED: &str = "<http://evil.example/s>";

/// Hostile path segments as a client sends them (percent-encoded, slashes too, so that each is
/// one segment). Decoded, each would end the 404 message of some format if echoed raw.
const HOSTILE: &[&str] = &[
    // A line break ends a Turtle or N-Triples comment; the next line is a triple.
    "x%3E%20niet%0A%3Chttp:%2F%2Fevil.example%2Fs%3E%20%3Chttp:%2F%2Fevil.example%2Fp%3E%20%22injected%22%20.%0A%23",
    // The same with a carriage return.
    "x%0D%3Chttp:%2F%2Fevil.example%2Fs%3E%20%3Chttp:%2F%2Fevil.example%2Fp%3E%20%22injected%22%20.%0D%23",
    // `-->` ends an XML comment, however many dashes precede it; then an RDF/XML description.
    "x---%3E%3Crdf:RDF%20xmlns:rdf=%22http:%2F%2Fwww.w3.org%2F1999%2F02%2F22-rdf-syntax-ns%23%22%3E\
     %3Crdf:Description%20rdf:about=%22http:%2F%2Fevil.example%2Fs%22%3E\
     %3Cp%20xmlns=%22http:%2F%2Fevil.example%2F%22%3Einjected%3C%2Fp%3E%3C%2Frdf:Description%3E%3C%2Frdf:RDF%3E%3C!--",
    // A quote ends a JSON string; a `Link` header target ends at `>`.
    "x%22%7D,%7B%22@id%22:%22http:%2F%2Fevil.example%2Fs%22%7D%3E;%20rel=%22stylesheet%22",
    // CDATA end, script elements, NUL and a final dash.
    "x%5D%5D%3E%3Chttp:%2F%2Fevil.example%2Fs%3E",
    "x%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E%3CSCRIPT%20src=%22http:%2F%2Fevil.example%2Fs%22%3E",
    "x%00%3Chttp:%2F%2Fevil.example%2Fs%3E%00",
    "x-",
];

/// Where a hostile segment goes: under a resource kind, at the top of `/id/`, as a graph name.
const PREFIXES: &[&str] = &["/id/", "/id/thema/", "/graph/"];

/// The RDF formats: media type, extension, parser.
const RDF_FORMATS: [(&str, &str, RdfFormat); 4] = [
    ("text/turtle", "ttl", RdfFormat::Turtle),
    ("application/n-triples", "nt", RdfFormat::NTriples),
    ("application/rdf+xml", "rdf", RdfFormat::RdfXml),
    ("application/ld+json", "jsonld", RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }),
];

fn get(server: &App, path: &str, accept: &str) -> Response {
    server.get(path).header("Accept", accept).send()
}

fn header(response: &Response, name: &str) -> String {
    header_of(response.headers(), name)
}

fn header_of(headers: &HeaderMap, name: &str) -> String {
    headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).collect::<Vec<_>>().join(", ")
}

/// Whether `target` is a path of URI characters only (what percent-encoding leaves).
fn is_uri_path(target: &str) -> bool {
    target.starts_with('/') && target.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"/-._~%".contains(&byte))
}

/// The answer names its alternates, and the path has not added a link or parameter: five
/// entries `<path>; rel="alternate"; type="..."` with URI paths as targets.
fn assert_links_intact(headers: &HeaderMap, what: &str) {
    let links = header_of(headers, "link");
    let entries: Vec<&str> = links.split(", ").collect();
    assert_eq!(entries.len(), 5, "{what}: Link names five alternates: {links:?}");
    for entry in entries {
        let (target, parameters) = entry
            .strip_prefix('<')
            .and_then(|rest| rest.split_once(">; "))
            .unwrap_or_else(|| panic!("{what}: Link entry {entry:?} is <target>; parameters"));
        assert!(is_uri_path(target), "{what}: Link target {target:?} is a percent-encoded path");
        let media_type = parameters
            .strip_prefix("rel=\"alternate\"; type=\"")
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("{what}: Link parameters {parameters:?} are rel and type only"));
        assert!(media_type.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"/+-".contains(&byte)), "{what}");
    }
    let location = header_of(headers, "content-location");
    assert!(location.is_empty() || is_uri_path(&location), "{what}: Content-Location {location:?}");
}

/// Every hostile path under every prefix asked in `format`, by `Accept` and by extension.
fn assert_empty_not_found(server: &App, media_type: &str, extension: &str, format: RdfFormat) {
    for prefix in PREFIXES {
        for hostile in HOSTILE {
            let by_accept = format!("{prefix}{hostile}");
            let by_extension = format!("{prefix}{hostile}.{extension}");
            for (path, accept) in [(by_accept.as_str(), media_type), (by_extension.as_str(), "*/*")] {
                let what = format!("GET {path} as {media_type}");
                let response = get(server, path, accept);
                assert_eq!(response.status(), 404, "{what}");
                assert!(header(&response, "content-type").starts_with(media_type), "{what}");
                let links = response.headers().clone();
                let body = response.bytes();
                let text = String::from_utf8_lossy(&body);
                let statements: Vec<String> = RdfParser::from_format(format)
                    .for_slice(&body)
                    .map(|quad| quad.map(|quad| quad.to_string()))
                    .collect::<Result<_, _>>()
                    .unwrap_or_else(|error| panic!("{what}: the 404 does not parse ({error}): {text}"));
                assert!(statements.is_empty(), "{what}: the 404 states {statements:?}");
                assert!(!text.contains(INJECTED), "{what}: the injection is echoed: {text}");
                assert!(text.contains("niet gevonden"), "{what}: the answer says what happened: {text}");
                assert_links_intact(&links, &what);
            }
        }
    }
}

#[test]
fn turtle_not_found_is_an_empty_graph_whatever_the_path() {
    let server = App::new();
    let (media_type, extension, format) = RDF_FORMATS[0];
    assert_empty_not_found(&server, media_type, extension, format);
}

#[test]
fn n_triples_not_found_is_an_empty_graph_whatever_the_path() {
    let server = App::new();
    let (media_type, extension, format) = RDF_FORMATS[1];
    assert_empty_not_found(&server, media_type, extension, format);
}

#[test]
fn rdf_xml_not_found_is_well_formed_and_empty_whatever_the_path() {
    let server = App::new();
    let (media_type, extension, format) = RDF_FORMATS[2];
    assert_empty_not_found(&server, media_type, extension, format);
}

#[test]
fn json_ld_not_found_is_an_empty_graph_whatever_the_path() {
    let server = App::new();
    let (media_type, extension, format) = RDF_FORMATS[3];
    assert_empty_not_found(&server, media_type, extension, format);
}

#[test]
fn html_not_found_escapes_the_path() {
    let server = App::new();
    for prefix in PREFIXES {
        for hostile in HOSTILE {
            let path = format!("{prefix}{hostile}");
            let what = format!("GET {path} as HTML");
            let response = get(&server, &path, "text/html");
            assert_eq!(response.status(), 404, "{what}");
            assert!(header(&response, "content-type").starts_with("text/html"), "{what}");
            let links = response.headers().clone();
            let page = response.text();
            assert!(page.contains("Niet gevonden"), "{what}: {page}");
            assert!(!page.to_lowercase().contains("<script"), "{what}: a script element from the path: {page}");
            assert!(!page.contains(INJECTED) && !page.contains('\0'), "{what}: the path is echoed raw: {page}");
            assert_links_intact(&links, &what);
        }
    }
}

#[test]
fn text_answers_echo_nothing_and_are_not_sniffed() {
    let server = App::new();
    for hostile in HOSTILE {
        // No representation fits; the 406 lists the ones there are.
        let response = get(&server, &format!("/id/{hostile}"), "text/plain");
        assert_eq!(response.status(), 406, "GET /id/{hostile} as text/plain");
        assert_text_without_echo(response, hostile);
        // Paths no route serves, `/def`-like ones among them.
        for path in [
            format!("/def/{hostile}"),
            format!("/def{hostile}"),
            format!("/def.{hostile}"),
            format!("/.well-known/void/{hostile}"),
            format!("/graph/factsheet/{hostile}"),
        ] {
            let response = get(&server, &path, "*/*");
            assert_eq!(response.status(), 404, "GET {path}");
            assert_text_without_echo(response, &path);
        }
    }
}

fn assert_text_without_echo(response: Response, what: &str) {
    assert!(header(&response, "content-type").starts_with("text/plain"), "{what}");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{what}");
    let text = response.text();
    assert!(!text.contains("evil.example") && !text.contains('\0'), "{what}: the input is echoed: {text}");
}

#[test]
fn a_path_that_is_no_utf8_is_a_bad_request_in_dutch() {
    let server = App::new();
    for path in ["/id/%FF", "/id/thema/x%C3%28", "/id/%FF.ttl", "/graph/%FF", "/graph/%FE%FF.nt"] {
        for accept in ["text/turtle", "text/html", "application/ld+json", "*/*"] {
            let what = format!("GET {path} as {accept}");
            let response = get(&server, path, accept);
            assert_eq!(response.status(), 400, "{what}");
            assert!(header(&response, "content-type").starts_with("text/plain"), "{what}");
            assert_eq!(header(&response, "x-content-type-options"), "nosniff", "{what}");
            let text = response.text();
            assert!(text.contains("geen geldige UTF-8"), "{what}: {text}");
        }
    }
}
