//! One small stable sort for the web bundle's lists.
//!
//! Why not `slice::sort_by`: each call site with its own element type and comparison gets its
//! own copy of the standard library's driftsort (~4 KB of wasm each; eight of them were 36 KB
//! of the bundle before `wasm-opt`, against a 400 KB gzip budget). Every list sorted here is
//! short or nearly sorted already (log pages arrive newest first, findings in severity order),
//! which is where insertion sort is at its best; the worst case, a reversed list of n items,
//! costs n²/2 comparisons. The device-filter checker keeps the standard sort: its diagnostics
//! are on the keystroke path and a pasted page of garbage can raise a thousand of them.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        // Strictly greater only: equal elements keep their order (stable).
        while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Sorts `v` stably by the key `f` extracts.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        // Every arrangement of a small multiset, compared with std's stable sort.
        let items = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (0, 'f')];
        let mut state = 0x2545_f491_u64;
        for _ in 0..500 {
            let mut v = items.to_vec();
            for i in (1..v.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                v.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let mut want = v.clone();
            want.sort_by_key(|x| x.0);
            sort_by_key(&mut v, |x| x.0);
            assert_eq!(v, want);
        }
        let mut empty: Vec<u8> = vec![];
        sort_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
