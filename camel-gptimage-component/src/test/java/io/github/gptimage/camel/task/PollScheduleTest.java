package io.github.gptimage.camel.task;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PollSchedule}: no interval below the 334 ms floor (3 info calls a second), intervals growing by half from the
 * initial delay up to the maximum, callbacks making polling a slower safety net, and rising progress moving the next
 * poll to the extrapolated end of the task.
 */
class PollScheduleTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void intervalsBelowTheFloorAreRaisedTo334Millis() {
        PollSchedule schedule = new PollSchedule(Duration.ofMillis(10), Duration.ofMillis(50), false);

        assertThat(schedule.initialDelay()).isEqualTo(Duration.ofMillis(334));
        assertThat(schedule.maxInterval()).isEqualTo(Duration.ofMillis(334));
        assertThat(schedule.firstPoll(T0)).isEqualTo(T0.plusMillis(334));
        for (int polls = 0; polls < 30; polls++) {
            assertThat(schedule.growing(T0, polls)).isEqualTo(T0.plusMillis(334));
        }
        assertThat(PollSchedule.belowFloor(Duration.ofMillis(333))).isTrue();
        assertThat(PollSchedule.belowFloor(Duration.ofMillis(334))).isFalse();
        assertThat(new PollSchedule(null, null, false).initialDelay()).isEqualTo(PollSchedule.MIN_INTERVAL);
    }

    @Test
    void intervalsGrowByHalfUpToTheMaximum() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(5), false);

        assertThat(schedule.firstPoll(T0)).isEqualTo(T0.plusSeconds(1));
        assertThat(schedule.growing(T0, 0)).isEqualTo(T0.plusMillis(1000));
        assertThat(schedule.growing(T0, 1)).isEqualTo(T0.plusMillis(1500));
        assertThat(schedule.growing(T0, 2)).isEqualTo(T0.plusMillis(2250));
        assertThat(schedule.growing(T0, 3)).isEqualTo(T0.plusMillis(3375));
        assertThat(schedule.growing(T0, 4)).isEqualTo(T0.plusMillis(5000));
        assertThat(schedule.growing(T0, 1_000)).isEqualTo(T0.plusMillis(5000));
        assertThat(schedule.idlePoll(T0)).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void maximumBelowTheInitialDelayIsRaisedToIt() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(10), Duration.ofSeconds(2), false);

        assertThat(schedule.maxInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.growing(T0, 5)).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void withCallbacksPollingIsAFourTimesSlowerSafetyNet() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(5), true);

        assertThat(schedule.firstPoll(T0)).isEqualTo(T0.plusSeconds(4));
        assertThat(schedule.growing(T0, 1)).isEqualTo(T0.plusMillis(6000));
        assertThat(schedule.growing(T0, 50)).isEqualTo(T0.plusSeconds(20));
        assertThat(schedule.idlePoll(T0)).isEqualTo(T0.plusSeconds(20));
    }

    private static TrackedTask submittedAt(Instant at, PollSchedule schedule) {
        return TrackedTask.accepted("t", "acct", at, null, null, null, schedule, null);
    }

    @Test
    void firstProgressExtrapolatesFromTheSubmission() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(2), Duration.ofSeconds(10), false);
        TrackedTask task = submittedAt(T0, schedule);

        // 40 % after 2 s: 3 s left, plus the margin
        assertThat(schedule.nextPoll(task, T0.plusSeconds(2), 0.4)).isEqualTo(T0.plusMillis(5_100));
    }

    @Test
    void laterProgressExtrapolatesFromThePreviousPoll() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(2), Duration.ofSeconds(10), false);
        TrackedTask polled = submittedAt(T0, schedule).polled(T0.plusSeconds(4), 0.4, T0.plusSeconds(2));

        // from 40 % to 60 % in 2 s: 4 s left
        assertThat(schedule.nextPoll(polled, T0.plusSeconds(4), 0.6)).isEqualTo(T0.plusMillis(8_100));
    }

    @Test
    void extrapolationStaysBetweenTheFloorAndTheLongestInterval() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(2), Duration.ofSeconds(10), false);
        TrackedTask task = submittedAt(T0, schedule);

        assertThat(schedule.nextPoll(task, T0.plusSeconds(2), 0.99)).isEqualTo(T0.plusMillis(2_334));
        assertThat(schedule.nextPoll(task, T0.plusSeconds(2), 0.01)).isEqualTo(T0.plusSeconds(12));
    }

    @Test
    void withoutRisingProgressIntervalsGrow() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(2), Duration.ofSeconds(10), false);
        TrackedTask polled = submittedAt(T0, schedule).polled(T0.plusSeconds(4), 0.5, T0.plusSeconds(2));

        assertThat(schedule.nextPoll(polled, T0.plusSeconds(4), null)).isEqualTo(T0.plusSeconds(7));
        assertThat(schedule.nextPoll(polled, T0.plusSeconds(4), 0.5)).isEqualTo(T0.plusSeconds(7));
        assertThat(schedule.nextPoll(polled, T0.plusSeconds(4), 0.0)).isEqualTo(T0.plusSeconds(7));
    }

    @Test
    void safetyNetPollingIgnoresProgress() {
        PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(5), true);
        TrackedTask task = submittedAt(T0, schedule);

        assertThat(schedule.nextPoll(task, T0.plusSeconds(4), 0.9)).isEqualTo(T0.plusSeconds(8));
    }
}
