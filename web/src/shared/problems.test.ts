import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { fieldErrors, generalError } from './problems';

const leak = (field: string, message: string, kind?: string) =>
  new ApiError(422, {
    type: 'https://cellule.invalid/problems/identifying_text',
    title: 'Text would identify the person',
    status: 422,
    detail: `${field} ${message}; pseudonymise it before saving`,
    errors: [{ field, message }],
    kind,
  });

describe("the server's refusals, in French, on their field", () => {
  it('puts the leak guard’s 422 under the field it names, saying what kind of identifier, never the text', () => {
    expect(fieldErrors(leak('summary.narrative', "contains the person's name", 'name'))).toEqual({
      'summary.narrative':
        "Ce texte contient le nom ou le prénom de la personne. Pseudonymisez-le avant d'enregistrer (par exemple « Mme X », « la personne »).",
    });
    expect(fieldErrors(leak('summary.question', 'contains a phone number', 'phone'))['summary.question']).toMatch(/un numéro de téléphone/);
    expect(fieldErrors(leak('summary.alreadyTried', 'contains an email address'))['summary.alreadyTried']).toMatch(/une adresse électronique/);
    expect(fieldErrors(leak('summary.expectations', 'contains an address'))['summary.expectations']).toMatch(/contient une adresse\./);
    expect(fieldErrors(leak('summary.narrative', 'contains a birth date'))['summary.narrative']).toMatch(/une date de naissance/);
    expect(fieldErrors(leak('summary.narrative', 'contains a social security number'))['summary.narrative']).toMatch(/numéro de sécurité sociale/);
    // Without disclosure (the viewer may not see the identity): the kind is not said.
    expect(fieldErrors(leak('plan.actions.title', 'contains an identifier of the person'))['plan.actions.title']).toMatch(
      /un élément qui identifie la personne/,
    );
  });

  it('says the emergency pointer on the urgent question', () => {
    const emergency = new ApiError(422, {
      type: 'https://cellule.invalid/problems/emergency',
      title: 'Not an emergency service',
      status: 422,
      detail: 'x',
      errors: [{ field: 'summary.urgent', message: 'a cellule is not an emergency service' }],
    });
    expect(fieldErrors(emergency)['summary.urgent']).toMatch(/15 \(SAMU\)/);
  });

  it('has one sentence for the refusals no field explains', () => {
    expect(generalError(new ApiError(409, undefined))).toMatch(/a changé entre-temps/);
    expect(generalError(new ApiError(404, undefined))).toMatch(/n'existe pas, ou vous n'y avez pas accès/);
    expect(generalError(new Error('network'))).toMatch(/ne répond pas/);
    expect(fieldErrors(new Error('network'))).toEqual({});
  });
});
