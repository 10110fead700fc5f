//! The store protocol in JSON, for stores written in a host language.
//!
//! A binding makes a host object (a Python object, a JS object, a Kotlin class) a
//! [`Store`] by implementing one method, [`HostStore::call`]: call the host object's
//! method named [`Method::name`] with the given positional arguments, converted to the
//! host's own values, and give back its result as JSON. [`HostBacked`] does the rest:
//! encoding the arguments, decoding and validating the results (a malformed result is
//! [`ErrorKind::Storage`] naming the method, never the data). An error the host code
//! raises travels back inside the [`crate::Error`] the binding builds (its source), so
//! the binding can hand the host its own exception again.
//!
//! The other way round, [`dispatch`] answers the same calls from a built-in store, so
//! that the bindings' `MemoryStore` and `SqliteStore` objects expose the very methods a
//! host store implements, and a host can wrap one (logging, caching, fault injection).
//!
//! | method | arguments | result |
//! |---|---|---|
//! | `creators` | workspace, handles | stored creators |
//! | `creators_with_emails` | workspace, emails | stored creators |
//! | `related` | workspace, handles | related records |
//! | `related_by_keys` | workspace, record keys | related records |
//! | `list_creators` | workspace, query | page |
//! | `search_creators` | workspace, text, limit | stored creators |
//! | `suppression` | workspace | hex hashes |
//! | `supporters` | workspace, handle | supporter state |
//! | `activity` | workspace, limit | activity records |
//! | `apply` | workspace, change set | `null` |
//!
//! Every value is the serde JSON form of the core type ([`StoredCreator`],
//! [`RelatedRecords`], [`CreatorQuery`], [`ChangeSet`], ...).

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::{
    ActivityRecord, ChangeSet, CreatorPage, CreatorQuery, Store, StoredCreator, SupporterState,
    hex_hashes,
};
use crate::{
    error::{Error, ErrorKind, Result},
    identity::{Email, Handle},
    merge::{RecordKeys, RelatedRecords},
};

/// A method of the store protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// [`Store::creators`].
    Creators,
    /// [`Store::creators_with_emails`].
    CreatorsWithEmails,
    /// [`Store::related`].
    Related,
    /// [`Store::related_by_keys`].
    RelatedByKeys,
    /// [`Store::list_creators`].
    ListCreators,
    /// [`Store::search_creators`].
    SearchCreators,
    /// [`Store::suppression`].
    Suppression,
    /// [`Store::supporters`].
    Supporters,
    /// [`Store::activity`].
    Activity,
    /// [`Store::apply`].
    Apply,
}

impl Method {
    /// Every method.
    pub const ALL: [Method; 10] = [
        Method::Creators,
        Method::CreatorsWithEmails,
        Method::Related,
        Method::RelatedByKeys,
        Method::ListCreators,
        Method::SearchCreators,
        Method::Suppression,
        Method::Supporters,
        Method::Activity,
        Method::Apply,
    ];

    /// The method's name, as the host object spells it (snake_case; bindings whose
    /// language uses camelCase convert it).
    pub const fn name(self) -> &'static str {
        match self {
            Method::Creators => "creators",
            Method::CreatorsWithEmails => "creators_with_emails",
            Method::Related => "related",
            Method::RelatedByKeys => "related_by_keys",
            Method::ListCreators => "list_creators",
            Method::SearchCreators => "search_creators",
            Method::Suppression => "suppression",
            Method::Supporters => "supporters",
            Method::Activity => "activity",
            Method::Apply => "apply",
        }
    }

    /// The method named `name` (snake_case or camelCase).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidInput`] on `method` for another name.
    pub fn parse(name: &str) -> Result<Method> {
        let snake = snake_case(name);
        Method::ALL
            .into_iter()
            .find(|m| m.name() == snake)
            .ok_or_else(|| Error::invalid("method", "not a store method"))
    }
}

/// `name` (camelCase or snake_case) in snake_case.
pub(crate) fn snake_case(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let lower = c.to_ascii_lowercase();
            let sep = c.is_ascii_uppercase().then_some('_');
            sep.into_iter().chain(std::iter::once(lower))
        })
        .collect()
}

/// What a binding implements to make a host object a store.
pub trait HostStore: Send + Sync {
    /// Calls the host object's `method` with `args` (positional, the workspace first)
    /// and gives back its result.
    ///
    /// # Errors
    /// The error the host code raised, carried as the binding sees fit (its source), or
    /// [`ErrorKind::Storage`] when the host cannot be called.
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value>;
}

/// A [`HostStore`] as a [`Store`].
#[derive(Debug, Clone)]
pub struct HostBacked<H>(pub H);

/// `value` as a protocol argument.
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| {
        Error::new(ErrorKind::Storage, "cannot encode a store argument").with_source(e)
    })
}

/// The result of the protocol method `method`, decoded.
pub(crate) fn decode<T: DeserializeOwned>(method: &'static str, value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::new(ErrorKind::Storage, "malformed store result")
            .with_field(method)
            .with_source(e)
    })
}

impl<H: HostStore> HostBacked<H> {
    fn ask<T: DeserializeOwned>(&self, method: Method, args: Vec<Value>) -> Result<T> {
        decode(method.name(), self.0.call(method, args)?)
    }
}

impl<H: HostStore> Store for HostBacked<H> {
    fn creators(&self, workspace: &str, handles: &[Handle]) -> Result<Vec<StoredCreator>> {
        self.ask(Method::Creators, vec![workspace.into(), encode(handles)?])
    }

    fn creators_with_emails(
        &self,
        workspace: &str,
        emails: &[Email],
    ) -> Result<Vec<StoredCreator>> {
        self.ask(
            Method::CreatorsWithEmails,
            vec![workspace.into(), encode(emails)?],
        )
    }

    fn related(&self, workspace: &str, handles: &[Handle]) -> Result<RelatedRecords> {
        self.ask(Method::Related, vec![workspace.into(), encode(handles)?])
    }

    fn related_by_keys(&self, workspace: &str, keys: &RecordKeys) -> Result<RelatedRecords> {
        self.ask(Method::RelatedByKeys, vec![workspace.into(), encode(keys)?])
    }

    fn list_creators(&self, workspace: &str, query: &CreatorQuery) -> Result<CreatorPage> {
        self.ask(Method::ListCreators, vec![workspace.into(), encode(query)?])
    }

    fn search_creators(
        &self,
        workspace: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<StoredCreator>> {
        self.ask(
            Method::SearchCreators,
            vec![workspace.into(), text.into(), limit.into()],
        )
    }

    fn suppression(&self, workspace: &str) -> Result<Vec<[u8; 32]>> {
        let hex: Vec<String> = self.ask(Method::Suppression, vec![workspace.into()])?;
        hex.iter()
            .map(|h| {
                hex_hashes::from_hex(h).ok_or_else(|| {
                    Error::new(ErrorKind::Storage, "malformed store result")
                        .with_field(Method::Suppression.name())
                })
            })
            .collect()
    }

    fn supporters(&self, workspace: &str, creator: &Handle) -> Result<SupporterState> {
        self.ask(Method::Supporters, vec![workspace.into(), encode(creator)?])
    }

    fn activity(&self, workspace: &str, limit: usize) -> Result<Vec<ActivityRecord>> {
        self.ask(Method::Activity, vec![workspace.into(), limit.into()])
    }

    fn apply(&self, workspace: &str, changes: &ChangeSet) -> Result<()> {
        self.0
            .call(Method::Apply, vec![workspace.into(), encode(changes)?])
            .map(|_| ())
    }
}

/// The argument `i` of a call of the protocol method `method`, decoded.
pub(crate) fn decode_arg<T: DeserializeOwned>(
    args: &[Value],
    i: usize,
    method: &'static str,
) -> Result<T> {
    let value = args.get(i).cloned().unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| {
        Error::new(ErrorKind::InvalidInput, "malformed store argument")
            .with_field(method)
            .with_source(e)
    })
}

/// [`decode_arg`] for a [`Method`].
fn arg<T: DeserializeOwned>(args: &[Value], i: usize, method: Method) -> Result<T> {
    decode_arg(args, i, method.name())
}

/// Checks that a call of `method` has `wants` arguments.
pub(crate) fn check_arity(args: &[Value], wants: usize, method: &'static str) -> Result<()> {
    if args.len() == wants {
        Ok(())
    } else {
        Err(Error::invalid("arguments", "wrong number of arguments").with_field(method))
    }
}

/// Answers a store-protocol call from `store`: what the built-in store objects of the
/// bindings do when a host calls their methods.
///
/// # Errors
/// [`ErrorKind::InvalidInput`] naming the method for arguments of the wrong shape or
/// number; the store's own errors.
pub fn dispatch(store: &dyn Store, method: Method, args: &[Value]) -> Result<Value> {
    let wants = match method {
        Method::Suppression => 1,
        Method::SearchCreators => 3,
        _ => 2,
    };
    check_arity(args, wants, method.name())?;
    let ws: String = arg(args, 0, method)?;
    match method {
        Method::Creators => encode(&store.creators(&ws, &arg::<Vec<Handle>>(args, 1, method)?)?),
        Method::CreatorsWithEmails => {
            encode(&store.creators_with_emails(&ws, &arg::<Vec<Email>>(args, 1, method)?)?)
        }
        Method::Related => encode(&store.related(&ws, &arg::<Vec<Handle>>(args, 1, method)?)?),
        Method::RelatedByKeys => encode(&store.related_by_keys(&ws, &arg(args, 1, method)?)?),
        Method::ListCreators => encode(&store.list_creators(&ws, &arg(args, 1, method)?)?),
        Method::SearchCreators => {
            let text: String = arg(args, 1, method)?;
            encode(&store.search_creators(&ws, &text, arg(args, 2, method)?)?)
        }
        Method::Suppression => {
            let hex: Vec<String> = store
                .suppression(&ws)?
                .iter()
                .map(hex_hashes::to_hex)
                .collect();
            encode(&hex)
        }
        Method::Supporters => encode(&store.supporters(&ws, &arg(args, 1, method)?)?),
        Method::Activity => encode(&store.activity(&ws, arg(args, 1, method)?)?),
        Method::Apply => {
            store.apply(&ws, &arg(args, 1, method)?)?;
            Ok(Value::Null)
        }
    }
}

/// A built-in store behind the JSON protocols both ways (the store's here, the outreach
/// store's in `outbox::host`): what every binding's host store amounts to. Tests only.
#[cfg(test)]
pub(crate) struct JsonLoop(pub(crate) super::MemoryStore);

#[cfg(test)]
impl JsonLoop {
    /// `value` through text and back, as a host language sees it.
    #[allow(clippy::unwrap_used)]
    pub(crate) fn through_text<T: Serialize + DeserializeOwned>(value: &T) -> T {
        serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
    }
}

#[cfg(test)]
impl HostStore for JsonLoop {
    fn call(&self, method: Method, args: Vec<Value>) -> Result<Value> {
        dispatch(&self.0, method, &Self::through_text(&args))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use super::*;
    use crate::store::{MemoryStore, conformance};

    use JsonLoop as Loop;

    #[test]
    fn a_store_behind_the_json_protocol_passes_the_conformance_suite() {
        let failures: Vec<String> =
            conformance::run(|| Arc::new(HostBacked(Loop(MemoryStore::new()))) as Arc<dyn Store>)
                .into_iter()
                .filter_map(|(name, r)| r.err().map(|e| format!("{name}: {e}")))
                .collect();
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn method_names_read_in_both_spellings() {
        for m in Method::ALL {
            assert_eq!(Method::parse(m.name()).unwrap(), m);
        }
        assert_eq!(
            Method::parse("relatedByKeys").unwrap(),
            Method::RelatedByKeys
        );
        assert_eq!(
            Method::parse("drop_table").unwrap_err().field(),
            Some("method")
        );
    }

    #[test]
    fn malformed_host_results_are_storage_errors_naming_the_method() {
        struct Bad;
        impl HostStore for Bad {
            fn call(&self, _: Method, _: Vec<Value>) -> Result<Value> {
                Ok(serde_json::json!([{"creator": "ana@mailbox.org"}]))
            }
        }
        let e = HostBacked(Bad).creators("w", &[]).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::Storage, Some("creators"))
        );
        assert!(!e.to_string().contains("ana@"));
        let e = dispatch(&MemoryStore::new(), Method::Activity, &[Value::from("w")]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }
}
