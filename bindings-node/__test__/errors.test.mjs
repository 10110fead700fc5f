// Core errors arrive as JavaScript errors carrying name, code, field and reason.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

import crm from '../index.js'

describe('errors', () => {
  it('are Error instances with a stable code', () => {
    try {
      crm.parsePhone('call me')
      assert.fail('no error thrown')
    } catch (e) {
      assert.ok(e instanceof Error)
      assert.equal(e.name, 'InvalidInputError')
      assert.equal(e.code, 'invalid_input')
      assert.equal(e.field, 'phone')
      assert.equal(e.reason, 'contains letters')
      assert.equal(e.line, undefined)
      assert.equal(e.message, 'invalid phone: contains letters')
      assert.equal(String(e), 'InvalidInputError: invalid phone: contains letters')
    }
  })

  it('hold no personal data', () => {
    const secret = 'jane.doe.private@@example.com'
    assert.throws(
      () => crm.normalizeEmail(secret),
      (e) => !e.message.includes('jane') && !JSON.stringify(e).includes('jane'),
    )
  })

  it('reject wrong argument types as TypeError-like napi errors, not crashes', () => {
    assert.throws(() => crm.parsePhone(42))
    assert.throws(() => crm.parsePhones('not an array'))
  })

  it('say what a record of the wrong shape lacks, never quoting its values', () => {
    const now = '2026-03-01T12:00:00Z'
    assert.throws(
      () => crm.scoreSupporters([{ id: 's1', joined_at: now, tokens_lifetime: 'jane@mailbox.org' }], now),
      (e) => e.code === 'invalid_input' && e.field === 'supporters[0]' && !JSON.stringify([e.message, e.reason]).includes('jane'),
    )
    assert.throws(() => crm.scoreSupporters([{ joined_at: now }], now), {
      code: 'invalid_input',
      field: 'supporters[0]',
      reason: 'missing field `id`',
    })
  })

  it('read a time without an offset as UTC, like every binding', () => {
    const s = [{ id: 's1', joined_at: '2026-01-01T00:00:00Z', last_active_at: '2026-02-22T12:00:00Z' }]
    assert.deepEqual(crm.scoreSupporters(s, '2026-03-01T12:00:00'), crm.scoreSupporters(s, '2026-03-01T12:00:00Z'))
    // Seven days after the last activity at 12:00 UTC is dormant, a minute before is not.
    assert.equal(crm.scoreSupporters(s, '2026-03-01T12:00:00')[0].segment, 'dormant')
    assert.equal(crm.scoreSupporters(s, '2026-03-01T11:59:00')[0].segment, 'active')
    assert.equal(crm.scoreSupporters(s, '2026-03-01T13:59:00+02:00')[0].segment, 'active')
    assert.throws(() => crm.scoreSupporters(s, 'yesterday'), { code: 'invalid_input', field: 'now' })
  })

  it('carry a code that ErrorCode in index.d.ts declares', () => {
    const dts = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8')
    const codes = [...dts.match(/export type ErrorCode = (.*)/)[1].matchAll(/'(\w+)'/g)].map((x) => x[1])
    assert.equal(codes.length, 9)
    assert.ok(codes.includes('conflict'))
    const code = (run) => {
      try {
        run()
      } catch (e) {
        return e.code
      }
      assert.fail('no error thrown')
    }
    const now = '2026-03-01T12:00:00Z'
    const seen = [
      code(() => crm.parsePhone('call me')),
      code(() => crm.mergeExports({ euka: '/nonexistent/euka.csv' })),
      code(() => crm.authorizeAction('c', 's', 'bulk_message', { pseudonymKey: Buffer.alloc(32, 7), now })),
    ]
    assert.deepEqual(seen, ['invalid_input', 'import', 'forbidden'])
    for (const c of seen) assert.ok(codes.includes(c), c)
  })
})
