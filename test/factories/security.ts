/**
 * What the tests of test/security/ share: a case driven through the HTTP API to a given point, as
 * the insiders of issue 10 would meet it. Everything goes through the API (the database is read
 * only to check what was stored, never to set a fact up), so that each attack runs as it would.
 */
import type { TestApp } from '../support/app.js';
import { createCase, get, grantedConsent, planActions, post, step, type CaseHandle, type ScopeEntry } from './secrecy.js';
import { call, caseBody, type World } from './world.js';

/** An open session of the world's commission, running from now for `hours`. */
export async function openSession(t: TestApp, w: World, hours = 2): Promise<{ id: string; endsAt: Date }> {
  const startsAt = new Date(Date.now() - 60_000);
  const endsAt = new Date(startsAt.getTime() + hours * 3_600_000);
  const session = await call(t, w.coordinator.token, 'post', `/commissions/${w.commissionId}/sessions`, {
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
  });
  await call(t, w.coordinator.token, 'post', `/sessions/${session.id}/open`, undefined, 200);
  return { id: session.id as string, endsAt };
}

/** Members of the commission record their attendance at the session (they accepted its charter). */
export async function attend(t: TestApp, sessionId: string, tokens: string[]): Promise<void> {
  for (const token of tokens) {
    const res = await post(t, token, `/sessions/${sessionId}/attendance`);
    if (res.status !== 201) throw new Error(`attendance → ${res.status}`);
  }
}

/** A new case, consented with `scope` (or reviewed anonymously when null), in review on the session. */
export async function caseInReview(t: TestApp, w: World, sessionId: string, scope: ScopeEntry[] | null): Promise<CaseHandle> {
  const c = await createCase(t, w.referrer.token, caseBody(w.commissionId));
  await step(t, w.referrer.token, c, 'SUBMIT');
  await step(t, w.coordinator.token, c, 'ACCEPT');
  if (scope) await step(t, w.referrer.token, c, 'RECORD_CONSENT', grantedConsent(scope));
  else await step(t, w.referrer.token, c, 'REVIEW_WITHOUT_CONSENT', { justification: 'Personne injoignable : avis de pratique' });
  await step(t, w.coordinator.token, c, 'SCHEDULE', { sessionId });
  await step(t, w.coordinator.token, c, 'START_REVIEW');
  return c;
}

/** The same, with a plan adopted whose actions the `owners` organisations own. */
export async function caseWithPlan(t: TestApp, w: World, sessionId: string, scope: ScopeEntry[] | null, owners: string[]): Promise<CaseHandle> {
  const c = await caseInReview(t, w, sessionId, scope);
  await step(t, w.coordinator.token, c, 'ADOPT_PLAN', { actions: planActions(owners) });
  return c;
}

/** The id of the action an organisation owns in the case's plan (read as the coordinator). */
export async function actionOf(t: TestApp, w: World, caseId: string, organisationId: string): Promise<string> {
  const view = await get(t, w.coordinator.token, `/cases/${caseId}`);
  const action = (view.body.plan.actions as { id: string; ownerOrganisationId: string }[]).find((a) => a.ownerOrganisationId === organisationId);
  if (!action) throw new Error('no action of that organisation');
  return action.id;
}
