/**
 * RECORD_EXTERNAL_REPORT (issue 12) — a report made, or a measure taken, outside the cellule is
 * recorded on the situation: its kind (signalement au procureur, information préoccupante à la
 * CRIP, soins sans consentement, demande de mesure de protection), its date, who made it and its
 * legal basis (the bases each kind admits are policies/events.yaml's `externalReports`). Nothing
 * of it is in clear: the snapshot and the history get the event's name only, the record itself is
 * sealed in the class events.yaml gives its kind (a care without consent is health, the others
 * social) and is released like that class (visibility.yaml); an optional note is pseudonymised
 * (leak guard) and sealed beside it. No narrative: the categories say what happened.
 */
import { CAPS, capReached } from '../../common/limits.js';
import { eventCount } from '../case.repository.js';
import { randomUUID } from 'node:crypto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID } from 'class-validator';
import { MaxChars } from '../../common/limits.js';
import { organisationsInTerritory } from '../../action-plans/actions.repository.js';
import { EXTERNAL_REPORT_KINDS, LEGAL_BASES, type ExternalReportKind, type LegalBasis } from '../../access/policy.types.js';
import { AppError } from '../../common/errors.js';
import { IsInstant } from '../../common/validation.js';
import { defineEvent, EventPayload, EventType, NotBlank, Required } from './event-module.js';

/** Who made the report or asked for the measure. */
export const REPORT_AUTHORS = ['referrer', 'partner_organisation', 'mayor', 'prefect', 'physician', 'relative', 'person', 'other'] as const;
export type ReportAuthor = (typeof REPORT_AUTHORS)[number];

/** What is sealed, as JSON, in the field `report_<id>` of the kind's class. */
export interface ExternalReport {
  id: string;
  kind: ExternalReportKind;
  madeAt: string;
  madeBy: ReportAuthor;
  madeByOrganisationId: string | null;
  legalBasis: LegalBasis;
  recordedAt: string;
  recordedByUserId: string | null;
}

export const REPORT_PREFIX = 'report_';
export const reportField = (id: string) => `${REPORT_PREFIX}${id.replace(/-/g, '')}`;
export const reportNoteField = (id: string) => `${reportField(id)}_note`;

export interface RecordExternalReportEvent {
  type: 'RECORD_EXTERNAL_REPORT';
  at: string;
}

export class RecordExternalReportPayload extends EventPayload {
  @EventType('RECORD_EXTERNAL_REPORT') type!: 'RECORD_EXTERNAL_REPORT';
  @ApiProperty({ enum: EXTERNAL_REPORT_KINDS }) @Required('RECORD_EXTERNAL_REPORT') @IsIn(EXTERNAL_REPORT_KINDS) kind!: ExternalReportKind;
  @ApiProperty({ format: 'date-time', description: 'When the report was made (not in the future)' })
  @Required('RECORD_EXTERNAL_REPORT')
  @IsInstant()
  madeAt!: string;
  @ApiProperty({ enum: REPORT_AUTHORS }) @Required('RECORD_EXTERNAL_REPORT') @IsIn(REPORT_AUTHORS) madeBy!: ReportAuthor;
  @ApiPropertyOptional({ format: 'uuid', description: 'The organisation of the territory that made it (required for partner_organisation)' })
  @IsOptional()
  @IsUUID()
  madeByOrganisationId?: string;
  @ApiProperty({ enum: LEGAL_BASES, description: 'One of the bases policies/events.yaml admits for the kind' })
  @Required('RECORD_EXTERNAL_REPORT')
  @IsIn(LEGAL_BASES)
  legalBasis!: LegalBasis;
  @ApiPropertyOptional({ description: 'A short pseudonymised note (leak guard; sealed with the report)' })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxChars(1000)
  note?: string;
}

export const recordExternalReport = defineEvent<RecordExternalReportEvent, RecordExternalReportPayload>({
  type: 'RECORD_EXTERNAL_REPORT',
  payload: RecordExternalReportPayload,
  auditClasses: ['social', 'health'],
  probe: ({ at }) => ({ type: 'RECORD_EXTERNAL_REPORT', at }),
  async build(payload, { manager, record, at, externalReports }) {
    if ((await eventCount(manager, record.id, 'RECORD_EXTERNAL_REPORT')) >= CAPS.externalReports) {
      throw capReached('kind', 'A situation', CAPS.externalReports);
    }
    const rule = externalReports[payload.kind];
    if (!rule.legalBases.includes(payload.legalBasis)) {
      throw AppError.validation('legalBasis', `is not a legal basis of ${payload.kind} (allowed: ${rule.legalBases.join(', ')})`);
    }
    if (Date.parse(payload.madeAt) > at.getTime()) throw AppError.validation('madeAt', 'must not be in the future');
    if (payload.madeBy === 'partner_organisation' && !payload.madeByOrganisationId) {
      throw AppError.validation('madeByOrganisationId', 'is required when the report was made by a partner organisation');
    }
    if (payload.madeByOrganisationId) {
      const known = await organisationsInTerritory(manager, [payload.madeByOrganisationId], record.territoryId);
      if (!known.size) throw AppError.validation('madeByOrganisationId', 'no such organisation in this territory');
    }
    return { type: 'RECORD_EXTERNAL_REPORT', at: at.toISOString() };
  },
  async records(payload, _event, ctx) {
    const cls = ctx.externalReports[payload.kind].class;
    const report: ExternalReport = {
      id: randomUUID(),
      kind: payload.kind,
      madeAt: new Date(payload.madeAt).toISOString(),
      madeBy: payload.madeBy,
      madeByOrganisationId: payload.madeByOrganisationId ?? null,
      legalBasis: payload.legalBasis,
      recordedAt: ctx.at.toISOString(),
      recordedByUserId: ctx.actorId,
    };
    if (payload.note)
      await ctx.texts.write(cls, [{ field: reportNoteField(report.id), label: 'note', review: `reports.${report.id}.note`, text: payload.note.trim() }]);
    await ctx.vault.sealFields(ctx.manager, { territoryId: ctx.record.territoryId, caseId: ctx.record.id }, cls, {
      [reportField(report.id)]: JSON.stringify(report),
    });
  },
});
