//! The condition builder beside the rule editor, for those who don't type rules: property →
//! operator → value, the drop-downs from the same property catalogue the validator uses.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::evaluator::enum_select;
use crate::filter::{Op, Prop, PropertySpec, ValueKind, PROPERTIES};

#[derive(Properties, PartialEq)]
pub struct BuilderProps {
    pub rule: AttrValue,
    pub on_rule: Callback<String>,
}

/// The builder's choices.
#[derive(Clone, PartialEq)]
struct ConditionForm {
    prop: String,
    op: Op,
    value: String,
    /// `-or` or `-and`.
    joiner: String,
}

impl ConditionForm {
    fn spec(&self) -> &'static PropertySpec {
        Prop::lookup(&self.prop)
            .map(|pr| pr.spec())
            .unwrap_or(&PROPERTIES[0])
    }

    /// The operator chosen, or the property's first when it does not take that one.
    fn op(&self) -> Op {
        let spec = self.spec();
        if spec.ops.contains(self.op) {
            self.op
        } else {
            spec.ops.iter().next().unwrap_or(Op::Eq)
        }
    }
}

/// A callback that sets one choice of the form from a drop-down's value.
fn setter(
    form: &UseStateHandle<ConditionForm>,
    set: impl Fn(&mut ConditionForm, String) + 'static,
) -> Callback<Event> {
    let form = form.clone();
    Callback::from(move |e: Event| {
        let mut next = (*form).clone();
        set(&mut next, select_value(&e));
        form.set(next);
    })
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// "Add" appends the condition with `-and` / `-or`, or starts the rule.
#[function_component(ConditionBuilder)]
pub fn condition_builder(p: &BuilderProps) -> Html {
    let form = use_state(|| ConditionForm {
        prop: "trustType".to_string(),
        op: Op::Eq,
        value: String::new(),
        joiner: "-or".to_string(),
    });
    let condition = use_memo((*form).clone(), |f| {
        let spec = f.spec();
        build_condition(spec.name, f.op(), &f.value, spec.kind)
    });
    let (spec, op_now) = (form.spec(), form.op());

    let on_prop = setter(&form, |f, v| f.prop = v);
    let on_op = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            if let Some(op) = Op::ALL.into_iter().find(|o| o.canonical() == v) {
                form.set(ConditionForm {
                    op,
                    ..(*form).clone()
                });
            }
        })
    };
    let set_value = {
        let form = form.clone();
        Callback::from(move |value: String| {
            form.set(ConditionForm {
                value,
                ..(*form).clone()
            })
        })
    };
    let on_joiner = setter(&form, |f, v| f.joiner = v);
    let on_add = {
        let (rule, on_rule, joiner, condition) = (
            p.rule.to_string(),
            p.on_rule.clone(),
            form.joiner.clone(),
            (*condition).clone(),
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
        ValueKind::Enum(vals) => enum_select("builder-value", vals, &form.value, set_value, false),
        ValueKind::Bool => enum_select(
            "builder-value",
            &["True", "False"],
            &form.value,
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
            html! { <input type="text" id="builder-value" value={form.value.clone()} {oninput} {placeholder} /> }
        }
    };
    let joiner = form.joiner.as_str();
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
                    <option value="-or" selected={joiner == "-or"}>{"-or"}</option>
                    <option value="-and" selected={joiner == "-and"}>{"-and"}</option>
                </select>
                <button type="button" id="builder-add" onclick={on_add} disabled={condition.is_none()}>{"Add to rule"}</button>
            </div>
            <p class="hint">{spec.about}</p>
            if let Some(c) = (*condition).clone() { <p class="hint">{"Adds: "}<code id="builder-preview">{c}</code></p> }
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
