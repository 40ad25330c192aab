/**
 * Validates the body of `POST /cases/:id/events` against the payload class of its `type` (the
 * discriminator), with the same rules and problem details as every other body: each event takes
 * its own members, and a member of another event is refused naming it.
 */
import { Injectable, type PipeTransform } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { AppError } from '../../common/errors.js';
import { createValidationPipe } from '../../common/validation.js';
import type { EventPayload } from './event-module.js';
import { HTTP_EVENT_TYPES, HTTP_EVENTS, type CaseEventPayload } from './registry.js';

function membersOf(payload: new () => EventPayload): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(payload, '', true, false);
  return new Set(metadata.map((m) => m.propertyName));
}

const PAYLOADS = new Map(HTTP_EVENTS.map((m) => [m.type as string, { payload: m.payload, members: membersOf(m.payload) }]));

@Injectable()
export class CaseEventPipe implements PipeTransform<unknown, Promise<CaseEventPayload>> {
  private readonly validation = createValidationPipe({ stopAtFirstError: true });

  async transform(body: unknown): Promise<CaseEventPayload> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw AppError.validation('body', 'must be a JSON object');
    const type = (body as { type?: unknown }).type;
    const entry = typeof type === 'string' ? PAYLOADS.get(type) : undefined;
    if (!entry) throw AppError.validation('type', `must be one of ${HTTP_EVENT_TYPES.join(', ')}`);
    const foreign = Object.keys(body).find((key) => !entry.members.has(key));
    if (foreign) throw AppError.validation(foreign, `is not a member of ${type as string}`);
    return (await this.validation.transform(body, { type: 'body', metatype: entry.payload })) as CaseEventPayload;
  }
}
