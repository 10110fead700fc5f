package dev.creatorcrm.test

import dev.creatorcrm.Cell
import dev.creatorcrm.CrmException
import dev.creatorcrm.ExportFile
import dev.creatorcrm.ImportStatus
import dev.creatorcrm.MergeOutcome
import dev.creatorcrm.MergeProgress
import dev.creatorcrm.MergeSettings
import dev.creatorcrm.Merger
import dev.creatorcrm.SourceRows
import dev.creatorcrm.mergeExports
import dev.creatorcrm.mergeRows
import org.junit.Test
import java.io.File
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** merge: exports and in-memory rows into creators, related records and the report. */
class MergeTest {
    private fun row(vararg cells: Pair<String, String>) = cells.map { Cell(it.first, it.second) }

    private fun csv(kind: String, text: String, name: String? = null, brand: String? = null) =
        ExportFile(kind, text.toByteArray(), name, brand, null)

    /** The demo's six exports (examples/demo/data), as one file per kind. */
    private val demo: List<ExportFile> by lazy {
        val dir = File(System.getProperty("creatorcrm.demo") ?: "examples/demo/data")
        listOf("euka", "phone_numbers", "refunnel", "sample_orders", "videos", "products").map {
            ExportFile(it, File(dir, "$it.csv").readBytes(), "$it.csv", null, null)
        }
    }

    @Test
    fun mergesRowsAndConfirmsMaskedPhones() {
        val outcome = mergeRows(
            listOf(
                SourceRows("euka", listOf(
                    row("handle" to "@Ana.B", "Email" to "Ana@Mailbox.org", "phone" to "(+1)832*****59"),
                    row("handle" to "x"),
                )),
                SourceRows("phone_numbers", listOf(row("Username" to "ana.b", "Phone #" to "(+1)8325550159"))),
            ),
            null,
        )
        assertEquals(1, outcome.creators.size)
        val ana = outcome.creators[0]
        assertEquals("ana.b", ana.tiktokUsername)
        assertEquals("ana@mailbox.org", ana.email)
        assertEquals("+18325550159", ana.phone)
        assertNull(ana.phoneMasked)
        assertTrue(ana.phoneVerified)
        assertTrue(ana.phoneMaskConfirmed)
        assertEquals("euka", ana.emailSource)
        assertEquals("phone_numbers", ana.phoneSource)
        assertEquals(listOf("euka", "phone_numbers"), ana.sources)
        assertEquals("pending", ana.outreachStatus)
        assertEquals("0", ana.totalGmv)
        assertEquals(1UL, outcome.report.rowsRejected)
        assertEquals(1UL, outcome.report.maskedPhonesUpgraded)
        assertEquals(1UL, outcome.report.phoneMasksConfirmed)
        assertEquals(listOf("euka", "phone_numbers"), outcome.files.map { it.name })
        assertEquals(2UL, outcome.files[0].rowsRead)
        assertEquals(1, outcome.rejected.size)
        assertEquals("euka", outcome.rejected[0].file)
        assertEquals(2UL, outcome.rejected[0].line)
        assertEquals("handle", outcome.rejected[0].field)
    }

    @Test
    fun aFullNumberFromTheContactListIsVerifiedWithoutAMask() {
        val outcome = mergeRows(listOf(SourceRows("euka", listOf(row("handle" to "ana.b", "phone" to "(415) 555-2671")))), null)
        val ana = outcome.creators.single()
        assertTrue(ana.phoneVerified)
        assertFalse(ana.phoneMaskConfirmed)
    }

    @Test
    fun relatedRecordsComeWithTheirCreators() {
        val outcome = mergeExports(listOf(
            csv("sample_orders", """
                Order ID,SKU ID,Product Name,Variation,Quantity,Buyer Username,Order Status,Created Time
                570000000000000001,1729000000062,LED Lamp,Pink,2,@Ana.B,Delivered,2025-04-24 06:34:15
            """.trimIndent() + "\n", brand = "Glow"),
            csv("videos", """
                Video name,Video link,Video post date,Creator username,GMV,Affiliate items sold ,Affiliate orders,Product ID
                Unboxing,https://www.tiktok.com/@ana.b/video/7300000000000000016,2025-10-15,ana.b,$563.55,22,18,1729900000052
            """.trimIndent() + "\n"),
            csv("refunnel", """
                username,followers,gmv,last_post
                ana.b,12.3K,"$1,729.01",2025-10-25
            """.trimIndent() + "\n"),
            csv("products", """
                Product ID,Product Name,GMV,Items Sold,Orders
                1729900000052,LED Lamp,"$7,768.09",388,310
            """.trimIndent() + "\n"),
        ))
        val ana = outcome.creators.single()
        assertEquals(12300UL, ana.followerCount)
        assertEquals("1729.01", ana.totalGmv)

        val sample = outcome.samples.single()
        assertEquals("570000000000000001", sample.orderId)
        assertEquals("1729000000062", sample.skuId)
        assertEquals("ana.b", sample.tiktokUsername)
        assertEquals("LED Lamp", sample.productName)
        assertEquals(2UL, sample.quantity)
        assertEquals(Instant.parse("2025-04-24T06:34:15Z"), sample.createdAt)
        assertNull(sample.shippedAt)
        assertEquals("sample_orders", sample.sourceFile)
        assertEquals(2UL, sample.sourceLine)

        val video = outcome.videos.single()
        assertEquals("7300000000000000016", video.videoId)
        assertEquals("ana.b", video.tiktokUsername)
        assertEquals("563.55", video.gmv)
        assertEquals(22UL, video.itemsSold)
        assertEquals(listOf("7300000000000000016" to "1729900000052"), outcome.videoProducts.map { it.videoId to it.productId })

        val snapshot = outcome.snapshots.single()
        assertEquals("ana.b", snapshot.tiktokUsername)
        assertEquals("refunnel", snapshot.source)
        assertEquals(12300UL, snapshot.followers)
        assertEquals("2025-10-25", snapshot.lastPost)

        assertEquals(listOf("Glow" to "ana.b"), outcome.brandLinks.map { it.brand to it.tiktokUsername })
        val product = outcome.products.single()
        assertEquals("7768.09", product.gmv)
        assertEquals(310UL, product.orders)

        assertEquals(1UL, outcome.report.samples)
        assertEquals(1UL, outcome.report.videos)
        assertEquals(1UL, outcome.report.videoProducts)
        assertEquals(1UL, outcome.report.snapshots)
        assertEquals(1UL, outcome.report.brandLinks)
        assertEquals(1UL, outcome.report.products)
    }

    /** Field by field, so that a difference names its table rather than printing both outcomes. */
    private fun assertSameOutcome(expected: MergeOutcome, actual: MergeOutcome) {
        assertEquals(expected.creators, actual.creators, "creators")
        assertEquals(expected.samples, actual.samples, "samples")
        assertEquals(expected.videos, actual.videos, "videos")
        assertEquals(expected.videoProducts, actual.videoProducts, "videoProducts")
        assertEquals(expected.snapshots, actual.snapshots, "snapshots")
        assertEquals(expected.brandLinks, actual.brandLinks, "brandLinks")
        assertEquals(expected.products, actual.products, "products")
        assertEquals(expected.conflicts, actual.conflicts, "conflicts")
        assertEquals(expected.report, actual.report, "report")
        assertEquals(expected.files, actual.files, "files")
        assertEquals(expected.rejected, actual.rejected, "rejected")
        assertEquals(expected, actual)
    }

    @Test
    fun mergerEqualsTheOneShotMergeInAnyOrder() {
        val oneShot = mergeExports(demo, null, null)
        for (table in listOf(oneShot.creators, oneShot.samples, oneShot.videos, oneShot.videoProducts, oneShot.snapshots, oneShot.products)) {
            assertTrue(table.isNotEmpty())
        }
        // Added one by one, in reverse order, one of them as text.
        val merger = Merger(null, null)
        for (file in demo.drop(1).reversed()) merger.addCsv(file)
        merger.addCsvText("euka", String(demo[0].data), "euka.csv")
        assertSameOutcome(oneShot, merger.result())
        // On two threads at once.
        val threaded = Merger(MergeSettings(threads = 2u), null)
        threaded.addCsvs(demo)
        assertSameOutcome(oneShot, threaded.result())
        // A file added again changes no table; its rows are counted again, as duplicates.
        merger.addCsv(demo[0])
        val again = merger.result()
        assertEquals(oneShot.creators, again.creators)
        assertEquals(oneShot.samples, again.samples)
        val euka = again.files.single { it.name == "euka.csv" }
        val eukaOnce = oneShot.files.single { it.name == "euka.csv" }
        assertEquals(eukaOnce.rowsRead * 2UL, euka.rowsRead)
        assertEquals(eukaOnce.duplicatesCollapsed + eukaOnce.rowsRead, euka.duplicatesCollapsed)
    }

    @Test
    fun mergerWithSettingsEditsAndSuppressionOnTheDemoData() {
        val settings = MergeSettings(defaultRegion = "GB", priorities = listOf("refunnel", "phone_numbers"))
        val oneShot = mergeExports(demo, settings, null)
        // The settings change the result: the priorities pick other values.
        val byDefault = mergeExports(demo, null, null)
        assertEquals(byDefault.creators.map { it.tiktokUsername }, oneShot.creators.map { it.tiktokUsername })
        assertTrue(byDefault.creators != oneShot.creators)
        val merger = Merger(settings, null)
        for (file in demo.reversed()) merger.addCsv(file)
        assertSameOutcome(oneShot, merger.result())

        // A suppression before the imports and an edit after them, on the same files.
        val (gone, edited) = oneShot.creators.take(2).map { it.tiktokUsername }
        val curated = Merger(settings, null)
        curated.suppress(handle = gone)
        curated.addCsvs(demo)
        curated.edit(edited, mapOf("city" to "Leeds"), null)
        val r = curated.result()
        assertEquals(oneShot.creators.drop(2), r.creators.drop(1))
        val editedCreator = r.creators.first()
        assertEquals(edited, editedCreator.tiktokUsername)
        assertEquals("Leeds", editedCreator.city)
        assertEquals(1UL, r.report.creatorsSuppressed)
        assertEquals(oneShot.report.creators - 1UL, r.report.creators)
        assertEquals(oneShot.samples.filter { it.tiktokUsername != gone }, r.samples)
        assertEquals(oneShot.snapshots.filter { it.tiktokUsername != gone }, r.snapshots)
    }

    @Test
    fun mergerRowsEqualMergeRows() {
        val euka = SourceRows("euka", listOf(row("handle" to "@ana.b", "Email" to "ana@mailbox.org")), null)
        val phones = SourceRows("phone_numbers", listOf(row("Username" to "ana.b", "Phone #" to "4155552671")), null)
        val merger = Merger(null, null)
        merger.addRows(phones)
        assertEquals(1UL, merger.creatorCount())
        merger.addRows(euka)
        assertEquals(mergeRows(listOf(euka, phones), null), merger.result())
    }

    @Test
    fun manualEditsOutrankEveryImport() {
        val euka = csv("euka", "handle,email\nana.b,ana@mailbox.org\n")
        val merger = Merger(null, null)
        merger.edit("@Ana.B", mapOf("email" to "ana@studio.io", "city" to "Austin"), null)
        merger.addCsv(euka)
        val ana = merger.result().creators.single()
        assertEquals("ana@studio.io", ana.email)
        assertEquals("manual", ana.emailSource)
        assertEquals("Austin", ana.city)
        assertEquals(1UL, ana.alternates)
        // A later edit wins over an earlier one.
        merger.edit("ana.b", mapOf("email" to "ana@later.io"), Instant.parse("2025-01-02T00:00:00Z"))
        merger.edit("ana.b", mapOf("email" to "ana@earlier.io"), Instant.parse("2025-01-01T00:00:00Z"))
        assertEquals("ana@later.io", merger.result().creators.single().email)

        val unknown = assertFailsWith<CrmException.InvalidInput> { merger.edit("ana.b", mapOf("nickname" to "x"), null) }
        assertEquals("nickname", unknown.field)
        assertEquals("unknown field", unknown.reason)
        val bad = assertFailsWith<CrmException.InvalidInput> { merger.edit("ana.b", mapOf("email" to "not an email"), null) }
        assertEquals("email", bad.field)
    }

    @Test
    fun suppressionLeavesThePersonOutBeforeOrAfterTheImport() {
        val euka = csv("euka", "handle,email,phone\nana.b,ana@mailbox.org,4155552671\nbo.c,bo@mailbox.org,\n")
        val orders = csv("sample_orders", "Order ID,SKU ID,Buyer Username\n1,9,ana.b\n2,9,bo.c\n")
        val before = Merger(null, null)
        before.suppress(email = "ANA@mailbox.org")
        before.addCsvs(listOf(euka, orders))
        val after = Merger(null, null)
        after.addCsvs(listOf(euka, orders))
        after.suppress(phone = "(415) 555-2671")
        for (outcome in listOf(before.result(), after.result())) {
            assertEquals(listOf("bo.c"), outcome.creators.map { it.tiktokUsername })
            assertEquals(listOf("bo.c"), outcome.samples.map { it.tiktokUsername })
            assertEquals(1UL, outcome.report.creatorsSuppressed)
        }
        assertFailsWith<CrmException.InvalidInput> { after.suppress() }
        val masked = assertFailsWith<CrmException.InvalidInput> { after.suppress(phone = "(+1)832*****59") }
        assertEquals("phone", masked.field)
    }

    @Test
    fun prioritiesAndDefaultRegion() {
        val euka = csv("euka", "handle,phone\nana.b,020 7946 0018\n")
        val phones = csv("phone_numbers", "Username,Phone #\nana.b,020 7946 0019\n")
        val byDefault = mergeExports(listOf(euka, phones), MergeSettings(defaultRegion = "GB"), null)
        assertEquals("+442079460018", byDefault.creators.single().phone)
        val conflict = byDefault.conflicts.single()
        assertEquals("phone", conflict.field)
        assertEquals("different_values", conflict.kind)
        assertEquals("euka", conflict.chosen)
        assertEquals(listOf("phone_numbers"), conflict.others)
        val merger = Merger(MergeSettings(defaultRegion = "GB", priorities = listOf("phone_numbers")), null)
        merger.addCsvs(listOf(euka, phones))
        assertEquals("+442079460019", merger.result().creators.single().phone)

        assertFailsWith<CrmException.InvalidInput> { Merger(MergeSettings(priorities = listOf("nope")), null) }
        assertFailsWith<CrmException.InvalidInput> { Merger(MergeSettings(defaultRegion = "ZZZ"), null) }
    }

    @Test
    fun progressReportsEachFile() {
        val seen = mutableListOf<ImportStatus>()
        val progress = object : MergeProgress {
            override fun onProgress(status: ImportStatus) { seen.add(status) }
        }
        val text = "handle,email\nana.b,ana@mailbox.org\nbo.c,bo@mailbox.org\n"
        val merger = Merger(null, progress)
        merger.addCsv(csv("euka", text, name = "contacts.csv"))
        val last = seen.last()
        assertEquals("contacts.csv", last.file)
        assertEquals("euka", last.kind)
        assertTrue(last.done)
        assertEquals(2UL, last.rowsRead)
        assertEquals(text.length.toULong(), last.totalBytes)
        assertEquals(text.length.toULong(), last.bytesRead)
        assertEquals(1, seen.count { it.done })
        // Rows are not a file: no progress.
        merger.addRows(SourceRows("phone_numbers", listOf(row("Username" to "ana.b")), null))
        assertEquals(1, seen.size)
    }

    @Test
    fun progressComesEvery65536RowsOfALongFile() {
        val seen = mutableListOf<ImportStatus>()
        val progress = object : MergeProgress {
            override fun onProgress(status: ImportStatus) { seen.add(status) }
        }
        val text = buildString {
            append("handle\n")
            for (i in 0 until 140_000) append("creator$i\n")
        }
        mergeExports(listOf(csv("euka", text)), null, progress)
        assertEquals(listOf(65_536UL, 131_072UL, 140_000UL), seen.map { it.rowsRead })
        assertEquals(listOf(false, false, true), seen.map { it.done })
        assertEquals(seen.map { it.bytesRead }.sorted(), seen.map { it.bytesRead })
        assertEquals(text.length.toULong(), seen.last().bytesRead)
        assertTrue(seen.all { it.totalBytes == text.length.toULong() && it.file == "euka" })
    }

    @Test
    fun anExceptionInTheProgressCallbackReachesTheCaller() {
        val failing = object : MergeProgress {
            override fun onProgress(status: ImportStatus) { throw IllegalStateException("host bug") }
        }
        val merger = Merger(null, failing)
        val file = csv("euka", "handle\nana.b\n")
        val err = assertFailsWith<CrmException.Host> { merger.addCsv(file) }
        assertEquals("java.lang.IllegalStateException", err.className)
        assertEquals("host bug", err.hostMessage)
        assertNull(err.method)
        // The file was merged all the same.
        assertEquals(1UL, merger.creatorCount())

        val typed = object : MergeProgress {
            override fun onProgress(status: ImportStatus) {
                throw CrmException.Import("cancelled", null, null)
            }
        }
        val err2 = assertFailsWith<CrmException.Import> { mergeExports(listOf(file), null, typed) }
        assertEquals("cancelled", err2.reason)
    }

    @Test
    fun badInputIsTyped() {
        assertFailsWith<CrmException.InvalidInput> { mergeRows(listOf(SourceRows("nope", listOf(), null)), null) }
        assertFailsWith<CrmException.InvalidInput> { Merger(null, null).addCsvText("nope", "handle\n", null) }
        assertFailsWith<CrmException.Import> { Merger(null, null).addCsvText("euka", "", null) }
    }

    @Test
    fun textFormsNeverShowPersonalData() {
        val cell = Cell("Email", "ana@mailbox.org")
        assertEquals("Cell(Email, <redacted>)", cell.toString())
        val outcome: MergeOutcome = mergeRows(
            listOf(SourceRows("euka", listOf(row("handle" to "@ana.b", "Email" to "ana@mailbox.org",
                "phone" to "(+1)8325550159", "First Name" to "Ana", "Last Name" to "Bell")), null)),
            null,
        )
        val ana = outcome.creators[0]
        assertEquals("Bell", ana.lastName)
        assertEquals("MergedCreator(ana.b, <redacted>)", ana.toString())
        // Nested in a list or another record, the record's own text form is used.
        val all = outcome.toString()
        for (secret in listOf("mailbox", "8325550159", "Ana", "Bell")) {
            assertFalse(all.contains(secret), secret)
        }
    }
}
