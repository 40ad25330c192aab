import { describe, expect, it } from 'vitest';
import { emptyPlan, planBody, planErrors, planProblems, type PlanForm } from './planForm';

const today = new Date('2026-03-14T10:00:00Z');
const ORG = '44444444-4444-4444-8444-444444444444';

describe('the action plan form', () => {
  it('starts with one empty action and the follow-up in three months', () => {
    const form = emptyPlan(today);
    expect(form.actions).toHaveLength(1);
    expect(form.followUp).toBe('14/06/2026');
  });

  it('asks for a title, an owner and a due date on each action, and a follow-up after today', () => {
    const form: PlanForm = {
      actions: [
        { key: 'a', title: ' ', ownerOrganisationId: '', due: '31/02/2026' },
        { key: 'b', title: 'Proposer un rendez-vous au CMP', ownerOrganisationId: ORG, due: '01/03/2026' },
      ],
      followUp: '14/03/2026',
    };
    expect(planProblems(form, today)).toEqual({
      'actions.0.title': 'Décrivez l’action.',
      'actions.0.ownerOrganisationId': 'Choisissez l’organisation qui s’en charge.',
      'actions.0.dueAt': 'Indiquez l’échéance au format JJ/MM/AAAA.',
      'actions.1.dueAt': 'L’échéance ne peut pas être déjà passée.',
      followUpAt: 'Le point d’étape doit être après aujourd’hui.',
    });
    expect(planProblems({ actions: [], followUp: '' }, today)).toEqual({
      actions: 'Un plan compte au moins une action.',
      followUpAt: 'Indiquez la date du point d’étape au format JJ/MM/AAAA.',
    });
  });

  it('sends each action due at the end of its day and the follow-up in its morning, Paris time', () => {
    const form: PlanForm = {
      actions: [{ key: 'a', title: '  Proposer un plan d’apurement  ', ownerOrganisationId: ORG, due: '30/04/2026' }],
      followUp: '14/06/2026',
    };
    expect(planProblems(form, today)).toEqual({});
    expect(planBody(form)).toEqual({
      actions: [{ title: 'Proposer un plan d’apurement', ownerOrganisationId: ORG, dueAt: '2026-04-30T21:59:00.000Z' }],
      followUpAt: '2026-06-14T07:00:00.000Z',
    });
  });

  it('puts a refusal of an unnamed title on the whole list, and the others on their fields', () => {
    expect(planErrors({ 'actions.title': 'x', 'actions.1.ownerOrganisationId': 'Cette valeur n’est pas acceptée.' })).toEqual({
      actions: 'L’un des intitulés d’action contient un élément qui identifie la personne. Pseudonymisez-les avant d’adopter le plan.',
      'actions.1.ownerOrganisationId': 'Cette valeur n’est pas acceptée.',
    });
  });
});
