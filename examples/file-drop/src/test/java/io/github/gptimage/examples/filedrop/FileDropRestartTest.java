package io.github.gptimage.examples.filedrop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.gptimage.camel.api.TaskInfo;
import io.github.gptimage.camel.api.TaskStatus;
import io.github.gptimage.camel.task.TrackedTask;
import io.github.gptimage.camel.task.jdbc.JdbcTaskStore;
import io.github.gptimage.simulator.ApiTarget;
import io.github.gptimage.simulator.GptImageSimulator;
import io.github.gptimage.simulator.TaskDetails;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application stopped at each point of a prompt file's story, then started again on the same folders and the same
 * task store (an H2 file): the file is made into its images exactly once, and its prompt paid once. The stop is Camel's
 * forced shutdown (a shutdown timeout of 1 s while the exchange waits), which leaves the file in the inbox and the
 * store as a {@code kill -9} does; {@code FileDropRestartProcessIT} kills a real process.
 */
class FileDropRestartTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The modification time of the dropped prompt files, so that a file can be put back as it was. */
    private static final FileTime MODIFIED = FileTime.from(Instant.parse("2025-01-02T03:04:05.678Z"));

    @TempDir
    Path dir;

    private Path inbox;
    private Path outbox;
    private Path error;
    private String storeUrl;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private GptImageSimulator simulator;
    private FileDropApplication app;
    private Future<Integer> exitCode;

    @BeforeEach
    void start() {
        inbox = dir.resolve("inbox");
        outbox = dir.resolve("outbox");
        error = dir.resolve("error");
        storeUrl = "jdbc:h2:file:" + dir.resolve("store/gptimage") + ";WRITE_DELAY=0";
        simulator = GptImageSimulator.builder().completionTime(Duration.ofSeconds(2)).apiKey("test-key").build()
                .start();
    }

    @AfterEach
    void shutDown() throws Exception {
        if (app != null) {
            stopApp();
        }
        runner.shutdownNow();
        simulator.stop();
    }

    @Test
    @Timeout(120)
    void aTaskPendingAtTheStopIsWaitedForAfterTheRestartWithoutPayingAgain() throws Exception {
        // first polled 15 s after its submit (a task keeps the schedule of its submit): after the stop, by the restart
        serve(Duration.ofSeconds(15));
        drop("apple.txt", "A red apple on a wooden table");
        awaitTasksInStore(1);
        stopApp();
        // with the read lock's marker file, as a kill leaves it: the next start deletes it
        assertThat(listing(inbox)).as("the file waits in the inbox")
                .containsExactly("apple.txt", "apple.txt.camelLock");
        assertThat(listing(outbox)).isEmpty();

        serve(Duration.ofMillis(400));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        assertThat(listing(outbox)).containsExactly("apple.png");
        assertThat(listing(error)).isEmpty();
        assertThat(simulator.stats().generateCalls()).as("paid once").isEqualTo(1);
        assertThat(app.progress().outcomes()).singleElement()
                .satisfies(outcome -> assertThat(outcome.images()).containsExactly(outbox.resolve("apple.png")));
    }

    @Test
    @Timeout(120)
    void aTaskWhoseAnswerWasBeingDeliveredAtTheStopIsDeliveredAtOnceAfterTheRestart() throws Exception {
        serve(Duration.ofMinutes(10));
        drop("pear.txt", "A green pear on a plate");
        awaitTasksInStore(1);
        stopApp();
        // what the killed node leaves when it had the task's final answer and was writing its image: the task final,
        // leased to it for the lease duration (2 min), its image maybe written, the prompt file still in the inbox
        TaskDetails done = await().atMost(PATIENCE).until(() -> simulator.tasks().get(0),
                task -> task.response() != null);
        JdbcTaskStore store = store();
        TrackedTask pending = store.find(done.taskId()).orElseThrow();
        Instant now = Instant.now();
        store.update(pending, pending.finished(new TaskInfo(done.taskId(), TaskStatus.SUCCESS, 1.0,
                done.response().resultUrls(), null, null, null, null, null), now, now.plus(Duration.ofMinutes(2)), "file-drop", true))
                .orElseThrow();

        serve(Duration.ofMinutes(10)); // delivered without a poll, and not only when the lease ends

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        assertThat(listing(outbox)).containsExactly("pear.png");
        assertThat(listing(error)).isEmpty();
        assertThat(simulator.stats().generateCalls()).as("paid once").isEqualTo(1);
    }

    @Test
    @Timeout(120)
    void aFileStillInTheInboxAfterItsImagesWereWrittenIsNeitherSentNorWrittenAgain() throws Exception {
        serve(Duration.ofMillis(400));
        drop("plum.txt", "size: 3:2\nvariants: 2\n\nTwo plums in a bowl");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        stopApp();
        assertThat(listing(outbox)).containsExactly("plum-1.png", "plum-2.png");
        FileTime written = Files.getLastModifiedTime(outbox.resolve("plum-1.png"));
        // the task was delivered and removed, but the kill came before the file consumer deleted the file
        putBack("plum.txt", "size: 3:2\nvariants: 2\n\nTwo plums in a bowl");

        serve(Duration.ofMillis(400));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        assertThat(listing(outbox)).containsExactly("plum-1.png", "plum-2.png");
        assertThat(Files.getLastModifiedTime(outbox.resolve("plum-1.png"))).as("not written again").isEqualTo(written);
        assertThat(listing(error)).isEmpty();
        assertThat(simulator.stats().generateCalls()).as("paid once").isEqualTo(1);
        assertThat(app.progress().outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome.succeeded()).isTrue();
            assertThat(outcome.images()).containsExactly(outbox.resolve("plum-1.png"), outbox.resolve("plum-2.png"));
        });
    }

    @Test
    @Timeout(120)
    void aFileWhoseFailureWasReportedBeforeTheRestartIsNotSentAgain() throws Exception {
        serve(Duration.ofMillis(400));
        drop("cherry.txt", "A cherry on a cake [fail]");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        stopApp();
        assertThat(listing(error)).containsExactly("cherry.txt", "cherry.txt.error.txt");
        putBack("cherry.txt", "A cherry on a cake [fail]");

        serve(Duration.ofMillis(400));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        assertThat(listing(error)).containsExactly("cherry.txt", "cherry.txt.error.txt");
        assertThat(Files.readString(error.resolve("cherry.txt.error.txt")))
                .startsWith("io.github.gptimage.camel.error.GptImageGenerationFailedException: ");
        assertThat(simulator.stats().generateCalls()).isEqualTo(1);
        assertThat(app.progress().outcomes()).singleElement().satisfies(outcome -> assertThat(outcome.succeeded())
                .isFalse());
    }

    @Test
    @Timeout(120)
    void aFileMadeBeforeWhoseImagesAreGoneGoesToTheErrorFolderWithTheReason() throws Exception {
        serve(Duration.ofMillis(400));
        drop("fig.txt", "A fig tree in the sun");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(inbox)).isEmpty());
        stopApp();
        Files.delete(outbox.resolve("fig.png"));
        putBack("fig.txt", "A fig tree in the sun");

        serve(Duration.ofMillis(400));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(listing(error))
                .containsExactly("fig.txt", "fig.txt.error.txt"));
        assertThat(Files.readString(error.resolve("fig.txt.error.txt")))
                .contains("was completed and delivered before")
                .contains("drop a new copy of the file");
        assertThat(listing(outbox)).isEmpty();
        assertThat(simulator.stats().generateCalls()).isEqualTo(1);
    }

    /** Starts the application in serve mode, polling its tasks after {@code firstPoll}. */
    private void serve(Duration firstPoll) {
        Map<String, String> properties = new HashMap<>();
        properties.put("gptimage.inbox", inbox.toString());
        properties.put("gptimage.outbox", outbox.toString());
        properties.put("gptimage.error", error.toString());
        properties.put(FileDropApplication.STORE_URL_PROPERTY, storeUrl);
        properties.put("gptimage.serve", "true");
        properties.put(ApiTarget.API_KEY_PROPERTY, "test-key");
        properties.put("camel.component.gptimage.base-url", simulator.baseUrl());
        properties.put("camel.component.gptimage.poll-initial-delay", firstPoll.toMillis() + "ms");
        properties.put("camel.component.gptimage.poll-max-interval", "400ms");
        properties.put("gptimage.redelivery-delay", "100");
        // a stop does not wait for the exchanges that wait for their tasks: they are left as a kill leaves them
        properties.put("camel.main.shutdown-timeout", "1");
        app = new FileDropApplication(properties, Map.of());
        exitCode = runner.submit(() -> app.run());
        await().atMost(PATIENCE).until(() -> app.isStarted() || exitCode.isDone());
        assertThat(app.isStarted()).as("application started").isTrue();
    }

    private void stopApp() throws Exception {
        app.stop();
        exitCode.get(30, TimeUnit.SECONDS);
        app = null;
    }

    /** Waits until the application recorded {@code count} tasks, so that a stop comes after their submits. */
    private void awaitTasksInStore(int count) {
        await().atMost(PATIENCE).until(() -> countRows("gptimage_task") == count);
    }

    private int countRows(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(storeUrl);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException tableNotYetThere) {
            return -1;
        }
    }

    private JdbcTaskStore store() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(storeUrl);
        return JdbcTaskStore.builder(dataSource).build();
    }

    /** Writes a prompt file next to the inbox and moves it in, with the modification time {@link #MODIFIED}. */
    private void drop(String name, String content) throws IOException {
        Path partial = dir.resolve(name + ".part");
        Files.writeString(partial, content);
        Files.setLastModifiedTime(partial, MODIFIED);
        Files.move(partial, inbox.resolve(name));
    }

    /** The prompt file as it was when it was picked up (same name, content and modification time). */
    private void putBack(String name, String content) throws IOException {
        drop(name, content);
    }

    /** The visible files of a folder, sorted. */
    private static List<String> listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().toList();
        }
    }
}
