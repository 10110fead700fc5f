// Crm over MemoryStore and over JavaScript stores: imports, manual edits, erasure,
// lists and paging, profiles, workspaces, roles, supporters, alerts, the activity log.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'

import crm from '../index.js'

const { Crm, MemoryStore, storeMethods } = crm

const NOW = '2026-03-02T09:00:00Z'
const EUKA = Buffer.from(
  'handle,email,phone,recipient\n' +
    '@ana.b,ana@mailbox.org,(+1)832*****59,Ana Bell\n' +
    'bo,bo@mailbox.org,,Bo Chan\n' +
    'cy,cy@mailbox.org,4155550124,Cy Dale\n',
)
const PHONES = Buffer.from('handle,phone\nana.b,(+1)8325550159\n')
const METRICS = Buffer.from('handle,followers,gmv\nana.b,12000,$1500\nbo,900,10\ncy,45000,$20000.50\n')
const KEY = Buffer.from('0123456789abcdef')

/** A JavaScript store wrapping a MemoryStore: calls are logged, faults injected. */
function wrapped(inner = new MemoryStore()) {
  const store = { calls: [], fail: {} }
  for (const m of storeMethods()) {
    store[m] = (...args) => {
      store.calls.push(m)
      if (store.fail[m]) throw store.fail[m]
      return inner[m](...args)
    }
  }
  return store
}

function imported(store = new MemoryStore(), options = {}) {
  const c = new Crm(store, options)
  c.importExports({ euka: EUKA, phone_numbers: PHONES }, NOW)
  return c
}

const handles = (rows) => rows.map((r) => r.tiktokUsername)

describe('Crm', () => {
  for (const [label, make] of [
    ['MemoryStore', () => new MemoryStore()],
    ['a JavaScript store', () => wrapped()],
  ]) {
    it(`imports, gets, lists and searches creators (${label})`, () => {
      const c = new Crm(make(), { workspace: 'brand-a' })
      assert.equal(c.workspace, 'brand-a')
      const out = c.importExports({ euka: EUKA, phone_numbers: PHONES, refunnel: METRICS }, NOW)
      assert.deepEqual([out.report.rowsRead, out.report.rowsRejected], [7, 0])
      assert.deepEqual([out.created, out.updated, out.deleted], [3, 0, 0])
      const ana = c.getCreator('@Ana.B')
      assert.equal(ana.tiktokUsername, 'ana.b')
      assert.equal(ana.phone, '+18325550159')
      assert.equal(ana.phoneVerified, true)
      assert.equal(ana.phoneMaskConfirmed, true)
      assert.equal(ana.totalGmv, '1500')
      assert.equal(ana.followerCount, 12000)
      assert.deepEqual(ana.profile, {
        badge: null,
        tier: null,
        whitelisted: false,
        tags: [],
        notes: '',
        outreachStatus: 'pending',
      })
      assert.deepEqual(ana.brands, [])
      assert.equal(ana.version, 1)
      assert.equal(c.getCreator('nobody'), null)

      const page = c.listCreators({ orderBy: '-followerCount', limit: 2 })
      assert.deepEqual(handles(page.items), ['cy', 'ana.b'])
      assert.equal(page.total, 3)
      assert.equal(typeof page.nextCursor, 'string')
      const rest = c.listCreators({ orderBy: '-followerCount', limit: 2, cursor: page.nextCursor })
      assert.deepEqual(handles(rest.items), ['bo'])
      assert.equal(rest.nextCursor, null)
      assert.deepEqual(handles(c.listCreators({ where: { hasPhone: true } }).items), ['ana.b', 'cy'])
      assert.deepEqual(handles(c.listCreators({ orderBy: 'totalGmv' }).items), ['bo', 'ana.b', 'cy'])
      assert.deepEqual(handles(c.searchCreators('DALE')), ['cy'])
      assert.deepEqual(handles(c.searchCreators('mailbox', 2)), ['ana.b', 'bo'])
    })
  }

  it('refuses unknown filters, sort fields and cursors of another query', () => {
    const c = imported()
    const page = c.listCreators({ orderBy: '-followerCount', limit: 1 })
    assert.throws(() => c.listCreators({ where: { hasFone: true } }), { code: 'invalid_input', field: 'where' })
    assert.throws(() => c.listCreators({ orderBy: 'email' }), { code: 'invalid_input', field: 'order_by' })
    assert.throws(
      () => c.listCreators({ orderBy: 'followerCount', limit: 1, cursor: page.nextCursor }),
      { name: 'InvalidInputError', code: 'invalid_input', field: 'cursor' },
    )
  })

  it('pages through every creator once, in order, while creators are added', () => {
    const c = new Crm(new MemoryStore())
    const rows = Array.from({ length: 25 }, (_, i) => `c${String(i).padStart(2, '0')},c${i}@mail.org,,C ${i}`)
    c.importExports({ euka: Buffer.from('handle,email,phone,recipient\n' + rows.join('\n') + '\n') }, NOW)
    const seen = []
    let cursor = null
    let pages = 0
    do {
      const page = c.listCreators({ limit: 10, cursor })
      seen.push(...handles(page.items))
      cursor = page.nextCursor
      if (pages++ === 0) c.editCreator('a0', { firstName: 'Early' }, NOW) // sorts before the cursor
    } while (cursor)
    assert.equal(pages, 3)
    assert.deepEqual(seen, rows.map((r) => r.split(',')[0]))
    assert.equal(c.listCreators({ limit: 1 }).total, 26)
  })

  it('keeps manual edits across re-imports, and erasure is final', () => {
    const c = imported()
    const bo = c.editCreator('bo', { email: 'bo.chan@workmail.co', firstName: 'Bob' }, NOW)
    assert.equal(bo.email, 'bo.chan@workmail.co')
    assert.equal(bo.emailSource, 'manual')
    assert.equal(bo.firstName, 'Bob')
    assert.equal(bo.version, 2)
    c.importExports({ euka: EUKA }, NOW)
    assert.equal(c.getCreator('bo').email, 'bo.chan@workmail.co')
    assert.equal(c.getCreator('bo').firstName, 'Bob')

    assert.equal(c.eraseCreator('ana.b', NOW), 1)
    const again = c.importExports({ euka: EUKA, phone_numbers: PHONES }, NOW)
    assert.equal(again.created, 0)
    assert.equal(c.getCreator('ana.b'), null)
    assert.deepEqual(c.searchCreators('ana'), [])
    assert.equal(c.listCreators().total, 2)
    const log = c.activityLog()
    assert.deepEqual(log.map((r) => r.action), ['import', 'erase_creator', 'import', 'edit_creator', 'import'])
    assert.deepEqual(log.map((r) => r.seq), [5, 4, 3, 2, 1])
    assert.deepEqual(log[3], {
      seq: 2,
      at: '2026-03-02T09:00:00Z',
      actor: 'local',
      action: 'edit_creator',
      target: 'bo',
      detail: 'fields=email,first_name',
    })
    assert.ok(log.every((r) => !r.target.includes('ana') && !r.detail.includes('@')))
    assert.equal(c.activityLog(1).length, 1)
  })

  it('refuses bad edits with the field named and nothing written', () => {
    const c = imported()
    assert.throws(() => c.editCreator('bo', { colour: 'red' }, NOW), { code: 'invalid_input' })
    assert.throws(() => c.editCreator('bo', { email: 'not an email' }, NOW), { code: 'invalid_input', field: 'email' })
    assert.throws(() => c.getCreator('a'), { code: 'invalid_input' })
    assert.equal(c.getCreator('bo').version, 1)
    assert.equal(c.activityLog().length, 1)
  })

  it('updates profiles, filters by them, and keeps workspaces apart', () => {
    const store = new MemoryStore()
    const a = imported(store, { workspace: 'brand-a' })
    const profile = a.updateProfile('cy', { addTags: ['vip', ' '], whitelisted: true, badge: 'gold' }, NOW)
    assert.deepEqual(profile, {
      badge: 'gold',
      tier: null,
      whitelisted: true,
      tags: ['vip'],
      notes: '',
      outreachStatus: 'pending',
    })
    assert.deepEqual(handles(a.listCreators({ where: { tags: ['vip'] } }).items), ['cy'])
    assert.deepEqual(handles(a.listCreators({ where: { badge: 'gold', whitelisted: true } }).items), ['cy'])
    assert.equal(a.updateProfile('cy', { badge: null, outreachStatus: 'approved' }).badge, null)
    assert.equal(a.getCreator('cy').outreachStatus, 'approved')
    assert.deepEqual(handles(a.listCreators({ where: { outreachStatus: 'approved' } }).items), ['cy'])
    assert.throws(() => a.updateProfile('cy', { colour: 'red' }), { code: 'invalid_input', field: 'changes' })
    assert.throws(() => a.updateProfile('zed', { notes: 'x' }), { code: 'invalid_input', field: 'handle' })

    const b = new Crm(store, { workspace: 'brand-b' })
    assert.equal(b.getCreator('cy'), null)
    assert.equal(b.listCreators().total, 0)
    assert.deepEqual(b.searchCreators('cy'), [])
    assert.deepEqual(b.activityLog(), [])
    b.importExports({ euka: Buffer.from('handle,email\ncy,cy@other.org\n') }, NOW)
    assert.equal(b.getCreator('cy').email, 'cy@other.org')
    assert.equal(a.getCreator('cy').email, 'cy@mailbox.org')
  })

  it('enforces roles with a ForbiddenError', () => {
    const store = new MemoryStore()
    imported(store)
    const viewer = new Crm(store, { actor: { id: 'v-1', role: 'viewer' } })
    const member = new Crm(store, { actor: { id: 'm-1', role: 'member' } })
    const admin = new Crm(store, { actor: { id: 'a-1', role: 'admin' } })
    const creator = new Crm(store, { actor: { id: 'c-1', creator: 'ana.b' } })
    const forbidden = { name: 'ForbiddenError', code: 'forbidden' }
    assert.equal(viewer.getCreator('bo').tiktokUsername, 'bo')
    assert.throws(() => viewer.editCreator('bo', { firstName: 'B' }), forbidden)
    assert.throws(() => viewer.updateProfile('bo', { notes: 'x' }), forbidden)
    assert.throws(() => viewer.activityLog(), forbidden)
    assert.equal(member.editCreator('bo', { firstName: 'B' }, NOW).firstName, 'B')
    assert.throws(() => member.eraseCreator('bo'), forbidden)
    assert.throws(() => member.importExports({ euka: EUKA }), forbidden)
    assert.throws(() => member.activityLog(), forbidden)
    assert.equal(admin.activityLog()[0].actor, 'm-1')
    assert.throws(() => creator.listCreators(), forbidden)
    assert.throws(() => creator.getCreator('ana.b'), forbidden)
    assert.deepEqual(creator.supporterViews('ana.b', KEY), [])
    assert.throws(() => creator.supporterViews('bo', KEY), forbidden)
    assert.throws(() => new Crm(store, { actor: { id: 'x', role: 'janitor' } }), { code: 'invalid_input', field: 'role' })
    assert.throws(() => new Crm(store, { actor: { id: 'x' } }), { code: 'invalid_input', field: 'actor' })
  })

  it('keeps supporters and alert cooldowns in the store', () => {
    const c = imported()
    const fan = {
      id: 'fan-1',
      display_name: 'Fan One',
      joined_at: '2025-01-01T00:00:00Z',
      time_zone: 'America/Chicago',
      activity: {},
      profile: { email: 'fan@mailbox.org' },
    }
    c.putSupporters('ana.b', [fan, { ...fan, id: 'fan-2', display_name: 'Fan Two' }], NOW)
    assert.deepEqual(c.supporters('ana.b').map((s) => s.id), ['fan-1', 'fan-2'])
    assert.equal(c.supporters('ana.b')[0].profile.email, 'fan@mailbox.org')
    assert.deepEqual(c.supporters('bo'), [])
    c.deleteSupporters('ana.b', ['fan-2'], NOW)
    assert.deepEqual(c.supporters('ana.b').map((s) => s.id), ['fan-1'])

    const views = c.supporterViews('ana.b', KEY)
    assert.equal(views.length, 1)
    assert.ok(!JSON.stringify(views).includes('fan@mailbox.org'))
    assert.ok(!JSON.stringify(views).includes('fan-1'))
    assert.throws(() => c.supporterViews('ana.b', Buffer.from('short')), { code: 'invalid_input' })

    const alert = {
      supporter: 'fan-1',
      kind: 'vip_online',
      priority: 'high',
      created_at: NOW,
      expires_at: null,
      detail: { detail: 'none' },
    }
    const first = c.deliverAlerts('ana.b', [alert], null, NOW)
    assert.deepEqual([first.delivered.length, first.suppressed.length, first.expired.length], [1, 0, 0])
    const soon = c.deliverAlerts('ana.b', [{ ...alert, created_at: '2026-03-02T09:30:00Z' }], null, '2026-03-02T09:30:00Z')
    assert.deepEqual([soon.delivered.length, soon.suppressed.length], [0, 1])
    const later = c.deliverAlerts('ana.b', [{ ...alert, created_at: '2026-03-02T10:01:00Z' }], null, '2026-03-02T10:01:00Z')
    assert.equal(later.delivered.length, 1)
  })
})

describe('Crm over a JavaScript store', () => {
  it('throws the very error the store threw, and writes nothing', () => {
    const store = wrapped()
    const c = imported(store)
    const before = c.getCreator('bo')
    const thrown = new Error('disk full')
    store.fail.apply = thrown
    let caught
    try {
      c.editCreator('bo', { firstName: 'Bob' }, NOW)
    } catch (e) {
      caught = e
    }
    assert.strictEqual(caught, thrown)
    delete store.fail.apply
    assert.deepEqual(c.getCreator('bo'), before)
    assert.equal(c.activityLog().length, 1)

    class Gone extends Error {}
    const gone = new Gone('gone')
    store.fail.creators = gone
    assert.throws(() => c.getCreator('bo'), (e) => e === gone)
    delete store.fail.creators
    // A thrown value that is not an Error stays with the store.
    store.fail.listCreators = { because: 'ana@mailbox.org' }
    assert.throws(() => c.listCreators(), (e) => {
      assert.deepEqual([e.name, e.code, e.field, e.reason], [
        'StorageError',
        'storage',
        'listCreators',
        'host store threw a non-Error value',
      ])
      assert.ok(!e.message.includes('ana@'))
      return true
    })
  })

  it('retries a write the store reports as a conflict', () => {
    const store = wrapped()
    const c = imported(store)
    let conflicts = 2
    const apply = store.apply
    store.apply = (ws, changes) => {
      if (conflicts-- > 0) throw Object.assign(new Error('stale'), { code: 'conflict' })
      return apply(ws, changes)
    }
    store.calls.length = 0
    assert.equal(c.updateProfile('bo', { notes: 'called' }, NOW).notes, 'called')
    assert.deepEqual(store.calls, ['creators', 'creators', 'creators', 'apply'])
    assert.equal(c.getCreator('bo').version, 2)

    // A conflict on every attempt: the caller gets the store's own error.
    const stale = Object.assign(new Error('stale'), { code: 'conflict' })
    store.apply = () => {
      throw stale
    }
    assert.throws(() => c.updateProfile('bo', { notes: 'again' }, NOW), (e) => e === stale)
    assert.equal(c.getCreator('bo').profile.notes, 'called')
  })

  it('refuses to be called off its JavaScript thread instead of blocking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-'))
    const path = join(dir, 'euka.csv')
    writeFileSync(path, EUKA)
    const store = wrapped()
    const c = new Crm(store)
    store.calls.length = 0
    await assert.rejects(c.importExportsAsync({ euka: path }, NOW), {
      name: 'StorageError',
      code: 'storage',
      reason: 'host store called off its JavaScript thread',
    })
    assert.deepEqual(store.calls, [])
    assert.equal(c.listCreators().total, 0)
    // A built-in store serves it off the thread.
    const native = new Crm(new MemoryStore())
    const out = await native.importExportsAsync({ euka: path }, NOW)
    assert.equal(out.created, 3)
    assert.equal(native.getCreator('cy').email, 'cy@mailbox.org')
  })

  it('reports malformed results and incomplete stores as typed errors', () => {
    const bad = wrapped()
    bad.creators = () => [{ creator: 'ana@mailbox.org' }]
    assert.throws(() => new Crm(bad).getCreator('ana.b'), (e) => {
      assert.equal(e.name, 'StorageError')
      assert.equal(e.field, 'creators')
      assert.ok(!e.message.includes('ana@'))
      return true
    })
    const promised = wrapped()
    promised.suppression = async () => []
    assert.throws(() => new Crm(promised).importExports({ euka: EUKA }, NOW), { code: 'storage', field: 'suppression' })
    const partial = { creators: () => [] }
    assert.throws(() => new Crm(partial), { code: 'invalid_input', field: 'creatorsWithEmails' })
    assert.throws(() => new Crm(null), { code: 'invalid_input' })
  })
})
