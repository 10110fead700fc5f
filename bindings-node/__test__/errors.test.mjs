// Core errors arrive as JavaScript errors carrying name, code, field and reason.
import assert from 'node:assert/strict'
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
})
