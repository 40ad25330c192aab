import type { EntityManager } from 'typeorm';
import { IDENTITY_FIELDS, type IdentityField } from '../access/policy.types.js';
import type { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import { findIdentifyingText, proposeRewording, type IdentityHints } from '../vault/leak-guard.js';
import type { FieldClass } from '../vault/vault.js';
import { VaultError } from '../vault/vault-error.js';
import type { VaultService } from '../vault/vault.service.js';
import { dropHeldTexts, heldTextsOf, holdTexts, type HeldTextRow } from './held-texts.repository.js';

const KIND_LABEL: Record<string, string> = {
  name: "the person's name",
  birth_date: 'a birth date',
  phone: 'a phone number',
  email: 'an email address',
  address: 'an address',
  nir: 'a social security number',
};

/** What a held text shows to those who may not read it (it names the person). */
export const HELD_TEXT = '[withheld: this text names the person; the referrer was asked to have it rewritten]';

/** The vault field of a held text (class identity): `held_` + the field it would have been sealed as. */
export const heldField = (field: string) => `held_${field}`;

/** One text the guard refuses: its field, what it holds, and the writer's text reworded. */
interface Refusal {
  field: string;
  kind: string;
  proposal: string | null;
}

/**
 * The refusal names every refused field and the kind each holds, never the value; `proposals` are
 * the writer's own texts with what the guard finds replaced — generic identifiers, and the identity
 * fields this writer may see: nothing they do not know already (issue 12; for a writer who sees no
 * identity, only the generic patterns are replaced, so the answer never depends on the identity: no
 * oracle). `kind` and `proposal` repeat the first refusal's, as the answer had them before.
 */
function refuse(refusals: Refusal[]): never {
  const label = (kind: string) => KIND_LABEL[kind] ?? 'an identifier';
  const [first] = refusals;
  const proposals = refusals.flatMap((r) => (r.proposal !== null ? [{ field: r.field, text: r.proposal }] : []));
  const detail = refusals.map((r) => `${r.field} contains ${label(r.kind)}`).join(', ');
  throw new AppError('identifying_text', `${detail}; pseudonymise ${refusals.length > 1 ? 'them' : 'it'} before saving`, {
    errors: refusals.map((r) => ({ field: r.field, message: `contains ${label(r.kind)}` })),
    kind: first.kind,
    ...(first.proposal !== null ? { proposal: { field: first.field, text: first.proposal } } : {}),
    ...(proposals.length ? { proposals } : {}),
  });
}

const only = (identity: IdentityHints, fields: readonly IdentityField[]): IdentityHints =>
  Object.fromEntries(fields.map((f) => [f, identity[f]])) as IdentityHints;

/**
 * Rule 5 of the secrecy model, without an oracle (issue 10): a pseudonymised text (summary, plan,
 * outcome…) that holds a generic identifier (phone, email, NIR) is refused (422 naming the field
 * and the kind) — that answer is the same whatever the person's identity. It is refused as well
 * when it holds an identity field the writer may see (`seen`, src/access/access.ts
 * identityFieldsSeenBy): the referrer is told, and can fix it. A hit on a field the writer may NOT
 * see is never refused — 422-vs-200 would confirm their guess —: the text is accepted and the
 * answer lists it among the fields to hold (sealed as identity, shown to its author and to the
 * referrer, who is asked to have it rewritten). Answers name fields, never values.
 */
export function checkTexts(fields: Record<string, string | null | undefined>, identity: IdentityHints, seen: readonly IdentityField[]): Set<string> {
  const texts = Object.entries(fields).filter((entry): entry is [string, string] => Boolean(entry[1]));
  const visible = only(identity, seen);
  // Every refused field at once (the writer fixes them together); generic identifiers first, an
  // answer that does not depend on the identity.
  const refusals = (hints: IdentityHints): Refusal[] =>
    texts.flatMap(([field, text]) => {
      const hit = findIdentifyingText(text, hints);
      return hit ? [{ field, kind: hit.kind, proposal: proposeRewording(text, visible) }] : [];
    });
  const generic = refusals({});
  if (generic.length) refuse(generic);
  const own = refusals(visible);
  if (own.length) refuse(own);
  const held = new Set<string>();
  for (const [field, text] of texts) if (findIdentifyingText(text, identity)) held.add(field);
  return held;
}

/**
 * The case's identity, decrypted by the server itself for the leak check: an audited system
 * access (the caller receives nothing of it). A crypto-shredded case has no identity left to
 * compare with; the generic patterns still apply.
 */
export async function identityForLeakCheck(
  vault: VaultService,
  audit: AuditService,
  manager: EntityManager,
  record: { id: string; territoryId: string },
  requestedBy: string | null,
): Promise<IdentityHints> {
  try {
    const opened = await vault.openFields(manager, { territoryId: record.territoryId, caseId: record.id }, ['identity']);
    await audit.record(
      {
        actorId: null,
        organisationId: null,
        territoryId: record.territoryId,
        action: 'system.leak-check',
        caseId: record.id,
        classes: ['identity'],
        decision: 'allow',
        purpose: `leak check of a text sent by ${requestedBy ?? 'system'}`,
      },
      manager,
    );
    return only(opened.identity, IDENTITY_FIELDS);
  } catch (error) {
    if (error instanceof VaultError && error.code === 'shredded') return {};
    throw error;
  }
}

/** One pseudonymised text of a case: the vault field it is sealed as, and its name in the API. */
export interface TextEntry {
  /** Sealed field name (`outcomeText`, `note_<action id>`…). */
  field: string;
  /** The member of the request it came from (`outcome`, `note`…): what a refusal names. */
  label: string;
  /** What the referrer's review calls it when held, if more than `label` (`actions.<id>.note`). */
  review?: string;
  /** null: the text is removed. */
  text: string | null;
}

/**
 * The pseudonymised texts one writer sends on one case, checked and stored as one rule: what the
 * writer may see of the identity decides what refuses (checkTexts); what names the person beyond
 * that is held — sealed in the identity class under `held_<field>`, recorded in held_texts with
 * its author, audited — instead of being stored where its class would release it.
 */
export class CaseTexts {
  constructor(
    private readonly deps: { vault: VaultService; audit: AuditService; manager: EntityManager },
    private readonly target: { id: string; territoryId: string },
    private readonly writer: { userId: string | null; organisationId: string | null; seen: readonly IdentityField[] },
    private readonly at: Date,
  ) {}

  private identity?: Promise<IdentityHints>;

  /** Refuses what must be refused (422); answers the labels of the texts to hold. */
  async check(fields: Record<string, string | null | undefined>): Promise<Set<string>> {
    if (!Object.values(fields).some(Boolean)) return new Set();
    this.identity ??= identityForLeakCheck(this.deps.vault, this.deps.audit, this.deps.manager, this.target, this.writer.userId);
    return checkTexts(fields, await this.identity, this.writer.seen);
  }

  /** Checks, then seals each text in `cls` — or, when it names the person, holds it. */
  async write(cls: FieldClass, entries: TextEntry[]): Promise<void> {
    const held = await this.check(Object.fromEntries(entries.map((e) => [e.label, e.text])));
    await this.store(cls, entries, held);
  }

  /** Stores texts already checked: those whose label is in `held` are held, the others sealed in `cls`. */
  async store(cls: FieldClass | null, entries: TextEntry[], held: ReadonlySet<string>): Promise<void> {
    const { vault, manager } = this.deps;
    const ref = { territoryId: this.target.territoryId, caseId: this.target.id };
    const toHold = entries.filter((e) => e.text !== null && held.has(e.label));
    const plain = entries.filter((e) => !toHold.includes(e));
    if (cls && plain.length) await vault.sealFields(manager, ref, cls, Object.fromEntries(plain.map((e) => [e.field, e.text])));
    if (cls && toHold.length) await vault.sealFields(manager, ref, cls, Object.fromEntries(toHold.map((e) => [e.field, null])));
    const fields: Record<string, string | null> = {};
    for (const e of entries) fields[heldField(e.field)] = toHold.includes(e) ? e.text : null;
    await vault.sealFields(manager, ref, 'identity', fields);
    await dropHeldTexts(
      manager,
      this.target.id,
      plain.map((e) => e.field),
    );
    if (!toHold.length) return;
    await holdTexts(manager, {
      caseId: this.target.id,
      authorUserId: this.writer.userId,
      at: this.at,
      texts: toHold.map((e) => ({ field: e.field, label: e.review ?? e.label })),
    });
    await this.deps.audit.record(
      {
        actorId: this.writer.userId,
        organisationId: this.writer.organisationId,
        territoryId: this.target.territoryId,
        action: 'case.text.held',
        caseId: this.target.id,
        classes: ['identity'],
        decision: 'allow',
        purpose: 'a text names the person and was written by someone who may not see the identity: held for the referrer',
        detail: { fields: toHold.map((e) => e.review ?? e.label) },
      },
      manager,
    );
  }
}

/** A held text as one viewer gets it: the text when they may read it (its author, the referrer), else null. */
export interface HeldText extends HeldTextRow {
  text: string | null;
}

/**
 * The held texts of a case, each with its text for a viewer who may read it (`reads`, decided in
 * src/access/access.ts readsHeldText): only those texts are decrypted.
 */
export async function readHeldTexts(
  vault: VaultService,
  manager: EntityManager,
  target: { id: string; territoryId: string },
  reads: (authorUserId: string | null) => boolean,
): Promise<Map<string, HeldText>> {
  const rows = await heldTextsOf(manager, target.id);
  const readable = rows.filter((row) => reads(row.authorUserId));
  let opened: Record<string, string> = {};
  if (readable.length) {
    try {
      opened = (await vault.openFields(manager, { territoryId: target.territoryId, caseId: target.id }, ['identity'], { fieldPrefix: 'held_' })).identity;
    } catch (error) {
      // Crypto-shredded: the held texts went with the rest of the identity.
      if (!(error instanceof VaultError && error.code === 'shredded')) throw error;
    }
  }
  return new Map(rows.map((row) => [row.field, { ...row, text: readable.includes(row) ? (opened[heldField(row.field)] ?? null) : null }]));
}
