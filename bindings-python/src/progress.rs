//! Import progress for Python: a callback, or a `tqdm` bar.
//!
//! Core calls its progress hook from the threads that read the files, with the GIL
//! released; each call here re-acquires the GIL (`Python::attach`) for the Python side.
//! An exception raised by the callback (or by tqdm) is kept and stops the import: every
//! file of the call is read through [`Progress::reader`], which fails its next read once
//! a stop is asked for, later reports are skipped, and the import call raises that same
//! exception. No Rust lock is held while Python code runs, so a callback that releases
//! the GIL cannot deadlock a reader thread waiting for one.

use std::{
    collections::HashMap,
    io::{self, Read},
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
};

use creator_crm::merge::{ImportProgress, ProgressHook};
use pyo3::{
    exceptions::{PyImportError, PyTypeError},
    prelude::*,
    types::{PyBool, PyDict, PyString},
};

/// What the caller asked for.
enum Sink {
    /// A callable given one dict per report.
    Call(Py<PyAny>),
    /// A `tqdm` bar over the bytes of every file of an import call.
    Tqdm(Py<PyAny>),
}

/// The state shared by the core hook and the binding.
pub struct Progress {
    sink: Sink,
    /// The bar of the import call under way.
    bar: Mutex<Option<Py<PyAny>>>,
    /// Bytes read so far per file of the import call under way.
    bytes: Mutex<HashMap<String, u64>>,
    /// The first exception the Python side raised.
    error: Mutex<Option<PyErr>>,
    /// Set with `error`: the readers of the import call fail their next read.
    stop: Arc<AtomicBool>,
}

/// A reader that fails once its import is asked to stop.
pub struct StopReader<R> {
    inner: R,
    stop: Arc<AtomicBool>,
}

impl<R: Read> Read for StopReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(io::Error::other("stopped by the progress callback"));
        }
        self.inner.read(buf)
    }
}

/// The `tqdm.tqdm` class, or an `ImportError` saying what needs it.
fn tqdm(py: Python<'_>) -> PyResult<Sink> {
    let module = py.import("tqdm").map_err(|e| {
        let err = PyImportError::new_err(
            "progress=True and progress=\"tqdm\" need the tqdm package (pip install tqdm)",
        );
        err.set_cause(py, Some(e));
        err
    })?;
    Ok(Sink::Tqdm(module.getattr("tqdm")?.unbind()))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Progress {
    /// Reads the `progress=` argument: `None` / `False` (off), `True` / `"tqdm"` (a bar,
    /// needs the `tqdm` package) or a callable.
    pub fn from_arg(arg: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Arc<Progress>>> {
        let Some(arg) = arg.filter(|a| !a.is_none()) else {
            return Ok(None);
        };
        let py = arg.py();
        let sink = if let Ok(b) = arg.cast::<PyBool>() {
            if !b.is_true() {
                return Ok(None);
            }
            tqdm(py)?
        } else if let Ok(s) = arg.cast::<PyString>() {
            if s.to_cow()? != "tqdm" {
                return Err(PyTypeError::new_err(
                    "progress must be a callable, True, \"tqdm\" or None",
                ));
            }
            tqdm(py)?
        } else if arg.is_callable() {
            Sink::Call(arg.clone().unbind())
        } else {
            return Err(PyTypeError::new_err(
                "progress must be a callable, True, \"tqdm\" or None",
            ));
        };
        Ok(Some(Arc::new(Progress {
            sink,
            bar: Mutex::new(None),
            bytes: Mutex::new(HashMap::new()),
            error: Mutex::new(None),
            stop: Arc::new(AtomicBool::new(false)),
        })))
    }

    /// The core hook that reports to this sink.
    pub fn hook(self: &Arc<Self>) -> ProgressHook {
        let me = Arc::clone(self);
        ProgressHook::new(move |p| me.report(p))
    }

    /// `reader`, failing its next read once the Python side raised: that ends the file's
    /// import as any read error does (rows read before it stay merged).
    pub fn reader<R: Read>(&self, reader: R) -> StopReader<R> {
        StopReader {
            inner: reader,
            stop: Arc::clone(&self.stop),
        }
    }

    /// The switch set once the Python side raised: Arrow sources check it before each
    /// batch, as [`Progress::reader`] does before each read.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Starts an import call of `total_bytes` bytes (a new bar, for tqdm).
    pub fn begin(&self, py: Python<'_>, total_bytes: u64) -> PyResult<()> {
        lock(&self.bytes).clear();
        *lock(&self.error) = None;
        self.stop.store(false, Ordering::Relaxed);
        if let Sink::Tqdm(tqdm) = &self.sink {
            let kwargs = PyDict::new(py);
            kwargs.set_item("total", total_bytes)?;
            kwargs.set_item("unit", "B")?;
            kwargs.set_item("unit_scale", true)?;
            kwargs.set_item("unit_divisor", 1024)?;
            kwargs.set_item("desc", "merge")?;
            let bar = tqdm.bind(py).call((), Some(&kwargs))?;
            *lock(&self.bar) = Some(bar.unbind());
        }
        Ok(())
    }

    /// Ends an import call: closes the bar and raises what the Python side raised.
    /// A bar is full once the import is over (every byte of every file is processed).
    pub fn end(&self, py: Python<'_>) -> PyResult<()> {
        let bar = lock(&self.bar).take();
        let error = lock(&self.error).take();
        let closed = bar.map_or(Ok(()), |b| {
            let b = b.bind(py);
            if error.is_none() {
                b.setattr("n", b.getattr("total")?)?;
            }
            b.call_method0("close").map(drop)
        });
        match error {
            Some(err) => Err(err),
            None => closed,
        }
    }

    fn report(&self, p: &ImportProgress<'_>) {
        if lock(&self.error).is_some() {
            return;
        }
        let done = match &self.sink {
            Sink::Call(_) => None,
            Sink::Tqdm(_) => {
                let mut bytes = lock(&self.bytes);
                bytes.insert(p.file.to_owned(), p.bytes_read);
                Some(bytes.values().sum::<u64>())
            }
        };
        let result = Python::attach(|py| -> PyResult<()> {
            match (&self.sink, done) {
                (Sink::Call(f), _) => {
                    let d = PyDict::new(py);
                    d.set_item("file", p.file)?;
                    d.set_item("kind", p.kind.as_str())?;
                    d.set_item("bytes_read", p.bytes_read)?;
                    d.set_item("total_bytes", p.total_bytes)?;
                    d.set_item("rows_read", p.rows_read)?;
                    d.set_item("done", p.done)?;
                    f.bind(py).call1((d,)).map(drop)
                }
                (Sink::Tqdm(_), Some(n)) => {
                    let bar = lock(&self.bar).as_ref().map(|b| b.clone_ref(py));
                    if let Some(bar) = bar {
                        let bar = bar.bind(py);
                        bar.setattr("n", n)?;
                        bar.call_method0("refresh")?;
                    }
                    Ok(())
                }
                (Sink::Tqdm(_), None) => Ok(()),
            }
        });
        if let Err(err) = result {
            lock(&self.error).get_or_insert(err);
            self.stop.store(true, Ordering::Relaxed);
        }
    }
}
