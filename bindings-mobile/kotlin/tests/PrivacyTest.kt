package dev.creatorcrm.test

import dev.creatorcrm.NameSource
import dev.creatorcrm.RemovalKind
import dev.creatorcrm.Segment
import dev.creatorcrm.ViewScore
import dev.creatorcrm.CrmException
import dev.creatorcrm.PiiType
import dev.creatorcrm.SanitizeOptions
import dev.creatorcrm.SupporterActionKind
import dev.creatorcrm.auditAction
import dev.creatorcrm.authorizeAction
import dev.creatorcrm.redactText
import dev.creatorcrm.sanitizeJson
import dev.creatorcrm.sanitizeJsonReport
import dev.creatorcrm.supporterView
import org.junit.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** privacy: the JSON sanitizer, text redaction, the supporter view and forbidden actions. */
class PrivacyTest {
    private val key = "kotlin-test-key-0123456789".toByteArray()
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    @Test
    fun sanitizesJsonStrings() {
        val doc = """{"supporter":{"id":"s1","Real-Name":"Jane Doe","contact":{"phoneNumber":"+14155550134","pref":"evenings"}},"items":[{"sku":"1729384756201"},{"note":"mail jane@example.com"}]}"""
        val out = Json.parse(sanitizeJson(doc))
        assertEquals(
            mapOf(
                "supporter" to mapOf("id" to "s1", "contact" to mapOf("pref" to "evenings")),
                "items" to listOf(mapOf("sku" to "1729384756201"), mapOf("note" to "mail [email]")),
            ),
            out,
        )
    }

    @Test
    fun reportsPathsAndKinds() {
        val report = sanitizeJsonReport("""{"supporter":{"email_address":"jane@example.com"},"items":[{},{},{"note":"ip 10.1.2.3"}]}""")
        assertEquals(listOf("$.items[2].note", "$.supporter.email_address"), report.removed.map { it.path })
        assertEquals(listOf(RemovalKind.IP, RemovalKind.PERSONAL_FIELD), report.removed.map { it.kind })
        assertFalse(report.removed.toString().contains("jane"))
    }

    @Test
    fun honoursOptions() {
        val doc = """{"id":1,"nickname":"jj","stats":{"gifts":3,"email":"a@b.co"}}"""
        assertEquals("""{"id":1,"stats":{"gifts":3}}""", sanitizeJson(doc, SanitizeOptions(deny = listOf("nickName"))))
        assertEquals("""{"id":1,"stats":{"gifts":3}}""", sanitizeJson(doc, SanitizeOptions(allowOnly = listOf("id", "stats.*"))))
    }

    @Test
    fun badJsonIsInvalidInput() {
        val err = assertFailsWith<CrmException.InvalidInput> { sanitizeJson("""{"email": "jane@example.com"""") }
        assertEquals("json", err.field)
        assertFalse(err.message!!.contains("jane"))
    }

    @Test
    fun redactsTextWithUtf16Spans() {
        val text = "héllo 🎉 jane@example.com / 415.555.0134"
        val r = redactText(text)
        assertEquals("héllo 🎉 [email] / [phone]", r.text)
        assertEquals(listOf(PiiType.EMAIL, PiiType.PHONE), r.found.map { it.kind })
        assertEquals("jane@example.com", text.substring(r.found[0].start.toInt(), r.found[0].end.toInt()))
        val ordinary = "order 578123456789012345 on 2024-05-01 for $1,234.56 (12.5%), v1.2.3.4"
        assertEquals(ordinary, redactText(ordinary).text)
    }

    private fun supporter(displayName: String) = """
        {"id":"s-42","display_name":"$displayName","joined_at":"2025-01-02T03:04:05Z",
         "time_zone":"America/Chicago","fan_club":null,"online":true,
         "activity":{"spends":[{"at":"2026-02-27T10:00:00Z","tokens":120,"feature":"live_gift"}]},
         "profile":{"real_name":"Jane Doe","email":"jane@example.com","phone":"+14155550134","city":"Austin"}}
    """.trimIndent()

    @Test
    fun supporterViewHasNoPersonalData() {
        val view = supporterView(supporter("Starlight Fan"), key, ViewScore(72u, 102u, Segment.HOT_LEAD))
        assertTrue(view.id.startsWith("sp_"))
        assertEquals("Starlight Fan", view.displayName)
        assertEquals(NameSource.CHOSEN, view.nameSource)
        assertEquals(Instant.parse("2025-01-02T03:04:05Z"), view.joinedAt)
        assertEquals(120UL, view.lifetimeTokens)
        assertEquals(Instant.parse("2026-02-27T10:00:00Z"), view.lastActiveAt)
        assertEquals(ViewScore(72u, 102u, Segment.HOT_LEAD), view.score)
        assertTrue(view.online)
        assertNull(view.fanClub)
        for (secret in listOf("Jane", "jane", "4155550134", "Austin", "Chicago", "s-42")) {
            assertFalse(view.toString().contains(secret), secret)
        }
        val generated = supporterView(supporter("jane@example.com"))
        assertTrue(generated.displayName.startsWith("Supporter #"))
        assertEquals(NameSource.GENERATED, generated.nameSource)
        assertEquals("s-42", generated.id)
        val bad = assertFailsWith<CrmException.InvalidInput> { supporterView("""{"id": 3}""") }
        assertEquals("supporter", bad.field)
    }

    @Test
    fun forbiddenActionsFailWithTypedError() {
        val allowed = authorizeAction("creator-7", "s-42", SupporterActionKind.THANK_FOR_GIFT, key, now)
        assertTrue(allowed.allowed)
        assertTrue(allowed.supporter.startsWith("sp_"))
        assertEquals(now, allowed.at)
        for (action in listOf(
            SupporterActionKind.BULK_MESSAGE,
            SupporterActionKind.EXPORT_SUPPORTER_LIST,
            SupporterActionKind.OFFLINE_MEETUP,
            SupporterActionKind.REVEAL_IDENTITY,
            SupporterActionKind.EXCHANGE_CONTACT_INFO,
        )) {
            val err = assertFailsWith<CrmException.Forbidden> { authorizeAction("creator-7", "s-42", action, key, now) }
            assertEquals("action", err.field)
            val audit = auditAction("creator-7", "s-42", action, key, now)
            assertFalse(audit.allowed)
            assertEquals(err.reason, audit.reason)
        }
        val msg = assertFailsWith<CrmException.Forbidden> {
            authorizeAction("c", "s", SupporterActionKind.SEND_MESSAGE, key, now, "text me 415-555-0134")
        }
        assertTrue(msg.reason.contains("exchange_contact_info"))
        assertFalse(msg.reason.contains("555"))
    }
}
