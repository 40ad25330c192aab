import { JOB_SCHEMA } from '../../migrations/1796500000001-JobQueue.js';
import { select, type SqlRunner } from './sql.js';

/** The three database roles of a deployment (README, Operations). */
export const OWNER_ROLE = 'cellule_owner';
/** The group the API's login roles belong to: DML on the working tables, no DDL, under row-level security. */
export const APP_ROLE = 'cellule_app';
/** The login role of the API replicas (a member of APP_ROLE). */
export const API_LOGIN_ROLE = 'cellule_api';
/** Read-only on the audit tables: what an auditor's offline verification connects as. */
export const AUDITOR_ROLE = 'cellule_auditor';

interface RoleFacts {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  createRole: boolean;
  /** Superuser or BYPASSRLS roles this role may become (SET ROLE). */
  powerfulRoles: string[] | null;
  /** Tables, views and sequences of the schema owned by this role or a role it is a member of. */
  owned: string[] | null;
  /** Roles among those owners (itself, or one it belongs to). */
  owners: string[] | null;
  createInSchema: boolean;
  /** Tables of the job queue's schema (pg-boss) owned likewise. */
  ownedJobs: string[] | null;
  createInJobs: boolean;
  schema: string;
}

/**
 * What makes the connected role unfit to serve requests: anything that lets it bypass the
 * row-level security, change the schema or the audit triggers. Empty: fit.
 */
export async function privilegeProblems(db: SqlRunner): Promise<string[]> {
  const [facts] = await select<RoleFacts>(
    db,
    `SELECT r.rolname::text AS role, r.rolsuper AS superuser, r.rolbypassrls AS "bypassRls", r.rolcreaterole AS "createRole",
            (SELECT array_agg(o.rolname::text ORDER BY o.rolname) FROM pg_roles o
              WHERE o.rolname <> r.rolname AND (o.rolsuper OR o.rolbypassrls) AND pg_has_role(r.oid, o.oid, 'MEMBER')) AS "powerfulRoles",
            (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS owned,
            (SELECT array_agg(DISTINCT o.rolname::text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_roles o ON o.oid = c.relowner
              WHERE n.nspname IN (current_schema(), $1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS owners,
            has_schema_privilege(r.oid, current_schema(), 'CREATE') AS "createInSchema",
            (SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_has_role(r.oid, c.relowner, 'MEMBER')) AS "ownedJobs",
            EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = $1 AND has_schema_privilege(r.oid, n.oid, 'CREATE')) AS "createInJobs",
            current_schema()::text AS schema
       FROM pg_roles r WHERE r.rolname = current_user`,
    [JOB_SCHEMA],
  );
  const problems: string[] = [];
  if (facts.superuser) problems.push(`the database role ${facts.role} is a superuser (it ignores row-level security and can disable the audit triggers)`);
  if (facts.bypassRls) problems.push(`the database role ${facts.role} bypasses row-level security (BYPASSRLS)`);
  if (facts.powerfulRoles?.length) problems.push(`the database role ${facts.role} can become ${facts.powerfulRoles.join(', ')} (superuser or BYPASSRLS)`);
  if (facts.owned?.length) {
    const shown = facts.owned.slice(0, 5).join(', ') + (facts.owned.length > 5 ? `… (${facts.owned.length} in all)` : '');
    const through = (facts.owners ?? []).filter((o) => o !== facts.role);
    problems.push(
      `the database role ${facts.role} owns tables of schema ${facts.schema}${through.length ? ` (as a member of ${through.join(', ')})` : ''}: ${shown} — an owner can alter them, drop the audit triggers and row-level security`,
    );
  }
  if (facts.ownedJobs?.length) {
    const shown = facts.ownedJobs.slice(0, 5).join(', ') + (facts.ownedJobs.length > 5 ? `… (${facts.ownedJobs.length} in all)` : '');
    problems.push(
      `the database role ${facts.role} owns tables of the job queue's schema ${JOB_SCHEMA}: ${shown} — its queues are made by the migrations, as the owner`,
    );
  }
  if (facts.createInSchema) problems.push(`the database role ${facts.role} may create objects in schema ${facts.schema}`);
  if (facts.createInJobs) problems.push(`the database role ${facts.role} may create objects in the job queue's schema ${JOB_SCHEMA}`);
  if (facts.createRole) problems.push(`the database role ${facts.role} may create roles (CREATEROLE)`);
  return problems;
}

export class PrivilegeError extends Error {
  constructor(problems: string[]) {
    super(
      `Refusing to serve with this DATABASE_URL in production:\n  - ${problems.join('\n  - ')}\n` +
        `Run the server as a login role of ${APP_ROLE} (e.g. ${API_LOGIN_ROLE}); migrate with the owner (npm run migrate). See README, Operations.`,
    );
    this.name = 'PrivilegeError';
  }
}

/** Throws PrivilegeError (naming every problem) unless the connected role is fit to serve. */
export async function assertLeastPrivilege(db: SqlRunner): Promise<void> {
  const problems = await privilegeProblems(db);
  if (problems.length) throw new PrivilegeError(problems);
}
