/**
 * The pure entry points the workflow needs around the machine: restore a persisted snapshot,
 * apply one event (`decide`), list the events it would accept now (`allowedEventTypes`).
 */
import { getNextTransitions, initialTransition, transition } from 'xstate';
import type { CaseEvent, CaseEventType } from '../events/registry.js';
import { caseMachine, type CaseSnapshot } from './case.machine.js';
import { CASE_STATES, INITIAL_CONTEXT, type CaseContext, type CaseState, type PersistedCase } from './context.js';
import { GUARD_CHECKS, instant, isGuardName } from './guards.js';

/**
 * A snapshot already restored for this machine, handed from `decide()` to `allowedEventTypes()` so
 * that the transition path lists the next events without restoring the new snapshot a second
 * time. Opaque: its snapshot is private (and so also invisible to deep equality in tests).
 */
export class RestoredCase {
  readonly #snapshot: CaseSnapshot;
  constructor(snapshot: CaseSnapshot) {
    this.#snapshot = snapshot;
  }
  static snapshotOf(restored: RestoredCase): CaseSnapshot {
    return restored.#snapshot;
  }
}

export type CaseDecision =
  | { ok: true; state: CaseState; snapshot: PersistedCase; context: CaseContext; restored: RestoredCase }
  | { ok: false; reason: 'not_allowed' }
  | { ok: false; reason: 'guard'; guard: string; message: string; field?: string };

const KNOWN_STATES: ReadonlySet<string> = new Set(CASE_STATES);

/** The leaf of a (possibly nested) state value: `{ open: { taken_up: 'scheduled' } }` → `scheduled`. */
function leafOf(value: unknown): unknown {
  let node = value;
  while (node !== null && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length !== 1) return undefined;
    node = (node as Record<string, unknown>)[keys[0]];
  }
  return node;
}

/** The state of a persisted snapshot (its leaf state); throws on a snapshot this machine never produced. */
export function stateOf(snapshot: PersistedCase): CaseState {
  const leaf = leafOf(snapshot?.value);
  if (typeof leaf !== 'string' || !KNOWN_STATES.has(leaf)) throw new Error('Corrupt case snapshot: unknown state');
  return leaf as CaseState;
}

export function contextOf(snapshot: PersistedCase): CaseContext {
  return snapshot.context;
}

// The JSON round trip makes the value returned identical to what jsonb will give back later.
function persist(snapshot: CaseSnapshot): PersistedCase {
  return JSON.parse(JSON.stringify(caseMachine.getPersistedSnapshot(snapshot))) as PersistedCase;
}

/** A copy of a context that shares no object with it (a context is plain JSON, context.ts). */
function copyContext(context: CaseContext): CaseContext {
  return JSON.parse(JSON.stringify(context)) as CaseContext;
}

/**
 * The machine's resolution of each persisted state value (its active state nodes, its value, its
 * status), computed once per distinct value: resolveState() walks the nested states and costs more
 * than everything else restore() does. Bounded (the machine has a handful of states; a corrupt
 * value is refused by stateOf() before it gets here). The entries are never handed out: restore()
 * builds each snapshot with its own copy of the context, and of everything mutable besides.
 */
const RESOLVED_LIMIT = 64;
const resolved = new Map<string, CaseSnapshot>();

function restore(snapshot: PersistedCase): CaseSnapshot {
  stateOf(snapshot);
  const key = JSON.stringify(snapshot.value);
  let template = resolved.get(key);
  if (template === undefined) {
    // resolveState() reads the value without keeping it; only the context ends up in the snapshot.
    template = caseMachine.resolveState({ value: snapshot.value as never, context: INITIAL_CONTEXT });
    if (resolved.size >= RESOLVED_LIMIT) resolved.clear();
    resolved.set(key, template);
  }
  // Copy so that nothing the machine builds shares objects with the caller's snapshot.
  return {
    ...template,
    context: copyContext(snapshot.context),
    value: JSON.parse(JSON.stringify(template.value)) as CaseSnapshot['value'],
    _nodes: [...template._nodes],
    tags: new Set(template.tags),
    children: {},
    historyValue: {},
  };
}

export function initialCase(): { state: CaseState; snapshot: PersistedCase } {
  const [snapshot] = initialTransition(caseMachine);
  const persisted = persist(snapshot);
  return { state: stateOf(persisted), snapshot: persisted };
}

/**
 * Applies `event` to `snapshot` with xstate's pure `transition()`: no actor, no side effect.
 * Refusals: `not_allowed` when the state (or a parent) has no transition for this event type at
 * all, `guard` when it has some but every candidate's guard refused (the first one's reason).
 */
export function decide(snapshot: PersistedCase, event: CaseEvent): CaseDecision {
  const current = restore(snapshot);
  const candidates = getNextTransitions(current).filter((t) => t.eventType === event?.type);
  if (candidates.length === 0) return { ok: false, reason: 'not_allowed' };

  // Every closure, expiry and window is computed from `at`; an unreadable one would poison them.
  if (instant(event.at) === null) {
    return { ok: false, reason: 'guard', guard: 'validInstant', message: 'at must be an ISO-8601 date-time with an offset', field: 'at' };
  }

  const [next] = transition(caseMachine, current, event);
  // No transition taken: xstate hands back the very same snapshot object.
  if (next !== current) {
    const persisted = persist(next);
    // What `restore(persisted)` would give, without resolving the state again: the same active
    // state nodes, with the context exactly as persisted (JSON) and shared with nobody.
    const restored = new RestoredCase({ ...next, context: copyContext(persisted.context) });
    return { ok: true, state: stateOf(persisted), snapshot: persisted, context: persisted.context, restored };
  }
  for (const candidate of candidates) {
    if (isGuardName(candidate.guard)) {
      const failure = GUARD_CHECKS[candidate.guard](current.context, event);
      if (failure) return { ok: false, reason: 'guard', guard: candidate.guard, ...failure };
    }
  }
  // Unreachable with this machine's definition (every guard is a named check).
  return { ok: false, reason: 'guard', guard: 'unknown', message: 'the transition was refused' };
}

/**
 * Event types the machine would accept now, among `probes` (one well-formed representative event
 * per type, built by the event registry from what the service knows), in the probes' order.
 * The same answer as `decide(snapshot, probe).ok` for each probe, at a fraction of the cost (this
 * runs on every read and every transition; `npm run bench`): the snapshot is restored and its
 * transitions listed once, and a probe is allowed when one of its candidates is enabled — no
 * guard, or its named guard passes, which is exactly when xstate takes it. After a transition,
 * pass `decision.restored` instead of `decision.snapshot`: the same answer, one restore fewer.
 */
export function allowedEventTypes(snapshot: PersistedCase | RestoredCase, probes: readonly CaseEvent[]): CaseEventType[] {
  if (probes.length && instant(probes[0].at) === null) return [];
  const current = snapshot instanceof RestoredCase ? RestoredCase.snapshotOf(snapshot) : restore(snapshot);
  const candidates = getNextTransitions(current);
  const enabled = (event: CaseEvent) =>
    candidates.some((t) => {
      if (t.eventType !== event.type) return false;
      if (t.guard === undefined) return true;
      if (isGuardName(t.guard)) return GUARD_CHECKS[t.guard](current.context, event) === null;
      return transition(caseMachine, current, event)[0] !== current;
    });
  return probes.filter(enabled).map((event) => event.type);
}
