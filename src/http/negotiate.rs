//! HTTP content negotiation: picks one of the formats a handler offers from an `Accept`
//! header, honouring quality values and wildcards (RFC 9110, section 12.5.1).

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    quality: f32,
}

impl MediaRange {
    fn matches(&self, media_type: &str) -> Option<Specificity> {
        let (kind, subtype) = media_type.split_once('/')?;
        if (self.kind == "*" || self.kind == kind) && self.subtype == "*" {
            Some(Specificity::Wildcard)
        } else if self.kind == kind && self.subtype == subtype {
            Some(Specificity::Exact)
        } else {
            None
        }
    }
}

/// Whether a format was asked for by name or only through a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Specificity {
    Wildcard,
    Exact,
}

fn parse(accept: &str) -> Vec<MediaRange> {
    accept
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let (kind, subtype) = media.split_once('/')?;
            let mut quality = 1.0;
            for parameter in parts {
                if let Some((name, value)) = parameter.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    quality = value.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
                }
            }
            Some(MediaRange { kind: kind.trim().to_owned(), subtype: subtype.trim().to_owned(), quality })
        })
        .collect()
}

/// The offered item the client prefers, with how specifically it asked for it.
/// `offers` lists (media type, item) in the server's order of preference, which breaks ties.
/// No `Accept` header means anything goes: the first offer.
pub fn choose<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<(T, Specificity)> {
    let Some(accept) = accept.filter(|accept| !accept.trim().is_empty()) else {
        return offers.first().map(|(_, item)| (*item, Specificity::Wildcard));
    };
    let ranges = parse(accept);
    let mut best: Option<(f32, Specificity, usize)> = None;
    for (index, (media_type, _)) in offers.iter().enumerate() {
        // The most specific matching range decides the quality of a media type.
        let Some((quality, specificity)) = ranges
            .iter()
            .filter_map(|range| range.matches(media_type).map(|specificity| (range.quality, specificity)))
            .max_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)))
        else {
            continue;
        };
        if quality <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((best_quality, best_specificity, _)) => {
                quality > best_quality || (quality == best_quality && specificity > best_specificity)
            }
        };
        if better {
            best = Some((quality, specificity, index));
        }
    }
    best.map(|(_, specificity, index)| (offers[index].1, specificity))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERS: [(&str, u8); 3] = [("application/json", 1), ("text/csv", 2), ("text/html", 3)];

    #[test]
    fn no_header_takes_the_first_offer() {
        assert_eq!(choose(None, &OFFERS), Some((1, Specificity::Wildcard)));
    }

    #[test]
    fn quality_values_decide() {
        assert_eq!(choose(Some("text/csv;q=0.5, text/html"), &OFFERS), Some((3, Specificity::Exact)));
    }

    #[test]
    fn exact_beats_wildcard_at_equal_quality() {
        assert_eq!(choose(Some("*/*, text/csv"), &OFFERS), Some((2, Specificity::Exact)));
    }

    #[test]
    fn unmatched_header_chooses_nothing() {
        assert_eq!(choose(Some("image/png"), &OFFERS), None);
        assert_eq!(choose(Some("text/csv;q=0"), &OFFERS), None);
    }

    #[test]
    fn browser_header_prefers_html() {
        let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(choose(Some(accept), &OFFERS), Some((3, Specificity::Exact)));
    }
}
