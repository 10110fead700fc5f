package dev.creatorcrm.test

import dev.creatorcrm.CrmException
import dev.creatorcrm.DailyWindow
import dev.creatorcrm.WeekRule
import dev.creatorcrm.defaultQuietHours
import dev.creatorcrm.effectiveSmsRule
import dev.creatorcrm.smsSendWindow
import org.junit.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull

/** The quiet-hour rules as data: the default table, the rule for a recipient, overrides. */
class QuietHoursTest {
    private fun hours(start: Int, end: Int) = DailyWindow((start * 60).toUShort(), (end * 60).toUShort())

    private val texas = WeekRule(List(6) { hours(9, 21) } + hours(12, 21))

    @Test
    fun theDefaultTable() {
        val q = defaultQuietHours()
        assertEquals(WeekRule(List(7) { hours(8, 21) }), q.federal)
        assertEquals(texas, q.states["TX"]!!.week)
        assertNull(q.states["TX"]!!.dailyCap)
        assertEquals(3u, q.states["FL"]!!.dailyCap)
        assertEquals(WeekRule(List(6) { hours(8, 21) } + listOf(null)), q.states["AL"]!!.week)
        assertEquals(listOf("FL", "OK"), q.presumeResidentByAreaCode)
        assertEquals(setOf("AL", "CT", "FL", "LA", "MD", "MS", "OK", "TX", "WA"), q.states.keys)
    }

    @Test
    fun theRuleForOneRecipient() {
        val dallas = effectiveSmsRule("+12145550123")
        assertEquals(listOf("TX"), dallas.states)
        assertEquals(listOf("America/Chicago"), dallas.zones)
        assertEquals(texas, dallas.week)
        // A Miami number whose owner the host places in Georgia: Florida still presumes a
        // resident by area code, so its 08:00–20:00 and cap apply as well.
        val miami = effectiveSmsRule("+13055550123", "GA")
        assertEquals(listOf("FL", "GA"), miami.states)
        assertEquals(WeekRule(List(7) { hours(8, 20) }), miami.week)
        assertEquals(3u, miami.dailyCap)
    }

    @Test
    fun hostsOverrideTheTable() {
        val q = defaultQuietHours()
        val noTexasSundays = q.copy(states = q.states + ("TX" to q.states["TX"]!!.copy(week = WeekRule(texas.days.take(6) + listOf(null)))))
        // Sunday 10:00 CDT: Monday 09:00 instead of Sunday noon.
        val sunday = Instant.parse("2026-06-07T15:00:00Z")
        assertEquals(Instant.parse("2026-06-07T17:00:00Z"), smsSendWindow("+12145550123", sunday))
        assertEquals(Instant.parse("2026-06-08T14:00:00Z"), smsSendWindow("+12145550123", sunday, null, noTexasSundays))
        val sixDays = q.copy(federal = WeekRule(List(6) { hours(8, 21) }))
        assertEquals("days", assertFailsWith<CrmException.InvalidInput> { smsSendWindow("+12145550123", sunday, null, sixDays) }.field)
        assertEquals("phone", assertFailsWith<CrmException.InvalidInput> { effectiveSmsRule("+442079460958") }.field)
    }
}
