//! Reading form controls from their events.

use wasm_bindgen::JsCast;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The value of a `<select>` or `<input>` an event came from.
pub fn event_value(e: &Event) -> String {
    let t = e.target();
    if let Some(s) = t.as_ref().and_then(|t| t.dyn_ref::<HtmlSelectElement>()) {
        return s.value();
    }
    if let Some(i) = t
        .as_ref()
        .and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>())
    {
        return i.value();
    }
    if let Some(i) = t.as_ref().and_then(|t| t.dyn_ref::<HtmlTextAreaElement>()) {
        return i.value();
    }
    String::new()
}
