package dev.creatorcrm.test

import dev.creatorcrm.Channel
import dev.creatorcrm.CrmException
import dev.creatorcrm.SmsEncoding
import dev.creatorcrm.SmsKeyword
import dev.creatorcrm.SmsSegments
import dev.creatorcrm.checkFreshness
import dev.creatorcrm.idempotencyKey
import dev.creatorcrm.nextUnderDailyCap
import dev.creatorcrm.renderTemplate
import dev.creatorcrm.smartEncode
import dev.creatorcrm.smsKeyword
import dev.creatorcrm.smsSegments
import dev.creatorcrm.smsSendWindow
import dev.creatorcrm.verifyMailgunSignature
import dev.creatorcrm.verifyTwilioBodySignature
import dev.creatorcrm.verifyTwilioSignature
import org.junit.Test
import java.security.MessageDigest
import java.time.Duration
import java.time.Instant
import java.util.Base64
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** outreach: SMS segments and keywords, quiet hours, templates, webhook signatures. */
class OutreachTest {
    private fun segments(text: String) = smsSegments(text).let { it.encoding to it.segments }

    @Test
    fun gsm7Segments() {
        assertEquals(SmsSegments(SmsEncoding.GSM7, 0u, 0u, 0u), smsSegments(""))
        assertEquals(SmsEncoding.GSM7 to 1u, segments("a".repeat(160)))
        assertEquals(SmsEncoding.GSM7 to 2u, segments("a".repeat(161)))
        assertEquals(SmsEncoding.GSM7 to 2u, segments("a".repeat(306)))
        assertEquals(SmsEncoding.GSM7 to 3u, segments("a".repeat(307)))
        assertEquals("GSM-7", SmsEncoding.GSM7.label())
    }

    @Test
    fun extensionCharactersCountTwoAndAreNeverSplit() {
        assertEquals(SmsSegments(SmsEncoding.GSM7, 1u, 80u, 160u), smsSegments("€".repeat(80)))
        assertEquals(SmsSegments(SmsEncoding.GSM7, 2u, 81u, 162u), smsSegments("€".repeat(81)))
        assertEquals(4u, smsSegments("[]").units)
        assertEquals(SmsSegments(SmsEncoding.GSM7, 1u, 4u, 8u), smsSegments("{}^|"))
        // 306 septets would fit in 2 segments, but the € (2 septets) at 153 starts the second
        // segment, which then overflows into a third.
        assertEquals(SmsSegments(SmsEncoding.GSM7, 3u, 305u, 306u), smsSegments("a".repeat(152) + "€" + "a".repeat(152)))
    }

    @Test
    fun ucs2SegmentsAndEmoji() {
        assertEquals(SmsEncoding.UCS2 to 1u, segments("ж".repeat(70)))
        assertEquals(SmsEncoding.UCS2 to 2u, segments("ж".repeat(71)))
        assertEquals(SmsEncoding.UCS2 to 2u, segments("ж".repeat(134)))
        assertEquals(SmsEncoding.UCS2 to 3u, segments("ж".repeat(135)))
        assertEquals("UCS-2", SmsEncoding.UCS2.label())
        // One emoji makes the whole message UCS-2; it is a surrogate pair (2 units).
        assertEquals(SmsSegments(SmsEncoding.UCS2, 1u, 4u, 5u), smsSegments("Hi 👋"))
        assertEquals(SmsEncoding.UCS2 to 2u, segments("a".repeat(69) + "👋"))
        // The pair is never split: 134 units, but the emoji at 67 opens the second segment.
        assertEquals(SmsSegments(SmsEncoding.UCS2, 3u, 133u, 134u), smsSegments("ж".repeat(66) + "👋" + "ж".repeat(66)))
        // A backtick is not in GSM-7.
        assertEquals(SmsEncoding.UCS2, smsSegments("`").encoding)
    }

    @Test
    fun keywords() {
        assertEquals(SmsKeyword.OPT_OUT, smsKeyword("STOP"))
        assertEquals(SmsKeyword.OPT_OUT, smsKeyword("STOP please"))
        assertEquals(SmsKeyword.OPT_OUT, smsKeyword("  opt   OUT "))
        assertEquals(SmsKeyword.OPT_OUT, smsKeyword("please stop texting me!"))
        assertEquals(SmsKeyword.OPT_OUT, smsKeyword("Unsubscribe"))
        assertNull(smsKeyword("I'll stop by later"))
        assertNull(smsKeyword("see you at the end of the day"))
        assertEquals(SmsKeyword.OPT_IN, smsKeyword("Unstop"))
        assertEquals(SmsKeyword.OPT_IN, smsKeyword("yes"))
        assertEquals(SmsKeyword.HELP, smsKeyword("info?"))
        assertNull(smsKeyword(""))
        assertEquals(listOf("opt_out", "opt_in", "help"), listOf(SmsKeyword.OPT_OUT, SmsKeyword.OPT_IN, SmsKeyword.HELP).map { it.code() })
    }

    @Test
    fun texasSundayMorningWaitsUntilNoon() {
        val dallas = "+12145550123"
        // Sunday 2026-06-07 10:00 CDT (UTC-5): Texas allows Sundays from 12:00 only.
        val sunday = Instant.parse("2026-06-07T15:00:00Z")
        assertEquals(Instant.parse("2026-06-07T17:00:00Z"), smsSendWindow(dallas, sunday))
        // Saturday 10:00 CDT is inside Texas' 09:00–21:00: now itself.
        val saturday = Instant.parse("2026-06-06T15:00:00Z")
        assertEquals(saturday, smsSendWindow(dallas, saturday))
        // Saturday 08:30 CDT: the federal 08:00 is not enough in Texas.
        assertEquals(Instant.parse("2026-06-06T14:00:00Z"), smsSendWindow(dallas, Instant.parse("2026-06-06T13:30:00Z")))
        // Sunday 22:00 CDT: Monday 09:00.
        assertEquals(Instant.parse("2026-06-08T14:00:00Z"), smsSendWindow(dallas, Instant.parse("2026-06-08T03:00:00Z")))
    }

    @Test
    fun sendWindowErrors() {
        val sunday = Instant.parse("2026-06-07T15:00:00Z")
        assertEquals("phone", assertFailsWith<CrmException.InvalidInput> { smsSendWindow("(214) 555-0123", sunday) }.field)
        assertEquals("state", assertFailsWith<CrmException.InvalidInput> { smsSendWindow("+12145550123", sunday, "Atlantis") }.field)
    }

    @Test
    fun templatesEscapeHtmlAndRejectUndefinedVariables() {
        val ctx = """{"name": "<script>alert(1)</script>", "n": 3}"""
        assertEquals("<b>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</b>", renderTemplate("<b>{{ name }}</b>", ctx, true))
        assertEquals("<b><script>alert(1)</script></b>", renderTemplate("<b>{{ name }}</b>", ctx))
        assertEquals("3 items", renderTemplate("{{ n }} item{% if n != 1 %}s{% endif %}", ctx))
        assertFailsWith<CrmException.Template> { renderTemplate("Hi {{ nope }}", ctx) }
        assertFailsWith<CrmException.Template> { renderTemplate("Hi {{ name ", ctx) }
        assertEquals("context", assertFailsWith<CrmException.InvalidInput> { renderTemplate("Hi", "{not json") }.field)
    }

    @Test
    fun templateErrorsHoldNoContextValues() {
        val err = assertFailsWith<CrmException.Template> { renderTemplate("{{ email | nope }}", """{"email": "jane@example.com"}""") }
        assertFalse(err.message!!.contains("jane"), err.message)
    }

    private val twilioParams = mapOf(
        "CallSid" to "CA1234567890ABCDE",
        "Caller" to "+14158675309",
        "Digits" to "1234",
        "From" to "+14158675309",
        "To" to "+18005551212",
    )
    private val twilioUrl = "https://mycompany.com/myapp.php?foo=1&bar=2"

    @Test
    fun twilioPublishedSignature() {
        assertTrue(verifyTwilioSignature("12345", twilioUrl, twilioParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        assertFalse(verifyTwilioSignature("12345", twilioUrl, twilioParams - "Digits", "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        assertFalse(verifyTwilioSignature("54321", twilioUrl, twilioParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        assertFalse(verifyTwilioSignature("12345", twilioUrl, twilioParams, ""))
        // The same HMAC-SHA1 computed here: URL, then each name and value sorted by name.
        val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec("12345".toByteArray(), "HmacSHA1")) }
        val data = twilioUrl + twilioParams.toSortedMap().entries.joinToString("") { it.key + it.value }
        assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=", Base64.getEncoder().encodeToString(mac.doFinal(data.toByteArray())))
    }

    private fun hmacSha256Hex(key: String, data: String): String {
        val mac = Mac.getInstance("HmacSHA256").apply { init(SecretKeySpec(key.toByteArray(), "HmacSHA256")) }
        return mac.doFinal(data.toByteArray()).joinToString("") { "%02x".format(it) }
    }

    @Test
    fun mailgunSignature() {
        val key = "key-7f3a5c9d1e2b4f60"
        val timestamp = "1767225600"
        val token = "b7f1c2d3e4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"
        val signature = "b1f5bbb769c91f2b7abfc18df0f8752e94aa0aa42a232f2df9bc9cce93e6aae6"
        assertEquals(signature, hmacSha256Hex(key, timestamp + token))
        assertTrue(verifyMailgunSignature(key, timestamp, token, signature))
        assertTrue(verifyMailgunSignature(key, timestamp, token, signature.uppercase()))
        assertFalse(verifyMailgunSignature(key, "1767225601", token, signature))
        assertFalse(verifyMailgunSignature("key-other", timestamp, token, signature))
        assertFalse(verifyMailgunSignature(key, timestamp, token, "not hex"))
        assertFalse(verifyMailgunSignature(key, timestamp, token, signature.dropLast(2)))
        // The second vector of core's webhook tests (computed with Python's hmac module).
        assertTrue(
            verifyMailgunSignature(
                "7d2e9c4b1a8f6e3d5c7b9a1f2e4d6c8b", "1529006854", "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
                "9c3aa45c58dddd857d8b5533ff805ccbdc4aff3449cacad072a593674fde7cbf",
            ),
        )
    }

    @Test
    fun smartEncodingKeepsMessagesInGsm7() {
        val text = "\u201cHi\u201d \u2014 it\u2019s here\u2026"
        assertEquals(SmsEncoding.UCS2, smsSegments(text).encoding)
        assertEquals("\"Hi\" - it's here...", smartEncode(text))
        assertEquals(SmsEncoding.GSM7, smsSegments(smartEncode(text)).encoding)
        // Emoji stay: the message still needs UCS-2.
        assertEquals("Hi 👋", smartEncode("Hi 👋"))
    }

    @Test
    fun twilioJsonBodySignature() {
        val body = """{"MessageSid":"SM123","MessageStatus":"delivered"}""".toByteArray()
        val hash = MessageDigest.getInstance("SHA-256").digest(body).joinToString("") { "%02x".format(it) }
        val url = "https://example.com/hooks/twilio?bodySHA256=$hash"
        val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec("12345".toByteArray(), "HmacSHA1")) }
        val signature = Base64.getEncoder().encodeToString(mac.doFinal(url.toByteArray()))
        assertTrue(verifyTwilioBodySignature("12345", url, body, signature))
        assertFalse(verifyTwilioBodySignature("12345", url, body + ' '.code.toByte(), signature))
        assertFalse(verifyTwilioBodySignature("54321", url, body, signature))
        assertFalse(verifyTwilioBodySignature("12345", "https://example.com/hooks/twilio", body, signature))
    }

    @Test
    fun webhookFreshness() {
        val now = Instant.parse("2026-01-01T00:00:00Z")
        val ts = now.epochSecond
        checkFreshness(ts - 300, now, 300u)
        checkFreshness(ts + 300, now, 300u)
        val stale = assertFailsWith<CrmException.Webhook> { checkFreshness(ts - 301, now, 300u) }
        assertEquals("stale timestamp", stale.reason)
        assertEquals("timestamp", stale.field)
        assertEquals("timestamp in the future", assertFailsWith<CrmException.Webhook> { checkFreshness(ts + 301, now, 300u) }.reason)
    }

    @Test
    fun dailyCap() {
        val now = Instant.parse("2026-06-03T12:00:00Z")
        val sent = listOf(now.minus(Duration.ofHours(1)), now.minus(Duration.ofHours(23)), now.minus(Duration.ofHours(2)))
        // Three in the last 24 hours: the oldest leaves the window in one hour.
        assertEquals(now.plus(Duration.ofHours(1)), nextUnderDailyCap(sent, now, 3u))
        assertEquals(now, nextUnderDailyCap(sent, now, 4u))
        // With a cap of one, the latest must age out: 23 hours from now.
        assertEquals(now.plus(Duration.ofHours(23)), nextUnderDailyCap(sent, now, 1u))
        assertEquals(now, nextUnderDailyCap(listOf(now.minus(Duration.ofHours(24))), now, 1u))
    }

    @Test
    fun idempotencyKeysAreTheLengthPrefixedSha256() {
        val key = idempotencyKey("acme", "ana.b", "welcome", Channel.EMAIL, "spring")
        val sha = MessageDigest.getInstance("SHA-256")
        for (part in listOf("acme", "ana.b", "welcome", "email", "spring")) {
            val bytes = part.toByteArray()
            sha.update(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(bytes.size.toLong()).array())
            sha.update(bytes)
        }
        assertEquals("ob_" + sha.digest().take(16).joinToString("") { "%02x".format(it) }, key)
        assertEquals(key, idempotencyKey("acme", "ana.b", "welcome", Channel.EMAIL, "spring"))
        assertFalse(key == idempotencyKey("acme", "ana.b", "welcome", Channel.SMS, "spring"))
        // The length prefix keeps the parts apart.
        assertFalse(idempotencyKey("ab", "c", "t", Channel.SMS, "x") == idempotencyKey("a", "bc", "t", Channel.SMS, "x"))
    }
}
