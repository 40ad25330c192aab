import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, part A — the referral lives:
 * - `cases.urgent`: the referrer said the situation is urgent; the referral is stored and every
 *   answer about it carries the emergency pointer (a cellule is not an emergency service);
 * - `cases.name_index`: the blind index of the names alone (the birth date is optional now, a year
 *   or nothing): duplicates are then confirmed on what is known; erased with the identity;
 * - `cases.closure` may be `deleted`: a draft its referrer deleted (crypto-shredded, left out of
 *   listings and statistics);
 * - `consents.representative_measure`, `consents.representative_organisation`: a consent given
 *   by a representative names the protective measure and the representative's organisation.
 */
export class ReferralLives1796000000001 implements MigrationInterface {
  name = 'ReferralLives1796000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases ADD COLUMN urgent boolean NOT NULL DEFAULT false;
      ALTER TABLE cases ADD COLUMN name_index text;
      CREATE INDEX cases_name_index_idx ON cases (territory_id, name_index) WHERE name_index IS NOT NULL;
      ALTER TABLE cases DROP CONSTRAINT cases_closure_check;
      ALTER TABLE cases ADD CONSTRAINT cases_closure_check CHECK (closure IN ('rejected','refused','outcome','withdrawn','expired','deleted'));
      ALTER TABLE consents ADD COLUMN representative_measure text
        CHECK (representative_measure IN ('tutelle','curatelle','curatelle_renforcee','habilitation_familiale','sauvegarde_de_justice','mandat_protection_future','autorite_parentale'));
      ALTER TABLE consents ADD COLUMN representative_organisation text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE consents DROP COLUMN representative_organisation;
      ALTER TABLE consents DROP COLUMN representative_measure;
      ALTER TABLE cases DROP CONSTRAINT cases_closure_check;
      UPDATE cases SET closure = 'expired' WHERE closure = 'deleted';
      ALTER TABLE cases ADD CONSTRAINT cases_closure_check CHECK (closure IN ('rejected','refused','outcome','withdrawn','expired'));
      DROP INDEX cases_name_index_idx;
      ALTER TABLE cases DROP COLUMN name_index;
      ALTER TABLE cases DROP COLUMN urgent;
    `);
  }
}
