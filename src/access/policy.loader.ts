import { MAX_REGISTER_CHARS } from '../common/limits.js';
import { buildRegister, registerMarkdown } from './register.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { CASE_EVENT_TYPES } from '../cases/events/registry.js';
import { CASE_STATES } from '../cases/machine/context.js';
import {
  ACTIONS,
  REGISTER_TEXT_MAX,
  CLASSES,
  CONDITION_KINDS,
  CONDITIONS,
  EXTERNAL_REPORT_KINDS,
  FACT_KINDS,
  FACTS,
  FLOWS,
  IDENTITY_FIELDS,
  PUBLIC_ACTIONS,
  PUBLIC_FACTS,
  LEGAL_BASES,
  PROFESSIONS,
  PROTECTED_CLASSES,
  RELATIONS,
  ROLES,
  SECTORS,
  type Action,
  type Policy,
  type ResourceKind,
} from './policy.types.js';

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

const ACTION_NAMES = Object.keys(ACTIONS) as Action[];
/** A text of controller.yaml: present, not blank, at most what the register publishes. */
const text = { type: 'string', minLength: 1, maxLength: REGISTER_TEXT_MAX, pattern: '\\S' };
const textsOf = (...keys: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: keys,
  properties: Object.fromEntries(keys.map((k) => [k, text])),
});
const roleList = { type: 'array', items: { enum: [...ROLES] }, uniqueItems: true, minItems: 1 };
const relationList = { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z_]*$' }, uniqueItems: true, minItems: 1 };
const holderSpec = {
  type: 'object',
  additionalProperties: false,
  required: ['fact', 'roles'],
  properties: { fact: { enum: FACTS }, roles: roleList },
};
const permissionSpec = {
  oneOf: [
    relationList,
    {
      type: 'object',
      additionalProperties: false,
      required: ['relations', 'when'],
      properties: { relations: relationList, when: { type: 'array', items: { enum: CONDITIONS }, uniqueItems: true, minItems: 1 } },
    },
  ],
};

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
              required: ['regime', 'basis', 'involvement'],
              properties: {
                // At most REGISTER_TEXT_MAX: the register (GET /register) publishes that bound.
                regime: { type: 'string', minLength: 1, maxLength: REGISTER_TEXT_MAX },
                basis: { type: 'string', minLength: 1, maxLength: REGISTER_TEXT_MAX },
                involvement: { enum: [...PROTECTED_CLASSES, 'nothing'] },
              },
            },
          ]),
        ),
      },
      healthProfessions: { type: 'array', items: { enum: PROFESSIONS.filter((p) => p !== 'none') }, uniqueItems: true },
      socialProfessions: { type: 'array', items: { enum: PROFESSIONS.filter((p) => p !== 'none') }, uniqueItems: true },
      healthRequiresProvenProfession: { type: 'boolean' },
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
              required: ['states', 'always', 'involvement'],
              properties: {
                states: { oneOf: [{ const: 'all' }, { type: 'array', items: { enum: STATES }, uniqueItems: true }] },
                always: classList,
                involvement: { enum: ['all', 'consented'] },
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
    required: ['events', 'externalReports'],
    properties: {
      events: {
        type: 'object',
        additionalProperties: false,
        required: [...CASE_EVENT_TYPES],
        properties: Object.fromEntries(CASE_EVENT_TYPES.map((e) => [e, { type: 'array', items: { enum: [...RELATIONS, 'system'] }, uniqueItems: true }])),
      },
      externalReports: {
        type: 'object',
        additionalProperties: false,
        required: [...EXTERNAL_REPORT_KINDS],
        properties: Object.fromEntries(
          EXTERNAL_REPORT_KINDS.map((k) => [
            k,
            {
              type: 'object',
              additionalProperties: false,
              required: ['class', 'legalBases'],
              properties: {
                class: { enum: ['social', 'health'] },
                legalBases: { type: 'array', items: { enum: [...LEGAL_BASES] }, uniqueItems: true, minItems: 1 },
              },
            },
          ]),
        ),
      },
    },
  },
  'controller.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['controller', 'dpo', 'host', 'legalBases'],
    properties: {
      controller: textsOf('name', 'address'),
      dpo: textsOf('name', 'contact'),
      host: textsOf('name', 'certification'),
      legalBases: {
        type: 'object',
        additionalProperties: false,
        required: [...FLOWS],
        properties: Object.fromEntries(FLOWS.map((f) => [f, textsOf('purpose', 'article6', 'article9', 'french')])),
      },
    },
  },
  'access.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['holders', 'permissions', 'public', 'accounts'],
    properties: {
      holders: {
        type: 'object',
        required: [...RELATIONS],
        propertyNames: { pattern: '^[a-z][a-z_]*$' },
        properties: Object.fromEntries(RELATIONS.map((r) => [r, holderSpec])),
        additionalProperties: holderSpec,
      },
      permissions: {
        type: 'object',
        additionalProperties: false,
        required: ACTION_NAMES,
        properties: Object.fromEntries(ACTION_NAMES.map((a) => [a, permissionSpec])),
      },
      public: {
        type: 'object',
        additionalProperties: false,
        required: Object.keys(PUBLIC_ACTIONS),
        properties: Object.fromEntries(
          Object.keys(PUBLIC_ACTIONS).map((a) => [
            a,
            { type: 'object', additionalProperties: false, required: ['fact'], properties: { fact: { enum: [...PUBLIC_FACTS] } } },
          ]),
        ),
      },
      accounts: {
        type: 'object',
        additionalProperties: false,
        required: ['withOrganisation', 'exclusive', 'secondFactor'],
        properties: {
          withOrganisation: { type: 'array', items: { enum: [...ROLES] }, uniqueItems: true },
          exclusive: { type: 'array', items: { type: 'array', items: { enum: [...ROLES] }, uniqueItems: true, minItems: 2 } },
          secondFactor: { type: 'array', items: { enum: [...ROLES] }, uniqueItems: true },
        },
      },
    },
  },
  'lifecycle.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['consent', 'reopen', 'followUp', 'dossier'],
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
      dossier: {
        type: 'object',
        additionalProperties: false,
        required: ['opensDaysBefore'],
        properties: { opensDaysBefore: { type: 'integer', minimum: 0, maximum: 60 } },
      },
    },
  },
  'statistics.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['statistics'],
    properties: {
      statistics: {
        type: 'object',
        additionalProperties: false,
        required: ['smallCountThreshold'],
        properties: { smallCountThreshold: { type: 'integer', minimum: 2, maximum: 100 } },
      },
    },
  },
  'transparency.yaml': {
    type: 'object',
    additionalProperties: false,
    required: ['transparency'],
    properties: {
      transparency: {
        type: 'object',
        additionalProperties: false,
        required: ['windowSeconds', 'clientMaxFailures', 'referenceMaxClients'],
        properties: {
          windowSeconds: { type: 'integer', minimum: 60, maximum: 86400 },
          clientMaxFailures: { type: 'integer', minimum: 3, maximum: 1000 },
          referenceMaxClients: { type: 'integer', minimum: 2, maximum: 1000 },
        },
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
  checkAccess(policy);
  // The register is published with a maximum length (GET /register?format=markdown): a policy that would describe a longer one does not load.
  const registerLength = registerMarkdown(buildRegister(policy)).length;
  if (registerLength > MAX_REGISTER_CHARS) {
    throw new PolicyError('visibility.yaml', '', `the register of processing would be ${registerLength} characters long (at most ${MAX_REGISTER_CHARS})`);
  }
  return Object.freeze(policy);
}

const applies = (kinds: readonly ResourceKind[], kind: ResourceKind) => kinds.includes(kind);

/**
 * access.yaml beyond its schema: every relation an action names is defined and can hold toward
 * the action's resource, every condition applies to it, and the four relations to a case hold
 * toward a case. Permissions are normalised to `{ relations, when }`.
 */
function checkAccess(policy: Policy): void {
  for (const relation of RELATIONS) {
    const { fact } = policy.holders[relation];
    if (!applies(FACT_KINDS[fact], 'case')) throw new PolicyError('access.yaml', `/holders/${relation}/fact`, `"${fact}" is not a fact about a case`);
  }
  const permissions = policy.permissions as Record<Action, unknown>;
  for (const action of Object.keys(ACTIONS) as Action[]) {
    const raw = permissions[action];
    const listed = Array.isArray(raw);
    const permission = listed ? { relations: raw as string[], when: [] } : (raw as Policy['permissions'][Action]);
    const kind = ACTIONS[action];
    permission.relations.forEach((relation, i) => {
      const pointer = `/permissions/${action}${listed ? '' : '/relations'}/${i}`;
      const holder = policy.holders[relation];
      if (!holder) throw new PolicyError('access.yaml', pointer, `unknown relation "${relation}" (not under holders)`);
      if (!applies(FACT_KINDS[holder.fact], kind)) {
        throw new PolicyError('access.yaml', pointer, `relation "${relation}" (${holder.fact}) cannot hold toward a ${kind}, what ${action} is done on`);
      }
    });
    permission.when.forEach((condition, i) => {
      if (!applies(CONDITION_KINDS[condition], kind)) {
        throw new PolicyError('access.yaml', `/permissions/${action}/when/${i}`, `condition "${condition}" does not apply to a ${kind}`);
      }
    });
    permissions[action] = permission;
  }
}
