// merge: source exports (paths or in-memory rows) into one creator table with a report.
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import crm from '../index.js'

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo', 'data')
const SOURCES = Object.fromEntries(
  ['sample_orders', 'euka', 'phone_numbers', 'refunnel', 'videos', 'products'].map((k) => [k, join(DATA, `${k}.csv`)]),
)

describe('mergeExports', () => {
  it('merges the bundled sample data', () => {
    const { creators, report } = crm.mergeExports(SOURCES)
    assert.equal(creators.length, report.creators)
    assert.ok(report.rowsRead > 3000)
    assert.ok(report.rowsRejected > 0)
    assert.ok(report.maskedPhonesUpgraded > 0)
    const handles = creators.map((c) => c.tiktokUsername)
    assert.deepEqual(handles, [...handles].sort())
    assert.ok(creators.every((c) => c.outreachStatus === 'pending'))
    assert.ok(creators.filter((c) => c.phoneVerified).every((c) => c.phone.startsWith('+')))
    const rejected = report.files.flatMap((f) => f.rejected)
    assert.ok(rejected.every((r) => r.line >= 2 && typeof r.reason === 'string'))
  })

  it('gives the same result off the JavaScript thread', async () => {
    const sync = crm.mergeExports(SOURCES)
    const later = await crm.mergeExportsAsync(SOURCES)
    assert.deepEqual(later, sync)
  })

  it('throws typed errors', () => {
    assert.throws(() => crm.mergeExports({ euka: join(DATA, 'missing.csv') }), { name: 'ImportError', code: 'import' })
    assert.throws(() => crm.mergeExports({ nope: join(DATA, 'euka.csv') }), { name: 'InvalidInputError' })
    assert.throws(() => crm.mergeExports(SOURCES, { defaultRegion: 'XX' }), { code: 'invalid_input' })
  })

  it('rejects the promise with a typed error', async () => {
    await assert.rejects(crm.mergeExportsAsync({ euka: join(DATA, 'missing.csv') }), { code: 'import' })
  })
})

describe('mergeRows', () => {
  it('merges in-memory rows with export-style column names', () => {
    const { creators, report } = crm.mergeRows({
      euka: [
        { handle: '@Ana.B', Email: 'Ana@Mailbox.org', phone: '(+1)832*****59' },
        { handle: 'x', email: 'secret@mailbox.org' },
      ],
      phone_numbers: [{ Username: 'ana.b', 'Phone #': '(+1)8325550159' }],
    })
    assert.equal(creators.length, 1)
    const [ana] = creators
    assert.equal(ana.tiktokUsername, 'ana.b')
    assert.equal(ana.email, 'ana@mailbox.org')
    assert.equal(ana.phone, '+18325550159')
    assert.equal(ana.phoneVerified, true)
    assert.equal(ana.totalGmv, '0')
    assert.equal(report.rowsRejected, 1)
    assert.equal(report.files.find((f) => f.kind === 'euka').rejected[0].line, 2)
    assert.ok(!JSON.stringify(report).includes('secret'))
  })
})
