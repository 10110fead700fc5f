//! A JavaScript object held for calls from core: what host stores and senders share.
//!
//! Core wants `Send + Sync` stores and senders, and napi values are neither: a
//! [`JsObject`] holds the object by a `napi_ref` together with the environment and the
//! thread that made it, and calls it on that thread only. A call from any other thread is
//! refused before napi is touched ([`Failure::OffThread`]), and the caller turns that
//! into its own typed error.

// Holding a JavaScript object beyond the call that passed it takes raw napi.
#![allow(unsafe_code)]

use std::{ptr, thread::ThreadId};

use creator_crm::Error;
use napi::{
    Env, JsValue, ValueType,
    bindgen_prelude::{FromNapiValue, JsObjectValue, Object, ToNapiValue, Unknown},
    sys,
};
use serde_json::Value;

use crate::errors::HostThrew;

/// Why a call of a held object's method did not give a result.
pub enum Failure {
    /// Called from a thread other than the object's own.
    OffThread,
    /// napi could not make the call (the method was not even reached).
    CannotCall,
    /// The object has no function of that name.
    NotAFunction,
    /// The method returned a value that is not plain JSON data.
    Malformed,
    /// The method threw: the core error the caller made of the thrown value.
    Threw(Error),
}

/// A JavaScript object, bound to the thread (and environment) that made it.
pub struct JsObject {
    object: sys::napi_ref,
    env: sys::napi_env,
    thread: ThreadId,
}

// SAFETY: `object` and `env` are only used through napi on `thread`, the thread that
// owns them: `call` refuses every other thread before touching them, and `drop` leaks
// the reference rather than release it elsewhere.
unsafe impl Send for JsObject {}
unsafe impl Sync for JsObject {}

impl Drop for JsObject {
    fn drop(&mut self) {
        if std::thread::current().id() == self.thread {
            // SAFETY: on the owning thread, with the reference made in `JsObject::new`.
            unsafe {
                sys::napi_delete_reference(self.env, self.object);
            }
        }
    }
}

impl JsObject {
    /// Holds `object` for calls on this thread.
    ///
    /// # Errors
    /// When napi cannot make the reference.
    pub fn new(env: &Env, object: &Object<'_>) -> napi::Result<JsObject> {
        let mut raw = ptr::null_mut();
        // SAFETY: a live object of `env`, on its thread.
        let status = unsafe { sys::napi_create_reference(env.raw(), object.raw(), 1, &mut raw) };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::from_reason("cannot hold the object"));
        }
        Ok(JsObject {
            object: raw,
            env: env.raw(),
            thread: std::thread::current().id(),
        })
    }

    /// Calls the method `name` with `args` (converted to JavaScript values) on the
    /// owning thread, inside its own handle scope, and gives back its result as JSON
    /// (`undefined` is `null`). A thrown value is taken (cleared) and handed to
    /// `on_thrown` while it is alive; what that returns is [`Failure::Threw`].
    pub fn call(
        &self,
        name: &str,
        args: &[Value],
        on_thrown: &dyn Fn(&Env, sys::napi_value) -> Error,
    ) -> Result<Value, Failure> {
        if std::thread::current().id() != self.thread {
            return Err(Failure::OffThread);
        }
        let mut scope = ptr::null_mut();
        // SAFETY: on the owning thread; the scope is closed below.
        if unsafe { sys::napi_open_handle_scope(self.env, &mut scope) } != sys::Status::napi_ok {
            return Err(Failure::CannotCall);
        }
        let result = self.call_here(name, args, on_thrown);
        // SAFETY: the scope opened above; the values made in it are not kept (a thrown
        // value the caller keeps is held by its own reference).
        unsafe {
            sys::napi_close_handle_scope(self.env, scope);
        }
        result
    }

    /// The pending exception, taken and handed to `on_thrown`.
    fn thrown(&self, on_thrown: &dyn Fn(&Env, sys::napi_value) -> Error) -> Failure {
        let mut exc = ptr::null_mut();
        // SAFETY: on the owning thread with an exception pending.
        let status = unsafe { sys::napi_get_and_clear_last_exception(self.env, &mut exc) };
        if status != sys::Status::napi_ok || exc.is_null() {
            return Failure::CannotCall;
        }
        Failure::Threw(on_thrown(&Env::from_raw(self.env), exc))
    }

    fn call_here(
        &self,
        name: &str,
        args: &[Value],
        on_thrown: &dyn Fn(&Env, sys::napi_value) -> Error,
    ) -> Result<Value, Failure> {
        let env = self.env;
        let mut obj = ptr::null_mut();
        // SAFETY (every block below): napi calls on the owning thread, with values
        // of this handle scope.
        if unsafe { sys::napi_get_reference_value(env, self.object, &mut obj) }
            != sys::Status::napi_ok
            || obj.is_null()
        {
            return Err(Failure::CannotCall);
        }
        let mut func = ptr::null_mut();
        let key = std::ffi::CString::new(name).map_err(|_| Failure::CannotCall)?;
        match unsafe { sys::napi_get_named_property(env, obj, key.as_ptr(), &mut func) } {
            sys::Status::napi_ok => {}
            sys::Status::napi_pending_exception => return Err(self.thrown(on_thrown)),
            _ => return Err(Failure::CannotCall),
        }
        let mut ty = 0;
        if unsafe { sys::napi_typeof(env, func, &mut ty) } != sys::Status::napi_ok
            || ty != sys::ValueType::napi_function
        {
            return Err(Failure::NotAFunction);
        }
        let mut argv = Vec::with_capacity(args.len());
        for a in args {
            let v =
                unsafe { Value::to_napi_value(env, a.clone()) }.map_err(|_| Failure::CannotCall)?;
            argv.push(v);
        }
        let mut result = ptr::null_mut();
        match unsafe {
            sys::napi_call_function(env, obj, func, argv.len(), argv.as_ptr(), &mut result)
        } {
            sys::Status::napi_ok => {}
            sys::Status::napi_pending_exception => return Err(self.thrown(on_thrown)),
            _ => return Err(Failure::CannotCall),
        }
        if unsafe { sys::napi_typeof(env, result, &mut ty) } != sys::Status::napi_ok {
            return Err(Failure::Malformed);
        }
        if ty == sys::ValueType::napi_undefined {
            return Ok(Value::Null);
        }
        unsafe { Value::from_napi_value(env, result) }.map_err(|_| Failure::Malformed)
    }
}

/// A string property of an object, if it has one; a throwing getter counts as none.
pub fn text_property(env: &Env, obj: &Object<'_>, name: &str) -> Option<String> {
    let got = match obj.get_named_property::<Unknown<'_>>(name) {
        Ok(v) if matches!(v.get_type(), Ok(ValueType::String)) => {
            // SAFETY: a string value of `env`, on its thread.
            unsafe { String::from_napi_value(env.raw(), v.raw()) }.ok()
        }
        _ => None,
    };
    let mut pending = false;
    // SAFETY: on the env's thread; clears what a throwing getter left pending.
    unsafe {
        sys::napi_is_exception_pending(env.raw(), &mut pending);
        if pending {
            let mut exc = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env.raw(), &mut exc);
        }
    }
    got
}

/// A thrown value that is an `Error`, held to be thrown again as itself, with the object
/// to read its properties; `None` for any other value (only an `Error` is thrown again:
/// another value's text may hold anything).
pub fn thrown_error<'env>(
    env: &'env Env,
    thrown: sys::napi_value,
) -> Option<(HostThrew, Object<'env>)> {
    let mut is_error = false;
    // SAFETY: `thrown` is a live value of `env`, on its thread.
    if unsafe { sys::napi_is_error(env.raw(), thrown, &mut is_error) } != sys::Status::napi_ok
        || !is_error
    {
        return None;
    }
    // SAFETY: as above.
    let value = unsafe { Unknown::from_raw_unchecked(env.raw(), thrown) };
    let held = HostThrew(napi::Error::from_unknown_without_coercion(value));
    Some((held, Object::from_raw(env.raw(), thrown)))
}
