//! Files the page hands the admin: made in memory and saved through a Blob URL.

use std::fmt;

use wasm_bindgen::JsCast;

/// Which step of handing the file over the browser refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadError {
    /// The page has no document (it is not in a window).
    Detached,
    /// The browser did not make the Blob.
    Blob,
    /// The browser did not make the Blob's URL.
    BlobUrl,
    /// The browser did not make the link element.
    Anchor,
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DownloadError::Detached => "no document",
            DownloadError::Blob => "could not make the file",
            DownloadError::BlobUrl => "could not make a download link",
            DownloadError::Anchor => "no link",
        })
    }
}

impl std::error::Error for DownloadError {}

/// Saves `bytes` as a file through a Blob URL (nothing leaves the page).
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) -> Result<(), DownloadError> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(DownloadError::Detached)?;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .map_err(|_| DownloadError::Blob)?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::BlobUrl)?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| DownloadError::Anchor)?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
