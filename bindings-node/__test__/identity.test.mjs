// identity: handles, phones, emails and text repair through the Node API.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'

import crm from '../index.js'

describe('parsePhone', () => {
  for (const [raw, e164, countryCode, extension] of [
    ['(+1)3159212129', '+13159212129', 1, undefined],
    ['+1 650-253-0000', '+16502530000', 1, undefined],
    ['00 33 1 42 76 49 78', '+33142764978', 33, undefined],
    ['+33142764978', '+33142764978', 33, undefined],
    ['650.253.0000 ext. 5', '+16502530000', 1, '5'],
  ]) {
    it(`reads ${raw}`, () => {
      const expected = { kind: 'e164', e164, countryCode }
      if (extension !== undefined) expected.extension = extension
      assert.deepEqual(crm.parsePhone(raw), expected)
    })
  }

  it('uses the default region for national numbers', () => {
    assert.equal(crm.parsePhone('020 7946 0958', 'GB').e164, '+442079460958')
    assert.equal(crm.parsePhone('415 555 0123').e164, '+14155550123')
  })

  for (const [raw, maskedPrefix, maskedSuffix] of [
    ['(+1)832*****59', '832', '59'],
    ['***-***-1234', '', '1234'],
    ['+1 415-555-****', '415555', ''],
  ]) {
    it(`detects the mask in ${raw}`, () => {
      assert.deepEqual(crm.parsePhone(raw), {
        kind: 'masked',
        countryCode: 1,
        maskedPrefix,
        maskedSuffix,
        nationalLength: 10,
      })
    })
  }

  for (const raw of ['', 'call me', '12']) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.throws(() => crm.parsePhone(raw), { code: 'invalid_input', field: 'phone' })
    })
  }
})

describe('parsePhones', () => {
  it('returns one result per value and never throws for a value', () => {
    const results = crm.parsePhones(['(+1)3159212129', 'call me', null, undefined, '(+1)832*****59'])
    assert.equal(results.length, 5)
    assert.equal(results[0].phone.e164, '+13159212129')
    assert.equal(results[0].error, undefined)
    assert.deepEqual(results[1].error, {
      code: 'invalid_input',
      name: 'InvalidInputError',
      message: 'invalid phone: contains letters',
      reason: 'contains letters',
      field: 'phone',
    })
    assert.equal(results[2], null)
    assert.equal(results[3], null)
    assert.equal(results[4].phone.kind, 'masked')
  })

  it('gives the same results as parsePhone', () => {
    const raws = ['+1 650-253-0000', '415 555 0123', '***-***-1234', '', 'x']
    crm.parsePhones(raws).forEach((result, i) => {
      let expected
      try {
        expected = { phone: crm.parsePhone(raws[i]) }
      } catch (e) {
        expected = { error: { code: e.code, name: e.name, message: e.message, reason: e.reason, field: e.field } }
      }
      assert.deepEqual(result, expected)
    })
  })

  it('throws only for an unknown region', () => {
    assert.throws(() => crm.parsePhones(['1'], 'nowhere'), { code: 'invalid_input', field: 'region' })
  })

  it('has an async variant with the same results', async () => {
    const raws = ['(+1)3159212129', 'call me', null]
    assert.deepEqual(await crm.parsePhonesAsync(raws), crm.parsePhones(raws))
    await assert.rejects(crm.parsePhonesAsync([], 'nowhere'), {
      name: 'InvalidInputError',
      code: 'invalid_input',
      field: 'region',
    })
  })
})

describe('normalizeHandle', () => {
  for (const [raw, handle] of [
    ['@Some.Creator', 'some.creator'],
    ['  some_creator ', 'some_creator'],
    ['https://www.tiktok.com/@Some.Creator?lang=en', 'some.creator'],
  ]) {
    it(`normalizes ${raw}`, () => assert.equal(crm.normalizeHandle(raw), handle))
  }

  for (const raw of ['', 'a', 'ends.with.dot.', 'has space', 'x'.repeat(25)]) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.throws(() => crm.normalizeHandle(raw), { code: 'invalid_input', field: 'handle' })
    })
  }

  it('has a batch variant', () => {
    const [ok, bad, missing] = crm.normalizeHandles(['@Ab.cd', 'a', null])
    assert.deepEqual(ok, { value: 'ab.cd' })
    assert.equal(bad.error.field, 'handle')
    assert.equal(missing, null)
  })
})

describe('normalizeEmail', () => {
  it('normalizes', () => {
    assert.equal(crm.normalizeEmail('  Jane.Doe@Mail-Host.COM '), 'jane.doe@mail-host.com')
  })

  for (const placeholder of ['n/a', 'none', '-', 'test@test.com', 'noreply@example.com', '']) {
    it(`drops the placeholder ${JSON.stringify(placeholder)}`, () => {
      assert.equal(crm.normalizeEmail(placeholder), null)
    })
  }

  it('rejects bad syntax', () => {
    assert.throws(() => crm.normalizeEmail('not-an-email'), { code: 'invalid_input', field: 'email' })
  })

  it('has a batch variant', () => {
    const [ok, placeholder, bad, missing] = crm.normalizeEmails(['A@B.co', 'n/a', 'bad', undefined])
    assert.deepEqual(ok, { value: 'a@b.co' })
    assert.deepEqual(placeholder, {})
    assert.equal(bad.error.field, 'email')
    assert.equal(missing, null)
  })
})

describe('repairText', () => {
  it('repairs mojibake and keeps correct text', () => {
    assert.equal(crm.repairText('JosÃ© MartÃ\u00adnez'), 'José Martínez')
    assert.equal(crm.repairText('José Martínez'), 'José Martínez')
    assert.equal(crm.repairText('Ã'), 'Ã')
  })

  it('has a batch variant', () => {
    assert.deepEqual(crm.repairTexts(['JosÃ© MartÃ\u00adnez', null, 'plain']), ['José Martínez', null, 'plain'])
  })
})
