import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { accountProblems, accountServerProblems, createBody, EMPTY_ACCOUNT, generatePassword, updateBody } from './accountForm';

const FILLED = {
  ...EMPTY_ACCOUNT,
  email: ' A.Martin@CMP-exemple.fr ',
  displayName: ' Dr A. Martin ',
  organisationId: '22222222-2222-4222-8222-222222222222',
  roles: ['member' as const],
  profession: 'physician' as const,
  password: 'abcd-efgh-jkmn-pqrs',
};

const problem = (status: number, detail: string, errors?: { field: string; message: string }[]) =>
  new ApiError(status, { type: 'x', title: 'x', status, detail, ...(errors ? { errors } : {}) });

describe('the account form', () => {
  it('asks for what a new account needs, in French', () => {
    expect(accountProblems(EMPTY_ACCOUNT, true)).toEqual({
      email: 'Écrivez une adresse électronique complète, par exemple a.martin@cmp-exemple.fr.',
      displayName: 'Ce champ est obligatoire.',
      roles: 'Choisissez au moins un rôle.',
      profession: 'Choisissez une catégorie, ou « Aucune de ces catégories ».',
      password: 'Au moins 12 caractères.',
    });
    expect(accountProblems(FILLED, true)).toEqual({});
    // Changing an account needs no password.
    expect(accountProblems({ ...FILLED, email: '', password: '' }, false)).toEqual({});
  });

  it('sends the account trimmed, the email in lower case, without an empty organisation', () => {
    expect(createBody(FILLED)).toEqual({
      email: 'a.martin@cmp-exemple.fr',
      displayName: 'Dr A. Martin',
      organisationId: FILLED.organisationId,
      roles: ['member'],
      profession: 'physician',
      password: 'abcd-efgh-jkmn-pqrs',
    });
    expect(createBody({ ...FILLED, organisationId: '', roles: ['auditor'] })).not.toHaveProperty('organisationId');
  });

  it('changes only what changed', () => {
    const before = {
      id: 'u',
      email: 'a@b.fr',
      displayName: 'Dr A. Martin',
      organisationId: null,
      territoryId: null,
      roles: ['member' as const],
      profession: 'physician' as const,
      disabled: false,
      createdAt: '',
    };
    expect(updateBody(before, { ...FILLED })).toEqual({});
    expect(updateBody(before, { ...FILLED, roles: ['member', 'referrer'], profession: 'nurse' })).toEqual({
      roles: ['member', 'referrer'],
      profession: 'nurse',
    });
  });

  it('puts the separation of duties on the roles, in French, naming both roles', () => {
    const refused = problem(400, 'roles: the roles admin and member are not held by one account (separation of duties)', [
      { field: 'roles', message: 'the roles admin and member are not held by one account (separation of duties)' },
    ]);
    const roles = accountServerProblems(refused).roles!;
    expect(roles).toContain('Un même compte ne peut pas être à la fois « Membre de la cellule » et « Administration »');
    expect(roles).toContain('séparation des fonctions');
    // Named in the form's order, whichever order the server gives.
    const swapped = problem(400, 'x', [{ field: 'roles', message: 'the roles auditor and coordinator are not held by one account (separation of duties)' }]);
    expect(accountServerProblems(swapped).roles).toContain('à la fois « Coordination » et « Délégué à la protection des données »');
  });

  it('puts the other refusals on their field', () => {
    expect(accountServerProblems(problem(409, 'An account with this email already exists'))).toEqual({
      email: 'Un compte existe déjà avec cette adresse électronique.',
    });
    expect(
      accountServerProblems(problem(400, 'x', [{ field: 'organisationId', message: 'required for the referrer, member and coordinator roles' }]))
        .organisationId,
    ).toContain('choisissez-la');
    expect(accountServerProblems(problem(409, 'An administrator cannot disable themself or drop their own admin role')).general).toContain(
      'votre propre compte',
    );
    for (const message of [
      'is a common or breached password',
      'is a repetition or a keyboard sequence',
      'is built on the account name, its email or the name of this service',
    ]) {
      expect(accountServerProblems(problem(400, 'x', [{ field: 'password', message }])).password).toContain('trop facile à deviner');
    }
  });

  it('generates a password of 16 characters without look-alikes, in four groups', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
    expect(generatePassword()).not.toBe(password);
    // Bytes that would bias the draw are skipped, not folded.
    let calls = 0;
    const skewed = (b: Uint8Array) => {
      calls++;
      return b.fill(calls === 1 ? 255 : 0);
    };
    expect(generatePassword(skewed)).toBe('aaaa-aaaa-aaaa-aaaa');
    expect(calls).toBe(2);
  });
});
