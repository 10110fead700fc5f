// Merger: the incremental merge (files, CSV text and bytes, rows, manual edits,
// suppression, priorities, region) equals mergeExports on the same inputs; progress.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import crm from '../index.js'

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo', 'data')
const KINDS = ['sample_orders', 'euka', 'phone_numbers', 'refunnel', 'videos', 'products']
const SOURCES = Object.fromEntries(KINDS.map((k) => [k, join(DATA, `${k}.csv`)]))

describe('Merger', () => {
  const expected = crm.mergeExports(SOURCES)

  it('equals mergeExports, whatever the order sources are added in', () => {
    const forward = new crm.Merger()
    for (const k of KINDS) forward.addFile(k, SOURCES[k])
    assert.deepEqual(forward.result(), expected)
    const backward = new crm.Merger()
    for (const k of [...KINDS].reverse()) backward.addFile(k, SOURCES[k])
    assert.deepEqual(backward.result(), expected)
    assert.equal(backward.creatorCount, expected.creators.length)
  })

  it('reads CSV from a Buffer like the file, and from a string like its UTF-8 bytes', () => {
    const m = new crm.Merger()
    for (const k of KINDS) m.addCsv(k, readFileSync(SOURCES[k]), { name: SOURCES[k] })
    assert.deepEqual(m.result(), expected)
    const text = 'Handle,Email,Address\n@jose.m,josé@mailbox.org,"1 Main St, Austin, TX 78701"\n'
    const fromText = new crm.Merger()
    fromText.addCsv('euka', text)
    const fromBytes = new crm.Merger()
    fromBytes.addCsv('euka', Buffer.from(text, 'utf8'))
    assert.deepEqual(fromText.result(), fromBytes.result())
    assert.equal(fromText.result().creators[0].city, 'Austin')
  })

  it('adding a source twice changes nothing', () => {
    const m = new crm.Merger()
    m.addFiles(SOURCES)
    m.addFile('euka', SOURCES.euka)
    assert.deepEqual(m.result().creators, expected.creators)
  })

  it('rows equal mergeRows', () => {
    const rows = {
      euka: [{ handle: '@Ana', email: 'ana@mailbox.org', phone: '(+1)832*****59' }],
      phone_numbers: [{ Username: 'ana', 'Phone #': '(+1)8325550159' }],
    }
    const m = new crm.Merger()
    m.addRows('phone_numbers', rows.phone_numbers)
    m.addRows('euka', rows.euka)
    const got = m.result()
    assert.deepEqual(got, crm.mergeRows(rows))
    assert.equal(got.creators[0].phoneVerified, true)
    assert.equal(got.creators[0].phoneMaskConfirmed, true)
    assert.throws(() => m.addRows('euka', [], { brand: 'Acme' }), { code: 'invalid_input', field: 'options' })
  })

  it('a manual edit outranks every import, before or after it', () => {
    const m = new crm.Merger()
    m.addRows('euka', [{ handle: 'ana', email: 'ana@mailbox.org', city: 'Houston' }])
    m.edit('ana', { email: 'Ana@Studio.io', city: 'Austin' })
    m.addRows('euka', [{ handle: 'ana', email: 'other@mailbox.org' }], { name: 'later.csv' })
    const [ana] = m.result().creators
    assert.equal(ana.email, 'ana@studio.io')
    assert.equal(ana.city, 'Austin')
    assert.equal(ana.emailSource, 'manual')
    m.edit('ana', { firstName: 'Ana' }, '2026-01-01T00:00:00Z')
    assert.equal(m.result().creators[0].firstName, 'Ana')
  })

  it('CreatorEdit in index.d.ts declares exactly the columns an edit sets', () => {
    const dts = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'index.d.ts'), 'utf8')
    const body = dts.match(/export interface CreatorEdit \{\n([\s\S]*?)\n\}/)[1]
    const declared = [...body.matchAll(/^ {2}(\w+)\?: string$/gm)].map((x) => x[1])
    const values = {
      email: 'ana@studio.io', phone: '(415) 555-2671', firstName: 'Ana', lastName: 'Lima', addressLine1: '1 Main St',
      addressLine2: 'Apt 2', city: 'Austin', state: 'TX', zipcode: '78701', country: 'US',
    }
    assert.deepEqual(declared, Object.keys(values))
    const creatorKeys = crm.tableColumns('creators').map((c) => c.key)
    for (const key of declared) {
      const m = new crm.Merger()
      m.addRows('euka', [{ handle: 'ana' }])
      m.edit('ana', { [key]: values[key] })
      const [ana] = m.result().creators
      assert.ok(creatorKeys.includes(key), key)
      assert.notEqual(ana[key], null, key)
    }
  })

  it('SourceKind in index.d.ts names every kind the merge reads', () => {
    const dts = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'index.d.ts'), 'utf8')
    const kinds = [...dts.match(/export type SourceKind = (.*)/)[1].matchAll(/'(\w+)'/g)].map((x) => x[1])
    assert.deepEqual([...kinds].sort(), [...KINDS, 'manual'].sort())
    assert.doesNotThrow(() => new crm.Merger({ priorities: kinds }))
    for (const k of kinds) new crm.Merger().addRows(k, [])
    assert.throws(() => new crm.Merger().addRows('tiktok', []), { code: 'invalid_input' })
  })

  it('rejects a bad edit naming the field, applying nothing', () => {
    const m = new crm.Merger()
    m.addRows('euka', [{ handle: 'ana', email: 'ana@mailbox.org' }])
    assert.throws(() => m.edit('ana', { shoe_size: '42' }), { code: 'invalid_input', field: 'shoe_size' })
    assert.throws(() => m.edit('ana', { email: 'not an email' }), (e) => e.code === 'invalid_input' && !e.message.includes('not an email'))
    assert.equal(m.result().creators[0].email, 'ana@mailbox.org')
  })

  it('suppression leaves a person out, whenever their rows come', () => {
    const m = new crm.Merger()
    m.addRows('euka', [{ handle: 'ana', email: 'ana@mailbox.org' }, { handle: 'bea', email: 'bea@mailbox.org' }])
    m.suppress({ email: 'ANA@mailbox.org' })
    m.addRows('sample_orders', [{ 'Buyer Username': 'ana', 'Order ID': '1', 'SKU ID': '9' }])
    const r = m.result()
    assert.deepEqual(r.creators.map((c) => c.tiktokUsername), ['bea'])
    assert.deepEqual(r.samples, [])
    assert.equal(r.report.creatorsSuppressed, 1)
    assert.throws(() => m.suppress({}), { code: 'invalid_input' })
    assert.throws(() => m.suppress({ handle: '!' }), { code: 'invalid_input', field: 'handle' })
  })

  it('follows the priorities and the default region', () => {
    const rows = [
      ['euka', [{ handle: 'ana', phone: '(415) 555-2671' }]],
      ['phone_numbers', [{ Username: 'ana', 'Phone #': '(415) 555-0134' }]],
    ]
    const merged = (options) => {
      const m = new crm.Merger(options)
      for (const [k, r] of rows) m.addRows(k, r)
      return m.result().creators[0].phone
    }
    assert.equal(merged(), '+14155552671')
    assert.equal(merged({ priorities: ['phone_numbers', 'euka'] }), '+14155550134')
    const uk = new crm.Merger({ defaultRegion: 'GB' })
    uk.addRows('euka', [{ handle: 'ana', phone: '020 7946 0958' }])
    assert.equal(uk.result().creators[0].phone, '+442079460958')
    assert.throws(() => new crm.Merger({ priorities: ['nope'] }), { code: 'invalid_input' })
    assert.throws(() => new crm.Merger({ defaultRegion: 'XX' }), { code: 'invalid_input' })
  })

  it('without related records: the same creators and report, empty related arrays', () => {
    const lean = crm.mergeExports(SOURCES, { relatedRecords: false })
    assert.deepEqual(lean.creators, expected.creators)
    assert.deepEqual(lean.samples, [])
    assert.deepEqual(lean.videos, [])
    assert.ok(expected.samples.length > 0 && expected.videos.length > 0)
  })

  it('gives the same result off the JavaScript thread, reporting progress', async () => {
    const reports = []
    const m = new crm.Merger({ onProgress: (p) => reports.push(p) })
    await m.addFilesAsync(SOURCES)
    assert.deepEqual(await m.resultAsync(), expected)
    // Progress callbacks queued by the worker threads run before the promise settles
    // or right after: wait one turn of the event loop for the last ones.
    await new Promise((resolve) => setImmediate(resolve))
    const done = reports.filter((p) => p.done)
    assert.deepEqual(done.map((p) => p.file).sort(), Object.values(SOURCES).sort())
    for (const p of done) {
      assert.ok(p.bytesRead > 0 && p.bytesRead <= p.totalBytes)
      assert.equal(p.rowsRead, expected.report.files.find((f) => f.name === p.file).rowsRead)
    }
  })

  it('mergeExportsAsync reports progress too and rejects with typed errors', async () => {
    const files = []
    const got = await crm.mergeExportsAsync(SOURCES, { onProgress: (p) => p.done && files.push(p.kind) })
    assert.deepEqual(got, expected)
    await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(files.sort(), [...KINDS].sort())
    const m = new crm.Merger()
    await assert.rejects(m.addFilesAsync({ euka: join(DATA, 'missing.csv') }), { code: 'import' })
  })
})
