import type { Schemas } from '../api/client';
import { BLOCK_REASON_WORDS } from '../../../src/common/words.fr';

/**
 * The action update form as pure functions: what is missing (keyed by the request's fields, so the
 * server's refusals land on the same ones) and the request body.
 */
export type ActionStatus = Schemas['ActionStatus'];
export type BlockReason = Schemas['BlockReason'];

/** Why an action is blocked, as the annual report's « Ce qui bloque » table says it (src/common/words.fr.ts). */
export const BLOCK_REASON_LABEL: Record<BlockReason, string> = BLOCK_REASON_WORDS;

export const BLOCK_REASONS = Object.keys(BLOCK_REASON_LABEL) as BlockReason[];

export interface ActionUpdateForm {
  status: ActionStatus;
  blockReason: BlockReason | '';
  note: string;
}

export function actionUpdateProblems(form: ActionUpdateForm): Record<string, string> {
  return form.status === 'blocked' && !form.blockReason ? { blockReason: 'Choisissez ce qui bloque l’action.' } : {};
}

/** The PATCH body: the reason only with « Bloquée », the note only when written. */
export function actionUpdateBody(form: ActionUpdateForm): { status: ActionStatus; blockReason?: BlockReason; note?: string } {
  const note = form.note.trim();
  return {
    status: form.status,
    ...(form.status === 'blocked' && form.blockReason ? { blockReason: form.blockReason } : {}),
    ...(note ? { note } : {}),
  };
}
