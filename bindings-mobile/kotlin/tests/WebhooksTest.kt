package dev.creatorcrm.test

import dev.creatorcrm.CrmException
import dev.creatorcrm.DeliveryEvent
import dev.creatorcrm.DeliveryEventKind
import dev.creatorcrm.MailgunSignature
import dev.creatorcrm.Provider
import dev.creatorcrm.parseMailgunWebhook
import dev.creatorcrm.parseTwilioStatus
import dev.creatorcrm.verifyMailgunWebhook
import org.junit.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Provider webhooks read into delivery events that carry ids and codes only. */
class WebhooksTest {
    private val key = "key-7f3a5c9d1e2b4f60"
    private val timestamp = "1767225600"
    private val token = "b7f1c2d3e4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c"
    private val signature = "b1f5bbb769c91f2b7abfc18df0f8752e94aa0aa42a232f2df9bc9cce93e6aae6"

    private fun body(eventData: String) =
        """{"signature": {"timestamp": "$timestamp", "token": "$token", "signature": "$signature"}, "event-data": $eventData}""".toByteArray()

    @Test
    fun mailgunEvents() {
        val hook = parseMailgunWebhook(
            body(
                """{"event": "failed", "severity": "permanent", "id": "ev-1", "timestamp": 1767225599.5,
                   "recipient": "jane@example.com", "delivery-status": {"code": 550},
                   "user-variables": {"outbox_id": "ob_1"}, "message": {"headers": {"message-id": "m-1@mg"}}}""",
            ),
        )
        assertEquals(MailgunSignature(timestamp, token, signature), hook.signature)
        assertEquals(
            DeliveryEvent(Provider.MAILGUN, "ev-1", "ob_1", "m-1@mg", DeliveryEventKind.BOUNCED, Instant.parse("2025-12-31T23:59:59.500Z"), "550"),
            hook.event,
        )
        // The recipient is not kept.
        assertFalse(hook.toString().contains("jane"))
        assertEquals(DeliveryEventKind.FAILED, parseMailgunWebhook(body("""{"event": "failed", "severity": "temporary", "id": "e"}""")).event!!.kind)
        assertNull(parseMailgunWebhook(body("""{"event": "accepted", "id": "e"}""")).event)
        assertEquals("event", assertFailsWith<CrmException.Webhook> { parseMailgunWebhook(body("{}")) }.field)
        assertEquals("body", assertFailsWith<CrmException.Webhook> { parseMailgunWebhook("[1, 2".toByteArray()) }.field)
    }

    @Test
    fun mailgunWebhookVerifiedEndToEnd() {
        val b = body("""{"event": "unsubscribed", "id": "e2"}""")
        val now = Instant.ofEpochSecond(timestamp.toLong() + 60)
        val event = verifyMailgunWebhook(key, b, now, 300u).event!!
        assertEquals(DeliveryEventKind.UNSUBSCRIBED, event.kind)
        assertTrue(event.kind.stopsChannel())
        assertFalse(DeliveryEventKind.DELIVERED.stopsChannel())
        assertEquals("unsubscribed", event.kind.code())
        assertEquals("signature", assertFailsWith<CrmException.Webhook> { verifyMailgunWebhook("wrong", b, now, 300u) }.field)
        val late = assertFailsWith<CrmException.Webhook> { verifyMailgunWebhook(key, b, now.plusSeconds(600), 300u) }
        assertEquals("stale timestamp", late.reason)
    }

    @Test
    fun twilioStatusCallbacks() {
        val url = "https://crm.example.com/hooks/twilio?outbox_id=ob_9"
        assertEquals(
            DeliveryEvent(Provider.TWILIO, "SM1:undelivered", "ob_9", "SM1", DeliveryEventKind.BOUNCED, null, "30006"),
            parseTwilioStatus(url, mapOf("MessageSid" to "SM1", "MessageStatus" to "undelivered", "ErrorCode" to "30006", "To" to "+14155550100")),
        )
        assertEquals(DeliveryEventKind.FAILED, parseTwilioStatus(url, mapOf("MessageSid" to "SM1", "MessageStatus" to "failed", "ErrorCode" to "30003"))!!.kind)
        val delivered = parseTwilioStatus(url, mapOf("MessageSid" to "SM1", "MessageStatus" to "delivered", "ErrorCode" to "30003"))!!
        assertEquals(DeliveryEventKind.DELIVERED, delivered.kind)
        assertNull(delivered.code)
        assertNull(parseTwilioStatus(url, mapOf("MessageSid" to "SM1", "MessageStatus" to "sent")))
        assertEquals("MessageStatus", assertFailsWith<CrmException.Webhook> { parseTwilioStatus(url, mapOf("MessageSid" to "SM1")) }.field)
    }
}
