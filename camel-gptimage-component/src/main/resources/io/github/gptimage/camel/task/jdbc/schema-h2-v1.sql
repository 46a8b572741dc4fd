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

-- The schema versions installed; a store refuses a database whose schema is newer than it knows.
CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
    version      INTEGER                     NOT NULL PRIMARY KEY,
    installed_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

INSERT INTO ${prefix}schema_version (version, installed_at)
    SELECT 1, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM ${prefix}schema_version WHERE version = 1);
