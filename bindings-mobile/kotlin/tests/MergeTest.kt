package dev.creatorcrm.test

import dev.creatorcrm.Cell
import dev.creatorcrm.CrmException
import dev.creatorcrm.SourceRows
import dev.creatorcrm.mergeRows
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** merge: in-memory rows of several sources into one creator table. */
class MergeTest {
    private fun row(vararg cells: Pair<String, String>) = cells.map { Cell(it.first, it.second) }

    @Test
    fun mergesRowsAndUpgradesMaskedPhones() {
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
        assertTrue(ana.phoneVerified)
        assertEquals("pending", ana.outreachStatus)
        assertEquals(1.toULong(), outcome.report.rowsRejected)
        assertEquals(1.toULong(), outcome.report.maskedPhonesUpgraded)
    }

    @Test
    fun textFormsNeverShowPersonalData() {
        val cell = Cell("Email", "ana@mailbox.org")
        assertEquals("Cell(Email, <redacted>)", cell.toString())
        val outcome = mergeRows(
            listOf(SourceRows("euka", listOf(row("handle" to "@ana.b", "Email" to "ana@mailbox.org",
                "phone" to "(+1)8325550159", "First Name" to "Ana", "Last Name" to "Bell")))),
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

    @Test
    fun unknownKindIsTyped() {
        assertFailsWith<CrmException.InvalidInput> {
            mergeRows(listOf(SourceRows("nope", listOf())), null)
        }
    }
}
