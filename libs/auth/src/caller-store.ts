import { AsyncLocalStorage } from 'node:async_hooks';
import { UnauthenticatedError } from './errors';
import type { Caller } from './principal';

/**
 * The verified caller of the work in progress. A domain service's edge sets it after checking the
 * signature; repositories read it to apply visibility, and fail closed when it is missing.
 */
const storage = new AsyncLocalStorage<Caller>();

export function runAsCaller<T>(caller: Caller, work: () => T): T {
  return storage.run(caller, work);
}

export function currentCaller(): Caller | undefined {
  return storage.getStore();
}

/** The caller, or an error: no query runs without knowing whose visibility applies. */
export function requireCaller(): Caller {
  const caller = storage.getStore();
  if (!caller) throw new UnauthenticatedError('caller-missing', 'No verified caller context accompanies this call.');
  return caller;
}
