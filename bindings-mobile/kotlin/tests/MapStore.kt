package dev.creatorcrm.test

import dev.creatorcrm.CrmException
import dev.creatorcrm.CrmStore
import dev.creatorcrm.storeListPage
import dev.creatorcrm.storeSearch
import java.util.TreeMap
import java.util.TreeSet

/**
 * A store written in Kotlin: every workspace in plain maps of parsed JSON rows. It keeps
 * the rows itself, checks versions and applies a change set all or nothing; list and
 * search pages go through the library's query helpers (`storeListPage`, `storeSearch`)
 * so the list semantics stay the library's.
 */
class MapStore : CrmStore {
    private class Workspace {
        val creators = TreeMap<String, Map<String, Any?>>()
        val samples = TreeMap<String, Any?>()
        val videos = TreeMap<String, Map<String, Any?>>()
        val videoProducts = TreeSet<String>()
        val snapshots = TreeMap<String, Map<String, Any?>>()
        val brandLinks = TreeSet<String>()
        val products = TreeMap<String, Any?>()
        val suppression = TreeSet<String>()
        val supporters = TreeMap<String, TreeMap<String, Any?>>()
        val cooldowns = TreeMap<String, Pair<Any?, Long>>()
        val activity = ArrayList<Map<String, Any?>>()
    }

    private val workspaces = HashMap<String, Workspace>()

    private fun ws(name: String): Workspace = workspaces.getOrPut(name) { Workspace() }

    @Suppress("UNCHECKED_CAST")
    private fun obj(v: Any?) = v as Map<String, Any?>

    @Suppress("UNCHECKED_CAST")
    private fun list(v: Any?) = (v as List<Any?>?) ?: emptyList()

    private fun key(vararg parts: Any?) = Json.write(parts.toList())

    private fun handleOf(row: Map<String, Any?>) = obj(row["creator"])["handle"] as String

    private fun emailsOf(row: Map<String, Any?>): List<String> =
        list(obj(row["evidence"])["values"]).map { obj(it) }
            .filter { it["field"] == "email" }.map { it["value"] as String }

    private fun links(w: Workspace, videoIds: Collection<String>): List<Map<String, Any?>> =
        w.videoProducts.map { Json.parse(it) as List<*> }
            .filter { it[0] in videoIds }
            .map { mapOf("video_id" to it[0], "product_id" to it[1]) }

    private fun records(
        samples: List<Any?> = emptyList(),
        videos: List<Map<String, Any?>> = emptyList(),
        videoProducts: List<Any?> = emptyList(),
        snapshots: List<Any?> = emptyList(),
        brandLinks: List<Any?> = emptyList(),
        products: List<Any?> = emptyList(),
    ) = Json.write(mapOf(
        "samples" to samples, "videos" to videos, "video_products" to videoProducts,
        "snapshots" to snapshots, "brand_links" to brandLinks, "products" to products,
    ))

    @Synchronized
    override fun creators(workspace: String, handlesJson: String): String {
        val w = ws(workspace)
        val handles = list(Json.parse(handlesJson)).map { it as String }.toSortedSet()
        return Json.write(handles.mapNotNull { w.creators[it] })
    }

    @Synchronized
    override fun creatorsWithEmails(workspace: String, emailsJson: String): String {
        val emails = list(Json.parse(emailsJson)).toSet()
        return Json.write(ws(workspace).creators.values.filter { row -> emailsOf(row).any { it in emails } })
    }

    @Synchronized
    override fun related(workspace: String, handlesJson: String): String {
        val w = ws(workspace)
        val mine = list(Json.parse(handlesJson)).toSet()
        val videos = w.videos.values.filter { it["handle"] in mine }
        return records(
            samples = w.samples.values.filter { obj(it)["handle"] in mine },
            videos = videos,
            videoProducts = links(w, videos.map { it["video_id"] as String }),
            snapshots = w.snapshots.values.filter { it["handle"] in mine },
            brandLinks = w.brandLinks.map { Json.parse(it) as List<*> }.filter { it[0] in mine }
                .map { mapOf("brand" to it[1], "handle" to it[0]) },
        )
    }

    @Synchronized
    override fun relatedByKeys(workspace: String, keysJson: String): String {
        val w = ws(workspace)
        val keys = obj(Json.parse(keysJson))
        val videos = list(keys["videos"]).mapNotNull { w.videos[it as String] }
        return records(
            samples = list(keys["samples"]).mapNotNull { w.samples[Json.write(it)] },
            videos = videos,
            videoProducts = links(w, videos.map { it["video_id"] as String }),
            products = list(keys["products"]).mapNotNull { w.products[it as String] },
        )
    }

    @Synchronized
    override fun listCreators(workspace: String, queryJson: String): String =
        storeListPage(Json.write(ws(workspace).creators.values.toList()), queryJson)

    @Synchronized
    override fun searchCreators(workspace: String, text: String, limit: ULong): String =
        storeSearch(Json.write(ws(workspace).creators.values.toList()), text, limit)

    @Synchronized
    override fun suppression(workspace: String): String = Json.write(ws(workspace).suppression.toList())

    @Synchronized
    override fun supporters(workspace: String, handle: String): String {
        val w = ws(workspace)
        val (state, version) = w.cooldowns[handle] ?: Pair(null, 0L)
        return Json.write(mapOf(
            "supporters" to (w.supporters[handle]?.values?.toList() ?: emptyList()),
            "cooldowns" to (state ?: emptyMap<String, Any?>()),
            "cooldowns_version" to version,
        ))
    }

    @Synchronized
    override fun activity(workspace: String, limit: ULong): String =
        Json.write(ws(workspace).activity.asReversed().take(limit.toInt()))

    private fun conflict(what: String): Nothing = throw CrmException.Conflict("stale version", what, null)

    /** Checks every expected version first (as the library's stores do), then applies. */
    @Synchronized
    override fun apply(workspace: String, changesJson: String) {
        val w = ws(workspace)
        val changes = list(obj(Json.parse(changesJson))["changes"]).map { obj(it) }
        val creatorVersions = HashMap<String, Long>()
        val cooldownVersions = HashMap<String, Long>()
        for (c in changes) {
            when (c["change"]) {
                "put_creator", "delete_creator" -> {
                    val h = if (c["change"] == "put_creator") handleOf(obj(c["creator"])) else c["handle"] as String
                    val held = creatorVersions.getOrPut(h) { (w.creators[h]?.get("version") as Long?) ?: 0L }
                    val expected = c["expected"] as Long
                    if (held != expected) conflict("creator")
                    if (c["change"] == "delete_creator") {
                        if (held == 0L) conflict("creator")
                        creatorVersions[h] = 0L
                        cooldownVersions[h] = 0L
                    } else {
                        creatorVersions[h] = expected + 1
                    }
                }
                "put_cooldowns" -> {
                    val h = c["creator"] as String
                    val held = cooldownVersions.getOrPut(h) { w.cooldowns[h]?.second ?: 0L }
                    val expected = c["expected"] as Long
                    if (held != expected) conflict("cooldowns")
                    cooldownVersions[h] = expected + 1
                }
            }
        }
        for (c in changes) change(w, c)
    }

    private fun removeRecordsOf(w: Workspace, handles: Set<Any?>) {
        w.samples.values.removeIf { obj(it)["handle"] in handles }
        val gone = w.videos.filterValues { it["handle"] in handles }.keys
        w.videos.keys.removeAll(gone)
        w.videoProducts.removeIf { (Json.parse(it) as List<*>)[0] in gone }
        w.snapshots.values.removeIf { it["handle"] in handles }
        w.brandLinks.removeIf { (Json.parse(it) as List<*>)[0] in handles }
    }

    private fun change(w: Workspace, c: Map<String, Any?>) {
        when (c["change"]) {
            "put_creator" -> {
                val row = obj(c["creator"]).toMutableMap()
                row["version"] = (c["expected"] as Long) + 1
                w.creators[handleOf(row)] = row
            }
            "delete_creator" -> {
                val h = c["handle"] as String
                w.creators.remove(h)
                removeRecordsOf(w, setOf(h))
                w.supporters.remove(h)
                w.cooldowns.remove(h)
            }
            "put_related" -> {
                removeRecordsOf(w, list(c["handles"]).toSet())
                val r = obj(c["records"])
                for (s in list(r["samples"]).map { obj(it) }) w.samples[key(s["order_id"], s["sku_id"])] = s
                for (v in list(r["videos"]).map { obj(it) }) w.videos[v["video_id"] as String] = v
                for (l in list(r["video_products"]).map { obj(it) }) w.videoProducts.add(key(l["video_id"], l["product_id"]))
                for (s in list(r["snapshots"]).map { obj(it) }) w.snapshots[key(s["handle"], s["date"], s["source"])] = s
                for (b in list(r["brand_links"]).map { obj(it) }) w.brandLinks.add(key(b["handle"], b["brand"]))
                for (p in list(r["products"]).map { obj(it) }) w.products[p["product_id"] as String] = p
            }
            "suppress" -> w.suppression.addAll(list(c["hashes"]).map { it as String })
            "put_supporters" -> {
                val mine = w.supporters.getOrPut(c["creator"] as String) { TreeMap() }
                for (s in list(c["supporters"]).map { obj(it) }) mine[s["id"] as String] = s
            }
            "delete_supporters" -> w.supporters[c["creator"] as String]?.keys?.removeAll(list(c["ids"]).toSet())
            "put_cooldowns" -> w.cooldowns[c["creator"] as String] = Pair(c["state"], (c["expected"] as Long) + 1)
            "log_activity" -> {
                val r = obj(c["record"]).toMutableMap()
                r["seq"] = w.activity.size.toLong() + 1
                w.activity.add(r)
            }
            "redact_activity" -> {
                val target = c["target"]
                for (i in w.activity.indices) {
                    if (w.activity[i]["target"] == target) w.activity[i] = w.activity[i] + ("target" to "")
                }
            }
            else -> throw CrmException.Storage("unknown change", "apply", null)
        }
    }
}
