import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import type { CaseView } from '../api/client';
import { useUser } from '../session/SessionProvider';
import { count, dateTime, longDate, relativeDay } from '../shared/format';
import { CANCEL_REASON_LABEL, CARRY_REASON_LABEL, HOLD_REASON_LABEL } from './afterPlanForms';
import { ACTION_STATUS_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { ActionUpdateDialog, type ActionToUpdate } from './ActionUpdateDialog';
import { BLOCK_REASON_LABEL } from './actionUpdateForm';
import { whyNot } from './InformationsTab';

/** States in which a plan runs and its actions move (the server refuses updates otherwise). */
const PLAN_RUNS: CaseView['state'][] = ['plan_active', 'follow_up', 'suspended'];

/** Whether this account may move this action: its organisation owns it, or it coordinates. */
export function mayUpdate(view: CaseView, ownerOrganisationId: string, organisationId: string | null, status?: string): boolean {
  if (!PLAN_RUNS.includes(view.state) || status === 'cancelled') return false;
  if (view.relations.includes('coordinator')) return true;
  return view.relations.includes('action_owner') && organisationId !== null && ownerOrganisationId === organisationId;
}

export function PlanTab({ view }: { view: CaseView }) {
  const user = useUser();
  const [editing, setEditing] = useState<ActionToUpdate | undefined>();
  const [done, setDone] = useState<string | undefined>();
  if (!view.plan) return <p className="muted">Le plan d'action n'est pas communiqué à votre compte. {whyNot(view, 'plan')}</p>;
  const { actions, followUpAt, hold } = view.plan;
  if (!actions.length) return <p className="empty">Aucun plan d'action n'a encore été adopté pour cette situation.</p>;
  const updatable = actions.some((a) => mayUpdate(view, a.ownerOrganisationId, user.organisationId, a.status));
  return (
    <div className="stack">
      {hold ? (
        <Notice type={VariantType.INFO}>
          Plan {hold.mode === 'watch' ? 'en veille' : 'suspendu'} depuis le {longDate(hold.since)}
          {hold.reason ? ` (${HOLD_REASON_LABEL[hold.reason].toLowerCase()})` : ''} : le délai du point d’étape est arrêté, il sera reculé d’autant à la
          reprise.
        </Notice>
      ) : (
        <p>Prochain point d'étape : {longDate(followUpAt)}.</p>
      )}
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
                <th scope="row">
                  {a.title}
                  {a.notes.length > 0 && (
                    <details className="notes">
                      <summary>{count(a.notes.length, 'note')}</summary>
                      <ol aria-label={`Notes de l’action « ${a.title} »`}>
                        {a.notes.map((n) => (
                          <li key={n.n}>
                            <span className="muted">{dateTime(n.at)} — </span>
                            {n.text ?? <em className="muted">note retenue : elle nomme la personne, le référent doit la faire réécrire</em>}
                          </li>
                        ))}
                      </ol>
                    </details>
                  )}
                </th>
                <td>{a.ownerOrganisationName}</td>
                <td>
                  {longDate(a.dueAt)}
                  {a.overdue && <span className="badge badge--late"> en retard ({relativeDay(a.dueAt)})</span>}
                  {a.carryReason && <span className="muted"> — reportée : {CARRY_REASON_LABEL[a.carryReason].toLowerCase()}</span>}
                </td>
                <td>
                  {ACTION_STATUS_LABEL[a.status]}
                  {a.cancelReason && <span className="muted"> ({CANCEL_REASON_LABEL[a.cancelReason].toLowerCase()})</span>}
                  {a.blockReason && <span className="muted"> — {BLOCK_REASON_LABEL[a.blockReason]}</span>}
                </td>
                {updatable && (
                  <td>
                    {a.status !== 'cancelled' && mayUpdate(view, a.ownerOrganisationId, user.organisationId, a.status) && (
                      <Button
                        size="small"
                        variant="secondary"
                        aria-label={`Mettre à jour l’action « ${a.title} »`}
                        onClick={() =>
                          setEditing({
                            id: a.id,
                            caseId: view.id,
                            reference: view.reference,
                            title: a.title,
                            status: a.status === 'cancelled' ? 'blocked' : a.status,
                            blockReason: a.blockReason,
                            dueAt: a.dueAt,
                          })
                        }
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
