package dev.creatorcrm.bench

import dev.creatorcrm.Crm
import dev.creatorcrm.CrmStore
import dev.creatorcrm.ExportFile
import dev.creatorcrm.MemoryStore
import java.time.Instant

/** A Kotlin store forwarding every call to a `MemoryStore`: only the crossing is added. */
class Forwarding(private val inner: MemoryStore) : CrmStore by inner

private fun perCall(n: Int, body: () -> Unit): Double {
    repeat(n / 10) { body() } // warm-up (JIT, caches)
    val start = System.nanoTime()
    repeat(n) { body() }
    return (System.nanoTime() - start) / 1000.0 / n
}

/**
 * The cost of one host-store call from Kotlin: `Crm.getCreator` makes exactly one store
 * call (`creators`), so N calls over a Kotlin store minus N calls over `MemoryStore`
 * (which stays in Rust) is N crossings into Kotlin and back. Usage: `StoreBenchKt [N]`.
 */
fun main(args: Array<String>) {
    val n = args.firstOrNull()?.toInt() ?: 100_000
    val now = Instant.parse("2026-03-02T09:00:00Z")
    val euka = "handle,email,phone,recipient\n@ana.b,ana@mailbox.org,,Ana Bell\nbo,bo@mailbox.org,,Bo Chan\n"
    val memory = MemoryStore()
    // Called in Rust; `Crm(memory)` would call the store through its Kotlin object.
    val native = Crm.withMemoryStore(memory)
    native.importExports(listOf(ExportFile("euka", euka.toByteArray(), null, null, null)), now)
    val hosted = Crm(Forwarding(memory))
    check(native.getCreator("bo") == hosted.getCreator("bo"))

    val direct = perCall(n) { memory.creators("default", "[\"bo\"]") }
    val viaMemory = perCall(n) { native.getCreator("bo") }
    val viaKotlin = perCall(n) { hosted.getCreator("bo") }
    println("calls per case: $n")
    println("Kotlin -> MemoryStore.creators (one Rust call):      %.2f us".format(direct))
    println("Crm.getCreator over MemoryStore:                      %.2f us".format(viaMemory))
    println("Crm.getCreator over a Kotlin store (forwarding):      %.2f us".format(viaKotlin))
    println("one host-store call (difference):                     %.2f us".format(viaKotlin - viaMemory))
}
