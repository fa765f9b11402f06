//! The web pages, in Dutch, rendered on the server with maud and usable without JavaScript:
//! the layout, the home page, the SPARQL query page with example queries that run, and a page
//! for every resource (its facts, what links to it, what serves a place, its sources and its
//! machine formats). The search results page is in `search_page`.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use oxigraph::model::{BlankNode, NamedOrBlankNode, Term, Triple, vocab::rdf};

use super::work::Work;
use super::{ApiError, AppState};
use crate::catalog::contact::{self, Contact, ContactPoint, FROM_PROVIDER_NOTE, Field, Phone};
use crate::catalog::{self, Listed};
use crate::publish::linked_data::{Document, DocumentFormat, PublicBase};
use crate::rdf::vocab::{self, dct, kr, schema, skos};
use crate::reconcile::Candidate;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}\
textarea{width:100%;font-family:monospace;font-size:.95rem}\
button{font-size:1rem;padding:.4rem 1rem}\
pre{background:#f4f4f4;padding:.5rem;overflow:auto}\
a{color:#0b5394}\
code,a,dd{overflow-wrap:anywhere}\
input,select{max-width:100%;font-size:1rem}\
dt{font-weight:600;margin-top:.5rem}\
.soort{color:#444;margin-top:-.5rem}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}";

/// Example queries shown on the query page: (title, query).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Thema's met hun Nederlandse naam",
        "SELECT ?thema ?naam WHERE {\n  ?thema a kr:Theme ; skos:prefLabel ?naam .\n  FILTER(lang(?naam) = \"nl\")\n} ORDER BY ?naam",
    ),
    (
        "GGD-regio en provincie van Aalsmeer",
        "SELECT ?gemeente ?ggd ?provincie WHERE {\n  ?g dct:identifier \"GM0358\" ; skos:prefLabel ?gemeente ;\n     schema:containedInPlace ?r, ?p .\n  ?r a kr:GGDRegion ; skos:prefLabel ?ggd .\n  ?p a kr:Province ; skos:prefLabel ?provincie .\n  FILTER(lang(?gemeente) = \"nl\" && lang(?ggd) = \"nl\" && lang(?provincie) = \"nl\")\n}",
    ),
    (
        "Aanbod in de GGD-regio van postcode 1431",
        "SELECT ?aanbod ?naam ?aanbieder WHERE {\n  ?pc dct:identifier \"1431\" ; schema:containedInPlace ?gemeente .\n  ?gemeente schema:containedInPlace ?regio .\n  ?aanbod a kr:Offer ; schema:areaServed ?regio ; skos:prefLabel ?naam ;\n          schema:provider/skos:prefLabel ?aanbieder .\n  FILTER(lang(?naam) = \"nl\" && lang(?aanbieder) = \"nl\")\n}",
    ),
    (
        "Instrumenten per thema",
        "SELECT ?themanaam ?instrumentnaam WHERE {\n  ?instrument a kr:Tool ; kr:theme ?thema ; skos:prefLabel ?instrumentnaam .\n  ?thema skos:prefLabel ?themanaam . FILTER(lang(?themanaam) = \"nl\" && lang(?instrumentnaam) = \"nl\")\n} ORDER BY ?themanaam",
    ),
    (
        "Aantal gemeenten, GGD-regio's en provincies",
        "SELECT ?soort (COUNT(?r) AS ?aantal) WHERE {\n  VALUES ?soort { kr:Municipality kr:GGDRegion kr:Province }\n  ?r a ?soort .\n} GROUP BY ?soort",
    ),
];

/// Dutch names of the properties a page shows: (prefixed name by [`vocab::PREFIXES`], or the
/// IRI where kansrijk declares no prefix; as a fact of the resource; as a link to it). Every schema.org, SKOS, DCTERMS, OWL, RDFS, PROV and VANN term kansrijk's data uses has
/// one; a kr: term without one is named by the ontology's Dutch `rdfs:label`. A link without a
/// name of its own is the fact's name with "(verwijzing)".
const PROPERTIES: &[(&str, &str, Option<&str>)] = &[
    ("schema:provider", Field::Provider.label(), Some("Aanbod van deze organisatie")),
    ("schema:areaServed", Field::Area.label(), Some("Aanbod en organisaties in dit gebied")),
    ("schema:spatialCoverage", "Geldt voor gebied", Some("Hulpmiddelen en informatie voor dit gebied")),
    ("schema:url", Field::Website.label(), Some("Website van")),
    ("schema:email", Field::Email.label(), None),
    ("schema:telephone", Field::Phone.label(), None),
    ("schema:contactPoint", Field::ContactPoint.label(), None),
    ("schema:address", Field::Address.label(), None),
    ("schema:availableChannel", "Bereikbaar via", None),
    ("schema:serviceLocation", "Locatie", None),
    ("schema:servicePhone", Field::Phone.label(), None),
    ("schema:serviceUrl", Field::Website.label(), None),
    ("schema:contactType", "Functie", None),
    ("schema:streetAddress", "Straat en huisnummer", None),
    ("schema:postalCode", "Postcode", None),
    ("schema:addressLocality", "Plaats", None),
    ("schema:addressRegion", "Provincie", None),
    ("schema:addressCountry", "Land", None),
    ("schema:latitude", "Breedtegraad", None),
    ("schema:longitude", "Lengtegraad", None),
    ("schema:audience", "Doelgroep", None),
    ("schema:suggestedMinAge", "Vanaf leeftijd", None),
    ("schema:suggestedMaxAge", "Tot en met leeftijd", None),
    ("schema:availableLanguage", "Taal", None),
    ("schema:name", "Naam", None),
    ("schema:description", "Beschrijving", None),
    ("schema:encodingFormat", "Bestandsformaat", None),
    ("schema:author", "Auteur", Some("Geschreven door deze organisatie")),
    ("schema:datePublished", "Verschenen", None),
    ("schema:minValue", "Minimumwaarde", None),
    ("schema:domainIncludes", "Bij klasse", Some("Eigenschappen")),
    ("schema:rangeIncludes", "Waarde van klasse", Some("Waarde van")),
    ("schema:containedInPlace", "Ligt in", Some("Gebieden hierin")),
    ("schema:publisher", "Uitgever", Some("Uitgegeven door deze organisatie")),
    ("schema:parentOrganization", "Onderdeel van", Some("Onderdelen")),
    ("schema:funder", "Financier", Some("Gefinancierd door deze organisatie")),
    ("schema:about", "Over", Some("Wat hierover gaat")),
    ("schema:hasPart", "Bevat", Some("Onderdeel van")),
    ("schema:contentLocation", "Plaats", Some("Wat hier speelt")),
    ("schema:value", "Waarde", Some("Waarde van")),
    ("schema:unitText", "Eenheid", Some("Eenheid van")),
    ("schema:inLanguage", "Taal", Some("Taal van")),
    ("schema:isAccessibleForFree", "Gratis", Some("Gratis")),
    ("rdf:type", "Soort", Some("Voorbeelden")),
    ("rdfs:label", "Naam", None),
    ("rdfs:comment", "Toelichting", None),
    ("rdfs:domain", "Domein", Some("Eigenschappen")),
    ("rdfs:range", "Bereik", Some("Waarde van")),
    ("rdfs:isDefinedBy", "Gedefinieerd in", Some("Termen in deze ontologie")),
    ("rdfs:seeAlso", "Zie ook", Some("Genoemd bij")),
    ("rdfs:subClassOf", "Subklasse van", Some("Subklassen")),
    ("rdfs:subPropertyOf", "Subeigenschap van", Some("Subeigenschappen")),
    ("skos:prefLabel", "Naam", None),
    ("skos:altLabel", "Ook bekend als", None),
    ("skos:hiddenLabel", "Zoekterm", None),
    ("skos:broader", "Breder begrip", Some("Smallere begrippen")),
    ("skos:narrower", "Smaller begrip", Some("Bredere begrippen")),
    ("skos:related", "Verwant", Some("Verwant")),
    ("skos:inScheme", "Begrippenlijst", Some("Begrippen")),
    ("skos:hasTopConcept", "Hoofdbegrip", Some("Hoofdbegrip van")),
    ("skos:topConceptOf", "Hoofdbegrip van", Some("Hoofdbegrippen")),
    ("dct:identifier", "Code", Some("Code van")),
    ("dct:source", "Bron", Some("Gegevens uit deze bron")),
    ("dct:publisher", "Uitgever", Some("Uitgegeven door deze organisatie")),
    ("dct:creator", "Maker", Some("Gemaakt door deze organisatie")),
    ("dct:title", "Titel", Some("Titel van")),
    ("dct:description", "Beschrijving", None),
    ("dct:issued", "Verschenen", Some("Verschenen")),
    ("dct:license", "Licentie", Some("Licentie van")),
    ("dct:conformsTo", "Volgt de standaard", Some("Bestanden volgens deze standaard")),
    ("owl:sameAs", "Zelfde als", Some("Zelfde als")),
    ("skos:exactMatch", "Komt overeen met", Some("Komt overeen met")),
    ("owl:versionInfo", "Versie", None),
    ("prov:wasGeneratedBy", "Gemaakt door", Some("Heeft gemaakt")),
    ("prov:wasDerivedFrom", "Afgeleid van", Some("Bron van")),
    ("prov:wasAssociatedWith", "Uitgevoerd door", Some("Heeft uitgevoerd")),
    ("prov:used", "Gebruikte", Some("Gebruikt door")),
    ("prov:endedAtTime", "Afgerond op", None),
    ("http://purl.org/vocab/vann/preferredNamespacePrefix", "Voorkeursvoorvoegsel", None),
    ("http://purl.org/vocab/vann/preferredNamespaceUri", "Naamruimte", None),
    ("kr:theme", "Thema", Some("Instrumenten, aanbod en kennis bij dit thema")),
    ("kr:riskFactor", "Risicofactor", Some("Hoort bij")),
    ("kr:protectiveFactor", "Beschermende factor", Some("Hoort bij")),
    ("kr:forRole", "Voor", Some("Voor deze rol")),
    ("kr:forPhase", "Fase", Some("Voor deze fase")),
    ("kr:implements", "Voert uit", Some("Uitgevoerd als")),
    ("kr:partOfProgramme", "Onderdeel van programma", Some("Onderdelen")),
    ("kr:figure", "Cijfer", Some("Cijfer bij")),
    ("kr:measures", "Meet", Some("Gemeten door")),
    ("kr:describes", "Beschrijft", Some("Beschreven in")),
    ("kr:referTo", "Verwijzen naar", Some("Verwezen vanuit")),
    ("kr:everydayName", "Ook bekend als", Some("Ook bekend als")),
];

/// Shown elsewhere on the page, or (hidden labels) not meant for people.
const NOT_LISTED: &[&str] = &[
    rdf::TYPE.as_str(),
    skos::PREF_LABEL.as_str(),
    skos::ALT_LABEL.as_str(),
    skos::HIDDEN_LABEL.as_str(),
    schema::DESCRIPTION.as_str(),
    dct::SOURCE.as_str(),
];

/// How deep a page follows blank nodes inside blank nodes (a contact point's phone, a place's
/// address): the HSDS mapping nests three deep, and a cycle of blank nodes must end.
const BLANK_NODE_DEPTH: usize = 4;

pub fn layout(title: &str, json_ld: Option<&serde_json::Value>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="nl" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – kansrijk" }
                style { (PreEscaped(STYLE)) }
                @if let Some(json_ld) = json_ld {
                    // "</" inside a script element would end it early.
                    script type="application/ld+json" { (PreEscaped(json_ld.to_string().replace("</", "<\\/"))) }
                }
            }
            body {
                header {
                    nav aria-label="Hoofdmenu" { a href="/" { "kansrijk" } " · " a href="/zoeken" { "Zoeken" } " · " a href="/sparql" { "SPARQL" } " · " a href="/over" { "Over" } }
                }
                main { (main) }
                footer {
                    p { "Gegevens: factsheet Kansrijke Start voor de Huisartsenpraktijk (VWS, juni 2026) en CBS." }
                }
            }
        }
    }
}

/// The search form, on the home page and above the results.
pub fn search_form(question: &str) -> Markup {
    html! {
        form method="get" action="/zoeken" role="search" {
            label for="vraag" { "Uw vraag" }
            " "
            input id="vraag" name="q" type="search" value=(question) size="40" placeholder="bijv. aanbod voor tienerzwangerschap in Aalsmeer";
            " "
            button type="submit" { "Zoeken" }
        }
    }
}

pub async fn home(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    let snapshot = state.knowledge.snapshot();
    let themes = state.workers.run(Work::Read, move || catalog::themes(&snapshot.store)).await??;
    let main = html! {
        h1 { "Kansrijke Start in de huisartsenpraktijk" }
        p {
            "Wat kunt u doen voor (aanstaande) ouders in een kwetsbare situatie, en welk aanbod is er in hun gemeente? "
            "Stel uw vraag zoals u die zou typen: met een thema, een plaats of een postcode."
        }
        (search_form(""))
        section aria-labelledby="themas" {
            h2 id="themas" { "Thema's" }
            ul class="themas" {
                @for theme in &themes { li { a href=(href(&theme.iri)) { (theme.label) } } }
            }
        }
        p { "Voor programma's: het " a href="/sparql" { "SPARQL-eindpunt" } ", de " a href="/.well-known/void" { "datasetbeschrijving" } " en de " a href="/reconcile" { "reconciliatie-API" } "." }
    };
    Ok(Html(layout("Kansrijke Start", None, main).into_string()))
}

pub fn query_page() -> Response {
    let main = html! {
        h1 { "SPARQL-eindpunt" }
        p {
            "Dit eindpunt volgt het SPARQL 1.1 Protocol: " code { "GET /sparql?query=…" } ", " code { "POST" }
            " als formulier of als " code { "application/sparql-query" } ". De standaardgraaf is de vereniging van alle benoemde grafen. "
            "De voorvoegsels kr, schema, skos, dct, prov, owl, rdf, rdfs, xsd, void en dcat zijn al bekend."
        }
        @for (index, (title, query)) in EXAMPLES.iter().enumerate() {
            section {
                h2 id={ "voorbeeld-" (index) } { (title) }
                form method="get" action="/sparql" aria-labelledby={ "voorbeeld-" (index) } {
                    label for={ "query-" (index) } class="visually-hidden" { "Zoekvraag" }
                    textarea id={ "query-" (index) } name="query" rows="7" { (query) }
                    p {
                        label for={ "format-" (index) } { "Formaat" } " "
                        select id={ "format-" (index) } name="format" {
                            option value="json" { "JSON" } option value="xml" { "XML" } option value="csv" { "CSV" } option value="tsv" { "TSV" }
                        }
                        " " button type="submit" { "Uitvoeren" }
                    }
                }
            }
        }
    };
    Html(layout("SPARQL", None, main).into_string()).into_response()
}

/// Where a link to `iri` points: kansrijk's own IRIs stay on this server.
pub fn href(iri: &str) -> String {
    match iri.strip_prefix(vocab::BASE) {
        Some(path) => format!("/{path}"),
        None => iri.to_owned(),
    }
}

/// Whether a link to `iri` can be followed in a browser: kansrijk's own IRIs and web addresses
/// (an IRI in the data may have any scheme, `javascript:` too).
fn is_web_address(iri: &str) -> bool {
    iri.split_once(':').is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
}

/// The Dutch names of a property: as a fact of the resource, and as a link to it.
fn property_names(document: &Document, iri: &str) -> (String, String) {
    let compact = vocab::compact(iri);
    let (name, inverse) = match PROPERTIES.iter().find(|(property, ..)| *property == compact) {
        Some((_, name, inverse)) => ((*name).to_owned(), inverse.map(str::to_owned)),
        None => (document.label_of(iri).map_or_else(|| words(local_name(iri)), capitalised), None),
    };
    let inverse = inverse.unwrap_or_else(|| format!("{name} (verwijzing)"));
    (name, inverse)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A term's local name as words, for a property no table names: `healthCondition` → "Health
/// condition".
fn words(local_name: &str) -> String {
    let mut words = String::new();
    for char in local_name.chars() {
        if char.is_uppercase() && !words.is_empty() {
            words.push(' ');
            words.extend(char.to_lowercase());
        } else {
            words.push(if char == '_' { ' ' } else { char });
        }
    }
    capitalised(&words)
}

fn local_name(iri: &str) -> &str {
    iri.trim_end_matches(['/', '#']).rsplit(['/', '#']).next().unwrap_or(iri)
}

/// What a page calls a resource: its label; for a vocabulary term without one its prefixed
/// name (`schema:Service`); for one of kansrijk's IRIs its last segment; for anything else its
/// address, which is a web page.
fn display_name(document: &Document, iri: &str) -> String {
    if let Some(label) = document.label_of(iri) {
        return label.to_owned();
    }
    let prefixed = vocab::PREFIXES.iter().find_map(|(prefix, namespace)| {
        iri.strip_prefix(namespace).filter(|local| !local.is_empty()).map(|local| format!("{prefix}:{local}"))
    });
    match prefixed {
        Some(prefixed) => prefixed,
        None if iri.starts_with(vocab::BASE) => local_name(iri).to_owned(),
        None => iri.to_owned(),
    }
}

/// A resource by its name, linked when a browser can follow the link.
fn link(document: &Document, iri: &str) -> Markup {
    let name = display_name(document, iri);
    html! {
        @if is_web_address(iri) { a href=(href(iri)) { (name) } } @else { (name) }
    }
}

/// A value of a statement: a resource linked by its name, a literal as it is, and a blank node
/// (or a quoted triple) by what it says, `depth` levels into blank nodes.
fn value(document: &Document, term: &Term, depth: usize) -> Markup {
    match term {
        Term::NamedNode(node) => link(document, node.as_str()),
        Term::Literal(literal) => html! { (literal.value()) },
        Term::BlankNode(blank) => blank_content(document, blank, depth),
        Term::Triple(triple) => {
            let subject = Term::from(triple.subject.clone());
            html! {
                "«" (value(document, &subject, depth + 1)) " "
                (property_names(document, triple.predicate.as_str()).0.to_lowercase()) " "
                (value(document, &triple.object, depth + 1)) "»"
            }
        }
    }
}

/// A blank node shown by its statements, each with its Dutch name ("Beschrijving: …; Vanaf
/// leeftijd: 12").
fn blank_content(document: &Document, blank: &BlankNode, depth: usize) -> Markup {
    let facts = by_property(document.about(blank.as_ref().into()).filter(|triple| triple.predicate != rdf::TYPE));
    if facts.is_empty() || depth >= BLANK_NODE_DEPTH {
        return html! { "(geen verdere gegevens)" };
    }
    html! {
        @for (index, (property, triples)) in facts.iter().enumerate() {
            @if index > 0 { "; " }
            (property_names(document, property).0) ": "
            @for (position, triple) in triples.iter().enumerate() {
                @if position > 0 { ", " }
                (value(document, &triple.object, depth + 1))
            }
        }
    }
}

/// What a resource's page tells to act on it: its contact fields, each with its Dutch name
/// ([`Field::label`]), phones as `tel:` and e-mail addresses as `mailto:` links, websites,
/// providers and areas as links. Also shown beside search results.
pub fn contact_fields(contact: &Contact) -> Markup {
    html! {
        dl class="contact" {
            @for field in Field::ALL {
                @let values = contact_values(contact, field);
                @if !values.is_empty() {
                    dt { (field.label()) }
                    @for value in values { dd { (value) } }
                }
            }
        }
    }
}

fn contact_values(contact: &Contact, field: Field) -> Vec<Markup> {
    let values: Vec<Markup> = match field {
        Field::Provider => contact.providers.iter().map(|provider| linked(&provider.iri, &provider.label)).collect(),
        Field::Website => contact.urls.iter().map(|url| html! { a href=(url) { (url) } }).collect(),
        Field::Phone => contact.phones.iter().map(phone).collect(),
        Field::Email => contact.emails.iter().map(|address| email(address)).collect(),
        Field::Address => contact
            .addresses
            .iter()
            .map(|address| html! { @if let Some(place) = &address.place { (place) ", " } (address.line) })
            .collect(),
        Field::ContactPoint => contact.contact_points.iter().map(contact_point).collect(),
        Field::Area => contact
            .areas
            .iter()
            .map(|area| {
                html! { (linked(&area.iri, &area.label)) @if let Some(kind) = area.kind { " (" (kind.label()) ")" } }
            })
            .collect(),
    };
    if !contact.from_provider.contains(&field) {
        return values;
    }
    values.into_iter().map(|value| html! { (value) " (" (FROM_PROVIDER_NOTE) ")" }).collect()
}

fn linked(iri: &str, label: &str) -> Markup {
    html! { a href=(href(iri)) { (label) } }
}

fn phone(phone: &Phone) -> Markup {
    html! {
        @match phone.uri() {
            Some(uri) => a href=(uri) { (phone.number) },
            None => (phone.number),
        }
        @if let Some(description) = &phone.description { " – " (description) }
    }
}

fn email(address: &str) -> Markup {
    html! { a href={ "mailto:" (address) } { (address) } }
}

fn contact_point(point: &ContactPoint) -> Markup {
    let name = point.name.iter().chain(&point.roles).map(String::as_str).collect::<Vec<_>>();
    html! {
        (name.first().copied().unwrap_or_default())
        @if name.len() > 1 { " (" (name[1..].join(", ")) ")" }
        @for number in &point.phones { ", " (phone(number)) }
        @for address in &point.emails { ", " (email(address)) }
    }
}

fn subject_link(document: &Document, subject: &NamedOrBlankNode) -> Markup {
    value(document, &Term::from(subject.clone()), 0)
}

/// Groups statements by property, keeping the order in which properties first appear.
fn by_property<'a>(triples: impl Iterator<Item = &'a Triple>) -> Vec<(&'a str, Vec<&'a Triple>)> {
    let mut groups: Vec<(&str, Vec<&Triple>)> = Vec::new();
    for triple in triples {
        let property = triple.predicate.as_str();
        match groups.iter_mut().find(|(name, _)| *name == property) {
            Some((_, members)) => members.push(triple),
            None => groups.push((property, vec![triple])),
        }
    }
    groups
}

/// The page of one resource: what it is, how to reach it, its facts, what links to it and its
/// sources. `covering` lists what serves a place; `contact` is what the graph knows to act on it.
pub fn resource(document: &Document, base: &PublicBase, path: &str, covering: &[Listed], contact: &Contact) -> Html<String> {
    let label = document.label().map_or_else(|| display_name(document, document.subject.as_str()), str::to_owned);
    let label = label.as_str();
    let kinds: Vec<&str> = document
        .outgoing()
        .filter(|triple| triple.predicate == rdf::TYPE)
        .filter_map(|triple| match &triple.object {
            Term::NamedNode(class) => document.label_of(class.as_str()),
            _ => None,
        })
        .collect();
    let also_known_as: Vec<&str> = document
        .outgoing()
        .filter(|triple| triple.predicate == skos::ALT_LABEL)
        .filter_map(|triple| match &triple.object {
            Term::Literal(literal) if literal.language() == Some("nl") => Some(literal.value()),
            _ => None,
        })
        .collect();
    let is_theme = document.has_type(kr::THEME_CLASS.as_str());
    let listed = |predicate: &str| !NOT_LISTED.contains(&predicate) && !contact::covers(predicate);
    let facts = by_property(document.outgoing().filter(|triple| listed(triple.predicate.as_str())));
    // A blank node that points here cannot be linked to, and its document is another resource's.
    let links =
        by_property(document.incoming().filter(|triple| triple.subject.is_named_node() && triple.predicate != dct::SOURCE));
    let sources: Vec<&Triple> = document.outgoing().filter(|triple| triple.predicate == dct::SOURCE).collect();
    let sourced: Vec<&Triple> =
        document.incoming().filter(|triple| triple.subject.is_named_node() && triple.predicate == dct::SOURCE).collect();
    let fact_name = |property: &str| property_names(document, property).0;
    let link_name = |property: &str| property_names(document, property).1;
    let main = html! {
        article {
            h1 { (label) }
            @if !kinds.is_empty() { p class="soort" { (kinds.join(", ")) } }
            @if let Some(description) = document.description() { p { (description) } }
            @if !also_known_as.is_empty() { p { (fact_name(skos::ALT_LABEL.as_str())) ": " (also_known_as.join(", ")) } }
            @if !contact.is_empty() {
                section aria-labelledby="contact" {
                    h2 id="contact" { "Contact" }
                    (contact_fields(contact))
                }
            }
            @if !facts.is_empty() {
                section aria-labelledby="gegevens" {
                    h2 id="gegevens" { "Gegevens" }
                    dl {
                        @for (property, triples) in &facts {
                            dt { (fact_name(property)) }
                            @for triple in triples { dd { (value(document, &triple.object, 0)) } }
                        }
                    }
                }
            }
            @for (index, (property, triples)) in links.iter().enumerate() {
                section aria-labelledby={ "verwijzingen-" (index) } {
                    h2 id={ "verwijzingen-" (index) } { (link_name(property)) }
                    ul { @for triple in triples { li { (subject_link(document, &triple.subject)) } } }
                }
            }
            @if !covering.is_empty() {
                section aria-labelledby="dekkend-aanbod" {
                    h2 id="dekkend-aanbod" { "Aanbod, programma's en instrumenten voor " (label) }
                    ul {
                        @for item in covering {
                            li { a href=(href(&item.iri)) { (item.label) } " (" (item.kind) @if let Some(area) = &item.area { ", werkgebied: " (area) } ")" }
                        }
                    }
                }
            }
            @if is_theme {
                section aria-labelledby="zoek-bij-thema" {
                    h2 id="zoek-bij-thema" { "Aanbod bij dit thema in uw gemeente" }
                    form method="get" action="/zoeken" {
                        input type="hidden" name="q" value=(label);
                        label for="plaats" { "Gemeente of postcode" }
                        " "
                        input id="plaats" name="plaats" type="text" size="24" placeholder="bijv. Aalsmeer of 1431";
                        " "
                        button type="submit" { "Zoek aanbod" }
                    }
                }
            }
            @if !sources.is_empty() {
                section aria-labelledby="bronnen" {
                    h2 id="bronnen" { "Bronnen" }
                    ul { @for triple in &sources { li { (value(document, &triple.object, 0)) } } }
                }
            }
            @if !sourced.is_empty() {
                section aria-labelledby="uit-deze-bron" {
                    h2 id="uit-deze-bron" { "Gegevens uit deze bron" }
                    ul { @for triple in &sourced { li { (subject_link(document, &triple.subject)) } } }
                }
            }
            section aria-labelledby="formaten" {
                h2 id="formaten" { "Voor programma's" }
                p {
                    "IRI: " code { (base.publish(document.subject.as_str())) } ". Ook als "
                    @for (index, format) in DocumentFormat::ALL.iter().enumerate() {
                        @if index > 0 { ", " }
                        a href={ "/" (path) "." (format.extension()) } type=(format.media_type()) { (format.extension()) }
                    }
                    "."
                }
            }
        }
    };
    Html(layout(label, Some(&document.json_ld(base)), main).into_string())
}

pub async fn about() -> Html<String> {
    let main = html! {
        h1 { "Over kansrijk" }
        p {
            "kansrijk maakt de kennis uit de factsheet " em { "Kansrijke Start voor de Huisartsenpraktijk" }
            " vindbaar voor huisartsen, POH's en doktersassistenten: thema's, risico- en beschermende factoren, instrumenten, "
            "organisaties, aanbod en regio's, met bij elk gegeven de bron."
        }
        h2 { "Bronnen" }
        ul {
            li { "Factsheet Kansrijke Start voor de Huisartsenpraktijk (ministerie van VWS, juni 2026) en de aankondiging ervan, via "
                 a href="https://www.kansrijkestart.nl" { "kansrijkestart.nl" } ". De beschrijvingen zijn in eigen woorden." }
            li { "Gemeenten, GGD-regio's, provincies en postcodegebieden: open data van het Centraal Bureau voor de Statistiek (CBS)." }
        }
        h2 { "Licenties" }
        ul {
            li { "Eigen beschrijvingen en de ontologie: CC BY 4.0, met de factsheet of aankondiging als bron bij elk gegeven." }
            li { "Regio's: CBS, CC BY 4.0." }
            li { "Programmatuur: EUPL-1.2." }
        }
        p { "De licentie per bron staat ook in de " a href="/.well-known/void" { "datasetbeschrijving" } "; volledige downloads: "
            a href="/dump.nq.gz" { "N-Quads" } " en " a href="/dump.ttl.gz" { "Turtle" } "." }
    };
    Html(layout("Over", None, main).into_string())
}

/// The small page a reconciliation client shows beside a candidate.
pub fn preview(candidate: &Candidate) -> Html<String> {
    let kinds: Vec<&str> = candidate.types.iter().map(|kind| kind.name.as_str()).collect();
    Html(
        html! {
            (DOCTYPE)
            html lang="nl" {
                head { meta charset="utf-8"; title { (candidate.name) } }
                body style="font-family:system-ui,sans-serif;margin:.5rem" {
                    p { a href=(href(&candidate.id)) target="_blank" { strong { (candidate.name) } } " · " (kinds.join(", ")) }
                    @if let Some(description) = &candidate.description { p { (description) } }
                }
            }
        }
        .into_string(),
    )
}

pub fn not_found_page(message: &str) -> Html<String> {
    Html(
        layout(
            "Niet gevonden",
            None,
            html! { h1 { "Niet gevonden" } p { (message) } p { a href="/" { "Naar de startpagina" } } },
        )
        .into_string(),
    )
}

pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "niet gevonden: deze pagina bestaat niet\n")
        .into_response()
}
