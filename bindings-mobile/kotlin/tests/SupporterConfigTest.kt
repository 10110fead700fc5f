package dev.creatorcrm.test

import dev.creatorcrm.SegmentRule
import dev.creatorcrm.AlertKind
import dev.creatorcrm.AlertDetail
import dev.creatorcrm.CrmException
import dev.creatorcrm.Curve
import dev.creatorcrm.Segment
import dev.creatorcrm.SignalWeights
import dev.creatorcrm.SupporterCounters
import dev.creatorcrm.defaultAlertConfig
import dev.creatorcrm.defaultInsightConfig
import dev.creatorcrm.defaultScoringConfig
import dev.creatorcrm.deliverAlerts
import dev.creatorcrm.detectAlerts
import dev.creatorcrm.explainScore
import dev.creatorcrm.inboxTabs
import dev.creatorcrm.scoreSupporters
import org.junit.Test
import java.time.Duration
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/** scoring, tabs and alerts with a caller-supplied configuration. */
class SupporterConfigTest {
    private val now = Instant.parse("2026-03-01T12:00:00Z")

    private fun ago(days: Long): Instant = now.minus(Duration.ofDays(days))

    private val base = SupporterCounters(id = "a", joinedAt = ago(100), lastActiveAt = now)

    @Test
    fun defaultsAreTheDocumentedOnes() {
        val cfg = defaultScoringConfig()
        assertEquals(SignalWeights(30u, 30u, 15u, 15u, 7u, 3u), cfg.weights)
        assertEquals(1000uL, cfg.vipLifetimeTokens)
        assertEquals(7.toUShort(), cfg.dormantAfterDays)
        assertEquals(30.toUShort(), cfg.coldAfterDays)
        assertEquals(70.toUByte(), cfg.hotLeadProbability)
        assertEquals(Curve.Exponential(3.0), cfg.chatCurve)
        val alerts = defaultAlertConfig()
        assertEquals(3600L, alerts.cooldownSeconds)
        assertEquals(listOf(100uL, 500uL, 1000uL, 5000uL, 10000uL, 50000uL, 100000uL), alerts.milestones)
        assertEquals(300uL, defaultInsightConfig().upgradeTokensPerTier)
    }

    @Test
    fun aLowerVipThresholdMakesVips() {
        val cfg = defaultScoringConfig().copy(vipLifetimeTokens = 500uL)
        val seg = { tokens: ULong, config: dev.creatorcrm.ScoringConfig? ->
            scoreSupporters(listOf(base.copy(tokensLifetime = tokens)), now, config)[0].segment
        }
        assertEquals(Segment.VIP, seg(500uL, cfg))
        assertEquals(Segment.ACTIVE, seg(499uL, cfg))
        assertEquals(Segment.ACTIVE, seg(500uL, null))
        assertEquals(SegmentRule.LifetimeTokens(500uL, 500uL), explainScore(base.copy(tokensLifetime = 500uL), now, cfg).segmentRule)
    }

    @Test
    fun aShorterDormantWindow() {
        val cfg = defaultScoringConfig().copy(dormantAfterDays = 3u)
        val idle3 = base.copy(lastActiveAt = ago(3))
        assertEquals(Segment.DORMANT, scoreSupporters(listOf(idle3), now, cfg)[0].segment)
        assertEquals(Segment.ACTIVE, scoreSupporters(listOf(idle3), now)[0].segment)
        assertEquals(Segment.ACTIVE, scoreSupporters(listOf(base.copy(lastActiveAt = ago(2))), now, cfg)[0].segment)
    }

    @Test
    fun weightsAndCurvesDecideTheProbability() {
        // All weight on chat, full at 5 messages: 4 messages = 80.
        val cfg = defaultScoringConfig().copy(
            weights = SignalWeights(100u, 0u, 0u, 0u, 0u, 0u),
            chatCurve = Curve.Linear(5.0),
        )
        val four = base.copy(chatMessages7d = 4u)
        val custom = scoreSupporters(listOf(four, base.copy(chatMessages7d = 3u)), now, cfg)
        assertEquals(80.toUByte(), custom[0].probability)
        assertEquals(Segment.HOT_LEAD, custom[0].segment)
        assertEquals(60.toUByte(), custom[1].probability)
        assertEquals(Segment.ACTIVE, custom[1].segment)
        // Defaults: 4 messages score 60 on the chat curve, weight 30 %.
        val default = scoreSupporters(listOf(four), now)[0]
        assertEquals(60.toUByte(), default.signals.recentChat)
        assertEquals(18.toUByte(), default.probability)
    }

    @Test
    fun anIncoherentConfigIsATypedError() {
        val cfg = defaultScoringConfig()
        val mix = assertFailsWith<CrmException.InvalidInput> {
            scoreSupporters(listOf(base), now, cfg.copy(liveMixGifts = 30u))
        }
        assertEquals("live_mix", mix.field)
        val weights = assertFailsWith<CrmException.InvalidInput> {
            inboxTabs(listOf(base), now, config = cfg.copy(weights = cfg.weights.copy(recentChat = 100u)))
        }
        assertEquals("weights", weights.field)
        val curve = assertFailsWith<CrmException.InvalidInput> {
            detectAlerts(listOf(base), now, cfg.copy(likesCurve = Curve.Linear(0.0)))
        }
        assertEquals("likes_curve", curve.field)
    }

    @Test
    fun tabsUseTheConfig() {
        val people = listOf(
            base.copy(id = "a", tokensLifetime = 150uL),
            base.copy(id = "b", tokensLifetime = 200uL),
            base.copy(id = "c", tokensLifetime = 50uL),
        )
        assertEquals(0uL, inboxTabs(people, now).vip.total)
        val tabs = inboxTabs(people, now, config = defaultScoringConfig().copy(vipLifetimeTokens = 100uL))
        assertEquals(listOf("b", "a"), tabs.vip.ids)
        assertEquals(2uL, tabs.vip.total)
    }

    @Test
    fun alertsUseBothConfigs() {
        val vip = base.copy(id = "v", online = true, tokensLifetime = 150uL)
        val scoring = defaultScoringConfig().copy(vipLifetimeTokens = 100uL)
        assertEquals(emptyList(), detectAlerts(listOf(vip), now).map { it.kind })
        assertEquals(listOf(AlertKind.VIP_ONLINE), detectAlerts(listOf(vip), now, scoring).map { it.kind })

        // A 10-minute cooldown instead of an hour.
        val short = defaultAlertConfig().copy(cooldownSeconds = 600L)
        val first = deliverAlerts(detectAlerts(listOf(vip), now, scoring, short), emptyList(), now, short)
        assertEquals(1, first.delivered.size)
        val nine = now.plus(Duration.ofMinutes(9))
        assertEquals(1, deliverAlerts(detectAlerts(listOf(vip), nine, scoring, short), first.state, nine, short).suppressed.size)
        val ten = now.plus(Duration.ofMinutes(10))
        assertEquals(1, deliverAlerts(detectAlerts(listOf(vip), ten, scoring, short), first.state, ten, short).delivered.size)
        assertEquals(1, deliverAlerts(detectAlerts(listOf(vip), ten, scoring), first.state, ten).suppressed.size)

        // Own milestones: 200 → 300 lifetime tokens this week crosses 250, no default one.
        val spender = base.copy(id = "m", tokensLifetime = 300uL, tokens30d = 100uL, tokens7d = 100uL)
        val custom = detectAlerts(listOf(spender), now, alertConfig = defaultAlertConfig().copy(milestones = listOf(250uL)))
        assertEquals(setOf(AlertKind.SPENDING_SPIKE, AlertKind.MILESTONE_REACHED), custom.map { it.kind }.toSet())
        assertEquals(AlertDetail.Milestone(250uL), custom.first { it.kind == AlertKind.MILESTONE_REACHED }.detail)
        assertEquals(listOf(AlertKind.SPENDING_SPIKE), detectAlerts(listOf(spender), now).map { it.kind })
    }
}
