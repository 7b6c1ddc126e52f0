//! Two helpers beside the rule editor: a device evaluator (what does this rule
//! do to a given device, and does the policy then apply?) and a condition
//! builder whose drop-downs come from the same property catalogue the
//! validator uses, for those who don't type rules.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::filter::{self, catalogue::ValueKind, Device, Expr, Mode, Op, Prop, Value, PROPERTIES};

#[derive(Properties, PartialEq)]
pub struct EvaluatorProps {
    pub ast: Option<Expr>,
    pub mode: Mode,
}

/// Inputs for the properties the rule uses; "unregistered" makes every property null.
#[function_component(DeviceEvaluator)]
pub fn device_evaluator(p: &EvaluatorProps) -> Html {
    let unregistered = use_state(|| false);
    let values = use_state(Vec::<(String, String)>::new);
    let Some(ast) = &p.ast else {
        return html! { <p class="hint" id="eval-result" data-matches="" data-applies="">{"Fix the rule's errors to evaluate it against a device."}</p> };
    };
    let mut props: Vec<Prop> = Vec::new();
    for c in ast.comparisons() {
        if !props.contains(&c.property) {
            props.push(c.property);
        }
    }
    let get = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut device = Device::unregistered();
    if !*unregistered {
        for prop in &props {
            let raw = get(prop.name());
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
    }
    let matched = filter::eval(ast, &device);
    let applies = filter::applies_to_device(p.mode, matched);

    let set_value = |name: &'static str| {
        let values = values.clone();
        Callback::from(move |v: String| {
            let mut next: Vec<(String, String)> =
                values.iter().filter(|(n, _)| n != name).cloned().collect();
            next.push((name.to_string(), v));
            values.set(next);
        })
    };
    let inputs = props.iter().map(|prop| {
        let name = prop.name();
        let id = format!("eval-prop-{name}");
        let cb = set_value(name);
        let current = get(name);
        let control = match prop.spec().kind {
            ValueKind::Enum(vals) => enum_select(&id, vals, &current, cb, *unregistered),
            ValueKind::Bool => enum_select(&id, &["True", "False"], &current, cb, *unregistered),
            kind => {
                let oninput = Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()));
                let placeholder = if kind == ValueKind::Collection { "comma-separated values" } else { "(not set)" };
                html! { <input type="text" id={id.clone()} value={current} {oninput} {placeholder} disabled={*unregistered} /> }
            }
        };
        html! { <div class="eval-prop"><label for={id}>{name}</label>{control}</div> }
    });
    let on_unregistered = {
        let unregistered = unregistered.clone();
        Callback::from(move |e: Event| {
            unregistered.set(e.target_unchecked_into::<HtmlInputElement>().checked())
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
                <input type="checkbox" id="eval-unregistered" checked={*unregistered} onchange={on_unregistered} />
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

fn enum_select(
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

#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    pub rule: AttrValue,
    pub on_rule: Callback<String>,
}

/// Property → operator → value, from the catalogue; "Add" appends the condition
/// with `-and` / `-or`, or starts the rule.
#[function_component(ConditionBuilder)]
pub fn condition_builder(p: &BuilderProps) -> Html {
    let prop = use_state(|| "trustType".to_string());
    let op = use_state(|| Op::Eq);
    let value = use_state(String::new);
    let joiner = use_state(|| "-or".to_string());
    let spec = Prop::lookup(&prop)
        .map(|pr| pr.spec())
        .unwrap_or(&PROPERTIES[0]);
    let op_now = if spec.ops.contains(*op) {
        *op
    } else {
        spec.ops.iter().next().unwrap_or(Op::Eq)
    };

    let on_prop = {
        let prop = prop.clone();
        Callback::from(move |e: Event| {
            prop.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_op = {
        let op = op.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(o) = Op::ALL.into_iter().find(|o| o.canonical() == v) {
                op.set(o);
            }
        })
    };
    let set_value = {
        let value = value.clone();
        Callback::from(move |v: String| value.set(v))
    };
    let on_joiner = {
        let joiner = joiner.clone();
        Callback::from(move |e: Event| {
            joiner.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let condition = build_condition(spec.name, op_now, &value, spec.kind);
    let on_add = {
        let (rule, on_rule, joiner, condition) = (
            p.rule.to_string(),
            p.on_rule.clone(),
            (*joiner).clone(),
            condition.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(c) = condition.clone() else { return };
            let next = if rule.trim().is_empty() {
                c
            } else {
                format!("{} {joiner} {c}", rule.trim_end())
            };
            on_rule.emit(next);
        })
    };
    let value_control = match spec.kind {
        ValueKind::Enum(vals) => enum_select("builder-value", vals, &value, set_value, false),
        ValueKind::Bool => enum_select(
            "builder-value",
            &["True", "False"],
            &value,
            set_value,
            false,
        ),
        _ => {
            let oninput = Callback::from(move |e: InputEvent| {
                set_value.emit(e.target_unchecked_into::<HtmlInputElement>().value())
            });
            let placeholder = if matches!(op_now, Op::In | Op::NotIn) {
                "values, comma-separated"
            } else {
                "value"
            };
            html! { <input type="text" id="builder-value" value={(*value).clone()} {oninput} {placeholder} /> }
        }
    };
    html! {
        <details class="filter-tool" id="condition-builder">
            <summary>{"Build a condition"}</summary>
            <div class="builder row">
                <label for="builder-property">{"Property"}</label>
                <select id="builder-property" onchange={on_prop}>
                    { for PROPERTIES.iter().map(|s| html! {
                        <option value={s.name} selected={s.name == spec.name}>{format!("{}{}", s.name, if s.system { "" } else { " (user can change it)" })}</option>
                    }) }
                </select>
                <label for="builder-operator">{"Operator"}</label>
                <select id="builder-operator" onchange={on_op}>
                    { for spec.ops.iter().map(|o| html! { <option value={o.canonical()} selected={o == op_now}>{o.canonical()}</option> }) }
                </select>
                <label for="builder-value">{"Value"}</label>
                {value_control}
                <label for="builder-joiner">{"Join with"}</label>
                <select id="builder-joiner" onchange={on_joiner}>
                    <option value="-or" selected={*joiner == "-or"}>{"-or"}</option>
                    <option value="-and" selected={*joiner == "-and"}>{"-and"}</option>
                </select>
                <button type="button" id="builder-add" onclick={on_add} disabled={condition.is_none()}>{"Add to rule"}</button>
            </div>
            <p class="hint">{spec.about}</p>
            if let Some(c) = condition { <p class="hint">{"Adds: "}<code id="builder-preview">{c}</code></p> }
        </details>
    }
}

/// The condition text, or None while the value is missing. Double quotes are not allowed
/// inside values (no escape exists), so they are dropped; the validator would reject them.
fn build_condition(prop: &str, op: Op, value: &str, kind: ValueKind) -> Option<String> {
    let clean = |s: &str| s.trim().replace('"', "");
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let rhs = match (kind, op) {
        (_, Op::In | Op::NotIn) => {
            let items: Vec<String> = value
                .split(',')
                .map(clean)
                .filter(|s| !s.is_empty())
                .map(|s| format!("\"{s}\""))
                .collect();
            if items.is_empty() {
                return None;
            }
            format!("[{}]", items.join(", "))
        }
        (ValueKind::Bool, _) => value.to_string(),
        _ => format!("\"{}\"", clean(value)),
    };
    Some(format!("device.{prop} {} {rhs}", op.canonical()))
}
