//! Web entry: mounts `ui::App` (built for wasm32 by trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    ca_builder::ui::record_csp_violations();
    yew::Renderer::<ca_builder::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ca-builder is the web app: run ./scripts/dev.sh to serve it, or use the native CLI `ca-policy`.");
    std::process::exit(2);
}
