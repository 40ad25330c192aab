// The registry is the only list of case events: the machine, the policy, the probes and the HTTP
// payloads each cover exactly its events (DESIGN.md "Case lifecycle"; README "Architecture").
import { getMetadataStorage } from 'class-validator';
import type { AnyStateNode } from 'xstate';
import { loadPolicy } from '../../access/policy.loader.js';
import { caseMachine } from '../machine/case.machine.js';
import { CASE_EVENTS, CASE_EVENT_TYPES, HTTP_EVENT_TYPES, probeEvents } from './registry.js';

function nodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(nodesOf)];
}

describe('the case event registry', () => {
  it('lists each event once', () => {
    expect(new Set(CASE_EVENT_TYPES).size).toBe(CASE_EVENTS.length);
  });

  it('names exactly the events the machine has transitions for', () => {
    const inMachine = new Set(nodesOf(caseMachine.root).flatMap((node) => [...node.transitions.keys()]));
    expect([...inMachine].sort()).toEqual([...CASE_EVENT_TYPES].sort());
  });

  it('names exactly the events of policies/events.yaml', () => {
    expect(Object.keys(loadPolicy('policies').events).sort()).toEqual([...CASE_EVENT_TYPES].sort());
  });

  it('gives one probe per event, of its own type, in registry order', () => {
    const probes = probeEvents({ at: '2026-01-05T09:00:00.000Z', sessionOpen: true, sessionStatus: null, reopenWindowDays: 90 });
    expect(probes.map((p) => p.type)).toEqual([...CASE_EVENT_TYPES]);
  });

  it('gives every HTTP event a payload class whose type member accepts that event only', () => {
    const storage = getMetadataStorage();
    for (const module of CASE_EVENTS) {
      if (module.payload === null) continue;
      const typeRules = storage.getTargetValidationMetadatas(module.payload, '', true, false).filter((m) => m.propertyName === 'type');
      expect({ event: module.type, allowed: typeRules.flatMap((m) => m.constraints as unknown[]) }).toEqual({ event: module.type, allowed: [[module.type]] });
    }
    // Only the scheduler's own event has no payload.
    expect(CASE_EVENT_TYPES.filter((t) => !(HTTP_EVENT_TYPES as readonly string[]).includes(t))).toEqual(['PURGE']);
  });
});
