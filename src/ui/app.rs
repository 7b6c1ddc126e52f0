//! The application shell.

use yew::prelude::*;

use super::filter_editor::FilterEditor;
use crate::filter::Mode;

#[function_component(App)]
pub fn app() -> Html {
    let rule = use_state(|| String::from(r#"device.trustType -eq "ServerAD" -or device.trustType -eq "AzureAD""#));
    let mode = use_state(|| Mode::Exclude);
    let on_rule = {
        let rule = rule.clone();
        Callback::from(move |r: String| rule.set(r))
    };
    let on_mode = {
        let mode = mode.clone();
        Callback::from(move |m: Mode| mode.set(m))
    };
    html! {
        <>
            <header class="app-header">
                <h1>{"ca-builder"}</h1>
                <p>{"Conditional Access policies for a passkey rollout, validated as you type."}</p>
            </header>
            <main class="layout">
                <section class="panel">
                    <h2>{"Device filter"}</h2>
                    <FilterEditor rule={AttrValue::from((*rule).clone())} mode={*mode} {on_rule} {on_mode} />
                </section>
            </main>
        </>
    }
}
