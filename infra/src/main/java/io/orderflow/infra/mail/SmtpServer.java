package io.orderflow.infra.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.orderflow.infra.support.LocalPorts;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/**
 * A real SMTP server (GreenMail) on the loopback interface, for the default run and the tests: the application's
 * notifications really travel over SMTP, and what arrived can be read back. It keeps mail in memory only; the
 * application's own record of what it sent is its notification table.
 */
public final class SmtpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpServer.class);

    private final GreenMail greenMail;
    private final int port;

    private SmtpServer(GreenMail greenMail, int port) {
        this.greenMail = greenMail;
        this.port = port;
    }

    /** Starts a server on the port (0 for a free one) of 127.0.0.1 that accepts mail for any address. */
    public static SmtpServer start(int port) {
        int chosen = port == 0 ? LocalPorts.pickFree() : port;
        GreenMail greenMail = new GreenMail(new ServerSetup(chosen, LocalPorts.LOOPBACK, ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        LOG.info("SMTP server (GreenMail) listening on {}:{}", LocalPorts.LOOPBACK, chosen);
        return new SmtpServer(greenMail, chosen);
    }

    public int port() {
        return port;
    }

    /** Every message received since the start, oldest first. */
    public List<MimeMessage> received() {
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    /** The messages received whose header {@code name} has the value, e.g. the notification's event id. */
    public List<MimeMessage> receivedWithHeader(String name, String value) {
        return received().stream().filter(message -> {
            try {
                String[] values = message.getHeader(name);
                return values != null && Arrays.asList(values).contains(value);
            } catch (MessagingException e) {
                throw new IllegalStateException("unreadable message in the SMTP server", e);
            }
        }).toList();
    }

    public void stop() {
        greenMail.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
