//! The RDF side of the mapping: the terms used, literals, and the schema.org blank nodes that
//! hold an offer's contacts, phones, places, addresses and audience.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use serde_json::{Map, Value};

use super::Problems;
use super::fields::{email, objects, text, web_address};
use crate::rdf::vocab::schema;

pub(super) const RDF_TYPE: NamedNodeRef<'static> = rdf::TYPE;

/// The HSDS 3.0 schema reference, which a mapped file conforms to.
pub(super) const HSDS_3_0: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://docs.openreferral.org/en/3.0/hsds/schema_reference.html");

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
    let point = quads.node(schema::CONTACT_POINT_CLASS);
    quads.add_text(&point, schema::NAME, text(contact, "name"), plain);
    quads.add_text(&point, schema::CONTACT_TYPE, text(contact, "title"), plain);
    quads.add_text(&point, schema::CONTACT_TYPE, text(contact, "department"), plain);
    quads.add_text(&point, schema::EMAIL, email(contact, "email", pointer, problems), plain);
    for (_, phone) in objects(contact, "phones", pointer) {
        quads.add_text(&point, schema::TELEPHONE, text(phone, "number"), plain);
    }
    point
}

/// An HSDS phone as a schema:ContactPoint with its number, description and languages.
pub(super) fn phone_point(quads: &mut Quads, phone: &Map<String, Value>) -> NamedOrBlankNode {
    let point = quads.node(schema::CONTACT_POINT_CLASS);
    quads.add_text(&point, schema::TELEPHONE, text(phone, "number"), plain);
    quads.add_text(&point, schema::DESCRIPTION, text(phone, "description"), dutch);
    for (_, language) in objects(phone, "languages", "") {
        quads.add_text(&point, schema::AVAILABLE_LANGUAGE, text(language, "code").or(text(language, "name")), plain);
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
    let channel = quads.node(schema::SERVICE_CHANNEL);
    quads.add_text(&channel, schema::DESCRIPTION, text(at_location, "description"), dutch);
    for (_, phone) in objects(at_location, "phones", pointer) {
        let point = phone_point(quads, phone);
        quads.add(channel.clone(), schema::SERVICE_PHONE, point);
    }
    let Some(location) = at_location.get("location").and_then(Value::as_object) else {
        return channel;
    };
    let pointer = format!("{pointer}/location");
    if let Some(url) = web_address(location, "url", &pointer, problems) {
        quads.add(channel.clone(), schema::SERVICE_URL, url);
    }
    if text(location, "location_type") == Some("virtual") {
        return channel;
    }
    let place = quads.node(schema::PLACE);
    quads.add(channel.clone(), schema::SERVICE_LOCATION, place.clone());
    quads.add_text(&place, schema::NAME, text(location, "name"), plain);
    quads.add_text(&place, schema::DESCRIPTION, text(location, "description"), dutch);
    for (key, predicate) in [("latitude", schema::LATITUDE), ("longitude", schema::LONGITUDE)] {
        if let Some(Value::Number(degrees)) = location.get(key) {
            quads.add(place.clone(), predicate, number(degrees));
        }
    }
    for (_, phone) in objects(location, "phones", &pointer) {
        quads.add_text(&place, schema::TELEPHONE, text(phone, "number"), plain);
    }
    for (_, address) in objects(location, "addresses", &pointer) {
        let postal = quads.node(schema::POSTAL_ADDRESS);
        quads.add(place.clone(), schema::ADDRESS, postal.clone());
        let street =
            [text(address, "address_1"), text(address, "address_2")].into_iter().flatten().collect::<Vec<_>>().join(", ");
        quads.add_text(&postal, schema::STREET_ADDRESS, Some(street.as_str()).filter(|street| !street.is_empty()), plain);
        quads.add_text(&postal, schema::POSTAL_CODE, text(address, "postal_code"), plain);
        quads.add_text(&postal, schema::ADDRESS_LOCALITY, text(address, "city"), plain);
        quads.add_text(&postal, schema::ADDRESS_REGION, text(address, "state_province"), plain);
        quads.add_text(&postal, schema::ADDRESS_COUNTRY, text(address, "country"), plain);
    }
    channel
}

/// Who a service is for: `eligibility_description`, `minimum_age`, `maximum_age` as a
/// schema:PeopleAudience.
pub(super) fn audience(quads: &mut Quads, offer: &NamedOrBlankNode, service: &Map<String, Value>) {
    let ages = [("minimum_age", schema::SUGGESTED_MIN_AGE), ("maximum_age", schema::SUGGESTED_MAX_AGE)]
        .map(|(key, predicate)| (service.get(key).and_then(Value::as_number), predicate));
    let eligibility = text(service, "eligibility_description");
    if eligibility.is_none() && ages.iter().all(|(age, _)| age.is_none()) {
        return;
    }
    let audience = quads.node(schema::PEOPLE_AUDIENCE);
    quads.add(offer.clone(), schema::AUDIENCE, audience.clone());
    quads.add_text(&audience, schema::DESCRIPTION, eligibility, dutch);
    for (age, predicate) in ages {
        if let Some(age) = age {
            quads.add(audience.clone(), predicate, number(age));
        }
    }
}
