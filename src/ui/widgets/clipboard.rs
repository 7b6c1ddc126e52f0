//! Copying the page's text to the clipboard.

use wasm_bindgen::JsCast;

/// Copies a textarea's text. The asynchronous Clipboard API needs a secure context, which an
/// internal http:// server is not, so this selects the text and uses the synchronous copy
/// command, which works in both.
pub fn copy_from_textarea(id: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(ta) = doc
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    let was_hidden = ta.closest("[hidden]").ok().flatten();
    if let Some(h) = &was_hidden {
        let _ = h.remove_attribute("hidden");
    }
    ta.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    if let Some(h) = was_hidden {
        let _ = h.set_attribute("hidden", "");
    }
    ok
}
