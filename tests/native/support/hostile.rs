//! The one generator of hostile inputs: a seeded random stream per input class, and the pieces
//! every class is built from (comparisons, control and bidi characters, non-ASCII text,
//! delimiters that flood a checker, sizes up to a megabyte). Used by the device-filter tests
//! (`filter_hostile`) and by the every-entry-point tests (`hostile_inputs`), so both draw the
//! same kinds of input.
//!
//! The seed is fixed so a failure reproduces; `HOSTILE_SEED=N` explores other inputs.

const SEED: u64 = 0x0ca_b01d_5eed_0010;

pub const KB: usize = 1024;
/// A rule at the service limit's order of size, one far past it, and a megabyte.
pub const SIZES: [usize; 3] = [3 * KB, 64 * KB, 1024 * KB];

/// Random numbers from the seed, one stream per class.
pub struct Rng(u64);

impl Rng {
    pub fn new(class: &str) -> Rng {
        let seed = std::env::var("HOSTILE_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(SEED);
        // One stream per class, so adding cases to one class leaves the others' inputs as they were.
        let salt = class.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        Rng(seed ^ salt)
    }

    /// SplitMix64.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    /// Any char at all, including unassigned and private-use ones.
    pub fn any_char(&mut self) -> char {
        char::from_u32(self.below(0x11_0000) as u32).unwrap_or('\u{fffd}')
    }
}

/// `piece` repeated to at most `bytes` bytes (at least once).
pub fn repeat_to(piece: &str, bytes: usize) -> String {
    piece.repeat((bytes / piece.len().max(1)).max(1))
}

/// Valid comparisons, the material hostile pieces are put into.
pub const COMPARISONS: [&str; 6] = [
    "device.trustType -eq \"AzureAD\"",
    "device.isCompliant -eq True",
    "device.deviceId -in [\"a\", \"b\"]",
    "device.model -startsWith \"Surface\"",
    "device.extensionAttribute1 -ne \"x\"",
    "device.operatingSystem -contains \"Win\"",
];

/// What must never reach a terminal raw: terminal escape sequences, C0/C1 controls, DEL, and
/// the bidi controls that reorder what is shown.
pub const CONTROLS: [&str; 14] = [
    "\u{1b}[31m",
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\0",
    "\u{7}",
    "\r",
    "\u{8}",
    "\u{7f}",
    "\u{9b}",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{200f}",
    "\u{61c}",
];

/// Non-ASCII text: letters, typographic quotes, invisible and combining characters, other
/// scripts, emoji, and the ends of the ranges.
pub const NON_ASCII: [&str; 20] = [
    "\u{fc}",
    "\u{e9}",
    "\u{2019}",
    "\u{201c}",
    "\u{201d}",
    "\u{2013}",
    "\u{ff02}",
    "\u{feff}",
    "\u{200b}",
    "\u{301}",
    "\u{1f600}",
    "\u{5d0}",
    "\u{627}",
    "\u{4e2d}",
    "\u{6f22}\u{5b57}",
    "\u{a0}",
    "\u{2028}",
    "\u{d7ff}",
    "\u{e0041}",
    "\u{10ffff}",
];

/// Delimiters and fragments that, repeated thousands of times, once flooded the checker.
pub const FLOOD: [&str; 24] = [
    ")",
    "(",
    "\"",
    "'",
    "\u{201c}",
    "\u{201d}",
    "\u{2018}",
    "[",
    "]",
    ",",
    "\\\"",
    "`\"",
    "=",
    "==",
    "&&",
    "-eq",
    " -and",
    "\"unterminated ",
    "device.",
    "-not",
    "foo",
    "0x",
    "$x",
    "\u{a0}",
];

/// One of `COMPARISONS` with up to `most` of `pieces` put in at random char boundaries:
/// inside names, strings, operators, lists and between tokens.
pub fn comparison_with(rng: &mut Rng, pieces: &[&str], most: usize) -> String {
    let mut rule = rng.pick(&COMPARISONS).to_string();
    for _ in 0..1 + rng.below(most) {
        let mut at = rng.below(rule.len() + 1);
        while !rule.is_char_boundary(at) {
            at -= 1;
        }
        rule.insert_str(at, rng.pick(pieces));
    }
    rule
}

/// At least `bytes` bytes of `pieces` in random order, with one in four a random char instead
/// when `any_chars`.
pub fn random_text(rng: &mut Rng, pieces: &[&str], bytes: usize, any_chars: bool) -> String {
    let mut text = String::new();
    while text.len() < bytes {
        if any_chars && rng.chance(4) {
            text.push(rng.any_char());
        } else {
            text.push_str(rng.pick(pieces));
        }
    }
    text
}
