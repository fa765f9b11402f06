//! Open Referral HSDS 3.0 → RDF. Reads a sociale kaart published as HSDS 3.0 JSON (a list of
//! compiled services, or one page of the HSDS API), checks it against HSDS 3.0 and against what
//! kansrijk needs of every offer (a provider, a Dutch region, a description), and maps it to
//! offers, organisations and their source in one named graph. Every problem in the file is
//! reported, each with its JSON pointer and, where found, its line and column.
//!
//! Services become `kr:Offer`s and organisations `kr:Organisation`s under
//! `id/aanbod/<slug>--<id>` and `id/organisatie/<slug>--<id>`, where the slug is the last segment
//! of the graph IRI and the id the HSDS id. Contacts, phones, locations and addresses become
//! blank nodes (schema.org contact points, service channels, places and postal addresses).
//! Services that are `inactive` or `defunct` are checked but not mapped.

mod fields;
mod position;
mod rdf;
mod resolver;
mod schema;
#[cfg(test)]
mod tests;

pub use resolver::StoreResolver;

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use self::fields::{email, filled, objects, text, web_address};
use self::rdf::{HSDS_3_0, Quads, RDF_TYPE, audience, channel, contact_point, dutch, phone_point, plain};
// `schema` is the HSDS JSON schema here, so schema.org is `schema_org`.
use crate::rdf::vocab::schema as schema_org;
use crate::rdf::vocab::{self, dct, kr, skos};

/// Resolves the names HSDS uses to our resources ([`StoreResolver`] reads them from the store).
pub trait Resolver {
    /// The IRI of the Dutch region an HSDS service area names: a municipality, GGD region,
    /// province or PC4 postcode, by Dutch name or CBS code (GM0358, GG3406, PV27, 1431).
    fn region(&self, name: &str) -> Option<NamedNode>;
    /// For a name [`Resolver::region`] does not know, the region it is probably a misspelling
    /// of, described for a problem report ("Amsterdam (gemeente, GM0363)").
    fn region_meant(&self, _name: &str) -> Option<String> {
        None
    }
    /// The places a name is shared by when it names more than one ("Bergen": "Bergen (NH.)
    /// (gemeente, GM0373)", "Bergen (L.) (gemeente, GM0893)"), for a problem report.
    fn regions_sharing(&self, _name: &str) -> Vec<String> {
        Vec::new()
    }
    /// The IRI of our theme (skos:Concept, kr:Theme) whose label matches a taxonomy term, if any.
    fn theme(&self, term: &str) -> Option<NamedNode>;
}

/// The quads of a mapped HSDS file.
#[derive(Debug)]
pub struct Mapped {
    /// Every quad, all in the graph given to [`map`].
    pub quads: Vec<Quad>,
    /// Offers mapped (active and temporarily closed services).
    pub services: usize,
    /// Organisations mapped, each once however many services it provides.
    pub organizations: usize,
    /// What was accepted but maps to nothing (a taxonomy term that is no theme of kansrijk, a
    /// language without an ISO 639 code), with the position of each, for the sender to look at.
    pub warnings: Vec<Problem>,
}

/// One problem in the input, for a report of every problem (not just the first).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// JSON pointer, e.g. `/3/service_areas/0/name` (`""` for the whole document).
    pub pointer: String,
    /// 1-based line where known.
    pub line: Option<usize>,
    /// 1-based column (in bytes) where known.
    pub column: Option<usize>,
    /// What is wrong, in Dutch, for people.
    pub message: String,
}

impl Problem {
    fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self { pointer: pointer.to_owned(), line: None, column: None, message: message.into() }
    }
}

/// Problems listed for one file; the rest are only counted. A file of a million empty services
/// has six million problems (a 736 MB answer); the first hundred show what is wrong as well.
pub const MAX_REPORTED_PROBLEMS: usize = 100;

/// Services one import may hold. The largest Dutch social maps list about 100,000 services;
/// twice that stays within the statements one write may hold, and a file of a million empty
/// services (3 MB) is refused before anything is mapped.
pub const MAX_SERVICES: usize = 200_000;

/// Items in any other list of a file (phones, service areas, locations, ...). A service for the
/// whole country that names every PC4 postcode area lists about 4,000 areas.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// The problems of one file: the first [`MAX_REPORTED_PROBLEMS`] found, and how many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// The first problems found, ordered by their place in the file once they are located.
    pub shown: Vec<Problem>,
    /// How many problems the file has.
    pub total: usize,
}

impl Problems {
    fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.shown.len() < MAX_REPORTED_PROBLEMS {
            self.shown.push(problem);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(formatter, "regel {line}, kolom {column} ({}): {}", self.pointer, self.message),
            _ => write!(formatter, "{}: {}", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HsdsError {
    /// The input is not JSON at all.
    #[error("geen geldige JSON op regel {line}, kolom {column}: {message}")]
    Json { line: usize, column: usize, message: String },
    /// The input is JSON, but not valid HSDS 3.0 or not mappable.
    #[error("het HSDS-bestand is niet in te lezen: {}", summary(.0))]
    Invalid(Problems),
}

/// The first problem, and how many more there are.
fn summary(problems: &Problems) -> String {
    match problems.shown.first() {
        None => String::new(),
        Some(first) if problems.total == 1 => first.to_string(),
        Some(first) => format!("{first} (en nog {})", counted(problems.total - 1, "probleem", "problemen")),
    }
}

/// `1 dienst`, `2 diensten`.
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Maps an HSDS 3.0 document into quads of `graph`. `source_label` names the file it came from
/// (used in the label of the source resource).
///
/// # Errors
///
/// [`HsdsError::Json`] when the input is not JSON, [`HsdsError::Invalid`] with the problems
/// when it is JSON but not valid HSDS 3.0 or not mappable, or holds more services than
/// [`MAX_SERVICES`] or a list longer than [`MAX_LIST_ITEMS`] (then nothing else is checked).
pub fn map(json: &[u8], graph: &NamedNode, source_label: &str, resolver: &dyn Resolver) -> Result<Mapped, HsdsError> {
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    let document: Value = serde_json::from_slice(json).map_err(|error| {
        let message = error.to_string();
        let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(message, _)| message);
        HsdsError::Json { line: error.line(), column: error.column(), message: message.to_owned() }
    })?;
    let mut problems = Problems::default();
    if let Some(problem) = schema::oversized(&document) {
        problems.push(problem);
        return Err(located(json, problems));
    }
    let services = schema::services(&document, &mut problems);
    let mut mapper = Mapper::new(graph, resolver);
    for (pointer, service) in &services {
        mapper.collect_organisation(pointer, service, &mut problems);
    }
    for (pointer, service) in &services {
        mapper.service(pointer, service, &mut problems);
    }
    if problems.is_empty() && mapper.services == 0 {
        problems.push(Problem::at("", "geen actief aanbod: alle diensten zijn `inactive` of `defunct`"));
    }
    if !problems.is_empty() {
        return Err(located(json, problems));
    }
    let mut mapped = mapper.finish(source_label);
    position::fill(json, &mut mapped.warnings);
    Ok(mapped)
}

/// The problems with their lines and columns, in the order of the file.
fn located(json: &[u8], mut problems: Problems) -> HsdsError {
    position::fill(json, &mut problems.shown);
    problems.shown.sort_by_key(|problem| (problem.line.is_none(), problem.line, problem.column));
    HsdsError::Invalid(problems)
}

/// What is wrong with a language of a service that programs cannot read as a language: no
/// ISO 639 code (2 or 3 letters, with optional subtags: `nl`, `ar`, `zh-Hant`).
fn language_warning(code: Option<&str>, name: Option<&str>) -> Option<String> {
    let is_code = |code: &str| {
        let mut parts = code.split('-');
        parts
            .next()
            .is_some_and(|language| (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_alphabetic()))
            && parts.all(|subtag| (2..=8).contains(&subtag.len()) && subtag.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    match (code, name) {
        (Some(code), _) if is_code(code) => None,
        (Some(code), _) => Some(format!("taalcode `{code}` is geen ISO 639-code (zoals `nl` of `ar`); overgenomen als tekst")),
        (None, Some(name)) => {
            Some(format!("taal `{name}` zonder `code`; overgenomen als tekst, geef ook de ISO 639-code (zoals `ar`)"))
        }
        (None, None) => Some("taal zonder `code` en `name`; niets overgenomen".to_owned()),
    }
}

/// Kinds under `id/` for the resources minted here.
const OFFER_KIND: &str = "aanbod";
const ORGANISATION_KIND: &str = "organisatie";
const SOURCE_KIND: &str = "bron";

/// Characters kept as they are when an HSDS id becomes part of an IRI (RFC 3986 unreserved).
const ID_KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The slug of a graph IRI: its last path segment, lower case, in `[a-z0-9-]`.
fn slug(graph: &NamedNode) -> String {
    let last = graph.as_str().trim_end_matches('/').rsplit(['/', '#']).next().unwrap_or_default();
    let slug: String = last
        .chars()
        .map(|char| char.to_ascii_lowercase())
        .map(|char| if char.is_ascii_lowercase() || char.is_ascii_digit() || char == '-' { char } else { '-' })
        .collect();
    if slug.is_empty() { "hsds".to_owned() } else { slug }
}

// ---------------------------------------------------------------------------------------------
// Mapping

struct Organisation {
    iri: NamedNode,
    /// Where it was first given and what it said, to spot a different organisation with the same id.
    pointer: String,
    value: Value,
    quads: Vec<Quad>,
    emitted: bool,
}

struct Mapper<'r> {
    graph: GraphName,
    slug: String,
    source: NamedNode,
    resolver: &'r dyn Resolver,
    quads: Vec<Quad>,
    organisations: HashMap<String, Organisation>,
    publishers: Vec<NamedNode>,
    service_ids: HashMap<String, String>,
    services: usize,
    warnings: Vec<Problem>,
}

impl<'r> Mapper<'r> {
    fn new(graph: &NamedNode, resolver: &'r dyn Resolver) -> Self {
        let slug = slug(graph);
        Self {
            graph: graph.clone().into(),
            source: NamedNode::new_unchecked(format!("{}{SOURCE_KIND}/{slug}", vocab::ID)),
            slug,
            resolver,
            quads: Vec::new(),
            organisations: HashMap::new(),
            publishers: Vec::new(),
            service_ids: HashMap::new(),
            services: 0,
            warnings: Vec::new(),
        }
    }

    /// `id/<kind>/<slug>--<id>`, the id percent-encoded: always a valid IRI.
    fn iri(&self, kind: &str, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{kind}/{}--{}", vocab::ID, self.slug, utf8_percent_encode(id, ID_KEEP)))
    }

    fn quads(&self) -> Quads {
        Quads::new(self.graph.clone())
    }

    /// Records the organisation of a service, mapped once however many services name it.
    fn collect_organisation(&mut self, pointer: &str, service: &Map<String, Value>, problems: &mut Problems) {
        let Some(organisation) = service.get("organization").and_then(Value::as_object) else {
            return;
        };
        let pointer = format!("{pointer}/organization");
        let Some(id) = filled(organisation, "id", &pointer, problems) else {
            return;
        };
        if let Some(named) = text(service, "organization_id").filter(|named| *named != id) {
            problems.push(Problem::at(&pointer, format!("`organization_id` `{named}` is een andere organisatie dan `{id}`")));
        }
        if let Some(known) = self.organisations.get(id) {
            if known.value != Value::Object(organisation.clone()) {
                let message = format!("organisatie `{id}` staat al op {} met andere gegevens", known.pointer);
                problems.push(Problem::at(&pointer, message));
            }
            return;
        }
        let iri = self.iri(ORGANISATION_KIND, id);
        let mut quads = self.quads();
        let subject = NamedOrBlankNode::from(iri.clone());
        quads.add(iri.clone(), RDF_TYPE, kr::ORGANISATION);
        quads.add(iri.clone(), RDF_TYPE, schema_org::ORGANIZATION);
        quads.add(iri.clone(), dct::IDENTIFIER, plain(id));
        quads.add(iri.clone(), dct::SOURCE, self.source.clone());
        quads.add_text(&subject, skos::PREF_LABEL, filled(organisation, "name", &pointer, problems), dutch);
        quads.add_text(&subject, skos::ALT_LABEL, text(organisation, "alternate_name"), dutch);
        quads.add_text(&subject, schema_org::DESCRIPTION, filled(organisation, "description", &pointer, problems), dutch);
        if let Some(website) = web_address(organisation, "website", &pointer, problems) {
            quads.add(iri.clone(), schema_org::URL, website);
        }
        quads.add_text(&subject, schema_org::EMAIL, email(organisation, "email", &pointer, problems), plain);
        for (_, phone) in objects(organisation, "phones", &pointer) {
            quads.add_text(&subject, schema_org::TELEPHONE, text(phone, "number"), plain);
        }
        for (contact_pointer, contact) in objects(organisation, "contacts", &pointer) {
            let point = contact_point(&mut quads, contact, &contact_pointer, problems);
            quads.add(iri.clone(), schema_org::CONTACT_POINT, point);
        }
        let organisation =
            Organisation { iri, pointer, value: Value::Object(organisation.clone()), quads: quads.into_vec(), emitted: false };
        self.organisations.insert(id.to_owned(), organisation);
    }

    fn service(&mut self, pointer: &str, service: &Map<String, Value>, problems: &mut Problems) {
        let id = filled(service, "id", pointer, problems).unwrap_or_default();
        if !id.is_empty() {
            match self.service_ids.entry(id.to_owned()) {
                Entry::Occupied(first) => {
                    let message = format!("dienst-id `{id}` komt al voor op {}", first.get());
                    problems.push(Problem::at(&format!("{pointer}/id"), message));
                }
                Entry::Vacant(slot) => _ = slot.insert(pointer.to_owned()),
            }
        }
        let offer = self.iri(OFFER_KIND, id);
        let subject = NamedOrBlankNode::from(offer.clone());
        let mut quads = self.quads();
        quads.add(offer.clone(), RDF_TYPE, kr::OFFER);
        quads.add(offer.clone(), RDF_TYPE, schema_org::SERVICE);
        quads.add(offer.clone(), dct::IDENTIFIER, plain(id));
        quads.add(offer.clone(), dct::SOURCE, self.source.clone());
        quads.add_text(&subject, skos::PREF_LABEL, filled(service, "name", pointer, problems), dutch);
        quads.add_text(&subject, skos::ALT_LABEL, text(service, "alternate_name"), dutch);
        match text(service, "description") {
            Some(description) => quads.add(offer.clone(), schema_org::DESCRIPTION, dutch(description)),
            None => {
                problems.push(Problem::at(pointer, "beschrijving ontbreekt: kansrijk heeft `description` nodig voor elk aanbod"))
            }
        }
        if let Some(url) = web_address(service, "url", pointer, problems) {
            quads.add(offer.clone(), schema_org::URL, url);
        }
        quads.add_text(&subject, schema_org::EMAIL, email(service, "email", pointer, problems), plain);
        let provider = self.provider(pointer, service, problems);
        if let Some(organisation) = provider.and_then(|id| self.organisations.get(id)) {
            quads.add(offer.clone(), schema_org::PROVIDER, organisation.iri.clone());
        }
        for area in self.areas(pointer, service, problems) {
            quads.add(offer.clone(), schema_org::AREA_SERVED, area);
        }
        for theme in self.themes(service, pointer) {
            quads.add(offer.clone(), kr::THEME, theme);
        }
        for (language_pointer, language) in objects(service, "languages", pointer) {
            let (code, name) = (text(language, "code"), text(language, "name"));
            quads.add_text(&subject, schema_org::AVAILABLE_LANGUAGE, code.or(name), plain);
            if let Some(warning) = language_warning(code, name) {
                self.warnings.push(Problem::at(&language_pointer, warning));
            }
        }
        audience(&mut quads, &subject, service);
        for (contact_pointer, contact) in objects(service, "contacts", pointer) {
            let point = contact_point(&mut quads, contact, &contact_pointer, problems);
            quads.add(offer.clone(), schema_org::CONTACT_POINT, point);
        }
        for (_, phone) in objects(service, "phones", pointer) {
            let point = phone_point(&mut quads, phone);
            quads.add(offer.clone(), schema_org::CONTACT_POINT, point);
        }
        for (channel_pointer, at_location) in objects(service, "service_at_locations", pointer) {
            let channel = channel(&mut quads, at_location, &channel_pointer, problems);
            quads.add(offer.clone(), schema_org::AVAILABLE_CHANNEL, channel);
        }
        if matches!(text(service, "status"), Some("inactive" | "defunct")) {
            return;
        }
        self.quads.extend(quads.into_vec());
        self.services += 1;
        if let Some(organisation) = provider.and_then(|id| self.organisations.get_mut(id))
            && !organisation.emitted
        {
            organisation.emitted = true;
            self.quads.append(&mut organisation.quads);
            self.publishers.push(organisation.iri.clone());
        }
    }

    /// The organisation of a service: its `organization`, or one given elsewhere in the file
    /// with its `organization_id`.
    fn provider<'v>(&self, pointer: &str, service: &'v Map<String, Value>, problems: &mut Problems) -> Option<&'v str> {
        let id = service
            .get("organization")
            .and_then(Value::as_object)
            .map_or_else(|| text(service, "organization_id"), |organisation| text(organisation, "id"));
        match id.filter(|id| self.organisations.contains_key(*id)) {
            Some(id) => Some(id),
            None if service.get("organization").is_some_and(Value::is_object) => None, // its own problems are reported
            None => {
                let message = match id {
                    Some(id) => {
                        format!("aanbieder ontbreekt: organisatie `{id}` staat nergens in het bestand; geef `organization` mee")
                    }
                    None => {
                        "aanbieder ontbreekt: kansrijk heeft `organization` (met id, naam en beschrijving) nodig voor elk aanbod"
                            .to_owned()
                    }
                };
                problems.push(Problem::at(pointer, message));
                None
            }
        }
    }

    /// The regions a service serves. A service area is found by its `name`, by its `extent` when
    /// that is text, or by the last segment of its `uri` (a TOOI or kansrijk IRI ends in the CBS code).
    fn areas(&self, pointer: &str, service: &Map<String, Value>, problems: &mut Problems) -> BTreeSet<NamedNode> {
        let areas = objects(service, "service_areas", pointer);
        if areas.is_empty() {
            problems.push(Problem::at(
                pointer,
                "werkgebied ontbreekt: geef in `service_areas` minstens één gemeente, GGD-regio, provincie of postcode",
            ));
        }
        let mut regions = BTreeSet::new();
        for (area_pointer, area) in areas {
            let extent =
                text(area, "extent").filter(|_| text(area, "extent_type").is_some_and(|kind| kind.eq_ignore_ascii_case("text")));
            let code = text(area, "uri").and_then(|uri| uri.trim_end_matches('/').rsplit('/').next()).map(str::to_uppercase);
            let candidates =
                [("name", text(area, "name").map(str::to_owned)), ("extent", extent.map(str::to_owned)), ("uri", code)];
            let mut named = candidates.iter().filter_map(|(field, name)| Some((*field, name.as_deref()?)));
            if let Some(region) = named.clone().find_map(|(_, name)| self.resolver.region(name)) {
                regions.insert(region);
            } else if let Some((field, _)) = named.next() {
                let given = text(area, field).unwrap_or_default();
                let sharing = self.resolver.regions_sharing(given);
                let message = if sharing.len() > 1 {
                    format!(
                        "`{given}` is de naam van meer dan één plaats: {}; geef de volledige naam of de CBS-code",
                        sharing.join(" of ")
                    )
                } else {
                    let meant = self.resolver.region_meant(given).map_or_else(String::new, |meant| {
                        format!("; bedoelt u {meant}? Schrijf de naam zoals kansrijk hem kent, of geef de CBS-code")
                    });
                    format!("`{given}` is geen Nederlandse gemeente, GGD-regio, provincie of postcode{meant}")
                };
                problems.push(Problem::at(&format!("{area_pointer}/{field}"), message));
            } else {
                problems.push(Problem::at(
                    &area_pointer,
                    "werkgebied zonder naam: geef in `name` een gemeente, GGD-regio, provincie of postcode",
                ));
            }
        }
        regions
    }

    /// Our themes whose labels match the names of the service's taxonomy terms; a term that
    /// matches none is a warning (the offer is written without that theme).
    fn themes(&mut self, service: &Map<String, Value>, pointer: &str) -> BTreeSet<NamedNode> {
        let mut themes = BTreeSet::new();
        for (attribute_pointer, attribute) in objects(service, "attributes", pointer) {
            let Some(name) = attribute.get("taxonomy_term").and_then(Value::as_object).and_then(|term| text(term, "name")) else {
                continue;
            };
            match self.resolver.theme(name) {
                Some(theme) => _ = themes.insert(theme),
                None => self.warnings.push(Problem::at(
                    &format!("{attribute_pointer}/taxonomy_term/name"),
                    format!("taxonomieterm `{name}` is geen thema van kansrijk; het aanbod is zonder dit thema geschreven (thema's: /def#Theme en /id/schema/themas)"),
                )),
            }
        }
        themes
    }

    /// The source resource, published by the organisations in the file (kansrijk cannot know
    /// who compiled it, and every kr:Source needs a publisher), and all quads.
    fn finish(mut self, source_label: &str) -> Mapped {
        let label = source_label.trim();
        let mut quads = self.quads();
        let source = self.source.clone();
        quads.add(source.clone(), RDF_TYPE, kr::SOURCE);
        quads.add(source.clone(), RDF_TYPE, schema_org::DATASET);
        quads.add(source.clone(), skos::PREF_LABEL, dutch(format!("Sociale kaart {label}").trim_end()));
        quads.add(source.clone(), dct::TITLE, plain(if label.is_empty() { "Sociale kaart" } else { label }));
        let description = format!(
            "Sociale kaart in het formaat Open Referral HSDS 3.0, ingelezen uit {}: {} van {}. Het bestand noemt geen \
             uitgever; de organisaties erin staan als uitgever vermeld.",
            if label.is_empty() { "een bestand" } else { label },
            counted(self.services, "dienst", "diensten"),
            counted(self.publishers.len(), "organisatie", "organisaties"),
        );
        quads.add(source.clone(), schema_org::DESCRIPTION, dutch(&description));
        quads.add(source.clone(), dct::CONFORMS_TO, HSDS_3_0);
        quads.add(source.clone(), schema_org::ENCODING_FORMAT, plain("application/json"));
        for publisher in &self.publishers {
            quads.add(source.clone(), dct::PUBLISHER, publisher.clone());
        }
        self.quads.extend(quads.into_vec());
        Mapped { quads: self.quads, services: self.services, organizations: self.publishers.len(), warnings: self.warnings }
    }
}
