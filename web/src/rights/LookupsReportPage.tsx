import { dateTime } from '../shared/format';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { useLookupsReport } from './queries';
import { KIND_LABEL } from './words';
import '../styles/oversight.css';

/**
 * Who watches the watchers: each search of a person by her identity that a DPO made in the
 * territory, for which request, when, and how many situations it found. Nothing else.
 */
export default function LookupsReportPage() {
  usePageTitle('Recherches du délégué à la protection des données');
  const report = useLookupsReport();
  return (
    <div className="page">
      <h1>Recherches d’identité du DPO</h1>
      <p className="lead">
        Le délégué à la protection des données ne peut rechercher une personne par son identité que pour répondre à une demande de cette personne. Chaque
        recherche est listée ici.
      </p>
      <QueryState isPending={report.isPending} error={report.error} what="les recherches" />
      {report.data && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Recherches d’identité</caption>
            <thead>
              <tr>
                <th scope="col">Quand</th>
                <th scope="col">Qui</th>
                <th scope="col">Pour une demande</th>
                <th scope="col">Situations trouvées</th>
              </tr>
            </thead>
            <tbody>
              {report.data.items.map((l, i) => (
                <tr key={`${l.requestId}-${l.at}-${i}`}>
                  <td>{dateTime(l.at)}</td>
                  <th scope="row">{l.auditorName}</th>
                  <td>{KIND_LABEL[l.kind]}</td>
                  <td>
                    {l.confirmed} sur {l.candidates} comparée{l.candidates > 1 ? 's' : ''}
                  </td>
                </tr>
              ))}
              {!report.data.items.length && (
                <tr>
                  <td colSpan={4}>Aucune recherche.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
