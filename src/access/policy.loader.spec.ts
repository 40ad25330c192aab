import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPolicy, PolicyError } from './policy.loader.js';

/** A copy of policies/ to break one document at a time. */
function withPolicies(edit: (dir: string) => void): () => unknown {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cellule-policies-'));
  cpSync('policies', dir, { recursive: true });
  edit(dir);
  return () => {
    try {
      return loadPolicy(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function replaceIn(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(full, text.replace(from, to));
}

function failure(load: () => unknown): PolicyError {
  try {
    load();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('the policy loaded');
}

describe('policy documents', () => {
  it('load and validate as shipped', () => {
    const policy = loadPolicy('policies');
    expect(policy.relations.coordinator.always).not.toContain('identity');
    expect(policy.events.PURGE).toEqual(['system']);
    expect(policy.retention.auditLogDays).toBeGreaterThanOrEqual(183);
    // Both forms of a permission come out as { relations, when }.
    expect(policy.permissions['session.open']).toEqual({ relations: ['coordinator'], when: [] });
    expect(policy.permissions['session.attend']).toEqual({ relations: ['commission_member', 'session_invitee'], when: ['charter_accepted'] });
    expect(policy.holders.coordinator).toEqual({ fact: 'same_territory', roles: ['coordinator'] });
  });

  it.each([
    ['an unknown class', 'visibility.yaml', 'always: [meta, plan]', 'always: [meta, plan, diagnosis]', '/relations/action_owner/always/2', /must be one of/],
    ['an unknown key', 'lifecycle.yaml', 'windowDays: 90', 'windowDays: 90\n  windowWeeks: 2', '/reopen', /unknown key "windowWeeks"/],
    ['a retention outside the allowed range', 'retention.yaml', 'auditLogDays: 365', 'auditLogDays: 30', '/retention/auditLogDays', /must be >= 183/],
    [
      'a transparency limit of zero',
      'transparency.yaml',
      'referenceMaxClients: 10',
      'referenceMaxClients: 0',
      '/transparency/referenceMaxClients',
      /must be >= 2/,
    ],
    ['a transparency limit missing', 'transparency.yaml', '  clientMaxFailures: 20\n', '', '/transparency', /missing key "clientMaxFailures"/],
    ['a transparency window as text', 'transparency.yaml', 'windowSeconds: 3600', 'windowSeconds: one hour', '/transparency/windowSeconds', /must be integer/],
    ['an event without its list', 'events.yaml', '  PURGE: [system]\n', '', '/events', /missing key "PURGE"/],
    ['a relation sending as someone unknown', 'events.yaml', 'SUBMIT: [referrer]', 'SUBMIT: [referrer, landlord]', '/events/SUBMIT/1', /must be one of/],
    [
      'identity given to the coordinator',
      'visibility.yaml',
      'always: [meta, summary, plan, consent]',
      'always: [meta, summary, plan, consent, identity]',
      '/relations/coordinator/always',
      /never receives identity/,
    ],
    [
      'an unknown identity field',
      'visibility.yaml',
      'fields: [lastName, firstName, address, phone]',
      'fields: [lastName, shoeSize]',
      '/relations/action_owner/consented/identity/fields',
      /unknown identity field "shoeSize"/,
    ],
    ['an unknown fact', 'access.yaml', '{ fact: everywhere,', '{ fact: anywhere,', '/holders/administrator/fact', /must be one of/],
    ['a relation held by an unknown role', 'access.yaml', 'roles: [admin] }', 'roles: [admin, janitor] }', '/holders/administrator/roles/1', /must be one of/],
    [
      'a case relation that is no fact about a case',
      'access.yaml',
      '{ fact: wrote_referral,',
      '{ fact: attends,',
      '/holders/referrer/fact',
      /not a fact about a case/,
    ],
    ['an action without its relations', 'access.yaml', '  register.read: [administrator, auditor]\n', '', '/permissions', /missing key "register.read"/],
    [
      'an action unknown to the server',
      'access.yaml',
      '  stats.read:',
      '  stats.write: [coordinator]\n  stats.read:',
      '/permissions',
      /unknown key "stats.write"/,
    ],
    [
      'an action given an unknown relation',
      'access.yaml',
      'session.open: [coordinator]',
      'session.open: [coordinator, janitor]',
      '/permissions/session.open/1',
      /unknown relation "janitor"/,
    ],
    [
      'an action given a relation that cannot hold toward its resource',
      'access.yaml',
      'stats.read: [coordinator]',
      'stats.read: [session_attendee]',
      '/permissions/stats.read/0',
      /relation "session_attendee" \(attends\) cannot hold toward a territory/,
    ],
    [
      'a condition that does not apply to the resource',
      'access.yaml',
      'commission.charter.accept: [commission_member, session_invitee]',
      'commission.charter.accept: { relations: [commission_member], when: [session_open] }',
      '/permissions/commission.charter.accept/when/0',
      /condition "session_open" does not apply to a commission/,
    ],
  ])('stop the start on %s, naming the file, the path and the reason', (_what, file, from, to, pointer, reason) => {
    const error = failure(withPolicies((dir) => replaceIn(dir, file, from, to)));
    expect(error.file).toBe(file);
    expect(error.pointer).toBe(pointer);
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(file);
  });

  it('refuse an incomplete controller.yaml: who is responsible, the DPO, the host and the legal bases of every flow are required', () => {
    expect(failure(withPolicies((dir) => rmSync(path.join(dir, 'controller.yaml'))))).toMatchObject({ file: 'controller.yaml', reason: 'file is missing' });
    const blank = failure(
      withPolicies((dir) =>
        replaceIn(dir, 'controller.yaml', '"dpo@structure-porteuse.invalid (adresse à confirmer par le responsable de traitement)"', '"   "'),
      ),
    );
    expect(blank).toMatchObject({ file: 'controller.yaml', pointer: '/dpo/contact' });
    const missing = failure(withPolicies((dir) => replaceIn(dir, 'controller.yaml', '  statistics:\n', '  statistic:\n')));
    expect(missing).toMatchObject({ file: 'controller.yaml', pointer: '/legalBases' });
    const loaded = loadPolicy('policies');
    expect(loaded.dpo.contact).toMatch(/\S/);
    expect(Object.keys(loaded.legalBases)).toEqual(['referral', 'consent_sharing', 'session_review', 'action_plan', 'statistics', 'audit']);
  });

  it('refuse invalid YAML, a missing document and an unknown document', () => {
    expect(failure(withPolicies((dir) => writeFileSync(path.join(dir, 'events.yaml'), 'events: [unclosed')))).toMatchObject({
      file: 'events.yaml',
      reason: expect.stringMatching(/not valid YAML/),
    });
    expect(failure(withPolicies((dir) => rmSync(path.join(dir, 'sectors.yaml'))))).toMatchObject({ file: 'sectors.yaml', reason: 'file is missing' });
    expect(failure(withPolicies((dir) => writeFileSync(path.join(dir, 'extra.yaml'), 'x: 1')))).toMatchObject({
      file: 'extra.yaml',
      reason: expect.stringMatching(/unknown policy document/),
    });
  });
});
