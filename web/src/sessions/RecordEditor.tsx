import { Button, Modal, ModalSize, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { useCloseRecord, useRecord, useWriteRecordItem, type RecordItem, type Session } from '../api/queries';
import { SelectField, TextAreaField } from '../shared/fields';
import { OUTCOME_LABEL, OUTCOMES, type Outcome } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { fieldErrors, generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { DECISION_LABEL, DEFERRAL_LABEL, recordItemBody, recordItemProblems, RECORD_TEXT_MAX, type Decision, type RecordItemForm } from './recordForms';
import { decisionText, RecordView } from './RecordView';

/**
 * The coordinator's record of the session (relevé de décisions): for each situation examined,
 * the decision (the session's events say it when there is one: plan adopted, deferred, closed;
 * otherwise the coordinator chooses, e.g. advice to the referrer), the commission's analysis and
 * recommendations (pseudonymised: the leak guard's refusal shows on the field). Once the session is
 * closed, the coordinator closes the record: it is frozen, then read as the attendees read it.
 */
export function RecordEditor({ session }: { session: Session }) {
  const record = useRecord(session.id, session.status !== 'planned');
  if (session.status === 'planned') return <p className="muted">Le relevé de décisions s’écrit une fois la séance ouverte.</p>;
  if (!record.data) return <QueryState isPending={record.isPending} error={record.error} what="le relevé de décisions" />;
  if (record.data.closedAt) {
    return (
      <section aria-labelledby="titre-releve" className="stack">
        <h2 id="titre-releve">Relevé de décisions</h2>
        <RecordView record={record.data} headingLevel={3} />
      </section>
    );
  }
  return (
    <section aria-labelledby="titre-releve" className="stack stack--large">
      <h2 id="titre-releve">Relevé de décisions</h2>
      <p className="muted">
        Textes pseudonymisés : jamais le nom, l’adresse ou les coordonnées de la personne. Un texte qui la nomme est retenu et soumis au référent.
      </p>
      {!record.data.items.length && <p className="muted">Aucune situation n’a été examinée.</p>}
      {record.data.items.map((item) => (
        <ItemEditor key={item.caseId} sessionId={session.id} item={item} />
      ))}
      <CloseRecord session={session} />
    </section>
  );
}

const derivedOf = (item: RecordItem): Decision | null => (item.decisionSource === 'event' ? (item.decision as Decision) : null);

function ItemEditor({ sessionId, item }: { sessionId: string; item: RecordItem }) {
  const write = useWriteRecordItem(sessionId);
  const derived = derivedOf(item);
  const [form, setForm] = useState<RecordItemForm>({
    decision: derived ? '' : ((item.decision as Decision | null) ?? ''),
    deferralReason: (item.deferralReason as RecordItemForm['deferralReason']) ?? '',
    outcome: item.decisionSource === 'record' ? ((item.outcome as Outcome | null) ?? '') : '',
    analysis: item.analysis?.text ?? '',
    recommendations: item.recommendations?.text ?? '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const set = (patch: Partial<RecordItemForm>) => setForm((f) => ({ ...f, ...patch }));
  const decision = derived ?? form.decision;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = recordItemProblems(form, derived);
    setErrors(problems);
    setFailure(undefined);
    setDone(undefined);
    if (Object.keys(problems).length) return;
    try {
      await write.mutateAsync({ caseId: item.caseId, body: recordItemBody(form, derived) });
      setDone('Enregistré.');
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(generalError(error));
    }
  };

  return (
    <form className="dossier-item stack" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`releve-edit-${item.caseId}`}>
      <h3 id={`releve-edit-${item.caseId}`}>Situation {item.reference}</h3>
      {derived ? (
        <p>
          <strong>Décision :</strong> {decisionText(item)} <span className="muted">(d’après les actions de la séance)</span>
        </p>
      ) : (
        <SelectField
          label="Décision"
          options={(Object.keys(DECISION_LABEL) as Decision[]).map((d) => ({ value: d, label: DECISION_LABEL[d] }))}
          value={form.decision}
          onChange={(value) => set({ decision: value as Decision | '' })}
          error={errors.decision}
        />
      )}
      {decision === 'deferred' && (
        <SelectField
          label="Motif du report"
          options={(Object.keys(DEFERRAL_LABEL) as (keyof typeof DEFERRAL_LABEL)[]).map((r) => ({ value: r, label: DEFERRAL_LABEL[r] }))}
          value={form.deferralReason}
          onChange={(value) => set({ deferralReason: value as RecordItemForm['deferralReason'] })}
          error={errors.deferralReason}
        />
      )}
      {decision === 'closed' && derived !== 'closed' && (
        <SelectField
          label="Issue"
          options={OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABEL[o] }))}
          value={form.outcome}
          onChange={(outcome) => set({ outcome: outcome as Outcome | '' })}
          error={errors.outcome}
        />
      )}
      <TextAreaField
        label="Analyse de la commission"
        hint={`Pseudonymisée, ${RECORD_TEXT_MAX} caractères au plus.`}
        value={form.analysis}
        onChange={(e) => set({ analysis: e.target.value })}
        error={errors.analysis}
      />
      {item.analysis?.held && <p className="muted">Le texte enregistré nomme la personne : il est retenu et soumis au référent. Reformulez-le.</p>}
      <TextAreaField
        label="Préconisations"
        hint={`Pseudonymisées, ${RECORD_TEXT_MAX} caractères au plus.`}
        value={form.recommendations}
        onChange={(e) => set({ recommendations: e.target.value })}
        error={errors.recommendations}
      />
      {item.recommendations?.held && <p className="muted">Le texte enregistré nomme la personne : il est retenu et soumis au référent. Reformulez-le.</p>}
      {item.contributions.length > 0 && (
        <div>
          <p className="record__label">Contributions écrites reçues avant la séance</p>
          <ul className="plain-list">
            {item.contributions.map((c, i) => (
              <li key={i}>
                <strong>{c.organisationName ?? c.authorName}</strong> : {c.text ?? 'texte retenu (il nomme la personne)'}
              </li>
            ))}
          </ul>
        </div>
      )}
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
        <Button type="submit" size="small" disabled={write.isPending}>
          Enregistrer pour {item.reference}
        </Button>
      </div>
    </form>
  );
}

function CloseRecord({ session }: { session: Session }) {
  const close = useCloseRecord(session.id);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  if (session.status !== 'closed') return <p className="muted">Le relevé se clôt une fois la séance close.</p>;
  const confirm = async () => {
    setFailure(undefined);
    try {
      await close.mutateAsync();
      setConfirming(false);
    } catch (error) {
      setFailure(generalError(error));
    }
  };
  return (
    <>
      <div className="form-actions">
        <Button color="brand" onClick={() => setConfirming(true)}>
          Clore le relevé
        </Button>
      </div>
      {confirming && (
        <Modal isOpen onClose={() => setConfirming(false)} size={ModalSize.MEDIUM} title="Clore le relevé">
          <div className="stack">
            <p>
              Le relevé sera figé : plus aucune modification. Les présents le liront, chaque référent pour sa propre situation, et il pourra être téléchargé en
              PDF. Le dossier de la séance ne sera plus consultable.
            </p>
            {failure && (
              <div role="alert">
                <Notice type={VariantType.ERROR}>{failure}</Notice>
              </div>
            )}
            <div className="form-actions">
              <Button onClick={() => void confirm()} disabled={close.isPending}>
                Confirmer
              </Button>
              <Button color="neutral" variant="secondary" onClick={() => setConfirming(false)}>
                Annuler
              </Button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}
