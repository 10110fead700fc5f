// The shared vectors tests/vectors/merge.json and privacy.json, checked exactly as the
// Rust runners core/tests/it/vectors_merge.rs and vectors_privacy.rs check them, and
// by every other binding too (see tests/vectors/README.md).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

import crm from '../index.js'

const load = (name) => JSON.parse(readFileSync(new URL(`../../tests/vectors/${name}`, import.meta.url), 'utf8'))
const merge = load('merge.json')
const privacy = load('privacy.json')

// Vector table → the binding's table name (tableColumns) and result property.
const TABLES = {
  creators: ['creators', 'creators'],
  samples: ['samples', 'samples'],
  videos: ['videos', 'videos'],
  video_products: ['video_products', 'videoProducts'],
  snapshots: ['snapshots', 'snapshots'],
  brand_links: ['brand_links', 'brandLinks'],
  products: ['products', 'products'],
  conflicts: ['conflicts', 'conflicts'],
}
const REPORT_TABLES = { report: 'report', report_files: 'files', report_rejected: 'rejected' }

/**
 * An object of `table` with its keys turned back into core's column names, after
 * checking it has exactly the keys tableColumns lists (`extra` and `omit`: the keys
 * its place in the report adds or leaves out).
 */
function asRow(obj, table, { extra = [], omit = [] } = {}) {
  const cols = crm.tableColumns(table).filter((c) => !omit.includes(c.name))
  assert.deepEqual(Object.keys(obj).sort(), [...cols.map((c) => c.key), ...extra].sort(), table)
  return Object.fromEntries(cols.map((c) => [c.name, obj[c.key]]))
}

// The report as the Rust runner writes it: its counters, and per file its counters and
// its rejected rows without `file` (which their place says).
function report(r) {
  const out = asRow(r, 'report', { extra: ['files'] })
  out.files = r.files.map((f) => ({
    ...asRow(f, 'files', { extra: ['rejected'] }),
    rejected: f.rejected.map((x) => asRow(x, 'rejected', { omit: ['file'] })),
  }))
  return out
}

function run(c) {
  const m = new crm.Merger({ defaultRegion: c.region ?? 'US', priorities: c.priorities })
  for (const s of c.sources) m.addCsv(s.kind, s.csv, { name: `${s.kind}.csv` })
  const got = m.result()
  const out = {}
  for (const [vector, [table, prop]] of Object.entries(TABLES)) out[vector] = got[prop].map((x) => asRow(x, table))
  out.report = report(got.report)
  return out
}

describe('merge vector tables', () => {
  it('every table has the vectors columns, in order', () => {
    const all = { ...Object.fromEntries(Object.entries(TABLES).map(([v, [t]]) => [v, t])), ...REPORT_TABLES }
    assert.deepEqual(Object.keys(merge.tables).sort(), Object.keys(all).sort())
    for (const [vector, table] of Object.entries(all)) {
      const cols = crm.tableColumns(table).map(({ name, type, nullable }) => ({ name, type, nullable }))
      assert.deepEqual(cols, merge.tables[vector], vector)
    }
  })
})

describe('merge vectors', () => {
  it('has its cases', () => assert.ok(merge.cases.length >= 10, `only ${merge.cases.length} cases`))
  for (const c of merge.cases) {
    it(c.name, () => {
      const got = run(c)
      assert.deepEqual(Object.keys(c.expected).sort(), Object.keys(got).sort(), `${c.name}: sections`)
      for (const section of Object.keys(got)) {
        assert.deepEqual(got[section], c.expected[section], `${c.name}.${section}`)
      }
    })
  }
})

describe('privacy vectors: sanitize_json', () => {
  it('has its cases', () => assert.ok(privacy.sanitize_json.length >= 5))
  for (const c of privacy.sanitize_json) {
    it(c.name, () => {
      const r = crm.sanitizeJsonReport(c.input)
      assert.deepEqual(r.value, c.output)
      assert.deepEqual(r.removed, c.removed)
      assert.deepEqual(crm.sanitizeJson(c.input), c.output)
    })
  }
})

describe('privacy vectors: redact_text', () => {
  it('has its cases', () => assert.ok(privacy.redact_text.length >= 5))
  for (const c of privacy.redact_text) {
    it(c.name, () => {
      const r = crm.redactText(c.input)
      assert.equal(r.text, c.output)
      assert.deepEqual(r.found.map((f) => f.kind), c.found)
    })
  }
})
