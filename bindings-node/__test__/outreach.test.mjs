// outreach: SMS segments and keywords, the quiet-hour send window, templates, and the
// Twilio and Mailgun signature checks.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { describe, it } from 'node:test'

import crm from '../index.js'

const seg = (text) => {
  const s = crm.smsSegments(text)
  return [s.encoding, s.segments, s.units]
}

describe('smsSegments', () => {
  it('GSM-7: 160 septets in one segment, 153 per segment after', () => {
    assert.deepEqual(seg(''), ['GSM-7', 0, 0])
    assert.deepEqual(seg('a'.repeat(160)), ['GSM-7', 1, 160])
    assert.deepEqual(seg('a'.repeat(161)), ['GSM-7', 2, 161])
    assert.deepEqual(seg('a'.repeat(306)), ['GSM-7', 2, 306])
    assert.deepEqual(seg('a'.repeat(307)), ['GSM-7', 3, 307])
  })

  it('UCS-2: 70 units in one segment, 67 per segment after', () => {
    assert.deepEqual(seg('ж'.repeat(70)), ['UCS-2', 1, 70])
    assert.deepEqual(seg('ж'.repeat(71)), ['UCS-2', 2, 71])
    assert.deepEqual(seg('ж'.repeat(134)), ['UCS-2', 2, 134])
    assert.deepEqual(seg('ж'.repeat(135)), ['UCS-2', 3, 135])
    // One character outside GSM-7 makes the whole message UCS-2.
    assert.deepEqual(seg(`${'a'.repeat(100)}ж`), ['UCS-2', 2, 101])
  })

  it('extension characters count 2 and are never split', () => {
    assert.deepEqual(seg('{}[]~^|\\'), ['GSM-7', 1, 16])
    assert.deepEqual(seg('€'.repeat(80)), ['GSM-7', 1, 160])
    assert.deepEqual(seg('€'.repeat(81)), ['GSM-7', 2, 162])
    // 306 septets would fill two segments, but the € cannot straddle the first boundary.
    assert.deepEqual(seg(`${'a'.repeat(152)}€${'a'.repeat(152)}`), ['GSM-7', 3, 306])
  })

  it('emoji are UCS-2 surrogate pairs', () => {
    assert.deepEqual(crm.smsSegments('Hi 👋'), { encoding: 'UCS-2', segments: 1, characters: 4, units: 5 })
    assert.deepEqual(seg('👋'.repeat(35)), ['UCS-2', 1, 70])
    assert.deepEqual(seg('👋'.repeat(36)), ['UCS-2', 2, 72])
  })
})

describe('smsKeyword', () => {
  it('reads opt-outs in any reasonable wording', () => {
    for (const text of ['STOP', 'stop', ' Stop ', 'STOP please', 'STOPALL', 'Unsubscribe', 'cancel', 'END', 'quit', 'revoke', 'opt out', 'OPTOUT', 'please stop texting me!']) {
      assert.equal(crm.smsKeyword(text), 'opt_out', text)
    }
  })

  it('opt-ins, help, and everything else', () => {
    for (const text of ['START', 'yes', 'Unstop']) assert.equal(crm.smsKeyword(text), 'opt_in', text)
    for (const text of ['HELP', 'info?']) assert.equal(crm.smsKeyword(text), 'help', text)
    for (const text of ["I'll stop by later", 'Thanks!', '', 'yes, I will stop by']) {
      assert.equal(crm.smsKeyword(text), null, text)
    }
  })
})

describe('smsSendWindow', () => {
  // Houston (713, Central time, CDT = UTC-5 in June). 2026-06-07 is a Sunday.
  const HOUSTON = '+17135550123'
  const at = (iso) => crm.smsSendWindow(HOUSTON, new Date(iso)).toISOString()

  it('Texas: Sundays from 12:00, Monday to Saturday from 09:00, until 21:00', () => {
    // Sunday 10:00 local → Sunday 12:00 local.
    assert.equal(at('2026-06-07T15:00:00Z'), '2026-06-07T17:00:00.000Z')
    // Sunday 13:00 local is allowed: now itself.
    assert.equal(at('2026-06-07T18:00:00Z'), '2026-06-07T18:00:00.000Z')
    // Sunday 21:30 local → Monday 09:00 local.
    assert.equal(at('2026-06-08T02:30:00Z'), '2026-06-08T14:00:00.000Z')
    // Monday 08:30 local → 09:00.
    assert.equal(at('2026-06-08T13:30:00Z'), '2026-06-08T14:00:00.000Z')
  })

  it('takes an ISO string for now and the recipient\'s state when the host knows it', () => {
    const d = crm.smsSendWindow(HOUSTON, '2026-06-07T15:00:00Z')
    assert.ok(d instanceof Date)
    assert.equal(d.toISOString(), '2026-06-07T17:00:00.000Z')
    // A Florida resident with a Texas number: Florida's 08:00–20:00 applies, in Central time.
    assert.equal(crm.smsSendWindow(HOUSTON, new Date('2026-06-07T15:00:00Z'), { state: 'FL' }).toISOString(), '2026-06-07T15:00:00.000Z')
  })

  it('bad numbers and times are typed errors', () => {
    const now = new Date('2026-06-07T15:00:00Z')
    assert.throws(() => crm.smsSendWindow('713555', now), { code: 'invalid_input', field: 'phone' })
    assert.throws(() => crm.smsSendWindow('+442071234567', now), { code: 'invalid_input', field: 'phone' })
    assert.throws(() => crm.smsSendWindow(HOUSTON, new Date(Number.NaN)), { code: 'invalid_input', field: 'now' })
    assert.throws(() => crm.smsSendWindow(HOUSTON, 'yesterday'), { code: 'invalid_input', field: 'now' })
  })
})

describe('renderTemplate', () => {
  it('escapes HTML only when asked', () => {
    const ctx = { name: '<script>alert("x")</script>' }
    assert.equal(
      crm.renderTemplate('<p>{{ name }}</p>', ctx, { html: true }),
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2f;script&gt;</p>',
    )
    assert.equal(crm.renderTemplate('<p>{{ name }}</p>', ctx), '<p><script>alert("x")</script></p>')
    assert.equal(
      crm.renderTemplate('Hi {{ first_name | default("there") }}, {% for b in brands %}{{ b }}{% if not loop.last %} & {% endif %}{% endfor %}', { brands: ['Acme', 'Glow'] }),
      'Hi there, Acme & Glow',
    )
  })

  it('undefined variables, syntax errors and limits are TemplateErrors', () => {
    const templateError = { name: 'TemplateError', code: 'template' }
    assert.throws(() => crm.renderTemplate('Hi {{ first_name }}', {}), { ...templateError, message: /undefined value/ })
    assert.throws(() => crm.renderTemplate('Hi {{ user.first_name }}', { user: {} }), templateError)
    assert.throws(() => crm.renderTemplate('{{ oops', {}), { ...templateError, message: /syntax error/ })
    assert.throws(() => crm.renderTemplate('{% for i in range(100000000) %}{{ i }}{% endfor %}', {}), templateError)
  })
})

describe('webhook signatures', () => {
  // Twilio's published example (https://www.twilio.com/docs/usage/security).
  const TOKEN = '12345'
  const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2'
  const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' }
  const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8='

  it('Twilio: the published vector', () => {
    assert.equal(crm.verifyTwilioSignature(TOKEN, URL, PARAMS, SIGNATURE), true)
    const { Digits, ...fewer } = PARAMS
    assert.equal(crm.verifyTwilioSignature(TOKEN, URL, fewer, SIGNATURE), false)
    assert.equal(crm.verifyTwilioSignature('54321', URL, PARAMS, SIGNATURE), false)
    assert.equal(crm.verifyTwilioSignature(TOKEN, URL, { ...PARAMS, Digits: '1235' }, SIGNATURE), false)
    assert.equal(crm.verifyTwilioSignature(TOKEN, URL, PARAMS, ''), false)
  })

  it('Twilio: any signature made by the documented rule, whatever the key order', () => {
    const params = { To: '+18005551212', Body: 'STOP please', From: '+14158675309', MessageSid: 'SM1' }
    const url = 'https://example.com/twilio/inbound'
    const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('')
    const sig = createHmac('sha1', 'secret-token').update(data).digest('base64')
    assert.equal(crm.verifyTwilioSignature('secret-token', url, params, sig), true)
  })

  it('Mailgun: hex HMAC-SHA256 of timestamp + token', () => {
    const key = 'key-7f3a5c9d1e2b4f60'
    const timestamp = '1767225600'
    const token = 'b7f1c2d3e4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c'
    const signature = 'b1f5bbb769c91f2b7abfc18df0f8752e94aa0aa42a232f2df9bc9cce93e6aae6'
    assert.equal(createHmac('sha256', key).update(timestamp + token).digest('hex'), signature)
    assert.equal(crm.verifyMailgunSignature(key, timestamp, token, signature), true)
    assert.equal(crm.verifyMailgunSignature(key, '1767225601', token, signature), false)
    assert.equal(crm.verifyMailgunSignature('key-other', timestamp, token, signature), false)
    assert.equal(crm.verifyMailgunSignature(key, timestamp, token, signature.slice(0, 62)), false)
    assert.equal(crm.verifyMailgunSignature(key, timestamp, token, 'not hex'), false)
  })
})
