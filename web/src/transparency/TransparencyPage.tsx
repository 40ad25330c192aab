import { Button, Input, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useClientConfig } from '../shared/ClientConfigContext';
import { longDate, logTime } from '../shared/format';
import { CLASS_LABEL, SECTOR_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { usePageTitle } from '../shared/usePageTitle';
import { consentSentence, refusalText, transparencyProblems, type TransparencyAnswer } from './transparencyForm';
import '../styles/oversight.css';

/**
 * The person's page, outside sign-in (issue 15): with the reference and the code of their latest
 * receipt, which organisations read which kinds of information of their record and when, their
 * consent and how to withdraw it. Plain French, short sentences. Nothing is kept in the browser:
 * the answer lives in this page's memory only.
 */
export default function TransparencyPage() {
  const { operator } = useClientConfig();
  usePageTitle('Qui a lu mon dossier ?');
  const [reference, setReference] = useState('');
  const [code, setCode] = useState('');
  const [problems, setProblems] = useState<{ reference?: string; code?: string }>({});
  const [refusal, setRefusal] = useState<string | undefined>();
  const [answer, setAnswer] = useState<TransparencyAnswer | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = transparencyProblems(reference, code);
    setProblems(found);
    setRefusal(undefined);
    if (found.reference || found.code) return;
    setBusy(true);
    try {
      const result = await api.POST('/transparency', { body: { reference: reference.trim(), code: code.trim() } });
      if (result.response.ok && result.data) {
        setAnswer(result.data);
        setCode('');
      } else {
        setAnswer(undefined);
        setRefusal(refusalText(result.response.status));
      }
    } catch {
      setRefusal(refusalText(undefined));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <main id="contenu" className="signin__card transparency">
        <p className="muted">{operator.name}</p>
        <h1>Qui a lu mon dossier ?</h1>
        {!answer && (
          <>
            <p>Cette page est pour la personne dont la situation est suivie par la cellule.</p>
            <p>Vous avez reçu un récépissé. Il donne la référence de votre situation et un code.</p>
            <form onSubmit={(e) => void submit(e)} noValidate className="stack">
              {refusal && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>{refusal}</Notice>
                </div>
              )}
              <Input
                label="Référence de votre situation"
                text={problems.reference ?? 'Par exemple : CAS-2026-0012'}
                value={reference}
                onChange={(e) => setReference(e.target.value)}
                state={problems.reference ? 'error' : 'default'}
                autoComplete="off"
                fullWidth
              />
              <Input
                label="Code du récépissé"
                text={problems.code ?? '20 signes, en 5 groupes de 4. Les majuscules et les tirets ne comptent pas.'}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                state={problems.code ? 'error' : 'default'}
                autoComplete="off"
                fullWidth
              />
              <Button type="submit" color="brand" disabled={busy}>
                Voir qui a lu mon dossier
              </Button>
            </form>
          </>
        )}
        {answer && <Answer answer={answer} onClose={() => setAnswer(undefined)} />}
      </main>
    </div>
  );
}

function Answer({ answer, onClose }: { answer: TransparencyAnswer; onClose: () => void }) {
  return (
    <div className="stack">
      <p>
        Situation <strong>{answer.reference}</strong>. Page établie le {longDate(answer.generatedAt)}.
      </p>
      <section aria-labelledby="titre-accord" className="stack">
        <h2 id="titre-accord">Votre accord</h2>
        <p>{consentSentence(answer.consent)}</p>
        {answer.consent.scope.length > 0 && (
          <>
            <p>Vous avez accepté de partager :</p>
            <ul>
              {answer.consent.scope.map((s) => (
                <li key={s.sector}>
                  avec {SECTOR_LABEL[s.sector]} : {s.classes.map((c) => CLASS_LABEL[c].toLowerCase()).join(', ')}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="titre-lectures" className="stack">
        <h2 id="titre-lectures">Qui a lu votre dossier</h2>
        <p>Nous montrons les services, pas les noms des personnes. Nous ne montrons pas ce qui est écrit.</p>
        {answer.accesses.length === 0 ? (
          <p className="empty">Personne n’a encore lu votre dossier.</p>
        ) : (
          // Scrollable on a narrow screen: reachable with the keyboard, named for screen readers.
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Tableau des services qui ont lu votre dossier">
            <table className="table table--report">
              <caption className="visually-hidden">Services qui ont lu votre dossier, et quand</caption>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Ce qu’il a lu</th>
                  <th scope="col">Première fois</th>
                  <th scope="col">Dernière fois</th>
                  <th scope="col">Nombre de fois</th>
                </tr>
              </thead>
              {answer.accesses.map((org, i) => (
                <tbody key={`${org.organisation ?? 'service'}-${i}`}>
                  {org.classes.map((cls, index) => (
                    <tr key={cls.class}>
                      {index === 0 && (
                        <th scope="rowgroup" rowSpan={org.classes.length}>
                          {org.organisation ?? 'La cellule elle-même (opérations automatiques)'}
                          {org.sector && <span className="muted block">{SECTOR_LABEL[org.sector]}</span>}
                        </th>
                      )}
                      <td>{CLASS_LABEL[cls.class]}</td>
                      <td>{logTime(cls.first)}</td>
                      <td>{logTime(cls.last)}</td>
                      <td>{cls.count}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="titre-retrait" className="stack">
        <h2 id="titre-retrait">Changer d’avis</h2>
        <p>{answer.withdrawal}</p>
      </section>
      <section aria-labelledby="titre-droits" className="stack">
        <h2 id="titre-droits">Vos droits</h2>
        <p>Vous pouvez demander à voir, corriger ou effacer les informations sur vous. Nous répondons dans un délai d’un mois.</p>
        <p>
          Écrivez au délégué à la protection des données : {answer.dpo.name}, {answer.dpo.contact}.
        </p>
      </section>
      <Button color="brand" variant="secondary" onClick={onClose}>
        Fermer cette page
      </Button>
    </div>
  );
}
