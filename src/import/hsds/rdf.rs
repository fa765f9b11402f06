//! The RDF side of the mapping: the terms used, literals, and the schema.org blank nodes that
//! hold an offer's contacts, phones, places, addresses and audience.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use serde_json::{Map, Value};

use super::Problems;
use super::fields::{email, objects, text, web_address};

pub(super) const RDF_TYPE: NamedNodeRef<'static> = rdf::TYPE;

const fn term(iri: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(iri)
}
pub(super) const KR_THEME: NamedNodeRef<'static> = term("https://w3id.org/kansrijk/def#theme");
pub(super) const SKOS_PREF_LABEL: NamedNodeRef<'static> = term("http://www.w3.org/2004/02/skos/core#prefLabel");
pub(super) const SKOS_ALT_LABEL: NamedNodeRef<'static> = term("http://www.w3.org/2004/02/skos/core#altLabel");
pub(super) const DCT_SOURCE: NamedNodeRef<'static> = term("http://purl.org/dc/terms/source");
pub(super) const DCT_IDENTIFIER: NamedNodeRef<'static> = term("http://purl.org/dc/terms/identifier");
pub(super) const DCT_TITLE: NamedNodeRef<'static> = term("http://purl.org/dc/terms/title");
pub(super) const DCT_PUBLISHER: NamedNodeRef<'static> = term("http://purl.org/dc/terms/publisher");
pub(super) const DCT_CONFORMS_TO: NamedNodeRef<'static> = term("http://purl.org/dc/terms/conformsTo");
const SCHEMA_NAME: NamedNodeRef<'static> = term("http://schema.org/name");
pub(super) const SCHEMA_DESCRIPTION: NamedNodeRef<'static> = term("http://schema.org/description");
pub(super) const SCHEMA_PROVIDER: NamedNodeRef<'static> = term("http://schema.org/provider");
pub(super) const SCHEMA_AREA_SERVED: NamedNodeRef<'static> = term("http://schema.org/areaServed");
pub(super) const SCHEMA_URL: NamedNodeRef<'static> = term("http://schema.org/url");
pub(super) const SCHEMA_EMAIL: NamedNodeRef<'static> = term("http://schema.org/email");
pub(super) const SCHEMA_TELEPHONE: NamedNodeRef<'static> = term("http://schema.org/telephone");
pub(super) const SCHEMA_CONTACT_POINT: NamedNodeRef<'static> = term("http://schema.org/contactPoint");
const SCHEMA_CONTACT_TYPE: NamedNodeRef<'static> = term("http://schema.org/contactType");
pub(super) const SCHEMA_AVAILABLE_LANGUAGE: NamedNodeRef<'static> = term("http://schema.org/availableLanguage");
pub(super) const SCHEMA_AVAILABLE_CHANNEL: NamedNodeRef<'static> = term("http://schema.org/availableChannel");
const SCHEMA_SERVICE_LOCATION: NamedNodeRef<'static> = term("http://schema.org/serviceLocation");
const SCHEMA_SERVICE_PHONE: NamedNodeRef<'static> = term("http://schema.org/servicePhone");
const SCHEMA_SERVICE_URL: NamedNodeRef<'static> = term("http://schema.org/serviceUrl");
const SCHEMA_ADDRESS: NamedNodeRef<'static> = term("http://schema.org/address");
const SCHEMA_STREET_ADDRESS: NamedNodeRef<'static> = term("http://schema.org/streetAddress");
const SCHEMA_POSTAL_CODE: NamedNodeRef<'static> = term("http://schema.org/postalCode");
const SCHEMA_ADDRESS_LOCALITY: NamedNodeRef<'static> = term("http://schema.org/addressLocality");
const SCHEMA_ADDRESS_REGION: NamedNodeRef<'static> = term("http://schema.org/addressRegion");
const SCHEMA_ADDRESS_COUNTRY: NamedNodeRef<'static> = term("http://schema.org/addressCountry");
const SCHEMA_LATITUDE: NamedNodeRef<'static> = term("http://schema.org/latitude");
const SCHEMA_LONGITUDE: NamedNodeRef<'static> = term("http://schema.org/longitude");
const SCHEMA_AUDIENCE: NamedNodeRef<'static> = term("http://schema.org/audience");
const SCHEMA_SUGGESTED_MIN_AGE: NamedNodeRef<'static> = term("http://schema.org/suggestedMinAge");
const SCHEMA_SUGGESTED_MAX_AGE: NamedNodeRef<'static> = term("http://schema.org/suggestedMaxAge");
pub(super) const SCHEMA_ENCODING_FORMAT: NamedNodeRef<'static> = term("http://schema.org/encodingFormat");
/// The HSDS 3.0 schema reference, which a mapped file conforms to.
pub(super) const HSDS_3_0: NamedNodeRef<'static> = term("https://docs.openreferral.org/en/3.0/hsds/schema_reference.html");

/// The classes the mapping types its resources and blank nodes with.
pub(super) mod class {
    use oxigraph::model::NamedNodeRef;

    use super::term;

    pub(in crate::import::hsds) const KR_OFFER: NamedNodeRef<'static> = term("https://w3id.org/kansrijk/def#Offer");
    pub(in crate::import::hsds) const KR_ORGANISATION: NamedNodeRef<'static> = term("https://w3id.org/kansrijk/def#Organisation");
    pub(in crate::import::hsds) const KR_SOURCE: NamedNodeRef<'static> = term("https://w3id.org/kansrijk/def#Source");
    pub(in crate::import::hsds) const SCHEMA_SERVICE: NamedNodeRef<'static> = term("http://schema.org/Service");
    pub(in crate::import::hsds) const SCHEMA_ORGANIZATION: NamedNodeRef<'static> = term("http://schema.org/Organization");
    pub(in crate::import::hsds) const SCHEMA_DATASET: NamedNodeRef<'static> = term("http://schema.org/Dataset");
    pub(in crate::import::hsds) const SCHEMA_CONTACT_POINT: NamedNodeRef<'static> = term("http://schema.org/ContactPoint");
    pub(in crate::import::hsds) const SCHEMA_SERVICE_CHANNEL: NamedNodeRef<'static> = term("http://schema.org/ServiceChannel");
    pub(in crate::import::hsds) const SCHEMA_PLACE: NamedNodeRef<'static> = term("http://schema.org/Place");
    pub(in crate::import::hsds) const SCHEMA_POSTAL_ADDRESS: NamedNodeRef<'static> = term("http://schema.org/PostalAddress");
    pub(in crate::import::hsds) const SCHEMA_PEOPLE_AUDIENCE: NamedNodeRef<'static> = term("http://schema.org/PeopleAudience");
}

/// Dutch text (all text in a sociale kaart is taken to be Dutch).
pub(super) fn dutch(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "nl")
}

/// Text without a language: names, codes, numbers and addresses.
pub(super) fn plain(text: &str) -> Literal {
    Literal::new_simple_literal(text)
}

/// An `xsd:integer` for whole numbers, otherwise an `xsd:decimal`.
pub(super) fn number(value: &serde_json::Number) -> Literal {
    match value.as_i64() {
        Some(whole) => Literal::from(whole),
        None => Literal::new_typed_literal(value.as_f64().unwrap_or_default().to_string(), xsd::DECIMAL),
    }
}

/// Quads of one subject area (a service, an organisation) before they are kept.
pub(super) struct Quads {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Quads {
    pub(super) fn new(graph: GraphName) -> Self {
        Self { graph, quads: Vec::new() }
    }

    pub(super) fn into_vec(self) -> Vec<Quad> {
        self.quads
    }

    pub(super) fn add(&mut self, subject: impl Into<NamedOrBlankNode>, predicate: NamedNodeRef<'_>, object: impl Into<Term>) {
        self.quads.push(Quad::new(subject, predicate, object, self.graph.clone()));
    }

    pub(super) fn add_text(
        &mut self,
        subject: &NamedOrBlankNode,
        predicate: NamedNodeRef<'_>,
        value: Option<&str>,
        literal: fn(&str) -> Literal,
    ) {
        if let Some(value) = value {
            self.add(subject.clone(), predicate, literal(value));
        }
    }

    /// A new blank node of type `class`.
    fn node(&mut self, class: NamedNodeRef<'_>) -> NamedOrBlankNode {
        let node = NamedOrBlankNode::from(BlankNode::default());
        self.add(node.clone(), rdf::TYPE, class);
        node
    }
}

/// An HSDS contact as a schema:ContactPoint.
pub(super) fn contact_point(
    quads: &mut Quads,
    contact: &Map<String, Value>,
    pointer: &str,
    problems: &mut Problems,
) -> NamedOrBlankNode {
    let point = quads.node(class::SCHEMA_CONTACT_POINT);
    quads.add_text(&point, SCHEMA_NAME, text(contact, "name"), plain);
    quads.add_text(&point, SCHEMA_CONTACT_TYPE, text(contact, "title"), plain);
    quads.add_text(&point, SCHEMA_CONTACT_TYPE, text(contact, "department"), plain);
    quads.add_text(&point, SCHEMA_EMAIL, email(contact, "email", pointer, problems), plain);
    for (_, phone) in objects(contact, "phones", pointer) {
        quads.add_text(&point, SCHEMA_TELEPHONE, text(phone, "number"), plain);
    }
    point
}

/// An HSDS phone as a schema:ContactPoint with its number, description and languages.
pub(super) fn phone_point(quads: &mut Quads, phone: &Map<String, Value>) -> NamedOrBlankNode {
    let point = quads.node(class::SCHEMA_CONTACT_POINT);
    quads.add_text(&point, SCHEMA_TELEPHONE, text(phone, "number"), plain);
    quads.add_text(&point, SCHEMA_DESCRIPTION, text(phone, "description"), dutch);
    for (_, language) in objects(phone, "languages", "") {
        quads.add_text(&point, SCHEMA_AVAILABLE_LANGUAGE, text(language, "code").or(text(language, "name")), plain);
    }
    point
}

/// An HSDS service at location as a schema:ServiceChannel: its place with addresses, its phones
/// and, for a virtual location, its URL.
pub(super) fn channel(
    quads: &mut Quads,
    at_location: &Map<String, Value>,
    pointer: &str,
    problems: &mut Problems,
) -> NamedOrBlankNode {
    let channel = quads.node(class::SCHEMA_SERVICE_CHANNEL);
    quads.add_text(&channel, SCHEMA_DESCRIPTION, text(at_location, "description"), dutch);
    for (_, phone) in objects(at_location, "phones", pointer) {
        let point = phone_point(quads, phone);
        quads.add(channel.clone(), SCHEMA_SERVICE_PHONE, point);
    }
    let Some(location) = at_location.get("location").and_then(Value::as_object) else {
        return channel;
    };
    let pointer = format!("{pointer}/location");
    if let Some(url) = web_address(location, "url", &pointer, problems) {
        quads.add(channel.clone(), SCHEMA_SERVICE_URL, url);
    }
    if text(location, "location_type") == Some("virtual") {
        return channel;
    }
    let place = quads.node(class::SCHEMA_PLACE);
    quads.add(channel.clone(), SCHEMA_SERVICE_LOCATION, place.clone());
    quads.add_text(&place, SCHEMA_NAME, text(location, "name"), plain);
    quads.add_text(&place, SCHEMA_DESCRIPTION, text(location, "description"), dutch);
    for (key, predicate) in [("latitude", SCHEMA_LATITUDE), ("longitude", SCHEMA_LONGITUDE)] {
        if let Some(Value::Number(degrees)) = location.get(key) {
            quads.add(place.clone(), predicate, number(degrees));
        }
    }
    for (_, phone) in objects(location, "phones", &pointer) {
        quads.add_text(&place, SCHEMA_TELEPHONE, text(phone, "number"), plain);
    }
    for (_, address) in objects(location, "addresses", &pointer) {
        let postal = quads.node(class::SCHEMA_POSTAL_ADDRESS);
        quads.add(place.clone(), SCHEMA_ADDRESS, postal.clone());
        let street =
            [text(address, "address_1"), text(address, "address_2")].into_iter().flatten().collect::<Vec<_>>().join(", ");
        quads.add_text(&postal, SCHEMA_STREET_ADDRESS, Some(street.as_str()).filter(|street| !street.is_empty()), plain);
        quads.add_text(&postal, SCHEMA_POSTAL_CODE, text(address, "postal_code"), plain);
        quads.add_text(&postal, SCHEMA_ADDRESS_LOCALITY, text(address, "city"), plain);
        quads.add_text(&postal, SCHEMA_ADDRESS_REGION, text(address, "state_province"), plain);
        quads.add_text(&postal, SCHEMA_ADDRESS_COUNTRY, text(address, "country"), plain);
    }
    channel
}

/// Who a service is for: `eligibility_description`, `minimum_age`, `maximum_age` as a
/// schema:PeopleAudience.
pub(super) fn audience(quads: &mut Quads, offer: &NamedOrBlankNode, service: &Map<String, Value>) {
    let ages = [("minimum_age", SCHEMA_SUGGESTED_MIN_AGE), ("maximum_age", SCHEMA_SUGGESTED_MAX_AGE)]
        .map(|(key, predicate)| (service.get(key).and_then(Value::as_number), predicate));
    let eligibility = text(service, "eligibility_description");
    if eligibility.is_none() && ages.iter().all(|(age, _)| age.is_none()) {
        return;
    }
    let audience = quads.node(class::SCHEMA_PEOPLE_AUDIENCE);
    quads.add(offer.clone(), SCHEMA_AUDIENCE, audience.clone());
    quads.add_text(&audience, SCHEMA_DESCRIPTION, eligibility, dutch);
    for (age, predicate) in ages {
        if let Some(age) = age {
            quads.add(audience.clone(), predicate, number(age));
        }
    }
}
