import { boundedProblem, PROBLEM_LIMITS } from './problem-details.filter.js';

describe('a problem detail within its published limits (boundedProblem)', () => {
  it('cuts a field path taken from the request, the detail, and keeps at most the published number of errors', () => {
    const member = 'm'.repeat(500);
    const problem = boundedProblem({
      type: 'https://cellule.invalid/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'd'.repeat(5000),
      instance: '/cases',
      errors: Array.from({ length: 150 }, () => ({ field: member, message: 'is not a member of CLOSE' })),
      proposals: Array.from({ length: 150 }, () => ({ field: member, text: 't'.repeat(30_000) })),
    });
    expect(problem.detail).toHaveLength(PROBLEM_LIMITS.detail);
    const errors = problem.errors as { field: string; message: string }[];
    expect(errors).toHaveLength(PROBLEM_LIMITS.errors);
    expect(errors[0].field).toHaveLength(PROBLEM_LIMITS.field);
    expect(errors[0].field.endsWith('…')).toBe(true);
    expect(errors[0].message).toBe('is not a member of CLOSE');
    const proposals = problem.proposals as { field: string; text: string }[];
    expect(proposals).toHaveLength(PROBLEM_LIMITS.errors);
    expect(proposals[0].text).toHaveLength(PROBLEM_LIMITS.text);
  });

  it('leaves a problem within its limits as it is, and never cuts a surrogate pair in half', () => {
    const small = { type: 't', title: 'Conflict', status: 409, detail: 'allowed: CLOSE', instance: '/cases/x/events', reason: 'stale' };
    expect(boundedProblem(small)).toEqual(small);
    // Cut at an odd length: the last code unit kept would be the first half of a pair.
    const emoji = '😀'.repeat(PROBLEM_LIMITS.detail);
    const cut = boundedProblem({ ...small, detail: emoji }).detail;
    expect(cut.length).toBeLessThanOrEqual(PROBLEM_LIMITS.detail);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
  });
});
