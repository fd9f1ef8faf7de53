package dev.kindling.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Tomcat's answer to what it refuses before the application sees it — a request line with control characters or
 * bytes that are not allowed, a path with bad %-encoding — in the app's form instead of Tomcat's own page: a problem
 * document on API and public paths, a short page elsewhere. It replaces Tomcat's error report valve on the host.
 */
public class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String reason = status != null ? status.getReasonPhrase() : "Error";
        String detail = code < 500
                ? "The request is not valid HTTP or its address is not validly encoded"
                : "Something went wrong on our side; nothing was changed";
        String uri = request.getRequestURI();
        // a request line that could not be parsed has no path: answer it as a program would want
        boolean machine = uri == null || uri.isEmpty() || Problems.isMachinePath(uri);
        try {
            response.setContentType(machine ? Problems.MEDIA_TYPE : "text/html");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer == null) {
                return;
            }
            if (machine) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + reason + "\",\"status\":" + code
                        + ",\"detail\":\"" + detail + "\"}");
            } else {
                writer.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + code
                        + " · Kindling</title></head><body><h1>That did not work</h1><p>" + detail
                        + ".</p><p><a href=\"/\">Back to the home page</a></p></body></html>\n");
            }
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response was taken: nothing more to say
        }
    }

    /** Installs the valve on the embedded Tomcat's host. */
    @Component
    static class Installer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        }
    }
}
