package dev.creatorcrm.test

import org.junit.runner.JUnitCore
import kotlin.system.exitProcess

/**
 * Runs the JUnit 4 test classes named on the command line and ends the output
 * with `N passed, N failed`, the line CI reads.
 */
fun main(args: Array<String>) {
    val classes = args.map { Class.forName(it) }.toTypedArray()
    val core = JUnitCore()
    val result = core.run(*classes)
    for (failure in result.failures) {
        println("FAILED ${failure.testHeader}")
        println(failure.trace)
    }
    val failed = result.failureCount
    println("${result.runCount - failed} passed, $failed failed")
    exitProcess(if (result.wasSuccessful()) 0 else 1)
}
