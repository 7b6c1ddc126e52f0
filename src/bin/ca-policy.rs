//! `ca-policy`: the native CLI over the pure core.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(ca_builder::cli::run(&args));
}
