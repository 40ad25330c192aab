import { Link } from 'react-router';
import { useCases } from '../api/queries';
import { count, longDate, relativeDay } from '../shared/format';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';

/** The referrals waiting to be screened, oldest first. */
export default function ScreeningPage() {
  usePageTitle('Saisines à étudier');
  const cases = useCases();
  const waiting = (cases.data ?? []).filter((c) => c.state === 'submitted').sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  return (
    <div className="page">
      <h1>Saisines à étudier</h1>
      <p className="lead">
        Pour chaque saisine, vérifiez qu’elle relève de la cellule : les dispositifs habituels ont été essayés, ce n’est pas une urgence, la question posée est
        claire. Puis acceptez-la, ou orientez-la ailleurs.
      </p>
      <QueryState isPending={cases.isPending} error={cases.error} what="les saisines" />
      {cases.data &&
        (waiting.length ? (
          <>
            <p>{count(waiting.length, 'saisine à étudier', 'saisines à étudier')}, de la plus ancienne à la plus récente.</p>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Saisines à étudier</caption>
                <thead>
                  <tr>
                    <th scope="col">Référence</th>
                    <th scope="col">Reçue</th>
                    <th scope="col">Créée le</th>
                  </tr>
                </thead>
                <tbody>
                  {waiting.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <Link to={`/coordination/saisines/${c.id}`}>Étudier la saisine {c.reference}</Link>
                      </th>
                      <td>{relativeDay(c.updatedAt)}</td>
                      <td>{longDate(c.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p className="empty">Aucune saisine n’attend d’être étudiée.</p>
        ))}
    </div>
  );
}
