import { ImportBusyError } from './errors';
import type { Query } from './scratch';

/**
 * An entity's import turn: one advisory lock per entity (`pace-import:<entity>`), so one import or
 * rollback of the entity at a time. Two runs of one file would each take the other's new records
 * for duplicates of their own, and link to records the other run's insert made sure never exist;
 * a rollback meanwhile could have a duplicate linked to a record it deletes.
 */
const KEY = `hashtextextended('pace-import:' || $1, 0)`;

async function take(query: Query, lock: string, entity: string, busy: string): Promise<void> {
  const [{ ok }] = (await query(`SELECT ${lock}(${KEY}) AS ok`, [entity])) as { ok: boolean }[];
  if (!ok) throw new ImportBusyError(busy);
}

/** For a whole run, on its session (a crashed run's turn ends with its connection); give it back with `endRunTurn`. */
export const takeRunTurn = (query: Query, entity: string) =>
  take(query, 'pg_try_advisory_lock', entity, `another ${entity} import is running on this database; run it again when that one has finished`);

export async function endRunTurn(query: Query, entity: string): Promise<void> {
  await query(`SELECT pg_advisory_unlock(${KEY})`, [entity]);
}

/** For the caller's transaction (a rollback); it ends with the transaction. */
export const takeTransactionTurn = (query: Query, entity: string) =>
  take(query, 'pg_try_advisory_xact_lock', entity, `an ${entity} import is running on this database; roll back when it has finished`);
