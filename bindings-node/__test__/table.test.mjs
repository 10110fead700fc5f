// The merge tables: every object has exactly core's columns (tableColumns), camelCased,
// and index.d.ts declares exactly those keys with the matching types.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import crm from '../index.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const DATA = join(HERE, '..', '..', 'examples', 'demo', 'data')
const SOURCES = Object.fromEntries(
  ['sample_orders', 'euka', 'phone_numbers', 'refunnel', 'videos', 'products'].map((k) => [k, join(DATA, `${k}.csv`)]),
)
const RESULT_TABLES = {
  creators: 'Creator',
  samples: 'Sample',
  videos: 'Video',
  videoProducts: 'VideoProduct',
  snapshots: 'Snapshot',
  brandLinks: 'BrandLink',
  products: 'Product',
  conflicts: 'Conflict',
}
const snake = (s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const keys = (table) => crm.tableColumns(table).map((c) => c.key)
// Objects hold every column; key order is not part of the contract.
const sameKeys = (obj, expected) => assert.deepEqual(Object.keys(obj).sort(), [...expected].sort())

/** The `key: type` lines of `export interface name { ... }` in index.d.ts. */
function declared(name) {
  const dts = readFileSync(join(HERE, '..', 'index.d.ts'), 'utf8')
  const body = dts.match(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))
  assert.ok(body, `index.d.ts declares ${name}`)
  return body[1]
    .split('\n')
    .map((l) => l.match(/^ {2}(\w+): (.+)$/))
    .filter(Boolean)
    .map((m) => [m[1], m[2]])
}

const TS = {
  text: 'string',
  bool: 'boolean',
  uint64: 'number',
  decimal: 'DecimalString',
  date: 'string',
  datetime: 'IsoDateTime',
  text_list: 'Array<string>',
  counts: 'Record<string, number>',
  float64: 'number',
}
const expectedDecl = (table) => crm.tableColumns(table).map((c) => [c.key, TS[c.type] + (c.nullable ? ' | null' : '')])

describe('tableColumns', () => {
  it('keys are the core column names in camelCase', () => {
    const cols = crm.tableColumns('creators')
    assert.equal(cols.length, 21)
    assert.ok(cols.every((c) => snake(c.key) === c.name))
    assert.deepEqual(cols.slice(0, 6).map((c) => c.name), [
      'tiktok_username', 'email', 'phone', 'phone_masked', 'phone_verified', 'phone_mask_confirmed',
    ])
  })

  it('rejects an unknown table', () => {
    assert.throws(() => crm.tableColumns('nope'), { code: 'invalid_input', field: 'table' })
  })
})

describe('merge result objects', () => {
  // A brand's copy of the euka export gives brand links too.
  const m = new crm.Merger()
  m.addFiles(SOURCES)
  m.addCsv('euka', readFileSync(SOURCES.euka), { name: 'acme/euka.csv', brand: 'Acme' })
  const result = m.result()

  for (const [prop, iface] of Object.entries(RESULT_TABLES)) {
    it(`${prop}: every row has exactly the columns of ${snake(prop)}`, () => {
      assert.ok(result[prop].length > 0)
      const expected = keys(snake(prop))
      for (const row of result[prop]) sameKeys(row, expected)
    })

    it(`${iface} in index.d.ts declares those columns and types`, () => {
      assert.deepEqual(declared(iface), expectedDecl(snake(prop)))
    })
  }

  it('the report has every report column, each file every file column', () => {
    const { report } = result
    sameKeys(report, [...keys('report'), 'files'])
    for (const f of report.files) sameKeys(f, [...keys('files'), 'rejected'])
    const rejected = report.files.flatMap((f) => f.rejected)
    assert.ok(rejected.length > 0)
    const nested = keys('rejected').filter((k) => k !== 'file')
    for (const r of rejected) sameKeys(r, nested)
    assert.deepEqual(declared('MergeReport'), [...expectedDecl('report'), ['files', 'Array<FileReport>']])
    assert.deepEqual(declared('FileReport'), [...expectedDecl('files'), ['rejected', 'Array<RejectedRow>']])
    assert.deepEqual(declared('RejectedRow'), expectedDecl('rejected').filter(([k]) => k !== 'file'))
  })

  describe('analytics tables', () => {
    const d = crm.dashboard(result, { period: { start: '2020-01-01', end: '2030-01-01' } })
    const ANALYTICS = {
      top_performers: ['Performer', d.topByGmv],
      trending: ['CreatorTrend', d.trending],
      video_performance: ['CreatorVideoPerformance', d.videosByCreator],
      product_performance: ['ProductPerformance', d.products],
      sample_conversion: ['CreatorConversion', d.conversionByCreator],
      sample_conversion_by_product: ['ProductConversion', d.conversionByProduct],
      sample_conversion_overall: ['ConversionOverall', [d.conversionOverall]],
    }
    for (const [table, [iface, rows]] of Object.entries(ANALYTICS)) {
      it(`${table}: every row has exactly its columns, and ${iface} declares them`, () => {
        assert.ok(rows.length > 0)
        for (const row of rows) sameKeys(row, keys(table))
        assert.deepEqual(declared(iface), expectedDecl(table))
      })
    }

    it('rates are numbers, money decimal strings', () => {
      const rated = d.videosByCreator.find((v) => v.engagementRate !== null)
      assert.equal(typeof rated.engagementRate, 'number')
      assert.match(rated.gmvPerVideo, /^\d+\.\d{2}$/)
      assert.ok(crm.tableColumns('sample_conversion').some((c) => c.key === 'rate' && c.type === 'float64'))
    })
  })

  it('related rows of a creator carry its tiktokUsername', () => {
    const handles = new Set(result.creators.map((c) => c.tiktokUsername))
    for (const prop of ['samples', 'videos', 'snapshots', 'brandLinks']) {
      assert.ok(result[prop].every((r) => typeof r.tiktokUsername === 'string'), prop)
    }
    assert.ok(result.samples.some((s) => handles.has(s.tiktokUsername)))
    assert.equal(result.report.samples, result.samples.length)
    assert.equal(result.report.videos, result.videos.length)
    assert.equal(result.report.products, result.products.length)
    assert.ok(result.brandLinks.every((l) => l.brand === 'Acme' && handles.has(l.tiktokUsername)))
  })

  it('values have their column types', () => {
    const [c] = result.creators.filter((x) => x.followerCount !== null)
    assert.equal(typeof c.followerCount, 'number')
    assert.match(c.totalGmv, /^\d+(\.\d+)?$/)
    assert.ok(Array.isArray(c.sources))
    const dated = result.samples.find((s) => s.createdAt !== null)
    assert.match(dated.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
    const snap = result.snapshots.find((s) => s.date !== null)
    assert.match(snap.date, /^\d{4}-\d{2}-\d{2}$/)
  })
})
