// The cost of one host-store call from Node (BENCHMARKS.md, "Host-store calls").
//
// `Crm.getCreator` makes exactly one store call (`creators`) and `OutreachService.consent`
// exactly one outreach store call (`consent`). Each is timed over the built-in
// `MemoryStore` (the call stays in Rust) and over a JavaScript object forwarding every
// method to that same `MemoryStore` (the call crosses into JavaScript and back: the JSON
// protocol's arguments become JS values, the wrapper calls the built-in store's method, the
// result comes back and is read into core types). The difference is the cost of one
// crossing. `MemoryStore.creators` called straight from JavaScript is shown beside it.
//
// Not part of the test suite. Run it against a release build of the addon:
//
//   cd bindings-node && CARGO_TARGET_DIR=... npx napi build --platform --release
//   node benches/host-store-cost.mjs [calls per round] [rounds]
//
// Each case runs `rounds` rounds (default 15) of `calls` calls (default 20000) after a
// warm-up round; it prints the median per-call time over the rounds and their spread
// (fastest and slowest round).
import assert from 'node:assert/strict'

import crm from '../index.js'

const { Crm, MemoryStore, OutreachService, outreachStoreMethods, storeMethods } = crm

const NOW = '2026-03-02T09:00:00Z'
const EUKA = Buffer.from('handle,email,phone,recipient\n@ana.b,ana@mailbox.org,,Ana Bell\nbo,bo@mailbox.org,,Bo Chan\n')

/** A JavaScript store forwarding every call to a built-in one: only the crossing is added. */
function forwarding(inner) {
  const store = {}
  for (const m of [...storeMethods(), ...outreachStoreMethods()]) store[m] = (...a) => inner[m](...a)
  return store
}

const noSender = {
  sendEmail: () => {
    throw Object.assign(new Error('not sending'), { code: 'messaging' })
  },
  sendSms: () => {
    throw Object.assign(new Error('not sending'), { code: 'messaging' })
  },
}

/** Per-call microseconds of `calls` calls of `body`. */
function timed(calls, body) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) body()
  return Number(process.hrtime.bigint() - start) / 1000 / calls
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

function line(label, times) {
  const lo = Math.min(...times)
  const hi = Math.max(...times)
  return `${label.padEnd(58)} median ${median(times).toFixed(2).padStart(7)} us   (rounds ${lo.toFixed(2)}-${hi.toFixed(2)})`
}

const calls = Number(process.argv[2] ?? 20000)
const rounds = Number(process.argv[3] ?? 15)
const memory = new MemoryStore()
const native = new Crm(memory)
native.importExports({ euka: EUKA }, NOW)
const hosted = new Crm(forwarding(memory))
assert.deepEqual(native.getCreator('bo'), hosted.getCreator('bo'))
const config = { campaignId: 'welcome', brandName: 'Acme' }
const serviceNative = new OutreachService(native, noSender, config)
const serviceHosted = new OutreachService(native, noSender, config, forwarding(memory))
serviceNative.recordConsent('bo', 'sms', 'opt_in', NOW)
assert.deepEqual(serviceNative.consent('bo'), serviceHosted.consent('bo'))
assert.equal(serviceNative.consent('bo').length, 1)

console.log(`node ${process.version}; ${rounds} rounds of ${calls} calls per case, after a warm-up round`)
const direct = () => memory.creators('default', ['bo'])
timed(calls, direct)
console.log(line('JS -> MemoryStore.creators (one Rust call)', Array.from({ length: rounds }, () => timed(calls, direct))))
const pairs = [
  ['creators', 'Crm.getCreator', () => native.getCreator('bo'), () => hosted.getCreator('bo')],
  ['consent', 'OutreachService.consent', () => serviceNative.consent('bo'), () => serviceHosted.consent('bo')],
]
for (const [method, label, overNative, overHost] of pairs) {
  timed(calls, overNative)
  timed(calls, overHost)
  // Rounds alternate, so each difference compares two runs next to each other.
  const n = []
  const h = []
  for (let r = 0; r < rounds; r++) {
    n.push(timed(calls, overNative))
    h.push(timed(calls, overHost))
  }
  console.log(line(`${label} over MemoryStore`, n))
  console.log(line(`${label} over a JS store (forwarding)`, h))
  console.log(line(`one host-store call, \`${method}\` (difference)`, n.map((a, i) => h[i] - a)))
}
