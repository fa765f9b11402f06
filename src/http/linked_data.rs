//! Dereferenceable IRIs: `/id/...` and `/def` answer with the resource's document, chosen by
//! `Accept` (HTML for browsers; Turtle, JSON-LD, N-Triples, RDF/XML for programs) or by an
//! extension (`.ttl`, `.jsonld`, `.nt`, `.rdf`), with a strong `ETag`. Unknown IRIs get a 404
//! in the format asked, which echoes the path only percent-encoded and escaped for the format.

use std::sync::OnceLock;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::dataset::with_etag;
use super::negotiate;
use super::work::Work;
use super::{ApiError, AppState, def_page, pages};
use crate::catalog::contact::Contact;
use crate::catalog::{self, Listed};
use crate::live::Snapshot;
use crate::publish::dataset::Rendered;
use crate::publish::linked_data::{self, Document, DocumentFormat, LinkedDataError, PublicBase};
use crate::publish::ontology::Reference;
use crate::rdf::vocab::kr;

/// What stays as it is when a request path is echoed (in a 404, a `Link` or `Content-Location`
/// header); every other character is percent-encoded, so that an echoed path cannot end a
/// comment, an IRI, a string or a header parameter in any format, and still names the same
/// resource when it is followed.
const ECHOED_AS_IS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A representation of a document: a page for people or an RDF format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Representation {
    Html,
    Rdf(DocumentFormat),
}

/// Offered in this order: no `Accept` header (or `*/*`) gets Turtle, browsers ask for HTML.
const OFFERS: [(&str, Representation); 7] = [
    ("text/turtle", Representation::Rdf(DocumentFormat::Turtle)),
    ("text/html", Representation::Html),
    ("application/xhtml+xml", Representation::Html),
    ("application/ld+json", Representation::Rdf(DocumentFormat::JsonLd)),
    ("application/json", Representation::Rdf(DocumentFormat::JsonLd)),
    ("application/n-triples", Representation::Rdf(DocumentFormat::NTriples)),
    ("application/rdf+xml", Representation::Rdf(DocumentFormat::RdfXml)),
];

pub async fn resource(State(state): State<AppState>, path: Result<Path<String>, PathRejection>, headers: HeaderMap) -> Response {
    let path = match decoded(path) {
        Ok(path) => path,
        Err(error) => return error.into_response(),
    };
    answer(&state, &format!("id/{path}"), &headers, |snapshot, _, iri| linked_data::describe(&snapshot.store, iri)).await
}

/// The path captured by a route, or a 400 when it is not UTF-8 once percent-decoded.
pub fn decoded(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match path {
        Ok(Path(path)) => Ok(path),
        Err(PathRejection::FailedToDeserializePathParams(_)) => {
            Err(ApiError::BadRequest("het adres is geen geldige UTF-8".to_owned()))
        }
        Err(other) => Err(ApiError::internal(other)),
    }
}

/// The ontology at `/def` and `/def.<extension>`; `path` is one of those without the slash.
/// People asking `/def` get the reference page of [`super::def_page`].
pub async fn ontology(state: &AppState, path: &str, headers: &HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok());
    let for_people = negotiate::choose(accept, &OFFERS).is_some_and(|(chosen, _)| chosen == Representation::Html);
    if path == "def" && for_people {
        return match reference() {
            Ok(reference) => {
                let mut response = Html(def_page::page(reference)).into_response();
                response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
                response
            }
            Err(error) => ApiError::from(error).into_response(),
        };
    }
    answer(state, path, headers, |snapshot, _, _| linked_data::ontology(&snapshot.store).map(Some)).await
}

/// The reference of the embedded ontology and shapes, read once.
fn reference() -> Result<&'static Reference, LinkedDataError> {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    if let Some(reference) = REFERENCE.get() {
        return Ok(reference);
    }
    let reference = Reference::embedded()?;
    Ok(REFERENCE.get_or_init(|| reference))
}

/// The SHACL shapes at `/def/shapes` and `/def/shapes.<extension>`.
pub async fn shapes(state: &AppState, path: &str, headers: &HeaderMap) -> Response {
    answer(state, path, headers, |_, _, _| linked_data::shapes().map(Some)).await
}

/// Answers a document found by `fetch` (given the snapshot, the base and the canonical IRI of the
/// path) in the representation the client asked for. `path` is the request path without its
/// leading slash, possibly with an extension.
pub async fn answer<F>(state: &AppState, path: &str, headers: &HeaderMap, fetch: F) -> Response
where
    F: FnOnce(&Snapshot, &PublicBase, &str) -> Result<Option<Document>, LinkedDataError> + Send + 'static,
{
    let (path, by_extension) = match path
        .rsplit_once('.')
        .and_then(|(stem, extension)| DocumentFormat::from_extension(extension).map(|format| (stem, format)))
    {
        Some((stem, format)) => (stem, Some(Representation::Rdf(format))),
        None => (path, None),
    };
    let accept = headers.get(header::ACCEPT).and_then(|value| value.to_str().ok());
    let Some(representation) = by_extension.or_else(|| negotiate::choose(accept, &OFFERS).map(|(chosen, _)| chosen)) else {
        return ApiError::NotAcceptable(format!(
            "geen van de gevraagde formaten is beschikbaar; kies uit: {}",
            OFFERS.iter().map(|(media_type, _)| *media_type).collect::<Vec<_>>().join(", ")
        ))
        .into_response();
    };
    let snapshot = state.knowledge.snapshot();
    let base = state.base.clone();
    let iri = PublicBase::canonical(path);
    let for_people = representation == Representation::Html;
    let found = {
        let iri = iri.clone();
        state
            .workers
            .run(Work::Read, move || -> Result<_, LinkedDataError> {
                let document = fetch(&snapshot, &base, &iri)?;
                let store = &snapshot.store;
                // The page of a place also lists what serves it; data documents stay the resource's own.
                let is_place = document.as_ref().is_some_and(|document| document.has_type(kr::REGION.as_str()));
                let covering = if for_people && is_place { catalog::covering(store, &iri)? } else { Vec::new() };
                let contact = if for_people && document.is_some() { Contact::of(store, &iri)? } else { Contact::default() };
                Ok((document, covering, contact))
            })
            .await
    };
    let (document, covering, contact) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(error)) => return ApiError::from(error).into_response(),
        Err(error) => return error.into_response(),
    };
    let echoed = utf8_percent_encode(path, ECHOED_AS_IS).to_string();
    let mut response = match document {
        Some(document) => match represent(&document, representation, &state.base, &echoed, &covering, &contact) {
            Ok((content_type, body)) => with_etag(headers, content_type, Rendered::new(body)),
            Err(error) => ApiError::from(error).into_response(),
        },
        None => not_found(&state.base.publish(&PublicBase::canonical(&echoed)), representation),
    };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    if let Ok(links) = HeaderValue::from_str(&alternates(&echoed)) {
        headers.insert(header::LINK, links);
    }
    if by_extension.is_none()
        && let Representation::Rdf(format) = representation
        && let Ok(location) = HeaderValue::from_str(&format!("/{echoed}.{}", format.extension()))
    {
        headers.insert(header::CONTENT_LOCATION, location);
    }
    response
}

/// The document as `representation` asks: its media type and its bytes.
fn represent(
    document: &Document,
    representation: Representation,
    base: &PublicBase,
    path: &str,
    covering: &[Listed],
    contact: &Contact,
) -> Result<(HeaderValue, Vec<u8>), LinkedDataError> {
    match representation {
        Representation::Html => Ok((
            HeaderValue::from_static("text/html; charset=utf-8"),
            pages::resource(document, base, path, covering, contact).0.into_bytes(),
        )),
        Representation::Rdf(format) => Ok((content_type(format), document.write(format, base)?)),
    }
}

fn content_type(format: DocumentFormat) -> HeaderValue {
    let value = match format {
        DocumentFormat::Turtle => "text/turtle; charset=utf-8",
        DocumentFormat::JsonLd => "application/ld+json",
        DocumentFormat::NTriples => "application/n-triples",
        DocumentFormat::RdfXml => "application/rdf+xml",
    };
    HeaderValue::from_static(value)
}

/// The `Link` header: every machine format of the document and the HTML page.
fn alternates(path: &str) -> String {
    DocumentFormat::ALL
        .iter()
        .map(|format| format!("</{path}.{}>; rel=\"alternate\"; type=\"{}\"", format.extension(), format.media_type()))
        .chain(std::iter::once(format!("</{path}>; rel=\"alternate\"; type=\"text/html\"")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A 404 in the format asked: an empty document with a message where the format has comments.
/// `iri` is percent-encoded already; the comments are escaped for their format all the same.
fn not_found(iri: &str, representation: Representation) -> Response {
    let message = format!("niet gevonden: kansrijk kent <{iri}> niet");
    let Representation::Rdf(format) = representation else {
        return (StatusCode::NOT_FOUND, pages::not_found_page(&message)).into_response();
    };
    let body = match format {
        DocumentFormat::Turtle | DocumentFormat::NTriples => line_comment(&message),
        DocumentFormat::JsonLd => serde_json::json!({ "@graph": [], "message": message }).to_string(),
        DocumentFormat::RdfXml => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- {} -->\n\
             <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>\n",
            xml_comment(&message)
        ),
    };
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, content_type(format))], body).into_response()
}

/// `text` as a Turtle or N-Triples comment line: a line break would end the comment, so every
/// control character becomes a space.
fn line_comment(text: &str) -> String {
    let text: String = text.chars().map(|char| if char.is_control() { ' ' } else { char }).collect();
    format!("# {text}\n")
}

/// `text` for the inside of an XML comment, which may not hold `--`, end in `-` or contain
/// control characters: a space goes between dashes and after a final one, and control
/// characters become spaces.
fn xml_comment(text: &str) -> String {
    let mut comment = String::with_capacity(text.len());
    for char in text.chars() {
        if char == '-' && comment.ends_with('-') {
            comment.push(' ');
        }
        comment.push(if char.is_control() { ' ' } else { char });
    }
    if comment.ends_with('-') {
        comment.push(' ');
    }
    comment
}
