/**
 * The accountability documents of DESIGN.md ("Accountability documents"): the data-flow table a
 * DPIA needs — who receives which class, in which states, on which condition and legal basis, for
 * how long — and a register of processing (GDPR art. 30) around it, both computed from the
 * validated policy (policies/*.yaml) the server runs with, so they cannot drift apart from it.
 */
import { isProtected } from './access.js';
import { CLASSES, PROTECTED_CLASSES, SECTORS, type DataClass, type Policy, type Relation, RELATIONS } from './policy.types.js';

/** One line of the data-flow table: what one relation receives of one class. */
export interface DataFlow {
  relation: Relation;
  cls: DataClass;
  /** Case states in which the relation holds ('all', or the list). */
  states: 'all' | string[];
  /** `always` while the relation holds; `consent`: only under a valid consent naming the recipient's sector for the class. */
  condition: 'always' | 'consent';
  /** Identity fields received ('all' for every field of the class). */
  fields: 'all' | string[];
  /** Professions the class is limited to (health and social content), or null. */
  professions: string[] | null;
}

export interface Register {
  flows: DataFlow[];
  /** Classes each relation never receives, whatever else holds. */
  never: Partial<Record<Relation, DataClass[]>>;
  sectors: { sector: string; regime: string; basis: string }[];
  retention: { protectedClassesDays: number; auditLogDays: number };
  consentValidityMonths: number;
}

const RELATION_NAMES: Record<Relation, string> = {
  referrer: 'the referring professional (their own record)',
  referring_service: 'a referrer of the referring organisation (to record a withdrawal)',
  coordinator: 'the CLSM coordinator of the territory',
  attending_member: 'a commission member attending an open session with the situation on its agenda',
  action_owner: 'a professional of an organisation that owns an action of the plan',
};

const CLASS_NAMES: Record<DataClass, string> = {
  meta: 'workflow data (state, dates, references, clear categories)',
  summary: 'pseudonymised summary',
  plan: 'action plan',
  consent: 'consent metadata',
  identity: 'identity (names, birth date, address, phone, email)',
  health: 'health content',
  social: 'social narrative',
};

export function buildRegister(policy: Policy): Register {
  const flows: DataFlow[] = [];
  for (const relation of RELATIONS) {
    const rule = policy.relations[relation];
    const never = new Set(policy.never[relation] ?? []);
    for (const cls of CLASSES) {
      // The referrer's own record is not bound by `never` (access.ts decideRelease).
      if (never.has(cls) && relation !== 'referrer') continue;
      const consented = isProtected(cls) ? rule.consented[cls] : undefined;
      const always = rule.always.includes(cls);
      if (!always && !consented) continue;
      flows.push({
        relation,
        cls,
        states: rule.states,
        condition: always ? 'always' : 'consent',
        fields: always ? 'all' : consented!.fields,
        professions: always ? null : cls === 'health' ? [...policy.healthProfessions] : cls === 'social' ? [...policy.socialProfessions] : null,
      });
    }
  }
  return {
    flows,
    never: policy.never,
    sectors: SECTORS.map((sector) => ({ sector, ...policy.sectors[sector] })),
    retention: { protectedClassesDays: policy.retention.protectedClassesAfterClosureDays, auditLogDays: policy.retention.auditLogDays },
    consentValidityMonths: policy.consent.defaultValidityMonths,
  };
}

const list = (value: 'all' | string[]) => (value === 'all' ? 'all' : value.join(', '));

/** The register as a Markdown document for the DPO (GET /register?format=markdown, `npm run register`). */
export function registerMarkdown(register: Register): string {
  const { retention } = register;
  const lines = [
    '# Cellule — register of processing and data flows',
    '',
    'Generated from the policy documents the server runs with (policies/*.yaml); regenerate it after',
    'any change to them.',
    '',
    '## Processing (GDPR art. 30)',
    '',
    "- **Purpose**: multi-partner review of a person's complex situation by the cellule de cas complexes",
    '  of a Conseil local de santé mentale: referral, consent, review in session, action plan, follow-up.',
    '- **Data subjects**: the persons whose situation is referred; the professionals using the service.',
    `- **Categories of data**: ${CLASSES.map((c) => `${c} (${CLASS_NAMES[c]})`).join('; ')}.`,
    `  Encrypted at rest (XChaCha20-Poly1305, one key per situation): ${PROTECTED_CLASSES.join(', ')} and the summary's free text.`,
    `- **Consent**: valid ${register.consentValidityMonths} months by default; its scope names, per class, the sectors that may receive it.`,
    `- **Retention**: ${PROTECTED_CLASSES.join(', ')} erased (crypto-shredded) ${retention.protectedClassesDays} days after closure, or after`,
    `  the last activity of a situation left open; access log kept ${retention.auditLogDays} days, then purged under a signed checkpoint.`,
    '- **Security**: access denied by default and decided per request from these policies; every access and',
    '  refusal written to an append-only, hash-chained and signed access log.',
    '',
    '## Recipients: sectors and the confidentiality regime that binds them',
    '',
    '| sector | regime | basis |',
    '|---|---|---|',
    ...register.sectors.map((s) => `| ${s.sector} | ${s.regime} | ${s.basis} |`),
    '',
    '## Data flows (who receives which class, when, on which condition)',
    '',
    '| recipient | class | states | condition | fields | professions |',
    '|---|---|---|---|---|---|',
    ...register.flows.map(
      (f) =>
        `| ${RELATION_NAMES[f.relation]} | ${f.cls} | ${list(f.states)} | ${f.condition === 'always' ? 'always' : "valid consent naming the recipient's sector"} | ${list(f.fields)} | ${f.professions ? f.professions.join(', ') : 'any'} |`,
    ),
    '',
    '## Never released',
    '',
    ...Object.entries(register.never).map(([relation, classes]) => `- ${RELATION_NAMES[relation as Relation]}: never ${classes!.join(', ')}.`),
    '',
  ];
  return lines.join('\n');
}
