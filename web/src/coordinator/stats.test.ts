import { describe, expect, it } from 'vitest';
import type { Stats } from '../api/queries';
import { statsCsv, statsSections } from './stats';

const STATS: Stats = {
  territoryId: 't',
  year: 2026,
  audience: 'coordination',
  total: 7,
  byState: { closed: 2, submitted: 4, plan_active: 1 },
  byProblem: { housing: 6, care_continuity: 3 },
  byReferrerSector: { social: 7 },
  byClosure: { open: 5, outcome: 2 },
  byMonth: { '3': 5, '4': 2 },
  medianDelayDays: { submittedToAccepted: 1.5, submittedToReview: 12, reviewToPlan: null },
  smallCountThreshold: 5,
};

describe('the yearly statistics', () => {
  it('says every category in French, in the lifecycle’s order, and every month of the year', () => {
    const sections = statsSections(STATS);
    const byState = sections.find((s) => s.key === 'byState')!;
    expect(byState.rows).toEqual([
      { label: 'Saisine envoyée', value: 4 },
      { label: "Plan d'action en cours", value: 1 },
      { label: 'Clôturée', value: 2 },
    ]);
    const byMonth = sections.find((s) => s.key === 'byMonth')!;
    expect(byMonth.rows).toHaveLength(12);
    expect(byMonth.rows[2]).toEqual({ label: 'mars', value: 5 });
    expect(byMonth.rows[0]).toEqual({ label: 'janvier', value: 0 });
  });

  it('writes a CSV a French spreadsheet opens: semicolons, accents, small counts said in words', () => {
    const csv = statsCsv({ ...STATS, byReferrerSector: { social: 'suppressed' } });
    expect(csv.startsWith('\uFEFFRubrique;Catégorie;Nombre\r\n')).toBe(true);
    expect(csv).toContain('Année;2026;7\r\n');
    expect(csv).toContain('Secteur du référent qui a saisi la cellule;Action sociale (CCAS, service social);moins de 5\r\n');
    expect(csv).toContain('Délai médian (jours);De l’envoi de la saisine à son acceptation;1,5\r\n');
    expect(csv).toContain('Délai médian (jours);De l’examen au plan d’action adopté;\r\n');
  });
});
