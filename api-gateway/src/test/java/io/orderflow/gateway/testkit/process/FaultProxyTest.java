package io.orderflow.gateway.testkit.process;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault proxy in front of an echo server that counts what it received. */
class FaultProxyTest {

    private ServerSocket echo;
    private final AtomicInteger received = new AtomicInteger();
    private FaultProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread thread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread connection = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream();
                             OutputStream out = socket.getOutputStream()) {
                            int b;
                            while ((b = in.read()) >= 0) {
                                received.incrementAndGet();
                                out.write(b);
                                out.flush();
                            }
                        } catch (IOException closed) {
                            // the client left
                        }
                    });
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void givenNoFault_thenBytesPassBothWays() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void givenDroppedResponses_thenTheServerGetsTheRequestButTheClientHearsNothing() throws IOException {
        proxy.dropResponses(true);
        try (Socket client = connect()) {
            client.setSoTimeout(500);
            client.getOutputStream().write("charge".getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(received.get()).as("bytes the server received").isEqualTo(6);
        assertThat(proxy.droppedBytes()).isEqualTo(6);
    }

    @Test
    void givenLatency_thenTheRoundTripTakesAtLeastThatLong() throws IOException {
        proxy.latency(150);
        try (Socket client = connect()) {
            long started = System.nanoTime();
            assertThat(roundTrip(client, "x")).isEqualTo("x");
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void givenACut_thenOpenConnectionsCloseAndRefusedOnesNeverConnect() throws IOException {
        try (Socket client = connect()) {
            assertThat(roundTrip(client, "a")).isEqualTo("a");
            proxy.cutConnections();
            client.setSoTimeout(2000);
            assertThat(client.getInputStream().read()).as("end of stream after the cut").isEqualTo(-1);
        }
        proxy.refuseConnections(true);
        try (Socket refused = connect()) {
            refused.setSoTimeout(2000);
            assertThat(refused.getInputStream().read()).isEqualTo(-1);
        }
    }

    private Socket connect() throws IOException {
        return new Socket("127.0.0.1", proxy.port());
    }

    private static String roundTrip(Socket client, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        client.getOutputStream().write(bytes);
        client.getOutputStream().flush();
        client.setSoTimeout(5000);
        byte[] answer = client.getInputStream().readNBytes(bytes.length);
        return new String(answer, StandardCharsets.UTF_8);
    }
}
