package dev.creatorcrm.test

import dev.creatorcrm.ColumnKind
import dev.creatorcrm.ConversionOverall
import dev.creatorcrm.CreatorConversion
import dev.creatorcrm.CreatorTrend
import dev.creatorcrm.CreatorVideoPerformance
import dev.creatorcrm.CrmException
import dev.creatorcrm.DashboardOptions
import dev.creatorcrm.MergeResult
import dev.creatorcrm.Merger
import dev.creatorcrm.Metric
import dev.creatorcrm.Performer
import dev.creatorcrm.Period
import dev.creatorcrm.ProductConversion
import dev.creatorcrm.ProductPerformance
import dev.creatorcrm.RfmSummary
import dev.creatorcrm.analyticsTableNames
import dev.creatorcrm.dashboard
import dev.creatorcrm.dashboardCsv
import dev.creatorcrm.postingSummaries
import dev.creatorcrm.productPerformance
import dev.creatorcrm.sampleConversion
import dev.creatorcrm.sampleConversionByProduct
import dev.creatorcrm.sampleConversionOverall
import dev.creatorcrm.tableColumns
import dev.creatorcrm.topPerformers
import dev.creatorcrm.trending
import dev.creatorcrm.videoPerformance
import org.junit.Test
import kotlin.reflect.KClass
import kotlin.reflect.full.primaryConstructor
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The dashboard's tables over a tiny merge whose conversions are computed by hand:
 *
 * - ana: sample 1001 (Lamp) delivered 03-05, video 03-20 → converted (15 days);
 *   sample 1002 (Serum) delivered 01-10, next video 03-20 → not converted (69 days);
 * - bob: sample 1003 (Lamp) shipped 03-03, never delivered, video 04-10 → 38 days: not
 *   converted within 30, converted within 40;
 * - cat: order 1004 cancelled (no sample), order 1005 (Serum) without any time (undated).
 */
class AnalyticsTest {
    private val samples = """
        Order ID,SKU ID,Product Name,Buyer Username,Order Status,Created Time,Shipped Time,Delivered Time
        1001,1,Lamp,ana,Delivered,03/01/2025 10:00:00 AM,03/02/2025 10:00:00 AM,03/05/2025 10:00:00 AM
        1002,1,Serum,ana,Delivered,01/02/2025 10:00:00 AM,01/03/2025 10:00:00 AM,01/10/2025 10:00:00 AM
        1003,1,Lamp,bob,Shipped,03/01/2025 10:00:00 AM,03/03/2025 10:00:00 AM,
        1004,1,Lamp,cat,Cancelled,03/01/2025 10:00:00 AM,,
        1005,1,Serum,cat,Awaiting shipment,,,
    """.trimIndent()

    private val videos = """
        Video name,Video link,Video post date,Creator username,GMV,Affiliate items sold ,Affiliate orders,Shoppable video impressions,Shoppable video likes,Shoppable video comments,Product ID
        Lamp demo,https://www.tiktok.com/@ana/video/7300000000000000001,2025-03-20,ana,$100.50,10,8,1000,50,10,500
        Lamp test,https://www.tiktok.com/@bob/video/7300000000000000002,2025-04-10,bob,$20.00,2,1,,4,1,500
    """.trimIndent()

    private fun merged(): MergeResult {
        val merger = Merger(null, null)
        merger.addCsvText("sample_orders", samples, null)
        merger.addCsvText("videos", videos, null)
        return merger.finish()
    }

    private val march = Period("2025-03-01", "2025-04-01")

    @Test
    fun sampleConversionPerCreatorByHand() {
        val result = merged()
        assertEquals(5UL, result.report().samples)
        assertEquals(
            listOf(
                CreatorConversion("ana", 2UL, 1UL, 0.5),
                CreatorConversion("bob", 1UL, 0UL, 0.0),
                CreatorConversion("cat", 1UL, 0UL, 0.0),
            ),
            sampleConversion(result),
        )
        // bob's video 38 days after shipping converts within 40 days.
        assertEquals(listOf(1UL, 1UL, 0UL), sampleConversion(result, 40u).map { it.converted })
    }

    @Test
    fun sampleConversionByProductAndOverallByHand() {
        val result = merged()
        assertEquals(
            listOf(
                ProductConversion("Lamp", 2UL, 1UL, 0.5, 2UL, 1UL),
                ProductConversion("Serum", 2UL, 0UL, 0.0, 2UL, 0UL),
            ),
            sampleConversionByProduct(result),
        )
        assertEquals(
            ConversionOverall(
                withinDays = 30UL, samples = 4UL, converted = 1UL, rate = 0.25, undated = 1UL,
                cancelled = 1UL, creators = 3UL, convertedCreators = 1UL, creatorRate = 1.0 / 3.0,
            ),
            sampleConversionOverall(result),
        )
        val wide = sampleConversionOverall(result, 40u)
        assertEquals(40UL, wide.withinDays)
        assertEquals(2UL, wide.converted)
        assertEquals(0.5, wide.rate)
    }

    @Test
    fun performanceTables() {
        val result = merged()
        assertEquals(
            listOf(Performer(1UL, "ana", "100.50", 10UL, 8UL, 1UL)),
            topPerformers(result, march, Metric.GMV),
        )
        assertEquals(listOf("bob"), topPerformers(result, Period("2025-04-01", "2025-05-01"), Metric.ORDERS, 5u).map { it.tiktokUsername })
        assertEquals(
            listOf(CreatorTrend("ana", "gmv", "0", "100.50", "100.50", null, 0UL, 1UL)),
            trending(result, Period("2025-02-01", "2025-03-01"), march, Metric.GMV),
        )
        assertEquals(
            listOf(
                CreatorVideoPerformance("ana", 1UL, "100.50", 10UL, 8UL, 1000UL, 50UL, 10UL, "100.50", 0.06, 0.008),
                CreatorVideoPerformance("bob", 1UL, "20.00", 2UL, 1UL, 0UL, 4UL, 1UL, "20.00", null, null),
            ),
            videoPerformance(result),
        )
        assertEquals(
            listOf(ProductPerformance("500", null, null, null, null, 2UL, 2UL, "120.50")),
            productPerformance(result),
        )
        assertEquals(
            "period",
            assertFailsWith<CrmException.InvalidInput> { topPerformers(result, Period("2025-04-01", "2025-03-01"), Metric.GMV) }.field,
        )
        assertEquals(
            "period",
            assertFailsWith<CrmException.InvalidInput> { topPerformers(result, Period("March", "2025-03-01"), Metric.GMV) }.field,
        )
    }

    @Test
    fun dashboardIsEveryTableInOneCall() {
        val result = merged()
        val d = dashboard(result, DashboardOptions(march))
        // The period before March, as many days.
        assertEquals(Period("2025-01-29", "2025-03-01"), d.previous)
        assertEquals(march, d.period)
        assertEquals(topPerformers(result, march, Metric.GMV), d.topByGmv)
        assertEquals(topPerformers(result, march, Metric.ITEMS_SOLD), d.topByItemsSold)
        assertEquals(topPerformers(result, march, Metric.ORDERS), d.topByOrders)
        assertEquals(trending(result, d.previous, march, Metric.GMV), d.trending)
        assertEquals(videoPerformance(result), d.videosByCreator)
        assertEquals(productPerformance(result), d.products)
        assertEquals(sampleConversion(result), d.conversionByCreator)
        assertEquals(sampleConversionByProduct(result), d.conversionByProduct)
        assertEquals(sampleConversionOverall(result), d.conversionOverall)
        val wide = dashboard(result, DashboardOptions(march, Period("2025-02-01", "2025-03-01"), 1u, 40u))
        assertEquals(Period("2025-02-01", "2025-03-01"), wide.previous)
        assertEquals(2UL, wide.conversionOverall.converted)
    }

    private fun header(table: String) = tableColumns(table)!!.joinToString(",") { it.name }

    @Test
    fun dashboardTablesAsCsvByHand() {
        val csv = dashboardCsv(merged(), DashboardOptions(march))
        assertEquals(
            listOf(header("sample_conversion_by_product"), "Lamp,2,1,0.5,2,1", "Serum,2,0,0,2,0", ""),
            csv.conversionByProduct.split("\n"),
        )
        assertEquals(
            "${header("sample_conversion_overall")}\n30,4,1,0.25,1,1,3,1,0.3333333333333333\n",
            csv.conversionOverall,
        )
        assertEquals(header("top_performers"), csv.topByGmv.lines().first())
        assertEquals(header("trending"), csv.trending.lines().first())
    }

    @Test
    fun mergeTablesAsCsvTheCreatorsByDefault() {
        val result = merged()
        val creators = result.toCsv().split("\n")
        assertEquals(header("creators"), creators.first())
        assertEquals(listOf("ana", "bob", "cat"), creators.drop(1).dropLast(1).map { it.substringBefore(',') })
        val tables = listOf(
            "samples", "videos", "video_products", "snapshots", "brand_links", "products", "conflicts",
            "files", "rejected",
        )
        for (table in tables) assertEquals(header(table), result.toCsv(table).lines().first(), table)
        val e = assertFailsWith<CrmException.InvalidInput> { result.toCsv("creator") }
        assertEquals("table", e.field)
    }

    @Test
    fun csvCellsASpreadsheetWouldRunAreEscaped() {
        val merger = Merger(null, null)
        merger.addCsvText(
            "sample_orders",
            "Order ID,SKU ID,Product Name,Buyer Username,Order Status,Created Time\n" +
                "2001,-1,\"=HYPERLINK(\"\"http://x\"\")\",ana,Delivered,03/01/2025 10:00:00 AM\n",
            null,
        )
        val row = merger.finish().toCsv("samples").lines()[1]
        assertTrue(row.startsWith("2001,'-1,ana,\"'=HYPERLINK(\"\"http://x\"\")\","), row)
    }

    @Test
    fun aResultIsASnapshotOfTheMerger() {
        val merger = Merger(null, null)
        merger.addCsvText("sample_orders", samples, null)
        val before = merger.finish()
        merger.addCsvText("videos", videos, null)
        assertEquals(0UL, sampleConversionOverall(before).converted)
        assertEquals(1UL, sampleConversionOverall(merger.finish()).converted)
        assertEquals(merger.result(), merger.finish().outcome())
    }

    @Test
    fun postingSummariesOfCreators() {
        val rows = postingSummaries(merged(), "2025-04-30")
        assertEquals(listOf("ana", "bob"), rows.map { it.tiktokUsername })
        assertEquals(RfmSummary(0u, 0.0, 41.0), rows[0].summary)
        assertEquals(RfmSummary(0u, 0.0, 20.0), rows[1].summary)
    }

    private fun camel(snake: String) =
        snake.split('_').mapIndexed { i, part -> if (i == 0) part else part.replaceFirstChar { it.uppercase() } }.joinToString("")

    @Test
    fun recordsAreCoresAnalyticsTables() {
        val records: Map<String, KClass<*>> = linkedMapOf(
            "top_performers" to Performer::class,
            "trending" to CreatorTrend::class,
            "video_performance" to CreatorVideoPerformance::class,
            "product_performance" to ProductPerformance::class,
            "sample_conversion" to CreatorConversion::class,
            "sample_conversion_by_product" to ProductConversion::class,
            "sample_conversion_overall" to ConversionOverall::class,
        )
        assertEquals(records.keys.toList(), analyticsTableNames())
        for ((table, record) in records) {
            val columns = assertNotNull(tableColumns(table), table)
            assertEquals(columns.map { camel(it.name) }, record.primaryConstructor!!.parameters.map { it.name }, table)
        }
        val rate = tableColumns("sample_conversion_overall")!!.single { it.name == "rate" }
        assertEquals(ColumnKind.Float64, rate.kind)
        assertEquals(true, rate.nullable)
        assertEquals("kotlin.Double?", ConversionOverall::class.primaryConstructor!!.parameters.single { it.name == "rate" }.type.toString())
    }
}
