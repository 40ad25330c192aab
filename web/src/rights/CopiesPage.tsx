import { saveBlob } from '../shared/download';
import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { longDate } from '../shared/format';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { fetchRightsCopy, useMyRightsCopies, type RightsCopy } from './queries';
import '../styles/oversight.css';

/**
 * « Copies à remettre »: a person asked for a copy of her data (GDPR art. 15); the DPO found her
 * situations without seeing them, and the copy goes to her through a professional who already
 * knows her — the referrer of the situation, or the professional the coordination named. Each
 * download is recorded in the access log.
 */
export default function CopiesPage() {
  usePageTitle('Copies de données à remettre');
  const copies = useMyRightsCopies();
  const [failure, setFailure] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  async function download(c: RightsCopy) {
    setFailure(undefined);
    setDone(undefined);
    try {
      saveBlob(await fetchRightsCopy(c.requestId, c.caseId), `copie-des-donnees-${c.reference}.pdf`);
      setDone(`Copie de la situation ${c.reference} téléchargée. Remettez-la à la personne en main propre, puis supprimez le fichier de votre poste.`);
    } catch {
      setFailure(`La copie de la situation ${c.reference} n’a pas pu être téléchargée. Réessayez ; si cela persiste, prévenez la coordination.`);
    }
  }

  return (
    <div className="page">
      <h1>Copies de données à remettre</h1>
      <p className="lead">
        Une personne a demandé la copie de ses données. Vous la connaissez déjà : téléchargez la copie de chaque situation et remettez-la lui avant la date
        limite. Chaque téléchargement est enregistré dans le journal des accès.
      </p>
      <QueryState isPending={copies.isPending} error={copies.error} what="les copies à remettre" />
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done}
          </Notice>
        </div>
      )}
      {failure && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{failure}</Notice>
        </div>
      )}
      {copies.data && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Copies à remettre</caption>
            <thead>
              <tr>
                <th scope="col">Situation</th>
                <th scope="col">Demande reçue le</th>
                <th scope="col">À remettre avant le</th>
                <th scope="col">Pourquoi vous</th>
                <th scope="col">
                  <span className="visually-hidden">Télécharger</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {copies.data.items.map((c) => (
                <tr key={`${c.requestId}-${c.caseId}`}>
                  <th scope="row">{c.reference}</th>
                  <td>{longDate(c.receivedOn)}</td>
                  <td>{longDate(c.dueOn)}</td>
                  <td>{c.as === 'handler' ? 'La coordination vous a désigné' : 'Vous avez orienté cette situation'}</td>
                  <td>
                    <Button
                      size="small"
                      color="brand"
                      variant="secondary"
                      onClick={() => void download(c)}
                      aria-label={`Télécharger la copie de ${c.reference}`}
                    >
                      Télécharger la copie (PDF)
                    </Button>
                  </td>
                </tr>
              ))}
              {!copies.data.items.length && (
                <tr>
                  <td colSpan={5}>Aucune copie à remettre.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
