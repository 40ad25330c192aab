import { loadOidcProviders } from './oidc.config.js';
import { PSC_PROFESSIONS, provenProfession, requestedClaims, strongAssurance } from './assurance.js';

/**
 * The codes of the ANS nomenclature TRE_G15-ProfessionSante, version 20250328120000
 * (https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante), written
 * here from that publication independently of the table under test: every one must be mapped.
 */
const HEALTH_PROFESSIONS_OF_CSP = [
  { code: '10', label: 'Médecin' },
  { code: '21', label: 'Pharmacien' },
  { code: '26', label: 'Audioprothésiste' },
  { code: '28', label: 'Opticien-Lunetier' },
  { code: '31', label: 'Assistant dentaire' },
  { code: '32', label: 'Physicien médical' },
  { code: '35', label: 'Aide-soignant' },
  { code: '36', label: 'Ambulancier' },
  { code: '37', label: 'Auxiliaire de puériculture' },
  { code: '38', label: 'Préparateur en pharmacie hospitalière' },
  { code: '39', label: 'Préparateur en pharmacie (officine)' },
  { code: '40', label: 'Chirurgien-Dentiste' },
  { code: '50', label: 'Sage-Femme' },
  { code: '60', label: 'Infirmier' },
  { code: '69', label: 'Infirmier psychiatrique' },
  { code: '70', label: 'Masseur-Kinésithérapeute' },
  { code: '80', label: 'Pédicure-Podologue' },
  { code: '81', label: 'Orthoprothésiste' },
  { code: '82', label: 'Podo-Orthésiste' },
  { code: '83', label: 'Orthopédiste-Orthésiste' },
  { code: '84', label: 'Oculariste' },
  { code: '85', label: 'Epithésiste' },
  { code: '86', label: 'Technicien de laboratoire médical' },
  { code: '91', label: 'Orthophoniste' },
  { code: '92', label: 'Orthoptiste' },
  { code: '93', label: 'Psychologue' },
  { code: '94', label: 'Ergothérapeute' },
  { code: '95', label: 'Diététicien' },
  { code: '96', label: 'Psychomotricien' },
  { code: '98', label: 'Manipulateur ERM' },
];

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
    expect(providers.map((p) => [p.name, p.kind, p.signingAlg, p.insecureHttp])).toEqual([
      ['pc', 'proconnect', 'RS256', false],
      ['psc', 'prosanteconnect', 'RS256', false],
    ]);
  });

  it('lists every problem, never a secret', () => {
    const problems: string[] = [];
    loadOidcProviders(
      { OIDC_X_ISSUER: 'http://idp.example', OIDC_X_KIND: 'saml', OIDC_X_SIGNING_ALG: 'HS256', OIDC_Y_CLIENT_SECRET: 'hunter2-secret' },
      true,
      problems,
    );
    expect(problems).toEqual([
      'OIDC_X_ISSUER must be an https:// URL in production',
      'OIDC_X_CLIENT_ID is required with OIDC_X_ISSUER',
      'OIDC_X_CLIENT_SECRET is required with OIDC_X_ISSUER',
      'OIDC_X_KIND must be one of proconnect, prosanteconnect, generic',
      'OIDC_X_SIGNING_ALG must be one of RS256, ES256',
      'OIDC_Y_CLIENT_SECRET is set but OIDC_Y_ISSUER is not',
    ]);
    expect(problems.join(' ')).not.toContain('hunter2');
  });
});

describe('what the claims prove', () => {
  it('a strong authentication: eidas2 or eidas3, or mfa in amr, any accepted Pro Santé Connect level; never from a generic provider', () => {
    expect(strongAssurance('proconnect', { acr: 'eidas1' })).toBe(false);
    expect(strongAssurance('proconnect', { acr: 'eidas1', amr: ['pwd'] })).toBe(false);
    expect(strongAssurance('proconnect', { acr: 'eidas1', amr: ['pwd', 'totp', 'mfa'] })).toBe(true);
    expect(strongAssurance('proconnect', { acr: 'eidas2' })).toBe(true);
    expect(strongAssurance('prosanteconnect', { acr: 'eidas3' })).toBe(true);
    // PSC's eidas1: the CPS with its PIN or the e-CPS with its dynamic code, two factors each.
    expect(strongAssurance('prosanteconnect', { acr: 'eidas1' })).toBe(true);
    expect(strongAssurance('prosanteconnect', { acr: 'eidas0' })).toBe(false);
    expect(strongAssurance('prosanteconnect', {})).toBe(false);
    expect(strongAssurance('generic', { acr: 'eidas3', amr: ['mfa'] })).toBe(false);
  });

  it('asks ProConnect for amr and acr in the ID token (its claims parameter), nobody else', () => {
    expect(JSON.parse(requestedClaims('proconnect')!)).toEqual({ id_token: { amr: { essential: true }, acr: null } });
    expect(requestedClaims('prosanteconnect')).toBeUndefined();
    expect(requestedClaims('generic')).toBeUndefined();
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
    // A code the table does not know proves nothing; the next exercice's code does.
    expect(provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '71' }] } })).toBeUndefined();
    expect(
      provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: '71' }, { codeProfession: '93' }] } })?.profession,
    ).toBe('psychologist');
    expect(provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: 'toString' }] } })).toBeUndefined();
  });

  it('maps every profession of the TRE_G15 nomenclature: médecin, infirmier, psychologue to their own, the others to other_health', () => {
    const professionOf = (code: string) =>
      provenProfession({ SubjectNameID: '810001234567', SubjectRefPro: { exercices: [{ codeProfession: code }] } })?.profession;
    // Every code of TRE_G15 (active or deprecated) has its line, none falls through.
    for (const { code } of HEALTH_PROFESSIONS_OF_CSP) expect([code, professionOf(code)]).toEqual([code, expect.any(String)]);
    const own: Record<string, string> = { '10': 'physician', '60': 'nurse', '69': 'nurse', '93': 'psychologist' };
    for (const { code } of HEALTH_PROFESSIONS_OF_CSP) expect([code, professionOf(code)]).toEqual([code, own[code] ?? 'other_health']);
    // The ones the issue names.
    expect(['21', '40', '50', '70'].map(professionOf)).toEqual(['other_health', 'other_health', 'other_health', 'other_health']);
    // Outside TRE_G15: the social worker of TRE_R94; nothing else.
    expect(professionOf('41')).toBe('social_worker');
    expect(Object.keys(PSC_PROFESSIONS).sort()).toEqual([...HEALTH_PROFESSIONS_OF_CSP.map((p) => p.code), '41'].sort());
  });
});
