//! The outreach half of the JSON store protocol ([`crate::store::host`]), for outreach
//! stores written in a host language.
//!
//! A binding makes a host object an [`OutreachStore`] by implementing
//! [`HostOutreachStore::call_outreach`] (call the host object's method named
//! [`OutreachMethod::name`] with these positional arguments, give back its result as
//! JSON); [`HostBacked`] encodes, decodes and validates. A host store that keeps both
//! creators and outreach state implements [`crate::store::host::HostStore`] too, and the
//! one [`HostBacked`] value is both a [`crate::store::Store`] and an [`OutreachStore`].
//! [`dispatch_outreach`] answers the same calls from a built-in store, so the bindings'
//! `MemoryStore` and `SqliteStore` objects expose these methods as well.
//!
//! | method | arguments | result |
//! |---|---|---|
//! | `outbox` | workspace, ids | outbox entries |
//! | `outbox_with_status` | workspace, status, limit | outbox entries |
//! | `outbox_of` | workspace, handle | outbox entries |
//! | `outbox_to` | workspace, address | outbox entries |
//! | `consent` | workspace, handles | consent entries |
//! | `events_seen` | workspace, event keys | event keys |
//! | `apply_outreach` | workspace, changes | `null` |
//!
//! Every value is the serde JSON form of the core type ([`OutboxEntry`],
//! [`ConsentEntry`], [`OutboxStatus`], [`OutreachChange`], ...).

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ConsentEntry, OutboxEntry, OutboxStatus, OutreachChange, OutreachStore};
use crate::{
    error::{Error, Result},
    identity::Handle,
    store::host::{HostBacked, check_arity, decode, decode_arg, encode, snake_case},
};

/// A method of the outreach half of the store protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutreachMethod {
    /// [`OutreachStore::outbox`].
    Outbox,
    /// [`OutreachStore::outbox_with_status`].
    OutboxWithStatus,
    /// [`OutreachStore::outbox_of`].
    OutboxOf,
    /// [`OutreachStore::outbox_to`].
    OutboxTo,
    /// [`OutreachStore::consent`].
    Consent,
    /// [`OutreachStore::events_seen`].
    EventsSeen,
    /// [`OutreachStore::apply_outreach`].
    ApplyOutreach,
}

impl OutreachMethod {
    /// Every method.
    pub const ALL: [OutreachMethod; 7] = [
        OutreachMethod::Outbox,
        OutreachMethod::OutboxWithStatus,
        OutreachMethod::OutboxOf,
        OutreachMethod::OutboxTo,
        OutreachMethod::Consent,
        OutreachMethod::EventsSeen,
        OutreachMethod::ApplyOutreach,
    ];

    /// The method's name, as the host object spells it (snake_case; bindings whose
    /// language uses camelCase convert it).
    pub const fn name(self) -> &'static str {
        match self {
            OutreachMethod::Outbox => "outbox",
            OutreachMethod::OutboxWithStatus => "outbox_with_status",
            OutreachMethod::OutboxOf => "outbox_of",
            OutreachMethod::OutboxTo => "outbox_to",
            OutreachMethod::Consent => "consent",
            OutreachMethod::EventsSeen => "events_seen",
            OutreachMethod::ApplyOutreach => "apply_outreach",
        }
    }

    /// The number of arguments, the workspace included.
    const fn arity(self) -> usize {
        match self {
            OutreachMethod::OutboxWithStatus => 3,
            _ => 2,
        }
    }

    /// The method named `name` (snake_case or camelCase).
    ///
    /// # Errors
    /// [`crate::ErrorKind::InvalidInput`] on `method` for another name.
    pub fn parse(name: &str) -> Result<OutreachMethod> {
        let snake = snake_case(name);
        OutreachMethod::ALL
            .into_iter()
            .find(|m| m.name() == snake)
            .ok_or_else(|| Error::invalid("method", "not an outreach store method"))
    }
}

/// What a binding implements to make a host object an outreach store.
pub trait HostOutreachStore: Send + Sync {
    /// Calls the host object's `method` with `args` (positional, the workspace first)
    /// and gives back its result.
    ///
    /// # Errors
    /// The error the host code raised, carried as the binding sees fit (its source), or
    /// [`crate::ErrorKind::Storage`] when the host cannot be called.
    fn call_outreach(&self, method: OutreachMethod, args: Vec<Value>) -> Result<Value>;
}

impl<H: HostOutreachStore> HostBacked<H> {
    fn ask_outreach<T: DeserializeOwned>(
        &self,
        method: OutreachMethod,
        args: Vec<Value>,
    ) -> Result<T> {
        decode(method.name(), self.0.call_outreach(method, args)?)
    }
}

impl<H: HostOutreachStore> OutreachStore for HostBacked<H> {
    fn outbox(&self, workspace: &str, ids: &[String]) -> Result<Vec<OutboxEntry>> {
        self.ask_outreach(OutreachMethod::Outbox, vec![workspace.into(), encode(ids)?])
    }

    fn outbox_with_status(
        &self,
        workspace: &str,
        status: OutboxStatus,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>> {
        self.ask_outreach(
            OutreachMethod::OutboxWithStatus,
            vec![workspace.into(), encode(&status)?, limit.into()],
        )
    }

    fn outbox_of(&self, workspace: &str, creator: &Handle) -> Result<Vec<OutboxEntry>> {
        self.ask_outreach(
            OutreachMethod::OutboxOf,
            vec![workspace.into(), encode(creator)?],
        )
    }

    fn outbox_to(&self, workspace: &str, to: &str) -> Result<Vec<OutboxEntry>> {
        self.ask_outreach(OutreachMethod::OutboxTo, vec![workspace.into(), to.into()])
    }

    fn consent(&self, workspace: &str, creators: &[Handle]) -> Result<Vec<ConsentEntry>> {
        self.ask_outreach(
            OutreachMethod::Consent,
            vec![workspace.into(), encode(creators)?],
        )
    }

    fn events_seen(&self, workspace: &str, keys: &[String]) -> Result<Vec<String>> {
        self.ask_outreach(
            OutreachMethod::EventsSeen,
            vec![workspace.into(), encode(keys)?],
        )
    }

    fn apply_outreach(&self, workspace: &str, changes: &[OutreachChange]) -> Result<()> {
        self.0
            .call_outreach(
                OutreachMethod::ApplyOutreach,
                vec![workspace.into(), encode(changes)?],
            )
            .map(|_| ())
    }
}

/// Answers an outreach-protocol call from `store`: what the built-in store objects of
/// the bindings do when a host calls their outreach methods.
///
/// # Errors
/// [`crate::ErrorKind::InvalidInput`] naming the method for arguments of the wrong shape
/// or number; the store's own errors.
pub fn dispatch_outreach(
    store: &dyn OutreachStore,
    method: OutreachMethod,
    args: &[Value],
) -> Result<Value> {
    let name = method.name();
    check_arity(args, method.arity(), name)?;
    let ws: String = decode_arg(args, 0, name)?;
    match method {
        OutreachMethod::Outbox => {
            encode(&store.outbox(&ws, &decode_arg::<Vec<String>>(args, 1, name)?)?)
        }
        OutreachMethod::OutboxWithStatus => encode(&store.outbox_with_status(
            &ws,
            decode_arg(args, 1, name)?,
            decode_arg(args, 2, name)?,
        )?),
        OutreachMethod::OutboxOf => encode(&store.outbox_of(&ws, &decode_arg(args, 1, name)?)?),
        OutreachMethod::OutboxTo => {
            encode(&store.outbox_to(&ws, &decode_arg::<String>(args, 1, name)?)?)
        }
        OutreachMethod::Consent => {
            encode(&store.consent(&ws, &decode_arg::<Vec<Handle>>(args, 1, name)?)?)
        }
        OutreachMethod::EventsSeen => {
            encode(&store.events_seen(&ws, &decode_arg::<Vec<String>>(args, 1, name)?)?)
        }
        OutreachMethod::ApplyOutreach => {
            let changes: Vec<OutreachChange> = decode_arg(args, 1, name)?;
            store.apply_outreach(&ws, &changes)?;
            Ok(Value::Null)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use super::*;
    use crate::{
        ErrorKind,
        outbox::conformance,
        store::{MemoryStore, host::JsonLoop as Loop},
    };

    impl HostOutreachStore for Loop {
        fn call_outreach(&self, method: OutreachMethod, args: Vec<Value>) -> Result<Value> {
            let result = dispatch_outreach(&self.0, method, &Self::through_text(&args))?;
            Ok(Self::through_text(&result))
        }
    }

    #[test]
    fn an_outreach_store_behind_the_json_protocol_passes_the_conformance_suite() {
        let failures: Vec<String> = conformance::run(|| {
            Arc::new(HostBacked(Loop(MemoryStore::new()))) as Arc<dyn OutreachStore>
        })
        .into_iter()
        .filter_map(|(name, r)| r.err().map(|e| format!("{name}: {e}")))
        .collect();
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn method_names_read_in_both_spellings() {
        for m in OutreachMethod::ALL {
            assert_eq!(OutreachMethod::parse(m.name()).unwrap(), m);
        }
        assert_eq!(
            OutreachMethod::parse("applyOutreach").unwrap(),
            OutreachMethod::ApplyOutreach
        );
        assert_eq!(
            OutreachMethod::parse("creators").unwrap_err().field(),
            Some("method")
        );
    }

    #[test]
    fn malformed_results_and_arguments_are_typed_errors_naming_the_method() {
        struct Bad;
        impl HostOutreachStore for Bad {
            fn call_outreach(&self, _: OutreachMethod, _: Vec<Value>) -> Result<Value> {
                Ok(serde_json::json!([{"to": "ana@mailbox.org"}]))
            }
        }
        let e = HostBacked(Bad).outbox_to("w", "x").unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::Storage, Some("outbox_to"))
        );
        assert!(!e.to_string().contains("ana@"));

        let store = MemoryStore::new();
        let e = dispatch_outreach(&store, OutreachMethod::Outbox, &[Value::from("w")]).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("outbox"))
        );
        let e = dispatch_outreach(
            &store,
            OutreachMethod::OutboxWithStatus,
            &["w".into(), "lost".into(), 5.into()],
        )
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("outbox_with_status"))
        );
    }
}
