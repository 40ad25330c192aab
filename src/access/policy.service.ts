import { Injectable } from '@nestjs/common';
import { decideRelease, mayActAs, relationsOf, type CaseFacts, type Decision, type Viewer } from './access.js';
import type { Actor, Policy, Relation } from './policy.types.js';

/**
 * The one place that decides who sees what and who may do what on a case, from the documents of
 * policies/. Controllers and services ask; they never decide on their own.
 */
@Injectable()
export class PolicyService {
  constructor(readonly policy: Policy) {}

  relations(viewer: Viewer, facts: CaseFacts): Relation[] {
    return relationsOf(viewer, facts);
  }

  release(viewer: Viewer, facts: CaseFacts, at = new Date()): Decision {
    return decideRelease(this.policy, viewer, facts, at);
  }

  mayDoEvent(relations: readonly Actor[], eventType: string): boolean {
    return mayActAs(this.policy, relations, eventType);
  }

  /** Event types these relations may send, whatever the state (the machine decides the state part). */
  eventsFor(relations: readonly Actor[]): string[] {
    return Object.keys(this.policy.events).filter((e) => mayActAs(this.policy, relations, e));
  }

  mayUpdateAction(relations: readonly Relation[]): boolean {
    return relations.some((r) => this.policy.actionStatus.includes(r));
  }

  get reopenWindowDays(): number {
    return this.policy.reopen.windowDays;
  }

  get consentValidityMonths(): number {
    return this.policy.consent.defaultValidityMonths;
  }

  get followUpMonths(): number {
    return this.policy.followUp.defaultMonths;
  }
}
