package dev.creatorcrm.test

import dev.creatorcrm.Actor
import dev.creatorcrm.Alert
import dev.creatorcrm.AlertDetail
import dev.creatorcrm.AlertKind
import dev.creatorcrm.AlertPriority
import dev.creatorcrm.ConformanceResult
import dev.creatorcrm.CreatorWhere
import dev.creatorcrm.Crm
import dev.creatorcrm.CrmException
import dev.creatorcrm.CrmStore
import dev.creatorcrm.ExportFile
import dev.creatorcrm.MemoryStore
import dev.creatorcrm.ProfileChanges
import dev.creatorcrm.Role
import dev.creatorcrm.ShopBadge
import dev.creatorcrm.SqliteStore
import dev.creatorcrm.StoreFactory
import dev.creatorcrm.Supporter
import dev.creatorcrm.runStoreConformance
import org.junit.Test
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * A store written in Kotlin wrapping another one (a `MemoryStore` by default): every
 * call is logged, any method can be made to throw, and `apply` can be made to report
 * conflicts.
 */
class Wrapped(private val inner: CrmStore = MemoryStore()) : CrmStore {
    val calls = mutableListOf<String>()
    val fail = mutableMapOf<String, Exception>()
    var conflictsLeft = 0

    private fun <T> call(name: String, body: () -> T): T {
        synchronized(calls) { calls.add(name) }
        fail[name]?.let { throw it }
        return body()
    }

    override fun creators(workspace: String, handlesJson: String) =
        call("creators") { inner.creators(workspace, handlesJson) }

    override fun creatorsWithEmails(workspace: String, emailsJson: String) =
        call("creators_with_emails") { inner.creatorsWithEmails(workspace, emailsJson) }

    override fun related(workspace: String, handlesJson: String) =
        call("related") { inner.related(workspace, handlesJson) }

    override fun relatedByKeys(workspace: String, keysJson: String) =
        call("related_by_keys") { inner.relatedByKeys(workspace, keysJson) }

    override fun listCreators(workspace: String, queryJson: String) =
        call("list_creators") { inner.listCreators(workspace, queryJson) }

    override fun searchCreators(workspace: String, text: String, limit: ULong) =
        call("search_creators") { inner.searchCreators(workspace, text, limit) }

    override fun suppression(workspace: String) = call("suppression") { inner.suppression(workspace) }

    override fun supporters(workspace: String, handle: String) =
        call("supporters") { inner.supporters(workspace, handle) }

    override fun activity(workspace: String, limit: ULong) =
        call("activity") { inner.activity(workspace, limit) }

    override fun apply(workspace: String, changesJson: String) = call("apply") {
        if (conflictsLeft > 0) {
            conflictsLeft--
            throw CrmException.Conflict("stale version", "creator", null)
        }
        inner.apply(workspace, changesJson)
    }
}

/** Crm over stores: MemoryStore and stores written in Kotlin, each passing core's suite. */
class StoreTest {
    private val now: Instant = Instant.parse("2026-03-02T09:00:00Z")

    private val euka = "handle,email,phone,recipient\n" +
        "@ana.b,ana@mailbox.org,(+1)832*****59,Ana Bell\n" +
        "bo,bo@mailbox.org,,Bo Chan\n" +
        "cy,cy@mailbox.org,4155550124,Cy Dale\n"
    private val phones = "handle,phone\nana.b,(+1)8325550159\n"
    private val metrics = "handle,followers,gmv\nana.b,12000,\$1500\nbo,900,10\ncy,45000,\$20000.50\n"

    private fun csv(kind: String, text: String) = ExportFile(kind, text.toByteArray(), null, null, null)

    private fun imported(store: CrmStore = MemoryStore(), workspace: String = "default"): Crm {
        val crm = Crm(store, workspace)
        crm.importExports(listOf(csv("euka", euka), csv("phone_numbers", phones)), now)
        return crm
    }

    private fun failures(results: List<ConformanceResult>) =
        results.filter { it.failure != null }.map { "${it.name}: ${it.failure}" }

    private fun factory(make: () -> CrmStore) = object : StoreFactory {
        override fun makeStore(): CrmStore = make()
    }

    private fun handles(items: List<dev.creatorcrm.StoredCreator>) = items.map { it.creator.tiktokUsername }

    @Test
    fun builtInStoresGivenAsSuchAnswerAsThroughAKotlinObject() {
        // `Crm.withMemoryStore` calls the store in Rust; `Crm(store)` through the Kotlin
        // object, here one logging every call: the answers are the same.
        val memory = MemoryStore()
        val direct = Crm.withMemoryStore(memory)
        direct.importExports(listOf(csv("euka", euka), csv("phone_numbers", phones)), now)
        val logged = Wrapped(memory)
        val throughKotlin = Crm(logged)
        val ana = direct.getCreator("ana.b")
        assertNotNull(ana)
        assertEquals(ana, throughKotlin.getCreator("ana.b"))
        assertEquals(listOf("creators"), logged.calls)
        assertEquals(
            handles(direct.listCreators(orderBy = "-follower_count", limit = 10u).items),
            handles(throughKotlin.listCreators(orderBy = "-follower_count", limit = 10u).items),
        )

        val sqlite = Crm.withSqliteStore(SqliteStore(":memory:"), "brand-a")
        sqlite.importExports(listOf(csv("euka", euka), csv("phone_numbers", phones)), now)
        assertEquals("brand-a", sqlite.workspace())
        assertEquals(ana.creator, sqlite.getCreator("ana.b")?.creator)
        val viewer = Crm.withMemoryStore(memory, actor = Actor.Staff("v-1", Role.VIEWER))
        assertFailsWith<CrmException.Forbidden> { viewer.eraseCreator("bo", now) }
    }

    @Test
    fun memoryStorePassesTheConformanceSuite() {
        val results = runStoreConformance(factory { MemoryStore() })
        assertEquals(12, results.size)
        assertEquals(emptyList(), failures(results))
    }

    @Test
    fun aKotlinMapStorePassesTheConformanceSuite() {
        assertEquals(emptyList(), failures(runStoreConformance(factory { MapStore() })))
    }

    @Test
    fun aKotlinWrapperAroundMemoryStorePassesTheConformanceSuite() {
        val stores = mutableListOf<Wrapped>()
        val results = runStoreConformance(factory { Wrapped().also { stores.add(it) } })
        assertEquals(emptyList(), failures(results))
        assertEquals(results.size, stores.size)
        // Every case went through the Kotlin object, and wrote with batched calls.
        assertTrue(stores.all { "apply" in it.calls })
    }

    @Test
    fun importGetListAndSearch() {
        for (store in listOf<CrmStore>(MemoryStore(), MapStore())) {
            val c = Crm(store, "brand-a")
            val outcome = c.importExports(
                listOf(csv("euka", euka), csv("phone_numbers", phones), csv("refunnel", metrics)), now,
            )
            assertEquals(7uL, outcome.report.rowsRead)
            assertEquals(0uL, outcome.report.rowsRejected)
            assertEquals(3uL, outcome.created)
            val ana = assertNotNull(c.getCreator("@Ana.B"))
            assertEquals("ana.b", ana.creator.tiktokUsername)
            assertEquals("+18325550159", ana.creator.phone)
            assertTrue(ana.creator.phoneVerified && ana.creator.phoneMaskConfirmed)
            assertEquals("1500", ana.creator.totalGmv)
            assertEquals("pending", ana.profile.outreachStatus)
            assertEquals(1uL, ana.version)
            assertEquals("StoredCreator(ana.b, version 1, <redacted>)", ana.toString())
            assertNull(c.getCreator("nobody"))

            val page = c.listCreators(orderBy = "-follower_count", limit = 2u)
            assertEquals(listOf("cy", "ana.b"), handles(page.items))
            assertEquals(3uL, page.total)
            val cursor = assertNotNull(page.nextCursor)
            val rest = c.listCreators(orderBy = "-follower_count", limit = 2u, cursor = cursor)
            assertEquals(listOf("bo"), handles(rest.items))
            assertNull(rest.nextCursor)
            val withPhone = c.listCreators(filter = CreatorWhere(hasPhone = true))
            assertEquals(listOf("ana.b", "cy"), handles(withPhone.items))
            assertEquals(listOf("cy"), handles(c.searchCreators("DALE")))

            val stale = assertFailsWith<CrmException.InvalidInput> {
                c.listCreators(orderBy = "-follower_count", cursor = cursor.replace("desc", "asc"))
            }
            assertEquals("cursor", stale.field)
            val sort = assertFailsWith<CrmException.InvalidInput> { c.listCreators(orderBy = "email") }
            assertEquals("order_by", sort.field)
        }
    }

    @Test
    fun manualEditsSurviveReimportAndErasureIsFinal() {
        val c = imported(MapStore())
        val bo = assertNotNull(c.editCreator("bo", mapOf("email" to "bo.chan@workmail.co"), now))
        assertEquals("bo.chan@workmail.co", bo.creator.email)
        assertEquals("manual", bo.creator.emailSource)
        c.importExports(listOf(csv("euka", euka)), now)
        assertEquals("bo.chan@workmail.co", c.getCreator("bo")?.creator?.email)

        assertEquals(1uL, c.eraseCreator("ana.b", now))
        c.importExports(listOf(csv("euka", euka), csv("phone_numbers", phones)), now)
        assertNull(c.getCreator("ana.b"))
        assertEquals(emptyList(), c.searchCreators("ana"))
        val log = c.activityLog()
        assertEquals(listOf("import", "erase_creator", "import"), log.take(3).map { it.action })
        assertTrue(log.all { !it.target.contains("ana") && !it.detail.contains("@") })
        assertEquals(log.map { it.seq }.sortedDescending(), log.map { it.seq })
        assertEquals("local", log[0].actor)
    }

    @Test
    fun profilesAndWorkspaces() {
        val store = MapStore()
        val a = imported(store, "brand-a")
        val profile = a.updateProfile(
            "cy", ProfileChanges(addTags = listOf("vip"), whitelisted = true, badge = ShopBadge.GOLD), now,
        )
        assertEquals(listOf("vip"), profile.tags)
        assertEquals(ShopBadge.GOLD, profile.badge)
        assertTrue(profile.whitelisted)
        assertEquals(listOf("cy"), handles(a.listCreators(filter = CreatorWhere(tags = listOf("vip"))).items))
        assertNull(a.updateProfile("cy", ProfileChanges(clearBadge = true), now).badge)
        val bad = assertFailsWith<CrmException.InvalidInput> {
            a.updateProfile("cy", ProfileChanges(outreachStatus = "maybe"), now)
        }
        assertEquals("outreach_status", bad.field)
        val b = Crm(store, "brand-b")
        assertNull(b.getCreator("cy"))
        assertEquals(0uL, b.listCreators().total)
        assertEquals(emptyList(), b.searchCreators("cy"))
        assertEquals(3uL, a.listCreators().total)
    }

    @Test
    fun rolesAreEnforced() {
        val store = MemoryStore()
        imported(store)
        val viewer = Crm(store, actor = Actor.Staff("v-1", Role.VIEWER))
        val member = Crm(store, actor = Actor.Staff("m-1", Role.MEMBER))
        val creator = Crm(store, actor = Actor.Creator("c-1", "ana.b"))
        assertEquals("bo", viewer.getCreator("bo")?.creator?.tiktokUsername)
        val e = assertFailsWith<CrmException.Forbidden> { viewer.editCreator("bo", mapOf("first_name" to "B"), now) }
        assertEquals("not allowed for this actor", e.reason)
        assertFailsWith<CrmException.Forbidden> { member.eraseCreator("bo", now) }
        assertFailsWith<CrmException.Forbidden> { member.importExports(listOf(csv("euka", euka)), now) }
        assertFailsWith<CrmException.Forbidden> { member.activityLog() }
        assertFailsWith<CrmException.Forbidden> { creator.listCreators() }
        val key = "0123456789abcdef".toByteArray()
        assertEquals(emptyList(), creator.supporterViews("ana.b", key))
        assertFailsWith<CrmException.Forbidden> { creator.supporterViews("bo", key) }
        // The member's edit went through; nothing the others tried was written.
        member.editCreator("bo", mapOf("first_name" to "Bob"), now)
        assertEquals("Bob", viewer.getCreator("bo")?.creator?.firstName)
        assertEquals(listOf("edit_creator", "import"), Crm(store).activityLog().map { it.action })
    }

    @Test
    fun supportersAndAlertsKeepTheirStateInTheStore() {
        val store = MapStore()
        val staff = imported(store)
        val fan = Supporter("s-1", now.minusSeconds(86_400L * 40), "America/Chicago", displayName = "Sunny")
        staff.putSupporters("ana.b", listOf(fan), now)
        assertEquals(listOf(fan), staff.supporters("ana.b"))
        assertEquals(emptyList(), staff.supporters("bo"))

        val creator = Crm(store, actor = Actor.Creator("c-1", "ana.b"))
        val views = creator.supporterViews("ana.b", "0123456789abcdef".toByteArray())
        assertEquals(1, views.size)
        assertTrue(views[0].id.startsWith("sp_"), views[0].id)
        assertEquals("Sunny", views[0].displayName)

        val alert = Alert("s-1", AlertKind.VIP_ONLINE, AlertPriority.URGENT, now, null, AlertDetail.None)
        val first = creator.deliverAlerts("ana.b", listOf(alert), now = now)
        assertEquals(listOf(alert), first.delivered)
        // The cooldown (an hour by default) was kept in the store: a second delivery a
        // minute later is held back, through another facade over the same store.
        val again = staff.deliverAlerts("ana.b", listOf(alert.copy(createdAt = now.plusSeconds(60))), now = now.plusSeconds(60))
        assertEquals(emptyList(), again.delivered)
        assertEquals(1, again.suppressed.size)
        assertFailsWith<CrmException.Forbidden> { creator.deliverAlerts("bo", listOf(alert), now = now) }

        staff.deleteSupporters("ana.b", listOf("s-1"), now)
        assertEquals(emptyList(), staff.supporters("ana.b"))
    }

    @Test
    fun aHostExceptionReachesTheCallerWithItsClassAndMessageAndNothingIsWritten() {
        val store = Wrapped(MapStore())
        val c = imported(store)
        val before = c.getCreator("bo")
        store.fail["apply"] = java.io.IOException("disk full")
        val err = assertFailsWith<CrmException.Host> { c.editCreator("bo", mapOf("first_name" to "Bob"), now) }
        assertEquals("java.io.IOException", err.className)
        assertEquals("disk full", err.hostMessage)
        assertEquals("apply", err.method)
        store.fail.remove("apply")
        assertEquals(before, c.getCreator("bo"))
        assertEquals(listOf("import"), c.activityLog().map { it.action })

        // A read failing too, with an exception without a message.
        store.fail["creators"] = NoSuchElementException()
        val read = assertFailsWith<CrmException.Host> { c.getCreator("bo") }
        assertEquals("java.util.NoSuchElementException", read.className)
        assertNull(read.hostMessage)
        assertEquals("creators", read.method)

        // A CrmException thrown by the host comes back as thrown.
        store.fail["creators"] = CrmException.Storage("offline", "replica", null)
        val typed = assertFailsWith<CrmException.Storage> { c.getCreator("bo") }
        assertEquals("offline", typed.reason)
        assertEquals("replica", typed.field)
    }

    @Test
    fun aConflictThrownByTheHostMakesTheFacadeRetry() {
        val store = Wrapped()
        val c = imported(store)
        store.calls.clear()
        store.conflictsLeft = 2
        val bo = c.editCreator("bo", mapOf("first_name" to "Bob"), now)
        assertEquals("Bob", bo?.creator?.firstName)
        assertEquals(3, store.calls.count { it == "apply" })
        assertEquals(2uL, bo?.version)

        store.calls.clear()
        store.conflictsLeft = 100
        val lost = assertFailsWith<CrmException.Conflict> { c.editCreator("bo", mapOf("first_name" to "Bo"), now) }
        assertEquals("creator", lost.field)
        assertEquals(8, store.calls.count { it == "apply" })
        store.conflictsLeft = 0
        assertEquals("Bob", c.getCreator("bo")?.creator?.firstName)
    }

    @Test
    fun memoryStoreMethodsSpeakTheJsonProtocol() {
        val store = MemoryStore()
        imported(store)
        val row = (Json.parse(store.creators("default", "[\"bo\"]")) as List<*>)[0] as Map<*, *>
        assertEquals(1L, row["version"])
        assertEquals("[]", store.creators("other", "[\"bo\"]"))
        val stale = Json.write(mapOf("changes" to listOf(
            mapOf("change" to "put_creator", "creator" to row, "expected" to 6L),
        )))
        val e = assertFailsWith<CrmException.Conflict> { store.apply("default", stale) }
        assertEquals("stale version", e.reason)
        assertEquals("creator", e.field)
        store.apply("default", stale.replace("\"expected\":6", "\"expected\":1"))
        val after = (Json.parse(store.creators("default", "[\"bo\"]")) as List<*>)[0] as Map<*, *>
        assertEquals(2L, after["version"])
        val bad = assertFailsWith<CrmException.InvalidInput> { store.apply("default", "{not json") }
        assertEquals("changes", bad.field)
    }

    @Test
    fun malformedHostResultsAreStorageErrorsNamingTheMethod() {
        val bad = object : CrmStore by Wrapped() {
            override fun creators(workspace: String, handlesJson: String) = "[{\"creator\": \"ana@mailbox.org\"}]"
        }
        val e = assertFailsWith<CrmException.Storage> { Crm(bad).getCreator("ana.b") }
        assertEquals("creators", e.field)
        assertEquals("malformed store result", e.reason)
        assertFalse(e.message!!.contains("ana@"))
    }
}
