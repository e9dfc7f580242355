package io.orderflow.infra.mail;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded SMTP server takes real SMTP on the loopback interface, and finds messages by header. */
class SmtpServerIT {

    @Test
    void givenTwoMailsSentOverSmtp_thenBothAreReceivedAndFoundByTheirHeader() throws Exception {
        try (SmtpServer server = SmtpServer.start(0)) {
            Properties properties = new Properties();
            properties.put("mail.smtp.host", "127.0.0.1");
            properties.put("mail.smtp.port", Integer.toString(server.port()));
            Session session = Session.getInstance(properties);
            for (String event : new String[] {"event-1", "event-2"}) {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress("orders@orderflow.local"));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress("ada@example.com"));
                message.setSubject("Your order was accepted");
                message.setText("hello");
                message.setHeader("X-Orderflow-Event-Id", event);
                Transport.send(message);
            }

            assertThat(server.received()).hasSize(2);
            assertThat(server.receivedWithHeader("X-Orderflow-Event-Id", "event-2")).singleElement()
                    .satisfies(message -> assertThat(message.getSubject()).isEqualTo("Your order was accepted"));
            assertThat(server.receivedWithHeader("X-Orderflow-Event-Id", "event-3")).isEmpty();
        }
    }
}
