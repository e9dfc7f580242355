package io.orderflow.gateway.testkit.process;

import io.orderflow.infra.support.LocalPorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (the Debian package) in front of the application instances, as a load balancer or a Kubernetes Service
 * stands in front of them in production: round robin over the instances that answer their readiness check, checked
 * every second; a request whose connection is refused (an instance stopped or killed) is sent to another. The servers
 * are listed up front, each with its port: one not started yet is simply down until it answers.
 */
public final class LoadBalancer implements AutoCloseable {

    private final Process process;
    private final int port;

    private LoadBalancer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts HAProxy on a free loopback port with a server for each of {@code ports}; its configuration in dir. */
    public static LoadBalancer start(Path directory, List<Integer> ports) {
        String executable = List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy").stream()
                .filter(path -> Files.isExecutable(Path.of(path))).findFirst()
                .orElseThrow(() -> new IllegalStateException("HAProxy is not installed: apt-get install haproxy "
                        + "(scripts/test installs it)"));
        int port = LocalPorts.pickFree();
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 1024

                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    retries 3
                    option redispatch

                frontend orderflow
                    bind %s:%d
                    default_backend instances

                backend instances
                    balance roundrobin
                    option httpchk GET /actuator/health/readiness
                    http-check expect status 200
                    default-server inter 1s fall 2 rise 1
                """.formatted(LocalPorts.LOOPBACK, port));
        for (int i = 0; i < ports.size(); i++) {
            config.append("    server app-").append(i + 1).append(' ').append(LocalPorts.LOOPBACK).append(':')
                    .append(ports.get(i)).append(" check\n");
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("haproxy.cfg");
            Files.writeString(file, config);
            Process process = new ProcessBuilder(executable, "-db", "-f", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("haproxy.log").toFile()))
                    .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!LocalPorts.isListening(port, 200)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("HAProxy did not start; see " + directory.resolve("haproxy.log"));
                }
                Thread.sleep(100);
            }
            return new LoadBalancer(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The address clients use: {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://" + LocalPorts.LOOPBACK + ":" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
