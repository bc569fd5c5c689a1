import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/**
 * The one way a service touches its database. A command's entry point opens a transaction with
 * `transaction()`; every repository call inside it (and the outbox write) joins that transaction
 * without passing a manager around.
 */
interface TxScope {
  manager: EntityManager;
  afterCommit: (() => void)[];
}

/**
 * One storage for every Db of the process, mapping each Db that is in a transaction to its scope:
 * every AsyncLocalStorage in use costs every promise of the process a hook call, and a process
 * can hold many Dbs (all the services of `npm start`; a producer and a consumer in the event bench).
 */
const scopes = new AsyncLocalStorage<ReadonlyMap<Db, TxScope>>();

export class Db {
  constructor(readonly dataSource: DataSource) {}

  private get scope(): TxScope | undefined {
    return scopes.getStore()?.get(this);
  }

  /** The transaction's manager when inside one, otherwise the pool's. */
  get manager(): EntityManager {
    return this.scope?.manager ?? this.dataSource.manager;
  }

  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(entity);
  }

  get inTransaction(): boolean {
    return this.scope !== undefined;
  }

  /** Runs `work` in a transaction; nested calls join the outer one. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const store = scopes.getStore();
    const outer = store?.get(this);
    if (outer) return work(outer.manager);
    const afterCommit: (() => void)[] = [];
    // Another Db's transaction around this one stays visible to that Db inside this one.
    const result = await this.dataSource.transaction((manager) => scopes.run(new Map(store).set(this, { manager, afterCommit }), () => work(manager)));
    for (const callback of afterCommit) callback();
    return result;
  }

  /**
   * Runs `callback` once the current transaction has committed (never if it rolls back), e.g. to
   * wake the outbox relay. Outside a transaction it runs at once.
   */
  onCommit(callback: () => void): void {
    const scope = this.scope;
    if (scope) scope.afterCommit.push(callback);
    else callback();
  }
}
