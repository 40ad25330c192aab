import { decideRelease, involvementVisible, type CaseFacts, type Viewer } from './access.js';
import { loadPolicy } from './policy.loader.js';
import { MAX_DOCUMENT_BYTES } from '../cases/documents/documents.service.js';
import { CLASSES, FLOWS, RELATIONS, SECTORS, type Policy, type Profession, type Relation } from './policy.types.js';
import { buildRegister, registerMarkdown } from './register.js';

const policy = loadPolicy('policies');
const AT = new Date('2026-06-01T00:00:00Z');
const CONSENT = {
  decision: 'granted' as const,
  expiresAt: '2027-01-01T00:00:00Z',
  withdrawnAt: null,
  scope: [{ sector: 'health' as const, classes: ['identity' as const, 'health' as const, 'social' as const] }],
};

/** A viewer who holds exactly `relation` to a case in `state`, a physician of the health sector. */
function holding(relation: Relation, state: string, consent: CaseFacts['consent']): { viewer: Viewer; facts: CaseFacts } {
  const viewer: Viewer = {
    userId: 'u',
    organisationId: 'o',
    sector: 'health',
    territoryId: 't',
    roles: relation === 'coordinator' ? ['coordinator'] : relation === 'referrer' || relation === 'referring_service' ? ['referrer'] : ['member'],
    profession: 'physician' as Profession,
  };
  const facts: CaseFacts = {
    territoryId: relation === 'coordinator' ? 't' : 'other',
    referrerUserId: relation === 'referrer' ? 'u' : 'someone-else',
    referrerOrganisationId: relation === 'referring_service' ? 'o' : 'another-org',
    state,
    attending: relation === 'attending_member',
    ownsAction: relation === 'action_owner',
    consent,
  };
  return { viewer, facts };
}

describe('register of processing and data flows (generated from policies/)', () => {
  const register = buildRegister(policy);

  it('lists exactly what decideRelease releases, relation by relation and class by class', () => {
    for (const relation of RELATIONS) {
      const states = policy.relations[relation].states;
      const state = states === 'all' ? 'plan_active' : states[0];
      const withConsent = holding(relation, state, CONSENT);
      const without = holding(relation, state, null);
      const releasedWith = decideRelease(policy, withConsent.viewer, withConsent.facts, AT).release;
      const releasedWithout = decideRelease(policy, without.viewer, without.facts, AT).release;
      for (const cls of CLASSES) {
        const flow = register.flows.find((f) => f.relation === relation && f.cls === cls);
        const label = `${relation} / ${cls}`;
        if (!flow) {
          expect({ label, released: releasedWith[cls] }).toEqual({ label, released: undefined });
          continue;
        }
        expect({ label, fields: releasedWith[cls] }).toEqual({ label, fields: flow.fields });
        expect({ label, withoutConsent: releasedWithout[cls] !== undefined }).toEqual({ label, withoutConsent: flow.condition === 'always' });
      }
    }
  });

  it('states, relation by relation and sector by sector, which organisations working with the person involvementVisible names', () => {
    for (const relation of RELATIONS) {
      const states = policy.relations[relation].states;
      const state = states === 'all' ? 'plan_active' : states[0];
      const recipient = register.recipients.find((r) => r.relation === relation)!;
      for (const sector of SECTORS) {
        const reveals = register.sectors.find((s) => s.sector === sector)!.involvement;
        for (const consented of [true, false]) {
          // The viewer is of the health sector; the consent names it for what the party's involvement reveals (or not).
          const scope = consented && reveals !== 'nothing' ? [{ sector: 'health' as const, classes: [reveals] }] : [];
          const { viewer, facts } = holding(relation, state, { ...CONSENT, scope });
          const decision = decideRelease(policy, viewer, facts, AT);
          const party = { organisationId: 'another-organisation', sector };
          const named = involvementVisible(policy, viewer, decision, facts, AT, party);
          const stated = recipient.involvement === 'all' || reveals === 'nothing' || consented;
          expect({ relation, sector, consented, named }).toEqual({ relation, sector, consented, named: stated });
        }
      }
    }
    expect(registerMarkdown(register)).toContain('## What ties each recipient to a situation');
  });

  it('keeps identity, health and social away from the coordinator, and limits health to health professions', () => {
    expect(register.flows.filter((f) => f.relation === 'coordinator').map((f) => f.cls)).toEqual(['meta', 'summary', 'plan', 'consent']);
    for (const flow of register.flows.filter((f) => f.cls === 'health' && f.condition === 'consent')) {
      expect(flow.professions).toEqual(policy.healthProfessions);
    }
  });

  it('names the controller, the DPO, the host, the legal bases of each flow, and the situation documents (issue 15)', () => {
    expect(register.controller).toEqual(policy.controller);
    expect(register.dpo).toEqual(policy.dpo);
    expect(register.host.certification).toContain('HDS');
    expect(register.legalBases.map((b) => b.flow)).toEqual([...FLOWS]);
    expect(register.documents.maxBytes).toBe(MAX_DOCUMENT_BYTES);
    const markdown = registerMarkdown(register);
    expect(markdown).toContain(`**Data protection officer**: ${policy.dpo.name} — ${policy.dpo.contact}`);
    expect(markdown).toContain(`| consent_sharing | ${policy.legalBases.consent_sharing.purpose} |`);
    expect(markdown).toContain('**Documents**');
  });

  it('follows the policy: another retention period or legal basis gives another document', () => {
    const markdown = registerMarkdown(register);
    expect(markdown).toContain(`${policy.retention.protectedClassesAfterClosureDays} days after closure`);
    expect(markdown).toContain(`access log kept ${policy.retention.auditLogDays} days`);
    expect(markdown).toContain('| health | medical_secrecy | CSP L1110-4 |');
    const changed: Policy = {
      ...policy,
      retention: { protectedClassesAfterClosureDays: 400, auditLogDays: 200 },
      sectors: { ...policy.sectors, housing: { regime: 'discretion', basis: 'convention 2027', involvement: 'social' } },
    };
    const other = registerMarkdown(buildRegister(changed));
    expect(other).toContain('400 days after closure');
    expect(other).toContain('access log kept 200 days');
    expect(other).toContain('| housing | discretion | convention 2027 |');
  });

  it('says which identity providers are configured and what the proven-profession setting changes (issue 16)', () => {
    expect(register.signIn).toEqual({ providers: [], healthRequiresProvenProfession: false });
    const none = registerMarkdown(register);
    expect(none).toContain('**Identity providers configured**: none: local accounts only.');
    expect(none).toContain('**healthRequiresProvenProfession: false**');
    const strict = buildRegister({ ...policy, healthRequiresProvenProfession: true }, [
      { name: 'pc', kind: 'proconnect' },
      { name: 'psc', kind: 'prosanteconnect' },
    ]);
    expect(strict.signIn).toEqual({
      providers: [
        { name: 'pc', kind: 'proconnect' },
        { name: 'psc', kind: 'prosanteconnect' },
      ],
      healthRequiresProvenProfession: true,
    });
    const markdown = registerMarkdown(strict);
    expect(markdown).toContain('**Identity providers configured**: ProConnect (`pc`), Pro Santé Connect (`psc`).');
    expect(markdown).toContain('**Pro Santé Connect**: configured.');
    expect(markdown).toContain(
      '**healthRequiresProvenProfession: true** — health content is released only to a profession proven by a Pro Santé Connect sign-in',
    );
    expect(markdown).not.toContain('no one receives health content');
    // Required, but no Pro Santé Connect to prove anything: the register says what that means.
    expect(registerMarkdown(buildRegister({ ...policy, healthRequiresProvenProfession: true }, [{ name: 'pc', kind: 'proconnect' }]))).toContain(
      'No Pro Santé Connect provider is configured: no one receives health content.',
    );
  });
});
