package dev.creatorcrm.test

import dev.creatorcrm.Actor
import dev.creatorcrm.Channel
import dev.creatorcrm.ConsentAction
import dev.creatorcrm.Crm
import dev.creatorcrm.CrmException
import dev.creatorcrm.CrmOutreachStore
import dev.creatorcrm.ExportFile
import dev.creatorcrm.MemoryStore
import dev.creatorcrm.OutboxStatus
import dev.creatorcrm.OutboxStore
import dev.creatorcrm.OutreachConfig
import dev.creatorcrm.OutreachService
import dev.creatorcrm.Role
import dev.creatorcrm.SqliteStore
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue

/**
 * An outreach store written in Kotlin wrapping a built-in one: every call is logged and
 * any method can be made to throw.
 */
class WrappedOutreach(private val inner: CrmOutreachStore = MemoryStore()) : CrmOutreachStore {
    val calls = mutableListOf<String>()
    val fail = mutableMapOf<String, Exception>()

    private fun <T> call(name: String, body: () -> T): T {
        synchronized(calls) { calls.add(name) }
        fail[name]?.let { throw it }
        return body()
    }

    override fun outbox(workspace: String, idsJson: String) = call("outbox") { inner.outbox(workspace, idsJson) }

    override fun outboxWithStatus(workspace: String, status: String, limit: ULong) =
        call("outbox_with_status") { inner.outboxWithStatus(workspace, status, limit) }

    override fun outboxOf(workspace: String, handle: String) = call("outbox_of") { inner.outboxOf(workspace, handle) }

    override fun outboxTo(workspace: String, to: String) = call("outbox_to") { inner.outboxTo(workspace, to) }

    override fun consent(workspace: String, handlesJson: String) =
        call("consent") { inner.consent(workspace, handlesJson) }

    override fun eventsSeen(workspace: String, keysJson: String) =
        call("events_seen") { inner.eventsSeen(workspace, keysJson) }

    override fun applyOutreach(workspace: String, changesJson: String) =
        call("apply_outreach") { inner.applyOutreach(workspace, changesJson) }
}

/** OutreachService over outreach stores written in Kotlin. */
class HostOutreachStoreTest {
    private val now: Instant = Instant.parse("2026-06-01T15:00:00Z")
    private val euka = "handle,email,phone,recipient,state\n" +
        "bo,bo@mailbox.org,+17135550102,Bo Chan,TX\n" +
        "dee,dee@mailbox.org,,Dee Fox,\n"
    private val config = OutreachConfig(
        campaignId = "welcome-2026-06",
        brandName = "Acme Beauty",
        communityInviteUrl = "https://discord.gg/acme",
        postalAddress = "Acme Beauty, 100 Main St, Austin, TX 78701",
        unsubscribeBaseUrl = "https://crm.example.com/u/",
    )

    private fun crm(store: dev.creatorcrm.CrmStore): Crm {
        val crm = Crm(store, "acme", Actor.Staff("owner-1", Role.OWNER))
        crm.importExports(listOf(ExportFile("euka", euka.toByteArray(), null, null, null)), now)
        return crm
    }

    @Test
    fun theServiceRunsOverAKotlinStoreWrappingMemoryStore() {
        val store = MemoryStore()
        val outbox = WrappedOutreach(store)
        val sender = Recorder()
        val s = OutreachService(crm(Wrapped(store)), sender, config, OutboxStore.Host(outbox))
        s.approve(listOf("bo", "dee"), now)
        s.recordConsent("bo", Channel.SMS, ConsentAction.OPT_IN, now)
        assertEquals(3uL, s.plan(now).queued)
        assertEquals(3uL, s.sendDue(now).sent)
        assertEquals(0uL, s.plan(now).queued)
        assertEquals(0uL, s.sendDue(now).sent)
        assertEquals(3, sender.emails.size + sender.sms.size)
        assertEquals(listOf(OutboxStatus.SENT, OutboxStatus.SENT), s.history("bo").map { it.status })
        // Every outbox read and write went through the Kotlin object.
        for (m in listOf("apply_outreach", "outbox_with_status", "consent", "outbox_of")) {
            assertTrue(m in outbox.calls, m)
        }
        // The wrapped MemoryStore holds the outbox: a service over it directly sees it.
        val direct = OutreachService(crm(store), Recorder(), config, OutboxStore.Memory(store))
        assertEquals(2, direct.history("bo").size)

        // STOP through the host store: later SMS stop.
        val stop = s.inboundSms("+17135550102", "STOP", "SM1", now)
        assertEquals(listOf("bo"), stop.creators)
        assertTrue("outbox_to" in outbox.calls)
        assertEquals(1uL, s.sendDue(now).sent)
        assertTrue("unsubscribed" in sender.sms.last().body)
    }

    @Test
    fun aKotlinStoreWrappingSqliteStoreKeepsTheOutboxInTheFile() {
        val path = File(Files.createTempDirectory("crm-host-outbox").toFile(), "crm.db").path
        val store = SqliteStore(path)
        val sender = Recorder()
        val s = OutreachService(crm(store), sender, config, OutboxStore.Host(WrappedOutreach(store)))
        s.approve(listOf("dee"), now)
        s.plan(now)
        assertEquals(1uL, s.sendDue(now).sent)
        val reopened = SqliteStore(path)
        val again = OutreachService(Crm(reopened, "acme"), sender, config, OutboxStore.Sqlite(reopened))
        assertEquals(listOf(OutboxStatus.SENT), again.history("dee").map { it.status })
    }

    @Test
    fun anExceptionFromTheKotlinStoreReachesTheCaller() {
        val store = MemoryStore()
        val outbox = WrappedOutreach(store)
        val s = OutreachService(crm(store), Recorder(), config, OutboxStore.Host(outbox))
        s.approve(listOf("dee"), now)
        outbox.fail["apply_outreach"] = java.io.IOException("disk full")
        val e = assertFailsWith<CrmException.Host> { s.plan(now) }
        assertEquals("java.io.IOException", e.className)
        assertEquals("disk full", e.hostMessage)
        assertEquals("apply_outreach", e.method)
        outbox.fail.clear()
        assertEquals(emptyList(), s.history("dee"), "nothing half-written")
        // A conflict thrown by the host store is a conflict.
        outbox.fail["apply_outreach"] = CrmException.Conflict("stale version", "outbox", null)
        assertFailsWith<CrmException.Conflict> { s.plan(now) }
    }
}
