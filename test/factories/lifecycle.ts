import type { Response } from 'supertest';
import type { TestApp } from '../support/app.js';
import { call, caseBody, IDENTITY, type World } from './world.js';

/** A case as a client tracks it: its id and the version/state of the last answer. */
export interface CaseRef {
  id: string;
  reference: string;
  state: string;
  version: number;
}

export type EventBody = Record<string, unknown>;

/** POST /cases/:id/events, whatever the answer. */
export function postEvent(t: TestApp, token: string, caseId: string, body: EventBody): Promise<Response> {
  return t.http().post(`/cases/${caseId}/events`).set('authorization', `Bearer ${token}`).send(body);
}

/** GET with a token, whatever the answer. */
export function get(t: TestApp, token: string, url: string): Promise<Response> {
  return t.http().get(url).set('authorization', `Bearer ${token}`);
}

/**
 * Sends `type` at the case's current version and updates `c` from the 200 answer; anything else
 * throws with the problem detail, so a broken step names itself.
 */
export async function step(
  t: TestApp,
  token: string,
  c: CaseRef,
  type: string,
  payload: EventBody = {},
): Promise<{ state: string; version: number; allowedEvents: string[] }> {
  const res = await postEvent(t, token, c.id, { type, expectedVersion: c.version, ...payload });
  if (res.status !== 200) throw new Error(`${type} on ${c.state} → ${res.status}: ${JSON.stringify(res.body)}`);
  c.state = res.body.state;
  c.version = res.body.version;
  return res.body;
}

export function inDays(days: number, from = new Date()): string {
  return new Date(from.getTime() + days * 24 * 60 * 60 * 1000).toISOString();
}

/** A granted consent: the person agrees that the CMP receives identity and health data. */
export function grantedConsent(scope: { sector: string; classes: string[] }[] = [{ sector: 'health', classes: ['identity', 'health'] }]): EventBody {
  return { decision: 'granted', informedAt: inDays(-1), method: 'written', scope };
}

export function refusedConsent(): EventBody {
  return { decision: 'refused', informedAt: inDays(-1), method: 'oral' };
}

export const JUSTIFICATION = 'La personne ne peut être jointe ; avis de pratique demandé par le référent';

export function plan(w: World, overrides: Partial<{ followUpAt: string }> = {}): EventBody {
  return {
    actions: [
      { title: 'Reprendre contact avec le CMP pour un rendez-vous', ownerOrganisationId: w.orgs.health, dueAt: inDays(30) },
      { title: "Proposer un plan d'apurement de la dette locative", ownerOrganisationId: w.orgs.housing, dueAt: inDays(45) },
    ],
    ...overrides,
  };
}

export async function newCase(t: TestApp, w: World, overrides: Record<string, unknown> = {}): Promise<CaseRef> {
  const created = await call(t, w.referrer.token, 'post', '/cases', caseBody(w.commissionId, overrides));
  return { id: created.id, reference: created.reference, state: created.state, version: created.version };
}

/** A session of the world's commission, starting in `startInDays` days; opened if asked. */
export async function newSession(t: TestApp, w: World, { open = false, startInDays = 7 } = {}): Promise<string> {
  const session = await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, {
    startsAt: inDays(startInDays),
    endsAt: inDays(startInDays + 0.1),
  });
  if (open) await call(t, w.coordinator.token, 'post', `/sessions/${session.id}/open`, undefined, 200);
  return session.id;
}

/** The open states in lifecycle order, with the way into each from the previous one. */
export const ROUTE = ['draft', 'submitted', 'awaiting_consent', 'ready_for_review', 'scheduled', 'in_review', 'plan_active', 'follow_up'] as const;

/**
 * A new case driven along the main path to `target` (consent_refused: refused at the consent
 * step). `sessionId` must be an open session for in_review and later.
 */
export async function caseIn(t: TestApp, w: World, target: string, sessionId?: string): Promise<CaseRef> {
  const c = await newCase(t, w);
  const ref = w.referrer.token;
  const coord = w.coordinator.token;
  const steps: [string, string, string, EventBody?][] = [
    ['submitted', ref, 'SUBMIT'],
    ['awaiting_consent', coord, 'ACCEPT'],
    ['ready_for_review', ref, 'RECORD_CONSENT', grantedConsent()],
    ['scheduled', coord, 'SCHEDULE', { sessionId }],
    ['in_review', coord, 'START_REVIEW'],
    ['plan_active', coord, 'ADOPT_PLAN', plan(w)],
    ['follow_up', coord, 'FOLLOW_UP_DUE'],
  ];
  if (target === 'consent_refused') {
    await step(t, ref, c, 'SUBMIT');
    await step(t, coord, c, 'ACCEPT');
    await step(t, ref, c, 'RECORD_CONSENT', refusedConsent());
    return c;
  }
  for (const [state, token, type, payload] of steps) {
    if (c.state === target) break;
    await step(t, token, c, type, payload);
    if (c.state !== state) throw new Error(`expected ${state}, got ${c.state}`);
  }
  if (c.state !== target) throw new Error(`cannot drive a case to ${target}`);
  return c;
}

/** Every identifying value of the test person, as they could leak into a history or error. */
export const IDENTITY_VALUES = [
  IDENTITY.lastName,
  IDENTITY.firstName,
  IDENTITY.birthDate,
  IDENTITY.address,
  IDENTITY.phone,
  IDENTITY.email,
  'Zéphyrin',
  'Quatremare',
  '0612345678',
];

export function mentionsIdentity(value: unknown): string[] {
  const text = JSON.stringify(value).toLowerCase();
  return IDENTITY_VALUES.filter((v) => text.includes(v.toLowerCase()));
}
