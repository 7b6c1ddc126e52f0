//! "Can each persona get a passkey?": the bootstrap proof as a persona × device grid. `panel.rs`
//! holds the choices and computes (through `crate::app::bootstrap`), `grid.rs` is the table,
//! `journey.rs` the step-by-step journey of the open cell, `fix.rs` one fix's button (a draft
//! change shown as a diff first, or a hand-off to the part of the page that does it), and
//! `switch_on.rs` the proof shown before a report-only policy is switched On, `read_methods.rs`
//! the tenant's methods policy read into the draft, `read_tenant.rs` its strengths and the
//! pilot's registered methods, `persona_form.rs` the admin's own personas.

mod fix;
mod grid;
mod journey;
mod panel;
mod persona_form;
mod read_methods;
mod read_tenant;
mod switch_on;

pub use panel::BootstrapPanel;

/// Takes the keyboard to another part of the page (opening it when it is a `<details>`).
pub(super) fn go_to(id: &str) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    if el.tag_name().eq_ignore_ascii_case("details") {
        let _ = el.set_attribute("open", "");
    }
    el.scroll_into_view();
    if let Ok(h) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
        let _ = h.focus();
    }
}
