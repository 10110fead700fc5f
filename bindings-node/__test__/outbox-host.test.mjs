// JavaScript objects as outreach stores: core's outreach conformance suite against a store
// written here over Maps (and the built-in stores' outreach methods), and OutreachService
// over a store object written in JavaScript.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'

import crm from '../index.js'

const { Crm, MemoryStore, OutreachService, SqliteStore, outreachStoreMethods, runOutreachStoreConformance, storeMethods } = crm

const OUTREACH_CASES = [
  'outbox_round_trip_with_versions',
  'a_conflict_changes_nothing',
  'events_are_marked_once',
  'statuses_list_in_due_order',
  'workspaces_see_nothing_of_each_other',
  'forgetting_a_creator_leaves_nothing',
]
const NOW = '2026-06-01T15:00:00Z'
const EUKA = Buffer.from(
  'handle,email,phone,recipient,state\n' +
    'ana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\n' +
    'bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n',
)
const CONFIG = {
  campaignId: 'welcome-2026-06',
  brandName: 'Acme Beauty',
  communityInviteUrl: 'https://discord.gg/acme',
  postalAddress: 'Acme Beauty, 100 Main St, Austin, TX 78701',
  unsubscribeBaseUrl: 'https://crm.example.com/u/',
  statusCallbackBase: 'https://crm.example.com/twilio',
}

const failures = (results) => results.filter((r) => r.failure !== null).map((r) => `${r.name}: ${r.failure}`)
const conflict = (field) => Object.assign(new Error(`conflict: ${field}`), { code: 'conflict', field, reason: 'stale version' })

/** An outreach store written in JavaScript over Maps: the outreach protocol over its JSON
 * values, all-or-nothing change sets with versions, events marked once. */
class MapOutbox {
  constructor() {
    this.spaces = new Map()
    this.calls = 0
  }

  ws(name) {
    this.calls += 1
    if (!this.spaces.has(name)) this.spaces.set(name, { outbox: new Map(), consent: [], events: new Set() })
    return this.spaces.get(name)
  }

  static byId(a, b) {
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  }

  outbox(ws, ids) {
    const w = this.ws(ws)
    return [...new Set(ids)].sort().flatMap((id) => (w.outbox.has(id) ? [structuredClone(w.outbox.get(id))] : []))
  }

  outboxWithStatus(ws, status, limit) {
    return [...this.ws(ws).outbox.values()]
      .filter((e) => e.status === status)
      .sort((a, b) => Date.parse(a.not_before) - Date.parse(b.not_before) || MapOutbox.byId(a, b))
      .slice(0, limit)
      .map((e) => structuredClone(e))
  }

  outboxOf(ws, creator) {
    return [...this.ws(ws).outbox.values()].filter((e) => e.creator === creator).map((e) => structuredClone(e))
  }

  outboxTo(ws, to) {
    return [...this.ws(ws).outbox.values()].filter((e) => e.to === to).map((e) => structuredClone(e))
  }

  consent(ws, creators) {
    const mine = new Set(creators)
    return this.ws(ws).consent.filter((e) => mine.has(e.creator)).map((e) => structuredClone(e))
  }

  eventsSeen(ws, keys) {
    const w = this.ws(ws)
    return keys.filter((k) => w.events.has(k))
  }

  applyOutreach(ws, changes) {
    const w = this.ws(ws)
    // Every check before any change: all or nothing.
    const versions = new Map()
    const marked = new Set()
    for (const c of changes) {
      if (c.change === 'put_outbox') {
        const id = c.entry.id
        const held = versions.has(id) ? versions.get(id) : (w.outbox.get(id)?.version ?? 0)
        if (held !== c.expected) throw conflict('outbox')
        versions.set(id, c.expected + 1)
      } else if (c.change === 'mark_event') {
        if (w.events.has(c.key) || marked.has(c.key)) throw conflict('event')
        marked.add(c.key)
      } else if (c.change === 'forget_creator') {
        for (const e of w.outbox.values()) if (e.creator === c.creator) versions.set(e.id, 0)
      } else if (c.change !== 'record_consent') {
        throw Object.assign(new Error('unknown change'), { code: 'invalid_input', field: 'changes' })
      }
    }
    for (const c of structuredClone(changes)) {
      switch (c.change) {
        case 'put_outbox':
          w.outbox.set(c.entry.id, { ...c.entry, version: c.expected + 1 })
          break
        case 'record_consent':
          w.consent.push(c.entry)
          break
        case 'mark_event':
          w.events.add(c.key)
          break
        case 'forget_creator':
          for (const [id, e] of w.outbox) if (e.creator === c.creator) w.outbox.delete(id)
          w.consent = w.consent.filter((e) => e.creator !== c.creator)
          break
      }
    }
    return null
  }
}

/** One JavaScript store object with both halves: creators kept by a MemoryStore behind it,
 * outreach state by a MapOutbox. */
function combined() {
  const inner = new MemoryStore()
  const outbox = new MapOutbox()
  // Not `outbox`: that is an outreach method's name.
  const store = { inner, ledger: outbox }
  for (const m of storeMethods()) store[m] = (...a) => inner[m](...a)
  for (const m of outreachStoreMethods()) store[m] = (...a) => outbox[m](...a)
  return store
}

class Recorder {
  constructor() {
    this.emails = []
    this.sms = []
  }

  sendEmail(m) {
    this.emails.push(m)
    return `mg-${this.emails.length}`
  }

  sendSms(m) {
    this.sms.push(m)
    return `SM${this.sms.length}`
  }
}

describe('outreach store conformance', () => {
  it('lists the outreach methods; the built-in stores have them', () => {
    assert.deepEqual(outreachStoreMethods(), ['outbox', 'outboxWithStatus', 'outboxOf', 'outboxTo', 'consent', 'eventsSeen', 'applyOutreach'])
    for (const store of [new MemoryStore(), new SqliteStore(':memory:')]) {
      assert.ok(outreachStoreMethods().every((m) => typeof store[m] === 'function'))
    }
  })

  it('MemoryStore, SqliteStore and JavaScript wrappers around them pass every case', () => {
    for (const make of [() => new MemoryStore(), () => new SqliteStore(':memory:')]) {
      const results = runOutreachStoreConformance(make)
      assert.deepEqual(results.map((r) => r.name), OUTREACH_CASES)
      assert.deepEqual(failures(results), [])
      const wrapped = runOutreachStoreConformance(() => {
        const inner = make()
        return Object.fromEntries(outreachStoreMethods().map((m) => [m, (...a) => inner[m](...a)]))
      })
      assert.deepEqual(failures(wrapped), [])
    }
  })

  it('a store written in JavaScript over Maps passes every case', () => {
    const stores = []
    const results = runOutreachStoreConformance(() => {
      stores.push(new MapOutbox())
      return stores.at(-1)
    })
    assert.deepEqual(results.map((r) => r.name), OUTREACH_CASES)
    assert.deepEqual(failures(results), [])
    assert.ok(stores.every((s) => s.calls > 0))
  })

  it('reports a broken store by case, and refuses what is not an outreach store', () => {
    class Careless extends MapOutbox {
      eventsSeen() {
        return []
      }

      applyOutreach(ws, changes) {
        const w = this.ws(ws)
        return super.applyOutreach(
          ws,
          changes
            .filter((c) => c.change !== 'mark_event')
            .map((c) => (c.change === 'put_outbox' ? { ...c, expected: w.outbox.get(c.entry.id)?.version ?? 0 } : c)),
        )
      }
    }
    const failed = runOutreachStoreConformance(() => new Careless()).filter((r) => r.failure !== null).map((r) => r.name)
    assert.ok(failed.includes('events_are_marked_once'), failed.join(', '))
    assert.throws(() => runOutreachStoreConformance(() => ({ outbox: () => [] })), { code: 'invalid_input', field: 'outboxWithStatus' })
  })
})

describe('OutreachService over a JavaScript store', () => {
  it('keeps the outbox and consent in the JavaScript store the Crm was given', () => {
    const store = combined()
    new Crm(store, { workspace: 'acme' }).importExports({ euka: EUKA }, NOW)
    const c = new Crm(store, { workspace: 'acme', actor: { id: 'staff-1', role: 'member' } })
    const sender = new Recorder()
    const s = new OutreachService(c, sender, CONFIG)
    assert.equal(s.approve(['ana.b', 'bo'], NOW), 2)
    s.recordConsent('bo', 'sms', 'opt_in', NOW)
    assert.equal(s.plan(NOW).queued, 3)
    assert.deepEqual(s.sendDue(NOW), { sent: 3, failed: 0, deferred: 0, cancelled: 0, taken: 0 })
    assert.equal(s.plan(NOW).alreadyQueued, 3)
    assert.equal(s.sendDue(NOW).sent, 0)

    // Everything outreach lives in the JavaScript half, nothing in the MemoryStore.
    assert.equal(store.ledger.spaces.get('acme').outbox.size, 3)
    assert.deepEqual(store.inner.outboxOf('acme', 'bo'), [])
    assert.deepEqual(store.ledger.consent('acme', ['bo']).map((e) => e.action), ['opt_in'])

    // A Twilio delivery callback, applied once; then STOP.
    const [sms] = sender.sms
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' }
    const data = sms.statusCallback + Object.keys(params).sort().map((k) => k + params[k]).join('')
    const sig = createHmac('sha1', 'tok').update(data).digest('base64')
    assert.equal(s.applyTwilioStatus('tok', sms.statusCallback, params, sig, NOW), 'applied')
    assert.equal(s.applyTwilioStatus('tok', sms.statusCallback, params, sig, NOW), 'duplicate')
    assert.deepEqual(store.ledger.eventsSeen('acme', ['twilio:SM1:delivered']), ['twilio:SM1:delivered'])
    const stop = s.inboundSms('+17135550102', 'STOP', 'SMin1', NOW)
    assert.deepEqual([stop.keyword, stop.creators], ['opt_out', ['bo']])
    assert.equal(s.sendDue(NOW).sent, 1)
    const history = s.history('bo')
    assert.deepEqual(history.map((e) => [e.channel, e.kind, e.status]).sort(), [
      ['email', 'campaign', 'sent'],
      ['sms', 'campaign', 'delivered'],
      ['sms', 'reply', 'sent'],
    ])
    assert.equal(c.getCreator('bo').profile.outreachStatus, 'unsubscribed')

    assert.throws(() => s.eraseCreator('bo', NOW), { code: 'forbidden' })
    new OutreachService(new Crm(store, { workspace: 'acme' }), sender, CONFIG).eraseCreator('bo', NOW)
    assert.deepEqual(store.ledger.outboxOf('acme', 'bo'), [])
    assert.deepEqual(store.ledger.consent('acme', ['bo']), [])
  })

  it('takes a JavaScript outreach store of its own beside a built-in creator store', () => {
    const creators = new SqliteStore(':memory:')
    new Crm(creators, { workspace: 'acme' }).importExports({ euka: EUKA }, NOW)
    const c = new Crm(creators, { workspace: 'acme' })
    const outbox = new MapOutbox()
    const s = new OutreachService(c, new Recorder(), CONFIG, outbox)
    s.approve(['ana.b'], NOW)
    s.plan(NOW)
    assert.equal(s.sendDue(NOW).sent, 1)
    assert.equal(outbox.outboxOf('acme', 'ana.b').length, 1)
    assert.deepEqual(creators.outboxOf('acme', 'ana.b'), [])
  })

  it('an error the JavaScript outreach store throws reaches the caller as that same object', () => {
    const c = new Crm(new MemoryStore(), { workspace: 'acme' })
    c.importExports({ euka: EUKA }, NOW)
    const broken = new MapOutbox()
    const down = new Error('outbox database down')
    broken.consent = () => {
      throw down
    }
    const s = new OutreachService(c, new Recorder(), CONFIG, broken)
    s.approve(['ana.b'], NOW)
    assert.throws(() => s.plan(NOW), (e) => e === down)
    assert.throws(() => s.consent('ana.b'), (e) => e === down)
  })

  it('a JavaScript Crm store without the outreach methods needs a store for the outbox', () => {
    const inner = new MemoryStore()
    const creatorsOnly = Object.fromEntries(storeMethods().map((m) => [m, (...a) => inner[m](...a)]))
    const c = new Crm(creatorsOnly)
    assert.throws(() => new OutreachService(c, new Recorder(), CONFIG), { code: 'invalid_input', field: 'store' })
    assert.throws(() => new OutreachService(c, new Recorder(), CONFIG, creatorsOnly), { code: 'invalid_input', field: 'outbox' })
    assert.ok(new OutreachService(c, new Recorder(), CONFIG, new MapOutbox()))
  })
})
