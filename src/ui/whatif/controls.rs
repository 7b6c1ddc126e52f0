//! The labelled controls What-If's sign-in form is made of.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub fn input(id: &'static str, label: &'static str, value: String, cb: Callback<String>) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    html! { <div class="field"><label for={id}>{label}</label><input type="text" {id} {value} {oninput} spellcheck="false" /></div> }
}

pub fn select(
    id: &'static str,
    label: &'static str,
    value: &str,
    opts: &[(&'static str, &'static str)],
    cb: Callback<String>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
    });
    html! {
        <div class="field"><label for={id}>{label}</label>
            <select {id} {onchange}>{ for opts.iter().map(|(v, l)| html! { <option value={*v} selected={value == *v}>{*l}</option> }) }</select>
        </div>
    }
}

pub fn check(id: &'static str, label: &str, checked: bool, cb: Callback<bool>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
    });
    html! { <label class="check" for={id}><input type="checkbox" {id} {checked} {onchange} />{" "}{label}</label> }
}
