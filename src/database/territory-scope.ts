import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * The territories the current unit of work may see, as the row-level security policies read them
 * (migration TerritoryRowSecurity): the transaction-local setting `cellule.territories`, a comma-
 * separated list of territory ids, or `*` for every territory. Unset or empty: no row of a
 * territorial table is visible or writable — a forgotten scope fails closed.
 *
 * The scope lives in an AsyncLocalStorage: a request gets its caller's (TerritoryScopeInterceptor),
 * a scheduled job or a cross-territory command the wide one through `asSystem` (explicit, named,
 * logged). Every query the unit of work sends runs in a transaction that starts with
 * `set_config('cellule.territories', …, true)`: a transaction of its own carries it from its first
 * statement; a lone statement is wrapped in one. Nothing is set on the connection itself, so a
 * pooled connection never carries a scope into the next request.
 */
export const TERRITORY_SETTING = 'cellule.territories';
export const ALL_TERRITORIES = '*';

interface ScopeStore {
  /** The setting's value: '' (none), '*' (all), or ids joined by commas. */
  readonly territories: string;
  /** Why the wide scope is held (a job's name, a route's action), for the audit. */
  readonly reason: string;
  readonly actorId: string | null;
  readonly requestId: string | null;
  /** The wide scope of this unit of work was recorded (once per unit). */
  audited: boolean;
}

const storage = new AsyncLocalStorage<ScopeStore>();

/** Called the first time a unit of work uses the wide scope (the audit entry of a cross-territory request). */
type WideScopeAuditor = (use: { reason: string; actorId: string | null; requestId: string | null }) => Promise<void>;
const auditors = new WeakMap<DataSource, WideScopeAuditor>();

export function setWideScopeAuditor(dataSource: DataSource, auditor: WideScopeAuditor): void {
  auditors.set(dataSource, auditor);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs `fn` seeing the rows of `territoryIds` only (none when empty). */
export function withTerritories<T>(territoryIds: readonly string[], fn: () => T, who: { actorId?: string | null; requestId?: string | null } = {}): T {
  if (!territoryIds.every((id) => UUID.test(id))) throw new Error('A territory scope lists territory ids');
  return storage.run(
    { territories: territoryIds.join(','), reason: 'caller', actorId: who.actorId ?? null, requestId: who.requestId ?? null, audited: true },
    fn,
  );
}

/**
 * Runs `fn` seeing every territory: the explicit door for the scheduled jobs, the metrics' counts
 * and a request whose action the policy grants everywhere (an administrator, an auditor attached
 * to no territory). `reason` names the work; a request's use is written to the audit log.
 */
export function asSystem<T>(reason: string, fn: () => T, who: { actorId?: string | null; requestId?: string | null; audit?: boolean } = {}): T {
  return storage.run({ territories: ALL_TERRITORIES, reason, actorId: who.actorId ?? null, requestId: who.requestId ?? null, audited: !who.audit }, fn);
}

/** The scope of the current unit of work (undefined outside any). */
export function currentTerritories(): string | undefined {
  return storage.getStore()?.territories;
}

/**
 * Makes every query runner of `dataSource` carry the current scope (see above). Idempotent. A
 * query outside any scope runs as it is: under row-level security it sees no territorial row.
 */
export function installTerritoryScope(dataSource: DataSource): void {
  const driver = dataSource.driver as { createQueryRunner(mode: 'master' | 'slave'): QueryRunner; __celluleScoped?: boolean };
  if (driver.__celluleScoped) return;
  driver.__celluleScoped = true;
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => scoped(dataSource, create(mode));
}

function scoped(dataSource: DataSource, runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (q: string, p?: unknown[], s?: boolean) => Promise<unknown>;
  const startTransaction = runner.startTransaction.bind(runner);
  const setScope = async (store: ScopeStore) => {
    if (store.territories === ALL_TERRITORIES && !store.audited) {
      store.audited = true;
      await auditors.get(dataSource)?.({ reason: store.reason, actorId: store.actorId, requestId: store.requestId });
    }
    await query(`SELECT set_config('${TERRITORY_SETTING}', $1, true)`, [store.territories]);
  };
  runner.startTransaction = async (isolationLevel) => {
    const store = storage.getStore();
    const outermost = !runner.isTransactionActive;
    await startTransaction(isolationLevel);
    if (store && outermost) await setScope(store);
  };
  (runner as { query: typeof query }).query = async (text, parameters, structured) => {
    const store = storage.getStore();
    if (!store || runner.isTransactionActive) return query(text, parameters, structured);
    await startTransaction();
    try {
      await setScope(store);
      const result = await query(text, parameters, structured);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  };
  return runner;
}

/**
 * Finds a resource the caller's scope hides, for the access decision only: a commission, session
 * or case of another territory is then refused by AccessService with its reason (other_territory,
 * written to the access log, answered 404 as an unknown id) instead of passing unlogged as
 * unknown. `fn` must query through the data source (a fresh transaction), never the request's
 * transaction, and its result must go straight to AccessService.require.
 */
export function locateForRefusal<T>(fn: () => Promise<T>): Promise<T> {
  return asSystem('access:locate', fn);
}
