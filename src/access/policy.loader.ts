import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { CASE_EVENT_TYPES } from '../cases/events/registry.js';
import { CASE_STATES } from '../cases/machine/context.js';
import { CLASSES, IDENTITY_FIELDS, PROFESSIONS, PROTECTED_CLASSES, RELATIONS, SECTORS, type Policy } from './policy.types.js';

export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly reason: string,
  ) {
    super(`Invalid policy ${file} at ${pointer || '/'}: ${reason}`);
    this.name = 'PolicyError';
  }
}

const STATES: readonly string[] = CASE_STATES;

const classList = { type: 'array', items: { enum: [...CLASSES] }, uniqueItems: true };
const fieldsSpec = { oneOf: [{ const: 'all' }, { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 }] };

/** One JSON Schema per document; each document owns its top-level keys. */
const SCHEMAS: Record<string, object> = {
  'sectors.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['sectors', 'healthProfessions', 'socialProfessions'],
    properties: {
      sectors: {
        type: 'object',
        additionalProperties: false,
        required: [...SECTORS],
        properties: Object.fromEntries(
          SECTORS.map((s) => [
            s,
            {
              type: 'object',
              additionalProperties: false,
              required: ['regime', 'basis'],
              properties: { regime: { type: 'string', minLength: 1 }, basis: { type: 'string', minLength: 1 } },
            },
          ]),
        ),
      },
      healthProfessions: { type: 'array', items: { enum: PROFESSIONS.filter((p) => p !== 'none') }, uniqueItems: true },
      socialProfessions: { type: 'array', items: { enum: PROFESSIONS.filter((p) => p !== 'none') }, uniqueItems: true },
    },
  },
  'visibility.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['relations'],
    properties: {
      relations: {
        type: 'object',
        additionalProperties: false,
        required: [...RELATIONS],
        properties: Object.fromEntries(
          RELATIONS.map((r) => [
            r,
            {
              type: 'object',
              additionalProperties: false,
              required: ['states', 'always'],
              properties: {
                states: { oneOf: [{ const: 'all' }, { type: 'array', items: { enum: STATES }, uniqueItems: true }] },
                always: classList,
                consented: {
                  type: 'object',
                  additionalProperties: false,
                  properties: Object.fromEntries(
                    PROTECTED_CLASSES.map((c) => [
                      c,
                      { type: 'object', additionalProperties: false, required: ['fields'], properties: { fields: fieldsSpec } },
                    ]),
                  ),
                },
              },
            },
          ]),
        ),
      },
      never: { type: 'object', additionalProperties: false, properties: Object.fromEntries(RELATIONS.map((r) => [r, classList])) },
    },
  },
  'events.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['events', 'actionStatus'],
    properties: {
      events: {
        type: 'object',
        additionalProperties: false,
        required: [...CASE_EVENT_TYPES],
        properties: Object.fromEntries(CASE_EVENT_TYPES.map((e) => [e, { type: 'array', items: { enum: [...RELATIONS, 'system'] }, uniqueItems: true }])),
      },
      actionStatus: { type: 'array', items: { enum: [...RELATIONS] }, uniqueItems: true },
    },
  },
  'lifecycle.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['consent', 'reopen', 'followUp'],
    properties: {
      consent: {
        type: 'object',
        additionalProperties: false,
        required: ['defaultValidityMonths'],
        properties: { defaultValidityMonths: { type: 'integer', minimum: 1, maximum: 60 } },
      },
      reopen: {
        type: 'object',
        additionalProperties: false,
        required: ['windowDays'],
        properties: { windowDays: { type: 'integer', minimum: 0, maximum: 3650 } },
      },
      followUp: {
        type: 'object',
        additionalProperties: false,
        required: ['defaultMonths'],
        properties: { defaultMonths: { type: 'integer', minimum: 1, maximum: 24 } },
      },
    },
  },
  'retention.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['retention'],
    properties: {
      retention: {
        type: 'object',
        additionalProperties: false,
        required: ['protectedClassesAfterClosureDays', 'auditLogDays'],
        properties: {
          protectedClassesAfterClosureDays: { type: 'integer', minimum: 30, maximum: 3650 },
          auditLogDays: { type: 'integer', minimum: 183, maximum: 1095 },
        },
      },
    },
  },
};

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return `unknown key "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'required') return `missing key "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'enum') return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return error.message ?? error.keyword;
}

/**
 * Loads every document of policies/, validates each against its schema, checks the rules that
 * span documents, and returns the merged policy. The first problem stops the start with the
 * file, the JSON pointer inside it and the reason.
 */
export function loadPolicy(dir: string): Policy {
  const ajv = new Ajv({ allErrors: false, strict: true });
  const present = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  for (const file of present) {
    if (!SCHEMAS[file]) throw new PolicyError(file, '', `unknown policy document (expected ${Object.keys(SCHEMAS).join(', ')})`);
  }
  const merged: Record<string, unknown> = {};
  for (const [file, schema] of Object.entries(SCHEMAS)) {
    const full = path.join(dir, file);
    let doc: unknown;
    try {
      doc = parse(readFileSync(full, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new PolicyError(file, '', code === 'ENOENT' ? 'file is missing' : `not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
    const validate = ajv.compile(schema);
    if (!validate(doc)) {
      const first = validate.errors![0];
      throw new PolicyError(file, first.instancePath, describe(first));
    }
    Object.assign(merged, doc);
  }
  const policy = merged as unknown as Policy;
  policy.never ??= {};
  for (const relation of RELATIONS) {
    const rule = policy.relations[relation];
    rule.consented ??= {};
    for (const [cls, spec] of Object.entries(rule.consented)) {
      if (rule.always.includes(cls as never)) {
        throw new PolicyError('visibility.yaml', `/relations/${relation}/consented/${cls}`, `class "${cls}" is already released without consent in "always"`);
      }
      if (cls === 'identity' && spec.fields !== 'all') {
        const unknown = spec.fields.find((f) => !(IDENTITY_FIELDS as readonly string[]).includes(f));
        if (unknown) throw new PolicyError('visibility.yaml', `/relations/${relation}/consented/identity/fields`, `unknown identity field "${unknown}"`);
      }
    }
  }
  if (policy.relations.coordinator.always.some((c) => (PROTECTED_CLASSES as readonly string[]).includes(c))) {
    throw new PolicyError('visibility.yaml', '/relations/coordinator/always', 'coordination never receives identity, health or social content');
  }
  return Object.freeze(policy);
}
