//! The IRIs kansrijk publishes and the external vocabularies it builds on.
//!
//! Everything that names a namespace, a named graph or a vocabulary term lives here, so that
//! the published IRIs (which never change) are written down in one place. The terms are typed
//! constants in one module per namespace, in the style of [`oxigraph::model::vocab`] (whose
//! [`rdf`], [`rdfs`] and [`xsd`] are re-exported here): `skos::PREF_LABEL`, `schema::PROVIDER`.
//! A constant is named after its local name (`contactPoint` → `CONTACT_POINT`, `N-Triples` →
//! `N_TRIPLES`); where a class
//! and a property would share a name, the class has `_CLASS` (`schema::CONTACT_POINT_CLASS`).
//! Only the terms the code uses are here; the ontology itself is `ontology/*.ttl`.

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, NamedNodeRef};
use oxigraph::sparql::SparqlEvaluator;

pub use oxigraph::model::vocab::{rdf, rdfs, xsd};

/// Root of every IRI kansrijk mints.
pub const BASE: &str = "https://w3id.org/kansrijk/";
/// Namespace of the kansrijk ontology (`kr:`), the same as [`kr::NAMESPACE`].
pub const DEF: &str = kr::NAMESPACE;
/// Namespace of instance data.
pub const ID: &str = "https://w3id.org/kansrijk/id/";
/// Namespace of SKOS, the same as [`skos::NAMESPACE`].
pub const SKOS: &str = skos::NAMESPACE;
/// Namespace of the named graphs, one per source.
pub const GRAPH: &str = "https://w3id.org/kansrijk/graph/";

/// The named graph that describes the other graphs (content hashes of the base data).
pub const META_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/graph/meta");

/// Stands for the default graph in provenance statements, which need a node to talk about.
pub const DEFAULT_GRAPH_NODE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/graph/standaard");

pub use kr::{CONTENT_HASH, FICTIONAL};
pub use prov::WAS_GENERATED_BY;

/// Declares one namespace module: its prefix, its namespace IRI and its terms, each a typed
/// constant with the whole IRI written out, and (for the tests) the list of them by name.
macro_rules! namespace {
    (
        $(#[$doc:meta])*
        $module:ident = $prefix:literal : $namespace:literal {
            $( $(#[$term_doc:meta])* $name:ident = $iri:literal; )*
        }
    ) => {
        $(#[$doc])*
        pub mod $module {
            use oxigraph::model::NamedNodeRef;

            /// The prefix kansrijk writes for this namespace.
            pub const PREFIX: &str = $prefix;
            /// The namespace IRI.
            pub const NAMESPACE: &str = $namespace;
            $(
                $(#[$term_doc])*
                pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked($iri);
            )*

            /// Every term of this module with the name it is declared under.
            #[cfg(test)]
            pub(super) const TERMS: &[(&str, NamedNodeRef<'static>)] = &[$((stringify!($name), $name)),*];
        }
    };
}

namespace! {
    /// The kansrijk ontology (`ontology/kansrijk.ttl`): the terms the code names.
    kr = "kr": "https://w3id.org/kansrijk/def#" {
        /// `kr:Offer`: an offer of support (a course, a consultation, a group) by a provider.
        OFFER = "https://w3id.org/kansrijk/def#Offer";
        /// `kr:Organisation`: an organisation that provides offers.
        ORGANISATION = "https://w3id.org/kansrijk/def#Organisation";
        /// `kr:Source`: a source of data (a sociale kaart, a dataset).
        SOURCE = "https://w3id.org/kansrijk/def#Source";
        /// `kr:Theme`: a theme of the Kansrijke Start programme (a SKOS concept).
        THEME_CLASS = "https://w3id.org/kansrijk/def#Theme";
        /// `kr:Region`: a place (municipality, GGD region, province, country).
        REGION = "https://w3id.org/kansrijk/def#Region";
        /// `kr:theme`: links a resource to the theme it is about.
        THEME = "https://w3id.org/kansrijk/def#theme";
        /// `kr:riskFactor`: links a resource to a risk factor it is about.
        RISK_FACTOR = "https://w3id.org/kansrijk/def#riskFactor";
        /// `kr:protectiveFactor`: links a resource to a protective factor it is about.
        PROTECTIVE_FACTOR = "https://w3id.org/kansrijk/def#protectiveFactor";
        /// `kr:implements`: links an offer or practice example to what it puts into practice.
        IMPLEMENTS = "https://w3id.org/kansrijk/def#implements";
        /// `kr:everydayName`: the name people use in daily speech.
        EVERYDAY_NAME = "https://w3id.org/kansrijk/def#everydayName";
        /// `kr:contentHash`: the SHA-256 of the files a base graph was loaded from.
        CONTENT_HASH = "https://w3id.org/kansrijk/def#contentHash";
        /// `kr:fictional`: marks a resource or graph as made up for demonstration (the demo map).
        FICTIONAL = "https://w3id.org/kansrijk/def#fictional";
        /// `kr:search`: the SPARQL service (`SERVICE kr:search`) that queries the search index.
        SEARCH = "https://w3id.org/kansrijk/def#search";
        /// `kr:StagedWrite`: a large write begun and not yet finished (the store's journal).
        STAGED_WRITE = "https://w3id.org/kansrijk/def#StagedWrite";
        /// `kr:stagedInto`: the graph a staged write replaces.
        STAGED_INTO = "https://w3id.org/kansrijk/def#stagedInto";
        /// `kr:stagingFile`: the file, under the data folder's `staging`, that holds what a staged write adds.
        STAGING_FILE = "https://w3id.org/kansrijk/def#stagingFile";
        /// `kr:bulkLoaded`: marks a staged write whose statements are in the store.
        BULK_LOADED = "https://w3id.org/kansrijk/def#bulkLoaded";
    }
}

namespace! {
    /// schema.org.
    schema = "schema": "http://schema.org/" {
        /// `schema:ContactPoint`: a way to reach an organisation or offer.
        CONTACT_POINT_CLASS = "http://schema.org/ContactPoint";
        /// `schema:Dataset`: a dataset (the source of an import).
        DATASET = "http://schema.org/Dataset";
        /// `schema:Organization`: an organisation.
        ORGANIZATION = "http://schema.org/Organization";
        /// `schema:PeopleAudience`: the people an offer is for (ages).
        PEOPLE_AUDIENCE = "http://schema.org/PeopleAudience";
        /// `schema:Place`: a place where an offer is given.
        PLACE = "http://schema.org/Place";
        /// `schema:PostalAddress`: an address.
        POSTAL_ADDRESS = "http://schema.org/PostalAddress";
        /// `schema:Service`: a service (an offer).
        SERVICE = "http://schema.org/Service";
        /// `schema:ServiceChannel`: a channel through which an offer is given (a place, a phone line).
        SERVICE_CHANNEL = "http://schema.org/ServiceChannel";
        /// `schema:address`: the postal address of a place.
        ADDRESS = "http://schema.org/address";
        /// `schema:addressCountry`: the country of an address.
        ADDRESS_COUNTRY = "http://schema.org/addressCountry";
        /// `schema:addressLocality`: the town of an address.
        ADDRESS_LOCALITY = "http://schema.org/addressLocality";
        /// `schema:addressRegion`: the region of an address.
        ADDRESS_REGION = "http://schema.org/addressRegion";
        /// `schema:areaServed`: the place an offer or organisation serves.
        AREA_SERVED = "http://schema.org/areaServed";
        /// `schema:audience`: who an offer is for.
        AUDIENCE = "http://schema.org/audience";
        /// `schema:availableChannel`: a channel through which an offer is given.
        AVAILABLE_CHANNEL = "http://schema.org/availableChannel";
        /// `schema:availableLanguage`: a language an offer is given in.
        AVAILABLE_LANGUAGE = "http://schema.org/availableLanguage";
        /// `schema:contactPoint`: a way to reach an organisation or offer.
        CONTACT_POINT = "http://schema.org/contactPoint";
        /// `schema:contactType`: what a contact point is for.
        CONTACT_TYPE = "http://schema.org/contactType";
        /// `schema:containedInPlace`: the larger place a place lies in.
        CONTAINED_IN_PLACE = "http://schema.org/containedInPlace";
        /// `schema:description`: a description.
        DESCRIPTION = "http://schema.org/description";
        /// `schema:email`: an e-mail address.
        EMAIL = "http://schema.org/email";
        /// `schema:encodingFormat`: the media type of a file.
        ENCODING_FORMAT = "http://schema.org/encodingFormat";
        /// `schema:latitude`: the latitude of a place.
        LATITUDE = "http://schema.org/latitude";
        /// `schema:longitude`: the longitude of a place.
        LONGITUDE = "http://schema.org/longitude";
        /// `schema:name`: a name.
        NAME = "http://schema.org/name";
        /// `schema:postalCode`: the postcode of an address.
        POSTAL_CODE = "http://schema.org/postalCode";
        /// `schema:provider`: the organisation that provides an offer.
        PROVIDER = "http://schema.org/provider";
        /// `schema:serviceLocation`: the place a service channel is at.
        SERVICE_LOCATION = "http://schema.org/serviceLocation";
        /// `schema:servicePhone`: the phone line of a service channel.
        SERVICE_PHONE = "http://schema.org/servicePhone";
        /// `schema:serviceUrl`: the web address of a service channel.
        SERVICE_URL = "http://schema.org/serviceUrl";
        /// `schema:spatialCoverage`: what a creative work (a tool, a video) is about or valid for.
        SPATIAL_COVERAGE = "http://schema.org/spatialCoverage";
        /// `schema:streetAddress`: the street and number of an address.
        STREET_ADDRESS = "http://schema.org/streetAddress";
        /// `schema:suggestedMaxAge`: the highest age an audience is meant for.
        SUGGESTED_MAX_AGE = "http://schema.org/suggestedMaxAge";
        /// `schema:suggestedMinAge`: the lowest age an audience is meant for.
        SUGGESTED_MIN_AGE = "http://schema.org/suggestedMinAge";
        /// `schema:telephone`: a phone number.
        TELEPHONE = "http://schema.org/telephone";
        /// `schema:url`: a web address.
        URL = "http://schema.org/url";
    }
}

namespace! {
    /// SKOS, the Simple Knowledge Organization System.
    skos = "skos": "http://www.w3.org/2004/02/skos/core#" {
        /// `skos:prefLabel`: the preferred name, one per language.
        PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel";
        /// `skos:altLabel`: another name (a synonym, an abbreviation).
        ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel";
        /// `skos:hiddenLabel`: a name that is searched for but not shown (a misspelling).
        HIDDEN_LABEL = "http://www.w3.org/2004/02/skos/core#hiddenLabel";
        /// `skos:exactMatch`: the same concept in another scheme.
        EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch";
        /// `skos:broader`: the wider concept.
        BROADER = "http://www.w3.org/2004/02/skos/core#broader";
        /// `skos:related`: a related concept.
        RELATED = "http://www.w3.org/2004/02/skos/core#related";
    }
}

namespace! {
    /// Dublin Core terms.
    dct = "dct": "http://purl.org/dc/terms/" {
        /// `dct:conformsTo`: the standard a resource conforms to.
        CONFORMS_TO = "http://purl.org/dc/terms/conformsTo";
        /// `dct:description`: a description.
        DESCRIPTION = "http://purl.org/dc/terms/description";
        /// `dct:identifier`: an identifier (a CBS code, an id in a source).
        IDENTIFIER = "http://purl.org/dc/terms/identifier";
        /// `dct:license`: the licence a resource is published under.
        LICENSE = "http://purl.org/dc/terms/license";
        /// `dct:publisher`: who publishes a resource.
        PUBLISHER = "http://purl.org/dc/terms/publisher";
        /// `dct:rights`: a statement about the rights on a resource.
        RIGHTS = "http://purl.org/dc/terms/rights";
        /// `dct:source`: the source a resource comes from.
        SOURCE = "http://purl.org/dc/terms/source";
        /// `dct:title`: a title.
        TITLE = "http://purl.org/dc/terms/title";
    }
}

namespace! {
    /// PROV-O, the provenance ontology.
    prov = "prov": "http://www.w3.org/ns/prov#" {
        /// `prov:Activity`: something that happened (an import, an update).
        ACTIVITY = "http://www.w3.org/ns/prov#Activity";
        /// `prov:Agent`: who is responsible for an activity (a writer).
        AGENT = "http://www.w3.org/ns/prov#Agent";
        /// `prov:Entity`: a thing an activity used (a file).
        ENTITY = "http://www.w3.org/ns/prov#Entity";
        /// `prov:endedAtTime`: when an activity ended.
        ENDED_AT_TIME = "http://www.w3.org/ns/prov#endedAtTime";
        /// `prov:used`: an entity an activity used.
        USED = "http://www.w3.org/ns/prov#used";
        /// `prov:wasAssociatedWith`: the agent responsible for an activity.
        WAS_ASSOCIATED_WITH = "http://www.w3.org/ns/prov#wasAssociatedWith";
        /// `prov:wasGeneratedBy`: links a written graph to the activity (import, update) that wrote it.
        WAS_GENERATED_BY = "http://www.w3.org/ns/prov#wasGeneratedBy";
    }
}

namespace! {
    /// SHACL, the shapes constraint language (`ontology/shapes.ttl`).
    sh = "sh": "http://www.w3.org/ns/shacl#" {
        /// `sh:alternativePath`: a path that is one of several paths.
        ALTERNATIVE_PATH = "http://www.w3.org/ns/shacl#alternativePath";
        /// `sh:message`: the message of a shape, reported with its violations.
        MESSAGE = "http://www.w3.org/ns/shacl#message";
        /// `sh:minCount`: the least number of values a property must have.
        MIN_COUNT = "http://www.w3.org/ns/shacl#minCount";
        /// `sh:path`: the property a property shape is about.
        PATH = "http://www.w3.org/ns/shacl#path";
        /// `sh:property`: a property shape of a node shape.
        PROPERTY = "http://www.w3.org/ns/shacl#property";
        /// `sh:qualifiedMinCount`: the least number of values of a qualified shape.
        QUALIFIED_MIN_COUNT = "http://www.w3.org/ns/shacl#qualifiedMinCount";
        /// `sh:targetClass`: the class whose instances a shape applies to.
        TARGET_CLASS = "http://www.w3.org/ns/shacl#targetClass";
    }
}

namespace! {
    /// VoID, the vocabulary of interlinked datasets.
    void = "void": "http://rdfs.org/ns/void#" {
        /// `void:Dataset`: a dataset.
        DATASET = "http://rdfs.org/ns/void#Dataset";
        /// `void:dataDump`: a file with the whole dataset.
        DATA_DUMP = "http://rdfs.org/ns/void#dataDump";
        /// `void:exampleResource`: a resource that shows what the dataset holds.
        EXAMPLE_RESOURCE = "http://rdfs.org/ns/void#exampleResource";
        /// `void:rootResource`: a resource to start browsing from.
        ROOT_RESOURCE = "http://rdfs.org/ns/void#rootResource";
        /// `void:sparqlEndpoint`: the SPARQL endpoint of the dataset.
        SPARQL_ENDPOINT = "http://rdfs.org/ns/void#sparqlEndpoint";
        /// `void:subset`: a part of the dataset (a named graph).
        SUBSET = "http://rdfs.org/ns/void#subset";
        /// `void:triples`: the number of triples in a dataset.
        TRIPLES = "http://rdfs.org/ns/void#triples";
        /// `void:uriSpace`: the start of the IRIs of the dataset's resources.
        URI_SPACE = "http://rdfs.org/ns/void#uriSpace";
        /// `void:vocabulary`: a vocabulary the dataset uses.
        VOCABULARY = "http://rdfs.org/ns/void#vocabulary";
    }
}

namespace! {
    /// DCAT, the data catalog vocabulary.
    dcat = "dcat": "http://www.w3.org/ns/dcat#" {
        /// `dcat:Dataset`: a dataset in a catalogue.
        DATASET = "http://www.w3.org/ns/dcat#Dataset";
        /// `dcat:Distribution`: one form a dataset can be downloaded in.
        DISTRIBUTION_CLASS = "http://www.w3.org/ns/dcat#Distribution";
        /// `dcat:compressFormat`: the compression of a download.
        COMPRESS_FORMAT = "http://www.w3.org/ns/dcat#compressFormat";
        /// `dcat:distribution`: a form a dataset can be downloaded in.
        DISTRIBUTION = "http://www.w3.org/ns/dcat#distribution";
        /// `dcat:downloadURL`: where a distribution is downloaded.
        DOWNLOAD_URL = "http://www.w3.org/ns/dcat#downloadURL";
        /// `dcat:mediaType`: the media type of a distribution.
        MEDIA_TYPE = "http://www.w3.org/ns/dcat#mediaType";
    }
}

namespace! {
    /// OWL, the web ontology language.
    owl = "owl": "http://www.w3.org/2002/07/owl#" {
        /// `owl:AnnotationProperty`: a property that annotates (a label, a note).
        ANNOTATION_PROPERTY = "http://www.w3.org/2002/07/owl#AnnotationProperty";
        /// `owl:Class`: a class.
        CLASS = "http://www.w3.org/2002/07/owl#Class";
        /// `owl:DatatypeProperty`: a property whose values are literals.
        DATATYPE_PROPERTY = "http://www.w3.org/2002/07/owl#DatatypeProperty";
        /// `owl:ObjectProperty`: a property whose values are resources.
        OBJECT_PROPERTY = "http://www.w3.org/2002/07/owl#ObjectProperty";
        /// `owl:sameAs`: the same resource under another IRI.
        SAME_AS = "http://www.w3.org/2002/07/owl#sameAs";
    }
}

namespace! {
    /// The SPARQL 1.1 service description vocabulary (what `GET /sparql` answers).
    sd = "sd": "http://www.w3.org/ns/sparql-service-description#" {
        /// `sd:Dataset`: the dataset a service queries.
        DATASET = "http://www.w3.org/ns/sparql-service-description#Dataset";
        /// `sd:Graph`: a graph of a dataset.
        GRAPH = "http://www.w3.org/ns/sparql-service-description#Graph";
        /// `sd:SPARQL11Query`: the SPARQL 1.1 query language.
        SPARQL11_QUERY = "http://www.w3.org/ns/sparql-service-description#SPARQL11Query";
        /// `sd:Service`: a SPARQL service.
        SERVICE = "http://www.w3.org/ns/sparql-service-description#Service";
        /// `sd:UnionDefaultGraph`: the default graph is the union of the named graphs.
        UNION_DEFAULT_GRAPH = "http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph";
        /// `sd:defaultDataset`: the dataset a service queries when none is asked for.
        DEFAULT_DATASET = "http://www.w3.org/ns/sparql-service-description#defaultDataset";
        /// `sd:defaultGraph`: the default graph of a dataset.
        DEFAULT_GRAPH = "http://www.w3.org/ns/sparql-service-description#defaultGraph";
        /// `sd:endpoint`: where a service is reached.
        ENDPOINT = "http://www.w3.org/ns/sparql-service-description#endpoint";
        /// `sd:feature`: a feature a service has.
        FEATURE = "http://www.w3.org/ns/sparql-service-description#feature";
        /// `sd:resultFormat`: a format a service answers in.
        RESULT_FORMAT = "http://www.w3.org/ns/sparql-service-description#resultFormat";
        /// `sd:supportedLanguage`: a query language a service understands.
        SUPPORTED_LANGUAGE = "http://www.w3.org/ns/sparql-service-description#supportedLanguage";
    }
}

namespace! {
    /// The W3C's IRIs for file formats (`formats:Turtle`).
    formats = "formats": "http://www.w3.org/ns/formats/" {
        /// `formats:JSON-LD`.
        JSON_LD = "http://www.w3.org/ns/formats/JSON-LD";
        /// `formats:N-Quads`.
        N_QUADS = "http://www.w3.org/ns/formats/N-Quads";
        /// `formats:N-Triples`.
        N_TRIPLES = "http://www.w3.org/ns/formats/N-Triples";
        /// `formats:RDF_XML`.
        RDF_XML = "http://www.w3.org/ns/formats/RDF_XML";
        /// `formats:SPARQL_Results_CSV`.
        SPARQL_RESULTS_CSV = "http://www.w3.org/ns/formats/SPARQL_Results_CSV";
        /// `formats:SPARQL_Results_JSON`.
        SPARQL_RESULTS_JSON = "http://www.w3.org/ns/formats/SPARQL_Results_JSON";
        /// `formats:SPARQL_Results_TSV`.
        SPARQL_RESULTS_TSV = "http://www.w3.org/ns/formats/SPARQL_Results_TSV";
        /// `formats:SPARQL_Results_XML`.
        SPARQL_RESULTS_XML = "http://www.w3.org/ns/formats/SPARQL_Results_XML";
        /// `formats:TriG`.
        TRIG = "http://www.w3.org/ns/formats/TriG";
        /// `formats:Turtle`.
        TURTLE = "http://www.w3.org/ns/formats/Turtle";
    }
}

/// Prefixes used when kansrijk writes Turtle or TriG, and offered to SPARQL users.
pub const PREFIXES: &[(&str, &str)] = &[
    (kr::PREFIX, kr::NAMESPACE),
    (schema::PREFIX, schema::NAMESPACE),
    (skos::PREFIX, skos::NAMESPACE),
    (dct::PREFIX, dct::NAMESPACE),
    (prov::PREFIX, prov::NAMESPACE),
    (owl::PREFIX, owl::NAMESPACE),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    (void::PREFIX, void::NAMESPACE),
    (dcat::PREFIX, dcat::NAMESPACE),
];

/// `http://schema.org/provider` → `schema:provider`, by [`PREFIXES`]; other IRIs as they are.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .find_map(|(prefix, namespace)| iri.strip_prefix(namespace).map(|local| format!("{prefix}:{local}")))
        .unwrap_or_else(|| iri.to_owned())
}

/// A SPARQL parser that knows [`PREFIXES`], so queries and updates may use them undeclared.
pub fn sparql_parser() -> spargebra::SparqlParser {
    PREFIXES.iter().fold(spargebra::SparqlParser::new(), |parser, (prefix, namespace)| {
        parser.with_prefix(*prefix, *namespace).expect("PREFIXES are valid IRIs")
    })
}

/// A SPARQL evaluator that knows [`PREFIXES`], for kansrijk's own queries.
pub fn sparql_evaluator() -> SparqlEvaluator {
    PREFIXES.iter().fold(SparqlEvaluator::new(), |evaluator, (prefix, namespace)| {
        evaluator.with_prefix(*prefix, *namespace).expect("PREFIXES are valid IRIs")
    })
}

/// A serializer for `format` that writes [`PREFIXES`] where the format has prefixes.
pub fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    PREFIXES.iter().fold(RdfSerializer::from_format(format), |serializer, (prefix, namespace)| {
        serializer.with_prefix(*prefix, *namespace).expect("PREFIXES are valid IRIs")
    })
}

/// The IRI of the named graph called `name` (e.g. `factsheet`).
pub fn graph_iri(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{GRAPH}{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A namespace module: its prefix, its namespace and the terms declared in it by name.
    type Module = (&'static str, &'static str, &'static [(&'static str, NamedNodeRef<'static>)]);

    /// The namespace modules.
    const MODULES: [Module; 11] = [
        (kr::PREFIX, kr::NAMESPACE, kr::TERMS),
        (schema::PREFIX, schema::NAMESPACE, schema::TERMS),
        (skos::PREFIX, skos::NAMESPACE, skos::TERMS),
        (dct::PREFIX, dct::NAMESPACE, dct::TERMS),
        (prov::PREFIX, prov::NAMESPACE, prov::TERMS),
        (sh::PREFIX, sh::NAMESPACE, sh::TERMS),
        (void::PREFIX, void::NAMESPACE, void::TERMS),
        (dcat::PREFIX, dcat::NAMESPACE, dcat::TERMS),
        (owl::PREFIX, owl::NAMESPACE, owl::TERMS),
        (sd::PREFIX, sd::NAMESPACE, sd::TERMS),
        (formats::PREFIX, formats::NAMESPACE, formats::TERMS),
    ];

    /// A name or local name in capitals without separators: `contactPoint`, `CONTACT_POINT` → `CONTACTPOINT`.
    fn squashed(name: &str) -> String {
        name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
    }

    #[test]
    fn each_term_is_in_its_modules_namespace_and_named_after_its_local_name() {
        assert_eq!(squashed("N-Triples"), squashed("N_TRIPLES"));
        let mut wrong = Vec::new();
        for (prefix, namespace, terms) in MODULES {
            assert!(!terms.is_empty(), "{prefix}: has terms");
            for (name, term) in terms {
                let iri = term.as_str();
                assert!(NamedNode::new(iri).is_ok(), "{prefix}::{name}: <{iri}> is an IRI");
                let Some(local) = iri.strip_prefix(namespace) else {
                    wrong.push(format!("{prefix}::{name} = <{iri}> is not in <{namespace}>"));
                    continue;
                };
                let expected = squashed(local);
                let class = local.starts_with(char::is_uppercase) && squashed(name) == format!("{expected}CLASS");
                if local.is_empty() || local.contains(['/', '#']) || (squashed(name) != expected && !class) {
                    wrong.push(format!("{prefix}::{name} = <{iri}>: not named after {local}"));
                }
            }
            let mut iris: Vec<&str> = terms.iter().map(|(_, term)| term.as_str()).collect();
            iris.sort_unstable();
            iris.dedup();
            assert_eq!(iris.len(), terms.len(), "{prefix}: each term once");
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_prefixes_name_the_namespace_modules() {
        for (prefix, namespace, _) in MODULES.into_iter().filter(|(prefix, _, _)| !["sh", "sd", "formats"].contains(prefix)) {
            assert!(PREFIXES.contains(&(prefix, namespace)), "{prefix}: {namespace}");
        }
        assert_eq!(compact(schema::PROVIDER.as_str()), "schema:provider");
        assert_eq!(compact(DEF), "kr:");
    }

    #[test]
    fn queries_may_use_the_predeclared_prefixes() {
        let query = "SELECT ?label WHERE { ?theme a kr:Theme ; skos:prefLabel ?label }";
        assert!(sparql_parser().parse_query(query).is_ok());
        assert!(sparql_evaluator().parse_query(query).is_ok());
        assert!(sparql_parser().parse_query("SELECT * WHERE { ?s onbekend:p ?o }").is_err());
    }

    #[test]
    fn turtle_output_declares_the_prefixes() {
        let mut writer = rdf_serializer(RdfFormat::Turtle).for_writer(Vec::new());
        writer
            .serialize_triple(oxigraph::model::TripleRef::new(
                NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/id/thema/stress"),
                skos::PREF_LABEL,
                oxigraph::model::LiteralRef::new_language_tagged_literal_unchecked("Stress", "nl"),
            ))
            .expect("serialized");
        let turtle = String::from_utf8(writer.finish().expect("finished")).expect("utf-8");
        assert!(turtle.contains("@prefix skos: <http://www.w3.org/2004/02/skos/core#>"), "{turtle}");
        assert!(turtle.contains("skos:prefLabel"), "{turtle}");
    }
}
