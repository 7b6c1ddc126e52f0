//! The page's colours are readable in both themes: every text colour the
//! stylesheet uses meets WCAG 2 AA contrast (4.5:1) on the backgrounds it is
//! drawn on. Reads the real styles/main.css, so a colour change that breaks
//! contrast fails here.

use std::collections::HashMap;

fn themes() -> (HashMap<String, String>, HashMap<String, String>) {
    let css =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/styles/main.css")).unwrap();
    let dark_at = css
        .find("@media (prefers-color-scheme: dark)")
        .expect("a dark theme");
    let vars = |block: &str| -> HashMap<String, String> {
        let start = block.find('{').unwrap();
        let end = block.find('}').unwrap();
        block[start + 1..end]
            .split(';')
            .filter_map(|decl| {
                let (k, v) = decl.split_once(':')?;
                let k = k.trim();
                k.starts_with("--")
                    .then(|| (k.to_string(), v.trim().to_string()))
            })
            .collect()
    };
    let light = vars(&css[css.find(":root").unwrap()..]);
    let dark_block = &css[dark_at..];
    let dark = vars(&dark_block[dark_block.find(":root").unwrap()..]);
    (light, dark)
}

fn rgb(hex: &str) -> [f64; 3] {
    let h = hex.trim_start_matches('#');
    assert_eq!(h.len(), 6, "{hex}");
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap() as f64 / 255.0;
    [c(0), c(2), c(4)]
}

fn luminance(hex: &str) -> f64 {
    let lin = |c: f64| {
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(hex);
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn text_colours_meet_wcag_aa_in_light_and_dark_themes() {
    let (light, dark) = themes();
    // (text, background) pairs as the stylesheet uses them.
    let pairs = [
        ("--fg", "--bg"),
        ("--fg", "--panel"),
        ("--muted", "--bg"),
        ("--muted", "--panel"),
        ("--accent", "--panel"),
        ("--accent", "--bg"),
        ("--accent-fg", "--accent"),
        ("--error", "--bg"),
        ("--error", "--panel"),
        ("--warning", "--bg"),
        ("--warning", "--panel"),
        ("--info", "--bg"),
        ("--ok", "--panel"),
    ];
    for (name, theme) in [("light", &light), ("dark", &dark)] {
        for (fg, bg) in pairs {
            let ratio = contrast(&theme[fg], &theme[bg]);
            assert!(
                ratio >= 4.5,
                "{name} theme: {fg} on {bg} has contrast {ratio:.2}:1, below 4.5:1"
            );
        }
    }
}

#[test]
fn the_contrast_check_can_fail() {
    assert!(contrast("#777777", "#888888") < 4.5);
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 0.01);
}
