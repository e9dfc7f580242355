package io.orderflow.gateway.testkit.judge;

/**
 * The size the failure scenarios run at: {@code ci} by default (the whole suite fits the build), {@code large} with
 * {@code -Dorderflow.scenario.size=large}, which the {@code scenarios} Maven profile sets.
 */
public final class ScenarioSize {

    private ScenarioSize() {
    }

    public static boolean large() {
        return "large".equals(name());
    }

    public static String name() {
        return System.getProperty("orderflow.scenario.size", "ci");
    }

    /** {@code ci} at the default size, {@code large} at the larger one. */
    public static int pick(int ci, int large) {
        return large() ? large : ci;
    }
}
