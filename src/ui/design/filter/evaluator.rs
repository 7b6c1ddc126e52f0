//! The device evaluator beside the rule editor: what does this rule do to a given device, and
//! does the policy then apply?

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::filter::{self, catalogue::ValueKind, Device, Expr, Mode, Prop, Value};

#[derive(Properties, PartialEq)]
pub struct EvaluatorProps {
    pub ast: Option<Expr>,
    pub mode: Mode,
}

/// The device as the admin describes it.
#[derive(Clone, Default, PartialEq)]
struct DeviceForm {
    /// Not in Entra ID: every property is null.
    unregistered: bool,
    /// (property name, value as typed); a property left empty is null.
    values: Vec<(String, String)>,
}

impl DeviceForm {
    fn get(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn with(&self, name: &str, value: String) -> DeviceForm {
        let mut values: Vec<(String, String)> = self
            .values
            .iter()
            .filter(|(n, _)| n != name)
            .cloned()
            .collect();
        values.push((name.to_string(), value));
        DeviceForm {
            values,
            ..self.clone()
        }
    }

    fn device(&self, props: &[Prop]) -> Device {
        let mut device = Device::unregistered();
        if self.unregistered {
            return device;
        }
        for prop in props {
            let raw = self.get(prop.name());
            if raw.trim().is_empty() {
                continue; // not set: null, like a property the device lacks
            }
            let v = match prop.spec().kind {
                ValueKind::Bool => Value::Bool(raw == "True"),
                ValueKind::Collection => Value::List(
                    raw.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                ),
                _ => Value::Str(raw),
            };
            device.set(prop.name(), v);
        }
        device
    }
}

/// What the evaluator shows: the properties the rule uses, whether the rule matches the
/// device, and whether the policy then applies to it.
#[derive(PartialEq)]
struct Preview {
    props: Vec<Prop>,
    matched: bool,
    applies: bool,
}

fn preview(ast: &Expr, mode: Mode, form: &DeviceForm) -> Preview {
    let mut props: Vec<Prop> = Vec::new();
    for c in ast.comparisons() {
        if !props.contains(&c.property) {
            props.push(c.property);
        }
    }
    let matched = filter::eval(ast, &form.device(&props));
    Preview {
        applies: filter::applies_to_device(mode, matched),
        matched,
        props,
    }
}

/// Inputs for the properties the rule uses; "unregistered" makes every property null.
#[function_component(DeviceEvaluator)]
pub fn device_evaluator(p: &EvaluatorProps) -> Html {
    let form = use_state(DeviceForm::default);
    let shown = use_memo(
        (p.ast.clone(), p.mode, (*form).clone()),
        |(ast, mode, form)| ast.as_ref().map(|ast| preview(ast, *mode, form)),
    );
    let Some(shown) = shown.as_ref() else {
        return html! { <p class="hint" id="eval-result" data-matches="" data-applies="">{"Fix the rule's errors to evaluate it against a device."}</p> };
    };
    let (matched, applies, unregistered) = (shown.matched, shown.applies, form.unregistered);

    let set_value = |name: &'static str| {
        let form = form.clone();
        Callback::from(move |v: String| form.set(form.with(name, v)))
    };
    let inputs = shown.props.iter().map(|prop| {
        let name = prop.name();
        let id = format!("eval-prop-{name}");
        let cb = set_value(name);
        let current = form.get(name);
        let control = match prop.spec().kind {
            ValueKind::Enum(vals) => enum_select(&id, vals, &current, cb, unregistered),
            ValueKind::Bool => enum_select(&id, &["True", "False"], &current, cb, unregistered),
            kind => {
                let oninput = Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()));
                let placeholder = if kind == ValueKind::Collection { "comma-separated values" } else { "(not set)" };
                html! { <input type="text" id={id.clone()} value={current} {oninput} {placeholder} disabled={unregistered} /> }
            }
        };
        html! { <div class="eval-prop"><label for={id}>{name}</label>{control}</div> }
    });
    let on_unregistered = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            form.set(DeviceForm {
                unregistered: e.target_unchecked_into::<HtmlInputElement>().checked(),
                ..(*form).clone()
            })
        })
    };
    let mode_words = match p.mode {
        Mode::Include => "include mode: the policy applies only to matching devices",
        Mode::Exclude => "exclude mode: matching devices are taken out of the policy",
    };
    html! {
        <details class="filter-tool" id="device-evaluator">
            <summary>{"Try the rule on a device"}</summary>
            <label class="check" for="eval-unregistered">
                <input type="checkbox" id="eval-unregistered" checked={unregistered} onchange={on_unregistered} />
                {" Unregistered device (not in Entra ID: every property is null)"}
            </label>
            <p class="hint">{"Properties left empty are null, as on a device that lacks them. Positive operators never match null; negative operators always do."}</p>
            <div class="eval-props">{ for inputs }</div>
            <p id="eval-result" data-matches={matched.to_string()} data-applies={applies.to_string()} role="status">
                {if matched { "The rule matches this device" } else { "The rule does not match this device" }}
                {format!("; in {mode_words}, the policy {} to it.", if applies { "applies" } else { "does not apply" })}
            </p>
        </details>
    }
}

/// A drop-down over a property's values, with "(not set)" first.
pub(super) fn enum_select(
    id: &str,
    vals: &[&'static str],
    current: &str,
    cb: Callback<String>,
    disabled: bool,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
    });
    html! {
        <select id={id.to_string()} {onchange} {disabled}>
            <option value="" selected={current.is_empty()}>{"(not set)"}</option>
            { for vals.iter().map(|v| html! { <option value={*v} selected={current == *v}>{*v}</option> }) }
        </select>
    }
}
