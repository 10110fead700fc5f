package dev.creatorcrm.test

import dev.creatorcrm.CreatorInput
import dev.creatorcrm.CreatorTier
import dev.creatorcrm.CrmException
import dev.creatorcrm.GmvObservation
import dev.creatorcrm.PreviousTier
import dev.creatorcrm.ShopBadge
import dev.creatorcrm.BadgeDecision
import dev.creatorcrm.StableTier
import dev.creatorcrm.TierDecision
import dev.creatorcrm.TierRule
import dev.creatorcrm.TierThresholds
import dev.creatorcrm.defaultBadgeThresholds
import dev.creatorcrm.defaultTierThresholds
import dev.creatorcrm.shopBadge
import dev.creatorcrm.applyMinimumDays
import dev.creatorcrm.classifyCreators
import dev.creatorcrm.monthlyGmv
import dev.creatorcrm.monthlyGmvFromSnapshots
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull

/** tiers: monthly GMV from observations and snapshots, minimum days in a tier. */
class TiersTest {
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    private fun ago(days: Long): Instant = now.minus(Duration.ofDays(days))

    @Test
    fun monthlyGmvSumsTheMonth() {
        val obs = listOf(
            GmvObservation("2026-02-28", "500"),
            GmvObservation("2026-03-01", "1234.56"),
            GmvObservation("2026-03-31", "100"),
            GmvObservation("2026-04-01", "9"),
        )
        assertEquals("1334.56", monthlyGmv(obs, 2026, 3u))
        assertEquals("500", monthlyGmv(obs, 2026, 2u))
        assertEquals("0", monthlyGmv(obs, 2025, 3u))
    }

    @Test
    fun monthlyGmvFromRunningTotals() {
        val snaps = listOf(
            GmvObservation("2026-02-20", "1000"),
            GmvObservation("2026-02-28", "1500"),
            GmvObservation("2026-03-15", "2000"),
            GmvObservation("2026-03-31", "2600"),
        )
        // Last total in March minus the last one before March.
        assertEquals("1100", monthlyGmvFromSnapshots(snaps, 2026, 3u))
        assertNull(monthlyGmvFromSnapshots(snaps, 2026, 2u)) // nothing before February
        assertNull(monthlyGmvFromSnapshots(snaps, 2026, 4u)) // nothing in April
        // A total that went down is a month of 0, never negative.
        val down = listOf(GmvObservation("2026-02-28", "1500"), GmvObservation("2026-03-31", "1200"))
        assertEquals("0", monthlyGmvFromSnapshots(down, 2026, 3u))
    }

    @Test
    fun badMonthsDatesAndAmountsAreTypedErrors() {
        val ok = listOf(GmvObservation("2026-03-01", "1"))
        assertEquals("month", assertFailsWith<CrmException.InvalidInput> { monthlyGmv(ok, 2026, 13u) }.field)
        val badDate = listOf(GmvObservation("2026-02-30", "1"))
        assertEquals("date", assertFailsWith<CrmException.InvalidInput> { monthlyGmvFromSnapshots(badDate, 2026, 3u) }.field)
        val badGmv = listOf(GmvObservation("2026-03-01", "lots"))
        assertEquals("gmv", assertFailsWith<CrmException.InvalidInput> { monthlyGmv(badGmv, 2026, 3u) }.field)
    }

    private val established = classifyCreators(listOf(CreatorInput("c", ago(365), "5000")), now).single()

    @Test
    fun aTierIsHeldForTheMinimumDays() {
        assertEquals(TierDecision(CreatorTier.ESTABLISHED, TierRule.Earnings("5000", "5000", "25000")), established)
        val held = applyMinimumDays(established, PreviousTier(CreatorTier.RISING, ago(10)), 30u, now)
        assertEquals(
            StableTier(TierDecision(CreatorTier.RISING, TierRule.Held(CreatorTier.ESTABLISHED, 10L, 30u)), ago(10)),
            held,
        )
        // Exactly 30 days in Rising: the creator moves up, from now.
        assertEquals(StableTier(established, now), applyMinimumDays(established, PreviousTier(CreatorTier.RISING, ago(30)), 30u, now))
        // No previous tier, or a Newcomer: the proposal stands.
        assertEquals(StableTier(established, now), applyMinimumDays(established, null, 30u, now))
        assertEquals(StableTier(established, now), applyMinimumDays(established, PreviousTier(CreatorTier.NEWCOMER, ago(5)), 30u, now))
        // Same tier: held since it was reached.
        assertEquals(StableTier(established, ago(3)), applyMinimumDays(established, PreviousTier(CreatorTier.ESTABLISHED, ago(3)), 30u, now))
        // 0 disables the rule.
        assertEquals(CreatorTier.ESTABLISHED, applyMinimumDays(established, PreviousTier(CreatorTier.RISING, ago(1)), 0u, now).decision.tier)
    }

    @Test
    fun aDecisionWithABadAmountIsATypedError() {
        val bad = TierDecision(CreatorTier.RISING, TierRule.Earnings("lots", null, null))
        val err = assertFailsWith<CrmException.InvalidInput> { applyMinimumDays(bad, null, 30u, now) }
        assertEquals("monthly_earnings", err.field)
    }

    @Test
    fun badgesWithTheirOwnBounds() {
        assertEquals(BadgeDecision(ShopBadge.BRONZE, "999.99", null, false, ShopBadge.SILVER, "1000"), shopBadge("999.99"))
        assertEquals(BadgeDecision(ShopBadge.PLATINUM, "25000", "25000", true, ShopBadge.RUBY, "50000"), shopBadge("25000"))
        val defaults = defaultBadgeThresholds()
        assertEquals(listOf("1000", "5000", "25000", "50000", "100000", "250000", "500000"), defaults)
        val own = listOf("2000") + defaults.drop(1)
        assertEquals(ShopBadge.BRONZE, shopBadge("1999.99", own).badge)
        assertEquals(ShopBadge.SILVER, shopBadge("2000", own).badge)
        assertEquals("thresholds", assertFailsWith<CrmException.InvalidInput> { shopBadge("1", defaults.drop(1)) }.field)
        val unordered = listOf("5000", "1000") + defaults.drop(2)
        assertEquals("badge_thresholds", assertFailsWith<CrmException.InvalidInput> { shopBadge("1", unordered) }.field)
    }

    @Test
    fun tiersWithTheirOwnBounds() {
        val t = defaultTierThresholds()
        assertEquals(TierThresholds(30u, "1000", "5000", "25000", "100000", "0.001"), t)
        val half = listOf(CreatorInput("h", ago(365), "500"))
        assertEquals(CreatorTier.EMERGING, classifyCreators(half, now)[0].tier)
        assertEquals(CreatorTier.RISING, classifyCreators(half, now, t.copy(rising = "500"))[0].tier)
        // Joined 10 days ago: a Newcomer by default, not with a 7-day window.
        val fresh = listOf(CreatorInput("f", ago(10), "500"))
        assertEquals(CreatorTier.NEWCOMER, classifyCreators(fresh, now)[0].tier)
        assertEquals(CreatorTier.EMERGING, classifyCreators(fresh, now, t.copy(newcomerDays = 7u))[0].tier)
        // Top 1 % of 100 creators: one Legend.
        val hundred = (1..100).map { CreatorInput("c$it", ago(365), (it * 10).toString()) }
        val legends = classifyCreators(hundred, now, t.copy(legendShare = "0.01")).count { it.tier == CreatorTier.LEGEND }
        assertEquals(1, legends)
        val bad = assertFailsWith<CrmException.InvalidInput> { classifyCreators(half, now, t.copy(rising = "6000")) }
        assertEquals("tier_thresholds", bad.field)
    }
}
