/**
 * The accountability documents of DESIGN.md ("Accountability documents"): the data-flow table a
 * DPIA needs — who receives which class, in which states, on which condition and legal basis, for
 * how long — and a register of processing (GDPR art. 30) around it, both computed from the
 * validated policy (policies/*.yaml) the server runs with, so they cannot drift apart from it.
 */
import { DOCUMENT_MEDIA_TYPES } from '../cases/documents/documents.repository.js';
import { DOCUMENT_CLASSES, isProtected } from './access.js';
import {
  CLASSES,
  FLOWS,
  PROTECTED_CLASSES,
  SECTORS,
  type DataClass,
  type Flow,
  type Involvement,
  type LegalBasisOfFlow,
  type Policy,
  type Relation,
  type Responsibility,
  RELATIONS,
} from './policy.types.js';

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

/** How a relation is held, and which organisations working with the person it learns of. */
export interface RecipientTie {
  relation: Relation;
  /** What ties the recipient to the situation (and what ends the tie). */
  tie: string;
  /** `all`, or `consented`: its own organisation, and those whose involvement the consent releases to its sector. */
  involvement: 'all' | 'consented';
}

/** The documents filed on a situation (issue 12), as the register describes them. */
export interface RegisterDocuments {
  /** The protected classes a document is filed under: it is released only with its whole class. */
  classes: string[];
  mediaTypes: string[];
  maxBytes: number;
  description: string;
}

/** How the professionals sign in (issue 16), and what a profession proven at sign-in changes. */
export interface RegisterSignIn {
  /** The OpenID Connect providers configured (OIDC_<NAME>_*): their name in the routes and kind. */
  providers: { name: string; kind: string }[];
  /** sectors.yaml `healthRequiresProvenProfession`: health content only to a profession proven by Pro Santé Connect. */
  healthRequiresProvenProfession: boolean;
}

export interface Register {
  /** controller.yaml: who is responsible, the DPO, the host. */
  controller: Responsibility['controller'];
  dpo: Responsibility['dpo'];
  host: Responsibility['host'];
  /** controller.yaml: the legal bases of each flow. */
  legalBases: ({ flow: Flow } & LegalBasisOfFlow)[];
  documents: RegisterDocuments;
  flows: DataFlow[];
  /** Classes each relation never receives, whatever else holds. */
  never: Partial<Record<Relation, DataClass[]>>;
  recipients: RecipientTie[];
  sectors: { sector: string; regime: string; basis: string; involvement: Involvement }[];
  retention: { protectedClassesDays: number; auditLogDays: number };
  consentValidityMonths: number;
  signIn: RegisterSignIn;
}

const KIND_NAMES: Record<string, string> = { proconnect: 'ProConnect', prosanteconnect: 'Pro Santé Connect', generic: 'OpenID Connect' };

const RELATION_NAMES: Record<Relation, string> = {
  referrer: 'the referring professional (their own record)',
  referring_service: 'a colleague of the referrer in the referring organisation (to record a withdrawal)',
  coordinator: 'the CLSM coordinator of the territory',
  attending_member: 'a commission member attending an open session with the situation on its open agenda',
  action_owner: 'a professional vouched for by the coordinator whose organisation owns an open action of the plan',
};

/** What each fact of access.yaml means for the recipient holding it (the tie, and what ends it). */
const TIES: Record<string, string> = {
  wrote_referral: 'wrote the referral; for as long as the situation is kept',
  referring_organisation: 'belongs to the organisation that referred the situation; while they do',
  same_territory: "coordinates the situation's territory; while they do",
  attends_review:
    'recorded attendance, under the current charter, at a session open now with the situation on its open agenda, as a member or deputy of the commission or invited for that situation; ends when the session closes (by itself at its end time), when the plan is adopted (the situation leaves the open agenda), when the member is removed; in the session dossier only, also held from the days before the session (policies/lifecycle.yaml) by the members who accepted the charter, and after it by those present, until the record of the session is closed',
  owns_action:
    "belongs to an organisation owning an open action (not done) of the current plan, and is a member or deputy of the commission (added by its coordinator) or the professional the coordinator named on that action; ends when the organisation's actions are done, when a new plan replaces it, when the member is removed",
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

/** Documents of a situation (the limits of src/cases/documents, repeated here so that the register does not depend on the HTTP layer). */
export const REGISTER_DOCUMENTS: RegisterDocuments = {
  classes: [...DOCUMENT_CLASSES],
  mediaTypes: [...DOCUMENT_MEDIA_TYPES],
  maxBytes: 10 * 1024 * 1024,
  description:
    "Documents the referrer files on a situation (a signed consent form, a letter): encrypted in chunks under the situation's key, each filed under one protected class, and released to a reader only when that whole class is released to them (the data flows below); erased with the situation's key.",
};

/** `providers`: the OpenID Connect providers the server is configured with (none: local accounts only). */
export function buildRegister(policy: Policy, providers: readonly { name: string; kind: string }[] = []): Register {
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
    controller: policy.controller,
    dpo: policy.dpo,
    host: policy.host,
    legalBases: FLOWS.map((flow) => ({ flow, ...policy.legalBases[flow] })),
    documents: REGISTER_DOCUMENTS,
    flows,
    never: policy.never,
    recipients: RELATIONS.map((relation) => ({
      relation,
      tie: TIES[policy.holders[relation].fact] ?? policy.holders[relation].fact,
      involvement: policy.relations[relation].involvement,
    })),
    sectors: SECTORS.map((sector) => ({ sector, ...policy.sectors[sector] })),
    retention: { protectedClassesDays: policy.retention.protectedClassesAfterClosureDays, auditLogDays: policy.retention.auditLogDays },
    consentValidityMonths: policy.consent.defaultValidityMonths,
    signIn: {
      providers: providers.map((p) => ({ name: p.name, kind: p.kind })),
      healthRequiresProvenProfession: policy.healthRequiresProvenProfession === true,
    },
  };
}

/** The register's section on sign-in: the providers, and what the proven-profession setting changes. */
function signInLines(signIn: RegisterSignIn): string[] {
  const providers = signIn.providers.length
    ? signIn.providers.map((p) => `${KIND_NAMES[p.kind] ?? p.kind} (\`${p.name}\`)`).join(', ')
    : 'none: local accounts only';
  const psc = signIn.providers.some((p) => p.kind === 'prosanteconnect');
  return [
    '## Sign-in and proven professions',
    '',
    `- **Identity providers configured**: ${providers}. Local accounts (password and a second factor) remain for`,
    '  organisations without a provider. An account is linked to a provider identity by an administrator (an',
    '  invitation, or an email match the user confirms); nobody gets an account by signing in.',
    `- **Pro Santé Connect**: ${psc ? 'configured' : 'not configured'}. A sign-in with it records the RPPS number and the profession (ANS`,
    '  nomenclature TRE_G15) of the health professional; that proven profession replaces the one an administrator declared.',
    signIn.healthRequiresProvenProfession
      ? `- **healthRequiresProvenProfession: true** — health content is released only to a profession proven by a Pro Santé Connect sign-in, never to one an administrator only declared.${psc ? '' : ' No Pro Santé Connect provider is configured: no one receives health content.'}`
      : '- **healthRequiresProvenProfession: false** — health content is released to the professions listed with each flow as recorded on the account, declared by an administrator or proven by Pro Santé Connect.',
    '',
  ];
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
    '## Who is responsible',
    '',
    `- **Controller**: ${register.controller.name} — ${register.controller.address}`,
    `- **Data protection officer**: ${register.dpo.name} — ${register.dpo.contact}`,
    `- **Host**: ${register.host.name} — ${register.host.certification}`,
    '',
    '## Legal bases of each flow',
    '',
    '| flow | purpose | GDPR art. 6 | GDPR art. 9 | French texts |',
    '|---|---|---|---|---|',
    ...register.legalBases.map((b) => `| ${b.flow} | ${b.purpose} | ${b.article6} | ${b.article9} | ${b.french} |`),
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
    `- **Documents**: ${register.documents.description} Classes: ${register.documents.classes.join(', ')}; ${register.documents.mediaTypes.join(', ')}, at most ${register.documents.maxBytes / 1024 / 1024} MB each.`,
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
    '## What ties each recipient to a situation, and the organisations it learns of',
    '',
    "Who else works with the person is itself a secret: the owners of the plan's actions, the organisations of the",
    "history, the referring one and the summary's partner sectors are named to a recipient marked `consented` only for",
    "its own organisation, and for a sector whose involvement the person's valid consent releases to the recipient's",
    'sector (the involvement of a sector reveals the class below).',
    '',
    '| recipient | tie | organisations named |',
    '|---|---|---|',
    ...register.recipients.map((r) => `| ${RELATION_NAMES[r.relation]} | ${r.tie} | ${r.involvement} |`),
    '',
    '| sector | its involvement reveals |',
    '|---|---|',
    ...register.sectors.map((s) => `| ${s.sector} | ${s.involvement} |`),
    '',
    ...signInLines(register.signIn),
    '## Texts written without sight of the identity',
    '',
    'A pseudonymised text (action title or note, closing outcome, rejection reason) is refused when it holds a phone',
    'number, an email address or a NIR, or an identity field its writer may see. One that names the person by a field',
    'its writer may not see (a coordinator) is not refused — the refusal would confirm a guess — but held: sealed with',
    'the identity, shown to its author and to the referrer, who is asked to have it rewritten; nobody else reads it. A',
    'closing outcome in free text is released as health content.',
    '',
  ];
  return lines.join('\n');
}
