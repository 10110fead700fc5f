package dev.creatorcrm.test

import dev.creatorcrm.ColumnKind
import dev.creatorcrm.ExportFile
import dev.creatorcrm.MergeOutcome
import dev.creatorcrm.MergeSettings
import dev.creatorcrm.Merger
import dev.creatorcrm.mergeExports
import dev.creatorcrm.redactText
import dev.creatorcrm.sanitizeJsonReport
import dev.creatorcrm.tableColumns
import dev.creatorcrm.tableNames
import org.junit.Test
import java.io.File
import java.time.Instant
import kotlin.reflect.full.memberProperties
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * The shared vectors `tests/vectors/merge.json` and `tests/vectors/privacy.json`, also run
 * by the core and every other binding (see `tests/vectors/README.md`).
 */
class SharedVectorsTest {
    @Suppress("UNCHECKED_CAST")
    private fun load(name: String): Map<String, Any?> {
        val path = System.getProperty("creatorcrm.vectors") ?: "tests/vectors"
        return Json.parse(File(path, name).readText()) as Map<String, Any?>
    }

    private val merge by lazy { load("merge.json") }
    private val privacy by lazy { load("privacy.json") }

    @Suppress("UNCHECKED_CAST")
    private fun Any?.obj() = this as Map<String, Any?>

    @Suppress("UNCHECKED_CAST")
    private fun Any?.objs() = this as List<Map<String, Any?>>

    private fun camel(snake: String) =
        snake.split('_').mapIndexed { i, part -> if (i == 0) part else part.replaceFirstChar { it.uppercase() } }.joinToString("")

    /** A record field as the vectors write it: counts as integers, times RFC 3339 in UTC. */
    private fun plain(value: Any?): Any? = when (value) {
        is ULong -> value.toLong()
        is Instant -> value.toString()
        is List<*> -> value.map { plain(it) }
        is Map<*, *> -> value.entries.associate { (k, v) -> k to plain(v) }
        else -> value
    }

    /** The record as a map of its columns (snake_case, as in the vectors). */
    private fun row(record: Any, columns: List<String>): Map<String, Any?> {
        val props = record::class.memberProperties.associateBy { it.name }
        return columns.associateWith { c ->
            val prop = props[camel(c)] ?: fail("${record::class.simpleName} has no ${camel(c)}")
            plain(prop.getter.call(record))
        }
    }

    /** Compares rows of one table, every cell exactly (decimals as core writes them). */
    private fun assertRows(label: String, table: String, expected: List<Map<String, Any?>>, actual: List<Any>) {
        val names = assertNotNull(tableColumns(table), table).map { it.name }
        assertEquals(expected.size, actual.size, "$label: $table rows")
        for ((i, pair) in expected.zip(actual).withIndex()) {
            val (want, record) = pair
            assertEquals(names.toSet(), want.keys, "$label: $table[$i] columns")
            val got = row(record, names)
            for (c in names) assertEquals(want[c], got[c], "$label: $table[$i].$c")
        }
    }

    /** A column type's stable name, as the vectors (core's `ColumnType::as_str`) write it. */
    private fun typeName(kind: ColumnKind): String = when (kind) {
        is ColumnKind.Text -> "text"
        is ColumnKind.Bool -> "bool"
        is ColumnKind.Uint64 -> "uint64"
        is ColumnKind.Decimal -> "decimal"
        is ColumnKind.Date -> "date"
        is ColumnKind.DateTime -> "datetime"
        is ColumnKind.TextList -> "text_list"
        is ColumnKind.Counts -> "counts"
        is ColumnKind.Float64 -> "float64"
        is ColumnKind.Other -> kind.name
    }

    @Test
    fun mergeTablesAreTheVectorsTables() {
        val ours = mapOf("report_files" to "files", "report_rejected" to "rejected")
        val tables = merge["tables"].obj()
        assertEquals<Set<String>>(((tableNames() - ours.values.toSet()) + ours.keys).toSet(), tables.keys, "tables")
        for ((name, columns) in tables) {
            val mine = assertNotNull(tableColumns(ours[name] ?: name), name)
            assertEquals(columns.objs().map { it["name"] }, mine.map { it.name }, name)
            assertEquals(columns.objs().map { it["type"] }, mine.map { typeName(it.kind) }, name)
            assertEquals(columns.objs().map { it["nullable"] }, mine.map { it.nullable }, name)
        }
    }

    @Test
    fun mergeCases() {
        val cases = merge["cases"].objs()
        assertTrue(cases.size >= 10, "only ${cases.size} cases")
        for (case in cases) {
            val label = case["name"] as String
            val files = case["sources"].objs().map {
                val kind = it["kind"] as String
                ExportFile(kind, (it["csv"] as String).toByteArray(), "$kind.csv", null, null)
            }
            @Suppress("UNCHECKED_CAST")
            val settings = MergeSettings(
                defaultRegion = (case["region"] as String?) ?: "US",
                priorities = (case["priorities"] as List<String>?) ?: emptyList(),
            )
            val expected = case["expected"].obj()
            assertEquals<Set<String>>(sections, expected.keys, "$label: sections")
            checkOutcome(label, expected, mergeExports(files, settings, null))
            // As the core runner merges them: one file after the other into a merger.
            val merger = Merger(settings, null)
            for (file in files) merger.addCsv(file)
            checkOutcome("$label (merger)", expected, merger.result())
        }
    }

    /** The sections of a case's expectation, in the core runner's order. */
    private val sections = linkedSetOf(
        "creators", "samples", "videos", "video_products", "snapshots", "brand_links", "products", "conflicts", "report",
    )

    private fun checkOutcome(label: String, expected: Map<String, Any?>, outcome: MergeOutcome) {
        assertRows(label, "creators", expected["creators"].objs(), outcome.creators)
        assertRows(label, "samples", expected["samples"].objs(), outcome.samples)
        assertRows(label, "videos", expected["videos"].objs(), outcome.videos)
        assertRows(label, "video_products", expected["video_products"].objs(), outcome.videoProducts)
        assertRows(label, "snapshots", expected["snapshots"].objs(), outcome.snapshots)
        assertRows(label, "brand_links", expected["brand_links"].objs(), outcome.brandLinks)
        assertRows(label, "products", expected["products"].objs(), outcome.products)
        assertRows(label, "conflicts", expected["conflicts"].objs(), outcome.conflicts)

        val report = expected["report"].obj()
        val counters = tableColumns("report")!!.map { it.name }
        assertEquals(report.keys - "files", counters.toSet(), "$label: report counters")
        assertEquals(report - "files", row(outcome.report, counters), "$label: report")
        val files = report["files"].objs()
        val fileColumns = tableColumns("files")!!.map { it.name }
        assertEquals(files.map { it["name"] }, outcome.files.map { it.name }, "$label: files")
        for ((want, got) in files.zip(outcome.files)) {
            assertEquals(want - "rejected", row(got, fileColumns), "$label: file ${got.name}")
            val rejected = outcome.rejected.filter { it.file == got.name }.map {
                mapOf("line" to it.line.toLong(), "field" to it.field, "reason" to it.reason)
            }
            assertEquals(want["rejected"], rejected, "$label: rejected in ${got.name}")
        }
    }

    @Test
    fun sanitizeJsonCases() {
        val cases = privacy["sanitize_json"].objs()
        assertTrue(cases.size >= 5, "sanitize_json: only ${cases.size} cases")
        for (case in cases) {
            val label = case["name"] as String
            val report = sanitizeJsonReport(Json.write(case["input"]), null)
            assertEquals(case["output"], Json.parse(report.json), label)
            val removed = report.removed.map { mapOf("kind" to it.kind.name.lowercase(), "path" to it.path) }
            assertEquals(case["removed"], removed, label)
        }
    }

    @Test
    fun redactTextCases() {
        val cases = privacy["redact_text"].objs()
        assertTrue(cases.size >= 5, "redact_text: only ${cases.size} cases")
        for (case in cases) {
            val label = case["name"] as String
            val redacted = redactText(case["input"] as String)
            assertEquals(case["output"], redacted.text, label)
            assertEquals(case["found"], redacted.found.map { it.kind.name.lowercase() }, label)
        }
    }
}
