import type { Page } from '../common/pagination.js';
import type { TerritoryScope } from '../access/permissions.js';
import type { Sector } from '../access/policy.types.js';
import { select, type SqlRunner } from '../database/sql.js';

export interface TerritoryRow {
  id: string;
  name: string;
  createdAt: Date;
}

export interface OrganisationRow {
  id: string;
  name: string;
  sector: Sector;
  territoryId: string;
}

/** The new territory; undefined when the name is taken. */
export async function insertTerritory(runner: SqlRunner, name: string): Promise<TerritoryRow | undefined> {
  const [row] = await select<TerritoryRow>(
    runner,
    `INSERT INTO territories (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at AS "createdAt"`,
    [name],
  );
  return row;
}

export function listTerritories(runner: SqlRunner, page: Page): Promise<TerritoryRow[]> {
  return select<TerritoryRow>(runner, `SELECT id, name, created_at AS "createdAt" FROM territories ORDER BY name, id LIMIT $1 OFFSET $2`, [
    page.limit,
    page.offset,
  ]);
}

export async function territoryExists(runner: SqlRunner, id: string): Promise<boolean> {
  return (await select<{ ok: 1 }>(runner, `SELECT 1 AS ok FROM territories WHERE id = $1`, [id])).length > 0;
}

/** The new organisation; undefined when its territory has one of that name already. */
export async function insertOrganisation(
  runner: SqlRunner,
  organisation: { name: string; sector: Sector; territoryId: string },
): Promise<(OrganisationRow & { createdAt: Date }) | undefined> {
  const [row] = await select<OrganisationRow & { createdAt: Date }>(
    runner,
    `INSERT INTO organisations (name, sector, territory_id) VALUES ($1, $2, $3) ON CONFLICT (territory_id, name) DO NOTHING
       RETURNING id, name, sector, territory_id AS "territoryId", created_at AS "createdAt"`,
    [organisation.name, organisation.sector, organisation.territoryId],
  );
  return row;
}

export async function organisationExists(runner: SqlRunner, id: string): Promise<boolean> {
  return (await select<{ ok: 1 }>(runner, `SELECT 1 AS ok FROM organisations WHERE id = $1`, [id])).length > 0;
}

/** The organisations within the scope, of one territory when `territoryId` is given. */
export function listOrganisations(runner: SqlRunner, scope: TerritoryScope, territoryId: string | null, page: Page): Promise<OrganisationRow[]> {
  return select<OrganisationRow>(
    runner,
    `SELECT id, name, sector, territory_id AS "territoryId" FROM organisations
      WHERE ($1::boolean OR territory_id = ANY($2::uuid[])) AND ($3::uuid IS NULL OR territory_id = $3) ORDER BY name, id LIMIT $4 OFFSET $5`,
    [scope.all, scope.all ? [] : scope.territoryIds, territoryId, page.limit, page.offset],
  );
}
