-- The tables of camel-gptimage's JdbcTaskStore, schema version 1, for H2 2.x (one node: an H2 file is opened by one
-- JVM). ${prefix} stands for the store's table prefix (default gptimage_). The store runs this script itself unless it
-- is built with createSchema(false); every statement is idempotent.

-- The tasks the service accepted and whose completion exchange has not completed yet. No API key is stored: a task
-- names its account. JSON columns are written with Jackson from the task's records.
CREATE TABLE IF NOT EXISTS ${prefix}task (
    task_id             VARCHAR(255)                NOT NULL PRIMARY KEY,
    account             VARCHAR(255)                NOT NULL,
    submitted_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    request             CHARACTER LARGE OBJECT,
    callback_token      VARCHAR(255),
    correlation_headers CHARACTER LARGE OBJECT      NOT NULL,
    initial_delay_ms    BIGINT                      NOT NULL,
    max_interval_ms     BIGINT                      NOT NULL,
    safety_net          BOOLEAN                     NOT NULL,
    request_timeout_ms  BIGINT                      NOT NULL,
    connect_timeout_ms  BIGINT                      NOT NULL,
    idempotency_key     VARCHAR(1024),
    state               VARCHAR(16)                 NOT NULL CHECK (state IN ('PENDING', 'FINAL')),
    due_at              TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    lease_owner         VARCHAR(255),
    poll_count          INTEGER                     NOT NULL,
    progress            DOUBLE PRECISION,
    progress_at         TIMESTAMP(6) WITH TIME ZONE,
    final_info          CHARACTER LARGE OBJECT,
    final_at            TIMESTAMP(6) WITH TIME ZONE,
    deliveries          INTEGER                     NOT NULL,
    waiting_node        VARCHAR(255),
    waiting_until       TIMESTAMP(6) WITH TIME ZONE,
    version             BIGINT                      NOT NULL
);

-- claimDue and nextDue: the earliest due tasks of a state, in index order
CREATE INDEX IF NOT EXISTS ${prefix}task_due ON ${prefix}task (state, due_at, task_id);

-- purgeFinal: the final tasks recorded before the retention's cut-off
CREATE INDEX IF NOT EXISTS ${prefix}task_final ON ${prefix}task (state, final_at);

-- The id and callback token of each removed task, kept 14 days so that a late or repeated callback can be told from a
-- forged one.
CREATE TABLE IF NOT EXISTS ${prefix}tombstone (
    task_id        VARCHAR(255)                NOT NULL PRIMARY KEY,
    callback_token VARCHAR(255)                NOT NULL,
    removed_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS ${prefix}tombstone_removed ON ${prefix}tombstone (removed_at);

-- The submits with an idempotency key, recorded before their generate is sent, so that of several submits with one
-- key (per account), on any node, only the first sends. An accepted attempt is kept while its task exists, then as
-- long as the task's tombstone; one in doubt or still sending, 14 days after it started; purgeFinal drops the others.
-- The callback token is that of the generate's callback URL as the service gives it (a hash); the template is the task
-- as it will be tracked, without its task id, as JSON written with Jackson.
CREATE TABLE IF NOT EXISTS ${prefix}attempt (
    account          VARCHAR(255)                NOT NULL,
    idempotency_key  VARCHAR(1024)               NOT NULL,
    started_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    state            VARCHAR(16)                 NOT NULL CHECK (state IN ('SENDING', 'IN_DOUBT', 'ACCEPTED')),
    task_id          VARCHAR(255),
    callback_token   VARCHAR(255),
    template         CHARACTER LARGE OBJECT      NOT NULL,
    PRIMARY KEY (account, idempotency_key)
);

-- findAttemptByToken: the attempt whose generate carried a callback token
CREATE INDEX IF NOT EXISTS ${prefix}attempt_token ON ${prefix}attempt (callback_token);

-- purgeFinal: the attempts started before the tombstones' lifetime
CREATE INDEX IF NOT EXISTS ${prefix}attempt_started ON ${prefix}attempt (started_at);

-- The schema versions installed; a store refuses a database whose schema is newer than it knows.
CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
    version      INTEGER                     NOT NULL PRIMARY KEY,
    installed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

INSERT INTO ${prefix}schema_version (version, installed_at)
    SELECT 1, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM ${prefix}schema_version WHERE version = 1);
