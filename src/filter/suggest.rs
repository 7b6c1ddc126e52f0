//! "Did you mean": the closest candidate within a small edit distance.

/// Case-insensitive Levenshtein distance (ASCII case folding is enough for
/// the names in the catalogue).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().map(|c| c.to_ascii_lowercase()).enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let next = (diag + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a typo:
/// at most a third of the word's length, and at least one edit.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let chars = word.chars().count();
    let limit = (chars / 3).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: a long pasted
        // word is ruled out without the quadratic comparison.
        .filter(|c| chars.abs_diff(c.chars().count()) <= limit)
        .map(|c| (distance(word, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_ignoring_case() {
        assert_eq!(distance("trustTyp", "trustType"), 1);
        assert_eq!(distance("TRUSTTYPE", "trustType"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_rejects_distant_words() {
        assert_eq!(
            closest("isCompliance", ["isCompliant", "model"]),
            Some("isCompliant")
        );
        assert_eq!(closest("banana", ["isCompliant", "model"]), None);
    }
}
