import { Link } from 'react-router';
import type { CaseListItem } from '../api/client';
import { NEXT_STEP } from '../referrer/buckets';
import { shortDate } from '../shared/format';
import { STATE_LABEL } from '../shared/labels';

/** Situations as a table: references and states only (a list never carries a name); « Nouveau » on those changed since this account last opened them. */
export function SituationTable({ caption, items, nextStep = true }: { caption: string; items: CaseListItem[]; nextStep?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Référence</th>
            <th scope="col">État</th>
            {nextStep && <th scope="col">Prochaine étape</th>}
            <th scope="col">Créée le</th>
            <th scope="col">Mise à jour</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <th scope="row">
                <Link to={`/situations/${item.id}`}>{item.reference}</Link>
                {item.unread && (
                  <span className="badge-new">
                    Nouveau<span className="visually-hidden"> : modifiée depuis votre dernière consultation</span>
                  </span>
                )}
              </th>
              <td>
                <span className={`state state--${item.state}`}>{STATE_LABEL[item.state]}</span>
              </td>
              {nextStep && <td>{NEXT_STEP[item.state]}</td>}
              <td>{shortDate(item.createdAt)}</td>
              <td>{shortDate(item.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
