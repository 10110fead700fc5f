package dev.creatorcrm.test

import dev.creatorcrm.AlertKind
import dev.creatorcrm.AlertPriority
import dev.creatorcrm.CreatorInput
import dev.creatorcrm.CreatorTier
import dev.creatorcrm.CrmException
import dev.creatorcrm.Segment
import dev.creatorcrm.ShopBadge
import dev.creatorcrm.SupporterCounters
import dev.creatorcrm.TabOptions
import dev.creatorcrm.TierRule
import dev.creatorcrm.classifyCreators
import dev.creatorcrm.deliverAlerts
import dev.creatorcrm.detectAlerts
import dev.creatorcrm.inboxTabs
import dev.creatorcrm.scoreSupporters
import dev.creatorcrm.shopBadge
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** supporters and tiers: on-device scoring, inbox tabs, alerts and tiers through the Kotlin API. */
class SupportersTest {
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    private fun ago(days: Long): Instant = now.minus(Duration.ofDays(days))

    private fun population(n: Int): List<SupporterCounters> = (0 until n).map { i ->
        SupporterCounters(
            id = "s%04d".format(i),
            joinedAt = ago(10L + i % 300),
            online = i % 4 == 0,
            tokensLifetime = ((i * 37) % 1500).toULong(),
            tokens30d = ((i * 13) % 300).toULong(),
            tokens7d = ((i * 7) % 80).toULong(),
            chatMessages7d = (i % 9).toUInt(),
            profileViews7d = (i % 5).toUInt(),
            liveSessions7d = (i % 3).toUInt(),
            lastActiveAt = ago((i % 40).toLong()),
            firstPurchaseAt = if (i % 5 == 0) null else ago((i % 60).toLong()),
        )
    }

    @Test
    fun scoresAFewHundredSupporters() {
        val people = population(500)
        val scores = scoreSupporters(people, now)
        assertEquals(500, scores.size)
        for ((c, s) in people.zip(scores)) {
            assertTrue(s.probability <= 100u && s.priority <= 150u)
            val idle = Duration.between(c.lastActiveAt, now).toDays()
            val expected = when {
                c.tokensLifetime >= 1000uL -> Segment.VIP
                idle >= 30 -> Segment.COLD
                idle >= 7 -> Segment.DORMANT
                s.probability >= 70u -> Segment.HOT_LEAD
                else -> Segment.ACTIVE
            }
            assertEquals(expected, s.segment, c.id)
        }
    }

    @Test
    fun exactBounds() {
        val base = SupporterCounters(id = "a", joinedAt = ago(100), lastActiveAt = now)
        val seg = { c: SupporterCounters -> scoreSupporters(listOf(c), now)[0].segment }
        assertEquals(Segment.ACTIVE, seg(base.copy(tokensLifetime = 999uL)))
        assertEquals(Segment.VIP, seg(base.copy(tokensLifetime = 1000uL)))
        assertEquals(Segment.ACTIVE, seg(base.copy(lastActiveAt = ago(6))))
        assertEquals(Segment.DORMANT, seg(base.copy(lastActiveAt = ago(7))))
        assertEquals(Segment.DORMANT, seg(base.copy(lastActiveAt = ago(29))))
        assertEquals(Segment.COLD, seg(base.copy(lastActiveAt = ago(30))))
    }

    @Test
    fun buildsTheTabs() {
        val people = population(400)
        val scores = scoreSupporters(people, now)
        val tabs = inboxTabs(people, now, TabOptions(vipSize = 10u, offset = 0u, limit = 20u, newWithinDays = 30u))
        assertEquals(10, tabs.vip.ids.size)
        val vipSpend = tabs.vip.indices.map { people[it.toInt()].tokensLifetime }
        assertEquals(vipSpend.sortedDescending(), vipSpend)
        assertEquals(scores.count { it.segment == Segment.VIP }.toULong(), tabs.vip.total)
        assertEquals(20, tabs.all.ids.size)
        val recency = tabs.all.indices.map { people[it.toInt()].lastActiveAt!! }
        assertEquals(recency.sortedDescending(), recency)
        assertEquals(people.count { it.tokensLifetime > 0uL }.toULong(), tabs.all.total)
        assertTrue(tabs.dormant.indices.all { scores[it.toInt()].segment == Segment.DORMANT })
        // Same ids whatever the input order.
        val reversed = inboxTabs(people.reversed(), now, TabOptions(vipSize = 10u, offset = 0u, limit = 20u, newWithinDays = 30u))
        assertEquals(tabs.all.ids, reversed.all.ids)
        assertEquals(tabs.vip.ids, reversed.vip.ids)
    }

    @Test
    fun alertsRespectTheCooldown() {
        val vip = SupporterCounters(id = "v", joinedAt = ago(100), online = true, tokensLifetime = 2000uL, lastActiveAt = now)
        val first = deliverAlerts(detectAlerts(listOf(vip), now), emptyList(), now)
        assertEquals(listOf(AlertKind.VIP_ONLINE), first.delivered.map { it.kind })
        assertEquals(AlertPriority.URGENT, first.delivered[0].priority)
        val later = now.plus(Duration.ofMinutes(59))
        val second = deliverAlerts(detectAlerts(listOf(vip), later), first.state, later)
        assertEquals(1, second.suppressed.size)
        val hour = now.plus(Duration.ofHours(1))
        val third = deliverAlerts(detectAlerts(listOf(vip), hour), second.state, hour)
        assertEquals(1, third.delivered.size)
    }

    @Test
    fun tiersAndBadges() {
        assertEquals(ShopBadge.BRONZE, shopBadge("999.99").badge)
        assertEquals(ShopBadge.SILVER, shopBadge("1000").badge)
        assertEquals(ShopBadge.GOLD, shopBadge("5000").badge)
        assertTrue(shopBadge("25000").thresholdAssumed)
        assertFailsWith<CrmException.InvalidInput> { shopBadge("lots") }
        val creators = (0 until 1000).map { CreatorInput("c$it", ago(365), (it * 10).toString()) }
        val tiers = classifyCreators(creators, now)
        assertEquals(CreatorTier.LEGEND, tiers[999].tier)
        assertEquals(TierRule.TopShare("9990", 1uL, 1uL, 1000uL), tiers[999].rule)
        assertEquals(CreatorTier.RISING, tiers[100].tier)
        assertEquals(TierRule.Earnings("1000", "1000", "5000"), tiers[100].rule)
        assertEquals(CreatorTier.EMERGING, tiers[99].tier)
    }
}
