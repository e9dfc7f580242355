package io.orderflow.gateway.benchmark;

import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.springframework.context.annotation.Import;

/**
 * What every benchmark runs on: the system tests' application with the benchmark's unchecked caller. One class for
 * all, so that the benchmarks share one application context; a second context in the same JVM would run processors
 * of its own on the same database beside the first one's, and the figures would measure both.
 */
@Import(UncheckedCaller.class)
abstract class BenchmarkContext extends EmbeddedSystemTest {
}
