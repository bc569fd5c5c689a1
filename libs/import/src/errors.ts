/**
 * A mistake in how the import was asked for (unknown entity, missing file, bad mapping): one
 * clear message, exit code 2. Problems in the data are not errors: they go in the report.
 */
export class ImportUsageError extends Error {
  readonly exitCode = 2;
}

/** Another (not dry) import of the same entity is running on the database: one at a time. */
export class ImportBusyError extends ImportUsageError {}
