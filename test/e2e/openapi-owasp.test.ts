/**
 * Issue 14, item 6: the document the server serves (/docs-json) linted with the OWASP API
 * security rule set (@stoplight/spectral-owasp-ruleset, every rule). No error, but for the
 * answers the server does not bound yet (UNBOUNDED_LISTS, UNBOUNDED_TEXTS): declaring a maxItems
 * or maxLength there would be a promise the server does not keep. Those lists may only shrink — an
 * entry the linter no longer reports fails the test too. Warnings are not checked.
 */
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import owaspRuleset from '@stoplight/spectral-owasp-ruleset';
import { createTestApp, type TestApp } from '../support/app.js';

const ARRAY_LIMIT = 'owasp:api4:2023-array-limit';
const STRING_LIMIT = 'owasp:api4:2023-string-limit';

/**
 * Answers that list every row of a kind in the caller's scope, without pagination or a cap the
 * server enforces (the path of the array's schema, and what grows it).
 */
const UNBOUNDED_LISTS: Record<string, string> = {
  'paths./territories.get.responses.200.content.application/json.schema': 'every territory',
  'paths./organisations.get.responses.200.content.application/json.schema': 'every organisation of the scope',
  'paths./users.get.responses.200.content.application/json.schema': 'every account of the scope',
  'paths./commissions.get.responses.200.content.application/json.schema': 'every commission of the territory',
  'paths./commissions/{id}/members.get.responses.200.content.application/json.schema': 'every member of a commission',
  'paths./commissions/{id}/sessions.get.responses.200.content.application/json.schema': 'every session of a commission',
  'paths./cases/{id}/history.get.responses.200.content.application/json.schema': 'every transition of a situation',
  'paths./cases/{id}/handover-candidates.get.responses.200.content.application/json.schema': 'every referrer of an organisation',
  'paths./audit/events/export.get.responses.200.content.application/json.schema': 'every entry matching the filters (streamed)',
  'components.schemas.AgendaDto.properties.items': 'every situation scheduled in a session',
  'components.schemas.DossierDto.properties.items': 'every situation scheduled in a session',
  'components.schemas.InvitationsDto.properties.items': 'every invitation of a session',
  'components.schemas.InvitationsDto.properties.candidates': 'every account of the territory that may be invited',
  'components.schemas.DuplicatesDto.properties.duplicates': 'every confirmed duplicate of a situation',
  'components.schemas.CasePlanDto.properties.actions': 'every action of every plan version (a revision adds up to 50)',
  'components.schemas.PlanActionDto.properties.notes': "every note of an action's append-only thread",
  'components.schemas.CaseViewDto.properties.externalReports': 'every report made elsewhere',
  'components.schemas.CaseViewDto.properties.textReviews': 'every text held for rewriting',
  'components.schemas.CaseViewDto.properties.rectifications': 'every rectification of the referral',
  'components.schemas.AccessReportDto.properties.organisations': 'every organisation that read the situation',
  'components.schemas.AccessReportClassDto.properties.actions': 'every kind of access recorded',
  'components.schemas.AuditSituationsDto.properties.items': 'a reference is numbered per territory: one situation per territory',
  'components.schemas.VerifyReportDto.properties.keyIds': 'every audit signing key ever trusted',
  'components.schemas.DocumentListDto.properties.items': 'every document of a situation the caller may see',
  'components.schemas.AttendanceSheetDto.properties.people': 'every member, deputy and invitee of a session',
  'components.schemas.AttendanceSheetDto.properties.guests': 'every partner present without an account',
  'components.schemas.DossierDto.properties.contributions': 'every written contribution on the agenda',
  'components.schemas.RecordItemDto.properties.contributions': 'every written contribution on one situation',
  'components.schemas.SessionRecordDto.properties.attendees': 'every attendee of a session',
  'components.schemas.SessionRecordDto.properties.guests': 'every partner present without an account',
  'components.schemas.SessionRecordDto.properties.items': 'every situation examined in a session',
};

/** Whole documents answered as text, which no string length bounds (the path of the content, and what it is). */
const UNBOUNDED_TEXTS: Record<string, string> = {
  'paths./audit/events/export.get.responses.200.content.text/csv.schema': 'the CSV export: every entry matching the filters (streamed)',
  'paths./register.get.responses.200.content.text/markdown.schema': 'the register of processing as a Markdown document',
  'paths./sessions/{id}/record.get.responses.200.content.application/pdf.schema': 'the closed session record as a PDF',
};

interface Finding {
  code: string | number;
  message: string;
  path: (string | number)[];
  severity: number;
}

async function lint(document: unknown): Promise<Finding[]> {
  const { Spectral, Document } = spectralCore;
  const spectral = new Spectral();
  const ruleset = (owaspRuleset as unknown as { default?: unknown }).default ?? owaspRuleset;
  spectral.setRuleset({ extends: [[ruleset as never, 'all']] });
  // A source name: findings inside a $ref'd schema are then reported once, at the schema.
  return (await spectral.run(new Document(JSON.stringify(document, null, 2), spectralParsers.Json, 'openapi.json'))) as Finding[];
}

describe('the served OpenAPI document under the OWASP API rule set', () => {
  let t: TestApp;
  let findings: Finding[];
  beforeAll(async () => {
    t = await createTestApp();
    const served = await t.http().get('/docs-json');
    expect(served.status).toBe(200);
    findings = await lint(served.body);
  });
  afterAll(async () => {
    await t?.close();
  });

  const where = (f: Finding) => f.path.join('.');
  const errors = () => findings.filter((f) => f.severity === 0);

  it('has no error', () => {
    const unexpected = errors()
      .filter((f) => !(f.code === ARRAY_LIMIT && UNBOUNDED_LISTS[where(f)]) && !(f.code === STRING_LIMIT && UNBOUNDED_TEXTS[where(f)]))
      .map((f) => `${f.code} at ${where(f)}: ${f.message}`);
    expect(unexpected).toEqual([]);
  });

  it('still reports every unbounded list and text listed (the lists only shrink)', () => {
    const reported = (code: string) =>
      new Set(
        errors()
          .filter((f) => f.code === code)
          .map(where),
      );
    const lists = reported(ARRAY_LIMIT);
    const texts = reported(STRING_LIMIT);
    expect(Object.keys(UNBOUNDED_LISTS).filter((path) => !lists.has(path))).toEqual([]);
    expect(Object.keys(UNBOUNDED_TEXTS).filter((path) => !texts.has(path))).toEqual([]);
  });

  it('declares the rate-limit headers on every answer but errors of the server', async () => {
    const document = (await t.http().get('/docs-json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    };
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (/^[24]/.test(status) && !(response.headers?.['RateLimit-Limit'] && response.headers['RateLimit-Reset']))
            missing.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
