package dev.creatorcrm.test

import dev.creatorcrm.HeuristicReason
import dev.creatorcrm.PurchaseModel
import dev.creatorcrm.PurchaseModelFit
import dev.creatorcrm.RetentionConfig
import dev.creatorcrm.RfmSummary
import dev.creatorcrm.RiskBasis
import dev.creatorcrm.RiskLevel
import dev.creatorcrm.SpendEvent
import dev.creatorcrm.SpendFeature
import dev.creatorcrm.Supporter
import dev.creatorcrm.SupporterActivity
import dev.creatorcrm.defaultRetentionConfig
import dev.creatorcrm.fitPurchaseModel
import dev.creatorcrm.purchaseSummary
import dev.creatorcrm.supporterInsightsForAll
import dev.creatorcrm.supporterInsightsWithModel
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.math.roundToInt
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The retention risk backed on device by a BG/NBD of the supporters' purchases. */
class RetentionInsightsTest {
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    private fun ago(days: Long): Instant = now.minus(Duration.ofDays(days))

    /**
     * 40 buyers: supporter i first paid 100 + i days ago and came back i % 4 times, every
     * 10 · (1 + i % 3) days; so 30 of them have repeat purchase days.
     */
    private val population: List<Supporter> = (0 until 40).map { i ->
        val first = 100L + i
        val step = 10L * (1 + i % 3)
        val days = (0..(i % 4)).map { k -> first - k * step }
        Supporter(
            id = "s$i",
            joinedAt = ago(first + 1),
            timeZone = "UTC",
            activity = SupporterActivity(spends = days.map { SpendEvent(ago(it), 50uL, SpendFeature.PPV) }),
        )
    }

    @Test
    fun theModelBacksEveryRepeatBuyersRisk() {
        val insights = supporterInsightsForAll(population, now)
        assertEquals(40, insights.size)
        val fit = fitPurchaseModel(population, now)
        val model = assertIs<PurchaseModelFit.Fitted>(fit).model
        assertEquals(40UL, model.fittedOn)
        assertEquals(30u, model.horizonDays)
        assertTrue(model.fit!!.info.converged)
        for ((i, s) in population.withIndex()) {
            val risk = insights[i].retentionRisk
            if (i % 4 == 0) {
                // One purchase day: the model gives no drop-out before a repeat purchase.
                assertEquals(RiskBasis.Heuristic(HeuristicReason.NoRepeatPurchase), risk.basis, s.id)
                assertTrue(risk.explanation.startsWith("heuristic (one purchase day only; "), risk.explanation)
                continue
            }
            val m = assertIs<RiskBasis.Model>(risk.basis, s.id).risk
            val summary = purchaseSummary(s, now)!!
            assertEquals(RfmSummary(m.frequency, m.recencyDays, m.ageDays), summary)
            assertEquals((i % 4).toUInt(), summary.frequency)
            // The same numbers from the model's own functions.
            assertEquals(model.model, m.params)
            assertEquals(model.model.pAlive(summary.frequency, summary.recency, summary.age), m.pAlive)
            assertEquals(model.model.expectedPurchases(30.0, summary.frequency, summary.recency, summary.age), m.expectedPurchases)
            assertEquals(((1.0 - m.pAlive) * 100).roundToInt(), risk.score.toInt())
            val level = when {
                risk.score >= 60u -> RiskLevel.HIGH
                risk.score >= 30u -> RiskLevel.MEDIUM
                else -> RiskLevel.LOW
            }
            assertEquals(level, risk.level)
            assertTrue(risk.explanation.startsWith("BG/NBD fitted on 40 supporters "), risk.explanation)
        }
        // A fitted model kept and applied later gives the same insights.
        assertEquals(insights, supporterInsightsWithModel(population, now, model))
        // So does a model given by its parameters only.
        assertEquals(insights, supporterInsightsWithModel(population, now, PurchaseModel(model.model, 40UL, 30u)))
    }

    @Test
    fun tooFewBuyersKeepTheHeuristicAndSayWhy() {
        val few = population.take(5)
        assertEquals(PurchaseModelFit.NotFitted(HeuristicReason.TooFewBuyers(5UL, 30UL)), fitPurchaseModel(few, now))
        val risk = supporterInsightsForAll(few, now)[1].retentionRisk
        assertEquals(RiskBasis.Heuristic(HeuristicReason.TooFewBuyers(5UL, 30UL)), risk.basis)
        assertTrue(risk.explanation.startsWith("heuristic (5 supporters with purchases, 30 needed to fit): "), risk.explanation)
        assertEquals("5 supporters with purchases, 30 needed to fit", HeuristicReason.TooFewBuyers(5UL, 30UL).describe())
        // With five buyers enough, the three repeat buyers among them are too few for four.
        val loose = RetentionConfig(minBuyers = 5UL, minRepeatBuyers = 4UL, horizonDays = 7u)
        assertEquals(PurchaseModelFit.NotFitted(HeuristicReason.TooFewRepeatBuyers(3UL, 4UL)), fitPurchaseModel(few, now, loose))
        assertEquals(RetentionConfig(30UL, 10UL, 30u), defaultRetentionConfig())
    }

    @Test
    fun summariesAndErrors() {
        val never = Supporter(id = "n", joinedAt = ago(10), timeZone = "UTC")
        assertNull(purchaseSummary(never, now))
        assertEquals(RfmSummary(3u, 30.0, 103.0), purchaseSummary(population[3], now))
        assertFailsWith<dev.creatorcrm.CrmException.InvalidInput> {
            supporterInsightsForAll(listOf(never.copy(timeZone = "Mars/Olympus")), now)
        }
    }
}
