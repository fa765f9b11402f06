//! Lists the web pages show that no single resource's document holds: the themes for the home
//! page, and everything whose area covers a place (the place itself, a region it lies in, or
//! the whole country) for the page of a municipality.

use crate::store::{KnowledgeStore, StoreError};

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
pub fn themes(store: &KnowledgeStore) -> Result<Vec<Listed>, StoreError> {
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
pub fn covering(store: &KnowledgeStore, iri: &str) -> Result<Vec<Listed>, StoreError> {
    if oxiri::Iri::parse(iri).is_err() {
        return Ok(Vec::new());
    }
    let rows = store.select(&format!(
        "SELECT ?item ?label ?kind ?areaLabel WHERE {{
           {{ BIND(<{iri}> AS ?area) BIND(0 AS ?distance) }}
           UNION {{ <{iri}> schema:containedInPlace ?area . BIND(1 AS ?distance) }}
           UNION {{ <{iri}> schema:containedInPlace/schema:containedInPlace ?area . BIND(2 AS ?distance) }}
           ?item schema:areaServed ?area ; a ?class ; skos:prefLabel ?label . FILTER(lang(?label) = 'nl')
           VALUES ?class {{ kr:Offer kr:Programme kr:Tool }}
           ?class rdfs:label ?kind . FILTER(lang(?kind) = 'nl')
           ?area skos:prefLabel ?areaLabel . FILTER(lang(?areaLabel) = 'nl')
         }} ORDER BY ?distance ?label"
    ))?;
    let mut seen = std::collections::HashSet::new();
    Ok(listed(rows).into_iter().filter(|item| seen.insert(item.iri.clone())).collect())
}
