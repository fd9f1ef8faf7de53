package dev.kindling.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * The SMTP server mail goes out through, if any: Spring Boot's sender when {@code spring.mail.host} is set, else one
 * built from {@code kindling.mail.smtp.*} ({@code KINDLING_SMTP_HOST}, {@code _PORT}, {@code _USERNAME},
 * {@code _PASSWORD}, {@code _TLS} = none | starttls | ssl). With neither, {@link #configured()} is false and mail stays
 * in the local outbox. Connections time out (so a dead server cannot hold the worker).
 */
@Component
class SmtpTransport {

    /** Why one message of a batch was not sent; {@code permanent} means retrying cannot help. */
    record Failure(String error, boolean permanent) {}

    private final JavaMailSenderImpl sender;
    private final String from;

    SmtpTransport(
            ObjectProvider<JavaMailSenderImpl> boot,
            @Value("${kindling.mail.smtp.host:}") String host,
            @Value("${kindling.mail.smtp.port:587}") int port,
            @Value("${kindling.mail.smtp.username:}") String username,
            @Value("${kindling.mail.smtp.password:}") String password,
            @Value("${kindling.mail.smtp.tls:starttls}") String tls,
            @Value("${kindling.mail.from:kindling@localhost}") String from) {
        JavaMailSenderImpl configured = boot.getIfAvailable();
        if (configured == null && !host.isBlank()) {
            configured = new JavaMailSenderImpl();
            configured.setHost(host.strip());
            configured.setPort(port);
            configured.setDefaultEncoding("UTF-8");
            if (!username.isBlank()) {
                configured.setUsername(username);
                configured.setPassword(password);
            }
            Properties p = configured.getJavaMailProperties();
            switch (tls.strip().toLowerCase(Locale.ROOT)) {
                case "none", "false", "" -> {}
                case "ssl", "smtps" -> p.put("mail.smtp.ssl.enable", "true");
                case "starttls", "true" -> {
                    p.put("mail.smtp.starttls.enable", "true");
                    p.put("mail.smtp.starttls.required", "true");
                }
                default ->
                    throw new IllegalArgumentException("KINDLING_SMTP_TLS must be none, starttls or ssl, not " + tls);
            }
            if (!username.isBlank()) {
                p.put("mail.smtp.auth", "true");
            }
        }
        if (configured != null) {
            Properties p = configured.getJavaMailProperties();
            p.putIfAbsent("mail.smtp.connectiontimeout", "20000");
            p.putIfAbsent("mail.smtp.timeout", "30000");
            p.putIfAbsent("mail.smtp.writetimeout", "30000");
        }
        this.sender = configured;
        this.from = from;
    }

    boolean configured() {
        return sender != null;
    }

    /** The domain message ids are made in: the sender's. */
    String idDomain() {
        int at = from.lastIndexOf('@');
        String domain = at < 0 ? "" : from.substring(at + 1).replaceAll("[^A-Za-z0-9.-]", "");
        return domain.isEmpty() ? "kindling.local" : domain;
    }

    /**
     * Sends these mails over one connection, each with its given Message-ID; returns the failures by outbox id
     * (absent = sent).
     */
    Map<Long, Failure> send(List<MailDelivery.Claimed> mails) {
        Map<Long, Failure> failures = new LinkedHashMap<>();
        List<MimeMessage> messages = new ArrayList<>();
        Map<MimeMessage, Long> ids = new LinkedHashMap<>();
        for (MailDelivery.Claimed m : mails) {
            try {
                MimeMessage message = message(m);
                messages.add(message);
                ids.put(message, m.id());
            } catch (AddressException e) {
                failures.put(m.id(), new Failure("Invalid address: " + e.getMessage(), true));
            } catch (MessagingException | UnsupportedEncodingException | IllegalArgumentException e) {
                failures.put(m.id(), new Failure("Cannot build the message: " + e.getMessage(), true));
            }
        }
        if (messages.isEmpty()) {
            return failures;
        }
        try {
            sender.send(messages.toArray(MimeMessage[]::new));
        } catch (MailSendException e) {
            Map<Object, Exception> failed = e.getFailedMessages();
            if (failed.isEmpty()) {
                ids.values().forEach(id -> failures.put(id, new Failure(describe(e), false)));
            }
            failed.forEach((message, ex) -> {
                Long id = ids.get(message);
                if (id != null) {
                    failures.put(id, new Failure(describe(ex), false));
                }
            });
        } catch (MailException e) {
            ids.values().forEach(id -> failures.put(id, new Failure(describe(e), false)));
        }
        return failures;
    }

    private MimeMessage message(MailDelivery.Claimed m) throws MessagingException, UnsupportedEncodingException {
        MimeMessage message = sender.createMimeMessage();
        boolean html = m.html() != null;
        MimeMessageHelper helper = new MimeMessageHelper(message, html, "UTF-8");
        helper.setFrom(new InternetAddress(from, true));
        InternetAddress to = new InternetAddress(m.to(), true);
        to.validate();
        helper.setTo(to);
        helper.setSubject(m.subject());
        if (html) {
            helper.setText(m.text(), m.html());
        } else {
            helper.setText(m.text(), false);
        }
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            message.setHeader(
                    h.getKey(),
                    MimeUtility.fold(h.getKey().length() + 2, MimeUtility.encodeText(h.getValue(), "UTF-8", null)));
        }
        // a stable id: a retry of the same row carries the same Message-ID, so a receiver can tell it is one mail
        message.setHeader("Message-ID", m.messageId());
        return message;
    }

    private static String describe(Throwable e) {
        String s = e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            s += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return s.length() > 500 ? s.substring(0, 500) : s;
    }
}
