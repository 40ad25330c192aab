import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Schemas } from '../api/client';
import { useCase, useDuplicates } from '../api/queries';
import { longDate } from '../shared/format';
import { AGE_BAND_LABEL, HOUSEHOLD_LABEL, PROBLEM_LABEL, SECTOR_LABEL, STATE_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { EventActions } from '../situations/EventActions';

type Summary = Schemas['CaseSummaryViewDto'];

function Row({ term, value }: { term: string; value: string | null | undefined }) {
  return (
    <div className="dl__row">
      <dt>{term}</dt>
      <dd>{value?.trim() ? value : <span className="muted">Non renseigné</span>}</dd>
    </div>
  );
}

/**
 * Screening one referral: the points a cellule screens on (what was tried, who is involved, what
 * is expected, a minor at home), the possible duplicates by reference (found without any name),
 * and the decision — exactly the events the server allows (accept, or reject with a reason and
 * an orientation).
 */
export default function ScreeningCasePage() {
  const { id = '' } = useParams();
  const situation = useCase(id);
  const duplicates = useDuplicates(id);
  const [done, setDone] = useState<string | undefined>();
  const view = situation.data;
  usePageTitle(view ? `Saisine ${view.reference}` : 'Saisine');
  if (!view) {
    return (
      <div className="page">
        <h1>Saisine</h1>
        <QueryState isPending={situation.isPending} error={situation.error} what="la saisine" />
      </div>
    );
  }
  const summary = view.summary as Summary | undefined;
  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Saisine {view.reference}</h1>
          <p className="page__sub">
            <span className={`state state--${view.state}`}>{STATE_LABEL[view.state]}</span>
            {view.meta && <span> · créée le {longDate(view.meta.createdAt)}</span>}
          </p>
        </div>
        <Link to={`/situations/${view.id}`}>Voir la fiche complète de la situation</Link>
      </div>
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done} <Link to="/coordination/saisines">Retour aux saisines à étudier</Link>
          </Notice>
        </div>
      )}
      {view.notices.some((n) => n.code === 'child_protection') && (
        <Notice type={VariantType.WARNING}>
          Un enfant mineur vit dans le foyer. Si un enfant peut être en danger, la situation relève de la CRIP du département, pas de la cellule.
        </Notice>
      )}
      <div className="stack stack--large">
        {summary && (
          <section className="info-block" aria-labelledby="titre-criteres">
            <h2 id="titre-criteres">Les points à vérifier</h2>
            <dl className="dl">
              <Row term="Question posée à la cellule" value={summary.question} />
              <Row term="Ce qui a déjà été tenté" value={summary.alreadyTried} />
              <Row term="Partenaires déjà impliqués" value={summary.partnersInvolved.map((s) => SECTOR_LABEL[s]).join(' ; ')} />
              <Row term="Ce que le référent attend" value={summary.expectations} />
              <Row term="Enfant mineur au foyer" value={summary.minorInHousehold ? 'Oui' : 'Non'} />
              <Row term="Difficultés" value={summary.problems.map((p) => PROBLEM_LABEL[p as keyof typeof PROBLEM_LABEL]).join(' ; ')} />
              <Row
                term="La personne"
                value={`${AGE_BAND_LABEL[summary.ageBand as keyof typeof AGE_BAND_LABEL]}, ${HOUSEHOLD_LABEL[summary.household as keyof typeof HOUSEHOLD_LABEL].toLowerCase()}, ${summary.district}`}
              />
              <Row term="Récit pseudonymisé" value={summary.narrative} />
            </dl>
          </section>
        )}
        <section className="info-block" aria-labelledby="titre-doublons">
          <h2 id="titre-doublons">Doublons possibles</h2>
          <p className="muted">Recherchés sans nom : le serveur compare les identités chiffrées et ne donne que des références.</p>
          <QueryState isPending={duplicates.isPending} error={duplicates.error} what="les doublons possibles" />
          {duplicates.data &&
            (duplicates.data.duplicates.length ? (
              <ul className="plain-list">
                {duplicates.data.duplicates.map((d) => (
                  <li key={d.caseId}>
                    <Link to={`/situations/${d.caseId}`}>{d.reference}</Link> — {STATE_LABEL[d.state]}
                  </li>
                ))}
              </ul>
            ) : (
              <p>Aucun doublon trouvé : cette personne n’a pas d’autre situation dans le territoire.</p>
            ))}
        </section>
        <section aria-labelledby="titre-decision" className="actions-block">
          <h2 id="titre-decision">Votre décision</h2>
          <EventActions view={view} onDone={setDone} label="Décisions possibles" />
        </section>
      </div>
    </div>
  );
}
