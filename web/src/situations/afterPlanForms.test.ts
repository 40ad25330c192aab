import { describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client';
import {
  emptyReport,
  holdBody,
  holdProblems,
  LEGAL_BASES_OF,
  reportBody,
  reportProblems,
  revisionBody,
  revisionErrors,
  revisionOf,
  revisionProblems,
  type RevisionForm,
} from './afterPlanForms';

const today = new Date('2026-03-14T10:00:00Z');
const ORG = '44444444-4444-4444-8444-444444444444';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

function action(id: string, over: Partial<Schemas['PlanActionDto']> = {}): Schemas['PlanActionDto'] {
  return {
    id,
    title: `Action ${id.slice(0, 4)}`,
    ownerOrganisationId: ORG,
    ownerOrganisationName: 'CMP',
    assigneeUserId: null,
    dueAt: '2026-04-01T21:59:00.000Z',
    status: 'todo',
    blockReason: null,
    planVersion: 2,
    updatedAt: '2026-03-01T10:00:00.000Z',
    overdue: false,
    carryReason: null,
    carriedAt: null,
    cancelReason: null,
    notes: [],
    ...over,
  };
}

describe('putting a plan on hold', () => {
  it('asks for the mode and the reason, and sends both', () => {
    expect(holdProblems({ mode: '', reason: '' })).toEqual({ mode: 'Choisissez : en veille ou suspendue.', reason: 'Choisissez la raison.' });
    expect(holdProblems({ mode: 'suspended', reason: 'hospitalisation' })).toEqual({});
    expect(holdBody({ mode: 'suspended', reason: 'hospitalisation' })).toEqual({ mode: 'suspended', reason: 'hospitalisation' });
  });
});

describe('a report made elsewhere', () => {
  it('asks for kind, a basis of that kind, a past date and who made it', () => {
    expect(reportProblems(emptyReport(), today)).toEqual({
      kind: 'Choisissez la nature du signalement ou de la mesure.',
      legalBasis: 'Choisissez le fondement légal.',
      madeAt: 'Indiquez la date au format JJ/MM/AAAA.',
      madeBy: 'Indiquez qui l’a fait.',
    });
    expect(
      reportProblems(
        { kind: 'crip_information', legalBasis: 'cpp_40', madeOn: '15/03/2026', madeBy: 'partner_organisation', madeByOrganisationId: '', note: '' },
        today,
      ),
    ).toEqual({
      legalBasis: 'Ce fondement ne correspond pas à cette nature.',
      madeAt: 'La date ne peut pas être à venir.',
      madeByOrganisationId: 'Choisissez l’organisation.',
    });
  });

  it('offers for each kind only bases of that kind', () => {
    const all = Object.values(LEGAL_BASES_OF).flat();
    expect(new Set(all).size).toBe(all.length);
    expect(LEGAL_BASES_OF.care_without_consent).toContain('csp_l3212_1_peril');
  });

  it('sends the day at noon (Paris), the organisation only for a partner, the note trimmed', () => {
    const form = {
      kind: 'care_without_consent',
      legalBasis: 'csp_l3212_1_tiers',
      madeOn: '10/03/2026',
      madeBy: 'physician',
      madeByOrganisationId: ORG,
      note: '  ',
    } as const;
    expect(reportProblems(form, today)).toEqual({});
    expect(reportBody(form)).toEqual({
      kind: 'care_without_consent',
      legalBasis: 'csp_l3212_1_tiers',
      madeAt: '2026-03-10T11:00:00.000Z',
      madeBy: 'physician',
    });
    expect(reportBody({ ...form, madeBy: 'partner_organisation', note: ' Admission au CHS ' })).toMatchObject({
      madeByOrganisationId: ORG,
      note: 'Admission au CHS',
    });
    // Recorded at 00:30 in Paris on the day it was made: today's noon is still to come, now is sent.
    const night = new Date('2026-03-10T23:30:00Z');
    expect(reportProblems({ ...form, madeOn: '11/03/2026' }, night)).toEqual({});
    expect(reportBody({ ...form, madeOn: '11/03/2026' }, night).madeAt).toBe(night.toISOString());
  });
});

describe('revising a plan', () => {
  const actions = [
    action(A, { overdue: true }),
    action(B),
    action(C, { status: 'done' }),
    action('55555555-5555-4555-8555-555555555555', { planVersion: 1, status: 'todo' }),
  ];

  it('decides on the unfinished actions of the latest version only, an overdue one carried by default', () => {
    const form = revisionOf(actions);
    expect(form.existing.map((e) => [e.actionId, e.decision])).toEqual([
      [A, 'carry'],
      [B, 'keep'],
    ]);
  });

  it('asks why an overdue action is carried over and why an action is cancelled; refuses an empty revision', () => {
    const form = revisionOf(actions);
    expect(revisionProblems(form, today)).toEqual({ [`existing.${A}.reason`]: 'Dites pourquoi elle n’est pas faite.' });
    const kept: RevisionForm = { ...form, existing: form.existing.map((e) => ({ ...e, decision: 'keep' as const })) };
    expect(revisionProblems(kept, today)).toMatchObject({
      [`existing.${A}.decision`]: 'Cette action est en retard : reportez-la avec sa raison, ou annulez-la.',
    });
    const cancelled: RevisionForm = { ...form, existing: [{ ...form.existing[0], decision: 'cancel' }] };
    expect(revisionProblems(cancelled, today)).toEqual({
      [`existing.${A}.reason`]: 'Dites pourquoi elle est annulée.',
      add: 'Le plan révisé garde ou ajoute au moins une action.',
    });
    expect(revisionProblems({ existing: [form.existing[1]], added: [], followUp: '' }, today)).toEqual({
      add: 'La révision ajoute, reporte ou annule au moins une action, ou déplace le point d’étape.',
    });
  });

  it('sends carried, cancelled and added actions, and maps the server’s refusals back to the rows', () => {
    const form = revisionOf(actions);
    const revised: RevisionForm = {
      existing: [
        { ...form.existing[0], reason: 'person_declined', due: '30/04/2026' },
        { ...form.existing[1], decision: 'cancel', reason: 'no_longer_needed' },
      ],
      added: [{ key: 'n', title: ' Visite conjointe ', ownerOrganisationId: ORG, due: '15/04/2026' }],
      followUp: '',
    };
    expect(revisionProblems(revised, today)).toEqual({});
    const body = revisionBody(revised);
    expect(body).toEqual({
      add: [{ title: 'Visite conjointe', ownerOrganisationId: ORG, dueAt: '2026-04-15T21:59:00.000Z' }],
      carryOver: [{ actionId: A, reason: 'person_declined', dueAt: '2026-04-30T21:59:00.000Z' }],
      cancel: [{ actionId: B, reason: 'no_longer_needed' }],
    });
    expect(revisionErrors({ 'carryOver.0.dueAt': 'must be in the future', 'cancel.0.reason': 'bad', 'add.0.title': 'contains a phone number' }, body)).toEqual({
      [`existing.${A}.due`]: 'must be in the future',
      [`existing.${B}.reason`]: 'bad',
      'add.0.title': 'contains a phone number',
    });
  });
});
