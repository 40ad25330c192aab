import pg from 'pg';
import type { SqlRunner } from '../../src/database/sql.js';
import { TERRITORY_SETTING } from '../../src/database/territory-scope.js';
import { coordinatorsOf } from '../../src/notifications/notifications.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * Who FOLLOW_UP_DUE and SUBMIT tell (src/notifications/notifier.ts): the active accounts of the
 * territory holding a coordinator role — through their organisation, or attached to the territory
 * directly when they have none. The statement reads from the territory's organisations (bc5d111,
 * for row-level security's sake); these are the cases its two branches must keep apart.
 */
describe('coordinatorsOf', () => {
  let db: TestDatabase;
  const ids: Record<string, string> = {};
  let territory: string;
  let other: string;

  const runner = (client: pg.Client): SqlRunner => ({
    query: async (text, params) => (await client.query(text as unknown as pg.QueryConfig, params)).rows,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    const q = async <T>(text: string, params: unknown[] = []) => (await db.dataSource.query(text, params)) as T[];
    [{ id: territory }, { id: other }] = await q<{ id: string }>(`INSERT INTO territories (name) VALUES ('Nord'), ('Sud') RETURNING id`);
    const [{ id: orgHere }, { id: orgThere }] = await q<{ id: string }>(
      `INSERT INTO organisations (territory_id, name, sector) VALUES ($1, 'CLSM Nord', 'coordination'), ($2, 'CLSM Sud', 'coordination') RETURNING id`,
      [territory, other],
    );
    const account = async (key: string, org: string | null, ownTerritory: string | null, roles: string[], disabled = false) => {
      const [{ id }] = await q<{ id: string }>(
        `INSERT INTO users (email, password_hash, display_name, organisation_id, territory_id, roles, disabled_at)
         VALUES ($1, 'x', $2, $3, $4, $5, $6) RETURNING id`,
        [`${key.toLowerCase()}@example.invalid`, key, org, ownTerritory, roles, disabled ? new Date() : null],
      );
      ids[key] = id;
    };
    await account('inOrganisation', orgHere, null, ['coordinator']);
    await account('alsoMember', orgHere, null, ['member', 'coordinator']);
    await account('noOrganisation', null, territory, ['coordinator']);
    await account('disabled', orgHere, null, ['coordinator'], true);
    await account('memberOnly', orgHere, null, ['member']);
    await account('otherTerritory', orgThere, null, ['coordinator']);
    await account('noOrganisationElsewhere', null, other, ['coordinator']);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  const expected = () => [ids.inOrganisation, ids.alsoMember, ids.noOrganisation].sort();

  it("answers the territory's active coordinators, with or without an organisation, in id order", async () => {
    await expect(coordinatorsOf(db.dataSource, territory, ['coordinator'])).resolves.toEqual(expected());
    await expect(coordinatorsOf(db.dataSource, other, ['coordinator'])).resolves.toEqual([ids.otherTerritory, ids.noOrganisationElsewhere].sort());
    await expect(coordinatorsOf(db.dataSource, territory, ['member'])).resolves.toEqual([ids.alsoMember, ids.memberOnly].sort());
  });

  it("under row-level security, the same for the territory's scope and nothing for another territory's", async () => {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      for (const [scope, answer] of [
        [territory, expected()],
        [other, []],
        ['*', expected()],
      ] as const) {
        await client.query(`START TRANSACTION; SELECT set_config('${TERRITORY_SETTING}', '${scope}', true)`);
        // Twice: the second runs the prepared statement's plan.
        for (let i = 0; i < 2; i++) await expect(coordinatorsOf(runner(client), territory, ['coordinator'])).resolves.toEqual(answer);
        await client.query('COMMIT');
      }
    } finally {
      await client.end();
    }
  });
});
