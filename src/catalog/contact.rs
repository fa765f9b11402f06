//! What the graph knows to act on a resource: who provides it, its website, phone numbers,
//! e-mail addresses, postal addresses, contact points and the areas it serves, read from the
//! schema.org statements of the base graphs and of HSDS imports (see `hsds::rdf` for the
//! blank nodes an import makes). Where a resource has no website, phone or e-mail of its own,
//! its provider's stand in, and the contact says so.
//!
//! [`Contact::of`] reads one resource (for its page); [`Contacts::from_store`] reads every
//! searchable resource at once, with one query per schema.org property instead of one lookup per
//! resource, and shares identical contacts (every synthetic offer of one provider in one
//! municipality has the same). [`Field`] names the fields in Dutch, for every page that shows
//! them.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, vocab::rdf, vocab::rdfs};
use serde::{Deserialize, Serialize};

use crate::rdf::kinds;
use crate::rdf::vocab::{self, schema, skos};
use crate::store::{StoreError, StoreView};

/// The fields of a [`Contact`], in the order pages show them. Serialized as the name of the
/// JSON field that holds the values (`urls`, `phones`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "providers")]
    Provider,
    #[serde(rename = "urls")]
    Website,
    #[serde(rename = "phones")]
    Phone,
    #[serde(rename = "emails")]
    Email,
    #[serde(rename = "addresses")]
    Address,
    #[serde(rename = "contact_points")]
    ContactPoint,
    #[serde(rename = "areas")]
    Area,
}

impl Field {
    /// Every field, in the order pages show them.
    pub const ALL: [Self; 7] =
        [Self::Provider, Self::Website, Self::Phone, Self::Email, Self::Address, Self::ContactPoint, Self::Area];

    /// The Dutch name of the field, as every page shows it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Provider => "Aanbieder",
            Self::Website => "Website",
            Self::Phone => "Telefoon",
            Self::Email => "E-mail",
            Self::Address => "Adres",
            Self::ContactPoint => "Contactpersoon",
            Self::Area => "Werkgebied",
        }
    }
}

/// Shown beside values that are the provider's own, because the resource has none.
pub const FROM_PROVIDER_NOTE: &str = "van de aanbieder";

/// What the graph knows to act on one resource. Every list is sorted and holds no duplicates,
/// so that a contact read alone and one read in bulk are equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<Linked>,
    /// Web addresses, `http` or `https` only: nothing else is an address a GP can open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// People or teams to ask for, with their own phones and e-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_points: Vec<ContactPoint>,
    /// The areas served, the most local first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<Area>,
    /// The fields ([`Field::Website`], [`Field::Phone`], [`Field::Email`]) whose values are the
    /// provider's, because the resource has none of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_provider: Vec<Field>,
}

/// A resource another one links to, with its Dutch label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Linked {
    pub iri: String,
    pub label: String,
}

/// A phone number as the data writes it, with what the data says about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Phone {
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Phone {
    /// The number as a `tel:` URI (`+31 297 000 001` → `tel:+31297000001`), or `None` when it
    /// holds no digits.
    pub fn uri(&self) -> Option<String> {
        let number = self.number.trim_start();
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return None;
        }
        Some(format!("tel:{}{digits}", if number.starts_with('+') { "+" } else { "" }))
    }
}

/// A postal address as one readable line (street, postcode and locality), and the name of the
/// place it belongs to when the data names one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Address {
    pub line: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// A person or team to contact: a schema:ContactPoint with a name or a role.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ContactPoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What they do (schema:contactType: a title or a department).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
}

/// An area served, with its Dutch label and what kind of area it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Area {
    pub iri: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AreaKind>,
}

/// The kinds of Dutch area kansrijk knows, the most local first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    PostcodeArea,
    Municipality,
    GgdRegion,
    Province,
    Country,
}

impl AreaKind {
    const ALL: [Self; 5] = [Self::PostcodeArea, Self::Municipality, Self::GgdRegion, Self::Province, Self::Country];

    /// The Dutch name, as it reads before the area's label ("gemeente Aalsmeer").
    pub const fn label(self) -> &'static str {
        match self {
            Self::PostcodeArea => "postcodegebied",
            Self::Municipality => "gemeente",
            Self::GgdRegion => "GGD-regio",
            Self::Province => "provincie",
            Self::Country => "land",
        }
    }

    /// The local name of the ontology class of this kind of area.
    const fn class(self) -> &'static str {
        match self {
            Self::PostcodeArea => "PostcodeArea",
            Self::Municipality => "Municipality",
            Self::GgdRegion => "GGDRegion",
            Self::Province => "Province",
            Self::Country => "Country",
        }
    }

    fn of_class(class: &str) -> Option<Self> {
        let local = class.strip_prefix(vocab::DEF)?;
        Self::ALL.into_iter().find(|kind| kind.class() == local)
    }
}

impl Contact {
    /// What the store knows to act on the resource `iri` (empty when it knows nothing).
    pub fn of(store: &StoreView, iri: &str) -> Result<Self, StoreError> {
        let Ok(subject) = NamedNode::new(iri) else { return Ok(Self::default()) };
        let mut reader = Reader::new(store);
        let mut statements = Statements::default();
        for (link, object) in reader.statements_of(subject.as_ref().into())? {
            reader.add(&mut statements, link, object)?;
        }
        reader.contact(&statements)
    }

    /// Whether the graph knows nothing to act on the resource.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Sorts every list and removes duplicates (a statement may be in several graphs).
    fn settle(&mut self) {
        fn settled<T: Ord>(values: &mut Vec<T>) {
            values.sort();
            values.dedup();
        }
        settled(&mut self.providers);
        settled(&mut self.urls);
        settled(&mut self.phones);
        settled(&mut self.emails);
        settled(&mut self.addresses);
        for point in &mut self.contact_points {
            settled(&mut point.roles);
            settled(&mut point.phones);
            settled(&mut point.emails);
        }
        settled(&mut self.contact_points);
        self.areas
            .sort_by(|a, b| (a.kind.is_none(), a.kind, &a.label, &a.iri).cmp(&(b.kind.is_none(), b.kind, &b.label, &b.iri)));
        self.areas.dedup();
        settled(&mut self.from_provider);
    }
}

/// The contacts of every searchable resource that has any, by IRI.
#[derive(Debug, Default)]
pub struct Contacts {
    by_resource: HashMap<String, Arc<Contact>>,
}

impl Contacts {
    /// Reads the contacts of every resource of the searchable classes: one query per property,
    /// one for the resources, and one lookup per provider, area and blank node.
    pub fn from_store(store: &StoreView) -> Result<Self, StoreError> {
        let mut reader = Reader::new(store);
        let mut statements: HashMap<String, Statements> = HashMap::new();
        for link in Link::ALL {
            if link.names_a_resource() {
                // Every offer has these: SPARQL decodes only the two terms asked for, which takes half
                // the time of reading whole quads.
                let query = format!("SELECT ?r ?o WHERE {{ ?r <{}> ?o FILTER(isIRI(?o)) }}", link.predicate().as_str());
                for row in store.select(&query)? {
                    let Ok([Some(subject), Some(object)]) = <[Option<String>; 2]>::try_from(row) else { continue };
                    reader.add(statements.entry(subject).or_default(), link, NamedNode::new_unchecked(object).into())?;
                }
                continue;
            }
            for quad in store.quads_for_pattern(None, Some(link.predicate()), None, None) {
                let quad = quad?;
                if let NamedOrBlankNode::NamedNode(subject) = quad.subject {
                    reader.add(statements.entry(subject.into_string()).or_default(), link, quad.object)?;
                }
            }
        }
        let classes = kinds::searchable_values();
        let query = format!("SELECT DISTINCT ?r WHERE {{ VALUES ?class {{ {classes} }} ?r a ?class }}");
        let searchable = store.select(&query)?;
        let mut shared: HashSet<Arc<Contact>> = HashSet::new();
        let mut by_resource = HashMap::new();
        for subject in searchable.into_iter().filter_map(|row| row.into_iter().next().flatten()) {
            let Some(own) = statements.remove(&subject) else { continue };
            let contact = reader.contact(&own)?;
            if contact.is_empty() {
                continue;
            }
            let contact = match shared.get(&contact) {
                Some(known) => Arc::clone(known),
                None => {
                    let contact = Arc::new(contact);
                    shared.insert(Arc::clone(&contact));
                    contact
                }
            };
            by_resource.insert(subject, contact);
        }
        Ok(Self { by_resource })
    }

    /// The contact of the resource `iri`, or `None` when the graph knows nothing to act on it.
    pub fn get(&self, iri: &str) -> Option<&Contact> {
        self.by_resource.get(iri).map(Arc::as_ref)
    }

    /// How many resources have a contact.
    pub fn len(&self) -> usize {
        self.by_resource.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_resource.is_empty()
    }
}

/// The statements of a resource a contact is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Provider,
    Area,
    Url,
    Email,
    Telephone,
    ContactPoint,
    Channel,
    Address,
}

impl Link {
    const ALL: [Self; 8] =
        [Self::Provider, Self::Area, Self::Url, Self::Email, Self::Telephone, Self::ContactPoint, Self::Channel, Self::Address];

    /// The property this link reads.
    const fn predicate(self) -> NamedNodeRef<'static> {
        match self {
            Self::Provider => schema::PROVIDER,
            Self::Area => schema::AREA_SERVED,
            Self::Url => schema::URL,
            Self::Email => schema::EMAIL,
            Self::Telephone => schema::TELEPHONE,
            Self::ContactPoint => schema::CONTACT_POINT,
            Self::Channel => schema::AVAILABLE_CHANNEL,
            Self::Address => schema::ADDRESS,
        }
    }

    /// Whether the link's value is another resource (a provider, an area), not a value or a
    /// blank node of the resource's own.
    const fn names_a_resource(self) -> bool {
        matches!(self, Self::Provider | Self::Area)
    }

    fn of(predicate: NamedNodeRef<'_>) -> Option<Self> {
        Self::ALL.into_iter().find(|link| link.predicate() == predicate)
    }
}

/// Whether a [`Contact`] shows the statements of `predicate`, so that a page need not list them
/// again.
pub fn covers(predicate: &str) -> bool {
    Link::ALL.iter().any(|link| link.predicate().as_str() == predicate)
}

/// A provider as a contact uses it: its name, and its own ways to be reached.
struct Provider {
    linked: Linked,
    own: Contact,
}

/// Reads contacts from the store, remembering the providers and areas many resources share.
struct Reader<'s> {
    store: &'s StoreView,
    providers: HashMap<NamedNode, Rc<Provider>>,
    areas: HashMap<NamedNode, Rc<Area>>,
}

/// The statements of one resource a contact is read from, its providers and areas already
/// read (shared by every resource that names them, so that a million offers hold a pointer each).
#[derive(Default)]
struct Statements {
    providers: Vec<Rc<Provider>>,
    areas: Vec<Rc<Area>>,
    own: Vec<(Link, Term)>,
}

impl<'s> Reader<'s> {
    fn new(store: &'s StoreView) -> Self {
        Self { store, providers: HashMap::new(), areas: HashMap::new() }
    }

    /// The statements of `subject` that a contact is read from.
    fn statements_of(&self, subject: NamedOrBlankNodeRef<'_>) -> Result<Vec<(Link, Term)>, StoreError> {
        let mut statements = Vec::new();
        for quad in self.store.quads_for_pattern(Some(subject), None, None, None) {
            let quad = quad?;
            if let Some(link) = Link::of(quad.predicate.as_ref()) {
                statements.push((link, quad.object));
            }
        }
        Ok(statements)
    }

    /// The contact of a resource with these statements: its own, its providers and areas, and
    /// its providers' website, phones and e-mail where it has none.
    fn contact(&self, statements: &Statements) -> Result<Contact, StoreError> {
        let mut contact = self.own(&statements.own)?;
        let providers = &statements.providers;
        contact.providers = providers.iter().map(|provider| provider.linked.clone()).collect();
        contact.areas = statements.areas.iter().map(|area| Area::clone(area)).collect();
        let points = &contact.contact_points;
        let reachable_by_phone = !contact.phones.is_empty() || points.iter().any(|point| !point.phones.is_empty());
        let reachable_by_email = !contact.emails.is_empty() || points.iter().any(|point| !point.emails.is_empty());
        if contact.urls.is_empty() {
            contact.urls = providers.iter().flat_map(|provider| provider.own.urls.iter().cloned()).collect();
            if !contact.urls.is_empty() {
                contact.from_provider.push(Field::Website);
            }
        }
        if !reachable_by_phone {
            contact.phones = providers.iter().flat_map(|provider| provider.own.phones.iter().cloned()).collect();
            if !contact.phones.is_empty() {
                contact.from_provider.push(Field::Phone);
            }
        }
        if !reachable_by_email {
            contact.emails = providers.iter().flat_map(|provider| provider.own.emails.iter().cloned()).collect();
            if !contact.emails.is_empty() {
                contact.from_provider.push(Field::Email);
            }
        }
        contact.settle();
        Ok(contact)
    }

    /// Adds a statement of a resource: a provider or an area as the shared one, anything else as
    /// it is.
    fn add(&mut self, statements: &mut Statements, link: Link, object: Term) -> Result<(), StoreError> {
        match (link, object) {
            (Link::Provider, Term::NamedNode(provider)) => statements.providers.push(self.provider(&provider)?),
            (Link::Area, Term::NamedNode(area)) => statements.areas.push(self.area(&area)?),
            (Link::Provider | Link::Area, _) => {}
            (link, object) => statements.own.push((link, object)),
        }
        Ok(())
    }

    /// The ways to reach a resource that its own statements give: all but providers and areas.
    fn own(&self, statements: &[(Link, Term)]) -> Result<Contact, StoreError> {
        let mut contact = Contact::default();
        for (link, object) in statements {
            match link {
                Link::Url => contact.urls.extend(web_address(object)),
                Link::Email => contact.emails.extend(email(object)),
                Link::Telephone => contact.phones.extend(phone(object, None)),
                Link::ContactPoint => self.contact_point(object, &mut contact)?,
                Link::Channel => self.channel(object, &mut contact)?,
                Link::Address => contact.addresses.extend(self.address(object, None)?),
                Link::Provider | Link::Area => {}
            }
        }
        Ok(contact)
    }

    fn provider(&mut self, iri: &NamedNode) -> Result<Rc<Provider>, StoreError> {
        if let Some(provider) = self.providers.get(iri) {
            return Ok(Rc::clone(provider));
        }
        let mut own = self.own(&self.statements_of(iri.as_ref().into())?)?;
        own.settle();
        let linked = Linked { iri: iri.as_str().to_owned(), label: self.label(iri)? };
        let provider = Rc::new(Provider { linked, own });
        self.providers.insert(iri.clone(), Rc::clone(&provider));
        Ok(provider)
    }

    fn area(&mut self, iri: &NamedNode) -> Result<Rc<Area>, StoreError> {
        if let Some(area) = self.areas.get(iri) {
            return Ok(Rc::clone(area));
        }
        let mut kind = None;
        for quad in self.store.quads_for_pattern(Some(iri.as_ref().into()), Some(rdf::TYPE), None, None) {
            if let Term::NamedNode(class) = quad?.object {
                kind = kind.or(AreaKind::of_class(class.as_str()));
            }
        }
        let area = Rc::new(Area { iri: iri.as_str().to_owned(), label: self.label(iri)?, kind });
        self.areas.insert(iri.clone(), Rc::clone(&area));
        Ok(area)
    }

    /// A schema:ContactPoint: a contact point when it has a name or a role, otherwise (an HSDS
    /// phone) its phones and e-mail addresses are the resource's own.
    fn contact_point(&self, node: &Term, contact: &mut Contact) -> Result<(), StoreError> {
        let Some(properties) = self.properties(node)? else { return Ok(()) };
        let description = properties.text(schema::DESCRIPTION);
        let mut point = ContactPoint {
            name: properties.text(schema::NAME),
            roles: properties.texts(schema::CONTACT_TYPE),
            phones: properties
                .objects(Link::Telephone.predicate())
                .filter_map(|number| phone(number, description.clone()))
                .collect(),
            emails: properties.objects(Link::Email.predicate()).filter_map(email).collect(),
        };
        if point.name.is_none() && point.roles.is_empty() {
            contact.phones.append(&mut point.phones);
            contact.emails.append(&mut point.emails);
        } else {
            contact.contact_points.push(point);
        }
        Ok(())
    }

    /// A schema:ServiceChannel: its phones, its web address and the address of its place.
    fn channel(&self, node: &Term, contact: &mut Contact) -> Result<(), StoreError> {
        let Some(channel) = self.properties(node)? else { return Ok(()) };
        for point in channel.objects(schema::SERVICE_PHONE) {
            self.contact_point(point, contact)?;
        }
        contact.urls.extend(channel.objects(schema::SERVICE_URL).filter_map(web_address));
        for place in channel.objects(schema::SERVICE_LOCATION) {
            let Some(place) = self.properties(place)? else { continue };
            let name = place.text(schema::NAME);
            contact.phones.extend(place.objects(Link::Telephone.predicate()).filter_map(|number| phone(number, None)));
            for address in place.objects(Link::Address.predicate()) {
                contact.addresses.extend(self.address(address, name.clone())?);
            }
        }
        Ok(())
    }

    /// A schema:PostalAddress (or an address written as text) as one line.
    fn address(&self, node: &Term, place: Option<String>) -> Result<Option<Address>, StoreError> {
        let line = match node {
            Term::Literal(literal) => literal.value().trim().to_owned(),
            _ => match self.properties(node)? {
                Some(address) => {
                    let town = [address.text(schema::POSTAL_CODE), address.text(schema::ADDRESS_LOCALITY)];
                    let town = town.into_iter().flatten().collect::<Vec<_>>().join(" ");
                    let parts = [address.text(schema::STREET_ADDRESS), Some(town)];
                    parts.into_iter().flatten().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(", ")
                }
                None => String::new(),
            },
        };
        Ok((!line.is_empty()).then_some(Address { line, place }))
    }

    /// The statements about a node (a blank node or a resource), or `None` for a literal.
    fn properties(&self, node: &Term) -> Result<Option<Properties>, StoreError> {
        let subject = match node {
            Term::NamedNode(node) => NamedOrBlankNodeRef::from(node),
            Term::BlankNode(node) => NamedOrBlankNodeRef::from(node),
            _ => return Ok(None),
        };
        let statements = self
            .store
            .quads_for_pattern(Some(subject), None, None, None)
            .map(|quad| quad.map(|quad| (quad.predicate, quad.object)))
            .collect::<Result<_, _>>()?;
        Ok(Some(Properties(statements)))
    }

    /// The Dutch label of a resource (or any label), or the last segment of its IRI.
    fn label(&self, iri: &NamedNode) -> Result<String, StoreError> {
        let mut best: Option<(bool, String)> = None;
        for predicate in [skos::PREF_LABEL, rdfs::LABEL, schema::NAME] {
            for quad in self.store.quads_for_pattern(Some(iri.as_ref().into()), Some(predicate), None, None) {
                if let Term::Literal(literal) = quad?.object {
                    let dutch = literal.language() == Some("nl");
                    if best.as_ref().is_none_or(|(found_dutch, _)| dutch && !found_dutch) {
                        best = Some((dutch, literal.value().to_owned()));
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        Ok(best.map_or_else(|| last_segment(iri.as_str()).to_owned(), |(_, label)| label))
    }
}

/// What a node says, as (property, value) pairs.
struct Properties(Vec<(NamedNode, Term)>);

impl Properties {
    fn objects<'a>(&'a self, predicate: NamedNodeRef<'a>) -> impl Iterator<Item = &'a Term> {
        self.0.iter().filter(move |(known, _)| known.as_ref() == predicate).map(|(_, object)| object)
    }

    fn texts(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        self.objects(predicate).filter_map(text).collect()
    }

    /// The Dutch text (or any) of a property.
    fn text(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        let literals = self.objects(predicate).filter_map(|object| match object {
            Term::Literal(literal) if !literal.value().trim().is_empty() => Some(literal),
            _ => None,
        });
        let best = literals.min_by_key(|literal| {
            let language = literal.language();
            (language != Some("nl"), language.is_some(), literal.value())
        });
        best.map(|literal| literal.value().trim().to_owned())
    }
}

fn text(object: &Term) -> Option<String> {
    match object {
        Term::Literal(literal) => Some(literal.value().trim().to_owned()).filter(|text| !text.is_empty()),
        _ => None,
    }
}

/// The value of a literal or the IRI of a resource.
fn value(object: &Term) -> Option<&str> {
    match object {
        Term::Literal(literal) => Some(literal.value()),
        Term::NamedNode(node) => Some(node.as_str()),
        _ => None,
    }
}

fn web_address(object: &Term) -> Option<String> {
    let address = value(object)?.trim();
    let scheme = address.split_once(':')?.0;
    let is_web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    (is_web && address.len() > scheme.len() + 3).then(|| address.to_owned())
}

/// An e-mail address, written as text or as a `mailto:` IRI.
fn email(object: &Term) -> Option<String> {
    let address = value(object)?.trim();
    let address = address.strip_prefix("mailto:").unwrap_or(address);
    address.contains('@').then(|| address.to_owned())
}

/// A phone number, written as text or as a `tel:` IRI.
fn phone(object: &Term, description: Option<String>) -> Option<Phone> {
    let number = value(object)?.trim();
    let number = number.strip_prefix("tel:").unwrap_or(number).trim();
    (!number.is_empty()).then(|| Phone { number: number.to_owned(), description })
}

fn last_segment(iri: &str) -> &str {
    iri.trim_end_matches(['/', '#']).rsplit(['/', '#']).next().unwrap_or(iri)
}
