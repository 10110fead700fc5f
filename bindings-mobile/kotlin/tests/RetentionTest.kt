package dev.creatorcrm.test

import dev.creatorcrm.BgNbd
import dev.creatorcrm.CrmException
import dev.creatorcrm.GammaGamma
import dev.creatorcrm.RfmSummary
import dev.creatorcrm.fitBgnbd
import dev.creatorcrm.fitGammaGamma
import dev.creatorcrm.retentionCurve
import dev.creatorcrm.rfmSummary
import org.junit.Test
import java.io.File
import kotlin.math.abs
import kotlin.math.ln
import kotlin.math.pow
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Retention models on device: the CDNOW anchor of core's retention tests
 * (core/tests/data/cdnow), predictions computed by hand, and input errors.
 */
class RetentionTest {
    /** core/tests/data/cdnow, next to the shared vectors (tests/vectors) of the repository. */
    private fun cdnow(name: String): List<List<String>> {
        val vectors = File(System.getProperty("creatorcrm.vectors") ?: "tests/vectors")
        val file = File(vectors.absoluteFile.parentFile.parentFile, "core/tests/data/cdnow/$name")
        return file.readLines().drop(1).filter { it.isNotBlank() }.map { it.split(',') }
    }

    private fun assertWithin(want: Double, got: Double, rel: Double, label: String) =
        assertTrue(abs(got - want) <= rel * abs(want), "$label = $got, expected $want (±${rel * 100} %)")

    private fun round4(v: Double) = Math.round(v * 1e4) / 1e4

    private val published = BgNbd(r = 0.243, alpha = 4.414, a = 0.793, b = 2.426)

    @Test
    fun bgnbdFitMatchesThePublishedCdnowEstimates() {
        val rows = cdnow("cdnow_customers_summary.csv")
        assertEquals(2357, rows.size)
        val fit = fitBgnbd(rows.map { it[1].toUInt() }, rows.map { it[2].toDouble() }, rows.map { it[3].toDouble() })
        assertWithin(0.243, fit.model.r, 0.005, "r")
        assertWithin(4.414, fit.model.alpha, 0.005, "alpha")
        assertWithin(0.793, fit.model.a, 0.005, "a")
        assertWithin(2.426, fit.model.b, 0.005, "b")
        // Core's snapshot of the same fit (core/tests/it/snapshots/*cdnow_bgnbd.snap).
        assertEquals(listOf(0.2426, 4.4135, 0.7929, 2.4258), listOf(fit.r, fit.alpha, fit.a, fit.b).map { round4(it.value) })
        assertEquals(listOf(0.0126, 0.3782, 0.1857, 0.7053), listOf(fit.r, fit.alpha, fit.a, fit.b).map { round4(it.stdError!!) })
        assertEquals(fit.model.r, fit.r.value)
        // Fader, Hardie & Lee (2005) report LL = -9582.4.
        assertEquals(-9582.43, Math.round(fit.info.logLikelihood * 100) / 100.0)
        assertEquals(2357UL, fit.info.customers)
        assertEquals("lbfgs", fit.info.method)
        assertTrue(fit.info.converged)
        // The fit's methods are its model's.
        assertEquals(fit.model.pAlive(2u, 30.43, 38.86), fit.pAlive(2u, 30.43, 38.86))
        assertEquals(fit.model.expectedPurchases(39.0, 2u, 30.43, 38.86), fit.expectedPurchases(39.0, 2u, 30.43, 38.86))
    }

    @Test
    fun pAliveByHand() {
        // No repeat purchase: alive by the model's assumption.
        assertEquals(1.0, published.pAlive(0u, 0.0, 38.86))
        // 1 / (1 + a/(b+x-1) · ((α+T)/(α+tₓ))^(r+x)) with x = 2, tₓ = 30.43, T = 38.86.
        val d = 0.793 / (2.426 + 1.0) * ((4.414 + 38.86) / (4.414 + 30.43)).pow(2.243)
        assertWithin(1.0 / (1.0 + d), published.pAlive(2u, 30.43, 38.86), 1e-12, "pAlive(2, 30.43, 38.86)")
        // A purchase at the very end of the window: D = a/(b+x-1).
        assertWithin(1.0 / (1.0 + 0.793 / (2.426 + 4.0)), published.pAlive(5u, 20.0, 20.0), 1e-12, "pAlive(5, 20, 20)")
    }

    @Test
    fun expectedPurchasesByHand() {
        // r = 1, α = 1, a = 2, b = 1, x = 0, T = 1: ₂F₁(1, 1; 2; z) = -ln(1-z)/z, so
        // E[Y(t)] = 2 · (1 - (2/(2+t)) · (-ln(1-z)/z)) with z = t/(2+t).
        val m = BgNbd(r = 1.0, alpha = 1.0, a = 2.0, b = 1.0)
        val t = 3.0
        val z = t / (2.0 + t)
        val want = 2.0 * (1.0 - (2.0 / (2.0 + t)) * (-ln(1.0 - z) / z))
        assertWithin(want, m.expectedPurchases(t, 0u, 0.0, 1.0), 1e-12, "expectedPurchases")
        // Over a short horizon a new customer buys at the mean rate r/α.
        assertWithin(0.243 / 4.414, published.expectedPurchasesNew(1e-4) / 1e-4, 1e-3, "rate")
        assertEquals(0.0, published.expectedPurchasesNew(0.0), 0.0)
        // A customer with no history observed for no time is a new customer.
        assertWithin(published.expectedPurchasesNew(39.0), published.expectedPurchases(39.0, 0u, 0.0, 0.0), 1e-12, "new")
        // Recent repeat buyers are expected to buy more than long-silent ones.
        assertTrue(published.expectedPurchases(39.0, 10u, 38.0, 38.86) > 5.0)
        assertTrue(published.expectedPurchases(39.0, 10u, 5.0, 38.86) < 0.5)
    }

    @Test
    fun badInputsAreTypedErrors() {
        val lengths = assertFailsWith<CrmException.InvalidInput> { fitBgnbd(listOf(1u, 2u), listOf(1.0), listOf(2.0, 3.0)) }
        assertTrue(lengths.reason.isNotBlank())
        val recency = assertFailsWith<CrmException.InvalidInput> { fitBgnbd(listOf(1u), listOf(3.0), listOf(2.0)) }
        assertEquals("recency", recency.field)
        assertTrue(recency.message!!.contains("customer 0"), recency.message)
        assertFailsWith<CrmException.InvalidInput> { fitBgnbd(emptyList(), emptyList(), emptyList()) }
        assertEquals("age", assertFailsWith<CrmException.InvalidInput> { fitBgnbd(listOf(0u), listOf(0.0), listOf(Double.NaN)) }.field)
        assertEquals("recency", assertFailsWith<CrmException.InvalidInput> { published.pAlive(1u, 5.0, 4.0) }.field)
        assertEquals("t", assertFailsWith<CrmException.InvalidInput> { published.expectedPurchases(-1.0, 1u, 1.0, 4.0) }.field)
    }

    @Test
    fun gammaGammaFitMatchesThePublishedCdnowEstimates() {
        val rows = cdnow("cdnow_customers_summary_with_transactions.csv")
        val fit = fitGammaGamma(rows.map { it[1].toUInt() }, rows.map { it[4] })
        assertEquals(946UL, fit.info.customers)
        assertWithin(6.25, fit.model.p, 0.005, "p")
        assertWithin(3.74, fit.model.q, 0.005, "q")
        assertWithin(15.44, fit.model.gamma, 0.005, "gamma")
        assertEquals(listOf(6.2488, 3.7446, 15.4477), listOf(fit.p, fit.q, fit.gamma).map { round4(it.value) })
        assertEquals(listOf(1.1897, 0.2902, 4.1599), listOf(fit.p, fit.q, fit.gamma).map { round4(it.stdError!!) })
        assertEquals(-4055.92, Math.round(fit.info.logLikelihood * 100) / 100.0)
        assertEquals(fit.model.expectedSpend(2u, "22.35"), fit.expectedSpend(2u, "22.35"))
    }

    @Test
    fun expectedSpendByHand() {
        val g = GammaGamma(p = 6.25, q = 3.74, gamma = 15.44)
        // p (γ + m x) / (p x + q - 1) = 6.25 · (15.44 + 2 · 22.35) / (12.5 + 2.74) = 24.6555…
        assertEquals("24.66", g.expectedSpend(2u, "22.35"))
        // No repeat purchase: the population mean p γ / (q - 1) = 35.2189…
        assertEquals("35.22", g.expectedSpend(0u, "0"))
        val heavy = GammaGamma(p = 0.1, q = 0.5, gamma = 1.0)
        assertEquals("monetary", assertFailsWith<CrmException.InvalidInput> { heavy.expectedSpend(0u, "0") }.field)
        assertEquals("monetary", assertFailsWith<CrmException.InvalidInput> { g.expectedSpend(1u, "\$12") }.field)
        val negative = assertFailsWith<CrmException.InvalidInput> { fitGammaGamma(listOf(1u, 2u), listOf("3", "-1")) }
        assertTrue(negative.message!!.contains("customer 1"), negative.message)
    }

    @Test
    fun summariesAndTheRetentionCurve() {
        val s = rfmSummary(listOf("2025-03-09", "2025-03-01", "2025-03-04", "2025-03-04"), "2025-03-31")!!
        assertEquals(RfmSummary(frequency = 2u, recency = 8.0, age = 30.0), s)
        assertNull(rfmSummary(listOf("2025-04-01"), "2025-03-31"))
        assertNull(rfmSummary(emptyList(), "2025-03-31"))
        assertEquals("date", assertFailsWith<CrmException.InvalidInput> { rfmSummary(listOf("03/01/2025"), "2025-03-31") }.field)

        val curve = retentionCurve(
            listOf(RfmSummary(2u, 20.0, 40.0), RfmSummary(0u, 0.0, 40.0), RfmSummary(1u, 5.0, 8.0)),
            listOf(0u, 7u, 30u, 60u),
        )
        assertEquals(listOf(3UL to 3UL, 3UL to 1UL, 2UL to 0UL, 0UL to 0UL), curve.map { it.observed to it.retained })
        assertEquals(listOf(1.0, 1.0 / 3.0, 0.0, null), curve.map { it.share })
    }
}
