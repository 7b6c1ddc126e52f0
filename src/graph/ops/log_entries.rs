//! The log entries the monitor shows (`directoryAudit`, `signIn`) and how they are read from a
//! page's items.

use serde_json::Value;

/// A `directoryAudit` entry, the parts the monitor shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryAudit {
    pub id: String,
    pub activity_date_time: String,
    pub activity_display_name: String,
    pub category: Option<String>,
    pub result: Option<String>,
    pub result_reason: Option<String>,
    pub logged_by_service: Option<String>,
    pub correlation_id: Option<String>,
    pub initiated_by: Option<Value>,
    pub target_resources: Vec<Value>,
    pub additional_details: Vec<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyValue {
    pub key: Option<String>,
    pub value: Option<String>,
}

impl DirectoryAudit {
    /// The user the event is about (first target's UPN), else who initiated it.
    pub fn user(&self) -> Option<String> {
        self.target_resources
            .iter()
            .find_map(|t| t.get("userPrincipalName").and_then(Value::as_str))
            .or_else(|| {
                self.initiated_by
                    .as_ref()
                    .and_then(|i| i.pointer("/user/userPrincipalName"))
                    .and_then(Value::as_str)
            })
            .map(str::to_string)
    }

    /// Whether the event mentions a passkey / FIDO2 method (in the result reason or details).
    pub fn mentions_passkey(&self) -> bool {
        let hit = |s: &str| {
            let l = s.to_ascii_lowercase();
            l.contains("passkey") || l.contains("fido")
        };
        self.result_reason.as_deref().is_some_and(hit)
            || self
                .additional_details
                .iter()
                .any(|kv| kv.value.as_deref().is_some_and(hit))
    }
}

/// A `signIn` entry, the parts the monitor shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignIn {
    pub id: String,
    pub created_date_time: String,
    pub user_principal_name: Option<String>,
    pub user_display_name: Option<String>,
    pub app_display_name: Option<String>,
    pub app_id: Option<String>,
    pub client_app_used: Option<String>,
    pub ip_address: Option<String>,
    pub conditional_access_status: Option<String>,
    pub status: SignInStatus,
    pub device_detail: DeviceDetail,
    /// Omitted by Graph unless the token may read CA data (see `permissions`).
    pub applied_conditional_access_policies: Vec<AppliedPolicy>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignInStatus {
    pub error_code: Option<i64>,
    pub failure_reason: Option<String>,
    pub additional_details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceDetail {
    pub device_id: Option<String>,
    pub display_name: Option<String>,
    pub operating_system: Option<String>,
    pub browser: Option<String>,
    pub is_compliant: Option<bool>,
    pub is_managed: Option<bool>,
    pub trust_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppliedPolicy {
    pub id: Option<String>,
    pub display_name: Option<String>,
    /// `success`, `failure`, `notApplied`, `notEnabled`, `reportOnlySuccess`, …
    pub result: Option<String>,
    pub enforced_grant_controls: Vec<String>,
    pub enforced_session_controls: Vec<String>,
}

/// A log entry read from its JSON object. Read by hand rather than serde-derived: the derived
/// code for these types cost ~28 KB of the web bundle. The rules are serde's with
/// `#[serde(default)]`: an absent property takes its default, `null` is `None` for an optional
/// one, and a property of the wrong type makes the whole entry unreadable (`None`).
pub trait LogEntry: Sized {
    fn read(o: &Entry) -> Option<Self>;
}

/// One JSON object being read.
pub struct Entry<'a>(&'a serde_json::Map<String, Value>);

impl<'a> Entry<'a> {
    fn of(v: &'a Value) -> Option<Entry<'a>> {
        v.as_object().map(Entry)
    }

    /// `Some(None)` when absent or null; `None` when of another type.
    fn opt<T>(&self, key: &str, f: impl Fn(&'a Value) -> Option<T>) -> Option<Option<T>> {
        match self.0.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(v) => f(v).map(Some),
        }
    }

    fn text(&self, key: &str) -> Option<Option<String>> {
        self.opt(key, |v| v.as_str().map(str::to_string))
    }

    /// A required-but-defaulted string: absent is `""`, `null` is unreadable (as serde).
    fn string(&self, key: &str) -> Option<String> {
        match self.0.get(key) {
            None => Some(String::new()),
            Some(v) => v.as_str().map(str::to_string),
        }
    }

    /// A defaulted list: absent is empty, anything but an array (null included) unreadable.
    fn list<T>(&self, key: &str, f: impl Fn(&'a Value) -> Option<T>) -> Option<Vec<T>> {
        match self.0.get(key) {
            None => Some(vec![]),
            Some(Value::Array(a)) => a.iter().map(f).collect(),
            Some(_) => None,
        }
    }

    /// A defaulted nested object.
    fn object<T: LogEntry + Default>(&self, key: &str) -> Option<T> {
        match self.0.get(key) {
            None => Some(T::default()),
            Some(v) => T::read(&Entry::of(v)?),
        }
    }
}

fn nested<T: LogEntry>(v: &Value) -> Option<T> {
    T::read(&Entry::of(v)?)
}

impl LogEntry for KeyValue {
    fn read(o: &Entry) -> Option<Self> {
        Some(KeyValue {
            key: o.text("key")?,
            value: o.text("value")?,
        })
    }
}

impl LogEntry for DirectoryAudit {
    fn read(o: &Entry) -> Option<Self> {
        Some(DirectoryAudit {
            id: o.string("id")?,
            activity_date_time: o.string("activityDateTime")?,
            activity_display_name: o.string("activityDisplayName")?,
            category: o.text("category")?,
            result: o.text("result")?,
            result_reason: o.text("resultReason")?,
            logged_by_service: o.text("loggedByService")?,
            correlation_id: o.text("correlationId")?,
            initiated_by: o.opt("initiatedBy", |v| Some(v.clone()))?,
            target_resources: o.list("targetResources", |v| Some(v.clone()))?,
            additional_details: o.list("additionalDetails", nested)?,
        })
    }
}

impl LogEntry for SignInStatus {
    fn read(o: &Entry) -> Option<Self> {
        Some(SignInStatus {
            error_code: o.opt("errorCode", Value::as_i64)?,
            failure_reason: o.text("failureReason")?,
            additional_details: o.text("additionalDetails")?,
        })
    }
}

impl LogEntry for DeviceDetail {
    fn read(o: &Entry) -> Option<Self> {
        Some(DeviceDetail {
            device_id: o.text("deviceId")?,
            display_name: o.text("displayName")?,
            operating_system: o.text("operatingSystem")?,
            browser: o.text("browser")?,
            is_compliant: o.opt("isCompliant", Value::as_bool)?,
            is_managed: o.opt("isManaged", Value::as_bool)?,
            trust_type: o.text("trustType")?,
        })
    }
}

impl LogEntry for AppliedPolicy {
    fn read(o: &Entry) -> Option<Self> {
        let strings = |v: &Value| v.as_str().map(str::to_string);
        Some(AppliedPolicy {
            id: o.text("id")?,
            display_name: o.text("displayName")?,
            result: o.text("result")?,
            enforced_grant_controls: o.list("enforcedGrantControls", strings)?,
            enforced_session_controls: o.list("enforcedSessionControls", strings)?,
        })
    }
}

impl LogEntry for SignIn {
    fn read(o: &Entry) -> Option<Self> {
        Some(SignIn {
            id: o.string("id")?,
            created_date_time: o.string("createdDateTime")?,
            user_principal_name: o.text("userPrincipalName")?,
            user_display_name: o.text("userDisplayName")?,
            app_display_name: o.text("appDisplayName")?,
            app_id: o.text("appId")?,
            client_app_used: o.text("clientAppUsed")?,
            ip_address: o.text("ipAddress")?,
            conditional_access_status: o.text("conditionalAccessStatus")?,
            status: o.object("status")?,
            device_detail: o.object("deviceDetail")?,
            applied_conditional_access_policies: o
                .list("appliedConditionalAccessPolicies", nested)?,
        })
    }
}

/// Reads log entries; entries of the wrong shape are counted, not fatal.
pub fn read_entries<T: LogEntry>(items: Vec<Value>) -> (Vec<T>, usize) {
    let mut ok = vec![];
    let mut bad = 0;
    for item in &items {
        match nested(item) {
            Some(t) => ok.push(t),
            None => bad += 1,
        }
    }
    (ok, bad)
}
