//! Lenient readers over `serde_json::Value`: 12306 sends the same field as a string in one answer and a
//! number or boolean in another (`"op_2":"false"`, `"status":true`, `"isRelogin":"Y"`).

use serde_json::Value;

/// The value as text: strings as-is, numbers and booleans printed, anything else empty.
pub fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// True for `true`, `"true"`, `"Y"`, `"1"`, `1`.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "Y" | "y" | "1"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// An integer from a number or a numeric string.
pub fn int(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `messages` of the envelope joined: an array of strings, or a plain string (the query's shape).
pub fn messages(root: &Value) -> String {
    match root.get("messages") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| text(Some(m)))
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join("；"),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// The JSON of a body, if it is a JSON object.
pub fn object(body: &str) -> Option<Value> {
    let v: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).ok()?;
    v.is_object().then_some(v)
}
