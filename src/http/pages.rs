//! The web pages, in Dutch, rendered on the server with maud and usable without JavaScript:
//! the layout, the home page, the SPARQL query page with example queries that run, and a page
//! for every resource (its facts, what links to it, what serves a place, its sources and its
//! machine formats). The search results page is in `search_page`.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use oxigraph::model::{NamedOrBlankNode, Term, Triple};

use super::work::Work;
use super::{ApiError, AppState};
use crate::catalog::{self, Listed};
use crate::linked_data::{Document, DocumentFormat, PublicBase};
use crate::reconcile::Candidate;
use crate::vocab;

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
        "SELECT ?gemeente ?ggd ?provincie WHERE {\n  ?g dct:identifier \"GM0358\" ; skos:prefLabel ?gemeente ;\n     schema:containedInPlace ?r, ?p .\n  ?r a kr:GGDRegion ; skos:prefLabel ?ggd .\n  ?p a kr:Province ; skos:prefLabel ?provincie .\n}",
    ),
    (
        "Aanbod in de GGD-regio van postcode 1431",
        "SELECT ?aanbod ?naam ?aanbieder WHERE {\n  ?pc dct:identifier \"1431\" ; schema:containedInPlace ?gemeente .\n  ?gemeente schema:containedInPlace ?regio .\n  ?aanbod a kr:Offer ; schema:areaServed ?regio ; skos:prefLabel ?naam ;\n          schema:provider/skos:prefLabel ?aanbieder .\n}",
    ),
    (
        "Instrumenten per thema",
        "SELECT ?themanaam ?instrumentnaam WHERE {\n  ?instrument a kr:Tool ; kr:theme ?thema ; skos:prefLabel ?instrumentnaam .\n  ?thema skos:prefLabel ?themanaam . FILTER(lang(?themanaam) = \"nl\" && lang(?instrumentnaam) = \"nl\")\n} ORDER BY ?themanaam",
    ),
    ("Aantal gemeenten, GGD-regio's en provincies", "SELECT ?soort (COUNT(?r) AS ?aantal) WHERE {\n  VALUES ?soort { kr:Municipality kr:GGDRegion kr:Province }\n  ?r a ?soort .\n} GROUP BY ?soort"),
];

/// Dutch names of the properties a page shows: (IRI, as a fact of the resource, as a link to it).
const PROPERTIES: &[(&str, &str, &str)] = &[
    ("http://schema.org/provider", "Aanbieder", "Aanbod van deze organisatie"),
    ("http://schema.org/areaServed", "Werkgebied", "Aanbod en organisaties in dit gebied"),
    ("http://schema.org/containedInPlace", "Ligt in", "Gebieden hierin"),
    ("http://schema.org/publisher", "Uitgever", "Uitgegeven door deze organisatie"),
    ("http://schema.org/parentOrganization", "Onderdeel van", "Onderdelen"),
    ("http://schema.org/funder", "Financier", "Gefinancierd door deze organisatie"),
    ("http://schema.org/about", "Over", "Wat hierover gaat"),
    ("http://schema.org/hasPart", "Bevat", "Onderdeel van"),
    ("http://schema.org/contentLocation", "Plaats", "Wat hier speelt"),
    ("http://schema.org/url", "Website", "Website van"),
    ("http://schema.org/value", "Waarde", "Waarde van"),
    ("http://schema.org/unitText", "Eenheid", "Eenheid van"),
    ("http://schema.org/inLanguage", "Taal", "Taal van"),
    ("http://schema.org/isAccessibleForFree", "Gratis", "Gratis"),
    ("http://www.w3.org/2004/02/skos/core#broader", "Breder begrip", "Smallere begrippen"),
    ("http://www.w3.org/2004/02/skos/core#narrower", "Smaller begrip", "Bredere begrippen"),
    ("http://www.w3.org/2004/02/skos/core#related", "Verwant", "Verwant"),
    ("http://www.w3.org/2004/02/skos/core#inScheme", "Begrippenlijst", "Begrippen"),
    ("http://www.w3.org/2004/02/skos/core#hasTopConcept", "Hoofdbegrip", "Hoofdbegrip van"),
    ("http://purl.org/dc/terms/identifier", "Code", "Code van"),
    ("http://purl.org/dc/terms/source", "Bron", "Gegevens uit deze bron"),
    ("http://purl.org/dc/terms/publisher", "Uitgever", "Uitgegeven door deze organisatie"),
    ("http://purl.org/dc/terms/title", "Titel", "Titel van"),
    ("http://purl.org/dc/terms/issued", "Verschenen", "Verschenen"),
    ("http://purl.org/dc/terms/license", "Licentie", "Licentie van"),
    ("http://www.w3.org/2002/07/owl#sameAs", "Zelfde als", "Zelfde als"),
    ("https://w3id.org/kansrijk/def#theme", "Thema", "Instrumenten, aanbod en kennis bij dit thema"),
    ("https://w3id.org/kansrijk/def#riskFactor", "Risicofactor", "Hoort bij"),
    ("https://w3id.org/kansrijk/def#protectiveFactor", "Beschermende factor", "Hoort bij"),
    ("https://w3id.org/kansrijk/def#forRole", "Voor", "Voor deze rol"),
    ("https://w3id.org/kansrijk/def#forPhase", "Fase", "Voor deze fase"),
    ("https://w3id.org/kansrijk/def#implements", "Voert uit", "Uitgevoerd als"),
    ("https://w3id.org/kansrijk/def#partOfProgramme", "Onderdeel van programma", "Onderdelen"),
    ("https://w3id.org/kansrijk/def#figure", "Cijfer", "Cijfer bij"),
    ("https://w3id.org/kansrijk/def#measures", "Meet", "Gemeten door"),
    ("https://w3id.org/kansrijk/def#describes", "Beschrijft", "Beschreven in"),
    ("https://w3id.org/kansrijk/def#referTo", "Verwijzen naar", "Verwezen vanuit"),
    ("https://w3id.org/kansrijk/def#everydayName", "Ook bekend als", "Ook bekend als"),
];

/// Shown elsewhere on the page, or (hidden labels) not meant for people.
const NOT_LISTED: &[&str] = &[
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel",
    "http://schema.org/description",
    "http://purl.org/dc/terms/source",
];

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
    let store = state.store.clone();
    let themes = state
        .workers
        .run(Work::Read, move || catalog::themes(&store))
        .await?
        .map_err(|error| ApiError::Internal(error.to_string()))?;
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

fn property_names(iri: &str) -> Option<(&'static str, &'static str)> {
    PROPERTIES.iter().find(|(property, ..)| *property == iri).map(|(_, forward, backward)| (*forward, *backward))
}

/// A value of a statement, linked when it is a resource.
fn value(document: &Document, term: &Term) -> Markup {
    match term {
        Term::NamedNode(node) => html! { a href=(href(node.as_str())) { (document.label_of(node.as_str()).unwrap_or(node.as_str())) } },
        Term::Literal(literal) => html! { (literal.value()) },
        _ => html! { "(anoniem)" },
    }
}

fn subject_link(document: &Document, subject: &NamedOrBlankNode) -> Markup {
    match subject {
        NamedOrBlankNode::NamedNode(node) => value(document, &Term::NamedNode(node.clone())),
        NamedOrBlankNode::BlankNode(_) => html! { "(anoniem)" },
    }
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

/// The page of one resource: what it is, its facts, what links to it and its sources.
pub fn resource(document: &Document, base: &PublicBase, path: &str, covering: &[Listed]) -> Html<String> {
    let label = document.label().unwrap_or(document.subject.as_str());
    let kinds: Vec<&str> = document
        .outgoing()
        .filter(|triple| triple.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        .filter_map(|triple| match &triple.object {
            Term::NamedNode(class) => document.label_of(class.as_str()),
            _ => None,
        })
        .collect();
    let also_known_as: Vec<&str> = document
        .outgoing()
        .filter(|triple| triple.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#altLabel")
        .filter_map(|triple| match &triple.object {
            Term::Literal(literal) if literal.language() == Some("nl") => Some(literal.value()),
            _ => None,
        })
        .collect();
    let is_theme = document.has_type("https://w3id.org/kansrijk/def#Theme");
    let facts = by_property(document.outgoing().filter(|triple| !NOT_LISTED.contains(&triple.predicate.as_str())));
    let links = by_property(document.incoming().filter(|triple| triple.predicate.as_str() != "http://purl.org/dc/terms/source"));
    let sources: Vec<&Triple> = document.outgoing().filter(|triple| triple.predicate.as_str() == "http://purl.org/dc/terms/source").collect();
    let sourced: Vec<&Triple> = document.incoming().filter(|triple| triple.predicate.as_str() == "http://purl.org/dc/terms/source").collect();
    let fact_name = |property: &str| property_names(property).map_or_else(|| document.label_of(property).unwrap_or(property).to_owned(), |(forward, _)| forward.to_owned());
    let link_name = |property: &str| property_names(property).map_or_else(|| format!("{} (verwijzing)", fact_name(property)), |(_, backward)| backward.to_owned());
    let main = html! {
        article {
            h1 { (label) }
            @if !kinds.is_empty() { p class="soort" { (kinds.join(", ")) } }
            @if let Some(description) = document.description() { p { (description) } }
            @if !also_known_as.is_empty() { p { "Ook bekend als: " (also_known_as.join(", ")) } }
            @if !facts.is_empty() {
                section aria-labelledby="gegevens" {
                    h2 id="gegevens" { "Gegevens" }
                    dl {
                        @for (property, triples) in &facts {
                            dt { (fact_name(property)) }
                            @for triple in triples { dd { (value(document, &triple.object)) } }
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
                    ul { @for triple in &sources { li { (value(document, &triple.object)) } } }
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
    Html(layout("Niet gevonden", None, html! { h1 { "Niet gevonden" } p { (message) } p { a href="/" { "Naar de startpagina" } } }).into_string())
}

pub async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "niet gevonden: deze pagina bestaat niet\n",
    )
        .into_response()
}
