import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { useContribute } from '../api/queries';
import { TextAreaField } from '../shared/fields';
import { Notice } from '../shared/Notice';
import { fieldErrors, generalError } from '../shared/problems';
import { CONTRIBUTION_MAX, contributionProblems } from './recordForms';

/**
 * A member who cannot come leaves, before the session, a short written contribution on one
 * situation of the dossier: pseudonymised (the leak guard's refusal is shown on the field),
 * sealed by the server, shown in the dossier and in the session's record. Sending it again
 * replaces it.
 */
export function ContributionForm({ sessionId, caseId, reference }: { sessionId: string; caseId: string; reference: string }) {
  const contribute = useContribute(sessionId);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = contributionProblems(text);
    setErrors(problems);
    setFailure(undefined);
    setDone(undefined);
    if (Object.keys(problems).length) return;
    try {
      await contribute.mutateAsync({ caseId, text: text.trim() });
      setDone('Votre contribution est enregistrée ; elle figurera au relevé de décisions.');
      setText('');
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(generalError(error));
    }
  };

  return (
    <form className="form-section" onSubmit={(e) => void submit(e)} noValidate aria-label={`Contribution écrite pour ${reference}`}>
      <TextAreaField
        label={`Votre contribution écrite pour ${reference}`}
        hint={`Si vous ne pouvez pas venir. Sans nom, adresse ni coordonnées de la personne ; ${CONTRIBUTION_MAX} caractères au plus.`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={errors.text}
      />
      {failure && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{failure}</Notice>
        </div>
      )}
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS}>{done}</Notice>
        </div>
      )}
      <div className="form-actions">
        <Button type="submit" size="small" disabled={contribute.isPending}>
          Envoyer la contribution
        </Button>
      </div>
    </form>
  );
}
