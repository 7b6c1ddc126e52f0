//! Form controls shared by the step form and the passkey panel. Each is labelled, and carries
//! `aria-invalid` / `aria-describedby` when the draft has a problem with it.

mod checkbox_group;
mod id_list_field;
mod message;
mod text_field;

pub use checkbox_group::CheckboxGroup;
pub use id_list_field::IdListField;
pub use message::FieldMessage;
pub use text_field::TextField;
