package io.github.gptimage.camel.api;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TaskInfoReader} tolerates the shapes public clients met in {@code info} answers and callbacks.
 */
class TaskInfoReaderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final TaskInfoReader reader = new TaskInfoReader(mapper);

    private TaskInfo read(String data) throws Exception {
        return reader.read("requested", mapper.readTree(data));
    }

    @Test
    void nonObjectDataIsAPendingTask() throws Exception {
        TaskInfo info = read("\"oops\"");

        assertThat(info).isEqualTo(TaskInfo.pending("requested"));
        assertThat(reader.read("requested", null).status()).isEqualTo(TaskStatus.UNKNOWN);
    }

    @Test
    void missingTaskIdFallsBackToTheRequestedOne() throws Exception {
        assertThat(read("{\"status\":\"GENERATING\"}").taskId()).isEqualTo("requested");
    }

    @Test
    void paramJsonAsObjectOrUnreadableString() throws Exception {
        assertThat(read("{\"paramJson\":{\"prompt\":\"p\"}}").parameters()).isEqualTo(Map.of("prompt", "p"));
        assertThat(read("{\"paramJson\":\"{not json\"}").parameters()).isEmpty();
        assertThat(read("{\"paramJson\":\"null\"}").parameters()).isEmpty();
    }

    @Test
    void resultUrlsSkipNullsAndPreferTheSpecifiedSpelling() throws Exception {
        assertThat(read("{\"response\":{\"resultUrls\":[\"https://a\",null,\"\"],\"result_urls\":[\"https://b\"]}}")
                .resultUrls()).containsExactly("https://a");
        assertThat(TaskInfoReader.resultUrls(mapper.readTree("{\"result_urls\":[\"https://c\"]}")))
                .containsExactly("https://c");
        assertThat(TaskInfoReader.resultUrls(mapper.readTree("null"))).isEmpty();
    }

    @Test
    void unreadableProgressAndTimesAreAbsent() throws Exception {
        TaskInfo info = read("{\"progress\":\"n/a\",\"createTime\":\"yesterday\",\"completeTime\":\"\"}");

        assertThat(info.progress()).isNull();
        assertThat(info.createTime()).isNull();
        assertThat(info.completeTime()).isNull();
    }

    @Test
    void statusIsCaseAndSpaceTolerant() throws Exception {
        assertThat(read("{\"status\":\" success \",\"createTime\":1672561200000}").status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(read("{\"createTime\":1672561200000}").createTime()).isEqualTo(Instant.ofEpochMilli(1672561200000L));
    }
}
