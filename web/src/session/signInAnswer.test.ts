import { describe, expect, it } from 'vitest';
import { interpretSignInAnswer, normaliseCode, passwordProblems } from './signInAnswer';

describe('the answers of a sign-in (API.md)', () => {
  it('an open session', () => {
    expect(interpretSignInAnswer({ csrfToken: 'c', idleTimeoutSeconds: 900, expiresAt: 'x' })).toEqual({ kind: 'signed-in', csrfToken: 'c' });
  });

  it('the second factor of an enrolled account', () => {
    expect(interpretSignInAnswer({ mfa: 'required', challengeToken: 't' })).toEqual({ kind: 'mfa', challengeToken: 't' });
  });

  it('the first enrolment, with the secret shown once', () => {
    expect(interpretSignInAnswer({ mfa: 'enroll', challengeToken: 't', secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://totp/x' })).toEqual({
      kind: 'mfa-enroll',
      challengeToken: 't',
      secret: 'JBSWY3DPEHPK3PXP',
      otpauthUrl: 'otpauth://totp/x',
    });
  });

  it('a temporary password to replace', () => {
    expect(interpretSignInAnswer({ passwordChange: 'required', challengeToken: 't' })).toEqual({ kind: 'password-change', challengeToken: 't' });
  });

  it('refuses anything else, including a bare token (the browser never takes one)', () => {
    for (const answer of [undefined, {}, { accessToken: 'eyJ', expiresIn: 900 }, { mfa: 'enroll', challengeToken: 't' }, { mfa: 'required' }]) {
      expect(() => interpretSignInAnswer(answer)).toThrow('Réponse de connexion inattendue');
    }
  });
});

describe('password and code checks', () => {
  it('asks for 12 characters, two equal entries, and a change', () => {
    expect(passwordProblems('un mot de passe long', 'un mot de passe long')).toEqual([]);
    expect(passwordProblems('court', 'court')).toEqual(['Le mot de passe doit compter au moins 12 caractères.']);
    expect(passwordProblems('un mot de passe long', 'un autre mot de passe')).toEqual(['Les deux saisies ne sont pas identiques.']);
    expect(passwordProblems('le même mot de passe', 'le même mot de passe', 'le même mot de passe')).toEqual([
      "Le nouveau mot de passe doit être différent de l'actuel.",
    ]);
  });

  it('reads six digits, spaces allowed', () => {
    expect(normaliseCode('123 456')).toBe('123456');
    expect(normaliseCode('12345')).toBeUndefined();
    expect(normaliseCode('12345a')).toBeUndefined();
  });
});
