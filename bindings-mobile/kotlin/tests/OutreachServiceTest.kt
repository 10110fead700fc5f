package dev.creatorcrm.test

import dev.creatorcrm.Actor
import dev.creatorcrm.Channel
import dev.creatorcrm.ConsentAction
import dev.creatorcrm.ConsentSource
import dev.creatorcrm.Crm
import dev.creatorcrm.CrmException
import dev.creatorcrm.CrmStore
import dev.creatorcrm.DeliveryOutcome
import dev.creatorcrm.ExportFile
import dev.creatorcrm.MemoryStore
import dev.creatorcrm.MessageSender
import dev.creatorcrm.OutboundEmail
import dev.creatorcrm.OutboundSms
import dev.creatorcrm.OutboxStatus
import dev.creatorcrm.OutboxStore
import dev.creatorcrm.OutreachConfig
import dev.creatorcrm.OutreachService
import dev.creatorcrm.Role
import dev.creatorcrm.SendOutcome
import dev.creatorcrm.SkipReason
import dev.creatorcrm.SmsKeyword
import dev.creatorcrm.SqliteStore
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Instant
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * A sender in Kotlin: records what it is given; `refuse` and `explode` make the next
 * calls fail as a provider refusal or a lost connection would.
 */
class Recorder : MessageSender {
    val emails = mutableListOf<OutboundEmail>()
    val sms = mutableListOf<OutboundSms>()
    var refuse = 0
    var explode = 0

    private fun <T> take(list: MutableList<T>, message: T, kind: String): String {
        if (refuse > 0) {
            refuse--
            throw CrmException.Messaging("provider unavailable", null, null)
        }
        list.add(message)
        if (explode > 0) {
            explode--
            throw java.net.SocketException("connection reset")
        }
        return "$kind-${list.size}"
    }

    override fun sendEmail(message: OutboundEmail) = take(emails, message, "email")

    override fun sendSms(message: OutboundSms) = take(sms, message, "sms")
}

/** OutreachService through a Kotlin sender: send, webhooks, consent, refusals, unknown outcomes. */
class OutreachServiceTest {
    // 15:00 UTC on a Monday: 10:00 in Houston, 08:00 in San Francisco.
    private val now: Instant = Instant.parse("2026-06-01T15:00:00Z")
    private val euka = "handle,email,phone,recipient,state\n" +
        "ana.b,ana@mailbox.org,+14155550101,Ana Bell,CA\n" +
        "bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n" +
        "dee,dee@mailbox.org,,Dee Fox,\n"

    private fun config(campaign: String = "welcome-2026-06") = OutreachConfig(
        campaignId = campaign,
        brandName = "Acme Beauty",
        communityInviteUrl = "https://discord.gg/acme",
        postalAddress = "Acme Beauty, 100 Main St, Austin, TX 78701",
        unsubscribeBaseUrl = "https://crm.example.com/u/",
        consentBaseUrl = "https://crm.example.com/c",
        consentKey = "consent-key-of-at-least-16-bytes".toByteArray(),
        statusCallbackBase = "https://crm.example.com/twilio",
    )

    private fun imported(store: CrmStore, role: Role = Role.MEMBER): Crm {
        Crm(store, "acme", Actor.Staff("owner-1", Role.OWNER))
            .importExports(listOf(ExportFile("euka", euka.toByteArray(), null, null, null)), now)
        return Crm(store, "acme", Actor.Staff("staff-1", role))
    }

    private class Setup(val service: OutreachService, val sender: Recorder, val crm: Crm, val store: MemoryStore)

    private fun setup(role: Role = Role.MEMBER): Setup {
        val store = MemoryStore()
        val crm = imported(store, role)
        val sender = Recorder()
        return Setup(OutreachService(crm, sender, config(), OutboxStore.Memory(store)), sender, crm, store)
    }

    private fun outcome(sent: Int, failed: Int = 0, deferred: Int = 0, cancelled: Int = 0, taken: Int = 0) =
        SendOutcome(sent.toULong(), failed.toULong(), deferred.toULong(), cancelled.toULong(), taken.toULong())

    private fun mailgun(key: String, outboxId: String, event: String): ByteArray {
        val ts = "1780326000"
        val token = "tok-1"
        val mac = Mac.getInstance("HmacSHA256").apply { init(SecretKeySpec(key.toByteArray(), "HmacSHA256")) }
        val sig = mac.doFinal((ts + token).toByteArray()).joinToString("") { "%02x".format(it) }
        return (
            """{"signature":{"timestamp":"$ts","token":"$token","signature":"$sig"},""" +
                """"event-data":{"event":"$event","id":"ev-1","timestamp":1780326000.5,""" +
                """"user-variables":{"outbox_id":"$outboxId"}}}"""
            ).toByteArray()
    }

    @Test
    fun approveSendThroughAKotlinSenderApplyAWebhookAndReadTheHistory() {
        val (s, out, crm) = setup().let { Triple(it.service, it.sender, it.crm) }
        assertEquals(2uL, s.approve(listOf("ana.b", "bo"), now))
        s.recordConsent("bo", Channel.SMS, ConsentAction.OPT_IN, now)
        val plan = s.plan(now)
        assertEquals(3uL to 0uL, plan.queued to plan.alreadyQueued)
        assertEquals(listOf(Triple("ana.b", Channel.SMS, SkipReason.NO_CONSENT)),
            plan.plan.skipped.map { Triple(it.creator, it.channel, it.reason) })
        assertEquals(outcome(sent = 3), s.sendDue(now))
        assertEquals(listOf("ana@mailbox.org", "bo@mailbox.org"), out.emails.map { it.to }.sorted())
        val sms = out.sms.single()
        assertEquals("+17135550102", sms.to)
        assertTrue("Acme Beauty" in sms.body)
        assertEquals("https://crm.example.com/twilio?outbox_id=${sms.outboxId}", sms.statusCallback)
        val email = out.emails.first { it.to == "bo@mailbox.org" }
        assertEquals(
            mapOf(
                "List-Unsubscribe" to "<https://crm.example.com/u/${email.outboxId}>",
                "List-Unsubscribe-Post" to "List-Unsubscribe=One-Click",
            ),
            email.headers,
        )
        assertEquals(mapOf("outbox_id" to email.outboxId), email.variables)
        assertTrue("bo@" !in email.toString(), "the text form carries no address")
        assertEquals("sent", crm.getCreator("bo")?.profile?.outreachStatus)

        // The provider reports the email delivered: applied once.
        val key = "mailgun-signing-key"
        val body = mailgun(key, email.outboxId, "delivered")
        val at = Instant.ofEpochSecond(1780326060)
        assertEquals(DeliveryOutcome.APPLIED, s.applyMailgunWebhook(key, body, at))
        assertEquals(DeliveryOutcome.DUPLICATE, s.applyMailgunWebhook(key, body, at))
        assertFailsWith<CrmException.Webhook> { s.applyMailgunWebhook("another-key", body, at) }

        val history = s.history("bo")
        assertEquals(listOf(Channel.SMS, Channel.EMAIL).sorted(), history.map { it.channel }.sorted())
        val delivered = history.single { it.channel == Channel.EMAIL }
        assertEquals(OutboxStatus.DELIVERED, delivered.status)
        assertEquals("email-2", delivered.providerMessageId.takeIf { email == out.emails[1] } ?: delivered.providerMessageId)
        assertEquals(listOf("queued", "sending", "sent"), delivered.log.take(3).map { it.event })
        assertEquals(OutboxStatus.SENT, history.single { it.channel == Channel.SMS }.status)

        // Planning and sending again sends nothing twice.
        assertEquals(0uL, s.plan(now.plusSeconds(3600)).queued)
        assertEquals(outcome(sent = 0), s.sendDue(now.plusSeconds(3600)))
        assertEquals(3, out.emails.size + out.sms.size)
    }

    @Test
    fun noSmsWithoutConsent() {
        val (s, out) = setup().let { it.service to it.sender }
        s.approve(listOf("ana.b", "bo"), now)
        // Bo gave consent and took it back before the send: the queued SMS is cancelled.
        s.recordConsent("bo", Channel.SMS, ConsentAction.OPT_IN, now)
        val plan = s.plan(now)
        assertEquals(3uL, plan.queued)
        s.recordConsent("bo", Channel.SMS, ConsentAction.OPT_OUT, now.plusSeconds(1))
        assertEquals(outcome(sent = 2, cancelled = 1), s.sendDue(now.plusSeconds(2)))
        assertEquals(emptyList(), out.sms)
        assertEquals(2, out.emails.size)
        val cancelled = s.history("bo").single { it.channel == Channel.SMS }
        assertEquals(OutboxStatus.CANCELLED, cancelled.status)
        assertEquals("no_consent", cancelled.log.last().detail)
        assertEquals(listOf(ConsentAction.OPT_IN, ConsentAction.OPT_OUT), s.consent("bo").map { it.action })
        assertTrue(s.consent("bo").all { it.source == ConsentSource.STAFF })
    }

    @Test
    fun anInboundStopStopsLaterSms() {
        val st = setup()
        val (s, out) = st.service to st.sender
        s.approve(listOf("bo"), now)
        s.recordConsent("bo", Channel.SMS, ConsentAction.OPT_IN, now)
        assertEquals(2uL, s.plan(now).queued)
        // Bo is messaged at this number (the outbox knows it) and texts STOP before the send.
        assertNull(s.inboundSms("+17135550102", "I'll stop by later", "SM1", now).keyword)
        val stop = s.inboundSms("+17135550102", "please stop texting me", "SM2", now)
        assertEquals(SmsKeyword.OPT_OUT, stop.keyword)
        assertEquals(listOf("bo"), stop.creators)
        assertTrue(!stop.duplicate && stop.reply != null)
        assertTrue(s.inboundSms("+17135550102", "please stop texting me", "SM2", now).duplicate)

        // A STOP unsubscribes the creator: both campaign messages are cancelled, the one
        // confirmation goes out.
        assertEquals(outcome(sent = 1, cancelled = 2), s.sendDue(now))
        assertEquals(emptyList(), out.emails)
        val confirmation = out.sms.single()
        assertTrue("unsubscribed" in confirmation.body)
        assertEquals(stop.reply, confirmation.outboxId)
        assertEquals(listOf(ConsentAction.OPT_IN, ConsentAction.OPT_OUT), s.consent("bo").map { it.action })
        assertEquals(ConsentSource.SMS_KEYWORD, s.consent("bo").last().source)

        // Bo is unsubscribed now: a later campaign plans nothing for Bo, and sends nothing.
        assertEquals("unsubscribed", st.crm.getCreator("bo")?.profile?.outreachStatus)
        val later = OutreachService(st.crm, out, config("welcome-2026-07"), OutboxStore.Memory(st.store))
        val plan = later.plan(now.plusSeconds(86400))
        assertEquals(0uL, plan.queued)
        assertTrue(plan.plan.messages.none { it.creator == "bo" })
        assertEquals(outcome(sent = 0), later.sendDue(now.plusSeconds(86400)))
        assertEquals(1, out.sms.size)
    }

    @Test
    fun anUnexpectedSenderExceptionLeavesTheEntryUnknownAndNothingIsSentTwice() {
        val st = setup(Role.ADMIN)
        val (s, out) = st.service to st.sender
        s.approve(listOf("dee"), now)
        s.plan(now)
        out.explode = 1
        val e = assertFailsWith<CrmException.Host> { s.sendDue(now) }
        assertEquals("java.net.SocketException", e.className)
        assertEquals("connection reset", e.hostMessage)
        assertEquals("send_email", e.method)
        val entry = s.history("dee").single()
        assertEquals(OutboxStatus.UNKNOWN, entry.status)
        assertEquals("sender_error", entry.log.last().event)

        // A second run, and a restarted process, send nothing: a person decides.
        assertEquals(outcome(sent = 0), s.sendDue(now.plusSeconds(3600)))
        val restarted = OutreachService(st.crm, Recorder(), config(), OutboxStore.Memory(st.store))
        assertEquals(0uL, restarted.recover(now))
        assertEquals(outcome(sent = 0), restarted.sendDue(now.plusSeconds(7200)))
        assertEquals(1, out.emails.size)
        restarted.resolveUnknown(entry.id, true, now)
        assertEquals(OutboxStatus.SENT, s.history("dee").single().status)
        assertFailsWith<CrmException.InvalidInput> { restarted.resolveUnknown(entry.id, true, now) }
    }

    @Test
    fun aRefusalIsRetriedLater() {
        val (s, out) = setup().let { it.service to it.sender }
        s.approve(listOf("dee"), now)
        s.plan(now)
        out.refuse = 1
        assertEquals(outcome(sent = 0, failed = 1), s.sendDue(now))
        val refused = s.history("dee").single()
        assertEquals(OutboxStatus.QUEUED, refused.status)
        assertEquals(listOf("queued", "sending", "failed", "retry"), refused.log.map { it.event })
        assertEquals("provider unavailable", refused.log[2].detail)
        assertEquals(outcome(sent = 0), s.sendDue(now), "not before its retry time")
        assertEquals(outcome(sent = 1), s.sendDue(now.plusSeconds(300)))
        assertEquals(1, out.emails.size)
        assertEquals(2u, s.history("dee").single().attempts)
    }

    @Test
    fun rolesAreChecked() {
        val viewer = setup(Role.VIEWER).service
        assertFailsWith<CrmException.Forbidden> { viewer.plan(now) }
        assertFailsWith<CrmException.Forbidden> { viewer.sendDue(now) }
        assertEquals(emptyList(), viewer.history("dee"))
        assertFailsWith<CrmException.InvalidInput> { viewer.history("not a handle!") }
    }

    @Test
    fun theOutboxLivesInTheSqliteFileAcrossReopens() {
        val path = File(Files.createTempDirectory("crm-outbox").toFile(), "crm.db").path
        val owner = Actor.Staff("owner-1", Role.OWNER)
        Crm(SqliteStore(path), "acme", owner)
            .importExports(listOf(ExportFile("euka", euka.toByteArray(), null, null, null)), now)
        val out = Recorder()
        fun fresh(): OutreachService {
            val store = SqliteStore(path)
            return OutreachService(Crm(store, "acme", owner), out, config(), OutboxStore.Sqlite(store))
        }
        fresh().approve(listOf("dee"), now)
        assertEquals(1uL, fresh().plan(now).queued)
        assertEquals(1uL, fresh().sendDue(now).sent)
        assertEquals(1uL, fresh().plan(now).alreadyQueued)
        assertEquals(0uL, fresh().sendDue(now).sent)
        assertEquals(listOf(OutboxStatus.SENT), fresh().history("dee").map { it.status })
        assertEquals(1, out.emails.size)
        assertTrue(fresh().eraseCreator("dee", now) >= 1uL)
        assertEquals(emptyList(), fresh().history("dee"))
    }
}
