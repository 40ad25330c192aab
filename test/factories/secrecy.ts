import type { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import type { DataClass, Policy, Profession, Relation, Role, Sector } from '../../src/access/policy.types.js';
import type { TestApp } from '../support/app.js';
import { call, login, PASSWORD, type Account, type World } from './world.js';

/** Every class a case view may carry, in a fixed order. */
export const VIEW_CLASSES: DataClass[] = ['meta', 'summary', 'plan', 'consent', 'identity', 'health', 'social'];
export const ALL_IDENTITY_FIELDS = ['address', 'birthDate', 'email', 'firstName', 'lastName', 'phone'];

export type ScopeEntry = { sector: Sector; classes: ('identity' | 'health' | 'social')[] };

// ---------------------------------------------------------------------------------------------
// The expected release, read from the policy documents by the tests themselves
// ---------------------------------------------------------------------------------------------

export interface Situation {
  state: string;
  /** The viewer's ties to the case, as the test built them (not as the server computes them). */
  relations: Relation[];
  /** null: no consent recorded (or a refusal); `valid` false: withdrawn or expired. */
  consent: { valid: boolean; scope: ScopeEntry[] } | null;
  viewer: { sector: Sector | null; profession: Profession; roles?: Role[] };
}

export type Expectation = Partial<Record<DataClass, 'all' | string[]>>;

/**
 * A second, deliberately plain reading of policies/ (never the server's decideRelease): for each
 * class, ask every relation that holds in this state whether it grants the class, always or under
 * consent; then strike what `never` forbids (except on the referrer's own record).
 */
export function expectedRelease(policy: Policy, s: Situation): Expectation {
  const out: Expectation = {};
  const live = s.relations.filter((r) => policy.relations[r].states === 'all' || (policy.relations[r].states as string[]).includes(s.state));
  for (const cls of VIEW_CLASSES) {
    const grants: ('all' | string[])[] = [];
    for (const r of live) {
      const rule = policy.relations[r];
      if (rule.always.includes(cls)) {
        grants.push('all');
        continue;
      }
      const spec = (rule.consented ?? {})[cls as 'identity' | 'health' | 'social'];
      if (!spec || !s.consent?.valid) continue;
      const named = s.consent.scope.some((e) => e.sector === s.viewer.sector && e.classes.includes(cls as never));
      if (!named) continue;
      if (cls === 'health' && !policy.healthProfessions.includes(s.viewer.profession)) continue;
      if (cls === 'social' && !policy.socialProfessions.includes(s.viewer.profession)) continue;
      grants.push(spec.fields);
    }
    if (!grants.length) continue;
    out[cls] = grants.includes('all') ? 'all' : [...new Set(grants.flat() as string[])].sort();
  }
  if (!s.relations.includes('referrer')) {
    for (const r of s.relations) for (const cls of policy.never[r] ?? []) delete out[cls];
  }
  return out;
}

/**
 * The reason the view gives for each class it leaves out (`withheld`), read plainly from the
 * policy, in the documented order: struck by a `never` of a relation held; a live relation's
 * consent check (none recorded, not valid, sector not named, profession); a held relation that
 * releases it in other states; an action the viewer's organisation does not own; otherwise no
 * relation of the viewer's releases it.
 */
export function expectedWithheld(policy: Policy, s: Situation): Partial<Record<DataClass, string>> {
  const released = expectedRelease(policy, s);
  const live = liveRelations(policy, s.state, s.relations);
  const receives = (r: Relation, cls: DataClass) =>
    policy.relations[r].always.includes(cls) || (policy.relations[r].consented ?? {})[cls as 'identity' | 'health' | 'social'] !== undefined;
  const out: Partial<Record<DataClass, string>> = {};
  for (const cls of VIEW_CLASSES) {
    if (released[cls]) continue;
    if (!s.relations.includes('referrer') && s.relations.some((r) => (policy.never[r] ?? []).includes(cls))) {
      out[cls] = 'never_for_relation';
      continue;
    }
    if (live.some((r) => (policy.relations[r].consented ?? {})[cls as 'identity' | 'health' | 'social'])) {
      if (!s.consent) out[cls] = 'no_consent';
      else if (!s.consent.valid) out[cls] = 'consent_not_valid';
      else if (!s.consent.scope.some((e) => e.sector === s.viewer.sector && e.classes.includes(cls as never))) out[cls] = 'sector_not_in_consent_scope';
      else out[cls] = 'profession_not_qualified';
      continue;
    }
    if (s.relations.some((r) => !live.includes(r) && receives(r, cls))) {
      out[cls] = 'not_in_state';
      continue;
    }
    const couldOwn = policy.holders.action_owner.roles.some((role) => (s.viewer.roles ?? []).includes(role));
    out[cls] = couldOwn && !s.relations.includes('action_owner') && receives('action_owner', cls) ? 'not_action_owner' : 'not_released_to_relation';
  }
  return out;
}

/**
 * Whether the viewer learns that an organisation (or, for a partner sector of the summary, a
 * sector) works with the person, read plainly from policies/: any relation that counts in this
 * state whose `involvement` is `all`; else their own organisation (or sector, for a partner
 * sector), a sector whose involvement reveals nothing, or one whose involvement reveals a class
 * the valid consent names for the viewer's sector.
 */
export function expectedInvolvement(
  policy: Policy,
  s: Situation & { viewerOrganisationId: string | null },
  party: { organisationId: string | null; sector: Sector },
): boolean {
  const live = liveRelations(policy, s.state, s.relations);
  if (live.some((r) => policy.relations[r].involvement === 'all')) return true;
  if (party.organisationId !== null ? party.organisationId === s.viewerOrganisationId : party.sector === s.viewer.sector) return true;
  const reveals = policy.sectors[party.sector].involvement;
  if (reveals === 'nothing') return true;
  return Boolean(s.consent?.valid && s.consent.scope.some((e) => e.sector === s.viewer.sector && e.classes.includes(reveals)));
}

/** The relations that count in this state (the view's `relations`). */
export function liveRelations(policy: Policy, state: string, relations: Relation[]): Relation[] {
  return relations.filter((r) => policy.relations[r].states === 'all' || (policy.relations[r].states as string[]).includes(state));
}

/** Differences between a case view and the expectation, naming classes and fields only. */
export function compareView(body: Record<string, unknown>, expected: Expectation, providedIdentity: string[] = ALL_IDENTITY_FIELDS): string[] {
  const problems: string[] = [];
  const got = VIEW_CLASSES.filter((c) => body[c] !== undefined);
  const want = VIEW_CLASSES.filter((c) => expected[c] !== undefined);
  if (got.join() !== want.join()) problems.push(`classes [${got}] instead of [${want}]`);
  const released = [...((body.released as string[]) ?? [])].sort();
  if (released.join() !== [...want].sort().join()) problems.push(`released [${released}] instead of [${[...want].sort()}]`);
  const identity = body.identity as Record<string, string> | undefined;
  if (identity && expected.identity) {
    const fields = Object.keys(identity).sort();
    const wanted = (expected.identity === 'all' ? providedIdentity : expected.identity.filter((f) => providedIdentity.includes(f))).slice().sort();
    if (fields.join() !== wanted.join()) problems.push(`identity fields [${fields}] instead of [${wanted}]`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

export interface CaseHandle {
  id: string;
  reference: string;
  version: number;
  state: string;
}

/** Every answer of the API seen through these helpers, to check afterwards that none holds a protected value. */
export const seenAnswers: { status: number; url: string; text: string }[] = [];

function remember(res: Response, url: string): Response {
  seenAnswers.push({ status: res.status, url, text: res.text ?? '' });
  return res;
}

export async function get(t: TestApp, token: string, url: string): Promise<Response> {
  return remember(await t.http().get(url).set('authorization', `Bearer ${token}`), url);
}

export async function patch(t: TestApp, token: string, url: string, body: object = {}): Promise<Response> {
  return remember(await t.http().patch(url).set('authorization', `Bearer ${token}`).send(body), url);
}

export async function post(t: TestApp, token: string, url: string, body: object = {}): Promise<Response> {
  return remember(await t.http().post(url).set('authorization', `Bearer ${token}`).send(body), url);
}

export async function createCase(t: TestApp, token: string, body: object): Promise<CaseHandle> {
  const res = await post(t, token, '/cases', body);
  if (res.status !== 201) throw new Error(`POST /cases → ${res.status}: ${res.body?.detail}`);
  return { id: res.body.id, reference: res.body.reference, version: res.body.version, state: res.body.state };
}

/** Sends one event and follows the case's version; fails loudly (without the body's values) otherwise. */
export async function step(t: TestApp, token: string, c: CaseHandle, type: string, extra: object = {}): Promise<CaseHandle> {
  const res = await post(t, token, `/cases/${c.id}/events`, { type, expectedVersion: c.version, ...extra });
  if (res.status !== 200) throw new Error(`${type} on ${c.reference} (${c.state}) → ${res.status}: ${res.body?.type} ${res.body?.detail}`);
  c.version = res.body.version;
  c.state = res.body.state;
  return c;
}

export function grantedConsent(scope: ScopeEntry[], extra: object = {}) {
  return { decision: 'granted', informedAt: new Date(Date.now() - 86_400_000).toISOString(), method: 'written', scope, ...extra };
}

export function refusedConsent() {
  return { decision: 'refused', informedAt: new Date(Date.now() - 86_400_000).toISOString(), method: 'oral' };
}

export const JUSTIFICATION = 'Personne injoignable malgré trois tentatives ; avis de pratique demandé par le référent';

/**
 * One action per owner organisation; `assignees` names, for an organisation, the professional the
 * coordinator entrusts its action to (besides the commission's members of that organisation, the
 * only one its ownership releases anything to).
 */
export function planActions(owners: string[], assignees: Record<string, string> = {}) {
  return owners.map((ownerOrganisationId, i) => ({
    title: `Action partagée numéro ${i + 1}`,
    ownerOrganisationId,
    dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ...(assignees[ownerOrganisationId] ? { assigneeUserId: assignees[ownerOrganisationId] } : {}),
  }));
}

export async function createOrganisation(t: TestApp, w: World, name: string, sector: Sector): Promise<string> {
  return (await call(t, w.admin.token, 'post', '/organisations', { name, sector, territoryId: w.territoryId })).id;
}

let userCounter = 0;

export interface Person extends Account {
  sector: Sector | null;
  profession: Profession;
}

/** An account created through the API; optionally a commission member who accepted the charter. */
export async function createPerson(
  t: TestApp,
  w: World,
  key: string,
  org: { id: string | null; sector: Sector | null },
  profession: Profession,
  options: { roles?: string[]; commissionMember?: boolean } = {},
): Promise<Person> {
  const email = `${key}.s${++userCounter}.${Date.now()}@test.local`;
  const created = await call(t, w.admin.token, 'post', '/users', {
    email,
    password: PASSWORD,
    displayName: key,
    ...(org.id ? { organisationId: org.id } : {}),
    roles: options.roles ?? ['member'],
    profession,
  });
  const person: Person = { id: created.id, email, token: await login(t, email), organisationId: org.id, sector: org.sector, profession };
  if (options.commissionMember) {
    await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/members`, { userId: person.id });
    const charter = await call(t, person.token, 'get', `/commissions/${w.commissionId}/charter`);
    await call(t, person.token, 'post', `/commissions/${w.commissionId}/charter/accept`, { version: charter.version });
  }
  return person;
}

/** A session of the world's commission; opened when asked. */
export async function createSession(t: TestApp, w: World, open: boolean): Promise<string> {
  const startsAt = new Date(Date.now() + 3_600_000);
  const session = await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, {
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString(),
  });
  if (open) await call(t, w.coordinator.token, 'post', `/sessions/${session.id}/open`, undefined, 200);
  return session.id;
}

// ---------------------------------------------------------------------------------------------
// Looking for plaintext
// ---------------------------------------------------------------------------------------------

/** Accent-folded, lower-cased, with the French ligatures spelled out. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replaceAll('œ', 'oe')
    .replaceAll('æ', 'ae');
}

/** The forms of a value to look for: as written, folded, and (for phones) digits only. */
export function needleForms(value: string): string[] {
  const forms = new Set([value, foldText(value)]);
  const digits = value.replace(/\D/g, '');
  if (digits.length >= 8 && /^[\d\s.+()-]+$/.test(value)) forms.add(digits);
  return [...forms];
}

/** Which needles (by label) occur in the text, as written or folded. */
export function findNeedles(text: string, needles: Record<string, string>): string[] {
  const folded = foldText(text);
  const compact = text.replace(/[\s.\-()+]/g, '');
  return Object.entries(needles)
    .filter(([, value]) => needleForms(value).some((form) => text.includes(form) || folded.includes(form) || (/^\d+$/.test(form) && compact.includes(form))))
    .map(([label]) => label);
}

export interface ColumnHit {
  table: string;
  column: string;
  needle: string;
}

/**
 * Reads every column of every table of the database (information_schema) and reports where a
 * needle occurs: text as cast by PostgreSQL, bytea decoded as UTF-8 and as Latin-1. Reports
 * labels only, never the values found.
 */
export async function scanDatabase(ds: DataSource, needles: Record<string, string>): Promise<{ hits: ColumnHit[]; columns: number; tables: number }> {
  const columns: { table_schema: string; table_name: string; column_name: string; data_type: string }[] = await ds.query(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
  );
  const hits: ColumnHit[] = [];
  const q = (id: string) => `"${id.replaceAll('"', '""')}"`;
  for (const col of columns) {
    const table = `${q(col.table_schema)}.${q(col.table_name)}`;
    const rows: { v: string | Buffer | null }[] =
      col.data_type === 'bytea'
        ? await ds.query(`SELECT ${q(col.column_name)} AS v FROM ${table}`)
        : await ds.query(`SELECT ${q(col.column_name)}::text AS v FROM ${table}`);
    for (const { v } of rows) {
      if (v === null) continue;
      const texts = Buffer.isBuffer(v) ? [v.toString('utf8'), v.toString('latin1')] : [v];
      for (const text of texts) {
        for (const needle of findNeedles(text, needles)) {
          if (!hits.some((h) => h.table === col.table_name && h.column === col.column_name && h.needle === needle))
            hits.push({ table: col.table_name, column: col.column_name, needle });
        }
      }
    }
  }
  return { hits, columns: columns.length, tables: new Set(columns.map((c) => `${c.table_schema}.${c.table_name}`)).size };
}
