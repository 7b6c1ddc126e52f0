//! `ca-policy`: the native CLI over the pure core.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(ca_builder::cli::run(&args));
}

// The CLI reads files and standard input; it has no meaning in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
