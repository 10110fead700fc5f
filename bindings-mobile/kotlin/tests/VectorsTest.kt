package dev.creatorcrm.test

import dev.creatorcrm.CrmException
import dev.creatorcrm.normalizeEmail
import dev.creatorcrm.normalizeHandle
import dev.creatorcrm.parsePhone
import dev.creatorcrm.repairText
import org.junit.Test
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.fail

/** The shared vectors `tests/vectors/identity.json`, also run by every other binding. */
class VectorsTest {
    @Suppress("UNCHECKED_CAST")
    private val vectors: Map<String, List<Map<String, Any?>>> by lazy {
        val path = System.getProperty("creatorcrm.vectors") ?: "tests/vectors"
        Json.parse(File(path, "identity.json").readText()) as Map<String, List<Map<String, Any?>>>
    }

    private fun <T> check(group: String, call: (Map<String, Any?>) -> T, compare: (Map<String, Any?>, T) -> Unit) {
        val cases = vectors[group] ?: fail("no '$group' vectors")
        for (case in cases) {
            val label = "$group ${case["input"]}"
            val expectedError = case["error"] as String?
            try {
                val out = call(case)
                if (expectedError != null) fail("$label: expected $expectedError, got a value")
                compare(case, out)
            } catch (e: CrmException) {
                if (expectedError == null) fail("$label: unexpected $e")
                assertEquals("invalid_input", expectedError, label)
                val invalid = e as? CrmException.InvalidInput ?: fail("$label: $e is not InvalidInput")
                assertEquals(case["field"], invalid.field, label)
            }
        }
    }

    @Test
    fun handles() = check("handle", { normalizeHandle(it["input"] as String) }) { case, out ->
        assertEquals(case["output"], out, "handle ${case["input"]}")
    }

    @Test
    fun emails() = check("email", { normalizeEmail(it["input"] as String) }) { case, out ->
        assertEquals(case["output"], out, "email ${case["input"]}")
    }

    @Test
    fun repairText() = check("repair_text", { repairText(it["input"] as String) }) { case, out ->
        assertEquals(case["output"], out, "repair_text ${case["input"]}")
    }

    @Test
    fun phones() = check("phone", { parsePhone(it["input"] as String, (it["region"] as String?) ?: "US") }) { case, phone ->
        @Suppress("UNCHECKED_CAST")
        val expected = case["output"] as Map<String, Any?>
        val label = "phone ${case["input"]}"
        val actual = mapOf(
            "kind" to phone.kind.name.lowercase(),
            "e164" to phone.e164,
            "country_code" to phone.countryCode?.toLong(),
            "extension" to phone.extension,
            "masked_prefix" to phone.maskedPrefix,
            "masked_suffix" to phone.maskedSuffix,
            "national_length" to phone.nationalLength?.toLong(),
        )
        for ((key, value) in expected) {
            assertEquals(value, actual[key], "$label: $key")
        }
    }
}
