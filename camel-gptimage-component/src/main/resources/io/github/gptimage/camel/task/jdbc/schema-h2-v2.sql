-- camel-gptimage's JdbcTaskStore, schema version 2, for H2 2.x: run after schema-h2-v1.sql. ${prefix} stands for the
-- store's table prefix (default gptimage_). Every statement is idempotent; the store runs both files itself unless it
-- is built with createSchema(false).

-- The credits each task is expected to cost (creditsPerImage x nVariants of its generate), set again on its
-- completion exchange. Tasks recorded by version 1 read as 0.
ALTER TABLE ${prefix}task ADD COLUMN IF NOT EXISTS credits BIGINT DEFAULT 0 NOT NULL;

-- The credits each account spent per budget window (creditBudget, creditBudgetPeriod): a generate adds its credits
-- with one conditional UPDATE that fails when the budget would be exceeded. Rows whose window ended more than 14 days
-- ago are dropped by purgeFinal.
CREATE TABLE IF NOT EXISTS ${prefix}spend (
    account      VARCHAR(255)                NOT NULL,
    window_start TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    window_end   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    spent        BIGINT                      NOT NULL,
    PRIMARY KEY (account, window_start)
);

CREATE INDEX IF NOT EXISTS ${prefix}spend_end ON ${prefix}spend (window_end);

INSERT INTO ${prefix}schema_version (version, installed_at)
    SELECT 2, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM ${prefix}schema_version WHERE version = 2);
