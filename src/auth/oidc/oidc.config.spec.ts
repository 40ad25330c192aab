import { loadOidcProviders } from './oidc.config.js';
import { provenProfession, strongAssurance } from './assurance.js';

describe('OIDC providers from the environment', () => {
  it('reads any number of providers, named by their variables', () => {
    const problems: string[] = [];
    const providers = loadOidcProviders(
      {
        OIDC_PC_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2',
        OIDC_PC_CLIENT_ID: 'id',
        OIDC_PC_CLIENT_SECRET: 'secret',
        OIDC_PC_KIND: 'proconnect',
        OIDC_PSC_ISSUER: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
        OIDC_PSC_CLIENT_ID: 'id2',
        OIDC_PSC_CLIENT_SECRET: 'secret2',
        OIDC_PSC_KIND: 'prosanteconnect',
      },
      true,
      problems,
    );
    expect(problems).toEqual([]);
    expect(providers.map((p) => [p.name, p.kind, p.insecureHttp])).toEqual([
      ['pc', 'proconnect', false],
      ['psc', 'prosanteconnect', false],
    ]);
  });

  it('lists every problem, never a secret', () => {
    const problems: string[] = [];
    loadOidcProviders({ OIDC_X_ISSUER: 'http://idp.example', OIDC_X_KIND: 'saml', OIDC_Y_CLIENT_SECRET: 'hunter2-secret' }, true, problems);
    expect(problems).toEqual([
      'OIDC_X_ISSUER must be an https:// URL in production',
      'OIDC_X_CLIENT_ID is required with OIDC_X_ISSUER',
      'OIDC_X_CLIENT_SECRET is required with OIDC_X_ISSUER',
      'OIDC_X_KIND must be one of proconnect, prosanteconnect, generic',
      'OIDC_Y_CLIENT_SECRET is set but OIDC_Y_ISSUER is not',
    ]);
    expect(problems.join(' ')).not.toContain('hunter2');
  });
});

describe('what the claims prove', () => {
  it('a strong authentication: eidas2 or eidas3, or mfa in amr; never from a generic provider', () => {
    expect(strongAssurance('proconnect', { acr: 'eidas1' })).toBe(false);
    expect(strongAssurance('proconnect', { acr: 'eidas1', amr: ['pwd'] })).toBe(false);
    expect(strongAssurance('proconnect', { acr: 'eidas1', amr: ['pwd', 'totp', 'mfa'] })).toBe(true);
    expect(strongAssurance('proconnect', { acr: 'eidas2' })).toBe(true);
    expect(strongAssurance('prosanteconnect', { acr: 'eidas3' })).toBe(true);
    expect(strongAssurance('generic', { acr: 'eidas3', amr: ['mfa'] })).toBe(false);
  });

  it("Pro Santé Connect's RPPS and profession", () => {
    expect(provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '10' }] } })).toEqual({
      rpps: '10001234567',
      profession: 'physician',
    });
    expect(provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '60' }] } })?.profession).toBe('nurse');
    expect(provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '21' }] } })?.profession).toBe('other_health');
    expect(provenProfession({ SubjectNameID: '10001234567', SubjectRefPro: { exercices: [{ codeProfession: '10' }] } })).toBeUndefined();
    expect(provenProfession({ SubjectNameID: '810001234567' })).toBeUndefined();
  });
});
