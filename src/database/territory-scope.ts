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
 * logged). A transaction carries the scope from its first statement
 * (`set_config('cellule.territories', …, true)`, local to it, sent with START TRANSACTION in one
 * round trip); a lone statement runs with the
 * scope set on its pooled connection's session, re-set whenever the statement's unit of work wants
 * another one — including the empty scope for unscoped work — so a connection never lends one
 * request's scope to the next, and a request's lone statements pay no extra round trip once set.
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

/**
 * The current unit of work's scope, to run later work in: a streamed answer's pages are read after
 * the handler returned, outside the request's asynchronous context (the audit export).
 */
export function captureScope(): <T>(fn: () => T) => T {
  const store = storage.getStore();
  return <T>(fn: () => T): T => (store ? storage.run(store, fn) : fn());
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

/**
 * The scope each pooled connection carries at session level (what the last lone statement on it
 * set): a lone statement re-sets it only when its unit of work wants another one, so a request's
 * statements cost no extra round trip once its connection carries its scope.
 */
const connectionScope = new WeakMap<object, string>();

/** The setting's values are territory ids, `*` or empty (withTerritories checks the ids): nothing to quote. */
const LITERAL_SCOPE = /^[0-9a-f,*-]*$/i;

function scoped(dataSource: DataSource, runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (q: string, p?: unknown[], s?: boolean) => Promise<unknown>;
  const startTransaction = runner.startTransaction.bind(runner);
  /** The scope that the next START TRANSACTION of this runner sets in the same round trip (see startTransaction). */
  let scopeWithStart: string | undefined;
  /** The audit entry of a request's first use of the wide scope (once per unit of work). */
  const auditWide = async (store: ScopeStore | undefined) => {
    if (store && store.territories === ALL_TERRITORIES && !store.audited) {
      store.audited = true;
      await auditors.get(dataSource)?.({ reason: store.reason, actorId: store.actorId, requestId: store.requestId });
    }
  };
  runner.startTransaction = async (isolationLevel) => {
    const store = storage.getStore();
    if (runner.isTransactionActive) return startTransaction(isolationLevel);
    const wanted = store?.territories ?? '';
    // Transaction-local: it ends with the transaction. Unscoped work on a connection that carries a
    // scope from a lone statement gets the empty one, so it still sees nothing.
    const connection = (await runner.connect()) as object;
    const needed = store !== undefined || (connectionScope.get(connection) ?? '') !== '';
    // Without an isolation level, the setting goes with START TRANSACTION as one simple query (one
    // round trip instead of two: every transaction pays it); with one, SET TRANSACTION must come
    // first, so the setting follows on its own.
    const together = needed && !(isolationLevel ?? dataSource.options.isolationLevel) && LITERAL_SCOPE.test(wanted);
    scopeWithStart = together ? wanted : undefined;
    try {
      await startTransaction(isolationLevel);
    } finally {
      scopeWithStart = undefined;
    }
    await auditWide(store);
    if (needed && !together) await query(`SELECT set_config('${TERRITORY_SETTING}', $1, true)`, [wanted]);
  };
  (runner as { query: typeof query }).query = async (text, parameters, structured) => {
    if (runner.isTransactionActive) {
      if (scopeWithStart !== undefined && text === 'START TRANSACTION' && parameters === undefined) {
        const scope = scopeWithStart;
        scopeWithStart = undefined;
        return query(`START TRANSACTION; SELECT set_config('${TERRITORY_SETTING}', '${scope}', true)`, undefined, structured);
      }
      return query(text, parameters, structured);
    }
    const store = storage.getStore();
    await auditWide(store);
    // A lone statement runs in its own implicit transaction: the scope is set on the session,
    // committed at once, and kept in step with `connectionScope` (unset = '', which sees nothing).
    const wanted = store?.territories ?? '';
    const connection = (await runner.connect()) as object;
    if ((connectionScope.get(connection) ?? '') !== wanted) {
      connectionScope.delete(connection);
      await query(`SELECT set_config('${TERRITORY_SETTING}', $1, false)`, [wanted]);
      connectionScope.set(connection, wanted);
    }
    return query(text, parameters, structured);
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
