import { Button, Checkbox, Modal, ModalSize, Radio, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { CaseEventType, CaseView } from '../api/client';
import { useSendEvent, type EventRequest } from '../api/queries';
import { ChoiceGroup, TextAreaField, TextField } from '../shared/fields';
import { shortDate } from '../shared/format';
import { CLASS_LABEL, CONSENT_METHOD_LABEL, EVENT_WORDING, SECTOR_LABEL } from '../shared/labels';
import { fieldErrors, generalError } from '../shared/problems';
import { CLASS_EXPLAINED, consentBody, consentProblems, SCOPE_CLASSES, SCOPE_SECTORS, scopeKey, type ConsentForm } from './consentForm';
import { Notice } from '../shared/Notice';

/**
 * The situation's actions: exactly the `allowedEvents` the server answered (the machine's events
 * intersected with the policy's, for this account), each with the form its event needs.
 */
const DANGER: CaseEventType[] = ['REJECT', 'CLOSE', 'WITHDRAW_CONSENT'];
/** Events whose form belongs to a screen of a later phase (session agenda, plan editor). */
const ELSEWHERE: Partial<Record<CaseEventType, string>> = {
  SCHEDULE: "L'inscription à une séance se fait depuis l'ordre du jour de la séance (écran de la coordination, à venir).",
  ADOPT_PLAN: "Le plan d'action s'adopte depuis l'écran de la séance en cours (à venir).",
};

export function EventActions({ view, onDone }: { view: CaseView; onDone: (message: string) => void }) {
  const [open, setOpen] = useState<CaseEventType | undefined>();
  if (!view.allowedEvents.length) return <p className="muted">Aucune action ne vous revient à cette étape.</p>;
  return (
    <>
      <ul className="actions" aria-label="Actions possibles">
        {view.allowedEvents.map((type) => (
          <li key={type}>
            <Button
              color={DANGER.includes(type) ? 'error' : 'brand'}
              variant={type === view.allowedEvents[0] ? 'primary' : 'secondary'}
              onClick={() => setOpen(type)}
            >
              {EVENT_WORDING[type].label}
            </Button>
          </li>
        ))}
      </ul>
      {open && (
        <EventDialog
          key={open}
          view={view}
          type={open}
          onClose={() => setOpen(undefined)}
          onDone={(message) => {
            setOpen(undefined);
            onDone(message);
          }}
        />
      )}
    </>
  );
}

function EventDialog({ view, type, onClose, onDone }: { view: CaseView; type: CaseEventType; onClose: () => void; onDone: (message: string) => void }) {
  const send = useSendEvent(view.id);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [text, setText] = useState<Record<string, string>>({});
  const [consent, setConsent] = useState<ConsentForm>({ decision: '', informedAt: shortDate(new Date().toISOString()), method: '', scope: {} });
  const wording = EVENT_WORDING[type];
  const elsewhere = ELSEWHERE[type];

  const required: Partial<Record<CaseEventType, [string, string, string][]>> = {
    REJECT: [
      ['reason', 'Raison', 'Pourquoi la cellule ne retient pas la saisine.'],
      ['suggestedOrientation', 'Orientation proposée (facultatif)', 'Vers quel dispositif orienter la situation.'],
    ],
    CLOSE: [['outcome', 'Résultat', 'Ce qui a été obtenu, sans nom ni détail identifiant.']],
    REVIEW_WITHOUT_CONSENT: [
      ['justification', 'Justification', 'Pourquoi examiner la situation sans le consentement de la personne (refus, personne injoignable…).'],
    ],
  };
  const textFields = required[type] ?? [];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let body: Record<string, unknown> = {};
    if (type === 'RECORD_CONSENT') {
      const problems = consentProblems(consent);
      if (Object.keys(problems).length) return setErrors(problems);
      body = consentBody(consent);
    } else if (textFields.length) {
      const problems = Object.fromEntries(
        textFields.filter(([key, label]) => !label.includes('facultatif') && !text[key]?.trim()).map(([key]) => [key, 'Ce champ est obligatoire.']),
      );
      if (Object.keys(problems).length) return setErrors(problems);
      body = Object.fromEntries(textFields.filter(([key]) => text[key]?.trim()).map(([key]) => [key, text[key].trim()]));
    }
    try {
      // The fields were built for this type just above; the union cannot follow a runtime type.
      await send.mutateAsync({ type, expectedVersion: view.version, ...body } as EventRequest);
      onDone(`${wording.label} : c'est enregistré.`);
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(generalError(error));
    }
  };

  let content: ReactNode;
  if (elsewhere) content = <p>{elsewhere}</p>;
  else if (type === 'RECORD_CONSENT') content = <ConsentFields form={consent} setForm={setConsent} errors={errors} />;
  else
    content = textFields.map(([key, label, hint]) => (
      <TextAreaField
        key={key}
        label={label}
        hint={hint}
        rows={3}
        value={text[key] ?? ''}
        onChange={(e) => setText((t) => ({ ...t, [key]: e.target.value }))}
        error={errors[key]}
      />
    ));

  return (
    <Modal isOpen onClose={onClose} size={type === 'RECORD_CONSENT' ? ModalSize.LARGE : ModalSize.MEDIUM} title={wording.label}>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <p>{wording.help}</p>
        {content}
        {failure && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{failure}</Notice>
          </div>
        )}
        <div className="form-actions">
          {!elsewhere && (
            <Button type="submit" color={DANGER.includes(type) ? 'error' : 'brand'} disabled={send.isPending}>
              Confirmer
            </Button>
          )}
          <Button type="button" color="neutral" variant="secondary" onClick={onClose}>
            {elsewhere ? 'Fermer' : 'Annuler'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function ConsentFields({
  form,
  setForm,
  errors,
}: {
  form: ConsentForm;
  setForm: (f: (form: ConsentForm) => ConsentForm) => void;
  errors: Record<string, string>;
}) {
  return (
    <div className="stack">
      <ChoiceGroup legend="Réponse de la personne" error={errors.decision}>
        <Radio
          name="decision"
          label="Elle accepte le partage décrit ci-dessous"
          checked={form.decision === 'granted'}
          onChange={() => setForm((f) => ({ ...f, decision: 'granted' }))}
        />
        <Radio
          name="decision"
          label="Elle refuse tout partage"
          checked={form.decision === 'refused'}
          onChange={() => setForm((f) => ({ ...f, decision: 'refused' }))}
        />
      </ChoiceGroup>
      <TextField
        label="Date à laquelle elle a été informée"
        hint="Au format JJ/MM/AAAA."
        value={form.informedAt}
        onChange={(e) => setForm((f) => ({ ...f, informedAt: e.target.value }))}
        error={errors.informedAt}
      />
      <ChoiceGroup legend="Comment elle a donné sa réponse" error={errors.method}>
        {(Object.entries(CONSENT_METHOD_LABEL) as [ConsentForm['method'], string][]).map(([value, label]) => (
          <Radio
            key={value}
            name="method"
            label={`Elle a répondu ${label}`}
            checked={form.method === value}
            onChange={() => setForm((f) => ({ ...f, method: value }))}
          />
        ))}
      </ChoiceGroup>
      {form.decision === 'granted' && (
        <ChoiceGroup legend="Ce qu'elle accepte de partager, et avec qui" hint="Par défaut le consentement vaut 12 mois." error={errors.scope}>
          <ul className="class-help">
            {SCOPE_CLASSES.map((cls) => (
              <li key={cls}>
                <strong>{CLASS_LABEL[cls]}</strong> : {CLASS_EXPLAINED[cls]}
              </li>
            ))}
          </ul>
          <div className="table-wrap">
            <table className="table table--scope">
              <caption className="visually-hidden">Partages acceptés, par secteur et par catégorie d'information</caption>
              <thead>
                <tr>
                  <th scope="col">Secteur</th>
                  {SCOPE_CLASSES.map((cls) => (
                    <th scope="col" key={cls}>
                      {CLASS_LABEL[cls]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {SCOPE_SECTORS.map((sector) => (
                  <tr key={sector}>
                    <th scope="row">{SECTOR_LABEL[sector]}</th>
                    {SCOPE_CLASSES.map((cls) => (
                      <td key={cls}>
                        <Checkbox
                          aria-label={`${CLASS_LABEL[cls]} — ${SECTOR_LABEL[sector]}`}
                          checked={Boolean(form.scope[scopeKey(sector, cls)])}
                          onChange={(e) => setForm((f) => ({ ...f, scope: { ...f.scope, [scopeKey(sector, cls)]: e.target.checked } }))}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </ChoiceGroup>
      )}
    </div>
  );
}
