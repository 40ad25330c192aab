import { loadPolicy } from '../access/policy.loader.js';
import type { Policy } from '../access/policy.types.js';
import { AppError } from '../common/errors.js';
import { checkedProposal, fullProposal, proposableScope } from './proposal.js';

const shipped = loadPolicy('policies');

/** The shipped policy where no relation receives health under consent any more. */
function withoutHealth(): Policy {
  const copy = structuredClone(shipped) as Policy;
  for (const rule of Object.values(copy.relations)) delete rule.consented.health;
  return copy;
}

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return (error.extensions as { errors: { field: string }[] }).errors[0].field;
    throw error;
  }
  throw new Error('accepted');
}

describe('the scope proposed on the information letter', () => {
  it('may name what the policies release under consent: every sector but the coordination, the consented classes', () => {
    expect(proposableScope(shipped)).toEqual({
      sectors: ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education'],
      classes: ['identity', 'health', 'social'],
    });
    expect(fullProposal(shipped)).toHaveLength(7);
  });

  it('follows the policies: a class no relation receives under consent is refused, on its field', () => {
    const policy = withoutHealth();
    expect(proposableScope(policy).classes).toEqual(['identity', 'social']);
    expect(
      fieldOf(() =>
        checkedProposal(policy, [
          { sector: 'social', classes: ['social'] },
          { sector: 'health', classes: ['identity', 'health'] },
        ]),
      ),
    ).toBe('scope.1.classes.1');
    expect(fullProposal(policy).every((e) => !e.classes.includes('health'))).toBe(true);
  });

  it('is put in the policies’ order', () => {
    expect(
      checkedProposal(shipped, [
        { sector: 'housing', classes: ['social', 'identity'] },
        { sector: 'health', classes: ['health'] },
      ]),
    ).toEqual([
      { sector: 'health', classes: ['health'] },
      { sector: 'housing', classes: ['identity', 'social'] },
    ]);
  });
});
