import { Button, Radio } from '@gouvfr-lasuite/cunningham-react';
import type { CaseView } from '../api/client';
import { useOrganisations } from '../api/queries';
import { ChoiceGroup, SelectField, TextAreaField, TextField } from '../shared/fields';
import { SECTOR_LABEL } from '../shared/labels';
import {
  CANCEL_REASON_LABEL,
  CARRY_REASON_LABEL,
  HOLD_MODE_LABEL,
  HOLD_REASON_LABEL,
  LEGAL_BASES_OF,
  LEGAL_BASIS_LABEL,
  REPORT_AUTHOR_LABEL,
  REPORT_KIND_LABEL,
  type ExistingDecision,
  type HoldForm,
  type ReportForm,
  type RevisionForm,
} from './afterPlanForms';
import { newActionRow, TITLE_MAX } from './planForm';

const keys = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as K[];

/** The organisations of the situation's territory, grouped by sector. */
function useOrganisationOptions(view: CaseView) {
  const organisations = useOrganisations();
  return (organisations.data ?? [])
    .filter((o) => o.territoryId === view.meta?.territoryId || !view.meta)
    .map((o) => ({ value: o.id, label: o.name, group: SECTOR_LABEL[o.sector] }));
}

/** SUSPEND: on watch or suspended, and why (the reason is sealed with the plan). */
export function HoldFields({ form, setForm, errors }: { form: HoldForm; setForm: (f: HoldForm) => void; errors: Record<string, string> }) {
  return (
    <div className="stack">
      <ChoiceGroup legend="Le plan est" error={errors.mode}>
        {keys(HOLD_MODE_LABEL).map((mode) => (
          <Radio key={mode} name="mode" label={HOLD_MODE_LABEL[mode]} checked={form.mode === mode} onChange={() => setForm({ ...form, mode })} />
        ))}
      </ChoiceGroup>
      <ChoiceGroup legend="Raison" hint="Elle n’est communiquée qu’avec le plan d’action." error={errors.reason}>
        {keys(HOLD_REASON_LABEL).map((reason) => (
          <Radio key={reason} name="reason" label={HOLD_REASON_LABEL[reason]} checked={form.reason === reason} onChange={() => setForm({ ...form, reason })} />
        ))}
      </ChoiceGroup>
    </div>
  );
}

/** RECORD_EXTERNAL_REPORT: categories only; a short pseudonymised note at most. */
export function ReportFields({
  view,
  form,
  setForm,
  errors,
}: {
  view: CaseView;
  form: ReportForm;
  setForm: (f: ReportForm) => void;
  errors: Record<string, string>;
}) {
  const organisations = useOrganisationOptions(view);
  return (
    <div className="stack">
      <SelectField
        label="Nature"
        options={keys(REPORT_KIND_LABEL).map((k) => ({ value: k, label: REPORT_KIND_LABEL[k] }))}
        value={form.kind}
        onChange={(value) => setForm({ ...form, kind: value as ReportForm['kind'], legalBasis: '' })}
        error={errors.kind}
      />
      <SelectField
        label="Fondement légal"
        hint={form.kind ? undefined : 'Choisissez d’abord la nature.'}
        options={(form.kind ? LEGAL_BASES_OF[form.kind] : []).map((b) => ({ value: b, label: LEGAL_BASIS_LABEL[b] }))}
        value={form.legalBasis}
        onChange={(value) => setForm({ ...form, legalBasis: value as ReportForm['legalBasis'] })}
        error={errors.legalBasis}
      />
      <div className="grid-2">
        <TextField
          label="Date"
          hint="JJ/MM/AAAA"
          inputMode="numeric"
          value={form.madeOn}
          onChange={(e) => setForm({ ...form, madeOn: e.target.value })}
          error={errors.madeAt}
        />
        <SelectField
          label="Fait par"
          options={keys(REPORT_AUTHOR_LABEL).map((k) => ({ value: k, label: REPORT_AUTHOR_LABEL[k] }))}
          value={form.madeBy}
          onChange={(value) => setForm({ ...form, madeBy: value as ReportForm['madeBy'] })}
          error={errors.madeBy}
        />
      </div>
      {form.madeBy === 'partner_organisation' && (
        <SelectField
          label="Organisation"
          options={organisations}
          value={form.madeByOrganisationId}
          onChange={(value) => setForm({ ...form, madeByOrganisationId: value })}
          error={errors.madeByOrganisationId}
        />
      )}
      <TextAreaField
        label="Note (facultatif)"
        hint="Quelques mots, sans récit, sans nom ni coordonnées de la personne."
        rows={2}
        maxLength={1000}
        value={form.note}
        onChange={(e) => setForm({ ...form, note: e.target.value })}
        error={errors.note}
      />
    </div>
  );
}

/** REVISE_PLAN: what becomes of each unfinished action, the actions added, the follow-up. */
export function RevisionFields({
  view,
  form,
  setForm,
  errors,
}: {
  view: CaseView;
  form: RevisionForm;
  setForm: (f: RevisionForm) => void;
  errors: Record<string, string>;
}) {
  const organisations = useOrganisationOptions(view);
  const setExisting = (actionId: string, change: Partial<ExistingDecision>) =>
    setForm({ ...form, existing: form.existing.map((e) => (e.actionId === actionId ? { ...e, ...change } : e)) });
  const setAdded = (key: string, change: Partial<RevisionForm['added'][number]>) =>
    setForm({ ...form, added: form.added.map((a) => (a.key === key ? { ...a, ...change } : a)) });
  return (
    <div className="stack">
      {errors.add && (
        <p className="field-error" role="alert">
          {errors.add}
        </p>
      )}
      {form.existing.map((e) => {
        const at = `existing.${e.actionId}`;
        const reasons = e.decision === 'cancel' ? CANCEL_REASON_LABEL : CARRY_REASON_LABEL;
        return (
          <fieldset key={e.actionId} className="plan-row">
            <legend>
              {e.title}
              {e.overdue ? ' (en retard)' : ''}
            </legend>
            <ChoiceGroup legend="Cette action" error={errors[`${at}.decision`]}>
              <Radio
                name={`${at}.decision`}
                label="Continue telle quelle"
                checked={e.decision === 'keep'}
                onChange={() => setExisting(e.actionId, { decision: 'keep', reason: '' })}
              />
              <Radio
                name={`${at}.decision`}
                label="Est reportée"
                checked={e.decision === 'carry'}
                onChange={() => setExisting(e.actionId, { decision: 'carry', reason: '' })}
              />
              <Radio
                name={`${at}.decision`}
                label="Est annulée"
                checked={e.decision === 'cancel'}
                onChange={() => setExisting(e.actionId, { decision: 'cancel', reason: '' })}
              />
            </ChoiceGroup>
            {e.decision !== 'keep' && (
              <SelectField
                label={e.decision === 'cancel' ? 'Raison de l’annulation' : e.overdue ? 'Raison du report' : 'Raison du report (facultatif)'}
                options={Object.entries(reasons).map(([value, label]) => ({ value, label }))}
                value={e.reason}
                onChange={(value) => setExisting(e.actionId, { reason: value as ExistingDecision['reason'] })}
                error={errors[`${at}.reason`]}
              />
            )}
            {e.decision !== 'cancel' && (
              <TextField
                label="Nouvelle échéance (facultatif)"
                hint="JJ/MM/AAAA"
                inputMode="numeric"
                value={e.due}
                onChange={(ev) => setExisting(e.actionId, { due: ev.target.value })}
                error={errors[`${at}.due`]}
              />
            )}
          </fieldset>
        );
      })}
      {form.added.map((a, i) => (
        <fieldset key={a.key} className="plan-row">
          <legend>Nouvelle action {i + 1}</legend>
          <TextField
            label="Ce qui est à faire"
            maxLength={TITLE_MAX}
            value={a.title}
            onChange={(e) => setAdded(a.key, { title: e.target.value })}
            error={errors[`add.${i}.title`]}
          />
          <div className="grid-2">
            <SelectField
              label="Organisation responsable"
              options={organisations}
              value={a.ownerOrganisationId}
              onChange={(value) => setAdded(a.key, { ownerOrganisationId: value })}
              error={errors[`add.${i}.ownerOrganisationId`]}
            />
            <TextField
              label="Échéance"
              hint="JJ/MM/AAAA"
              inputMode="numeric"
              value={a.due}
              onChange={(e) => setAdded(a.key, { due: e.target.value })}
              error={errors[`add.${i}.dueAt`]}
            />
          </div>
          <div>
            <Button
              type="button"
              size="small"
              color="neutral"
              variant="secondary"
              onClick={() => setForm({ ...form, added: form.added.filter((x) => x.key !== a.key) })}
            >
              Retirer cette action
            </Button>
          </div>
        </fieldset>
      ))}
      <div>
        <Button type="button" size="small" variant="secondary" onClick={() => setForm({ ...form, added: [...form.added, newActionRow()] })}>
          Ajouter une action
        </Button>
      </div>
      <TextField
        label="Prochain point d’étape (facultatif)"
        hint="JJ/MM/AAAA — vide : inchangé (en séance, dans trois mois)"
        inputMode="numeric"
        value={form.followUp}
        onChange={(e) => setForm({ ...form, followUp: e.target.value })}
        error={errors.followUpAt}
      />
    </div>
  );
}
