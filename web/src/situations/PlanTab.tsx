import type { CaseView } from '../api/client';
import { longDate } from '../shared/format';
import { ACTION_STATUS_LABEL } from '../shared/labels';
import { whyNot } from './InformationsTab';

export function PlanTab({ view }: { view: CaseView }) {
  if (!view.plan) return <p className="muted">Le plan d'action n'est pas communiqué à votre compte. {whyNot(view, 'plan')}</p>;
  const { actions, followUpAt } = view.plan;
  if (!actions.length) return <p className="empty">Aucun plan d'action n'a encore été adopté pour cette situation.</p>;
  return (
    <div className="stack">
      <p>Prochain point d'étape : {longDate(followUpAt)}.</p>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Actions du plan</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Organisation responsable</th>
              <th scope="col">Échéance</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <tr key={a.id}>
                <th scope="row">{a.title}</th>
                <td>{a.ownerOrganisationName}</td>
                <td>
                  {longDate(a.dueAt)}
                  {a.overdue && <span className="badge badge--late"> en retard</span>}
                </td>
                <td>{ACTION_STATUS_LABEL[a.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
