//! `ca-policy`: the native CLI over the pure core.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // `args_os`: `args` panics on an argument that is not UTF-8; the CLI says which one.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::process::exit(ca_builder::cli::run_os(&args));
}

// The CLI reads files and standard input; it has no meaning in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
