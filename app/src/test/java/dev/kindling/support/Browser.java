package dev.kindling.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.SessionNotCreatedException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for UI tests, driven by Debian's {@code chromium-headless-shell} (or, where that package is not
 * installed, its {@code chromium} in headless mode) and {@code chromedriver} (set explicitly, so Selenium never tries to
 * download a browser). Register it as an extension:
 * a class takes one of the run's browsers, as many as test classes run at the same time (see docs/testing.md), each
 * started on first use (starting Chromium is slow) and kept for the whole run, cookies cleared before each
 * test, left on a blank page with one window after each class, and a screenshot in {@code target/screenshots/} of
 * every failing test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static Browser browser = new Browser();
 * ...
 * browser.at(port).signedIn("admin@kindling.local", TestApi.ADMIN_PASSWORD).open("/prospects");
 * }</pre>
 *
 * <p>{@link #signIn} goes through the sign-in page; {@link #signedIn} reuses the session an earlier sign-in of the same
 * user on the same app made in this browser (see docs/testing.md), for tests about a page rather than the sign-in.
 */
public final class Browser implements BeforeEachCallback, AfterTestExecutionCallback, AfterAllCallback {

    /**
     * Debian's headless shell (package {@code chromium-headless-shell}): the same engine and version as its
     * {@code chromium}, without the desktop browser around it — about a third less CPU for the same pages
     * (docs/testing.md). Started by a launcher that {@code exec}s it ({@link #SHELL_LAUNCHER}), not by Debian's wrapper
     * script, which does not (so a browser chromedriver gives up on would be left running).
     */
    public static final String HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";

    /**
     * The headless shell opens no page unless given one, and chromedriver passes every argument as a switch (it makes
     * {@code about:blank} {@code --about:blank}), so it would find no page to drive ("unable to discover open pages"):
     * chromedriver starts this script instead, which {@code exec}s the shell with a blank page.
     */
    private static final String SHELL_LAUNCHER = "#!/bin/sh\nexec " + HEADLESS_SHELL + " \"$@\" about:blank\n";

    /** The desktop browser, in headless mode: where the headless shell is not installed. */
    public static final String CHROMIUM = "/usr/bin/chromium";

    /** Starts a browser that did not start (no page within chromedriver's minute, or none at all) again, this often. */
    private static final int STARTS = 3;

    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** A desktop Chrome user agent: the capture code treats "HeadlessChrome" as a bot. */
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * How often a wait looks again: a page replaced or an htmx swap is usually done within milliseconds, so
     * WebDriverWait's default of 500 ms would be most of a UI test's time.
     */
    private static final Duration POLL = Duration.ofMillis(20);

    /** As many browsers as test classes run at the same time ({@code it.parallelism} in app/pom.xml). */
    static final int BROWSERS = Integer.getInteger("kindling.test.parallelism", 1);

    /** The started browsers no class holds now, each quit when the JVM ends. */
    private static final Deque<WebDriver> IDLE = new ArrayDeque<>();

    /**
     * A browser is held by one test class, from its first use to its end: a class never shares its pages with another
     * running at the same time, and waits when all are taken.
     */
    private static final Semaphore IN_USE = new Semaphore(BROWSERS, true);

    /** Each started browser's profile folder, removed when it quits. */
    private static final Map<WebDriver, Path> PROFILES = new ConcurrentHashMap<>();

    /**
     * The sessions each browser signed in, by app and user. A browser is held by one class at a time, so no two classes
     * ever use one session at once.
     */
    private static final Map<WebDriver, Map<String, Kept>> SESSIONS = new ConcurrentHashMap<>();

    /**
     * A kept session not used for this long is signed in anew: well within the app's 30 minutes of inactivity after
     * which a session expires (a kept cookie handed to plain HTTP requests by {@link #cookieHeader} is never checked).
     */
    private static final Duration KEEP_IDLE = Duration.ofMinutes(10);

    /** A kept session: its cookies, as {@code Network.setCookies} takes them, and when a test last signed in with it. */
    private record Kept(List<Map<String, Object>> cookies, long usedAt) {}

    private WebDriver driver;
    private int port;
    private String base;

    /**
     * Set by {@link #signedIn} when it restored a kept session without loading a page: the user it signed in as, until
     * the next page is loaded. The next {@link #open} loads its own page; anything else first loads the home page a
     * sign-in lands on, so the test sees what it would after {@link #signIn}.
     */
    private Restored restored;

    private record Restored(String key, String email, String password) {}

    /** Points the browser at the app on this port; paths given to {@link #open} are relative to it. */
    public Browser at(int port) {
        this.port = port;
        this.base = "http://localhost:" + port;
        return this;
    }

    /** The browser, on the page a test expects (see {@link #restored}). */
    public WebDriver driver() {
        if (restored != null) {
            open("/");
        }
        return chrome();
    }

    private WebDriver chrome() {
        if (driver == null) {
            IN_USE.acquireUninterruptibly();
            try {
                driver = take();
            } catch (RuntimeException e) {
                IN_USE.release();
                throw e;
            }
        }
        return driver;
    }

    private static WebDriver take() {
        synchronized (IDLE) {
            WebDriver idle = IDLE.poll();
            if (idle != null) {
                return idle;
            }
        }
        WebDriver started = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> quit(started)));
        return started;
    }

    public Browser open(String path) {
        Restored session = restored;
        restored = null;
        chrome().get(base + path);
        if (session != null && !path.startsWith("/login") && path().startsWith("/login")) {
            // the app no longer knows the kept session (the moving-clock context's database was reset, or it expired):
            // sign in anew and load the page again
            sessions().remove(session.key());
            signedIn(session.email(), session.password());
            restored = null;
            chrome().get(base + path);
        }
        return this;
    }

    /** Signs in through the sign-in page, as a user would: a new session, landing on the home page. */
    public Browser signIn(String email, String password) {
        restored = null;
        open("/login");
        driver().findElement(By.name("username")).sendKeys(email);
        driver().findElement(By.name("password")).sendKeys(password);
        return follow("form button[type=submit]");
    }

    /**
     * Signed in as this user alone (the browser's other cookies cleared), as after {@link #signIn}, without loading a
     * page for it: the sign-in form is posted over plain HTTP the first time, and the session it makes is kept for
     * the user's later {@code signedIn} on the same app in this browser. The next {@link #open} loads its own page;
     * anything else first loads the home page a sign-in lands on. A kept session is as good as a new one: the app
     * checks the user's current role and state on every request. For the sign-in itself, and for a session a test
     * ends (signing out), use {@link #signIn}. When the app no longer knows the kept session, the next {@code open}
     * signs in anew.
     */
    public Browser signedIn(String email, String password) {
        String key = base + " " + email + " " + password;
        Kept kept = sessions().get(key);
        List<Map<String, Object>> cookies = kept == null || System.nanoTime() - kept.usedAt() > KEEP_IDLE.toNanos()
                ? signInOverHttp(email, password)
                : kept.cookies();
        sessions().put(key, new Kept(cookies, System.nanoTime()));
        clearCookies(chrome());
        ((ChromeDriver) chrome()).executeCdpCommand("Network.setCookies", Map.of("cookies", cookies));
        restored = new Restored(key, email, password);
        return this;
    }

    private Map<String, Kept> sessions() {
        return SESSIONS.computeIfAbsent(chrome(), d -> new ConcurrentHashMap<>());
    }

    /** Posts the sign-in form as the browser would; answers the session cookie as {@code Network.setCookies} takes it. */
    private List<Map<String, Object>> signInOverHttp(String email, String password) {
        UiSession http = UiSession.anonymous(port, "127.0.0.1");
        TestApi.Response login = http.postForm(
                "/login", "username=" + UiSession.encode(email) + "&password=" + UiSession.encode(password));
        String location = login.raw().headers().firstValue("Location").orElse("");
        if (login.status() != 302 || location.contains("/login") || http.cookie() == null) {
            throw new AssertionError(
                    "%s could not sign in: %d %s".formatted(email, login.status(), location.isEmpty() ? "" : location));
        }
        String[] cookie = http.cookie().split("=", 2);
        // as the app sets it (application.yml: HttpOnly, SameSite=Lax, a session cookie for the whole site)
        return List.of(Map.of(
                "name",
                cookie[0],
                "value",
                cookie[1],
                "url",
                base + "/",
                "path",
                "/",
                "httpOnly",
                true,
                "sameSite",
                "Lax"));
    }

    /** Clicks the element (a link or submit button) and waits until the next page has replaced this one. */
    public Browser follow(String css) {
        WebElement page = driver().findElement(By.tagName("html"));
        find(css).click();
        await(d -> isGone(page));
        return this;
    }

    /**
     * Whether the element's page has been replaced. Chromium reports a node of an unloaded page
     * either as stale or, mid-navigation, as "not belonging to the document": both mean gone.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    public WebElement find(String css) {
        return driver().findElement(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    /** The path (and query) of the current page. */
    public String path() {
        return driver().getCurrentUrl().substring(base.length());
    }

    /** The browser's cookies as a {@code Cookie} header, to make plain HTTP requests in its session. */
    public String cookieHeader() {
        if (restored != null) {
            // the kept session's cookies, without loading a page for them
            return sessions().get(restored.key()).cookies().stream()
                    .map(c -> c.get("name") + "=" + c.get("value"))
                    .collect(java.util.stream.Collectors.joining("; "));
        }
        return driver().manage().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /**
     * Waits until the condition holds (for asynchronous page updates such as htmx swaps). An element the condition
     * found but a swap replaced before it was read is looked for again at the next check.
     */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver(), WAIT, POLL)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
            // as WebDriver's screenshot (the window), its PNG compressed for speed rather than size
            Map<String, Object> shot = ((ChromeDriver) driver())
                    .executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "optimizeForSpeed", true));
            Files.write(file, java.util.Base64.getDecoder().decode((String) shot.get("data")));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        restored = null;
        if (driver != null) {
            clearCookies(driver);
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (driver != null && context.getExecutionException().isPresent()) {
            try {
                screenshot("FAILED-" + context.getRequiredTestClass().getSimpleName() + "-"
                        + context.getRequiredTestMethod().getName());
            } catch (RuntimeException e) {
                context.getExecutionException().get().addSuppressed(e);
            }
        }
    }

    /** Leaves the class's browser as the next class expects a new one: no alert, one blank window, no cookies. */
    @Override
    public void afterAll(ExtensionContext context) {
        release();
    }

    /**
     * Hands the browser on before the class ends, reset as after a class (a class running beside the others calls it
     * when done with the browser); a later use in this class takes it again.
     */
    public void release() {
        if (driver == null) {
            return;
        }
        WebDriver held = driver;
        driver = null;
        restored = null;
        try {
            if (reset(held)) {
                synchronized (IDLE) {
                    IDLE.push(held);
                }
            }
        } finally {
            IN_USE.release();
        }
    }

    /** Whether the browser could be reset; one that cannot is quit (a new one is started on a later use). */
    private static boolean reset(WebDriver browser) {
        try {
            try {
                browser.switchTo().alert().dismiss();
            } catch (NoAlertPresentException none) {
                // the usual case
            }
            String first = browser.getWindowHandles().iterator().next();
            for (String window : browser.getWindowHandles()) {
                if (!window.equals(first)) {
                    browser.switchTo().window(window).close();
                }
            }
            browser.switchTo().window(first);
            browser.get("about:blank");
            clearCookies(browser);
            return true;
        } catch (RuntimeException e) {
            quit(browser);
            return false;
        }
    }

    /** Every cookie of every site: WebDriver's own delete reaches only the current page's site (none on a blank page). */
    private static void clearCookies(WebDriver driver) {
        ((ChromeDriver) driver).executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
    }

    private static void quit(WebDriver driver) {
        try {
            driver.quit();
        } catch (RuntimeException ignored) {
            // already gone
        }
        SESSIONS.remove(driver);
        Path profile = PROFILES.remove(driver);
        if (profile != null) {
            delete(profile);
        }
    }

    private static WebDriver start() {
        // -Dkindling.test.chromium=desktop: the desktop browser even where the headless shell is installed
        boolean shell = Files.isExecutable(Path.of(HEADLESS_SHELL))
                && !"desktop".equals(System.getProperty("kindling.test.chromium"));
        for (int attempt = 1; ; attempt++) {
            Path profile;
            try {
                profile = Files.createTempDirectory("kindling-chromium");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(shell ? shellLauncher() : CHROMIUM);
            options.addArguments(
                    // the headless shell is headless anyway; the desktop browser's headless mode is the new one
                    shell ? "--headless" : "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    // no new renderer-side document for each page loaded in the same frame (the default): that
                    // cost about a quarter more of the browser's CPU per page (docs/testing.md, the seventeenth pass);
                    // chromedriver adds its own disabled features to these
                    "--disable-features=RenderDocument",
                    "--no-first-run",
                    "--window-size=1440,1000",
                    "--user-agent=" + USER_AGENT,
                    "--user-data-dir=" + profile);
            // an alert must stay open so a test can see that one fired
            options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                    .usingAnyFreePort()
                    .build();
            try {
                ChromeDriver chrome = new ChromeDriver(service, options);
                chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
                PROFILES.put(chrome, profile);
                return chrome;
            } catch (SessionNotCreatedException e) {
                // seen under heavy load: "unable to discover open pages"; chromedriver has ended that browser
                service.stop();
                delete(profile);
                if (attempt == STARTS) {
                    throw e;
                }
            }
        }
    }

    private static String launcher;

    /** {@link #SHELL_LAUNCHER}, written once for the JVM. */
    private static synchronized String shellLauncher() {
        if (launcher == null) {
            try {
                Path script = Files.createTempFile("kindling-headless-shell", ".sh");
                Files.writeString(script, SHELL_LAUNCHER);
                script.toFile().setExecutable(true);
                script.toFile().deleteOnExit();
                launcher = script.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return launcher;
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary folder left behind
        }
    }
}
