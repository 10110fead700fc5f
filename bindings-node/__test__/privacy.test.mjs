// privacy: sanitizeJson (objects and JSON strings), redactText, supporterView, authorizeAction.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

import crm from '../index.js'

const SAMPLE = readFileSync(new URL('../../core/tests/data/supporter_sample.json', import.meta.url), 'utf8')
const KEY = Buffer.from('node-test-key-0123456789')
const NOW = '2026-03-01T12:00:00Z'

describe('sanitizeJson', () => {
  it('removes personal keys in any spelling and redacts strings', () => {
    const doc = {
      supporter: { id: 's1', 'Real-Name': 'Jane Doe', contact: { phoneNumber: '+14155550134', pref: 'evenings' } },
      items: [{ sku: '1729384756201', price: 4.99 }, { note: 'mail jane@example.com' }],
      ok: true,
      n: null,
    }
    assert.deepEqual(crm.sanitizeJson(doc), {
      supporter: { id: 's1', contact: { pref: 'evenings' } },
      items: [{ sku: '1729384756201', price: 4.99 }, { note: 'mail [email]' }],
      ok: true,
      n: null,
    })
    assert.equal(doc.supporter['Real-Name'], 'Jane Doe', 'input untouched')
  })

  it('takes arrays and strings', () => {
    assert.deepEqual(crm.sanitizeJson(['call (415) 555-0134', { ip: '10.0.0.1' }, 3]), ['call [phone]', {}, 3])
    assert.equal(crm.sanitizeJson('from 198.51.100.7'), 'from [ip]')
  })

  it('reports paths and kinds, never values', () => {
    const out = crm.sanitizeJsonReport({ supporter: { email_address: 'jane@example.com' }, items: [{}, {}, { note: 'ip 10.1.2.3' }] })
    assert.deepEqual(out.value, { supporter: {}, items: [{}, {}, { note: 'ip [ip]' }] })
    assert.deepEqual(out.removed, [
      { path: '$.items[2].note', kind: 'ip' },
      { path: '$.supporter.email_address', kind: 'personal_field' },
    ])
  })

  it('honours deny, keep and allowOnly', () => {
    const doc = { id: 1, nickname: 'jj', city: 'Austin', stats: { gifts: 3, email: 'a@b.co' } }
    assert.deepEqual(crm.sanitizeJson(doc, { deny: ['nickName'] }), { id: 1, stats: { gifts: 3 } })
    assert.equal(crm.sanitizeJson(doc, { keep: ['city'] }).city, 'Austin')
    assert.deepEqual(crm.sanitizeJson(doc, { allowOnly: ['id', 'stats.*'] }), { id: 1, stats: { gifts: 3 } })
  })

  it('sanitizes JSON strings', () => {
    const out = crm.sanitizeJsonString(SAMPLE)
    for (const secret of ['Jane', 'jane', '415', '203.0.113.42', '198.51.100.7', 'Main St', '2001:db8']) {
      assert.ok(!out.includes(secret), secret)
    }
    assert.equal(JSON.parse(out).supporter.display_name, 'Starlight Fan')
  })

  it('sanitizes many JSON strings off the JS thread', async () => {
    const out = await crm.sanitizeJsonStringsAsync([SAMPLE, '{"ip": "10.0.0.1", "n": 1}', 'not json'])
    assert.equal(out.length, 3)
    assert.equal(out[0], crm.sanitizeJsonString(SAMPLE))
    assert.equal(out[1], '{"n":1}')
    assert.equal(out[2], null)
  })

  it('throws InvalidInputError on bad JSON text without quoting it', () => {
    assert.throws(() => crm.sanitizeJsonString('{"email": "jane@example.com"'), (e) => {
      assert.equal(e.code, 'invalid_input')
      assert.equal(e.field, 'json')
      assert.ok(!e.message.includes('jane'))
      return true
    })
  })
})

describe('redactText', () => {
  it('reports UTF-16 spans into the original text', () => {
    const text = 'héllo 🎉 jane@example.com / 415.555.0134'
    const r = crm.redactText(text)
    assert.equal(r.text, 'héllo 🎉 [email] / [phone]')
    assert.deepEqual(r.found.map((f) => f.kind), ['email', 'phone'])
    assert.equal(text.slice(r.found[0].start, r.found[0].end), 'jane@example.com')
    assert.equal(text.slice(r.found[1].start, r.found[1].end), '415.555.0134')
  })

  it('leaves ordinary values alone', () => {
    const text = 'order 578123456789012345 on 2024-05-01 for $1,234.56 (12.5%), v1.2.3.4'
    assert.deepEqual(crm.redactText(text), { text, found: [] })
  })
})

const supporter = (displayName = 'Starlight Fan') => ({
  id: 's-42',
  display_name: displayName,
  joined_at: '2025-01-02T03:04:05Z',
  time_zone: 'America/Chicago',
  fan_club: null,
  online: true,
  activity: { spends: [{ at: '2026-02-27T10:00:00Z', tokens: 120, feature: 'live_gift' }] },
  profile: { real_name: 'Jane Doe', email: 'jane@example.com', phone: '+14155550134', city: 'Austin', ip_address: '203.0.113.9' },
})

describe('supporterView', () => {
  it('has no personal data', () => {
    const view = crm.supporterView(supporter(), { pseudonymKey: KEY, score: { probability: 72, priority: 102, segment: 'hot_lead' } })
    assert.match(view.id, /^sp_[0-9a-f]{16}$/)
    assert.equal(view.display_name, 'Starlight Fan')
    assert.equal(view.name_source, 'chosen')
    assert.equal(view.lifetime_tokens, 120)
    assert.deepEqual(view.score, { probability: 72, priority: 102, segment: 'hot_lead' })
    const text = JSON.stringify(view)
    for (const secret of ['Jane', 'jane', '4155550134', 'Austin', '203.0.113.9', 'Chicago', 's-42']) {
      assert.ok(!text.includes(secret), secret)
    }
  })

  it('applies the display name rule', () => {
    assert.equal(crm.supporterView(supporter('jane@example.com')).name_source, 'generated')
    assert.match(crm.supporterView(supporter('JANE doe')).display_name, /^Supporter #[0-9a-f]{4}$/)
    assert.equal(crm.supporterView(supporter('Fan 415-555-0100')).display_name, 'Fan [phone]')
  })

  it('throws InvalidInputError for a malformed supporter', () => {
    assert.throws(() => crm.supporterView({ id: 's-1' }), { code: 'invalid_input', field: 'supporter' })
  })
})

describe('authorizeAction', () => {
  it('returns the audit record of an allowed action', () => {
    const audit = crm.authorizeAction('creator-7', 's-42', 'thank_for_gift', { pseudonymKey: KEY, now: NOW })
    assert.equal(audit.allowed, true)
    assert.equal(audit.action, 'thank_for_gift')
    assert.equal(audit.at, NOW)
    assert.match(audit.supporter, /^sp_/)
    assert.equal(audit.reason, undefined)
  })

  for (const action of ['bulk_message', 'export_supporter_list', 'offline_meetup', 'reveal_identity', 'exchange_contact_info']) {
    it(`rejects ${action} with a ForbiddenError carrying the audit record`, () => {
      assert.throws(
        () => crm.authorizeAction('creator-7', 's-42', action, { pseudonymKey: KEY, now: NOW }),
        (e) => {
          assert.equal(e.name, 'ForbiddenError')
          assert.equal(e.code, 'forbidden')
          assert.equal(e.field, 'action')
          assert.ok(e.reason.includes(action))
          assert.equal(e.audit.allowed, false)
          assert.equal(e.audit.action, action)
          return true
        },
      )
    })
  }

  it('rejects messages carrying contact details', () => {
    assert.throws(
      () => crm.authorizeAction('c', 's', 'send_message', { pseudonymKey: KEY, now: NOW, body: 'text me 415-555-0134' }),
      (e) => e.code === 'forbidden' && e.message.includes('exchange_contact_info') && !e.message.includes('555'),
    )
    assert.equal(crm.authorizeAction('c', 's', 'send_message', { pseudonymKey: KEY, now: NOW, body: 'thanks!' }).allowed, true)
  })

  it('throws InvalidInputError for an unknown action or a bad time', () => {
    assert.throws(() => crm.authorizeAction('c', 's', 'hug', { pseudonymKey: KEY, now: NOW }), { code: 'invalid_input', field: 'action' })
    assert.throws(() => crm.authorizeAction('c', 's', 'reply', { pseudonymKey: KEY, now: 'yesterday' }), { code: 'invalid_input', field: 'now' })
  })
})
