// SqliteStore from JavaScript: core's conformance suite on temporary database files,
// a JavaScript wrapper around it, its protocol methods, and creators that outlive the
// process that wrote them.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import crm from '../index.js'

const { Crm, SqliteStore, runStoreConformance, storeMethods } = crm

const dir = mkdtempSync(join(tmpdir(), 'creator-crm-sqlite-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
const freshPath = () => join(dir, `store-${++files}.db`)

const failures = (results) => results.filter((r) => r.failure !== null).map((r) => `${r.name}: ${r.failure}`)
const EUKA = Buffer.from('handle,email,phone,recipient,state\nana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\nbo,bo@mailbox.org,,Bo Chan,TX\n')
const NOW = '2026-06-01T15:00:00Z'

describe('SqliteStore', () => {
  it('passes every conformance case, one fresh database file per case', () => {
    const paths = []
    const results = runStoreConformance(() => {
      paths.push(freshPath())
      return new SqliteStore(paths.at(-1))
    })
    assert.ok(results.length >= 12)
    assert.deepEqual(failures(results), [])
    assert.equal(new Set(paths).size, results.length)
  })

  it('passes them in memory and wrapped in a JavaScript object', () => {
    assert.deepEqual(failures(runStoreConformance(() => new SqliteStore(':memory:'))), [])
    const wrapped = runStoreConformance(() => {
      const inner = new SqliteStore(freshPath())
      return Object.fromEntries(storeMethods().map((m) => [m, (...a) => inner[m](...a)]))
    })
    assert.deepEqual(failures(wrapped), [])
  })

  it('has the store protocol methods and its path', () => {
    const path = freshPath()
    const store = new SqliteStore(path)
    assert.equal(store.path, path)
    assert.ok(storeMethods().every((m) => typeof store[m] === 'function'))
    new Crm(store, { workspace: 'w' }).importExports({ euka: EUKA }, NOW)
    assert.deepEqual(store.creators('w', ['bo', 'ana.b', 'nobody']).map((c) => c.creator.handle), ['ana.b', 'bo'])
    assert.deepEqual(store.creators('other', ['bo']), [])
    const [bo] = store.creators('w', ['bo'])
    assert.throws(() => store.apply('w', { changes: [{ change: 'put_creator', creator: bo, expected: bo.version + 3 }] }), {
      name: 'ConflictError',
      code: 'conflict',
    })
  })

  it('keeps creators in the file after the writing process has exited', () => {
    const path = freshPath()
    const index = fileURLToPath(new URL('../index.js', import.meta.url))
    const script = join(dir, 'write.cjs')
    writeFileSync(
      script,
      `const { Crm, SqliteStore } = require(${JSON.stringify(index)})
const crm = new Crm(new SqliteStore(process.argv[2]), { workspace: 'acme' })
crm.importExports({ euka: Buffer.from(process.argv[3], 'base64') }, process.argv[4])
crm.editCreator('bo', { city: 'Austin' }, process.argv[4])
`,
    )
    execFileSync(process.execPath, [script, path, EUKA.toString('base64'), NOW])
    const reopened = new Crm(new SqliteStore(path), { workspace: 'acme' })
    assert.deepEqual(reopened.listCreators().items.map((c) => c.tiktokUsername), ['ana.b', 'bo'])
    const bo = reopened.getCreator('bo')
    assert.equal(bo.email, 'bo@mailbox.org')
    assert.equal(bo.city, 'Austin')
    // Importing the same file again changes nothing: the evidence was kept too.
    assert.equal(reopened.importExports({ euka: EUKA }, NOW).updated, 0)
  })

  it('refuses a file that is not a database with a StorageError', () => {
    const path = join(dir, 'not-a-db.db')
    writeFileSync(path, 'this is not sqlite '.repeat(100))
    assert.throws(() => new SqliteStore(path), { name: 'StorageError', code: 'storage' })
  })
})
