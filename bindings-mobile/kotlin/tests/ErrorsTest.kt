package dev.creatorcrm.test

import dev.creatorcrm.CrmException
import dev.creatorcrm.normalizeEmail
import dev.creatorcrm.parsePhone
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull

/** Core errors arrive as the typed sealed class `CrmException`. */
class ErrorsTest {
    @Test
    fun invalidInputCarriesReasonFieldAndLine() {
        val err = assertFailsWith<CrmException> { parsePhone("") }
        val invalid = err as CrmException.InvalidInput
        assertEquals("empty", invalid.reason)
        assertEquals("phone", invalid.field)
        assertNull(invalid.line)
    }

    @Test
    fun messagesHoldNoPersonalData() {
        val err = assertFailsWith<CrmException> { normalizeEmail("jane.doe.private@@example.com") }
        assertFalse(err.message!!.contains("jane"))
    }
}
