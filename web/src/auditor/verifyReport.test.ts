import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client';
import { verifyWords } from './verifyReport';

const OK: Schemas['VerifyReportDto'] = {
  ok: true,
  checked: 1234,
  firstBrokenId: null,
  checkpoints: 2,
  reason: null,
  brokenSeq: null,
  firstSeq: '1',
  lastSeq: '1234',
  unsealed: 0,
  purgedThroughSeq: null,
  lastCheckpoint: { id: '2', seq: '1234', createdAt: '2026-03-14T08:30:00Z', keyId: 'audit-2026' },
  keyIds: ['audit-2026'],
  mode: 'full',
  fromSeq: null,
  publicKey: 'cHVibGlj',
};

describe('the chain verification in plain words', () => {
  it('says the log is intact, how much was checked and the last signed checkpoint', () => {
    const words = verifyWords(OK, '2026-03-14T09:00:00Z');
    expect(words.type).toBe(VariantType.SUCCESS);
    expect(words.title).toBe('Le journal est intact (vérifié le 14 mars 2026 à 10:00).');
    expect(words.lines.join(' ')).toContain('1234 entrées vérifiées, 2 points de contrôle signés.');
    expect(words.lines.join(' ')).toContain('Dernier point de contrôle signé : 14 mars 2026 à 09:30 (entrée n° 1234, clé audit-2026).');
  });

  it('names the first broken entry and what happened to it', () => {
    const words = verifyWords({ ...OK, ok: false, reason: 'hash_mismatch', firstBrokenId: '812', brokenSeq: '811', checked: 810 }, '2026-03-14T09:00:00Z');
    expect(words.type).toBe(VariantType.ERROR);
    expect(words.title).toBe('Le journal a été altéré : le contenu de cette entrée a été modifié après son enregistrement.');
    expect(words.lines[0]).toBe(
      'Première entrée qui n’est plus fiable : n° 812 (position 811 dans la chaîne). Les entrées qui la précèdent ont été vérifiées.',
    );
  });

  it('says what is not sealed yet, and what retention purged', () => {
    const words = verifyWords({ ...OK, unsealed: 3, purgedThroughSeq: '500' }, '2026-03-14T09:00:00Z');
    expect(words.lines.join(' ')).toContain('3 entrées toutes récentes n’étaient pas encore scellées');
    expect(words.lines.join(' ')).toContain('jusqu’au n° 500 ont été purgées');
  });

  it('says when only the entries sealed since the previous verification were recomputed', () => {
    const words = verifyWords({ ...OK, mode: 'incremental', fromSeq: '1200', checked: 34 }, '2026-03-14T09:00:00Z');
    expect(words.lines.join(' ')).toContain('34 entrées vérifiées');
    expect(words.lines.join(' ')).toContain('depuis la précédente (jusqu’à l’entrée n° 1200, déjà vérifiée)');
    expect(verifyWords(OK, '2026-03-14T09:00:00Z').lines.join(' ')).not.toContain('depuis la précédente');
  });
});
