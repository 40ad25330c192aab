import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { useAddGuest, useAgenda, useAttendanceSheet, useMarkAttendance, useOrganisations, useRemoveGuest, type Session } from '../api/queries';
import { SelectField, TextField } from '../shared/fields';
import { Notice } from '../shared/Notice';
import { fieldErrors, generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { EMPTY_GUEST, guestBody, guestProblems, SHEET_ROLE_LABEL, type GuestForm } from './recordForms';

/**
 * The coordinator's attendance sheet: each member, deputy and invited professional, ticked present
 * (a member may also record their own presence), and the partners present without an account —
 * an organisation and a function, never a person's name. Frozen once the record is closed.
 */
export function AttendanceSheet({ session }: { session: Session }) {
  const sheet = useAttendanceSheet(session.id);
  const mark = useMarkAttendance(session.id);
  const [failure, setFailure] = useState<string | undefined>();
  const frozen = sheet.data?.recordClosed ?? false;

  const toggle = async (userId: string, present: boolean) => {
    setFailure(undefined);
    try {
      await mark.mutateAsync({ userId, present });
    } catch (error) {
      setFailure(generalError(error));
    }
  };

  return (
    <div className="stack stack--large">
      <section aria-labelledby="titre-feuille">
        <h2 id="titre-feuille">Feuille de présence</h2>
        <p className="muted">
          Cochez les personnes présentes. Une présence s’enregistre sous la charte en vigueur : une personne qui ne l’a pas acceptée doit le faire d’abord.
          {frozen && ' Le relevé est clos : la feuille ne change plus.'}
        </p>
        <QueryState isPending={sheet.isPending} error={sheet.error} what="la feuille de présence" />
        {failure && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{failure}</Notice>
          </div>
        )}
        {sheet.data && (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Membres, suppléants et personnes invitées</caption>
              <thead>
                <tr>
                  <th scope="col">Présent</th>
                  <th scope="col">Personne</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Qualité</th>
                  <th scope="col">Charte</th>
                </tr>
              </thead>
              <tbody>
                {sheet.data.people.map((p) => (
                  <tr key={`${p.userId}-${p.caseReference ?? ''}`}>
                    <td>
                      <input
                        type="checkbox"
                        id={`present-${p.userId}-${p.caseReference ?? ''}`}
                        checked={p.present}
                        disabled={frozen || mark.isPending || (!p.present && !p.acceptedCurrentCharter)}
                        onChange={(e) => void toggle(p.userId, e.target.checked)}
                        aria-label={`${p.displayName} présent·e`}
                      />
                    </td>
                    <th scope="row">
                      <label htmlFor={`present-${p.userId}-${p.caseReference ?? ''}`}>{p.displayName}</label>
                    </th>
                    <td>{p.organisationName ?? '—'}</td>
                    <td>
                      {SHEET_ROLE_LABEL[p.as]}
                      {p.deputyOf ? ` de ${p.deputyOf}` : ''}
                      {p.caseReference ? ` pour ${p.caseReference}` : ''}
                    </td>
                    <td>{p.acceptedCurrentCharter ? 'acceptée' : 'pas encore acceptée'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {sheet.data && <Guests session={session} guests={sheet.data.guests} frozen={frozen} />}
    </div>
  );
}

function Guests({
  session,
  guests,
  frozen,
}: {
  session: Session;
  guests: { id: string; organisationName: string; functionLabel: string | null; caseReference: string | null }[];
  frozen: boolean;
}) {
  const organisations = useOrganisations();
  const agenda = useAgenda(session.id);
  const add = useAddGuest(session.id);
  const remove = useRemoveGuest(session.id);
  const [form, setForm] = useState<GuestForm>(EMPTY_GUEST);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const set = (patch: Partial<GuestForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = guestProblems(form);
    setErrors(problems);
    setFailure(undefined);
    setDone(undefined);
    if (Object.keys(problems).length) return;
    try {
      const added = await add.mutateAsync(guestBody(form));
      setDone(`${added.organisationName} est inscrit·e sur la feuille de présence.`);
      setForm(EMPTY_GUEST);
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(generalError(error));
    }
  };

  return (
    <section aria-labelledby="titre-partenaires" className="stack">
      <h2 id="titre-partenaires">Partenaires invités sans compte</h2>
      {guests.length ? (
        <ul className="plain-list">
          {guests.map((g) => (
            <li key={g.id}>
              {g.organisationName}
              {g.functionLabel ? `, ${g.functionLabel}` : ''}
              {g.caseReference ? ` — pour la situation ${g.caseReference}` : ''}{' '}
              {!frozen && (
                <Button
                  size="small"
                  color="neutral"
                  variant="tertiary"
                  onClick={() => void remove.mutateAsync(g.id)}
                  aria-label={`Retirer ${g.organisationName}`}
                >
                  Retirer
                </Button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Aucun partenaire sans compte n’est inscrit.</p>
      )}
      {!frozen && (
        <form className="form-section" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="titre-ajout-partenaire">
          <h3 id="titre-ajout-partenaire">Inscrire un partenaire présent</h3>
          <p className="muted">On inscrit une organisation et une fonction, jamais le nom d’une personne.</p>
          {done && (
            <div role="status">
              <Notice type={VariantType.SUCCESS}>{done}</Notice>
            </div>
          )}
          <div className="grid-2">
            <SelectField
              label="Organisation de l’annuaire"
              options={(organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              value={form.organisationId}
              onChange={(organisationId) => set({ organisationId })}
              error={errors.organisationId}
            />
            <TextField
              label="Ou son nom, si elle n’y est pas"
              value={form.organisationLabel}
              onChange={(e) => set({ organisationLabel: e.target.value })}
              error={errors.organisationLabel}
            />
            <TextField
              label="Fonction (facultatif)"
              hint="Par exemple : conseillère en économie sociale et familiale"
              value={form.functionLabel}
              onChange={(e) => set({ functionLabel: e.target.value })}
              error={errors.functionLabel}
            />
            <SelectField
              label="Pour la situation (facultatif)"
              options={(agenda.data?.items ?? []).map((i) => ({ value: i.caseId, label: i.reference }))}
              value={form.caseId}
              onChange={(caseId) => set({ caseId })}
              error={errors.caseId}
            />
          </div>
          {failure && (
            <div role="alert">
              <Notice type={VariantType.ERROR}>{failure}</Notice>
            </div>
          )}
          <div className="form-actions">
            <Button type="submit" disabled={add.isPending}>
              Inscrire
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
