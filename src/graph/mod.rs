//! Microsoft Graph: the only module that makes requests (from the browser, with the admin's pasted token, to allow-listed hosts only).
