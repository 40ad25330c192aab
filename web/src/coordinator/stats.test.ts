import { describe, expect, it } from 'vitest';
import type { Stats } from '../api/queries';
import { activitySections, blocageRows, keyFigures, regionalReportUrl, reportUrl, statsSections } from './stats';

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
  sessionsHeld: 4,
  examined: { new: 3, again: 1, examinations: 5 },
  byAgeBand: { '60-69': 2, '18-24': 5 },
  byOutcome: { improved: 1, resolved: 'suppressed' },
  consents: { refused: 1, withdrawn: 0 },
  attendanceBySector: { health: 4, other: 1 },
  sessionsBySector: { health: 4, other: 1 },
  actions: { done: 6, blocked: 2, carriedOver: { agency_did_not_act: 2 }, cancelled: {} },
  delays: { referralToFirstReview: 20.5, reviewToClosure: null },
  blocages: [
    { kind: 'blocked', reason: 'not_given', sector: 'housing', count: 1 },
    { kind: 'blocked', reason: 'care_waiting_list', sector: 'health', count: 3 },
    { kind: 'carried_over', reason: 'agency_did_not_act', sector: 'health', count: 'suppressed' },
  ],
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
    expect(sections.find((s) => s.key === 'byAgeBand')!.rows).toEqual([
      { label: '18 à 24 ans', value: 5 },
      { label: '60 à 69 ans', value: 2 },
    ]);
  });

  it('gives what happened in the year: outcomes chosen, attendance by sector, actions carried over and why', () => {
    const [outcomes, attendance, carried] = activitySections(STATS);
    expect(outcomes.rows).toEqual([
      { label: 'La situation est résolue', value: 'suppressed' },
      { label: 'La situation s’est améliorée', value: 1 },
    ]);
    expect(attendance.rows).toEqual([
      { label: 'Santé (CMP, hôpital, médecin)', value: 4 },
      { label: 'Autre (invité sans organisation enregistrée)', value: 1 },
    ]);
    expect(carried.rows).toEqual([{ label: 'L’organisation n’a pas pu agir', value: 2 }]);
    expect(keyFigures(STATS).slice(0, 3)).toEqual([
      { label: 'Saisines reçues', value: 7 },
      { label: 'Séances tenues', value: 4 },
      { label: 'Situations examinées pour la première fois', value: 3 },
    ]);
  });

  it('lists what stalls by kind, reason and sector, without any situation', () => {
    expect(blocageRows(STATS)).toEqual([
      { kind: 'Bloquée', reason: 'Raison non précisée', sector: 'Logement (bailleur)', count: 1 },
      { kind: 'Bloquée', reason: 'Liste d’attente pour des soins (CMP…)', sector: 'Santé (CMP, hôpital, médecin)', count: 3 },
      { kind: 'Reportée', reason: 'L’organisation n’a pas pu agir', sector: 'Santé (CMP, hôpital, médecin)', count: 'suppressed' },
    ]);
  });

  it('links to the server’s CSV and PDF for the audience shown', () => {
    expect(reportUrl(2025, 'coordination', 'csv')).toBe('/stats?year=2025&format=csv');
    expect(reportUrl(2025, 'public', 'pdf')).toBe('/stats?year=2025&format=pdf&audience=public');
  });
});

describe('the regional report', () => {
  it('downloads the chosen territories, or all of them when none is chosen', () => {
    expect(regionalReportUrl(2025, [])).toBe('/stats/regional?year=2025&format=csv');
    expect(regionalReportUrl(2025, ['a', 'b'])).toBe('/stats/regional?year=2025&format=csv&territoryIds=a%2Cb');
  });
});
