package dev.creatorcrm.test

import dev.creatorcrm.BrandLink
import dev.creatorcrm.ColumnKind
import dev.creatorcrm.Conflict
import dev.creatorcrm.FileReport
import dev.creatorcrm.MergeReport
import dev.creatorcrm.MergedCreator
import dev.creatorcrm.Product
import dev.creatorcrm.RejectedRow
import dev.creatorcrm.Sample
import dev.creatorcrm.Snapshot
import dev.creatorcrm.Video
import dev.creatorcrm.VideoProduct
import dev.creatorcrm.creatorColumns
import dev.creatorcrm.tableColumns
import dev.creatorcrm.tableNames
import org.junit.Test
import kotlin.reflect.KClass
import kotlin.reflect.full.primaryConstructor
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The records are core's tables: each record's fields are its table's columns, in order,
 * named in camelCase, typed by the column type (so a column added in core fails here).
 */
class TablesTest {
    private val records: Map<String, KClass<*>> = linkedMapOf(
        "creators" to MergedCreator::class,
        "samples" to Sample::class,
        "videos" to Video::class,
        "video_products" to VideoProduct::class,
        "snapshots" to Snapshot::class,
        "brand_links" to BrandLink::class,
        "products" to Product::class,
        "conflicts" to Conflict::class,
        "report" to MergeReport::class,
        "files" to FileReport::class,
        "rejected" to RejectedRow::class,
    )

    private fun camel(snake: String) =
        snake.split('_').mapIndexed { i, part -> if (i == 0) part else part.replaceFirstChar { it.uppercase() } }.joinToString("")

    /** The Kotlin type a column's cells arrive as. */
    private fun kotlinType(kind: ColumnKind): String = when (kind) {
        is ColumnKind.Text, is ColumnKind.Decimal, is ColumnKind.Date -> "kotlin.String"
        is ColumnKind.Bool -> "kotlin.Boolean"
        is ColumnKind.Uint64 -> "kotlin.ULong"
        is ColumnKind.DateTime -> "java.time.Instant"
        is ColumnKind.TextList -> "kotlin.collections.List<kotlin.String>"
        is ColumnKind.Counts -> "kotlin.collections.Map<kotlin.String, kotlin.ULong>"
        is ColumnKind.Float64 -> "kotlin.Double"
        is ColumnKind.Other -> "unknown ${kind.name}"
    }

    @Test
    fun creatorFieldsAreCoresColumnsInOrder() {
        val fields = MergedCreator::class.primaryConstructor!!.parameters.map { it.name }
        assertEquals(creatorColumns().map { camel(it.name) }, fields)
        assertEquals("tiktok_username", creatorColumns()[0].name)
    }

    @Test
    fun everyRecordMatchesItsTable() {
        assertEquals(records.keys.toList(), tableNames())
        for ((table, record) in records) {
            val columns = assertNotNull(tableColumns(table), table)
            val params = record.primaryConstructor!!.parameters
            assertEquals(columns.map { camel(it.name) }, params.map { it.name }, table)
            for ((column, param) in columns.zip(params)) {
                val expected = kotlinType(column.kind) + if (column.nullable) "?" else ""
                assertEquals(expected, param.type.toString(), "$table.${column.name}")
            }
        }
        assertNull(tableColumns("nope"))
    }

    @Test
    fun columnsDescribeThemselves() {
        val gmv = creatorColumns().single { it.name == "total_gmv" }
        assertEquals(ColumnKind.Decimal(4u), gmv.kind)
        assertEquals(false, gmv.nullable)
        val created = tableColumns("samples")!!.single { it.name == "created_at" }
        assertEquals(ColumnKind.DateTime, created.kind)
        assertEquals(true, created.nullable)
        // Every column is documented.
        for (table in tableNames()) for (c in tableColumns(table)!!) assertTrue(c.doc.isNotBlank(), "$table.${c.name}")
    }
}
