-- The read model AccountBalances keeps, beside the events: in the SQLite file, or in the PostgreSQL DataSource's
-- current schema. Spring Boot runs this at every start (spring.sql.init.mode=always), hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS accounts (
    id      TEXT   PRIMARY KEY,
    owner   TEXT   NOT NULL,
    balance BIGINT NOT NULL,
    version BIGINT NOT NULL
);
