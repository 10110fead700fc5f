// analytics: the dashboard's tables over a merge, on a merge small enough to compute by hand.
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

import crm from '../index.js'

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo', 'data')

// Samples (anchor day = delivered, else shipped, else created):
//   1001 ana Glow Serum  anchor 06-05   1002 bob Glow Serum  anchor 06-03
//   1003 ana Hydra Cream anchor 06-12   1004 cat Hydra Cream cancelled (not a sample)
//   1005 cat Lip Oil     no time at all (undated: counts, never converts)
// Videos: ana posts 06-20; bob posts 05-30 (before his sample) and 07-10 (37 days after).
const SAMPLE_ORDERS = `Order ID,SKU ID,Product Name,Variation,Quantity,Buyer Username,Order Status,Created Time,Shipped Time,Delivered Time
Platform unique order ID.,Platform unique SKU ID.,Name of the product.,Variation of the SKU.,Quantity ordered.,Buyer's TikTok username.,Status of the order.,Time the order was created.,Time the order was shipped.,Time the order was delivered.
1001,1,Glow Serum,30ml,1,@ana,Delivered,06/01/2025 09:00:00 AM,06/02/2025 09:00:00 AM,06/05/2025 09:00:00 AM
1002,1,Glow Serum,30ml,1,@bob,Shipped,06/01/2025 09:00:00 AM,06/03/2025 09:00:00 AM,
1003,2,Hydra Cream,50ml,1,@ana,Delivered,06/10/2025 09:00:00 AM,,06/12/2025 09:00:00 AM
1004,2,Hydra Cream,50ml,1,@cat,Cancelled,06/10/2025 09:00:00 AM,,
1005,3,Lip Oil,,1,@cat,Awaiting shipment,,,
`
const VIDEOS = `Video name,Video link,Video post date,Creator username,GMV,Affiliate items sold,Affiliate orders,Shoppable video impressions,Shoppable video likes,Shoppable video comments,Affiliate CTR,Est. commission,Product ID
Serum routine,https://www.tiktok.com/@ana/video/7300000000000000001,2025-06-20,ana,$100.00,5,4,1000,50,10,0.5%,$10.00,1729900000001
Old post,https://www.tiktok.com/@bob/video/7300000000000000002,2025-05-30,bob,$40.50,2,2,500,20,5,0.4%,$4.05,1729900000001
Late post,https://www.tiktok.com/@bob/video/7300000000000000003,2025-07-10,bob,$60.00,3,3,,,,,,1729900000002
`
const PRODUCTS = `Product ID,Product Name,GMV,Items Sold,Orders
1729900000001,Glow Serum,$500.00,20,18
`

function tiny() {
  const m = new crm.Merger()
  m.addCsv('sample_orders', SAMPLE_ORDERS, { name: 'orders.csv' })
  m.addCsv('videos', VIDEOS, { name: 'videos.csv' })
  m.addCsv('products', PRODUCTS, { name: 'products.csv' })
  return m
}
const result = tiny().result()
const JUNE = { start: '2025-06-01', end: '2025-07-01' }

const ANA = { tiktokUsername: 'ana', gmv: '100.00', itemsSold: 5, orders: 4, videos: 1 }
const BY_CREATOR_30 = [
  { tiktokUsername: 'ana', samples: 2, converted: 2, rate: 1 },
  { tiktokUsername: 'bob', samples: 1, converted: 0, rate: 0 },
  { tiktokUsername: 'cat', samples: 1, converted: 0, rate: 0 },
]
const BY_PRODUCT_30 = [
  { productName: 'Glow Serum', samples: 2, converted: 1, rate: 0.5, creators: 2, convertedCreators: 1 },
  { productName: 'Hydra Cream', samples: 1, converted: 1, rate: 1, creators: 1, convertedCreators: 1 },
  { productName: 'Lip Oil', samples: 1, converted: 0, rate: 0, creators: 1, convertedCreators: 0 },
]
const OVERALL_30 = {
  withinDays: 30,
  samples: 4,
  converted: 2,
  rate: 0.5,
  undated: 1,
  cancelled: 1,
  creators: 3,
  convertedCreators: 1,
  creatorRate: 1 / 3,
}

describe('sample conversion', () => {
  it('per creator, with the default 30-day window', () => {
    assert.deepEqual(crm.sampleConversion(result), BY_CREATOR_30)
    assert.deepEqual(crm.sampleConversion(result, { withinDays: 30 }), BY_CREATOR_30)
  })

  it('a shorter window: ana\'s 06-05 sample is not converted by her 06-20 video within 10 days', () => {
    assert.deepEqual(crm.sampleConversion(result, { withinDays: 10 }), [
      { tiktokUsername: 'ana', samples: 2, converted: 1, rate: 0.5 },
      { tiktokUsername: 'bob', samples: 1, converted: 0, rate: 0 },
      { tiktokUsername: 'cat', samples: 1, converted: 0, rate: 0 },
    ])
    // Bob's 07-10 video is 37 days after his sample's anchor (06-03): the window is inclusive.
    assert.equal(crm.sampleConversion(result, { withinDays: 36 })[1].converted, 0)
    assert.equal(crm.sampleConversion(result, { withinDays: 37 })[1].converted, 1)
  })

  it('per product name: most samples first, then by name', () => {
    assert.deepEqual(crm.sampleConversionByProduct(result), BY_PRODUCT_30)
  })

  it('overall, with every count beside the rates', () => {
    assert.deepEqual(crm.sampleConversionOverall(result), OVERALL_30)
    assert.deepEqual(crm.sampleConversionOverall(result, { withinDays: 0 }), {
      ...OVERALL_30,
      withinDays: 0,
      converted: 0,
      rate: 0,
      convertedCreators: 0,
      creatorRate: 0,
    })
  })
})

describe('performance tables', () => {
  it('topPerformers ranks the videos posted in the period', () => {
    assert.deepEqual(crm.topPerformers(result, JUNE), [{ rank: 1, ...ANA }])
    assert.deepEqual(
      crm.topPerformers(result, { start: '2025-05-01', end: '2025-08-01' }, { metric: 'orders', limit: 5 }),
      [
        { rank: 1, tiktokUsername: 'bob', gmv: '100.50', itemsSold: 5, orders: 5, videos: 2 },
        { rank: 2, ...ANA },
      ],
    )
    assert.equal(crm.topPerformers(result, { start: '2025-05-01', end: '2025-08-01' }, { limit: 1 }).length, 1)
  })

  it('trending carries the base every growth rate is computed on', () => {
    assert.deepEqual(crm.trending(result, { start: '2025-05-01', end: '2025-06-01' }, JUNE), [
      { tiktokUsername: 'ana', metric: 'gmv', previous: '0', current: '100.00', change: '100.00', growth: null, previousVideos: 0, currentVideos: 1 },
      { tiktokUsername: 'bob', metric: 'gmv', previous: '40.50', current: '0', change: '-40.50', growth: -1, previousVideos: 1, currentVideos: 0 },
    ])
    const items = crm.trending(result, { start: '2025-05-01', end: '2025-06-01' }, JUNE, 'items_sold')
    assert.deepEqual(items.map((t) => [t.tiktokUsername, t.metric, t.previous, t.current]), [
      ['ana', 'items_sold', '0', '5'],
      ['bob', 'items_sold', '2', '0'],
    ])
  })

  it('videoPerformance and productPerformance', () => {
    assert.deepEqual(crm.videoPerformance(result), [
      // (20 + 5) / 500 and 5 / 500; the late video has no impressions.
      { tiktokUsername: 'bob', videos: 2, gmv: '100.50', itemsSold: 5, orders: 5, impressions: 500, likes: 20, comments: 5, gmvPerVideo: '50.25', engagementRate: 0.05, orderRate: 0.01 },
      { tiktokUsername: 'ana', videos: 1, gmv: '100.00', itemsSold: 5, orders: 4, impressions: 1000, likes: 50, comments: 10, gmvPerVideo: '100.00', engagementRate: 0.06, orderRate: 0.004 },
    ])
    assert.deepEqual(crm.productPerformance(result), [
      { productId: '1729900000001', name: 'Glow Serum', gmv: '500.00', itemsSold: 20, orders: 18, videos: 2, creators: 2, videoGmv: '140.50' },
      // Linked from a video only: no product analytics.
      { productId: '1729900000002', name: null, gmv: null, itemsSold: null, orders: null, videos: 1, creators: 1, videoGmv: '60.00' },
    ])
  })
})

describe('dashboard', () => {
  const expected = {
    period: JUNE,
    // As many days right before the period.
    previous: { start: '2025-05-02', end: '2025-06-01' },
    topByGmv: [{ rank: 1, ...ANA }],
    topByItemsSold: [{ rank: 1, ...ANA }],
    topByOrders: [{ rank: 1, ...ANA }],
    trending: crm.trending(result, { start: '2025-05-02', end: '2025-06-01' }, JUNE),
    videosByCreator: crm.videoPerformance(result),
    products: crm.productPerformance(result),
    conversionByCreator: BY_CREATOR_30,
    conversionByProduct: BY_PRODUCT_30,
    conversionOverall: OVERALL_30,
  }

  it('gives every table from one call, equal to each table\'s own call', () => {
    assert.deepEqual(crm.dashboard(result, { period: JUNE }), expected)
  })

  it('takes the earlier period, the table size and the window', () => {
    const d = crm.dashboard(result, { period: JUNE, previous: { start: '2025-05-30', end: '2025-05-31' }, top: 0, withinDays: 10 })
    assert.deepEqual(d.previous, { start: '2025-05-30', end: '2025-05-31' })
    assert.deepEqual(d.topByGmv, [])
    assert.deepEqual(d.conversionByCreator, crm.sampleConversion(result, { withinDays: 10 }))
    assert.deepEqual(d.trending.map((t) => [t.tiktokUsername, t.previous]), [['ana', '0'], ['bob', '40.50']])
  })

  it('gives the same tables off the JavaScript thread', async () => {
    assert.deepEqual(await crm.dashboardAsync(result, { period: JUNE }), expected)
  })

  it('reads the results of every merge call, async ones included', async () => {
    const fromAsync = await tiny().resultAsync()
    assert.deepEqual(crm.dashboard(fromAsync, { period: JUNE }), expected)
    const files = await crm.mergeExportsAsync({ videos: join(DATA, 'videos.csv'), sample_orders: join(DATA, 'sample_orders.csv') })
    const sync = crm.mergeExports({ videos: join(DATA, 'videos.csv'), sample_orders: join(DATA, 'sample_orders.csv') })
    assert.deepEqual(crm.sampleConversionOverall(files), crm.sampleConversionOverall(sync))
    assert.ok(crm.sampleConversionOverall(sync).samples > 0)
    const rows = crm.mergeRows({ euka: [{ handle: '@ana', email: 'ana@mailbox.org' }] })
    assert.deepEqual(crm.sampleConversion(rows), [])
  })

  it('a merge without related records has empty tables', () => {
    const creatorsOnly = crm.mergeExports({ sample_orders: join(DATA, 'sample_orders.csv') }, { relatedRecords: false })
    assert.deepEqual(crm.sampleConversion(creatorsOnly), [])
    assert.equal(crm.sampleConversionOverall(creatorsOnly).samples, 0)
    assert.equal(crm.sampleConversionOverall(creatorsOnly).rate, null)
  })
})

describe('analytics errors', () => {
  it('only a merge result is a merge result', () => {
    const notAResult = { code: 'invalid_input', name: 'InvalidInputError', field: 'result' }
    assert.throws(() => crm.sampleConversion({}), notAResult)
    for (const value of [42, null, undefined, 'result']) assert.throws(() => crm.sampleConversion(value), notAResult)
    // A copy holds the rows but not the merge.
    assert.throws(() => crm.sampleConversion({ ...result }), notAResult)
    assert.throws(() => crm.dashboard(structuredClone(result), { period: JUNE }), notAResult)
    assert.throws(() => crm.videoPerformance(new crm.Merger()), notAResult)
    assert.throws(() => crm.dashboardAsync({}, { period: JUNE }), notAResult)
  })

  it('bad periods and metrics name their field', () => {
    const backwards = { start: '2025-07-01', end: '2025-06-01' }
    assert.throws(() => crm.topPerformers(result, backwards), { code: 'invalid_input', field: 'period' })
    assert.throws(() => crm.topPerformers(result, { start: 'June', end: '2025-07-01' }), { code: 'invalid_input', field: 'period' })
    assert.throws(() => crm.topPerformers(result, JUNE, { metric: 'likes' }), { code: 'invalid_input', field: 'metric' })
    assert.throws(() => crm.trending(result, JUNE, JUNE, 'likes'), { code: 'invalid_input', field: 'metric' })
    assert.throws(() => crm.dashboard(result, { period: backwards }), { code: 'invalid_input', field: 'period' })
    assert.throws(() => crm.dashboardAsync(result, { period: JUNE, previous: backwards }), { code: 'invalid_input', field: 'period' })
  })
})

describe('CSV export', () => {
  const names = (table) => crm.tableColumns(table).map((c) => c.name).join(',')

  it('gives every dashboard table as CSV under the keys of dashboard', () => {
    const csv = crm.dashboardCsv(result, { period: JUNE })
    const { period, previous, ...tables } = crm.dashboard(result, { period: JUNE })
    assert.deepEqual(Object.keys(csv), Object.keys(tables))
    assert.equal(csv.topByGmv, `${names('top_performers')}\n1,ana,100.00,5,4,1\n`)
    assert.equal(csv.conversionByProduct, [
      names('sample_conversion_by_product'),
      'Glow Serum,2,1,0.5,2,1',
      'Hydra Cream,1,1,1,1,1',
      'Lip Oil,1,0,0,1,0',
      '',
    ].join('\n'))
    assert.equal(csv.conversionOverall, `${names('sample_conversion_overall')}\n30,4,2,0.5,1,1,3,1,0.3333333333333333\n`)
    assert.equal(csv.trending.split('\n')[0], names('trending'))
    assert.equal(csv.trending.split('\n').length, tables.trending.length + 2)
  })

  it('gives the same CSV off the JavaScript thread', async () => {
    assert.deepEqual(await crm.dashboardCsvAsync(result, { period: JUNE }), crm.dashboardCsv(result, { period: JUNE }))
    assert.equal(await crm.toCsvAsync(result, 'samples'), crm.toCsv(result, 'samples'))
  })

  it('writes each merge table with its columns, the creators by default', () => {
    const creators = crm.toCsv(result).split('\n')
    assert.equal(creators[0], names('creators'))
    assert.deepEqual(creators.slice(1, -1).map((line) => line.split(',')[0]), ['ana', 'bob', 'cat'])
    for (const table of ['samples', 'videos', 'video_products', 'snapshots', 'brand_links', 'products', 'conflicts', 'files', 'rejected']) {
      assert.equal(crm.toCsv(result, table).split('\n')[0], names(table), table)
    }
    assert.equal(crm.toCsv(result, 'videos').split('\n').length, result.videos.length + 2)
  })

  it('escapes the cells a spreadsheet would run as a formula, not the numbers', () => {
    const m = new crm.Merger()
    m.addCsv('sample_orders', 'Order ID,SKU ID,Product Name,Quantity,Buyer Username,Order Status,Created Time\n2001,-1,"=HYPERLINK(""http://x"")",1,ana,Delivered,05/28/2025 09:00:00 AM\n')
    const r = m.result()
    assert.ok(crm.toCsv(r, 'samples').split('\n')[1].startsWith(`2001,'-1,ana,"'=HYPERLINK(""http://x"")",`))
    const byProduct = crm.dashboardCsv(r, { period: JUNE }).conversionByProduct
    assert.equal(byProduct.split('\n')[1], `"'=HYPERLINK(""http://x"")",1,0,0,1,0`)
  })

  it('an unknown table or a copy of a result is an InvalidInputError', async () => {
    assert.throws(() => crm.toCsv(result, 'creator'), { code: 'invalid_input', field: 'table' })
    await assert.rejects(crm.toCsvAsync(result, 'creator'), { code: 'invalid_input', field: 'table' })
    assert.throws(() => crm.toCsv({ ...result }), { field: 'result' })
    assert.throws(() => crm.dashboardCsv(result, { period: { start: '2025-07-01', end: '2025-06-01' } }), { field: 'period' })
  })
})
