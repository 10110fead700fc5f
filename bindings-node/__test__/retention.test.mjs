// retention: BG/NBD and Gamma-Gamma fitted on the CDNOW sample core's own tests use, the
// predictions by hand, and input errors.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import crm from '../index.js'

const CDNOW = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'tests', 'data', 'cdnow')

/** The data rows of a CSV file of core's test data, split into cells. */
const rows = (name) =>
  readFileSync(join(CDNOW, name), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','))

// ID,frequency,recency,T
const summary = rows('cdnow_customers_summary.csv')
const frequency = summary.map((c) => Number(c[1]))
const recency = summary.map((c) => Number(c[2]))
const T = summary.map((c) => Number(c[3]))
// ID,x,t_x,T,zbar
const spend = rows('cdnow_customers_summary_with_transactions.csv')
const spendFrequency = spend.map((c) => Number(c[1]))
const monetary = spend.map((c) => c[4])

const round = (v, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits
const within = (got, want, rel) => assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${got} vs ${want}`)
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }

describe('fitBgnbd', () => {
  const m = crm.fitBgnbd(frequency, recency, T)

  it('gives the published CDNOW estimates (Fader, Hardie & Lee 2005)', () => {
    assert.equal(frequency.length, 2357)
    within(m.r, PUBLISHED.r, 0.005)
    within(m.alpha, PUBLISHED.alpha, 0.005)
    within(m.a, PUBLISHED.a, 0.005)
    within(m.b, PUBLISHED.b, 0.005)
  })

  it('reports the standard errors and the fit, as core\'s snapshot has them', () => {
    const e = m.estimates
    assert.deepEqual(
      Object.fromEntries(Object.entries(e).map(([k, v]) => [k, [round(v.value), round(v.stdError)]])),
      { r: [0.2426, 0.0126], alpha: [4.4135, 0.3782], a: [0.7929, 0.1857], b: [2.4258, 0.7053] },
    )
    assert.equal(e.r.value, m.r)
    const info = m.fitInfo
    assert.equal(round(info.logLikelihood, 2), -9582.43)
    assert.equal(info.customers, 2357)
    assert.equal(info.method, 'lbfgs')
    assert.equal(info.converged, true)
    assert.ok(info.iterations > 0)
  })

  it('a standard error is null where the Hessian is not positive definite', () => {
    // Three customers, one repeat event: the drop-out shapes are not identified.
    const e = crm.fitBgnbd([0, 0, 1], [0, 0, 1], [2, 3, 4]).estimates
    assert.equal(e.a.stdError, null)
    assert.equal(e.b.stdError, null)
    for (const p of Object.values(e)) assert.ok(p.stdError === null || p.stdError > 0)
  })

  it('takes typed arrays as well as arrays', () => {
    const typed = crm.fitBgnbd(Uint32Array.from(frequency), Float64Array.from(recency), Float64Array.from(T))
    assert.deepEqual([typed.r, typed.alpha, typed.a, typed.b], [m.r, m.alpha, m.a, m.b])
    const ints = crm.fitBgnbd(Int32Array.from(frequency), recency, Float64Array.from(T))
    assert.equal(ints.r, m.r)
  })

  it('fits off the JavaScript thread with the same result', async () => {
    const later = await crm.fitBgnbdAsync(frequency, recency, T)
    assert.ok(later instanceof crm.BgNbd)
    assert.deepEqual([later.r, later.alpha, later.a, later.b], [m.r, m.alpha, m.a, m.b])
    assert.deepEqual(later.estimates, m.estimates)
  })
})

describe('BgNbd predictions', () => {
  const m = new crm.BgNbd(PUBLISHED)

  it('a model of known parameters has no estimates', () => {
    assert.deepEqual([m.r, m.alpha, m.a, m.b], [0.243, 4.414, 0.793, 2.426])
    assert.equal(m.estimates, null)
    assert.equal(m.fitInfo, null)
  })

  it('pAlive by hand (equation 11)', () => {
    // No repeat event: alive by the model's assumption.
    assert.equal(m.pAlive(0, 0, 38.86), 1)
    // 1 / (1 + a/(b+x-1) · ((α+T)/(α+tₓ))^(r+x)) with x = 2, tₓ = 30.43, T = 38.86.
    const d = (0.793 / (2.426 + 1)) * ((4.414 + 38.86) / (4.414 + 30.43)) ** 2.243
    within(m.pAlive(2, 30.43, 38.86), 1 / (1 + d), 1e-12)
    // The last event at the end of the window: D = a/(b+x-1).
    within(m.pAlive(5, 20, 20), 1 / (1 + 0.793 / (2.426 + 4)), 1e-12)
  })

  it('expectedPurchases by hand (equations 9 and 10)', () => {
    // A customer with no history, observed for no time, is a new customer.
    for (const t of [1, 39, 78]) within(m.expectedPurchases(t, 0, 0, 0), m.expectedPurchasesNew(t), 1e-12)
    assert.ok(m.expectedPurchasesNew(0) === 0)
    // b = 1, a = 2, r = 1, α = 1, x = 0, T = 1: ₂F₁(1, 1; 2; z) = -ln(1-z)/z, so
    // E[Y(t)] = 2 · (1 - (2/(2+t)) · (-ln(1-z)/z)) with z = t/(2+t).
    const simple = new crm.BgNbd({ r: 1, alpha: 1, a: 2, b: 1 })
    const t = 3
    const z = t / (2 + t)
    within(simple.expectedPurchases(t, 0, 0, 1), 2 * (1 - (2 / (2 + t)) * (-Math.log(1 - z) / z)), 1e-12)
    // More purchases, recently, mean more expected purchases; a long silence, fewer.
    assert.ok(m.expectedPurchases(39, 10, 38, 38.86) > 5)
    assert.ok(m.expectedPurchases(39, 10, 5, 38.86) < 0.5)
  })
})

describe('fitGammaGamma', () => {
  const g = crm.fitGammaGamma(spendFrequency, monetary)

  it('gives the published CDNOW estimates and core\'s snapshot', () => {
    within(g.p, 6.25, 0.005)
    within(g.q, 3.74, 0.005)
    within(g.gamma, 15.44, 0.005)
    const e = g.estimates
    assert.deepEqual(
      Object.fromEntries(Object.entries(e).map(([k, v]) => [k, [round(v.value), round(v.stdError)]])),
      { p: [6.2488, 1.1897], q: [3.7446, 0.2902], gamma: [15.4477, 4.1599] },
    )
    assert.equal(round(g.fitInfo.logLikelihood, 2), -4055.92)
    // Customers without repeat transactions carry no spend information.
    assert.equal(g.fitInfo.customers, 946)
  })

  it('takes numbers and a Float64Array for monetary, and fits off the thread', async () => {
    const numbers = crm.fitGammaGamma(spendFrequency, monetary.map(Number))
    assert.deepEqual([numbers.p, numbers.q, numbers.gamma], [g.p, g.q, g.gamma])
    const typed = crm.fitGammaGamma(Uint32Array.from(spendFrequency), Float64Array.from(monetary.map(Number)))
    assert.equal(typed.p, g.p)
    const later = await crm.fitGammaGammaAsync(spendFrequency, monetary)
    assert.ok(later instanceof crm.GammaGamma)
    assert.deepEqual([later.p, later.q, later.gamma], [g.p, g.q, g.gamma])
  })

  it('expectedSpend by hand, in cents', () => {
    const m = new crm.GammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 })
    // p (γ + m x) / (p x + q - 1) = 6.25 · (15.44 + 2 · 22.35) / (12.5 + 2.74) = 24.6555…
    assert.equal(m.expectedSpend(2, '22.35'), '24.66')
    assert.equal(m.expectedSpend(2, 22.35), '24.66')
    // Without repeat purchases: the population mean p γ / (q - 1) = 35.2189…
    assert.equal(m.expectedSpend(0, '0'), '35.22')
    assert.equal(m.estimates, null)
  })
})

describe('retention errors', () => {
  const invalid = (field) => ({ code: 'invalid_input', name: 'InvalidInputError', ...(field && { field }) })

  it('bad columns', () => {
    assert.throws(() => crm.fitBgnbd([1, 2], [1], [2, 3]), invalid())
    assert.throws(() => crm.fitBgnbd([], [], []), invalid())
    assert.throws(() => crm.fitBgnbd([1], [3], [2]), { ...invalid('recency'), message: /customer 0/ })
    assert.throws(() => crm.fitBgnbd([0], [0], [NaN]), invalid('age'))
    assert.throws(() => crm.fitBgnbd([0, 1.5], [0, 1], [2, 2]), { ...invalid('frequency'), message: /customer 1/ })
    assert.throws(() => crm.fitBgnbd([-1], [0], [2]), invalid('frequency'))
    assert.throws(() => crm.fitGammaGamma([1, 2], ['3', '-1']), { ...invalid('monetary'), message: /customer 1/ })
    assert.throws(() => crm.fitGammaGamma([1], ['3', '4']), invalid())
    assert.throws(() => crm.fitGammaGamma([1], ['three']), invalid('monetary[0]'))
  })

  it('async fits reject with the typed error', async () => {
    await assert.rejects(crm.fitBgnbdAsync([1], [3], [2]), invalid('recency'))
    await assert.rejects(crm.fitGammaGammaAsync([0], ['1']), invalid())
    // Values that cannot be read throw before any work starts.
    assert.throws(() => crm.fitBgnbdAsync([0.5], [0], [1]), invalid('frequency'))
  })

  it('bad prediction arguments', () => {
    const m = new crm.BgNbd(PUBLISHED)
    assert.throws(() => m.pAlive(1, 5, 4), invalid('recency'))
    assert.throws(() => m.pAlive(1.5, 1, 4), invalid('frequency'))
    assert.throws(() => m.expectedPurchases(-1, 1, 1, 4), invalid('t'))
    assert.throws(() => m.expectedPurchasesNew(-1), invalid('t'))
    const heavy = new crm.GammaGamma({ p: 0.1, q: 0.5, gamma: 1 })
    assert.throws(() => heavy.expectedSpend(0, '0'), invalid('monetary'))
    assert.throws(() => new crm.GammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }).expectedSpend(1, '-5'), invalid('monetary'))
  })
})

describe('summaries and the observed curve', () => {
  it('rfmSummary counts event days, not events, up to the end of observation', () => {
    assert.deepEqual(crm.rfmSummary(['2025-03-09', '2025-03-01', '2025-03-04', '2025-03-04'], '2025-03-31'), { frequency: 2, recency: 8, age: 30 })
    assert.deepEqual(crm.rfmSummary(['2025-01-10', '2025-01-01', '2025-03-01'], '2025-02-01'), { frequency: 1, recency: 9, age: 31 })
    assert.equal(crm.rfmSummary([], '2025-01-01'), null)
    assert.equal(crm.rfmSummary(['2025-02-01'], '2025-01-01'), null)
    assert.throws(() => crm.rfmSummary(['soon'], '2025-01-01'), { code: 'invalid_input', field: 'day' })
    assert.throws(() => crm.rfmSummary([], 'later'), { code: 'invalid_input', field: 'until' })
  })

  it('postingSummaries of a merge, by handle', () => {
    const m = new crm.Merger()
    m.addRows('videos', [
      { 'Video link': 'https://www.tiktok.com/@bob/video/1', 'Creator username': 'bob', 'Video post date': '2025-03-05' },
      { 'Video link': 'https://www.tiktok.com/@ana/video/2', 'Creator username': 'ana', 'Video post date': '2025-03-01' },
      { 'Video link': 'https://www.tiktok.com/@ana/video/3', 'Creator username': 'ana', 'Video post date': '2025-03-11' },
      { 'Video link': 'https://www.tiktok.com/@ana/video/4', 'Creator username': 'ana', 'Video post date': '2025-03-11' },
      { 'Video link': 'https://www.tiktok.com/@dan/video/6', 'Creator username': 'dan', 'Video post date': '2025-04-02' },
    ])
    const result = m.result()
    assert.equal(result.videos.length, 5)
    assert.deepEqual(crm.postingSummaries(result, '2025-04-01'), [
      { tiktokUsername: 'ana', frequency: 1, recency: 10, age: 31 },
      { tiktokUsername: 'bob', frequency: 0, recency: 0, age: 27 },
    ])
    assert.throws(() => crm.postingSummaries({ ...result }, '2025-04-01'), { code: 'invalid_input', field: 'result' })
  })

  it('retentionCurve: the share still active, among those observed that long', () => {
    const s = (frequency, recency, age) => ({ frequency, recency, age })
    assert.deepEqual(crm.retentionCurve([s(2, 20, 40), s(0, 0, 40), s(1, 5, 8)], [0, 7, 30, 50]), [
      { day: 0, observed: 3, retained: 3, share: 1 },
      { day: 7, observed: 3, retained: 1, share: 1 / 3 },
      { day: 30, observed: 2, retained: 0, share: 0 },
      { day: 50, observed: 0, retained: 0, share: null },
    ])
  })
})
