import { AppError } from '../common/errors.js';
import { findIdentifyingText, type IdentityHints } from '../vault/leak-guard.js';

const KIND_LABEL: Record<string, string> = {
  name: "the person's name",
  birth_date: 'a birth date',
  phone: 'a phone number',
  email: 'an email address',
  address: 'an address',
  nir: 'a social security number',
};

/**
 * Refuses pseudonymised texts (summary, plan, outcomes) that would identify the person. The
 * answer names the field and the kind of identifier found, never the text itself.
 */
export function assertPseudonymised(fields: Record<string, string | null | undefined>, identity: IdentityHints): void {
  for (const [field, text] of Object.entries(fields)) {
    if (!text) continue;
    const hit = findIdentifyingText(text, identity);
    if (hit) {
      throw new AppError('identifying_text', `${field} contains ${KIND_LABEL[hit.kind] ?? 'an identifier'}; pseudonymise it before saving`, {
        errors: [{ field, message: `contains ${KIND_LABEL[hit.kind] ?? 'an identifier'}` }],
        kind: hit.kind,
      });
    }
  }
}
