// The shared vectors tests/vectors/identity.json, also run by every other binding.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'

import crm from '../index.js'

const vectors = JSON.parse(readFileSync(new URL('../../tests/vectors/identity.json', import.meta.url), 'utf8'))

function check(cases, call, compare) {
  for (const c of cases) {
    it(JSON.stringify(c.input), () => {
      if ('error' in c) {
        assert.throws(() => call(c), (e) => e.code === c.error && e.field === c.field)
      } else {
        compare(call(c), c.output)
      }
    })
  }
}

// Vectors spell fields in snake_case and absent values as null.
function phoneAsVector(phone) {
  return {
    kind: phone.kind,
    e164: phone.e164 ?? null,
    country_code: phone.countryCode ?? null,
    extension: phone.extension ?? null,
    masked_prefix: phone.maskedPrefix ?? null,
    masked_suffix: phone.maskedSuffix ?? null,
    national_length: phone.nationalLength ?? null,
  }
}

function pick(obj, keys) {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]))
}

describe('handle vectors', () => check(vectors.handle, (c) => crm.normalizeHandle(c.input), assert.equal))
describe('email vectors', () => check(vectors.email, (c) => crm.normalizeEmail(c.input), assert.equal))
describe('repair_text vectors', () => check(vectors.repair_text, (c) => crm.repairText(c.input), assert.equal))
describe('phone vectors', () =>
  check(
    vectors.phone,
    (c) => crm.parsePhone(c.input, c.region ?? 'US'),
    (phone, expected) => assert.deepEqual(pick(phoneAsVector(phone), Object.keys(expected)), expected),
  ))
