// OutreachService with a sender written in JavaScript: approve → plan → send → webhooks,
// consent, inbound keywords, provider refusals and unknown outcomes, over MemoryStore and
// SqliteStore.
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

import crm from '../index.js'

const { Crm, MemoryStore, OutreachService, SqliteStore } = crm

// 15:00 UTC on a Monday: 10:00 in Houston, 08:00 in San Francisco.
const NOW = '2026-06-01T15:00:00Z'
const later = (minutes) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString()
const EUKA = Buffer.from(
  'handle,email,phone,recipient,state\n' +
    'ana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\n' +
    'bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n' +
    'dee,dee@mailbox.org,,Dee Fox,\n',
)
const CONFIG = {
  campaignId: 'welcome-2026-06',
  brandName: 'Acme Beauty',
  communityInviteUrl: 'https://discord.gg/acme',
  postalAddress: 'Acme Beauty, 100 Main St, Austin, TX 78701',
  unsubscribeBaseUrl: 'https://crm.example.com/u/',
  consentBaseUrl: 'https://crm.example.com/c',
  consentKey: 'consent-key-of-at-least-16-bytes',
  statusCallbackBase: 'https://crm.example.com/twilio',
}
const MAILGUN_KEY = 'mailgun-signing-key'
const TWILIO_TOKEN = 'twilio-auth-token'

const refusal = (message) => Object.assign(new Error(message), { code: 'messaging' })

/** A sender that records what it is given; `refuse` / `explode` make the next calls fail
 * as a provider refusal or a lost connection would. */
class Recorder {
  constructor() {
    this.emails = []
    this.sms = []
    this.refuse = 0
    this.explode = null
  }

  take(list, message) {
    if (this.refuse > 0) {
      this.refuse -= 1
      throw refusal('provider unavailable')
    }
    list.push(message)
    if (this.explode) {
      const e = this.explode
      this.explode = null
      throw e
    }
    return `provider-${this.emails.length + this.sms.length}`
  }

  sendEmail(message) {
    return this.take(this.emails, message)
  }

  sendSms(message) {
    return this.take(this.sms, message)
  }
}

function service({ role = 'member', store = new MemoryStore(), config = {} } = {}) {
  new Crm(store, { workspace: 'acme', actor: { id: 'owner-1', role: 'owner' } }).importExports({ euka: EUKA }, NOW)
  const c = new Crm(store, { workspace: 'acme', actor: { id: 'staff-1', role } })
  const sender = new Recorder()
  return { s: new OutreachService(c, sender, { ...CONFIG, ...config }), sender, crm: c, store }
}

function mailgun(event, key = MAILGUN_KEY) {
  const timestamp = '1780326000'
  const token = 'tok-1'
  const signature = createHmac('sha256', key).update(timestamp + token).digest('hex')
  return Buffer.from(JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': event }))
}
const MAILGUN_AT = new Date(1780326060 * 1000).toISOString()

function twilioSign(url, params, token = TWILIO_TOKEN) {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('')
  return createHmac('sha1', token).update(data).digest('base64')
}

const statuses = (entry) => entry.log.map((l) => l.status)

describe('OutreachService', () => {
  it('approve → sendDue → Mailgun and Twilio webhooks: history shows every status change', () => {
    const { s, sender, crm: c } = service()
    assert.equal(s.approve(['ana.b', 'bo'], NOW), 2)
    assert.equal(s.approve(['ana.b'], NOW), 0, 'no longer pending')
    s.recordConsent('bo', 'sms', 'opt_in', NOW)
    const plan = s.plan(NOW)
    assert.deepEqual([plan.queued, plan.alreadyQueued], [3, 0])
    assert.deepEqual(plan.skipped, [{ creator: 'ana.b', channel: 'sms', reason: 'no_consent' }])
    assert.deepEqual(s.sendDue(NOW), { sent: 3, failed: 0, deferred: 0, cancelled: 0, taken: 0 })

    assert.deepEqual(sender.emails.map((m) => m.to).sort(), ['ana@mailbox.org', 'bo@mailbox.org'])
    const email = sender.emails.find((m) => m.to === 'bo@mailbox.org')
    assert.deepEqual(email.headers, {
      'List-Unsubscribe': `<https://crm.example.com/u/${email.outboxId}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
    assert.deepEqual(email.variables, { outbox_id: email.outboxId })
    assert.equal(email.idempotencyKey, email.outboxId)
    assert.match(email.subject, /Acme Beauty/)
    const [sms] = sender.sms
    assert.equal(sms.to, '+17135550102')
    assert.equal(sms.statusCallback, `https://crm.example.com/twilio?outbox_id=${sms.outboxId}`)
    assert.equal(c.getCreator('bo').profile.outreachStatus, 'sent')

    const delivered = mailgun({ event: 'delivered', id: 'ev-1', timestamp: 1780326000.5, 'user-variables': { outbox_id: email.outboxId } })
    assert.equal(s.applyMailgunWebhook(MAILGUN_KEY, delivered, MAILGUN_AT), 'applied')
    assert.equal(s.applyMailgunWebhook(MAILGUN_KEY, delivered.toString(), MAILGUN_AT), 'duplicate')
    assert.throws(() => s.applyMailgunWebhook('another-key', delivered, MAILGUN_AT), { name: 'WebhookError', code: 'webhook' })
    assert.throws(() => s.applyMailgunWebhook(MAILGUN_KEY, delivered, later(24 * 60)), { code: 'webhook' })

    const params = { MessageSid: 'SM123', MessageStatus: 'delivered', To: sms.to }
    const sig = twilioSign(sms.statusCallback, params)
    assert.equal(s.applyTwilioStatus(TWILIO_TOKEN, sms.statusCallback, params, sig, NOW), 'applied')
    assert.equal(s.applyTwilioStatus(TWILIO_TOKEN, sms.statusCallback, params, sig, NOW), 'duplicate')
    assert.throws(() => s.applyTwilioStatus(TWILIO_TOKEN, sms.statusCallback, params, 'forged', NOW), { code: 'webhook' })
    const queuedOnly = { MessageSid: 'SM123', MessageStatus: 'queued' }
    assert.equal(s.applyTwilioStatus(TWILIO_TOKEN, sms.statusCallback, queuedOnly, twilioSign(sms.statusCallback, queuedOnly), NOW), null)

    const history = s.history('bo')
    assert.deepEqual(history.map((e) => e.channel).sort(), ['email', 'sms'])
    for (const entry of history) {
      assert.equal(entry.status, 'delivered')
      assert.deepEqual(statuses(entry), ['queued', 'sending', 'sent', 'delivered'])
      assert.equal(entry.attempts, 1)
    }
    const ids = [...s.history('ana.b'), ...history].map((e) => e.provider_message_id).sort()
    assert.deepEqual(ids, ['provider-1', 'provider-2', 'provider-3'], 'the ids the sender returned')
    assert.ok(history.find((e) => e.channel === 'sms').log.some((l) => l.detail === 'SM123' || l.status === 'delivered'))

    // Planning and sending again sends nothing twice.
    assert.equal(s.plan(later(60)).alreadyQueued, 3)
    assert.equal(s.sendDue(later(60)).sent, 0)
    assert.equal(sender.emails.length + sender.sms.length, 3)
  })

  it('sends no SMS without consent', () => {
    const { s, sender } = service()
    s.approve(['bo'], NOW)
    const plan = s.plan(NOW)
    assert.deepEqual(plan.skipped, [{ creator: 'bo', channel: 'sms', reason: 'no_consent' }])
    assert.equal(s.sendDue(NOW).sent, 1)
    assert.deepEqual(sender.sms, [])
    // Consent recorded after planning, then revoked before sending: the queued SMS is cancelled.
    s.recordConsent('bo', 'sms', 'opt_in', NOW)
    assert.equal(s.plan(later(1)).queued, 1)
    s.recordConsent('bo', 'sms', 'opt_out', later(2))
    assert.deepEqual(s.sendDue(later(3)), { sent: 0, failed: 0, deferred: 0, cancelled: 1, taken: 0 })
    assert.deepEqual(sender.sms, [])
    const sms = s.history('bo').find((e) => e.channel === 'sms')
    assert.equal(sms.status, 'cancelled')
    assert.equal(sms.log.at(-1).detail, 'no_consent')
  })

  it('STOP inbound revokes consent, queues one confirmation and stops later SMS', () => {
    const { s, sender, crm: c } = service()
    s.approve(['bo'], NOW)
    s.recordConsent('bo', 'sms', 'opt_in', NOW)
    s.plan(NOW)
    s.sendDue(NOW)
    assert.equal(sender.sms.length, 1)
    assert.equal(s.inboundSms('+17135550102', "I'll stop by later", 'SM1', NOW).keyword, null)
    const stop = s.inboundSms('+17135550102', 'please stop texting me', 'SM2', NOW)
    assert.deepEqual([stop.keyword, stop.creators, stop.duplicate], ['opt_out', ['bo'], false])
    assert.equal(typeof stop.reply, 'string')
    assert.equal(s.inboundSms('+17135550102', 'please stop texting me', 'SM2', NOW).duplicate, true)
    assert.equal(s.sendDue(NOW).sent, 1, 'the one confirmation')
    assert.match(sender.sms.at(-1).body, /unsubscribed/)
    assert.deepEqual(s.consent('bo').map((e) => [e.action, e.source]), [['opt_in', 'staff'], ['opt_out', 'sms_keyword']])
    assert.equal(c.getCreator('bo').profile.outreachStatus, 'unsubscribed')
    // Nothing more goes to that number: planning again queues no campaign SMS.
    s.plan(later(60))
    assert.equal(s.sendDue(later(60)).sent, 0)
    assert.equal(sender.sms.length, 2)
    assert.throws(() => s.inboundSms('713 555 0102', 'STOP', 'SM3', NOW), { code: 'invalid_input', field: 'from' })
  })

  it('a sender that throws a plain Error leaves the entry unknown and the caller gets that same error', () => {
    const { s, sender, crm: c } = service({ role: 'admin' })
    s.approve(['dee'], NOW)
    s.plan(NOW)
    const lost = new Error('connection reset')
    sender.explode = lost
    assert.throws(() => s.sendDue(NOW), (e) => e === lost)
    const [entry] = s.history('dee')
    assert.equal(entry.status, 'unknown')
    assert.deepEqual(statuses(entry), ['queued', 'sending', 'unknown'])
    // Neither a second sendDue nor a restarted service sends it again.
    assert.deepEqual(s.sendDue(later(60)), { sent: 0, failed: 0, deferred: 0, cancelled: 0, taken: 0 })
    const restarted = new OutreachService(c, new Recorder(), CONFIG)
    assert.equal(restarted.recover(NOW), 0)
    assert.equal(restarted.sendDue(later(120)).sent, 0)
    assert.equal(sender.emails.length, 1)
    // A person decides.
    restarted.resolveUnknown(entry.id, true, later(130))
    assert.equal(s.history('dee')[0].status, 'sent')
    assert.throws(() => restarted.resolveUnknown(entry.id, true, later(131)), { code: 'invalid_input', field: 'id' })
  })

  it('a thrown non-Error value is a StorageError and the entry is unknown', () => {
    const { s, crm: c } = service()
    s.approve(['dee'], NOW)
    s.plan(NOW)
    const odd = {
      sendEmail: () => {
        throw 'nope'
      },
      sendSms: () => 'x',
    }
    const svc = new OutreachService(c, odd, CONFIG)
    assert.throws(() => svc.sendDue(NOW), { name: 'StorageError', code: 'storage', field: 'sendEmail', reason: 'sender threw a non-Error value' })
    assert.equal(s.history('dee')[0].status, 'unknown')
    // A sender returning no id: the provider may have the message, so it is unknown too.
    const other = service()
    other.s.approve(['dee'], NOW)
    other.s.plan(NOW)
    const silent = new OutreachService(other.crm, { sendEmail: () => 42, sendSms: () => 'x' }, CONFIG)
    assert.throws(() => silent.sendDue(NOW), { code: 'storage', field: 'sendEmail' })
    assert.equal(other.s.history('dee')[0].status, 'unknown')
  })

  it('a MessagingError-coded refusal is retried later, with backoff, up to maxAttempts', () => {
    const { s, sender } = service({ config: { maxAttempts: 2 } })
    s.approve(['dee'], NOW)
    s.plan(NOW)
    sender.refuse = 1
    assert.deepEqual(s.sendDue(NOW), { sent: 0, failed: 1, deferred: 0, cancelled: 0, taken: 0 })
    let [entry] = s.history('dee')
    assert.equal(entry.status, 'queued')
    assert.deepEqual(entry.log.map((l) => l.event), ['queued', 'sending', 'failed', 'retry'])
    assert.equal(s.sendDue(NOW).sent, 0, 'not before its retry time')
    assert.equal(s.sendDue(later(5)).sent, 1)
    assert.equal(sender.emails.length, 1)

    const again = service({ config: { maxAttempts: 2 } })
    again.s.approve(['dee'], NOW)
    again.s.plan(NOW)
    again.sender.refuse = 5
    assert.equal(again.s.sendDue(NOW).failed, 1)
    assert.equal(again.s.sendDue(later(5)).failed, 1)
    ;[entry] = again.s.history('dee')
    assert.equal(entry.status, 'failed', 'attempts used up')
    assert.equal(again.s.sendDue(later(60)).sent, 0)
    assert.equal(entry.attempts, 2)
  })

  it('consent link, history and erasure', () => {
    const { s, sender } = service({ role: 'owner' })
    s.approve(['ana.b'], NOW)
    s.plan(NOW)
    s.sendDue(NOW)
    const link = sender.emails[0].text.split(/\s+/).find((w) => w.startsWith('https://crm.example.com/c?t='))
    const token = link.split('t=')[1]
    assert.equal(s.acceptConsentLink(token, NOW, '203.0.113.7', 'Safari'), 'ana.b')
    assert.throws(() => s.acceptConsentLink(`${token}x`, NOW), { name: 'ConsentError', code: 'consent' })
    const [consent] = s.consent('ana.b')
    assert.deepEqual([consent.source, consent.ip, consent.user_agent], ['consent_link', '203.0.113.7', 'Safari'])
    s.plan(later(1))
    assert.equal(s.sendDue(later(1)).sent, 1)
    assert.deepEqual(s.history('ana.b').map((e) => e.channel), ['sms', 'email'])
    assert.ok(s.eraseCreator('ana.b', later(2)) >= 1)
    assert.deepEqual(s.history('ana.b'), [])
    assert.deepEqual(s.consent('ana.b'), [])
  })

  it('roles, config, senders and stores are checked', () => {
    const viewer = service({ role: 'viewer' })
    assert.throws(() => viewer.s.plan(NOW), { name: 'ForbiddenError', code: 'forbidden' })
    assert.deepEqual(viewer.s.history('bo'), [])
    const { crm: c } = service()
    assert.throws(() => new OutreachService(c, new Recorder(), { ...CONFIG, colour: 'blue' }), { code: 'invalid_input', field: 'config' })
    assert.throws(() => new OutreachService(c, new Recorder(), { brandName: 'x' }))
    assert.throws(() => new OutreachService(c, { sendEmail: () => 'x' }, CONFIG), { code: 'invalid_input', field: 'sendSms' })
    assert.throws(() => s0().recordConsent('bo', 'fax', 'opt_in', NOW), { code: 'invalid_input' })
    // A JavaScript store without the outreach methods cannot hold the outbox.
    const inner = new MemoryStore()
    const host = Object.fromEntries(crm.storeMethods().map((m) => [m, (...a) => inner[m](...a)]))
    const hosted = new Crm(host)
    assert.throws(() => new OutreachService(hosted, new Recorder(), CONFIG), { code: 'invalid_input', field: 'store' })
    assert.throws(() => new OutreachService(hosted, new Recorder(), CONFIG, host), { code: 'invalid_input', field: 'outbox' })
    assert.ok(new OutreachService(hosted, new Recorder(), CONFIG, new MemoryStore()))
    // Email only: no SMS is planned.
    const emailOnly = service({ config: { smsTemplate: null } })
    emailOnly.s.approve(['bo'], NOW)
    emailOnly.s.recordConsent('bo', 'sms', 'opt_in', NOW)
    assert.deepEqual(emailOnly.s.plan(NOW).messages.map((m) => m.channel), ['email'])
  })
})

function s0() {
  return service().s
}

describe('OutreachService over SqliteStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'creator-crm-outbox-'))
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps the outbox in the database across reopened stores', () => {
    const path = join(dir, 'crm.db')
    const owner = { id: 'owner-1', role: 'owner' }
    new Crm(new SqliteStore(path), { workspace: 'acme', actor: owner }).importExports({ euka: EUKA }, NOW)
    const sender = new Recorder()
    const fresh = () => new OutreachService(new Crm(new SqliteStore(path), { workspace: 'acme', actor: owner }), sender, CONFIG)
    fresh().approve(['dee'], NOW)
    assert.equal(fresh().plan(NOW).queued, 1)
    assert.equal(fresh().sendDue(NOW).sent, 1)
    assert.equal(fresh().plan(NOW).alreadyQueued, 1)
    assert.equal(fresh().sendDue(NOW).sent, 0)
    assert.deepEqual(fresh().history('dee').map((e) => e.status), ['sent'])
    assert.equal(sender.emails.length, 1)
  })

  it('the outbox can live in a SqliteStore of its own', () => {
    const { crm: c } = service()
    const outbox = new SqliteStore(join(dir, 'outbox.db'))
    const s = new OutreachService(c, new Recorder(), CONFIG, outbox)
    s.approve(['dee'], NOW)
    s.plan(NOW)
    assert.equal(s.sendDue(NOW).sent, 1)
    assert.equal(new OutreachService(c, new Recorder(), CONFIG, new SqliteStore(join(dir, 'outbox.db'))).history('dee').length, 1)
  })
})
