package dev.creatorcrm.test

import dev.creatorcrm.AlertKind
import dev.creatorcrm.AlertDetail
import dev.creatorcrm.AlertPriority
import dev.creatorcrm.CrmException
import dev.creatorcrm.EventRsvp
import dev.creatorcrm.FanClub
import dev.creatorcrm.HeuristicReason
import dev.creatorcrm.LiveSession
import dev.creatorcrm.RetentionRisk
import dev.creatorcrm.RiskBasis
import dev.creatorcrm.RiskLevel
import dev.creatorcrm.Segment
import dev.creatorcrm.SpendEvent
import dev.creatorcrm.SpendFeature
import dev.creatorcrm.Supporter
import dev.creatorcrm.SupporterActivity
import dev.creatorcrm.Trend
import dev.creatorcrm.TrendDirection
import dev.creatorcrm.UpgradeHint
import dev.creatorcrm.defaultInsightConfig
import dev.creatorcrm.detectAlerts
import dev.creatorcrm.detectSupporterAlerts
import dev.creatorcrm.scoreSupporters
import dev.creatorcrm.supporterCounters
import dev.creatorcrm.supporterInsights
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** the events form of a supporter: counters, segments, insights and RSVP alerts. */
class SupporterEventsTest {
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    private fun ago(days: Long): Instant = now.minus(Duration.ofDays(days))

    private fun supporter(id: String, activity: SupporterActivity, timeZone: String = "UTC") =
        Supporter(id = id, joinedAt = ago(400), timeZone = timeZone, activity = activity)

    private fun segmentOf(s: Supporter): Segment = scoreSupporters(supporterCounters(listOf(s), now), now)[0].segment

    @Test
    fun eventsBecomeCounters() {
        val s = Supporter(
            id = "e",
            joinedAt = ago(400),
            timeZone = "Europe/Paris",
            online = true,
            fanClub = FanClub(tier = 2u, since = ago(100)),
            activity = SupporterActivity(
                spends = listOf(
                    SpendEvent(ago(1), 50uL, SpendFeature.LIVE_GIFT),
                    SpendEvent(ago(10), 100uL, SpendFeature.CHAT),
                    SpendEvent(ago(40), 1000uL, SpendFeature.PPV),
                    SpendEvent(now.plus(Duration.ofDays(1)), 5000uL, SpendFeature.PPV), // after now: ignored
                ),
                // Exactly 7 days ago is outside the 7-day window.
                chatMessages = listOf(now.minus(Duration.ofHours(2)), ago(3), ago(7)),
                profileViews = listOf(ago(2), ago(20)),
                liveSessions = listOf(LiveSession(ago(2), 600u, 2u, 30uL), LiveSession(ago(9), 300u)),
                matches = listOf(ago(9)),
                likes = listOf(ago(1), ago(8)),
            ),
        )
        val c = supporterCounters(listOf(s), now).single()
        assertEquals("e", c.id)
        assertEquals(true, c.online)
        assertEquals(2.toUByte(), c.fanClub!!.tier)
        assertEquals(1150uL, c.tokensLifetime)
        assertEquals(150uL, c.tokens30d)
        assertEquals(50uL, c.tokens7d)
        assertEquals(1u, c.gifts7d)
        assertEquals(2u, c.chatMessages7d)
        assertEquals(1u, c.profileViews7d)
        assertEquals(1u, c.liveSessions7d)
        assertEquals(600uL, c.liveWatchSeconds7d)
        assertEquals(30uL, c.liveGiftTokens7d)
        assertEquals(1u, c.likes7d)
        assertEquals(ago(9), c.lastMatchAt)
        assertEquals(ago(40), c.firstPurchaseAt)
        assertEquals(ago(1), c.lastPurchaseAt)
        assertEquals(now.minus(Duration.ofHours(2)), c.lastActiveAt)
        assertEquals(Segment.VIP, scoreSupporters(listOf(c), now)[0].segment)
    }

    @Test
    fun aThousandTokensOfEventsIsVip() {
        val spends = { recent: ULong ->
            SupporterActivity(spends = listOf(SpendEvent(ago(40), 600uL, SpendFeature.PPV), SpendEvent(ago(2), recent, SpendFeature.FAN_CLUB)))
        }
        assertEquals(Segment.VIP, segmentOf(supporter("v", spends(400uL))))
        assertEquals(Segment.ACTIVE, segmentOf(supporter("a", spends(399uL))))
    }

    @Test
    fun inactiveExactlySevenDaysIsDormant() {
        val likedAt = { t: Instant -> supporter("d", SupporterActivity(likes = listOf(t))) }
        assertEquals(Segment.DORMANT, segmentOf(likedAt(ago(7))))
        assertEquals(Segment.ACTIVE, segmentOf(likedAt(ago(7).plusSeconds(1))))
        assertEquals(Segment.DORMANT, segmentOf(likedAt(ago(29))))
        assertEquals(Segment.COLD, segmentOf(likedAt(ago(30))))
    }

    private val rising = supporter(
        "rising",
        SupporterActivity(
            spends = listOf(SpendEvent(ago(3), 300uL, SpendFeature.PPV), SpendEvent(ago(40), 100uL, SpendFeature.PPV)),
            chatMessages = listOf(ago(1), ago(2)),
            liveSessions = listOf(LiveSession(ago(5), 1200u)),
            profileViews = listOf(ago(20)),
        ),
        timeZone = "Asia/Tokyo",
    )

    private val drifting = Supporter(
        id = "drifting",
        joinedAt = ago(400),
        timeZone = "UTC",
        fanClub = FanClub(tier = 1u, since = ago(200)),
        activity = SupporterActivity(
            spends = listOf(SpendEvent(ago(45), 200uL, SpendFeature.FAN_CLUB)),
            profileViews = listOf(ago(10), ago(16), ago(17), ago(18), ago(19)),
        ),
    )

    @Test
    fun insightsReadEveryEventType() {
        val (r, d) = supporterInsights(listOf(rising, drifting), now)
        // Tokens: 300 in the last 30 days against 100 the 30 before.
        assertEquals(Trend(TrendDirection.RISING, 300uL, 100uL), r.spendingTrend)
        // Two chats and a live session in 14 days against one profile view the 14 before.
        assertEquals(Trend(TrendDirection.RISING, 3uL, 1uL), r.engagementTrend)
        assertEquals(
            RetentionRisk(
                RiskLevel.LOW, 1u, 1L, false, false, RiskBasis.Heuristic(HeuristicReason.NoModel),
                "heuristic (no purchase model given): inactive 1 day → +1; risk 1, low",
            ),
            r.retentionRisk,
        )
        assertEquals(UpgradeHint(null, 1u, 300uL, 300uL), r.fanClubUpgrade)
        // Every event at 12:00 UTC, 21:00 in Tokyo.
        val contact = r.bestContactTime!!
        assertEquals(21.toUByte(), contact.hour)
        assertEquals(6u, contact.events)
        assertEquals(30.toUByte(), contact.confidence)

        assertEquals(Trend(TrendDirection.FALLING, 0uL, 200uL), d.spendingTrend)
        assertEquals(Trend(TrendDirection.FALLING, 1uL, 4uL), d.engagementTrend)
        // 10 idle days = 16 points, +25 falling spend, +25 falling engagement.
        assertEquals(
            RetentionRisk(
                RiskLevel.HIGH, 66u, 10L, true, true, RiskBasis.Heuristic(HeuristicReason.NoModel),
                "heuristic (no purchase model given): inactive 10 days → +16, spending falling → +25, " +
                    "engagement falling → +25; risk 66, high",
            ),
            d.retentionRisk,
        )
        assertNull(d.fanClubUpgrade)
    }

    @Test
    fun insightsUseTheConfig() {
        val cfg = defaultInsightConfig().copy(upgradeTokensPerTier = 100uL)
        assertEquals(UpgradeHint(null, 1u, 300uL, 100uL), supporterInsights(listOf(rising), now, cfg)[0].fanClubUpgrade)
        val short = defaultInsightConfig().copy(contactLookbackDays = 4L)
        // Only the chats 1 and 2 days ago and the spend 3 days ago remain.
        assertEquals(3u, supporterInsights(listOf(rising), now, short)[0].bestContactTime!!.events)
        val quiet = supporter("q", SupporterActivity())
        val q = supporterInsights(listOf(quiet), now)[0]
        assertEquals(Trend(TrendDirection.NO_ACTIVITY, 0uL, 0uL), q.spendingTrend)
        assertNull(q.bestContactTime)
    }

    @Test
    fun rsvpsRaiseEventAlerts() {
        val startsAt = now.plus(Duration.ofDays(1))
        val s = supporter(
            "r",
            SupporterActivity(
                eventRsvps = listOf(
                    EventRsvp("live-1", now.minus(Duration.ofHours(2)), startsAt),
                    EventRsvp("old-answer", ago(3), now.plus(Duration.ofDays(2))),
                    EventRsvp("started", now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(30))),
                ),
            ),
        )
        val alerts = detectSupporterAlerts(listOf(s), now)
        assertEquals(listOf(AlertKind.EVENT_RSVP), alerts.map { it.kind })
        assertEquals(startsAt, alerts[0].expiresAt)
        assertEquals(AlertPriority.MEDIUM, alerts[0].priority)
        assertEquals(AlertDetail.Event("live-1", startsAt), alerts[0].detail)
        // Counters carry no RSVPs.
        assertEquals(emptyList(), detectAlerts(supporterCounters(listOf(s), now), now))
    }

    @Test
    fun anUnknownTimeZoneIsATypedError() {
        val bad = supporter("x", SupporterActivity(), timeZone = "Mars/Olympus")
        val err = assertFailsWith<CrmException.InvalidInput> { supporterCounters(listOf(bad), now) }
        assertEquals("time_zone", err.field)
        assertFailsWith<CrmException.InvalidInput> { detectSupporterAlerts(listOf(bad), now) }
    }
}
