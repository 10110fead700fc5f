package dev.creatorcrm.test

import dev.creatorcrm.Campaign
import dev.creatorcrm.Channel
import dev.creatorcrm.CrmException
import dev.creatorcrm.OutreachTarget
import dev.creatorcrm.PlannedMessage
import dev.creatorcrm.SkipReason
import dev.creatorcrm.SkippedMessage
import dev.creatorcrm.SmsEncoding
import dev.creatorcrm.SmsPolicy
import dev.creatorcrm.SmsWarning
import dev.creatorcrm.idempotencyKey
import dev.creatorcrm.planOutreach
import dev.creatorcrm.prepareSms
import dev.creatorcrm.smsSendWindow
import org.junit.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull

/** Outreach planning (idempotency keys, consent, quiet hours) and SMS preparation. */
class OutreachPlanTest {
    // Sunday 2026-06-07 10:00 CDT: Texas numbers wait until noon.
    private val now = Instant.parse("2026-06-07T15:00:00Z")
    private val campaign = Campaign("acme", "welcome-2026-06", "welcome", "welcome")

    @Test
    fun plansEmailThenSmsForEachCreator() {
        val targets = listOf(
            OutreachTarget("ana", email = "Ana@Mailbox.org", phone = "+12145550123", smsConsent = true),
            OutreachTarget("bob", email = "n/a", phone = "+12145550124"),
            OutreachTarget("cat", email = "cat@mailbox.org", emailStopped = true),
        )
        val plan = planOutreach(targets, campaign, now)
        assertEquals(
            listOf(
                PlannedMessage(idempotencyKey("acme", "ana", "welcome", Channel.EMAIL, "welcome-2026-06"), "ana", Channel.EMAIL, "welcome", now),
                PlannedMessage(
                    idempotencyKey("acme", "ana", "welcome", Channel.SMS, "welcome-2026-06"), "ana", Channel.SMS, "welcome",
                    smsSendWindow("+12145550123", now),
                ),
            ),
            plan.messages,
        )
        assertEquals(Instant.parse("2026-06-07T17:00:00Z"), plan.messages[1].notBefore)
        assertEquals(
            listOf(
                // A placeholder email is no address.
                SkippedMessage("bob", Channel.EMAIL, SkipReason.NO_ADDRESS),
                SkippedMessage("bob", Channel.SMS, SkipReason.NO_CONSENT),
                SkippedMessage("cat", Channel.EMAIL, SkipReason.STOPPED),
                SkippedMessage("cat", Channel.SMS, SkipReason.NO_ADDRESS),
            ),
            plan.skipped,
        )
        // Planning again gives the same keys: the outbox never sends twice.
        assertEquals(plan, planOutreach(targets, campaign, now))
        // Without an SMS template, no SMS is planned or skipped.
        val emailOnly = planOutreach(targets, campaign.copy(smsTemplate = null), now)
        assertEquals(listOf(Channel.EMAIL), emailOnly.messages.map { it.channel })
        assertEquals(listOf(SkipReason.NO_ADDRESS, SkipReason.STOPPED), emailOnly.skipped.map { it.reason })
    }

    @Test
    fun badAddressesAreTypedErrorsWithoutTheAddress() {
        val bad = listOf(OutreachTarget("ana", email = "ana@example.org"), OutreachTarget("bob", phone = "214-555-0124"))
        val err = assertFailsWith<CrmException.InvalidInput> { planOutreach(bad, campaign, now) }
        assertEquals("phone", err.field)
        assertEquals(2UL, err.line)
        assertFalse(err.message!!.contains("555"))
        assertFalse(OutreachTarget("ana", email = "ana@example.org").toString().contains("example"))
    }

    @Test
    fun preparesSmsBodies() {
        val p = prepareSms("\u201cHi\u201d \u2014 you\u2019re in!")
        assertEquals("\"Hi\" - you're in!", p.body)
        assertEquals(SmsEncoding.GSM7, p.segments.encoding)
        assertNull(p.warning)
        val raw = prepareSms("\u201cHi\u201d", SmsPolicy(smartEncoding = false, warnAboveSegments = 2u))
        assertEquals(SmsEncoding.UCS2, raw.segments.encoding)
        val long = prepareSms("a".repeat(307))
        assertEquals(SmsWarning.TooManySegments(3u, 2u), long.warning)
        assertNull(prepareSms("a".repeat(307), SmsPolicy(warnAboveSegments = 3u)).warning)
    }
}
