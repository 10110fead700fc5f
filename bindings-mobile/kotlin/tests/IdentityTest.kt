package dev.creatorcrm.test

import dev.creatorcrm.CrmException
import dev.creatorcrm.PhoneKind
import dev.creatorcrm.normalizeEmail
import dev.creatorcrm.normalizeEmails
import dev.creatorcrm.normalizeHandle
import dev.creatorcrm.normalizeHandles
import dev.creatorcrm.parsePhone
import dev.creatorcrm.parsePhones
import dev.creatorcrm.repairText
import dev.creatorcrm.repairTexts
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** identity: handles, phones, emails and text repair through the Kotlin API. */
class IdentityTest {
    @Test
    fun parsesFullNumbers() {
        val phone = parsePhone("(+1)3159212129")
        assertEquals(PhoneKind.E164, phone.kind)
        assertEquals("+13159212129", phone.e164)
        assertEquals(1.toUShort(), phone.countryCode)
        assertNull(phone.extension)
        assertEquals("+33142764978", parsePhone("00 33 1 42 76 49 78").e164)
        assertEquals("5", parsePhone("650.253.0000 ext. 5").extension)
    }

    @Test
    fun textFormsNeverShowTheNumberOrTheEmail() {
        assertEquals("Phone(E164, <redacted>)", parsePhone("(+1)3159212129").toString())
        assertEquals("Phone(Masked, <redacted>)", parsePhone("(+1)315*****29").toString())
        val results = parsePhones(listOf("(+1)3159212129")).toString()
        assertFalse(results.contains("3159212129"), results)
        val emails = normalizeEmails(listOf("jane@mail-host.com", "bad")).toString()
        assertFalse(emails.contains("jane"), emails)
        assertTrue(emails.contains("email"), emails)
    }

    @Test
    fun usesTheDefaultRegion() {
        assertEquals("+442079460958", parsePhone("020 7946 0958", "GB").e164)
        assertEquals("+14155550123", parsePhone("415 555 0123").e164)
    }

    @Test
    fun detectsMasks() {
        val phone = parsePhone("(+1)832*****59")
        assertEquals(PhoneKind.MASKED, phone.kind)
        assertNull(phone.e164)
        assertEquals(1.toUShort(), phone.countryCode)
        assertEquals("832", phone.maskedPrefix)
        assertEquals("59", phone.maskedSuffix)
        assertEquals(10u, phone.nationalLength)
    }

    @Test
    fun rejectsUnusablePhones() {
        val err = assertFailsWith<CrmException.InvalidInput> { parsePhone("call me") }
        assertEquals("phone", err.field)
        assertEquals("contains letters", err.reason)
        assertFailsWith<CrmException.InvalidInput> { parsePhone("1", "nowhere") }
    }

    @Test
    fun parsesManyPhonesWithoutThrowingForOne() {
        val results = parsePhones(listOf("(+1)3159212129", "call me", null))
        assertEquals(3, results.size)
        assertEquals("+13159212129", results[0]!!.phone!!.e164)
        assertNull(results[0]!!.error)
        val error = results[1]!!.error!!
        assertEquals("invalid_input", error.code)
        assertEquals("phone", error.field)
        assertEquals("invalid phone: contains letters", error.message)
        assertNull(results[2])
    }

    @Test
    fun normalizesHandles() {
        assertEquals("some.creator", normalizeHandle("https://www.tiktok.com/@Some.Creator?lang=en"))
        val err = assertFailsWith<CrmException.InvalidInput> { normalizeHandle("a") }
        assertEquals("handle", err.field)
        val results = normalizeHandles(listOf("@Ab.cd", "a", null))
        assertEquals("ab.cd", results[0]!!.value)
        assertEquals("handle", results[1]!!.error!!.field)
        assertNull(results[2])
    }

    @Test
    fun normalizesEmails() {
        assertEquals("jane.doe@mail-host.com", normalizeEmail("  Jane.Doe@Mail-Host.COM "))
        assertNull(normalizeEmail("n/a"))
        val err = assertFailsWith<CrmException.InvalidInput> { normalizeEmail("not-an-email") }
        assertEquals("email", err.field)
        val results = normalizeEmails(listOf("A@B.co", "n/a", "bad", null))
        assertEquals("a@b.co", results[0]!!.value)
        assertNull(results[1]!!.value)
        assertNull(results[1]!!.error)
        assertEquals("email", results[2]!!.error!!.field)
        assertNull(results[3])
    }

    @Test
    fun repairsText() {
        assertEquals("José Martínez", repairText("JosÃ© MartÃ\u00adnez"))
        assertEquals("José Martínez", repairText("José Martínez"))
        assertEquals(listOf("José", null), repairTexts(listOf("JosÃ©", null)))
    }
}
