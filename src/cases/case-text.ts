import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors.js';
import { findIdentifyingText, type IdentityHints } from '../vault/leak-guard.js';
import { VaultError } from '../vault/vault-error.js';
import type { VaultService } from '../vault/vault.service.js';

const KIND_LABEL: Record<string, string> = {
  name: "the person's name",
  birth_date: 'a birth date',
  phone: 'a phone number',
  email: 'an email address',
  address: 'an address',
  nir: 'a social security number',
};

function refuse(field: string, label: string, extensions: Record<string, unknown> = {}): never {
  throw new AppError('identifying_text', `${field} contains ${label}; pseudonymise it before saving`, {
    errors: [{ field, message: `contains ${label}` }],
    ...extensions,
  });
}

/**
 * Refuses pseudonymised texts (summary, plan, outcomes) that would identify the person. The
 * answer names the field, never the text.
 *
 * The check against the case's own identity must not become an oracle for someone who may not
 * see that identity (a coordinator guessing names through action titles): generic identifiers
 * are checked first over every field, and when `disclose` is false a hit on the person's own
 * identity is reported without its kind and without the position of the field in a list.
 */
export function assertPseudonymised(
  fields: Record<string, string | null | undefined>,
  identity: IdentityHints,
  options: { disclose: boolean } = { disclose: true },
): void {
  const texts = Object.entries(fields).filter((entry): entry is [string, string] => Boolean(entry[1]));
  for (const [field, text] of texts) {
    const generic = findIdentifyingText(text, {});
    if (generic) refuse(field, KIND_LABEL[generic.kind] ?? 'an identifier', { kind: generic.kind });
  }
  for (const [field, text] of texts) {
    const own = findIdentifyingText(text, identity);
    if (!own) continue;
    if (options.disclose) refuse(field, KIND_LABEL[own.kind] ?? 'an identifier', { kind: own.kind });
    refuse(field.replace(/\.\d+\./g, '.'), 'an identifier of the person');
  }
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
    return opened.identity ?? {};
  } catch (error) {
    if (error instanceof VaultError && error.code === 'shredded') return {};
    throw error;
  }
}
