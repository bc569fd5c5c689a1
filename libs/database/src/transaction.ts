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

export class Db {
  private readonly current = new AsyncLocalStorage<TxScope>();

  constructor(readonly dataSource: DataSource) {}

  /** The transaction's manager when inside one, otherwise the pool's. */
  get manager(): EntityManager {
    return this.current.getStore()?.manager ?? this.dataSource.manager;
  }

  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(entity);
  }

  get inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  /** Runs `work` in a transaction; nested calls join the outer one. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) return work(outer.manager);
    const afterCommit: (() => void)[] = [];
    const result = await this.dataSource.transaction((manager) => this.current.run({ manager, afterCommit }, () => work(manager)));
    for (const callback of afterCommit) callback();
    return result;
  }

  /**
   * Runs `callback` once the current transaction has committed (never if it rolls back), e.g. to
   * wake the outbox relay. Outside a transaction it runs at once.
   */
  onCommit(callback: () => void): void {
    const scope = this.current.getStore();
    if (scope) scope.afterCommit.push(callback);
    else callback();
  }
}
