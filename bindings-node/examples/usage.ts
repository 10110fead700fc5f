// A TypeScript host using creator-crm: type-checked by `tsc -p tsconfig.json`
// (scripts/test-node.sh), so every result below has a declared type, not `any`.
import {
  type Alert,
  type CrmError,
  type ErrorCode,
  type ForbiddenError,
  type Creator,
  type MergeProgress,
  type Sample,
  Merger,
  mergeExportsAsync,
  tableColumns,
  type BadgeDecision,
  type MergeResult,
  type SupporterInsights,
  type TierDecision,
  applyMinimumDays,
  classifyCreators,
  deliverAlerts,
  detectAlerts,
  explainScore,
  inboxTabs,
  mergeRows,
  parsePhone,
  sanitizeJson,
  scoreSupporters,
  shopBadge,
  supporterInsights,
  supporterView,
  type ConversionOverall,
  type CreatorConversion,
  type Dashboard,
  type ProductConversion,
  type SmsKeyword,
  BgNbd,
  GammaGamma,
  dashboard,
  dashboardAsync,
  fitBgnbd,
  fitBgnbdAsync,
  fitGammaGamma,
  postingSummaries,
  productPerformance,
  retentionCurve,
  rfmSummary,
  type PostingSummary,
  type RetentionPoint,
  renderTemplate,
  sampleConversion,
  sampleConversionByProduct,
  sampleConversionOverall,
  smsKeyword,
  smsSegments,
  smsSendWindow,
  topPerformers,
  trending,
  verifyMailgunSignature,
  verifyTwilioSignature,
  videoPerformance,
  Crm,
  OutreachService,
  SqliteStore,
  type OutboundEmail,
  type OutboundSms,
  type OutboxEntryRecord,
  type OutreachSender,
  type OutreachStore,
} from '../index.js'

const now = new Date(Date.UTC(2026, 2, 1, 12)).toISOString()

// Identity.
const phone = parsePhone('(+1)3159212129')
const e164: string | null | undefined = phone.e164

// Tiers: decisions are tagged unions, narrowed by `rule`.
const badge: BadgeDecision = shopBadge('5000')
const nextBadge: string | undefined = badge.next?.[0]
const decisions: TierDecision[] = classifyCreators(
  [{ id: 'maya', joined_at: '2025-01-01T00:00:00Z', monthly_earnings: '5000' }],
  now,
)
function describeRule(d: TierDecision): string {
  switch (d.rule.rule) {
    case 'newcomer':
      return `newcomer for ${d.rule.newcomer_days - d.rule.days_since_joining} more days`
    case 'earnings':
      return `earns ${d.rule.monthly_earnings}, next band at ${d.rule.next_threshold ?? 'none'}`
    case 'top_share':
      return `rank ${d.rule.rank} of ${d.rule.population}`
    case 'held':
      return `held ${d.rule.days_in_tier}/${d.rule.min_days} days`
  }
}
const held = applyMinimumDays(decisions[0], { tier: 'rising', since: now }, 30, now)
const heldTier: 'newcomer' | 'emerging' | 'rising' | 'established' | 'star' | 'superstar' | 'legend' = held.decision.tier

// Supporters.
const supporter = { id: 's1', joined_at: '2025-06-01T00:00:00Z', tokens_lifetime: 5000, online: true }
const [score] = scoreSupporters([supporter], now)
const strict = scoreSupporters([supporter], now, { vip_lifetime_tokens: 10_000, chat_curve: { kind: 'linear', full_at: 5 } })
const quietAlerts = detectAlerts([supporter], now, null, { cooldown_seconds: 7_200, milestones: [1_000] })
const segment: 'vip' | 'cold' | 'dormant' | 'hot_lead' | 'active' = score.segment
const explanation = explainScore(supporter, now)
const topSignal: string | undefined = explanation.contributions[0]?.signal
const tabs = inboxTabs([supporter], now, { limit: 20 })
const vipIds: string[] = tabs.vip.ids
const alerts: Alert[] = detectAlerts([supporter], now)
const spikes = alerts.flatMap((a) => (a.detail.detail === 'spike' ? [a.detail.tokens_7d] : []))
const { outcome, state } = deliverAlerts(alerts, null, now)
const delivered: Alert[] = outcome.delivered
const again = deliverAlerts(alerts, state, now)
const insights: SupporterInsights[] = supporterInsights(
  [{ id: 's1', joined_at: '2025-06-01T00:00:00Z', time_zone: 'UTC', activity: { chat_messages: [now] } }],
  now,
)
const risk: 'low' | 'medium' | 'high' = insights[0].retention_risk.level

// Privacy.
const view = supporterView({ id: 's1', joined_at: now, time_zone: 'UTC', activity: {} })
const shownName: string = view.display_name
const clean = sanitizeJson({ realName: 'Jane', note: 'mail jane@example.com' })

// Merge.
const merged: MergeResult = mergeRows({ euka: [{ handle: '@Ana', email: 'ana@mailbox.org' }] })
const handles: string[] = merged.creators.map((c) => c.tiktokUsername)
const rowsRead: number = merged.report.rowsRead
const rejectedLines: number[] = merged.report.files.flatMap((f) => f.rejected.map((r) => r.line))

// The whole merge, incrementally: files, CSV text or bytes, rows, edits, suppression.
const m = new Merger({ defaultRegion: 'US', priorities: ['manual', 'phone_numbers', 'euka'], relatedRecords: true })
m.addCsv('euka', 'Handle,Email\n@ana,ana@mailbox.org\n', { name: 'euka.csv', brand: 'Acme' })
m.addCsv('phone_numbers', Buffer.from('Username,Phone #\nana,(415) 555-2671\n'))
m.addRows('sample_orders', [{ 'Buyer Username': 'ana', 'Order ID': '1', 'SKU ID': '9' }])
m.edit('ana', { city: 'Austin' }, '2026-03-01T00:00:00Z')
m.suppress({ email: 'erased@mailbox.org' })
const result = m.result()
const ana: Creator | undefined = result.creators[0]
const confirmed: boolean | undefined = ana?.phoneMaskConfirmed
const samples: Sample[] = result.samples
const orderIds: string[] = samples.map((s) => s.orderId)
const brands: string[] = result.brandLinks.map((l) => l.brand)
const creatorKeys: string[] = tableColumns('creators').map((c) => c.key)

async function mergeInBackground(paths: Record<string, string>): Promise<number> {
  const seen: MergeProgress[] = []
  const { creators } = await mergeExportsAsync(paths, {
    onProgress: (p) => {
      // The size is known for files, not for in-memory CSV.
      const share: number | undefined = p.totalBytes === undefined ? undefined : p.bytesRead / p.totalBytes
      if (share !== undefined) seen.push(p)
    },
  })
  const later = new Merger({ onProgress: (p) => seen.push(p) })
  await later.addFilesAsync(paths)
  const again = await later.resultAsync()
  return creators.length + again.creators.length + seen.filter((p) => p.done).length
}

// Analytics: the merge result itself is the input.
const june = { start: '2025-06-01', end: '2025-07-01' }
const conversion: CreatorConversion[] = sampleConversion(result, { withinDays: 14 })
const convertedShare: number = conversion[0]?.rate ?? 0
const byProduct: ProductConversion[] = sampleConversionByProduct(result)
const overall: ConversionOverall = sampleConversionOverall(result)
const overallRate: number | null = overall.rate
const board: Dashboard = dashboard(result, { period: june, top: 5 })
const topGmv: string | undefined = board.topByGmv[0]?.gmv
const growth: number | null | undefined = board.trending[0]?.growth
const byOrders = topPerformers(result, june, { metric: 'orders', limit: 3 })
const itemsTrend = trending(result, { start: '2025-05-01', end: '2025-06-01' }, june, 'items_sold')
const perVideo: string | undefined = videoPerformance(result)[0]?.gmvPerVideo
const videoGmv: string | undefined = productPerformance(result)[0]?.videoGmv
async function boardLater(): Promise<number> {
  const d = await dashboardAsync(result, { period: june, previous: { start: '2025-05-01', end: '2025-06-01' } })
  return d.conversionOverall.samples
}

// Retention models.
const model: BgNbd = fitBgnbd([2, 1, 0], Float64Array.from([30.43, 1.71, 0]), [38.86, 38.86, 38.86])
const alive: number = model.pAlive(2, 30.43, 38.86)
const nextQuarter: number = model.expectedPurchases(13, 2, 30.43, 38.86)
const rStdError: number | null | undefined = model.estimates?.r.stdError
const logLikelihood: number | undefined = model.fitInfo?.logLikelihood
const known = new BgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 })
const newcomer: number = known.expectedPurchasesNew(39)
const spendModel: GammaGamma = fitGammaGamma(Uint32Array.from([2, 1]), ['22.35', 11.77])
const expectedSpend: string = new GammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }).expectedSpend(2, '22.35')
const posting: PostingSummary[] = postingSummaries(result, '2025-07-01')
const postingModel = fitBgnbd(posting.map((p) => p.frequency), posting.map((p) => p.recency), posting.map((p) => p.age))
const curve: RetentionPoint[] = retentionCurve(posting, [0, 7, 30])
const share: number | null | undefined = curve[1]?.share
const summary = rfmSummary(['2025-03-01', '2025-03-04'], '2025-03-31')
const repeatDays: number | undefined = summary?.frequency
async function fitLater(): Promise<number> {
  return (await fitBgnbdAsync([2, 1], [30.43, 1.71], [38.86, 38.86])).r
}

// Outreach.
const segments = smsSegments('Hi 👋')
const encoding: 'GSM-7' | 'UCS-2' = segments.encoding
const reply: SmsKeyword | null = smsKeyword('STOP please')
const sendAt: Date = smsSendWindow('+17135550123', new Date(), { state: 'TX' })
const body: string = renderTemplate('<p>Hi {{ name }}</p>', { name: 'Ana', brands: ['Acme'] }, { html: true })
const twilioOk: boolean = verifyTwilioSignature('token', 'https://example.com/sms', { Body: 'STOP' }, 'sig')
const mailgunOk: boolean = verifyMailgunSignature('key', '1767225600', 'token', 'hex')

// Errors carry a typed code (and a forbidden action its audit record).
function errorCode(run: () => unknown): ErrorCode | null {
  try {
    run()
    return null
  } catch (e) {
    const err = e as CrmError
    if (err.code === 'forbidden') return (err as ForbiddenError).audit.allowed ? null : 'forbidden'
    return err.code
  }
}
const phoneError = errorCode(() => parsePhone('call me'))

// Results are typed: these lines must not compile (each directive fails when its line has no error).
// @ts-expect-error a tier decision has no `probability`
badge.probability
// @ts-expect-error `rule` is a tagged union, not a free-form record
decisions[0].rule.nonsense
// @ts-expect-error an alert's kind is one of the seven kinds
const wrongKind: Alert['kind'] = 'birthday'
// @ts-expect-error insights are not `any`
const notNumber: number = insights[0].best_contact_time
// @ts-expect-error the supporter view has no personal-data field
view.real_name
// @ts-expect-error sanitized JSON is a JSON value, not `any`
clean.note.toUpperCase()
// @ts-expect-error creator rows use camelCase keys
ana?.tiktok_username
// @ts-expect-error a follower count is a number or null
const followers: number = ana.followerCount
// @ts-expect-error a source kind is one of the seven kinds
m.addCsv('tiktok', 'Handle\n@ana\n')
// @ts-expect-error a manual edit sets creator-table columns only
m.edit('ana', { shoeSize: '42' })
// @ts-expect-error error codes are the core's kinds
const noSuchCode: ErrorCode = 'oops'
// @ts-expect-error a curve is tagged by its kind
scoreSupporters([supporter], now, { chat_curve: { kind: 'linear', half_at: 5 } })
// @ts-expect-error alert settings are numbers
detectAlerts([supporter], now, null, { cooldown_seconds: '1h' })
// @ts-expect-error a sample's order id is text
const orderNumber: number = samples[0].orderId
// @ts-expect-error a metric is gmv, items_sold or orders
topPerformers(result, june, { metric: 'likes' })
// @ts-expect-error a conversion rate is a number, not a string
const rateText: string = conversion[0].rate
// @ts-expect-error the analytics take a merge result
sampleConversion([{ tiktokUsername: 'ana' }])
// @ts-expect-error an encoding is GSM-7 or UCS-2
const wrongEncoding: typeof segments.encoding = 'UTF-8'
// @ts-expect-error a keyword is one of three or null
const wrongKeyword: ReturnType<typeof smsKeyword> = 'stop'
// @ts-expect-error a template context is JSON
renderTemplate('{{ f }}', { f: () => 1 })

// Outreach over a SQLite database, through a sender of the host's own.
const sender: OutreachSender = {
  sendEmail: (m: OutboundEmail) => `mailgun-${m.outboxId}`,
  sendSms: (m: OutboundSms) => `twilio-${m.statusCallback ?? m.outboxId}`,
}
const outreachCrm = new Crm(new SqliteStore(':memory:'), { workspace: 'acme', actor: { id: 'u1', role: 'member' } })
const outreach = new OutreachService(outreachCrm, sender, { campaignId: 'welcome-1', brandName: 'Acme', smsTemplate: null })
const queued: number = outreach.plan().alreadyQueued
const sentNow: number = outreach.sendDue('2026-06-01T15:00:00Z').sent
const lastStatus: OutboxEntryRecord['status'] | undefined = outreach.history('ana')[0]?.status
const hookOutcome: 'applied' | 'duplicate' | 'unknown_message' | null = outreach.applyMailgunWebhook('key', Buffer.from('{}'))
// The built-in stores are outreach stores; so is any object with the outreach methods.
const builtinOutbox: OutreachStore = new SqliteStore(':memory:')
const ownOutbox = new OutreachService(outreachCrm, sender, { campaignId: 'w', brandName: 'A' }, builtinOutbox)
// @ts-expect-error a sender returns the provider's message id
const badSender: OutreachSender = { sendEmail: () => 1, sendSms: () => 'x' }
// @ts-expect-error consent is opt_in or opt_out
outreach.recordConsent('ana', 'sms', 'maybe')

export const used = [
  queued, sentNow, lastStatus, hookOutcome, badSender, ownOutbox,
  e164, nextBadge, describeRule, heldTier, segment, topSignal, vipIds, spikes, delivered, again, risk,
  shownName, handles, rowsRead, wrongKind, notNumber, rejectedLines, confirmed, orderIds, brands, creatorKeys,
  mergeInBackground, followers, strict, quietAlerts, orderNumber, phoneError, noSuchCode,
  convertedShare, byProduct, overallRate, topGmv, growth, byOrders, itemsTrend, perVideo, videoGmv, boardLater,
  postingModel, share, repeatDays, alive, nextQuarter, rStdError, logLikelihood, newcomer, spendModel, expectedSpend, fitLater,
  encoding, reply, sendAt, body, twilioOk, mailgunOk, rateText, wrongEncoding, wrongKeyword,
]
