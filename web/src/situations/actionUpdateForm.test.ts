import { describe, expect, it } from 'vitest';
import { actionUpdateBody, actionUpdateProblems, BLOCK_REASON_LABEL } from './actionUpdateForm';

describe('the action update form', () => {
  it('asks why when the action is blocked, and only then', () => {
    expect(actionUpdateProblems({ status: 'blocked', blockReason: '', note: '' })).toEqual({ blockReason: 'Choisissez ce qui bloque l’action.' });
    expect(actionUpdateProblems({ status: 'blocked', blockReason: 'care_waiting_list', note: '' })).toEqual({});
    expect(actionUpdateProblems({ status: 'in_progress', blockReason: '', note: '' })).toEqual({});
  });

  it('sends the reason with « Bloquée » only, and the note when written', () => {
    expect(actionUpdateBody({ status: 'blocked', blockReason: 'no_adapted_housing', note: '  Attente bailleur ' })).toEqual({
      status: 'blocked',
      blockReason: 'no_adapted_housing',
      note: 'Attente bailleur',
    });
    // A reason chosen, then another status: the reason is not sent (the server would refuse it).
    expect(actionUpdateBody({ status: 'done', blockReason: 'no_adapted_housing', note: ' ' })).toEqual({ status: 'done' });
  });

  it('says every reason in French', () => {
    expect(Object.values(BLOCK_REASON_LABEL).every((label) => label.length > 0)).toBe(true);
    expect(BLOCK_REASON_LABEL.care_waiting_list).toBe('Liste d’attente pour des soins (CMP…)');
  });
});
