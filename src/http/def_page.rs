//! The ontology reference at `/def` for people: per class its Dutch explanation and what its
//! shape requires and allows (from [`crate::publish::ontology`]), with an anchor per class and
//! property (`/def#Offer`), and the example offers in Turtle and HSDS. Programs asking `/def`
//! for RDF get the ontology itself.

use maud::{Markup, html};

use super::pages::layout;
use crate::publish::ontology::{self, ClassReference, Reference, Rule};

/// The classes an integrator writes, shown first with the examples.
const WRITTEN_BY_INTEGRATORS: &[&str] = &["Offer", "Organisation", "Source"];

/// The page of the whole reference.
pub fn page(reference: &Reference) -> String {
    let (written, others): (Vec<&ClassReference>, Vec<&ClassReference>) =
        reference.classes.iter().partition(|class| WRITTEN_BY_INTEGRATORS.contains(&class.name.as_str()));
    let main = html! {
        h1 { "Ontologie van kansrijk" }
        p {
            "De begrippen waarmee kansrijk thema's, aanbod, organisaties, bronnen en regio's beschrijft. "
            "Per soort staat wat een schrijfactie moet en mag bevatten; dat komt rechtstreeks uit de SHACL-vormen "
            "waarmee elke schrijfactie wordt gecontroleerd ("
            a href="/def/shapes.ttl" { "vormen in Turtle" } ", "
            a href="/def/shapes" { "als pagina" } "). De ontologie zelf: "
            a href="/def.ttl" { "Turtle" } ", " a href="/def.jsonld" { "JSON-LD" } ", " a href="/def.rdf" { "RDF/XML" } "."
        }
        nav aria-label="Inhoud" {
            h2 { "Inhoud" }
            ul {
                @for class in written.iter().chain(&others) {
                    li { a href={ "#" (class.name) } { (class.label) } " (kr:" (class.name) ")" }
                }
                li { a href="#eigenschappen" { "Eigenschappen" } }
            }
        }
        @for class in &written {
            (class_section(class, true))
        }
        @for class in &others {
            (class_section(class, false))
        }
        section aria-labelledby="eigenschappen" {
            h2 id="eigenschappen" { "Eigenschappen" }
            dl {
                @for property in &reference.properties {
                    dt id=(property.name) { (property.label) " " code { "kr:" (property.name) } }
                    dd { (property.comment) }
                }
            }
        }
    };
    layout("Ontologie", None, main).into_string()
}

fn class_section(class: &ClassReference, with_example: bool) -> Markup {
    let (required, allowed): (Vec<&Rule>, Vec<&Rule>) = class.rules.iter().partition(|rule| rule.required);
    html! {
        section aria-labelledby=(class.name) {
            h2 id=(class.name) { (class.label) " " code { "kr:" (class.name) } }
            p { (class.comment) }
            @if !required.is_empty() {
                h3 { "Verplicht" }
                (rules(&required))
            }
            @if !allowed.is_empty() {
                h3 { "Toegestaan, met deze voorwaarden" }
                (rules(&allowed))
            }
            @if with_example && class.name == "Offer" {
                h3 { "Voorbeeld in Turtle" }
                p { "Een geldig aanbod met zijn aanbieder en bron, te schrijven met " code { "PUT /store?graph=…" } " (" code { "text/turtle" } "):" }
                pre { code { (ontology::EXAMPLE_TURTLE) } }
                h3 { "Voorbeeld in HSDS" }
                p { "Hetzelfde soort aanbod als Open Referral HSDS 3.0 (" code { "application/json" } "):" }
                pre { code { (ontology::EXAMPLE_HSDS) } }
            }
        }
    }
}

fn rules(rules: &[&Rule]) -> Markup {
    html! {
        ul {
            @for rule in rules {
                li {
                    @for (position, path) in rule.paths.iter().enumerate() {
                        @if position > 0 { " of " }
                        code { (path) }
                    }
                    ": " (rule.message)
                }
            }
        }
    }
}
