import { Button, Modal, ModalSize, Radio, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import type { Schemas } from '../api/client';
import { useUpdateAction } from '../api/queries';
import { ChoiceGroup, SelectField, TextAreaField } from '../shared/fields';
import { longDate } from '../shared/format';
import { ACTION_STATUS_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { fieldErrors, generalError } from '../shared/problems';
import { actionUpdateBody, actionUpdateProblems, BLOCK_REASON_LABEL, BLOCK_REASONS, type BlockReason } from './actionUpdateForm';

type ActionStatus = Schemas['ActionStatus'];
// `cancelled` is a plan revision's, never an update's.
const STATUSES: ActionStatus[] = ['todo', 'in_progress', 'done', 'blocked'];

export interface ActionToUpdate {
  id: string;
  caseId: string;
  reference: string;
  title: string;
  status: ActionStatus;
  blockReason?: BlockReason | null;
  dueAt: string;
}

/**
 * Where an action stands, said by its owning organisation (or the coordination), with an
 * optional note. The note is pseudonymised text: the server's leak guard refuses a name, a phone
 * number… and its refusal is shown on the note itself.
 */
export function ActionUpdateDialog({ action, onClose, onDone }: { action: ActionToUpdate; onClose: () => void; onDone: (message: string) => void }) {
  const update = useUpdateAction();
  const [status, setStatus] = useState<ActionStatus>(action.status);
  const [blockReason, setBlockReason] = useState<BlockReason | ''>(action.blockReason ?? '');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(undefined);
    const form = { status, blockReason, note };
    const problems = actionUpdateProblems(form);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    try {
      await update.mutateAsync({ caseId: action.caseId, actionId: action.id, ...actionUpdateBody(form) });
      onDone(`L’action « ${action.title} » est maintenant : ${ACTION_STATUS_LABEL[status].toLowerCase()}.`);
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors(byField);
      setFailure(Object.keys(byField).length ? undefined : generalError(error));
    }
  };

  return (
    <Modal isOpen onClose={onClose} size={ModalSize.MEDIUM} title="Mettre à jour l’action">
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <p>
          <strong>{action.title}</strong>
          <br />
          <span className="muted">
            Situation {action.reference} · échéance le {longDate(action.dueAt)}
          </span>
        </p>
        <ChoiceGroup legend="Où en est cette action ?" error={errors.status}>
          {STATUSES.map((value) => (
            <Radio key={value} name="status" label={ACTION_STATUS_LABEL[value]} checked={status === value} onChange={() => setStatus(value)} />
          ))}
        </ChoiceGroup>
        {status === 'blocked' && (
          <SelectField
            label="Qu’est-ce qui bloque ?"
            hint="Compté, sans nom ni référence, dans le tableau « Ce qui bloque » du rapport annuel."
            options={BLOCK_REASONS.map((value) => ({ value, label: BLOCK_REASON_LABEL[value] }))}
            value={blockReason}
            onChange={(value) => setBlockReason(value as BlockReason | '')}
            error={errors.blockReason}
          />
        )}
        <TextAreaField
          label="Note (facultatif)"
          hint="Ce qui a été fait ou ce qui bloque, sans nom ni coordonnées de la personne (écrivez « la personne », « Mme X »)."
          rows={3}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={errors.note}
        />
        {failure && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{failure}</Notice>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" disabled={update.isPending}>
            Enregistrer
          </Button>
          <Button type="button" color="neutral" variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </form>
    </Modal>
  );
}
