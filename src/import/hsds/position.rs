//! Where a JSON pointer points in the text: one pass over a document that already parsed, so
//! that every problem can name its line and column. An object member is found at its key, an
//! array element at its value. Lines and columns count from 1, columns in bytes (as `serde_json`'s).

use std::collections::{HashMap, HashSet};

use super::Problem;
use super::schema::child_pointer;

/// Fills in the line and column of every problem whose pointer occurs in `json`.
pub(super) fn fill(json: &[u8], problems: &mut [Problem]) {
    let wanted: HashSet<String> = problems.iter().map(|problem| problem.pointer.clone()).collect();
    let found = locate(json, &wanted);
    for problem in problems {
        if let Some(&(line, column)) = found.get(&problem.pointer) {
            problem.line = Some(line);
            problem.column = Some(column);
        }
    }
}

enum Container {
    /// An object; `parent` is the length of the pointer of the object itself.
    Object { parent: usize },
    /// An array and the index of its next element.
    Array { parent: usize, next: usize },
}

fn locate(json: &[u8], wanted: &HashSet<String>) -> HashMap<String, (usize, usize)> {
    let mut found = HashMap::new();
    let mut text = Scanner { bytes: json, at: 0, line: 1, line_start: 0 };
    let mut pointer = String::new();
    let mut stack: Vec<Container> = Vec::new();
    text.skip_whitespace();
    let mut record = |pointer: &str, position: (usize, usize)| {
        if wanted.contains(pointer) {
            found.entry(pointer.to_owned()).or_insert(position);
        }
    };
    record("", text.position());
    loop {
        // At the start of a value, which `pointer` names.
        match text.peek() {
            Some(b'{') => {
                text.at += 1;
                stack.push(Container::Object { parent: pointer.len() });
            }
            Some(b'[') => {
                text.at += 1;
                stack.push(Container::Array { parent: pointer.len(), next: 0 });
            }
            Some(b'"') => text.skip_string(),
            Some(_) => text.skip_scalar(),
            None => break,
        }
        // Move to the start of the next value, closing the containers that end on the way.
        loop {
            text.skip_whitespace();
            let (Some(container), Some(byte)) = (stack.last_mut(), text.peek()) else {
                return found;
            };
            match (container, byte) {
                (Container::Object { parent }, b'}') | (Container::Array { parent, .. }, b']') => {
                    pointer.truncate(*parent);
                    stack.pop();
                    text.at += 1;
                }
                (_, b',') => text.at += 1,
                (Container::Object { parent }, b'"') => {
                    let position = text.position();
                    let key = text.string();
                    pointer.truncate(*parent);
                    pointer = child_pointer(&pointer, &key);
                    record(&pointer, position);
                    text.skip_whitespace();
                    if text.peek() != Some(b':') {
                        return found;
                    }
                    text.at += 1;
                    text.skip_whitespace();
                    break;
                }
                (Container::Array { parent, next }, _) => {
                    pointer.truncate(*parent);
                    pointer.push('/');
                    pointer.push_str(&next.to_string());
                    *next += 1;
                    record(&pointer, text.position());
                    break;
                }
                (Container::Object { .. }, _) => return found,
            }
        }
    }
    found
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
    line_start: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn position(&self) -> (usize, usize) {
        (self.line, self.at.saturating_sub(self.line_start) + 1)
    }

    fn skip_whitespace(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                _ => break,
            }
        }
    }

    /// Skips a string (JSON strings hold no raw line breaks).
    fn skip_string(&mut self) {
        self.at += 1;
        while let Some(byte) = self.peek() {
            self.at += if byte == b'\\' { 2 } else { 1 };
            if byte == b'"' {
                break;
            }
        }
    }

    /// Reads a string and returns it decoded.
    fn string(&mut self) -> String {
        let start = self.at;
        self.skip_string();
        let raw = self.bytes.get(start..self.at).unwrap_or_default();
        match raw.get(1..raw.len().saturating_sub(1)) {
            Some(inner) if !inner.contains(&b'\\') => String::from_utf8_lossy(inner).into_owned(),
            _ => serde_json::from_slice(raw).unwrap_or_default(),
        }
    }

    fn skip_scalar(&mut self) {
        while self.peek().is_some_and(|byte| !matches!(byte, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }
}
