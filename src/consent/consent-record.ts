/**
 * A situation's consent as a record following ISO/IEC TS 27560:2023 (Privacy technologies —
 * Consent record information structure). The standard's text is not public; its field names and
 * sections are taken from the W3C DPVCG's public guide to it, "Consent Records and Receipts as per
 * ISO/IEC TS 27560:2023 using DPV" (Final Community Group Report, 2024-08-01,
 * https://w3id.org/dpv/guides/consent-27560), whose mapping tables quote each field with its clause:
 *
 *  - header: `schema_version`, `record_id`, `pii_principal_id`;
 *  - processing (6.3.4): `privacy_notice` (6.3.4.1), `language` (6.3.4.2), `purposes` (6.3.4.3–4:
 *    `purpose`, `purpose_type`), `lawful_basis` (6.3.4.6), `pii_information` (6.3.4.7, each with
 *    `pii_type` 6.3.5.1 and `special_pii_category` 6.3.5.5), `pii_controllers` (6.3.4.8),
 *    `collection_method` (6.3.4.9), `storage_locations` (6.3.4.11), `retention_period` (6.3.4.12),
 *    `jurisdiction` (6.3.4.16), `recipient_third_parties` (6.3.4.17), `withdrawal_method`
 *    (6.3.4.18), `privacy_rights` (6.3.4.19), `authority_party` (6.3.4.22);
 *  - parties (6.3.6): `party_id`, `party_name`, `party_role`, `party_contact`, `party_type`,
 *    `party_address`;
 *  - events (6.3.7): `event_time` (6.3.7.1), `validity_duration` (6.3.7.2), `entity_id` (6.3.7.3),
 *    `event_type` (6.3.7.4: the type of consent, here explicit — GDPR art. 9(2)(a)) and
 *    `event_state` (6.3.7.6: given, refused, withdrawn, expired — ISO Annex B's lifecycle).
 *
 * The guide derives from the Kantara Consent Receipt Specification v1.1, whose snake_case names
 * ISO kept. Processing follows the consent's scope: one entry per sector the person agreed to,
 * with the classes released to it (`pii_information`) and the sector as the recipient. Nothing of
 * the person is in it: the PII principal is the situation's reference, data are classes,
 * recipients are kinds of partners (sectors), never named people.
 */
import type { Policy, ProtectedClass, Sector } from '../access/policy.types.js';
import { consentValidAt, standingOf } from './consent.js';
import type { ConsentRow } from './consents.repository.js';

export const CONSENT_RECORD_SCHEMA = 'ISO/IEC TS 27560:2023';
/** The notice the consent answers: the information letter (POST /cases/:id/consent/letter). */
export const CONSENT_NOTICE_ID = 'cellule-information-letter';

export type ConsentState = 'given' | 'refused' | 'withdrawn' | 'expired';

export type PartyRole = 'pii_controller' | 'recipient' | 'pii_principal' | 'pii_principal_representative';

export interface ConsentParty {
  party_id: string;
  party_name: string;
  party_role: PartyRole;
  party_type: 'organisation' | 'sector' | 'person';
  /** The controller's postal address; null for the others. */
  party_address: string | null;
  /** Whom to contact: the DPO for the controller; null for the others. */
  party_contact: string | null;
}

export interface ConsentProcessing {
  privacy_notice: string;
  language: string;
  purposes: { purpose: string; purpose_type: string }[];
  lawful_basis: string[];
  pii_information: { pii_type: ProtectedClass; special_pii_category: boolean }[];
  pii_controllers: string[];
  collection_method: string;
  storage_locations: string[];
  retention_period: string;
  jurisdiction: string[];
  recipient_third_parties: string[];
  withdrawal_method: string;
  privacy_rights: string[];
  authority_party: string;
}

export interface ConsentEvent {
  event_time: string;
  /** ISO 8601 interval from the event to the consent's end (`<start>/<end>`), or null where it has none. */
  validity_duration: string | null;
  /** The party who expressed it (a `party_id`). */
  entity_id: string;
  event_type: 'explicit';
  event_state: ConsentState;
}

export interface ConsentRecord {
  schema_version: string;
  record_id: string;
  pii_principal_id: string;
  processing: ConsentProcessing[];
  parties: ConsentParty[];
  events: ConsentEvent[];
}

const iso = (d: Date) => d.toISOString();

/** The state of a recorded consent at `at`: given (granted and valid), refused, withdrawn, or expired. */
export function consentStateOf(consent: Pick<ConsentRow, 'decision' | 'withdrawnAt' | 'expiresAt'>, at: Date): ConsentState {
  const standing = standingOf(consent);
  if (standing.status === 'withdrawn') return 'withdrawn';
  if (standing.status === 'refused') return 'refused';
  return consentValidAt(standing, at) ? 'given' : 'expired';
}

const WITHDRAWAL = "Tell the referrer, their service or the cellule's coordination, at any time: every release stops at once (WITHDRAW_CONSENT)";
const RIGHTS = [
  'access (GDPR art. 15)',
  'rectification (art. 16)',
  'erasure (art. 17)',
  'restriction (art. 18)',
  'objection (art. 21)',
  'withdrawal of consent (art. 7(3))',
];

export function consentRecordOf(policy: Policy, consent: ConsentRow & { id: string }, reference: string, at: Date): ConsentRecord {
  const state = consentStateOf(consent, at);
  const basis = policy.legalBases.consent_sharing;
  const representative = consent.method === 'representative';
  const principal: ConsentParty = {
    party_id: reference,
    party_name: reference,
    party_role: 'pii_principal',
    party_type: 'person',
    party_address: null,
    party_contact: null,
  };
  const controller: ConsentParty = {
    party_id: 'controller',
    party_name: policy.controller.name,
    party_role: 'pii_controller',
    party_type: 'organisation',
    party_address: policy.controller.address,
    party_contact: policy.dpo.contact,
  };
  const sectors: ConsentParty[] = consent.scope.map((s) => ({
    party_id: `sector:${s.sector}`,
    party_name: s.sector,
    party_role: 'recipient',
    party_type: 'sector',
    party_address: null,
    party_contact: null,
  }));
  const agent: ConsentParty[] = representative
    ? [
        {
          party_id: 'representative',
          party_name: consent.representativeOrganisation ?? 'representative',
          party_role: 'pii_principal_representative',
          party_type: 'organisation',
          party_address: null,
          party_contact: null,
        },
      ]
    : [];
  const processing = consent.scope.map((s: { sector: Sector; classes: ProtectedClass[] }): ConsentProcessing => ({
    privacy_notice: CONSENT_NOTICE_ID,
    language: 'fr',
    purposes: [{ purpose: basis.purpose, purpose_type: 'consent_sharing' }],
    lawful_basis: [basis.article6, basis.article9, basis.french],
    // Health and social content are special categories (GDPR art. 9); the identity is not.
    pii_information: s.classes.map((c) => ({ pii_type: c, special_pii_category: c !== 'identity' })),
    pii_controllers: [controller.party_id],
    collection_method: consent.method,
    storage_locations: [`${policy.host.name} (${policy.host.certification})`],
    retention_period: `P${policy.retention.protectedClassesAfterClosureDays}D after the situation is closed`,
    jurisdiction: ['FR', 'EU'],
    recipient_third_parties: [`sector:${s.sector}`],
    withdrawal_method: WITHDRAWAL,
    privacy_rights: RIGHTS,
    authority_party: 'CNIL (www.cnil.fr)',
  }));
  const expressedBy = representative ? 'representative' : reference;
  const until = consent.expiresAt ? iso(consent.expiresAt) : null;
  const events: ConsentEvent[] = [
    {
      event_time: iso(consent.informedAt),
      validity_duration: consent.decision === 'granted' && until ? `${iso(consent.informedAt)}/${until}` : null,
      entity_id: expressedBy,
      event_type: 'explicit',
      event_state: consent.decision === 'granted' ? 'given' : 'refused',
    },
  ];
  if (consent.withdrawnAt) {
    events.push({ event_time: iso(consent.withdrawnAt), validity_duration: null, entity_id: expressedBy, event_type: 'explicit', event_state: 'withdrawn' });
  } else if (state === 'expired' && consent.expiresAt) {
    events.push({ event_time: until!, validity_duration: null, entity_id: controller.party_id, event_type: 'explicit', event_state: 'expired' });
  }
  return {
    schema_version: CONSENT_RECORD_SCHEMA,
    record_id: consent.id,
    pii_principal_id: reference,
    processing,
    parties: [principal, ...agent, controller, ...sectors],
    events,
  };
}
