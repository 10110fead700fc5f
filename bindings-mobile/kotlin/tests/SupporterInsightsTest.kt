package dev.creatorcrm.test

import dev.creatorcrm.SegmentRule
import dev.creatorcrm.Signal
import dev.creatorcrm.Weekday
import dev.creatorcrm.CrmException
import dev.creatorcrm.PriorityPart
import dev.creatorcrm.Supporter
import dev.creatorcrm.SupporterActivity
import dev.creatorcrm.SupporterCounters
import dev.creatorcrm.explainScore
import dev.creatorcrm.supporterInsights
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/** explanations and insights through the Kotlin API. */
class SupporterInsightsTest {
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    @Test
    fun explainsAScore() {
        val c = SupporterCounters(id = "a", joinedAt = now.minus(Duration.ofDays(100)), chatMessages7d = 6u, lastActiveAt = now)
        val e = explainScore(c, now)
        assertEquals(23.toUByte(), e.score.probability)
        assertEquals(Signal.RECENT_CHAT, e.contributions[0].signal)
        assertEquals(SegmentRule.Default, e.segmentRule)
    }

    @Test
    fun explainsThePriority() {
        // Chat 75 × 30 % + live 20 × 15 % = 26, +10 online = 36; priority 36 + 20 online + 10 live.
        val c = SupporterCounters(
            id = "p", joinedAt = now.minus(Duration.ofDays(100)), online = true,
            chatMessages7d = 6u, liveSessions7d = 1u, lastActiveAt = now,
        )
        val e = explainScore(c, now)
        assertEquals(36u, e.uncappedProbability)
        assertEquals(36.toUByte(), e.score.probability)
        assertEquals(10.toUByte(), e.onlineBonus)
        assertEquals(
            listOf(PriorityPart("probability", 36u), PriorityPart("online", 20u), PriorityPart("live_7d", 10u)),
            e.priorityParts,
        )
        assertEquals(66.toUByte(), e.score.priority)
    }

    @Test
    fun neverInventsAContactTime() {
        val quiet = Supporter(id = "q", joinedAt = now.minus(Duration.ofDays(400)), timeZone = "UTC")
        // 13:00 UTC is 22:00 in Tokyo; eight Wednesdays.
        val wednesdays = (0L until 8L).map { Instant.parse("2026-02-25T13:00:00Z").minus(Duration.ofDays(7 * it)) }
        val busy = quiet.copy(id = "b", timeZone = "Asia/Tokyo", activity = SupporterActivity(chatMessages = wednesdays))
        val (q, b) = supporterInsights(listOf(quiet, busy), now)
        assertEquals(null, q.bestContactTime)
        assertEquals(22.toUByte(), b.bestContactTime!!.hour)
        assertEquals(Weekday.WED, b.bestContactTime!!.weekday)
        assertFailsWith<CrmException.InvalidInput> {
            supporterInsights(listOf(quiet.copy(timeZone = "Mars/Olympus")), now)
        }
    }
}
