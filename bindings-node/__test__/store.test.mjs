// The store protocol from JavaScript: core's conformance suite run against MemoryStore,
// a JavaScript wrapper around it, and a store written here over Maps; MemoryStore's
// protocol methods called directly.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import crm from '../index.js'

const { Crm, MemoryStore, runStoreConformance, storeMethods } = crm

const CASES = [
  'creators_round_trip_with_versions',
  'stale_versions_conflict_and_change_nothing',
  'emails_and_record_keys_find_their_creators',
  'filters_and_sorts',
  'paging_is_stable_under_inserts',
  'workspaces_see_nothing_of_each_other',
  'erasure_leaves_nothing_and_survives_reimport',
  'manual_edits_survive_reimport',
  'importing_in_parts_equals_merging_at_once',
  'supporters_and_cooldowns',
  'roles_are_enforced',
  'an_import_between_another_ones_reads_and_write_is_kept',
]

const failures = (results) => results.filter((r) => r.failure !== null).map((r) => `${r.name}: ${r.failure}`)

/** A JavaScript store around a MemoryStore, counting the calls of each method. */
function counted(inner = new MemoryStore()) {
  const store = { counts: {} }
  for (const m of storeMethods()) {
    store[m] = (...args) => {
      store.counts[m] = (store.counts[m] ?? 0) + 1
      return inner[m](...args)
    }
  }
  return store
}

const storeError = (code, field, reason) => Object.assign(new Error(`${code}: ${field}: ${reason}`), { code, field, reason })

const key = (...parts) => JSON.stringify(parts)

/**
 * A store written in JavaScript over Maps: the store protocol over its JSON values, with
 * the list semantics core defines (absent sort values last, ties by handle, cursors
 * `field:direction:value:handle`) and all-or-nothing change sets with versions.
 */
class MapStore {
  constructor() {
    this.spaces = new Map()
  }

  ws(name) {
    if (!this.spaces.has(name)) {
      this.spaces.set(name, {
        creators: new Map(),
        samples: new Map(),
        videos: new Map(),
        videoProducts: new Map(),
        snapshots: new Map(),
        brandLinks: new Map(),
        products: new Map(),
        suppression: new Set(),
        supporters: new Map(),
        cooldowns: new Map(),
        activity: [],
      })
    }
    return this.spaces.get(name)
  }

  static sortedValues(map) {
    return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => structuredClone(v))
  }

  creators(ws, handles) {
    const w = this.ws(ws)
    return [...new Set(handles)].sort().flatMap((h) => (w.creators.has(h) ? [structuredClone(w.creators.get(h))] : []))
  }

  creatorsWithEmails(ws, emails) {
    const wanted = new Set(emails)
    const w = this.ws(ws)
    const found = [...w.creators.values()].filter((c) =>
      c.evidence.values.some((e) => e.field === 'email' && wanted.has(e.value)),
    )
    return this.creators(ws, found.map((c) => c.creator.handle))
  }

  linksOf(w, videoIds) {
    const ids = new Set(videoIds)
    return MapStore.sortedValues(w.videoProducts).filter((l) => ids.has(l.video_id))
  }

  related(ws, handles) {
    const w = this.ws(ws)
    const mine = new Set(handles)
    const videos = MapStore.sortedValues(w.videos).filter((v) => mine.has(v.handle))
    return {
      samples: MapStore.sortedValues(w.samples).filter((s) => mine.has(s.handle)),
      videos,
      video_products: this.linksOf(w, videos.map((v) => v.video_id)),
      snapshots: MapStore.sortedValues(w.snapshots).filter((s) => mine.has(s.handle)),
      brand_links: MapStore.sortedValues(w.brandLinks).filter((b) => mine.has(b.handle)),
      products: [],
    }
  }

  relatedByKeys(ws, keys) {
    const w = this.ws(ws)
    const pick = (map, ks) => ks.map((k) => map.get(k)).filter(Boolean).map((v) => structuredClone(v))
    const videos = pick(w.videos, keys.videos.map((id) => key(id)))
    return {
      samples: pick(w.samples, keys.samples.map(([order, sku]) => key(order, sku))),
      videos,
      video_products: this.linksOf(w, videos.map((v) => v.video_id)),
      snapshots: [],
      brand_links: [],
      products: pick(w.products, keys.products.map((id) => key(id))),
    }
  }

  static sortValue(sort, c) {
    if (sort === 'follower_count') return c.creator.follower_count ?? null
    if (sort === 'total_gmv') return Number(c.creator.total_gmv)
    return null
  }

  static order(descending, [va, ha], [vb, hb]) {
    let byValue = 0
    if (va === null && vb !== null) byValue = 1
    else if (va !== null && vb === null) byValue = -1
    else if (va !== null && vb !== null) byValue = descending ? vb - va : va - vb
    return byValue !== 0 ? Math.sign(byValue) : ha < hb ? -1 : ha > hb ? 1 : 0
  }

  static position(query) {
    if (query.cursor === null) return null
    const bad = () => storeError('invalid_input', 'cursor', 'not a cursor of this query')
    const m = /^([a-z_]+):(asc|desc):([^:]*):(.+)$/.exec(query.cursor)
    if (!m || m[1] !== query.sort || m[2] !== (query.descending ? 'desc' : 'asc')) throw bad()
    if (m[3] !== '' && query.sort === 'tiktok_username') throw bad()
    const value = m[3] === '' ? null : Number(m[3])
    if (Number.isNaN(value)) throw bad()
    return [value, m[4]]
  }

  static matches(f, c) {
    const p = c.profile
    return (
      (f.badge == null || p.badge === f.badge) &&
      (f.tier == null || p.tier === f.tier) &&
      (f.brand == null || c.brands.includes(f.brand)) &&
      (f.tags ?? []).every((t) => p.tags.includes(t)) &&
      (f.outreach_status == null || p.outreach_status === f.outreach_status) &&
      (f.whitelisted == null || p.whitelisted === f.whitelisted) &&
      (f.has_phone == null || (c.creator.phone !== null) === f.has_phone) &&
      (f.has_email == null || (c.creator.email !== null) === f.has_email)
    )
  }

  listCreators(ws, query) {
    const after = MapStore.position(query)
    const pos = (c) => [MapStore.sortValue(query.sort, c), c.creator.handle]
    const passing = [...this.ws(ws).creators.values()].filter((c) => MapStore.matches(query.filter, c))
    const items = passing
      .filter((c) => after === null || MapStore.order(query.descending, pos(c), after) > 0)
      .sort((a, b) => MapStore.order(query.descending, pos(a), pos(b)))
    const limit = Math.max(1, query.limit)
    const page = items.slice(0, limit).map((c) => structuredClone(c))
    const last = page.at(-1)
    const value = last && MapStore.sortValue(query.sort, last)
    return {
      items: page,
      next_cursor:
        items.length > limit
          ? `${query.sort}:${query.descending ? 'desc' : 'asc'}:${value ?? ''}:${last.creator.handle}`
          : null,
      total: passing.length,
    }
  }

  searchCreators(ws, text, limit) {
    const t = text.trim().toLowerCase()
    if (t === '') return []
    return [...this.ws(ws).creators.values()]
      .filter(({ creator: c }) =>
        c.handle.includes(t) ||
        `${c.first_name} ${c.last_name}`.toLowerCase().includes(t) ||
        (c.email ?? '').toLowerCase().includes(t),
      )
      .sort((a, b) => (a.creator.handle < b.creator.handle ? -1 : 1))
      .slice(0, limit)
      .map((c) => structuredClone(c))
  }

  suppression(ws) {
    return [...this.ws(ws).suppression].sort()
  }

  supporters(ws, creator) {
    const w = this.ws(ws)
    const [cooldowns, version] = w.cooldowns.get(creator) ?? [{}, 0]
    return {
      supporters: MapStore.sortedValues(w.supporters.get(creator) ?? new Map()),
      cooldowns: structuredClone(cooldowns),
      cooldowns_version: version,
    }
  }

  activity(ws, limit) {
    return this.ws(ws).activity.slice().reverse().slice(0, limit).map((r) => structuredClone(r))
  }

  /** Checks every expected version before anything changes: all or nothing. */
  static check(w, changes) {
    const creators = new Map()
    const cooldowns = new Map()
    const held = (m, h, stored) => (m.has(h) ? m.get(h) : stored)
    const stale = (what) => storeError('conflict', what, 'stale version')
    for (const c of changes) {
      if (c.change === 'put_creator') {
        const h = c.creator.creator.handle
        if (held(creators, h, w.creators.get(h)?.version ?? 0) !== c.expected) throw stale('creator')
        creators.set(h, c.expected + 1)
      } else if (c.change === 'delete_creator') {
        const v = held(creators, c.handle, w.creators.get(c.handle)?.version ?? 0)
        if (v !== c.expected || v === 0) throw stale('creator')
        creators.set(c.handle, 0)
        cooldowns.set(c.handle, 0)
      } else if (c.change === 'put_cooldowns') {
        if (held(cooldowns, c.creator, w.cooldowns.get(c.creator)?.[1] ?? 0) !== c.expected) throw stale('cooldowns')
        cooldowns.set(c.creator, c.expected + 1)
      }
    }
  }

  static removeRecordsOf(w, handles) {
    const mine = new Set(handles)
    for (const [k, s] of w.samples) if (mine.has(s.handle)) w.samples.delete(k)
    for (const [k, v] of w.videos) {
      if (!mine.has(v.handle)) continue
      w.videos.delete(k)
      for (const [lk, l] of w.videoProducts) if (l.video_id === v.video_id) w.videoProducts.delete(lk)
    }
    for (const [k, s] of w.snapshots) if (mine.has(s.handle)) w.snapshots.delete(k)
    for (const [k, b] of w.brandLinks) if (mine.has(b.handle)) w.brandLinks.delete(k)
  }

  apply(ws, { changes }) {
    const w = this.ws(ws)
    MapStore.check(w, changes)
    for (const c of structuredClone(changes)) {
      switch (c.change) {
        case 'put_creator':
          w.creators.set(c.creator.creator.handle, { ...c.creator, version: c.expected + 1 })
          break
        case 'delete_creator':
          w.creators.delete(c.handle)
          MapStore.removeRecordsOf(w, [c.handle])
          w.supporters.delete(c.handle)
          w.cooldowns.delete(c.handle)
          break
        case 'put_related': {
          MapStore.removeRecordsOf(w, c.handles)
          const r = c.records
          for (const s of r.samples) w.samples.set(key(s.order_id, s.sku_id), s)
          for (const v of r.videos) w.videos.set(key(v.video_id), v)
          for (const l of r.video_products) w.videoProducts.set(key(l.video_id, l.product_id), l)
          for (const s of r.snapshots) w.snapshots.set(key(s.handle, s.date, s.source), s)
          for (const b of r.brand_links) w.brandLinks.set(key(b.handle, b.brand), b)
          for (const p of r.products) w.products.set(key(p.product_id), p)
          break
        }
        case 'suppress':
          for (const h of c.hashes) w.suppression.add(h)
          break
        case 'put_supporters': {
          const mine = w.supporters.get(c.creator) ?? new Map()
          for (const s of c.supporters) mine.set(s.id, s)
          w.supporters.set(c.creator, mine)
          break
        }
        case 'delete_supporters':
          for (const id of c.ids) w.supporters.get(c.creator)?.delete(id)
          break
        case 'put_cooldowns':
          w.cooldowns.set(c.creator, [c.state, c.expected + 1])
          break
        case 'log_activity':
          w.activity.push({ ...c.record, seq: w.activity.length + 1 })
          break
        case 'redact_activity':
          for (const r of w.activity) if (r.target === c.target) r.target = ''
          break
        default:
          throw storeError('invalid_input', 'changes', 'unknown change')
      }
    }
    return null
  }
}

describe('store conformance', () => {
  it('MemoryStore passes every case', () => {
    const results = runStoreConformance(() => new MemoryStore())
    assert.deepEqual(results.map((r) => r.name), CASES)
    assert.deepEqual(failures(results), [])
  })

  it('a JavaScript wrapper around MemoryStore passes every case, through batched calls', () => {
    const stores = []
    const results = runStoreConformance(() => {
      stores.push(counted())
      return stores.at(-1)
    })
    assert.deepEqual(failures(results), [])
    assert.equal(stores.length, CASES.length)
    assert.ok(stores.every((s) => s.counts.apply > 0))
  })

  it('a store written in JavaScript over Maps passes every case', () => {
    const results = runStoreConformance(() => new MapStore())
    assert.deepEqual(results.map((r) => r.name), CASES)
    assert.deepEqual(failures(results), [])
  })

  it('reports each failing case of a broken store by name', () => {
    // Ignores the versions writers expect: stale writes are taken.
    class Careless extends MapStore {
      apply(ws, { changes }) {
        const stored = (h) => this.ws(ws).creators.get(h)?.version ?? 0
        const trusting = changes.map((c) =>
          c.change === 'put_creator' ? { ...c, expected: stored(c.creator.creator.handle) } : c,
        )
        return super.apply(ws, { changes: trusting })
      }
    }
    const failed = runStoreConformance(() => new Careless()).filter((r) => r.failure !== null).map((r) => r.name)
    assert.ok(failed.includes('stale_versions_conflict_and_change_nothing'), failed.join(', '))
  })

  it('throws what makeStore throws, and refuses what is not a store', () => {
    const thrown = new Error('no store today')
    assert.throws(
      () =>
        runStoreConformance(() => {
          throw thrown
        }),
      (e) => e === thrown,
    )
    assert.throws(() => runStoreConformance(() => ({ creators: () => [] })), {
      code: 'invalid_input',
      field: 'creatorsWithEmails',
    })
  })
})

describe('MemoryStore protocol methods', () => {
  it('lists the protocol methods in camelCase', () => {
    assert.deepEqual(storeMethods(), [
      'creators',
      'creatorsWithEmails',
      'related',
      'relatedByKeys',
      'listCreators',
      'searchCreators',
      'suppression',
      'supporters',
      'activity',
      'apply',
    ])
    const store = new MemoryStore()
    assert.ok(storeMethods().every((m) => typeof store[m] === 'function'))
  })

  it('answers in core JSON forms, with versions and conflicts', () => {
    const store = new MemoryStore()
    const c = new Crm(store, { workspace: 'w' })
    c.importExports({ euka: Buffer.from('handle,email,recipient\nbo,bo@mailbox.org,Bo Chan\n') }, '2026-03-02T09:00:00Z')
    const [bo] = store.creators('w', ['bo', 'nobody'])
    assert.equal(bo.creator.handle, 'bo')
    assert.equal(bo.creator.email, 'bo@mailbox.org')
    assert.equal(bo.version, 1)
    assert.deepEqual(store.creators('other', ['bo']), [])
    assert.deepEqual(store.creatorsWithEmails('w', ['bo@mailbox.org']).map((x) => x.creator.handle), ['bo'])
    assert.deepEqual(store.searchCreators('w', 'CHAN', 5).map((x) => x.creator.handle), ['bo'])
    const page = store.listCreators('w', { filter: {}, sort: 'tiktok_username', descending: false, limit: 10, cursor: null })
    assert.deepEqual([page.items.length, page.next_cursor, page.total], [1, null, 1])
    assert.deepEqual(store.suppression('w'), [])
    assert.deepEqual(store.supporters('w', 'bo'), { supporters: [], cooldowns: {}, cooldowns_version: 0 })
    assert.deepEqual(store.activity('w', 10).map((r) => [r.seq, r.action]), [[1, 'import']])

    const put = { change: 'put_creator', creator: bo, expected: bo.version + 5 }
    assert.throws(() => store.apply('w', { changes: [put] }), {
      name: 'ConflictError',
      code: 'conflict',
    })
    assert.equal(store.creators('w', ['bo'])[0].version, 1)
    assert.equal(store.apply('w', { changes: [{ ...put, expected: 1 }] }), null)
    assert.equal(store.creators('w', ['bo'])[0].version, 2)

    assert.throws(() => store.creators('w'), { code: 'invalid_input', field: 'creators' })
    assert.throws(() => store.apply('w', { changes: [{ change: 'drop_table' }] }), { code: 'invalid_input', field: 'apply' })
  })
})
