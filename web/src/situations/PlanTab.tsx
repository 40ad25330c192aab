import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import type { CaseView } from '../api/client';
import { useUser } from '../session/SessionProvider';
import { longDate, relativeDay } from '../shared/format';
import { ACTION_STATUS_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { ActionUpdateDialog, type ActionToUpdate } from './ActionUpdateDialog';
import { whyNot } from './InformationsTab';

/** States in which a plan runs and its actions move (the server refuses updates otherwise). */
const PLAN_RUNS: CaseView['state'][] = ['plan_active', 'follow_up'];

/** Whether this account may move this action: its organisation owns it, or it coordinates. */
export function mayUpdate(view: CaseView, ownerOrganisationId: string, organisationId: string | null): boolean {
  if (!PLAN_RUNS.includes(view.state)) return false;
  if (view.relations.includes('coordinator')) return true;
  return view.relations.includes('action_owner') && organisationId !== null && ownerOrganisationId === organisationId;
}

export function PlanTab({ view }: { view: CaseView }) {
  const user = useUser();
  const [editing, setEditing] = useState<ActionToUpdate | undefined>();
  const [done, setDone] = useState<string | undefined>();
  if (!view.plan) return <p className="muted">Le plan d'action n'est pas communiqué à votre compte. {whyNot(view, 'plan')}</p>;
  const { actions, followUpAt } = view.plan;
  if (!actions.length) return <p className="empty">Aucun plan d'action n'a encore été adopté pour cette situation.</p>;
  const updatable = actions.some((a) => mayUpdate(view, a.ownerOrganisationId, user.organisationId));
  return (
    <div className="stack">
      <p>Prochain point d'étape : {longDate(followUpAt)}.</p>
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done}
          </Notice>
        </div>
      )}
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Actions du plan de la situation {view.reference}</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Organisation responsable</th>
              <th scope="col">Échéance</th>
              <th scope="col">État</th>
              {updatable && (
                <th scope="col">
                  <span className="visually-hidden">Mettre à jour</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.title}</th>
                <td>{a.ownerOrganisationName}</td>
                <td>
                  {longDate(a.dueAt)}
                  {a.overdue && <span className="badge badge--late"> en retard ({relativeDay(a.dueAt)})</span>}
                </td>
                <td>{ACTION_STATUS_LABEL[a.status]}</td>
                {updatable && (
                  <td>
                    {mayUpdate(view, a.ownerOrganisationId, user.organisationId) && (
                      <Button
                        size="small"
                        variant="secondary"
                        aria-label={`Mettre à jour l’action « ${a.title} »`}
                        onClick={() => setEditing({ id: a.id, caseId: view.id, reference: view.reference, title: a.title, status: a.status, dueAt: a.dueAt })}
                      >
                        Mettre à jour
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <ActionUpdateDialog
          action={editing}
          onClose={() => setEditing(undefined)}
          onDone={(message) => {
            setEditing(undefined);
            setDone(message);
          }}
        />
      )}
    </div>
  );
}
