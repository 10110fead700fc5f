package dev.creatorcrm.test

import dev.creatorcrm.ConformanceResult
import dev.creatorcrm.Crm
import dev.creatorcrm.CrmException
import dev.creatorcrm.CrmStore
import dev.creatorcrm.ExportFile
import dev.creatorcrm.SqliteStore
import dev.creatorcrm.StoreFactory
import dev.creatorcrm.runStoreConformance
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.time.Instant
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** SqliteStore: core's conformance suite on temp files, and data that outlives the object. */
class SqliteStoreTest {
    private val now: Instant = Instant.parse("2026-03-02T09:00:00Z")
    private val euka = "handle,email,phone,recipient\n" +
        "ana.b,ana@mailbox.org,+14155550101,Ana Bell\n" +
        "bo,bo@mailbox.org,,Bo Chan\n"

    private fun tempDir(): File = Files.createTempDirectory("crm-sqlite").toFile().apply { deleteOnExit() }

    private fun failures(results: List<ConformanceResult>) =
        results.filter { it.failure != null }.map { "${it.name}: ${it.failure}" }

    @Test
    fun sqliteStoreOnATempFilePassesTheConformanceSuite() {
        val dir = tempDir()
        var n = 0
        val results = runStoreConformance(object : StoreFactory {
            override fun makeStore(): CrmStore = SqliteStore(File(dir, "case-${n++}.db").path)
        })
        assertEquals(12, results.size)
        assertEquals(emptyList(), failures(results))
        assertEquals(results.size, n)
        assertTrue(File(dir, "case-0.db").length() > 0)
    }

    @Test
    fun aKotlinWrapperAroundSqliteStorePassesTheConformanceSuite() {
        val dir = tempDir()
        var n = 0
        val results = runStoreConformance(object : StoreFactory {
            override fun makeStore(): CrmStore = Wrapped(SqliteStore(File(dir, "w-${n++}.db").path))
        })
        assertEquals(emptyList(), failures(results))
    }

    @Test
    fun reopeningTheFileKeepsTheData() {
        val path = File(tempDir(), "crm.db").path
        val first = SqliteStore(path)
        assertEquals(path, first.path())
        val crm = Crm(first, "brand-a")
        crm.importExports(listOf(ExportFile("euka", euka.toByteArray(), null, null, null)), now)
        crm.editCreator("bo", mapOf("city" to "Austin"), now)
        first.close()

        val reopened = Crm(SqliteStore(path), "brand-a")
        val ana = assertNotNull(reopened.getCreator("ana.b"))
        assertEquals("+14155550101", ana.creator.phone)
        assertEquals("Austin", reopened.getCreator("bo")?.creator?.city)
        assertEquals(2uL, reopened.listCreators().total)
        assertEquals(listOf("edit_creator", "import"), reopened.activityLog().map { it.action })
        // Workspaces stay apart in the file too.
        assertNull(Crm(SqliteStore(path), "brand-b").getCreator("ana.b"))
        assertTrue(SqliteStore(path).schemaVersion() >= 1u)
    }

    @Test
    fun aFileThatIsNoDatabaseIsAStorageError() {
        val bad = File(tempDir(), "not-a-db.db").apply { writeText("hello, not sqlite at all ".repeat(100)) }
        assertFailsWith<CrmException.Storage> { SqliteStore(bad.path) }
        assertFailsWith<CrmException.Storage> { SqliteStore(File(tempDir(), "no/such/dir/x.db").path) }
    }
}
