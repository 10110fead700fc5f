package dev.creatorcrm.test

import dev.creatorcrm.CreatorInput
import dev.creatorcrm.CreatorTier
import dev.creatorcrm.CrmException
import dev.creatorcrm.GmvObservation
import dev.creatorcrm.PreviousTier
import dev.creatorcrm.StableTier
import dev.creatorcrm.TierDecision
import dev.creatorcrm.TierRule
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
}
