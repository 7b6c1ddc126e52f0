//! The grid as a table: one row per persona, one column per device, each cell a button that
//! says ready or blocked in text (and colour), names the blocking policy in its title and, on
//! keyboard focus, in the line under the table; Enter or a click opens its journey.

use std::rc::Rc;
use yew::prelude::*;

use crate::app::bootstrap::GridView;

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub grid: Rc<GridView>,
    pub open: Option<(usize, usize)>,
    pub on_open: Callback<(usize, usize)>,
}

#[function_component(BootstrapGrid)]
pub fn bootstrap_grid(p: &GridProps) -> Html {
    let focused = use_state(|| None::<(usize, usize)>);
    let g = &p.grid;
    let said =
        |r: usize, c: usize| format!("{}, {}: {}", g.rows[r], g.columns[c], g.cells[r][c].words());
    let rows = g.cells.iter().enumerate().map(|(r, row)| {
        let cells = row.iter().enumerate().map(|(c, cell)| {
            if !g.shown(r, c) {
                // A persona of the admin's is proved on its own device only.
                return html! { <td class="bootstrap-cell not-proved" data-state="not-proved"><span aria-label="not this persona's device">{"—"}</span></td> };
            }
            let state = if cell.ready { "ready" } else { "blocked" };
            let text = match (cell.ready, cell.step) {
                (true, _) => "✓ Ready".to_string(),
                (false, Some(s)) => format!("✗ Blocked · step {}", s as u8 + 1),
                (false, None) => "✗ Blocked".to_string(),
            };
            let onclick = p.on_open.reform(move |_: MouseEvent| (r, c));
            let onfocus = {
                let focused = focused.clone();
                Callback::from(move |_: FocusEvent| focused.set(Some((r, c))))
            };
            let onblur = {
                let focused = focused.clone();
                Callback::from(move |_: FocusEvent| focused.set(None))
            };
            html! {
                <td class={classes!("bootstrap-cell", state)} data-state={state}
                    data-blocked-by={cell.blocker.as_ref().map(|b| b.id.clone())}>
                    <button type="button" id={format!("bootstrap-cell-{r}-{c}")} title={cell.words()}
                        aria-label={said(r, c)} aria-describedby="bootstrap-focus"
                        aria-expanded={(p.open == Some((r, c))).to_string()} aria-controls="bootstrap-journey"
                        {onclick} {onfocus} {onblur}>{text}</button>
                </td>
            }
        });
        html! { <tr><th scope="row">{&g.rows[r]}</th>{ for cells }</tr> }
    });
    let focus_text = focused
        .filter(|(r, c)| *r < g.rows.len() && *c < g.columns.len())
        .map(|(r, c)| said(r, c));
    html! {
        <>
            <div class="bootstrap-scroll">
                <table id="bootstrap-grid" class="bootstrap-grid">
                    <caption>{"Persona (row) on device (column): can they register a passkey in Microsoft Authenticator and sign in with it? Open a cell for its journey."}</caption>
                    <thead><tr><th scope="col">{"Persona"}</th>{ for g.columns.iter().map(|c| html! { <th scope="col">{c}</th> }) }</tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <p id="bootstrap-focus" class="hint bootstrap-focus" aria-live="polite">{focus_text.unwrap_or_default()}</p>
        </>
    }
}
