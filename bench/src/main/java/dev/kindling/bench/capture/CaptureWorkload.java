package dev.kindling.bench.capture;

import dev.kindling.bench.harness.ApiClient;
import dev.kindling.bench.harness.AppProcess;
import dev.kindling.bench.harness.BenchDatabase;
import dev.kindling.bench.harness.CpuTime;
import dev.kindling.bench.harness.MachineFacts;
import dev.kindling.bench.harness.ResultTable;
import dev.kindling.bench.harness.StatementStats;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * W10, the public capture endpoints under concurrent load from many addresses. Setup, not timed: the app on a fresh
 * durable database (fsync on) with the capture rate limits raised for the run (system properties
 * {@code kindling.capture.rate-limit.*}, so the limiter is exercised on every request but holds nobody back), and one
 * form. Then two phases, each a warm-up and a timed window in which {@code --clients} closed-loop clients (each sends
 * its next request when the previous one answered) send as fast as they are answered:
 * <ol>
 * <li><b>collect</b>: {@code POST /t/collect} page views ({@code text/plain}, as the tracking script's beacon), each
 *     client a visitor of its own, 204 expected;</li>
 * <li><b>form</b>: {@code POST /f/{key}} form posts (url-encoded, a new email each, so each creates a prospect), 303
 *     expected.</li>
 * </ol>
 * Each client is its own HTTP client bound to its own loopback address ({@code 127.0.x.y}, {@code --addresses} of
 * them), so the app sees many clients as it would on the internet: by default a lean one ({@link LoopbackHttp}: a
 * keep-alive socket, the request written whole, the answer read to its end), since the load generator shares the
 * machine's cores with the app and PostgreSQL; {@code --http-client jdk} uses the JDK's {@code HttpClient} instead.
 * Reported per phase: answered requests per second, latency p50 / p99 / max, errors (any other status, or no answer),
 * and the CPU time per request of the app, of the database and of the load generator (this process). Afterwards the
 * run checks that every page view answered 204 is stored and every post answered 303 made its prospect (durable before
 * the answer).
 */
public final class CaptureWorkload {

    /** What to run. */
    public record Settings(
            Path appJar,
            List<String> appJvmArgs,
            int clients,
            int addresses,
            Duration warmup,
            Duration window,
            int statements,
            boolean jdkClient) {

        public Settings(
                Path appJar, List<String> appJvmArgs, int clients, int addresses, Duration warmup, Duration window) {
            this(appJar, appJvmArgs, clients, addresses, warmup, window, 0, false);
        }
    }

    /**
     * One phase's outcome, with the database's committed transactions and WAL syncs (fsyncs) and the CPU time of the
     * app's and the database's processes during its timed window — figures per request that hardly depend on how busy
     * the machine is.
     */
    record Phase(
            String name,
            long ok,
            long errors,
            Map<String, Long> errorKinds,
            double seconds,
            long[] nanos,
            long commits,
            long walSyncs,
            CpuTime.Reading cpu,
            Duration loadGenerator,
            double machineBusy,
            int cores) {

        double perRequest(long n) {
            return ok + errors == 0 ? Double.NaN : n / (double) (ok + errors);
        }

        /** CPU microseconds per request: the app's ({@code app}) or the database's. */
        double cpuMicros(boolean app) {
            Duration spent = app ? cpu.app() : cpu.database();
            return perRequest(spent.toNanos()) / 1e3;
        }

        /** The load generator's (this process's) CPU microseconds per request. */
        double loadGeneratorMicros() {
            return perRequest(loadGenerator.toNanos()) / 1e3;
        }

        /**
         * The machine's busy CPU time per request that was none of the app's, the database's or the load generator's:
         * the kernel's own threads (the file system's journal, network and block I/O work) and anything else running.
         */
        double otherMicros() {
            double busyNanos = machineBusy * cores * seconds * 1e9;
            long counted = cpu.app().toNanos() + cpu.database().toNanos() + loadGenerator.toNanos();
            return perRequest(Math.round(busyNanos - counted)) / 1e3;
        }

        double perSecond() {
            return ok / seconds;
        }

        double millis(double quantile) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(quantile * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(nanos.length - 1, i))] / 1e6;
        }
    }

    private final Settings settings;
    private final PrintStream log;

    public CaptureWorkload(Settings settings, PrintStream log) {
        this.settings = settings;
        this.log = log;
    }

    /** The app's JVM options for the run: the capture rate limits raised so that they hold nobody back. */
    static List<String> jvmArgs(List<String> given) {
        List<String> args = new ArrayList<>(given);
        for (String limit : List.of("collect-per-minute", "collect-burst", "forms-per-minute", "forms-burst")) {
            args.add("-Dkindling.capture.rate-limit." + limit + "=100000000");
        }
        return args;
    }

    public String run(String command) throws Exception {
        log.printf(
                "W10: %d clients from %d addresses, warm-up %s, window %s; starting PostgreSQL (fsync on)%n",
                settings.clients(), settings.addresses(), settings.warmup(), settings.window());
        // with --statements, PostgreSQL counts each phase's statements (pg_stat_statements, reset after the warm-up)
        return AppProcess.onDatabase(
                "W10",
                BenchDatabase.startDurable(settings.statements() > 0),
                settings.appJar(),
                jvmArgs(settings.appJvmArgs()),
                Map.of(),
                log,
                (app, database, connection) -> measure(app, connection, command));
    }

    private String measure(AppProcess app, Connection connection, String command) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + app.baseUri().getPort());
        ApiClient api = new ApiClient(app.baseUri(), app.apiKey(), Duration.ofSeconds(30));
        String key = "w10-" + Long.toString(System.nanoTime(), 36);
        api.call("POST", "/api/v1/forms", """
                {"key":"%s","name":"W10 %s","fieldMapping":{"email":"email","first_name":"firstName","company":"company"},
                 "requiredFields":["email"],"successUrl":"https://www.example.com/thanks"}""".formatted(key, key), 201);

        List<InetAddress> locals = new ArrayList<>();
        for (int i = 0; i < settings.clients(); i++) {
            int a = i % settings.addresses();
            locals.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + a / 250), (byte) (2 + a % 250)}));
        }
        Clients http = settings.jdkClient() ? new JdkClients(base, locals) : new LeanClients(base, locals);
        String run = Long.toString(System.nanoTime(), 36);
        CpuTime cpu = CpuTime.of(app.pid(), connection);
        Outcome collect = phase("collect", connection, cpu, http, 204, client -> {
            String visitor = "w10" + run + "v" + client + "x".repeat(8);
            long[] n = {0};
            return () -> new Request(
                    "/t/collect",
                    "text/plain;charset=UTF-8",
                    "{\"visitorId\":\"" + visitor
                            + "\",\"url\":\"https://www.example.com/pricing?page=" + (n[0]++)
                            + "\",\"title\":\"Pricing\",\"referrer\":\"https://www.google.com/\",\"utm_source\":\"w10\"}");
        });
        java.util.concurrent.atomic.AtomicLong posts = new java.util.concurrent.atomic.AtomicLong();
        Outcome form = phase("form", connection, cpu, http, 303, client -> {
            return () -> new Request(
                    "/f/" + key,
                    "application/x-www-form-urlencoded",
                    "email=w10-" + run + "-" + client + "-" + posts.incrementAndGet()
                            + "%40bench.example&first_name=Client+" + client + "&company=W10");
        });

        long storedViews = count(connection, "SELECT count(*) FROM activity WHERE type = 'PAGE_VIEW'");
        long storedPosts = count(connection, "SELECT count(*) FROM prospect WHERE email LIKE 'w10-" + run + "-%'");
        long answeredViews = collect.ok() + collect.warmupOk();
        long answeredPosts = form.ok() + form.warmupOk();

        ResultTable table = new ResultTable()
                .column("workload", "W10")
                .column("clients", settings.clients())
                .column("addresses", settings.addresses());
        StringBuilder rows = new StringBuilder();
        for (Phase p : List.of(collect.phase(), form.phase())) {
            table.column(p.name() + " req/s", String.format(Locale.ROOT, "%,.0f", p.perSecond()))
                    .column(p.name() + " p50 ms", String.format(Locale.ROOT, "%.1f", p.millis(0.50)))
                    .column(p.name() + " p99 ms", String.format(Locale.ROOT, "%.1f", p.millis(0.99)))
                    .column(p.name() + " max ms", String.format(Locale.ROOT, "%.1f", p.millis(1.0)))
                    .column(p.name() + " errors", p.errors() + (p.errorKinds().isEmpty() ? "" : " " + p.errorKinds()))
                    .column(p.name() + " commits/req", String.format(Locale.ROOT, "%.2f", p.perRequest(p.commits())))
                    .column(p.name() + " WAL syncs/req", String.format(Locale.ROOT, "%.2f", p.perRequest(p.walSyncs())))
                    .column(p.name() + " app CPU µs/req", String.format(Locale.ROOT, "%.0f", p.cpuMicros(true)))
                    .column(p.name() + " database CPU µs/req", String.format(Locale.ROOT, "%.0f", p.cpuMicros(false)))
                    .column(
                            p.name() + " load generator CPU µs/req",
                            String.format(Locale.ROOT, "%.0f", p.loadGeneratorMicros()))
                    .column(p.name() + " other CPU µs/req", String.format(Locale.ROOT, "%.0f", p.otherMicros()))
                    .column(p.name() + " machine busy", String.format(Locale.ROOT, "%.0f %%", p.machineBusy() * 100));
            rows.append(String.format(
                    Locale.ROOT,
                    "| W10 %s | %d | %d | %,d | %.1f | %,.0f | %.1f | %.1f | %.1f | %d | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f"
                            + " | %.0f %% |%n",
                    p.name(),
                    settings.clients(),
                    settings.addresses(),
                    p.ok(),
                    p.seconds(),
                    p.perSecond(),
                    p.millis(0.50),
                    p.millis(0.99),
                    p.millis(1.0),
                    p.errors(),
                    p.perRequest(p.commits()),
                    p.perRequest(p.walSyncs()),
                    p.cpuMicros(true),
                    p.cpuMicros(false),
                    p.loadGeneratorMicros(),
                    p.otherMicros(),
                    p.machineBusy() * 100));
        }
        String clients = settings.jdkClient()
                ? "the JDK's HttpClient"
                : "lean (LoopbackHttp), " + http.connections() + " connections opened";
        String rendered = table.render(MachineFacts.of(connection), command);
        boolean durable = storedViews == answeredViews && storedPosts == answeredPosts;
        return rendered + "\n" + rows
                + "load generator: " + clients + "\n"
                + String.format(
                        Locale.ROOT,
                        "%s: %,d page views answered 204, %,d stored; %,d posts answered 303, %,d prospects made%n",
                        durable ? "verified" : "WARNING: answered and stored differ",
                        answeredViews,
                        storedViews,
                        answeredPosts,
                        storedPosts);
    }

    /** A phase and the successes of its warm-up (they are stored too). */
    private record Outcome(Phase phase, long warmupOk) {
        long ok() {
            return phase.ok();
        }
    }

    /** One request of a phase: a POST of {@code body} as {@code contentType} to {@code path}. */
    record Request(String path, String contentType, String body) {}

    private interface Sender {
        Request next();
    }

    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) W10";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The clients' HTTP: each client sends through its own connection, from its own local address. */
    private interface Clients {
        /** Client {@code c}'s sending side for one window, used by that client's thread only and closed at its end. */
        Channel open(int c);

        /** The connections opened so far, or -1 when not known. */
        long connections();
    }

    private interface Channel extends AutoCloseable {
        /** Sends the request and reads the whole answer; its status. */
        int send(Request request) throws IOException, InterruptedException;

        @Override
        void close();
    }

    /** {@link LoopbackHttp}: a keep-alive socket per client and window. */
    private static final class LeanClients implements Clients {
        private final InetSocketAddress server;
        private final List<InetAddress> locals;
        private final java.util.concurrent.atomic.AtomicLong connections = new java.util.concurrent.atomic.AtomicLong();

        LeanClients(URI base, List<InetAddress> locals) {
            this.server = new InetSocketAddress(base.getHost(), base.getPort());
            this.locals = locals;
        }

        @Override
        public Channel open(int c) {
            LoopbackHttp http = new LoopbackHttp(locals.get(c), server, TIMEOUT);
            return new Channel() {
                @Override
                public int send(Request r) throws IOException {
                    return http.send(http.request(
                            "POST",
                            r.path(),
                            "Content-Type: " + r.contentType() + "\r\nUser-Agent: " + USER_AGENT + "\r\n",
                            r.body()));
                }

                @Override
                public void close() {
                    http.close();
                    connections.addAndGet(http.connections());
                }
            };
        }

        @Override
        public long connections() {
            return connections.get();
        }
    }

    /** The JDK's {@code HttpClient}, one per client for the whole run (connections kept across windows). */
    private static final class JdkClients implements Clients {
        private final URI base;
        private final List<HttpClient> http = new ArrayList<>();

        JdkClients(URI base, List<InetAddress> locals) {
            this.base = base;
            for (InetAddress local : locals) {
                http.add(HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .localAddress(local)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build());
            }
        }

        @Override
        public Channel open(int c) {
            HttpClient client = http.get(c);
            return new Channel() {
                @Override
                public int send(Request r) throws IOException, InterruptedException {
                    HttpRequest request = HttpRequest.newBuilder(base.resolve(r.path()))
                            .timeout(TIMEOUT)
                            .header("Content-Type", r.contentType())
                            .header("User-Agent", USER_AGENT)
                            .POST(HttpRequest.BodyPublishers.ofString(r.body()))
                            .build();
                    return client.send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                }

                @Override
                public void close() {
                    // the client keeps its connections for the next window
                }
            };
        }

        @Override
        public long connections() {
            return -1;
        }
    }

    /** The warm-up, then the timed window, of one phase: every client sends its next request when answered. */
    private Outcome phase(
            String name, Connection connection, CpuTime cpu, Clients http, int expected, IntFunction<Sender> senders)
            throws Exception {
        Window warm = window(http, expected, senders, settings.warmup());
        if (settings.statements() > 0) {
            StatementStats.reset(connection);
        }
        long[] before = databaseCounters(connection);
        CpuTime.Reading cpuBefore = cpu.read();
        Duration ownBefore = ownCpu();
        MachineCpu machineBefore = MachineCpu.read();
        Window timed = window(http, expected, senders, settings.window());
        MachineCpu machineAfter = MachineCpu.read();
        Duration own = ownCpu().minus(ownBefore);
        long[] after = databaseCounters(connection);
        CpuTime.Reading spent = cpu.read().since(cpuBefore);
        long[] nanos = timed.nanos();
        Arrays.sort(nanos);
        Phase phase = new Phase(
                name,
                timed.ok,
                timed.errors(),
                timed.kinds,
                timed.seconds,
                nanos,
                after[0] - before[0],
                after[1] - before[1],
                spent,
                own,
                machineBefore == null || machineAfter == null ? Double.NaN : machineAfter.busySince(machineBefore),
                machineAfter == null ? 0 : machineAfter.cores());
        log.printf(
                Locale.ROOT,
                "W10 %s: %,d answered in %.1f s, %,.0f/s, p50 %.1f ms, p99 %.1f ms, errors %d %s;"
                        + " per request %.2f commits, %.2f WAL syncs, CPU app %.0f µs, database %.0f µs,"
                        + " load generator %.0f µs, other %.0f µs (machine %.0f %% busy)%n",
                name,
                phase.ok(),
                phase.seconds(),
                phase.perSecond(),
                phase.millis(0.5),
                phase.millis(0.99),
                phase.errors(),
                phase.errorKinds(),
                phase.perRequest(phase.commits()),
                phase.perRequest(phase.walSyncs()),
                phase.cpuMicros(true),
                phase.cpuMicros(false),
                phase.loadGeneratorMicros(),
                phase.otherMicros(),
                phase.machineBusy() * 100);
        if (settings.statements() > 0) {
            log.printf(
                    Locale.ROOT,
                    "W10 %s: the statements of the timed window (%,d requests; \"batch\" is the intake's)%n",
                    name,
                    phase.ok() + phase.errors());
            log.print(StatementStats.report(connection, settings.statements()));
        }
        return new Outcome(phase, warm.ok);
    }

    /** What the clients saw in one window. */
    private static final class Window {
        long ok;
        final Map<String, Long> kinds = new TreeMap<>();
        final List<long[]> latencies = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();
        double seconds;

        long errors() {
            return kinds.values().stream().mapToLong(Long::longValue).sum();
        }

        long[] nanos() {
            long[] all = new long[counts.stream().mapToInt(Integer::intValue).sum()];
            int at = 0;
            for (int i = 0; i < latencies.size(); i++) {
                System.arraycopy(latencies.get(i), 0, all, at, counts.get(i));
                at += counts.get(i);
            }
            return all;
        }
    }

    /** The CPU time this process (the load generator) has spent so far. */
    private static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private Window window(Clients http, int expected, IntFunction<Sender> senders, Duration length)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        int clients = settings.clients();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        long[] oks = new long[clients];
        List<Map<String, Long>> kinds = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            kinds.add(new TreeMap<>());
            threads.add(Thread.ofPlatform().name("w10-client-" + c).start(() -> {
                Sender sender = senders.apply(client);
                long[] mine = new long[1 << 12];
                int n = 0;
                try (Channel channel = http.open(client)) {
                    while (running.get()) {
                        Request request = sender.next();
                        long t = System.nanoTime();
                        String error = null;
                        try {
                            int status = channel.send(request);
                            if (status != expected) {
                                error = "HTTP " + status;
                            }
                        } catch (IOException e) {
                            error = e.getClass().getSimpleName();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        long took = System.nanoTime() - t;
                        if (error != null) {
                            kinds.get(client).merge(error, 1L, Long::sum);
                            continue;
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = took;
                        oks[client]++;
                    }
                }
                latencies[client] = mine;
                counts[client] = n;
            }));
        }
        long started = System.nanoTime();
        Thread.sleep(length.toMillis());
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        Window w = new Window();
        // the window ends when the last client stops: requests in flight at the deadline still count
        w.seconds = (System.nanoTime() - started) / 1e9;
        for (int c = 0; c < clients; c++) {
            w.ok += oks[c];
            w.latencies.add(latencies[c]);
            w.counts.add(counts[c]);
            kinds.get(c).forEach((k, v) -> w.kinds.merge(k, v, Long::sum));
        }
        return w;
    }

    /**
     * The database's committed transactions and WAL syncs so far; waits first for the app's backends to report theirs
     * (PostgreSQL flushes a backend's statistics at most once a second).
     */
    private static long[] databaseCounters(Connection connection) throws Exception {
        Thread.sleep(1500);
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT xact_commit FROM pg_stat_database"
                        + " WHERE datname = current_database()), (SELECT wal_sync FROM pg_stat_wal)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
