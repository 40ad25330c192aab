/**
 * What a sign-in answered (POST /auth/session, and the steps after it), as the next thing the
 * screen shows. API.md: the server answers a session, or a second-factor step
 * (`{ mfa: "required", challengeToken }`, or `{ mfa: "enroll", challengeToken, secret, otpauthUrl }`
 * the first time), or a temporary-password step (`{ passwordChange: "required", challengeToken }`).
 */
export type SignInStep =
  | { kind: 'signed-in'; csrfToken: string }
  | { kind: 'mfa'; challengeToken: string }
  | { kind: 'mfa-enroll'; challengeToken: string; secret: string; otpauthUrl: string }
  | { kind: 'password-change'; challengeToken: string };

function text(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function interpretSignInAnswer(answer: unknown): SignInStep {
  const body = (answer ?? {}) as Record<string, unknown>;
  if (text(body.csrfToken)) return { kind: 'signed-in', csrfToken: body.csrfToken };
  if (body.mfa === 'required' && text(body.challengeToken)) return { kind: 'mfa', challengeToken: body.challengeToken };
  if (body.mfa === 'enroll' && text(body.challengeToken) && text(body.secret) && text(body.otpauthUrl)) {
    return { kind: 'mfa-enroll', challengeToken: body.challengeToken, secret: body.secret, otpauthUrl: body.otpauthUrl };
  }
  if (body.passwordChange === 'required' && text(body.challengeToken)) return { kind: 'password-change', challengeToken: body.challengeToken };
  throw new Error('Réponse de connexion inattendue');
}

/** API.md's password rule, checked before sending (the server checks it again, and more). */
export function passwordProblems(password: string, confirmation: string, current?: string): string[] {
  const problems: string[] = [];
  if (password.length < 12) problems.push('Le mot de passe doit compter au moins 12 caractères.');
  if (current !== undefined && password === current) problems.push("Le nouveau mot de passe doit être différent de l'actuel.");
  if (password !== confirmation) problems.push('Les deux saisies ne sont pas identiques.');
  return problems;
}

/** A TOTP code as people type it: six digits, spaces allowed. */
export function normaliseCode(code: string): string | undefined {
  const digits = code.replace(/\s+/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}
