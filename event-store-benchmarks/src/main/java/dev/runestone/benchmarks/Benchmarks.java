package dev.runestone.benchmarks;

import dev.runestone.EventStore;
import dev.runestone.ExpectedVersion;
import dev.runestone.Target;
import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.micrometer.MicrometerInstrumentation;
import dev.runestone.postgres.PostgresStorage;
import dev.runestone.spi.StorageAdapter;
import dev.runestone.sqlite.SqliteStorage;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Entry point: runs every benchmark on SQLite (WAL, a file under {@code target/}) and on PostgreSQL, then writes
 * {@code results.md} and {@code results.csv} to the output directory.
 *
 * <pre>
 * java -jar event-store-benchmarks/target/benchmarks.jar [--tiny] [--sqlite-only] [--only TEXT] [--log-events N]
 *         [--rounds N] [--out DIR]
 * </pre>
 *
 * <p>{@code --only} runs just the figures whose {@code database benchmark} line contains the text, such as
 * {@code "sqlite 100-event"}, {@code latency} or {@code catch-up}: handy under a profiler. {@code --rounds} measures
 * more rounds than the seven of a full run, for a figure whose range crosses its target.
 *
 * <p>PostgreSQL is {@code RUNESTONE_POSTGRES_URL} if set, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; the run drops and recreates schemas
 * {@code bench_runestone} and {@code bench_axon} there.
 */
public final class Benchmarks {

    static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int BATCH = 100;
    private static final int PAGE = 1_000;
    private static final String UNCOALESCED = "uncoalesced";

    private final Size size;
    private final Path directory;
    private final String only;
    private final String schema;
    private final String axonSchema;
    private final String versusAxonSchema;
    private final String upcastSchema;
    private final List<Result> results = new ArrayList<>();
    private final List<Report.Figure> figures = new ArrayList<>();

    /**
     * @param only         run only the figures whose {@code database benchmark} line contains this
     * @param schemaPrefix the PostgreSQL schemas used are {@code <prefix>_runestone}, {@code <prefix>_axon},
     *                     {@code <prefix>_versus_axon} and {@code <prefix>_upcast}
     */
    Benchmarks(Size size, Path directory, String only, String schemaPrefix) {
        this.size = size;
        this.directory = directory;
        this.only = only;
        this.schema = schemaPrefix + "_runestone";
        this.axonSchema = schemaPrefix + "_axon";
        this.versusAxonSchema = schemaPrefix + "_versus_axon";
        this.upcastSchema = schemaPrefix + "_upcast";
    }

    /** Runs the benchmarks; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Size size = Size.FULL;
        boolean postgres = true;
        Path out = Path.of("event-store-benchmarks", "target", "results");
        String only = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tiny" -> size = Size.TINY;
                case "--sqlite-only" -> postgres = false;
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                case "--log-events" -> size = size.withLogEvents(Long.parseLong(args[++i]));
                case "--rounds" -> size = size.withRounds(Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; expected --tiny, "
                        + "--sqlite-only, --only TEXT, --log-events N, --rounds N or --out DIR");
            }
        }
        String url = System.getenv().getOrDefault("RUNESTONE_POSTGRES_URL", DEFAULT_POSTGRES_URL);
        new Benchmarks(size, out, only, "bench").run(postgres ? url : null);
    }

    /** Runs SQLite, then PostgreSQL and Axon if {@code postgresUrl} is given, and writes the results. */
    Report run(@Nullable String postgresUrl) throws Exception {
        Files.createDirectories(directory);
        long began = System.nanoTime();
        runSqlite();
        if (postgresUrl != null) {
            runPostgres(postgresUrl);
        }
        Report report = new Report(results, figures, size, postgresUrl == null ? null : serverVersion(postgresUrl),
                (System.nanoTime() - began) / 1e9);
        report.write(directory);
        System.out.println("Results written to " + directory.toAbsolutePath());
        return report;
    }

    List<Result> results() {
        return results;
    }

    List<Report.Figure> figures() {
        return figures;
    }

    private void runSqlite() throws Exception {
        Path file = directory.resolve("sqlite").resolve("events.db");
        Files.createDirectories(file.getParent());
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        try (RunestoneWorkload runestone = new RunestoneWorkload(SqliteStorage.file(file));
                RunestoneWorkload uncoalesced = new RunestoneWorkload(
                        SqliteStorage.builder().file(file).coalesceAppends(false).build(), UNCOALESCED,
                        Instrumentation.NONE);
                SqliteBaseline baseline = new SqliteBaseline(file)) {
            long loaded = timed(() -> baseline.bulkLoad("log-", size.logEvents()));
            System.out.printf(Locale.ROOT, "sqlite: loaded %,d events in %.1f s%n", size.logEvents(), loaded / 1e9);
            pairs("sqlite", runestone, baseline);
            coalescing("sqlite", runestone, uncoalesced, baseline);
            instrumented("sqlite", () -> SqliteStorage.file(file), runestone);
        }
        Path upcastFile = file.resolveSibling("upcast.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(upcastFile + suffix));
        }
        upcast("sqlite", () -> SqliteStorage.file(upcastFile), () -> { });
        if (selected("sqlite latency")) {
            latency("sqlite", SqliteStorage.file(file));
        }
        if (selected("sqlite subscription latency")) {
            subscriptionLatency("sqlite", SqliteStorage.file(file), SqliteStorage.file(file));
        }
        if (selected("sqlite catch-up")) {
            catchUp("sqlite", List.of("sqlite", file.toString()));
        }
        if (selected("sqlite subscription catch-up")) {
            results.add(PartitionedCatchUp.measure("sqlite", () -> SqliteStorage.file(file), size.rounds()));
        }
    }

    private void runPostgres(String url) throws Exception {
        dropSchema(url, schema);
        try (RunestoneWorkload runestone = new RunestoneWorkload(
                        PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(8).build());
                RunestoneWorkload uncoalesced = new RunestoneWorkload(PostgresStorage.builder().jdbcUrl(url)
                        .schema(schema).poolSize(8).coalesceAppends(false).build(), UNCOALESCED,
                        Instrumentation.NONE);
                PostgresBaseline baseline = new PostgresBaseline(url, schema)) {
            long loaded = timed(() -> baseline.bulkLoad("log-", size.logEvents()));
            System.out.printf(Locale.ROOT, "postgres: loaded %,d events in %.1f s%n", size.logEvents(),
                    loaded / 1e9);
            pairs("postgres", runestone, baseline);
            coalescing("postgres", runestone, uncoalesced, baseline);
            instrumented("postgres", () -> PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(2).build(),
                    runestone);
        }
        dropSchema(url, upcastSchema);
        upcast("postgres", () -> PostgresStorage.builder().jdbcUrl(url).schema(upcastSchema).poolSize(2).build(),
                () -> analyze(url, upcastSchema));
        versusAxon(url);
        if (selected("postgres latency")) {
            checkpoint(url);
            latency("postgres", PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(4).build());
        }
        if (selected("postgres subscription latency")) {
            checkpoint(url);
            subscriptionLatency("postgres", PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(4).build(),
                    PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(4).build());
        }
        if (selected("postgres catch-up")) {
            catchUp("postgres", List.of("postgres", url, schema));
        }
        if (selected("postgres subscription catch-up")) {
            checkpoint(url);
            results.add(PartitionedCatchUp.measure("postgres",
                    () -> PostgresStorage.builder().jdbcUrl(url).schema(schema).poolSize(10).build(), size.rounds()));
        }
    }

    /**
     * Runestone against Axon, each on tables of its own that start empty: Runestone's main schema holds the bulk-loaded
     * log, and appends into indexes that large cost more than appends into Axon's fresh ones.
     */
    private void versusAxon(String url) throws SQLException {
        dropSchema(url, versusAxonSchema);
        try (RunestoneWorkload runestone = new RunestoneWorkload(
                        PostgresStorage.builder().jdbcUrl(url).schema(versusAxonSchema).poolSize(8).build());
                AxonWorkload axon = new AxonWorkload(url, axonSchema)) {
            Pair.Work one = (side, n) -> {
                side.appendOne("axon-one-" + n, n);
                return 1;
            };
            Pair.Work batch = (side, n) -> {
                side.appendBatch("axon-batch-" + n, n, BATCH);
                return BATCH;
            };
            measure(new Pair("postgres", "single-event append vs Axon", "events/s", 1, 1.25, one), runestone, axon);
            measure(new Pair("postgres", "single-event append vs Axon", "events/s", 8, 2.5, one), runestone, axon);
            measure(new Pair("postgres", "100-event append vs Axon", "events/s", 1, 1.0, batch), runestone, axon);
        }
    }

    /** The pairs both databases run, Runestone against plain JDBC. */
    private void pairs(String database, RunestoneWorkload runestone, Workload baseline) {
        boolean sqlite = database.equals("sqlite");
        Pair.Work one = (side, n) -> {
            side.appendOne("one-" + n, n);
            return 1;
        };
        Pair.Work batch = (side, n) -> {
            side.appendBatch("batch-" + n, n, BATCH);
            return BATCH;
        };
        measure(new Pair(database, "single-event append", "events/s", 1, sqlite ? 0.9 : 1.0, one),
                runestone, baseline);
        measure(new Pair(database, "single-event append", "events/s", 8, sqlite ? 5.0 : 3.0, one),
                runestone, baseline);
        measure(new Pair(database, "100-event append", "events/s", 1, sqlite ? 0.85 : 0.9, batch),
                runestone, baseline);
        measure(new Pair(database, "100-event append", "events/s", 8, sqlite ? 0.85 : 0.9, batch),
                runestone, baseline);

        EventStore<UserEvent> store = runestone.store();
        String ten = "reduce-10-" + Pair.next();
        store.append(ten, ExpectedVersion.noStream(), RunestoneWorkload.events(1, 10));
        String thousand = "reduce-1000-" + Pair.next();
        for (int i = 0; i < 10; i++) {
            store.append(thousand, RunestoneWorkload.events(2, 100));
        }
        String snapshotted = "reduce-snapshot-" + Pair.next();
        for (int i = 0; i < 9; i++) {
            store.append(snapshotted, RunestoneWorkload.events(3, 100));
        }
        store.snapshots().create(UserState.REDUCER, Target.stream(snapshotted));
        store.append(snapshotted, RunestoneWorkload.events(3, 100));
        measure(new Pair(database, "read and reduce a 10-event stream", "reduces/s", 1, null,
                (side, n) -> check(side.reduce(ten), 10)), runestone, baseline);
        measure(new Pair(database, "reduce a 1,000-event stream", "reduces/s", 1, null,
                (side, n) -> check(side.reduce(thousand), 1_000)), runestone, baseline);
        measure(new Pair(database, "reduce 1,000 events from a snapshot at 900", "reduces/s", 1, null,
                (side, n) -> check(side.reduceFromSnapshot(snapshotted), 1_000)), runestone, baseline);

        long[] cursors = new long[2];
        measure(new Pair(database, "log scan into records (pages of 1,000)", "events/s", 1, null,
                (side, n) -> {
                    int which = side == runestone ? 0 : 1;
                    long after = side.readLog(cursors[which], PAGE);
                    long read = after == cursors[which] ? 0 : PAGE;
                    cursors[which] = after == cursors[which] ? 0 : after;
                    return read;
                }), runestone, baseline);
    }

    /**
     * What coalescing appends buys and costs: the default store against one whose every append is a transaction of
     * its own, alone (where coalescing must cost nothing) and with writers racing for stream versions; and against
     * the ceiling, plain JDBC writing groups of the size eight threads form at most in one transaction each.
     */
    private void coalescing(String database, RunestoneWorkload runestone, RunestoneWorkload uncoalesced,
            Workload baseline) {
        Pair.Work one = (side, n) -> {
            side.appendOne("coalesced-" + n, n);
            return 1;
        };
        measure(new Pair(database, "single-event append, coalesced vs uncoalesced", "events/s", 1, 0.97, one),
                runestone, uncoalesced);
        measure(new Pair(database, "single-event append, coalesced vs uncoalesced", "events/s", 8, null, one),
                runestone, uncoalesced);
        measure(new Pair(database, "single-event append, coalesced vs uncoalesced", "events/s", 32, null, one),
                runestone, uncoalesced);
        String racing = "32 writers, 16 racing on 8 shared streams, coalesced vs uncoalesced";
        if (selected(database + " " + racing)) {
            VersionRace race = new VersionRace("race-" + Pair.next(), 8);
            Result raced = new Pair(database, racing, "events/s", 32, 2.0, race.work()).measure(runestone,
                    uncoalesced, size);
            race.check(runestone);
            race.check(uncoalesced);
            results.add(raced);
        }
        Pair.Work ceiling = (side, n) -> {
            if (side == baseline) {
                side.appendBatch("ceiling-" + n, n, 8);
                return 8;
            }
            side.appendOne("ceiling-" + n, n);
            return 1;
        };
        measure(new Pair(database, "single-event append vs batch ceiling (8 events a commit, 1 writer)", "events/s",
                8, 1, null, ceiling), runestone, baseline);
    }

    /**
     * What the Micrometer instrumentation costs: a store with it against the plain store, on the same database, for
     * single appends and the log scan. Once attached with nothing wired (an {@code ObservationRegistry} without
     * handlers, no meter registry), once with a {@link SimpleMeterRegistry} and a
     * {@link DefaultMeterObservationHandler}, which time every append and read and count its events.
     */
    private void instrumented(String database, Supplier<StorageAdapter> adapters, RunestoneWorkload plain) {
        String attached = "Micrometer attached, nothing wired";
        String wired = "Micrometer with meters";
        if (Stream.of(attached, wired).flatMap(how -> Stream.of("single-event append, " + how, "log scan, " + how))
                .noneMatch(figure -> selected(database + " " + figure))) {
            return;
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        try (RunestoneWorkload nothingWired = new RunestoneWorkload(adapters.get(), "noop-observed",
                        MicrometerInstrumentation.create(ObservationRegistry.NOOP));
                RunestoneWorkload withMeters = new RunestoneWorkload(adapters.get(), "metered",
                        MicrometerInstrumentation.create(observations, meters))) {
            Pair.Work one = (side, n) -> {
                side.appendOne("observed-" + n, n);
                return 1;
            };
            measure(new Pair(database, "single-event append, " + attached, "events/s", 1, 0.97, one),
                    nothingWired, plain);
            measure(new Pair(database, "single-event append, " + wired, "events/s", 1, 0.93, one), withMeters,
                    plain);
            long[] cursors = new long[2];
            measure(new Pair(database, "log scan, " + attached, "events/s", 1, 0.97, scan(nothingWired, cursors)),
                    nothingWired, plain);
            measure(new Pair(database, "log scan, " + wired, "events/s", 1, 0.93, scan(withMeters, cursors)),
                    withMeters, plain);
        }
    }

    /** Pages of the log scan, each side from where it stopped, from the start again at the end. */
    private static Pair.Work scan(Workload first, long[] cursors) {
        return (side, n) -> {
            int which = side == first ? 0 : 1;
            long after = side.readLog(cursors[which], PAGE);
            long read = after == cursors[which] ? 0 : PAGE;
            cursors[which] = after == cursors[which] ? 0 : after;
            return read;
        };
    }

    /**
     * What older versions cost to read, on a database of their own ({@link UpcastScan}): a scan where half the events
     * go through an upcaster against the same scan with every event at the current version, and a scan of
     * current-version events with upcasters registered for their types against a scan with no versions at all.
     */
    private void upcast(String database, Supplier<StorageAdapter> adapters, Runnable settle) {
        String halfUpcast = "log scan, half the events upcast from version 1";
        String current = "log scan of current versions, upcasters registered";
        if (!selected(database + " " + halfUpcast) && !selected(database + " " + current)) {
            return;
        }
        UpcastScan scan = new UpcastScan(adapters, Math.max(1_000, size.logEvents() / 10), settle);
        try {
            Pair.Work page = (side, n) -> ((UpcastScan.Stretch) side).scan(PAGE);
            measure(new Pair(database, halfUpcast, "events/s", 1, 0.9, page), scan.halfVersionOne, scan.current);
            measure(new Pair(database, current, "events/s", 1, 0.97, page), scan.current, scan.unversioned);
        } finally {
            scan.close();
        }
    }

    private void measure(Pair pair, Workload a, Workload b) {
        if (selected(pair.database() + " " + pair.benchmark())) {
            results.add(pair.measure(a, b, size));
        }
    }

    private boolean selected(String figure) {
        return figure.contains(only);
    }

    private static long check(UserState state, long changes) {
        if (state.changes() != changes) {
            throw new IllegalStateException("Reduced " + state.changes() + " events, expected " + changes);
        }
        return 1;
    }

    private void latency(String database, dev.runestone.spi.StorageAdapter adapter) throws InterruptedException {
        try (EventStore<UserEvent> store = EventStore.builder(UserEvent.REGISTRY, adapter).build()) {
            latencyFigures(database, "append → projector handler latency",
                    ProjectorLatency.projector(store, size.latencyMillis()));
        }
    }

    /** A durable subscription on a second store over the same database, as in another process. */
    private void subscriptionLatency(String database, dev.runestone.spi.StorageAdapter writing,
            dev.runestone.spi.StorageAdapter reading) throws InterruptedException {
        try (EventStore<UserEvent> writer = EventStore.builder(UserEvent.REGISTRY, writing).build();
                EventStore<UserEvent> reader = EventStore.builder(UserEvent.REGISTRY, reading).build()) {
            latencyFigures(database, "append → subscription handler latency, other store",
                    ProjectorLatency.subscription(writer, reader, size.latencyMillis()));
        }
    }

    private void latencyFigures(String database, String figure, ProjectorLatency.Figures latency) {
        System.out.printf(Locale.ROOT, "%s: %s p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d events)%n",
                database, figure, latency.p50(), latency.p99(), latency.max(), latency.events());
        boolean postgres = database.equals("postgres");
        figures.add(new Report.Figure(database, figure + " p50 at 1,000 events/s", latency.p50(), "ms", null, null));
        figures.add(new Report.Figure(database, figure + " p99 at 1,000 events/s", latency.p99(), "ms",
                postgres ? "≤ 20 ms" : null, postgres ? latency.p99() <= 20 : null));
    }

    /** Runs {@link CatchUp} in a child JVM with a 256 MB heap. */
    private void catchUp(String database, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                // sqlite-jdbc loads a native library; without this, newer JDKs print a warning into the output.
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CatchUp.class.getName()));
        command.addAll(arguments);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        boolean finished = child.waitFor(10, TimeUnit.MINUTES);
        int exit = finished ? child.exitValue() : -1;
        String line = output.lines().filter(l -> l.startsWith("events=")).findFirst().orElse("");
        if (exit != 0 || line.isEmpty()) {
            System.out.println(database + ": catch-up in 256 MB did not complete (exit " + exit + "):\n" + output);
            figures.add(new Report.Figure(database, "catch-up in a 256 MB heap: completed", 0, "no",
                    "completes", false));
            return;
        }
        long events = Long.parseLong(value(line, "events"));
        double seconds = Double.parseDouble(value(line, "seconds"));
        double peakMb = Long.parseLong(value(line, "peakHeapBytes")) / 1048576.0;
        System.out.printf(Locale.ROOT, "%s: caught up on %,d events in %.1f s (%,.0f events/s), peak heap %.0f MB%n",
                database, events, seconds, events / seconds, peakMb);
        figures.add(new Report.Figure(database, String.format(Locale.ROOT,
                "catch-up of %,d events into records, child JVM -Xmx256m", events), events / seconds, "events/s",
                "≥ 100,000 events/s", events / seconds >= 100_000));
        figures.add(new Report.Figure(database, "peak heap used during that catch-up", peakMb, "MB",
                "completes in ≤ 256 MB", peakMb <= 256));
    }

    private static String value(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("No " + key + " in " + line);
    }

    private static long timed(Runnable work) {
        long began = System.nanoTime();
        work.run();
        return System.nanoTime() - began;
    }

    /**
     * Starts a latency figure on a fresh checkpoint: the figures before it write gigabytes of WAL, and a checkpoint
     * they trigger stalls commits for a second or more on a slow disk, which would be measured as Runestone's latency.
     */
    private static void checkpoint(String url) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            System.out.println("postgres: no CHECKPOINT before a latency figure (" + e.getMessage().strip() + ")");
        }
    }

    /**
     * Updates the planner's statistics of a schema's events table while it grows. Autovacuum does that on a server
     * that runs it; without it, a table written from empty keeps the plans of an empty one, and appends slow down as
     * it grows (an order of magnitude by 200,000 rows).
     */
    private static void analyze(String url, String schema) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE \"" + schema + "\".events");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void dropSchema(String url, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    private static String serverVersion(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                var row = statement.executeQuery("SHOW server_version")) {
            row.next();
            return row.getString(1);
        }
    }
}
