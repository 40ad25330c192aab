/**
 * RECORD_CONSENT — the referrer records the person's decision after informing them: who, when,
 * how, the scope (sectors × classes) and the expiry (policy default: 12 months after the
 * information). A granted consent moves the case to review, or renews an expired one; a refusal
 * leads to an anonymous review or a closure. The evidence (it may name the person) is sealed.
 *
 * The scope is checked by the rule of the information letter's proposal (src/consent/proposal.ts,
 * `checkedScope`): only the sectors and classes the policies could ever release under consent —
 * never the coordination's sector — else a 400 naming `scope.<i>.sector` / `scope.<i>.classes.<j>`
 * before the machine runs, so nothing is written. It is not bounded by the last letter printed:
 * that proposal is kept only in the access log (an accountability record, purged by its own
 * retention, not a fact the workflow reads), and the letter is printed only while the consent is
 * awaited, whereas a consent is also recorded on a draft, after a refusal or to renew an expired
 * one — a bound there could never be widened by a new letter.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsString } from 'class-validator';
import { Chars, Items, MaxChars, MaxItems } from '../../common/limits.js';
import { PROTECTED_CLASSES, SECTORS, type ProtectedClass, type Sector } from '../../access/policy.types.js';
import { insertConsent, type ConsentMethod } from '../../consent/consents.repository.js';
import { checkedScope } from '../../consent/proposal.js';
import { AppError } from '../../common/errors.js';
import { IsInstant, NestedObject, NestedObjects } from '../../common/validation.js';
import { REPRESENTATIVE_MEASURES } from '../dto/create-case.dto.js';
import { addMonths, defineEvent, EventPayload, EventType, Required } from './event-module.js';

export interface RecordConsentEvent {
  type: 'RECORD_CONSENT';
  at: string;
  decision: 'granted' | 'refused';
  /** When a granted consent ends (null: no expiry); null for a refusal. */
  expiresAt: string | null;
}

export class ConsentScopeDto {
  @ApiProperty({ enum: SECTORS }) @IsIn(SECTORS) sector!: Sector;
  @ApiProperty({ enum: PROTECTED_CLASSES, isArray: true })
  @IsArray()
  @Items(1, PROTECTED_CLASSES.length)
  @ArrayUnique()
  @IsIn(PROTECTED_CLASSES, { each: true })
  classes!: ProtectedClass[];
}

const METHODS = ['written', 'oral', 'representative'] as const;

/** Issue 12: who gave the consent for the person — the measure, and the representative's organisation. */
export class RepresentativeDto {
  @ApiProperty({ enum: REPRESENTATIVE_MEASURES }) @IsIn(REPRESENTATIVE_MEASURES) measure!: (typeof REPRESENTATIVE_MEASURES)[number];
  @ApiProperty({ description: "The representative's organisation (a mandataire's association or service; for parental authority, e.g. 'parents')" })
  @IsString()
  @Chars(1, 200)
  organisation!: string;
}

export class RecordConsentPayload extends EventPayload {
  @EventType('RECORD_CONSENT') type!: 'RECORD_CONSENT';
  @ApiProperty({ enum: ['granted', 'refused'] }) @Required('RECORD_CONSENT') @IsIn(['granted', 'refused']) decision!: 'granted' | 'refused';
  @ApiProperty({ format: 'date-time', description: 'When the person was informed' })
  @Required('RECORD_CONSENT')
  @IsInstant()
  informedAt!: string;
  @ApiProperty({ enum: METHODS }) @Required('RECORD_CONSENT') @IsIn(METHODS) method!: ConsentMethod;
  @ApiPropertyOptional({
    type: [ConsentScopeDto],
    description:
      "Sectors × classes the person agreed to share with: only those the policies release under consent (the situation's `proposable`); anything else is a 400 naming scope.<i>.sector or scope.<i>.classes.<j>",
  })
  @IsOptional()
  @NestedObjects(() => ConsentScopeDto)
  @MaxItems(SECTORS.length)
  scope?: ConsentScopeDto[];
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: the policy validity (12 months) after informedAt' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string;
  @ApiPropertyOptional({ description: 'Evidence of the consent (stored encrypted)' }) @IsOptional() @IsString() @MaxChars(2000) evidence?: string;
  @ApiPropertyOptional({ type: RepresentativeDto, description: "Required when method is 'representative': the measure and the representative's organisation" })
  @IsOptional()
  @NestedObject(() => RepresentativeDto)
  representative?: RepresentativeDto;
}

/** Clock skew tolerated between the referrer's device and the server for `informedAt`. */
const SKEW_MS = 5 * 60_000;

export const recordConsent = defineEvent<RecordConsentEvent, RecordConsentPayload>({
  type: 'RECORD_CONSENT',
  payload: RecordConsentPayload,
  probe: ({ at }) => ({ type: 'RECORD_CONSENT', at, decision: 'granted', expiresAt: null }),
  build(payload, { at, rules, proposable }) {
    const informedAt = new Date(payload.informedAt);
    if (informedAt.getTime() > at.getTime() + SKEW_MS) throw AppError.validation('informedAt', 'cannot be in the future');
    if (payload.decision === 'refused' && payload.scope?.length) throw AppError.validation('scope', 'a refused consent has no scope');
    if (payload.scope) checkedScope(proposable, payload.scope, 'merged');
    if (payload.method === 'representative' && !payload.representative)
      throw AppError.validation('representative', "is required when the consent is given by a representative (method 'representative')");
    if (payload.method !== 'representative' && payload.representative)
      throw AppError.validation('representative', "is only for a consent given by a representative (method 'representative')");
    // The policy's validity is a ceiling, not a default a client may stretch: a release lasts no
    // longer than the person was told it would (issue 10, "releases that outlive their reason").
    const longest = addMonths(informedAt, rules.consentValidityMonths);
    const expiresAt = payload.decision === 'granted' ? (payload.expiresAt ? new Date(payload.expiresAt) : longest) : null;
    if (expiresAt && expiresAt.getTime() > longest.getTime())
      throw AppError.validation('expiresAt', `must be at most ${rules.consentValidityMonths} months after informedAt (policies/lifecycle.yaml)`);
    if (expiresAt && expiresAt.getTime() <= at.getTime()) throw AppError.validation('expiresAt', 'must be in the future');
    return { type: 'RECORD_CONSENT', at: at.toISOString(), decision: payload.decision, expiresAt: expiresAt?.toISOString() ?? null };
  },
  async records(payload, event, ctx) {
    // Stored in clear with the consent (the coordination sees it): an organisation, never a person.
    // Checked like a pseudonymised text (no name of the person, no phone or email).
    if (payload.representative) await ctx.texts.check({ 'representative.organisation': payload.representative.organisation });
    await insertConsent(ctx.manager, {
      caseId: ctx.record.id,
      decision: event.decision,
      method: payload.method,
      informedAt: payload.informedAt,
      informedByUserId: ctx.actorId,
      scope: event.decision === 'granted' ? (payload.scope ?? []) : [],
      expiresAt: event.expiresAt,
      recordedAt: ctx.at,
      representative: payload.representative ? { measure: payload.representative.measure, organisation: payload.representative.organisation.trim() } : null,
    });
    // Read by the referrer only: it may name the person, so it is not leak-checked but sealed.
    if (payload.evidence) {
      await ctx.vault.sealFields(ctx.manager, { territoryId: ctx.record.territoryId, caseId: ctx.record.id }, 'consent', { evidence: payload.evidence });
    }
  },
});
