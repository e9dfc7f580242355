package io.orderflow.infra.kafka;

import java.nio.file.Path;

/**
 * A JVM that owns a one-broker Kafka cluster, for tests that kill the owner: starts the cluster in the directory
 * given as argument, prints {@code broker-pid=<pid>} and waits to be killed.
 */
public final class KafkaOwnerProcess {

    private KafkaOwnerProcess() {
    }

    public static void main(String[] args) throws Exception {
        KafkaCluster cluster = new KafkaCluster(Path.of(args[0]), 1);
        cluster.start();
        System.out.println("broker-pid=" + cluster.pid(0));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
