package dev.kindling.capture.links;

import static dev.kindling.support.UiSession.created;
import static dev.kindling.support.UiSession.figure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.LuminanceSource;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@IntegrationTest
class LinkPagesIT {

    static final String ADMIN = "admin@kindling.local";

    @LocalServerPort
    int port;

    TestApi api;
    UiSession ui;
    String run;

    @BeforeEach
    void setUp() {
        api = new TestApi(port);
        ui = UiSession.signedIn(port, ADMIN, TestApi.ADMIN_PASSWORD);
        ui.open("/links");
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTrackedLinkShowsItsCopyableUrlAQrCodeOfItAndWhoClicked() throws Exception {
        long id = created(ui.postForm(
                "/links",
                "name=" + UiSession.encode("Pricing " + run)
                        + "&targetUrl=" + UiSession.encode("https://www.example.com/pricing")
                        + "&actionType=adjustScore&actionField=&actionValue=3&actionMessage="));
        String page = ui.open("/links/" + id).body();
        Matcher url =
                Pattern.compile("id=\"tracked-url\"[^>]*value=\"([^\"]+)\"").matcher(page);
        assertThat(url.find()).isTrue();
        String tracked = url.group(1);
        assertThat(tracked).startsWith(TestApi.PUBLIC_URL + "/l/");
        assertThat(api.get("/api/v1/links/" + id)
                        .json()
                        .get("completionActions")
                        .toString())
                .contains("adjustScore");

        var qr = ui.get("/links/" + id + "/qr.svg");
        assertThat(qr.contentType()).startsWith("image/svg+xml");
        assertThat(decode(qr.body())).isEqualTo(tracked);

        long prospect = api.post(
                        "/api/v1/prospects",
                        "{\"email\":\"click-" + run + "@links.example\"," + "\"firstName\":\"<b>bold</b>\"}")
                .json()
                .get("id")
                .asLong();
        String personal = api.get("/api/v1/links/" + id + "/url?prospectId=" + prospect)
                .json()
                .get("url")
                .asString();
        var click = api.send(api.request(personal.substring(TestApi.PUBLIC_URL.length()))
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")
                .GET()
                .build());
        assertThat(click.status()).isEqualTo(302);

        String after = ui.open("/links/" + id).body();
        assertThat(figure(after, "fig-clicks")).isEqualTo("1");
        assertThat(figure(after, "fig-prospects")).isEqualTo("1");
        assertThat(after).contains("click-" + run + "@links.example").doesNotContain("<b>bold</b>");
    }

    @Test
    void anUploadedFileIsServedAsADownloadBehindItsTrackedLink() {
        String boundary = "----kindling" + run;
        String body =
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nBrochure " + run + "\r\n"
                        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"campaignId\"\r\n\r\n\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"<b>brochure</b>.html\"\r\n"
                        + "Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n"
                        + "--" + boundary + "--\r\n";
        var uploaded = ui.postMultipart("/links/upload", boundary, body.getBytes(StandardCharsets.UTF_8));
        long id = created(uploaded);

        var link = api.get("/api/v1/links/" + id).json();
        assertThat(link.get("kind").asString()).isEqualTo("FILE");
        String target = link.get("targetUrl").asString();
        assertThat(target).startsWith(TestApi.PUBLIC_URL + "/l/files/").endsWith("-b-brochure-b-.html");
        var file =
                api.send(HttpRequest.newBuilder(URI.create(api.base() + target.substring(TestApi.PUBLIC_URL.length())))
                        .GET()
                        .build());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("<script>alert(1)</script>");
        assertThat(file.raw().headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
        assertThat(file.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(api.get(target.substring(TestApi.PUBLIC_URL.length()).replace("/l/files/", "/l/files/0"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void invalidLinksAreRefusedNextToTheirFieldsAndSalesMayNotWrite() {
        var refused = ui.postForm("/links", "name=&targetUrl=" + UiSession.encode("javascript:alert(1)"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body())
                .containsPattern("id=\"name-error\"[^>]*>is required")
                .containsPattern("id=\"targetUrl-error\"[^>]*>must be an absolute http or https URL");

        var user = api.user("SALES", "sales-password-123456");
        UiSession sales = UiSession.signedIn(port, user.email(), "sales-password-123456");
        assertThat(sales.open("/links").status()).isEqualTo(200);
        assertThat(sales.postForm("/links", "name=x&targetUrl=" + UiSession.encode("https://www.example.com"))
                        .status())
                .isEqualTo(403);
    }

    static String decode(String svg) throws Exception {
        Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(box.find()).isTrue();
        int w = Integer.parseInt(box.group(1));
        int h = Integer.parseInt(box.group(2));
        int scale = 4;
        int[] pixels = new int[w * h * scale * scale];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher square = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(svg);
        while (square.find()) {
            int x = Integer.parseInt(square.group(1));
            int y = Integer.parseInt(square.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * w * scale + x * scale + dx] = 0xFF000000;
                }
            }
        }
        LuminanceSource source = new RGBLuminanceSource(w * scale, h * scale, pixels);
        // a generated, upright, unskewed code: read as one (without the hint, the finder-pattern search missed some
        // codes, depending on the tracked URL's random part)
        return new QRCodeReader()
                .decode(
                        new BinaryBitmap(new HybridBinarizer(source)),
                        java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                .getText();
    }
}
