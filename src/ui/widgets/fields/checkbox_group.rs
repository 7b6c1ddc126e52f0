//! Checkboxes over an enum's wire values.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CheckboxGroupProps {
    pub id: AttrValue,
    pub legend: AttrValue,
    /// (wire value, label)
    pub options: Vec<(String, String)>,
    pub selected: Vec<String>,
    pub on_change: Callback<Vec<String>>,
}

/// Checkboxes over an enum's wire values. A selected value the app does not know (a newer
/// Graph member, or a misspelling in an imported file) is shown and kept, not dropped.
#[function_component(CheckboxGroup)]
pub fn checkbox_group(p: &CheckboxGroupProps) -> Html {
    let mut options = p.options.clone();
    for s in &p.selected {
        if !options.iter().any(|(v, _)| v == s) {
            options.push((
                s.clone(),
                format!("{s} (not a value this app knows; kept as is)"),
            ));
        }
    }
    let items = options.iter().map(|(value, label)| {
        let checked = p.selected.contains(value);
        let onchange = {
            let (cb, selected, value, order) = (
                p.on_change.clone(),
                p.selected.clone(),
                value.clone(),
                options.clone(),
            );
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut next: Vec<String> =
                    selected.iter().filter(|s| **s != value).cloned().collect();
                if on {
                    next.push(value.clone());
                    // Keep the options' order so the JSON reads the same whatever the click order.
                    crate::sort::sort_by_key(&mut next, |s| {
                        order.iter().position(|(v, _)| v == s).unwrap_or(usize::MAX)
                    });
                }
                cb.emit(next);
            })
        };
        let id = format!("{}-{}", p.id, value);
        html! {
            <label class="check" for={id.clone()}>
                <input type="checkbox" id={id} {checked} {onchange} />{" "}{label}
            </label>
        }
    });
    html! {
        <fieldset class="checks" id={p.id.clone()}>
            <legend>{&p.legend}</legend>
            { for items }
        </fieldset>
    }
}
