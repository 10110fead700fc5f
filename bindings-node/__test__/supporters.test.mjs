// supporters and tiers: batch scoring, tabs, alerts, insights, badge and tiers through the Node API.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import crm from '../index.js'

const NOW = new Date(Date.UTC(2026, 2, 1, 12, 0, 0))
const iso = (d) => d.toISOString()
const ago = (days) => iso(new Date(NOW.getTime() - days * 86400e3))

const counters = (i, fields = {}) => ({
  id: `s${String(i).padStart(3, '0')}`,
  joined_at: ago(200),
  last_active_at: iso(NOW),
  ...fields,
})

describe('scoreSupporters', () => {
  it('segments by precedence at the exact bounds', () => {
    const scores = crm.scoreSupporters(
      [
        counters(0, { tokens_lifetime: 999 }),
        counters(1, { tokens_lifetime: 1000 }),
        counters(2, { last_active_at: ago(6) }),
        counters(3, { last_active_at: ago(7) }),
        counters(4, { last_active_at: ago(29) }),
        counters(5, { last_active_at: ago(30) }),
      ],
      iso(NOW),
    )
    assert.deepEqual(
      scores.map((s) => s.segment),
      ['active', 'vip', 'active', 'dormant', 'dormant', 'cold'],
    )
  })

  it('reads a scoring config with the keys index.d.ts declares; a bad one names its field', () => {
    const s = [counters(0, { tokens_lifetime: 5000 }), counters(1, { chat_messages_7d: 3 })]
    assert.deepEqual(crm.scoreSupporters(s, iso(NOW)).map((x) => x.segment), ['vip', 'active'])
    const stricter = crm.scoreSupporters(s, iso(NOW), { vip_lifetime_tokens: 10000 })
    assert.deepEqual(stricter.map((x) => x.segment), ['active', 'active'])
    const linear = crm.scoreSupporters(s, iso(NOW), { chat_curve: { kind: 'linear', full_at: 3 } })
    assert.equal(linear[1].signals.recentChat, 100)
    assert.equal(crm.scoreSupporters(s, iso(NOW))[1].signals.recentChat, 50)
    assert.throws(() => crm.scoreSupporters(s, iso(NOW), { vip_lifetime_tokens: 'many' }), {
      code: 'invalid_input',
      field: 'config',
    })
  })

  it('caps probability at 100 and priority at 150', () => {
    const [s] = crm.scoreSupporters(
      [
        counters(0, {
          chat_messages_7d: 500,
          tokens_lifetime: 1e6,
          tokens_30d: 1e6,
          tokens_7d: 1e6,
          gifts_7d: 2,
          profile_views_7d: 99,
          live_sessions_7d: 5,
          live_watch_seconds_7d: 1e6,
          live_gift_tokens_7d: 1e6,
          last_match_at: iso(NOW),
          online: true,
          fan_club: { tier: 1, since: iso(NOW), renews_at: null },
        }),
      ],
      iso(NOW),
    )
    assert.equal(s.probability, 100)
    assert.equal(s.priority, 150)
    assert.equal(s.signals.recentChat, 100)
  })

  it('reads the events form and agrees with counters', async () => {
    const supporter = {
      id: 'fan',
      joined_at: '2025-01-01T00:00:00Z',
      time_zone: 'Europe/Paris',
      activity: {
        spends: [{ at: ago(1), tokens: 40, feature: 'live_gift' }],
        chat_messages: [ago(0.1), ago(0.2), ago(0.3)],
      },
    }
    const [c] = crm.supporterCounters([supporter], iso(NOW))
    assert.equal(c.tokens_7d, 40)
    assert.equal(c.chat_messages_7d, 3)
    assert.deepEqual(crm.scoreSupporters([supporter], iso(NOW)), crm.scoreSupporters([c], iso(NOW)))
    assert.deepEqual(await crm.scoreSupportersAsync([c], iso(NOW)), crm.scoreSupporters([c], iso(NOW)))
  })

  it('throws InvalidInputError naming the item, never the value', () => {
    assert.throws(
      () => crm.scoreSupporters([counters(0), { id: 'jane@example.com' }], iso(NOW)),
      (err) => {
        assert.equal(err.code, 'invalid_input')
        assert.equal(err.field, 'supporters[1]')
        assert.ok(!err.message.includes('jane@example.com'))
        return true
      },
    )
    assert.throws(() => crm.scoreSupporters([], iso(NOW), { dormant_after_days: 40 }), { code: 'invalid_input' })
  })

  it('explains a score', () => {
    const e = crm.explainScore(counters(0, { chat_messages_7d: 6 }), iso(NOW))
    assert.equal(e.score.probability, 23)
    assert.equal(e.contributions[0].signal, 'recent_chat')
  })
})

describe('inboxTabs', () => {
  const people = Array.from({ length: 300 }, (_, i) =>
    counters(i, {
      tokens_lifetime: (i % 15) * 100,
      last_active_at: ago(i % 12),
      first_purchase_at: i % 15 ? ago(2 * i) : null,
    }),
  )

  it('builds five sorted, paged tabs', async () => {
    const tabs = crm.inboxTabs(people, iso(NOW), { limit: 5, offset: 1 })
    assert.equal(tabs.vip.ids.length, 10)
    const lifetimes = tabs.vip.indices.map((i) => people[i].tokens_lifetime)
    assert.deepEqual(lifetimes, [...lifetimes].sort((a, b) => b - a))
    assert.equal(tabs.all.ids.length, 5)
    assert.equal(tabs.all.total, people.filter((p) => p.tokens_lifetime > 0).length)
    const full = crm.inboxTabs(people, iso(NOW), { limit: 6 })
    assert.deepEqual(full.all.ids.slice(1), tabs.all.ids)
    const reversed = crm.inboxTabs([...people].reverse(), iso(NOW), { limit: 6 })
    assert.deepEqual(reversed.all.ids, full.all.ids)
    assert.deepEqual(await crm.inboxTabsAsync(people, iso(NOW), { limit: 6 }), full)
  })
})

describe('alerts', () => {
  it('applies the one-hour cooldown from delivered alerts', () => {
    const vip = counters(0, { tokens_lifetime: 2000, online: true })
    const at = (minutes) => iso(new Date(NOW.getTime() + minutes * 60e3))
    const first = crm.deliverAlerts(crm.detectAlerts([vip], at(0)), null, at(0))
    assert.deepEqual(first.outcome.delivered.map((a) => [a.kind, a.priority]), [['vip_online', 'urgent']])
    const second = crm.deliverAlerts(crm.detectAlerts([vip], at(59)), first.state, at(59))
    assert.equal(second.outcome.suppressed.length, 1)
    const third = crm.deliverAlerts(crm.detectAlerts([vip], at(60)), second.state, at(60))
    assert.equal(third.outcome.delivered.length, 1)
  })

  it('takes the cooldown from alertConfig', () => {
    const vip = counters(0, { tokens_lifetime: 2000, online: true })
    const at = (minutes) => iso(new Date(NOW.getTime() + minutes * 60e3))
    const cfg = { cooldown_seconds: 7200 }
    const first = crm.deliverAlerts(crm.detectAlerts([vip], at(0)), null, at(0), cfg)
    const later = crm.deliverAlerts(crm.detectAlerts([vip], at(90)), first.state, at(90), cfg)
    assert.deepEqual([first.outcome.delivered.length, later.outcome.suppressed.length], [1, 1])
  })
})

describe('supporterInsights', () => {
  it('never invents a contact time', () => {
    const [quiet] = crm.supporterInsights(
      [{ id: 'q', joined_at: ago(400), time_zone: 'UTC', activity: {} }],
      iso(NOW),
    )
    assert.equal(quiet.best_contact_time, null)
  })
})

describe('tiers', () => {
  it('gives badges at inclusive bounds', () => {
    assert.equal(crm.shopBadge('999.99').badge, 'bronze')
    assert.equal(crm.shopBadge(1000).badge, 'silver')
    assert.equal(crm.shopBadge('5000').badge, 'gold')
    assert.equal(crm.shopBadge('5000').threshold_assumed, false)
    assert.equal(crm.shopBadge(25000).threshold_assumed, true)
  })

  it('classifies with Legends and holds tiers', () => {
    const creators = Array.from({ length: 1000 }, (_, i) => ({ id: `c${i}`, joined_at: ago(365), monthly_earnings: i * 10 }))
    const tiers = crm.classifyCreators(creators, iso(NOW))
    assert.equal(tiers[999].tier, 'legend')
    assert.equal(tiers[100].tier, 'rising')
    assert.equal(tiers[99].tier, 'emerging')
    const held = crm.applyMinimumDays(tiers[99], { tier: 'rising', since: ago(3) }, 30, iso(NOW))
    assert.equal(held.decision.tier, 'rising')
  })

  it('sums a month of GMV exactly', () => {
    const obs = [
      { date: '2026-01-31', gmv: 5 },
      { date: '2026-02-01', gmv: '1.10' },
      { date: '2026-02-28', gmv: '2.20' },
    ]
    assert.equal(crm.monthlyGmv(obs, 2026, 2), '3.30')
    assert.equal(crm.monthlyGmv(obs.slice(1), 2026, 2, true), null)
  })
})
