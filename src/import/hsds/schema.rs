//! The objects of an HSDS 3.0 compiled service and of an API page: their fields, the JSON type
//! of each, and the fields HSDS requires. Written down from the Open Referral HSDS 3.0 JSON
//! schemas (`schema/*.json` of github.com/openreferral/specification, release 3.0), without the
//! fields 3.1 added (`additional_urls`, `additional_websites`, `capacities`, attribute `label`,
//! service areas on a service at location).

use serde_json::{Map, Value};

use super::{MAX_LIST_ITEMS, MAX_SERVICES, Problem, Problems};

/// What a field holds.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Number,
    Flag,
    OneOf(&'static [&'static str]),
    Object(&'static Spec),
    List(&'static Spec),
}

/// One kind of HSDS object.
struct Spec {
    fields: &'static [(&'static str, Kind)],
    required: &'static [&'static str],
}

use Kind::{Flag, List, Number, Object, OneOf, Text};

static METADATA: Spec = Spec {
    fields: &[
        ("id", Text),
        ("resource_id", Text),
        ("resource_type", Text),
        ("last_action_date", Text),
        ("last_action_type", Text),
        ("field_name", Text),
        ("previous_value", Text),
        ("replacement_value", Text),
        ("updated_by", Text),
    ],
    required: &["id", "last_action_date", "last_action_type", "field_name", "previous_value", "replacement_value", "updated_by"],
};

static TAXONOMY: Spec = Spec {
    fields: &[
        ("id", Text),
        ("name", Text),
        ("description", Text),
        ("uri", Text),
        ("version", Text),
        ("metadata", List(&METADATA)),
    ],
    required: &["id", "name", "description"],
};

static TAXONOMY_TERM: Spec = Spec {
    fields: &[
        ("id", Text),
        ("code", Text),
        ("name", Text),
        ("description", Text),
        ("parent_id", Text),
        ("taxonomy", Text),
        ("taxonomy_detail", Object(&TAXONOMY)),
        ("language", Text),
        ("taxonomy_id", Text),
        ("term_uri", Text),
        ("metadata", List(&METADATA)),
    ],
    required: &["id", "name", "description"],
};

static ATTRIBUTE: Spec = Spec {
    fields: &[
        ("id", Text),
        ("link_id", Text),
        ("taxonomy_term_id", Text),
        ("link_type", Text),
        ("link_entity", Text),
        ("value", Text),
        ("taxonomy_term", Object(&TAXONOMY_TERM)),
        ("metadata", List(&METADATA)),
    ],
    required: &["id"],
};

/// A simple object: its own fields plus `attributes` and `metadata`.
macro_rules! simple {
    ($required:expr; $($field:expr),* $(,)?) => {
        Spec {
            fields: &[$($field,)* ("attributes", List(&ATTRIBUTE)), ("metadata", List(&METADATA))],
            required: $required,
        }
    };
}

static LANGUAGE: Spec = simple!(&["id"];
    ("id", Text), ("service_id", Text), ("location_id", Text), ("phone_id", Text),
    ("name", Text), ("code", Text), ("note", Text));

static PHONE: Spec = simple!(&["id", "number"];
    ("id", Text), ("location_id", Text), ("service_id", Text), ("organization_id", Text),
    ("contact_id", Text), ("service_at_location_id", Text), ("number", Text), ("extension", Number),
    ("type", Text), ("description", Text), ("languages", List(&LANGUAGE)));

static CONTACT: Spec = simple!(&["id"];
    ("id", Text), ("organization_id", Text), ("service_id", Text), ("service_at_location_id", Text),
    ("location_id", Text), ("name", Text), ("title", Text), ("department", Text), ("email", Text),
    ("phones", List(&PHONE)));

static SCHEDULE: Spec = simple!(&["id"];
    ("id", Text), ("service_id", Text), ("location_id", Text), ("service_at_location_id", Text),
    ("valid_from", Text), ("valid_to", Text), ("dtstart", Text), ("timezone", Number), ("until", Text),
    ("count", Number), ("wkst", OneOf(&["MO", "TU", "WE", "TH", "FR", "SA", "SU"])),
    ("freq", OneOf(&["WEEKLY", "MONTHLY"])), ("interval", Number), ("byday", Text), ("byweekno", Text),
    ("bymonthday", Text), ("byyearday", Text), ("description", Text), ("opens_at", Text),
    ("closes_at", Text), ("schedule_link", Text), ("attending_type", Text), ("notes", Text));

static SERVICE_AREA: Spec = simple!(&["id"];
    ("id", Text), ("service_id", Text), ("name", Text), ("description", Text), ("extent", Text),
    ("extent_type", Text), ("uri", Text));

static ADDRESS: Spec = simple!(&["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"];
    ("id", Text), ("location_id", Text), ("attention", Text), ("address_1", Text), ("address_2", Text),
    ("city", Text), ("region", Text), ("state_province", Text), ("postal_code", Text), ("country", Text),
    ("address_type", OneOf(&["physical", "postal", "virtual"])));

static ACCESSIBILITY: Spec = simple!(&["id"];
    ("id", Text), ("location_id", Text), ("description", Text), ("details", Text), ("url", Text));

static LOCATION: Spec = simple!(&["id", "location_type"];
    ("id", Text), ("location_type", OneOf(&["physical", "postal", "virtual"])), ("url", Text),
    ("organization_id", Text), ("name", Text), ("alternate_name", Text), ("description", Text),
    ("transportation", Text), ("latitude", Number), ("longitude", Number), ("external_identifier", Text),
    ("external_identifier_type", Text), ("languages", List(&LANGUAGE)), ("addresses", List(&ADDRESS)),
    ("contacts", List(&CONTACT)), ("accessibility", List(&ACCESSIBILITY)), ("phones", List(&PHONE)),
    ("schedules", List(&SCHEDULE)));

static SERVICE_AT_LOCATION: Spec = simple!(&["id"];
    ("id", Text), ("service_id", Text), ("location_id", Text), ("description", Text),
    ("contacts", List(&CONTACT)), ("phones", List(&PHONE)), ("schedules", List(&SCHEDULE)),
    ("location", Object(&LOCATION)));

static FUNDING: Spec = simple!(&["id"];
    ("id", Text), ("organization_id", Text), ("service_id", Text), ("source", Text));

static COST_OPTION: Spec = simple!(&["id"];
    ("id", Text), ("service_id", Text), ("valid_from", Text), ("valid_to", Text), ("option", Text),
    ("currency", Text), ("amount", Number), ("amount_description", Text));

static PROGRAM: Spec = simple!(&["id", "name", "description"];
    ("id", Text), ("organization_id", Text), ("name", Text), ("alternate_name", Text), ("description", Text));

static REQUIRED_DOCUMENT: Spec = simple!(&["id"];
    ("id", Text), ("service_id", Text), ("document", Text), ("uri", Text));

static ORGANIZATION_IDENTIFIER: Spec = simple!(&["id", "identifier_type", "identifier"];
    ("id", Text), ("organization_id", Text), ("identifier_scheme", Text), ("identifier_type", Text),
    ("identifier", Text));

static ORGANIZATION: Spec = simple!(&["id", "name", "description"];
    ("id", Text), ("name", Text), ("alternate_name", Text), ("description", Text), ("email", Text),
    ("website", Text), ("tax_status", Text), ("tax_id", Text), ("year_incorporated", Number),
    ("legal_status", Text), ("logo", Text), ("uri", Text), ("parent_organization_id", Text),
    ("funding", List(&FUNDING)), ("contacts", List(&CONTACT)), ("phones", List(&PHONE)),
    ("locations", List(&LOCATION)), ("programs", List(&PROGRAM)),
    ("organization_identifiers", List(&ORGANIZATION_IDENTIFIER)));

static SERVICE: Spec = simple!(&["id", "name", "status"];
    ("id", Text), ("organization_id", Text), ("program_id", Text), ("name", Text), ("alternate_name", Text),
    ("description", Text), ("url", Text), ("email", Text),
    ("status", OneOf(&["active", "inactive", "defunct", "temporarily closed"])),
    ("interpretation_services", Text), ("application_process", Text), ("fees_description", Text),
    ("wait_time", Text), ("fees", Text), ("accreditations", Text), ("eligibility_description", Text),
    ("minimum_age", Number), ("maximum_age", Number), ("assured_date", Text), ("assurer_email", Text),
    ("licenses", Text), ("alert", Text), ("last_modified", Text), ("phones", List(&PHONE)),
    ("schedules", List(&SCHEDULE)), ("service_areas", List(&SERVICE_AREA)),
    ("service_at_locations", List(&SERVICE_AT_LOCATION)), ("languages", List(&LANGUAGE)),
    ("organization", Object(&ORGANIZATION)), ("funding", List(&FUNDING)),
    ("cost_options", List(&COST_OPTION)), ("program", Object(&PROGRAM)),
    ("required_documents", List(&REQUIRED_DOCUMENT)), ("contacts", List(&CONTACT)));

/// One page of the HSDS API (`GET /services`).
static PAGE: Spec = Spec {
    fields: &[
        ("total_items", Number),
        ("total_pages", Number),
        ("page_number", Number),
        ("size", Number),
        ("first_page", Flag),
        ("last_page", Flag),
        ("empty", Flag),
        ("contents", List(&SERVICE)),
    ],
    required: &["contents"],
};

/// Checks the document against HSDS 3.0 and returns its services, each with its JSON pointer.
/// The document is a list of compiled services or an API page holding them in `contents`.
pub(super) fn services<'a>(document: &'a Value, problems: &mut Problems) -> Vec<(String, &'a Map<String, Value>)> {
    let (prefix, items) = match document {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_object(item, &SERVICE, &format!("/{index}"), problems);
            }
            ("", items)
        }
        Value::Object(page) if page.contains_key("contents") || !page.contains_key("id") => {
            check_object(document, &PAGE, "", problems);
            match page.get("contents") {
                Some(Value::Array(items)) => ("/contents", items),
                _ => return Vec::new(),
            }
        }
        Value::Object(_) => {
            problems.push(Problem::at("", "dit is één losse dienst: zet de dienst in een lijst (`[ ... ]`)"));
            return Vec::new();
        }
        _ => {
            problems.push(Problem::at(
                "",
                "verwacht een lijst met HSDS 3.0-diensten (`[ ... ]`) of een pagina van de HSDS-API (met `contents`)",
            ));
            return Vec::new();
        }
    };
    if items.is_empty() {
        problems.push(Problem::at(prefix, "er staan geen diensten in het bestand"));
    }
    items.iter().enumerate().filter_map(|(index, item)| Some((format!("{prefix}/{index}"), item.as_object()?))).collect()
}

/// The first list that holds more than an import may: the services more than [`MAX_SERVICES`],
/// any other list more than [`MAX_LIST_ITEMS`]. Checked before anything else, so that a huge
/// list costs no more than reading the JSON.
pub(super) fn oversized(document: &Value) -> Option<Problem> {
    let mut pointer = String::new();
    match document {
        Value::Object(page) => page.iter().find_map(|(key, value)| {
            pointer = child_pointer("", key);
            oversized_in(value, &mut pointer, key == "contents")
        }),
        _ => oversized_in(document, &mut pointer, true),
    }
}

fn oversized_in(value: &Value, pointer: &mut String, services: bool) -> Option<Problem> {
    let length = pointer.len();
    let items = match value {
        Value::Array(items) => items,
        Value::Object(object) => {
            return object.iter().find_map(|(key, item)| {
                pointer.truncate(length);
                pointer.push_str(&child_pointer("", key));
                oversized_in(item, pointer, false)
            });
        }
        _ => return None,
    };
    let (limit, what) = if services { (MAX_SERVICES, "diensten") } else { (MAX_LIST_ITEMS, "elementen") };
    if items.len() > limit {
        let message = format!("deze lijst heeft {} {what}; een import mag er hoogstens {limit} hebben", items.len());
        return Some(Problem::at(pointer, message));
    }
    items.iter().enumerate().find_map(|(index, item)| {
        pointer.truncate(length);
        pointer.push('/');
        pointer.push_str(&index.to_string());
        oversized_in(item, pointer, false)
    })
}

fn check_object(value: &Value, spec: &Spec, pointer: &str, problems: &mut Problems) {
    let Value::Object(object) = value else {
        problems.push(Problem::at(pointer, "verwacht een object (`{ ... }`)"));
        return;
    };
    for required in spec.required {
        if object.get(*required).is_none_or(Value::is_null) {
            problems.push(Problem::at(pointer, format!("verplicht veld `{required}` ontbreekt")));
        }
    }
    for (key, field) in object {
        let child = child_pointer(pointer, key);
        match spec.fields.iter().find(|(name, _)| name == key) {
            Some((_, kind)) => check_field(field, *kind, key, &child, problems),
            None => {
                let meant = meant_field(key, spec.fields.iter().map(|(name, _)| *name))
                    .map_or_else(String::new, |meant| format!("; bedoelt u `{meant}`?"));
                problems.push(Problem::at(&child, format!("onbekend veld `{key}`{meant}")));
            }
        }
    }
}

/// Dutch names of HSDS fields, as an integrator who maps a Dutch social map may write them.
const DUTCH_FIELD_NAMES: &[(&str, &str)] = &[
    ("naam", "name"),
    ("omschrijving", "description"),
    ("beschrijving", "description"),
    ("organisatie", "organization"),
    ("telefoon", "phones"),
    ("telefoonnummer", "number"),
    ("nummer", "number"),
    ("adres", "addresses"),
    ("adressen", "addresses"),
    ("postcode", "postal_code"),
    ("plaats", "city"),
    ("woonplaats", "city"),
    ("straat", "address_1"),
    ("website", "url"),
    ("werkgebied", "service_areas"),
    ("talen", "languages"),
    ("taal", "languages"),
    ("contactpersonen", "contacts"),
    ("locatie", "location"),
    ("locaties", "service_at_locations"),
];

/// The field of `known` an unknown `key` probably means: its Dutch name, the same name in
/// another case or number (`phone` for `phones`), or one edit or two away from it.
fn meant_field<'k>(key: &str, known: impl Iterator<Item = &'k str> + Clone) -> Option<&'k str> {
    let folded = key.to_lowercase().replace(['-', ' '], "_");
    let has = |name: &str| known.clone().find(|known| *known == name);
    if let Some(meant) = DUTCH_FIELD_NAMES.iter().find(|(dutch, _)| *dutch == folded).and_then(|(_, hsds)| has(hsds)) {
        return Some(meant);
    }
    if let Some(meant) = has(&folded).or_else(|| has(&format!("{folded}s"))).or_else(|| has(folded.trim_end_matches('s'))) {
        return Some(meant);
    }
    let budget = if folded.chars().count() >= 8 { 2 } else { 1 };
    known
        .map(|name| (rapidfuzz::distance::osa::distance(folded.chars(), name.chars()), name))
        .filter(|(distance, _)| *distance <= budget && folded.chars().count() >= 4)
        .min()
        .map(|(_, name)| name)
}

/// Checks one field; `null` counts as absent.
fn check_field(value: &Value, kind: Kind, key: &str, pointer: &str, problems: &mut Problems) {
    let wrong = |what: &str| Problem::at(pointer, format!("`{key}` moet {what} zijn"));
    match (kind, value) {
        (_, Value::Null) | (Text, Value::String(_)) | (Number, Value::Number(_)) | (Flag, Value::Bool(_)) => {}
        (Text, _) => problems.push(wrong("tekst")),
        (Number, _) => problems.push(wrong("een getal")),
        (Flag, _) => problems.push(wrong("true of false")),
        (OneOf(options), _) => {
            if !value.as_str().is_some_and(|text| options.contains(&text)) {
                problems.push(wrong(&format!("een van {}", options.join(", "))));
            }
        }
        (Object(spec), _) => check_object(value, spec, pointer, problems),
        (List(spec), Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                check_object(item, spec, &format!("{pointer}/{index}"), problems);
            }
        }
        (List(_), _) => problems.push(wrong("een lijst")),
    }
}

/// The JSON pointer (RFC 6901) of member `key` of the value at `pointer`.
pub(super) fn child_pointer(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}
