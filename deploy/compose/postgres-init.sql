-- Runs once, on an empty data volume, as the superuser of the postgres container (POSTGRES_DB=pace).
-- The AI suite has a database of its own; pgvector needs a superuser to install, so it is done here
-- and not in a service migration.
CREATE DATABASE pace_ai;
\connect pace_ai
CREATE EXTENSION IF NOT EXISTS vector;
\connect pace
CREATE EXTENSION IF NOT EXISTS vector;
