/** The PostgreSQL server tests use; CI and developers' machines run one on 127.0.0.1:5432. */
export const adminDatabaseUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Set by the global setup: the migrated database each test file clones. */
export const TEMPLATE_ENV = 'PACE_TEST_TEMPLATE_DB';
export const EMULATOR_PID_ENV = 'PACE_TEST_EMULATOR_PID';
