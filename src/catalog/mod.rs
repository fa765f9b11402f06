//! Lists the web pages show that no single resource's document holds: the themes for the home
//! page, and everything whose area covers a place (the place itself, a region it lies in, or
//! the whole country) for the page of a municipality.

pub mod contact;

use std::collections::HashSet;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, vocab::rdf, vocab::rdfs};

use crate::rdf::kinds;
use crate::rdf::vocab::{schema, skos};
use crate::store::{StoreError, StoreView};

/// A resource as a line in a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub iri: String,
    pub label: String,
    /// The Dutch name of its kind (Thema, Aanbod, Instrument, ...).
    pub kind: String,
    /// For covering items: the label of the area that covers the place.
    pub area: Option<String>,
}

fn listed(rows: Vec<Vec<Option<String>>>) -> Vec<Listed> {
    rows.into_iter()
        .filter_map(|row| {
            let mut values = row.into_iter();
            Some(Listed {
                iri: values.next().flatten()?,
                label: values.next().flatten()?,
                kind: values.next().flatten().unwrap_or_default(),
                area: values.next().flatten(),
            })
        })
        .collect()
}

/// The themes at the top of the theme scheme, then the others, by label.
pub fn themes(store: &StoreView) -> Result<Vec<Listed>, StoreError> {
    let rows = store.select(
        "SELECT ?theme ?label ?kind WHERE {
           ?theme a kr:Theme ; skos:prefLabel ?label . FILTER(lang(?label) = 'nl')
           kr:Theme rdfs:label ?kind . FILTER(lang(?kind) = 'nl')
           OPTIONAL { ?scheme skos:hasTopConcept ?theme . BIND(true AS ?top) }
         } ORDER BY DESC(BOUND(?top)) ?label",
    )?;
    Ok(listed(rows))
}

/// Offers, programmes and tools whose area covers the place `iri`, the most local first.
/// Read from the store's indexes directly: this runs for every page of a place.
pub fn covering(store: &StoreView, iri: &str) -> Result<Vec<Listed>, StoreError> {
    let Ok(place) = NamedNode::new(iri) else { return Ok(Vec::new()) };
    let mut areas = vec![place];
    let mut next = 0;
    while next < areas.len() && areas.len() < 16 {
        for parent in objects(store, &areas[next], schema::CONTAINED_IN_PLACE)? {
            if let Term::NamedNode(parent) = parent
                && !areas.contains(&parent)
            {
                areas.push(parent);
            }
        }
        next += 1;
    }
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for area in &areas {
        let area_label = dutch_label(store, area, skos::PREF_LABEL)?;
        let mut here = Vec::new();
        let serving = [schema::AREA_SERVED, schema::SPATIAL_COVERAGE]
            .into_iter()
            .flat_map(|predicate| store.quads_for_pattern(None, Some(predicate), Some(area.as_ref().into()), None));
        for quad in serving {
            let NamedOrBlankNode::NamedNode(item) = quad?.subject else { continue };
            let Some(class) = objects(store, &item, rdf::TYPE)?.into_iter().find_map(|class| match class {
                Term::NamedNode(class) if kinds::by_iri(class.as_str()).is_some_and(|kind| kind.help) => Some(class),
                _ => None,
            }) else {
                continue;
            };
            if !seen.insert(item.clone()) {
                continue;
            }
            here.push(Listed {
                label: dutch_label(store, &item, skos::PREF_LABEL)?.unwrap_or_else(|| item.as_str().to_owned()),
                kind: dutch_label(store, &class, rdfs::LABEL)?.unwrap_or_default(),
                area: area_label.clone(),
                iri: item.into_string(),
            });
        }
        here.sort_by(|a, b| a.label.cmp(&b.label));
        items.extend(here);
    }
    Ok(items)
}

fn objects(store: &StoreView, subject: &NamedNode, predicate: NamedNodeRef<'_>) -> Result<Vec<Term>, StoreError> {
    store.quads_for_pattern(Some(subject.as_ref().into()), Some(predicate), None, None).map(|quad| Ok(quad?.object)).collect()
}

fn dutch_label(store: &StoreView, subject: &NamedNode, predicate: NamedNodeRef<'_>) -> Result<Option<String>, StoreError> {
    Ok(objects(store, subject, predicate)?
        .into_iter()
        .filter_map(|term| match term {
            Term::Literal(literal) => Some(literal),
            _ => None,
        })
        .max_by_key(|literal| literal.language() == Some("nl"))
        .map(|literal| literal.value().to_owned()))
}
