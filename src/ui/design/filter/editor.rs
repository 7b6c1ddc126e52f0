//! The live device-filter editor: a textarea checked by the core on every
//! keystroke, with a highlight overlay, the diagnostics as a list (each with
//! its line:column and a one-click fix where the core offers one), and the
//! canonical form.
//!
//! Typing is checked and shown here at once; the draft (and every panel built from it: the
//! checks, the export, the What-If) takes the rule once typing pauses for [`SETTLE_MS`], on
//! blur, when the editor goes away or the page is hidden, so a keystroke costs one check of
//! the rule, not a recomputation of the page. A fix, the canonical form and the condition
//! builder go to the draft at once.

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::condition_builder::ConditionBuilder;
use super::evaluator::DeviceEvaluator;
use super::highlight::highlight_segments;
use crate::filter::{self, Diagnostic, Mode, Severity};

#[derive(Properties, PartialEq)]
pub struct FilterEditorProps {
    pub rule: AttrValue,
    pub mode: Mode,
    pub on_rule: Callback<String>,
    pub on_mode: Callback<Mode>,
}

/// How long typing must pause before the draft takes the rule.
pub const SETTLE_MS: u32 = 150;

/// The rule being typed and not yet in the draft, and what was last sent to it.
#[derive(Default)]
struct Typing {
    /// The text the editor shows while it differs from (or runs ahead of) the draft.
    text: Option<String>,
    /// The last rule sent to the draft: the draft echoing it back is not an outside change.
    sent: Option<String>,
    /// The draft's rule at the last render.
    seen: String,
    pending: Option<Timeout>,
    on_rule: Callback<String>,
}

/// Sends the typed rule to the draft now, if it has not been (the borrow ends before the
/// draft hears of it).
fn flush(typing: &RefCell<Typing>) {
    let send = {
        let mut t = typing.borrow_mut();
        match (t.pending.take(), t.text.clone()) {
            (Some(_), Some(text)) => {
                t.sent = Some(text.clone());
                Some((t.on_rule.clone(), text))
            }
            _ => None,
        }
    };
    if let Some((on_rule, text)) = send {
        on_rule.emit(text);
    }
}

#[function_component(FilterEditor)]
pub fn filter_editor(props: &FilterEditorProps) -> Html {
    let typing = use_mut_ref(Typing::default);
    let redraw = use_force_update();
    let rule = {
        let mut t = typing.borrow_mut();
        t.on_rule = props.on_rule.clone();
        if t.seen != props.rule.as_str() {
            t.seen = props.rule.to_string();
            // The draft's rule changed and not by this editor (an undo, an import, a loaded
            // draft): it replaces what was being typed.
            if t.sent.as_deref() != Some(props.rule.as_str()) {
                t.pending = None;
                t.text = None;
            }
        }
        t.text.clone().unwrap_or_else(|| props.rule.to_string())
    };
    // Sends now: a fix, the canonical form, the condition builder.
    let commit = {
        let typing = typing.clone();
        let redraw = redraw.clone();
        Callback::from(move |text: String| {
            let on_rule = {
                let mut t = typing.borrow_mut();
                t.pending = None;
                t.text = Some(text.clone());
                t.sent = Some(text.clone());
                t.on_rule.clone()
            };
            on_rule.emit(text);
            redraw.force_update();
        })
    };
    {
        // Nothing typed is lost when the editor goes away or the page is hidden.
        let typing = typing.clone();
        use_effect_with((), move |_| {
            let t = typing.clone();
            let hidden =
                web_sys::window().map(|w| EventListener::new(&w, "pagehide", move |_| flush(&t)));
            move || {
                drop(hidden);
                flush(&typing);
            }
        });
    }
    let checked = use_memo((rule.clone(), props.mode), |(rule, mode)| {
        filter::check(rule, Some(*mode))
    });
    let diagnostics: &[Diagnostic] = &checked.diagnostics;
    let valid = checked.is_valid();
    let canonical = use_memo(rule.clone(), |rule| filter::format(rule).ok());

    let on_input = {
        let typing = typing.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            let mut t = typing.borrow_mut();
            t.text = Some(ta.value());
            let settle = typing.clone();
            t.pending = Some(Timeout::new(SETTLE_MS, move || flush(&settle)));
            drop(t);
            redraw.force_update();
        })
    };
    let on_blur = {
        let typing = typing.clone();
        Callback::from(move |_: FocusEvent| flush(&typing))
    };
    let on_mode = {
        let cb = props.on_mode.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(if sel.value() == "include" {
                Mode::Include
            } else {
                Mode::Exclude
            });
        })
    };

    let segments = highlight_segments(&rule, diagnostics);
    let highlights: Html = segments
        .into_iter()
        .map(|seg| match seg.severity {
            None => html! { {seg.text} },
            Some(sev) => html! { <mark class={sev.as_str()}>{seg.text}</mark> },
        })
        .collect();

    let items: Html = diagnostics
        .iter()
        .map(|d| {
            let (line, col) = filter::line_col(&rule, d.span.start);
            let fix = d.fix.clone().map(|fix| {
                let on_rule = commit.clone();
                let rule = rule.clone();
                let label = fix.label.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_rule.emit(filter::apply_fix(&rule, &fix)));
                html! { <button type="button" class="secondary fix" {onclick}>{label}</button> }
            });
            html! {
                <li class={d.severity.as_str()} data-code={d.code} data-severity={d.severity.as_str()}>
                    <span class="sev">{d.severity.as_str()}</span>
                    <span class="pos">{format!("{line}:{col}")}</span>{" "}
                    <code>{d.code}</code>{": "}
                    <span class="msg">{&d.message}</span>
                    {fix.map(|b| html! { <div class="row">{b}</div> }).unwrap_or_default()}
                </li>
            }
        })
        .collect();

    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let summary = if rule.trim().is_empty() {
        html! { <p class="hint">{"Type a rule, e.g. "}<code>{r#"device.trustType -eq "ServerAD""#}</code></p> }
    } else if valid {
        html! { <p class="status-ok" id="device-filter-status">{"Rule is valid."}</p> }
    } else {
        html! { <p class="status-bad" id="device-filter-status">{format!("{errors} error(s): the service would reject this rule or it can never match.")}</p> }
    };

    let canonical_view = match (&*canonical, valid) {
        (Some(c), true) if *c != rule => {
            let on_rule = commit.clone();
            let c2 = c.clone();
            let onclick = Callback::from(move |_: MouseEvent| on_rule.emit(c2.clone()));
            html! {
                <div class="canonical-block">
                    <h3>{"Canonical form"}</h3>
                    <pre class="canonical" id="device-filter-canonical">{c}</pre>
                    <button type="button" class="secondary" id="device-filter-use-canonical" {onclick}>{"Use canonical form"}</button>
                </div>
            }
        }
        _ => Html::default(),
    };

    html! {
        <section class="filter-editor" aria-labelledby="device-filter-heading">
            <h3 id="device-filter-heading">{"Filter for devices"}</h3>
            <label for="device-filter-mode">{"Mode"}</label>
            <select id="device-filter-mode" onchange={on_mode}>
                <option value="exclude" selected={props.mode == Mode::Exclude}>{"Exclude matching devices from the policy"}</option>
                <option value="include" selected={props.mode == Mode::Include}>{"Apply the policy only to matching devices"}</option>
            </select>
            <label for="device-filter-rule">{"Rule"}</label>
            <div class="rule-editor-wrap">
                <div class="rule-editor">
                    <div class="highlights" aria-hidden="true">{highlights}{"\u{200b}"}</div>
                    <textarea id="device-filter-rule" spellcheck="false" autocomplete="off" rows="4"
                        aria-invalid={(!valid).to_string()}
                        aria-describedby="device-filter-status device-filter-diagnostics"
                        value={rule.clone()} oninput={on_input} onblur={on_blur} />
                </div>
            </div>
            {summary}
            <ul id="device-filter-diagnostics" class="diagnostics" data-valid={valid.to_string()} aria-live="polite" aria-label="Rule diagnostics">
                {items}
            </ul>
            {canonical_view}
            <ConditionBuilder rule={AttrValue::from(rule.clone())} on_rule={commit} />
            <DeviceEvaluator ast={checked.ast.clone()} mode={props.mode} />
        </section>
    }
}
