import { recordPdfHref, type SessionRecord } from '../api/queries';
import { dateTime, sessionWhen } from '../shared/format';
import { OUTCOME_LABEL, type Outcome } from '../shared/labels';
import { DECISION_LABEL, DEFERRAL_LABEL, SHEET_ROLE_LABEL, type Decision, type DeferralReason } from './recordForms';

const HELD = 'Texte retenu : il nomme la personne. Le référent est invité à le faire reformuler.';

function Text({ value, empty }: { value: { text: string | null; held: boolean } | null; empty: string }) {
  if (!value) return <p className="muted">{empty}</p>;
  if (value.held && value.text === null) return <p className="muted">{HELD}</p>;
  return (
    <p className="record__text">
      {value.text}
      {value.held && <span className="muted"> ({HELD})</span>}
    </p>
  );
}

/** A decision in French, with its reason (a deferral) or its outcome (a closing). */
export function decisionText(item: { decision: string | null; deferralReason: string | null; outcome: string | null }): string {
  if (!item.decision) return 'Décision non renseignée';
  let text: string = DECISION_LABEL[item.decision as Decision];
  if (item.deferralReason) text += ` — motif : ${DEFERRAL_LABEL[item.deferralReason as DeferralReason].toLowerCase()}`;
  if (item.outcome) text += ` — issue : ${OUTCOME_LABEL[item.outcome as Outcome].toLowerCase()}`;
  return text;
}

/**
 * The session's record as the account may read it (attendees: every situation; a referrer: their
 * own, once closed): who attended, and per situation the decision, the commission's analysis and
 * recommendations, the written contributions. Closed: frozen, and downloadable as a PDF.
 */
export function RecordView({ record, headingLevel = 2 }: { record: SessionRecord; headingLevel?: 2 | 3 }) {
  const H = `h${headingLevel}` as 'h2' | 'h3';
  const Sub = `h${headingLevel + 1}` as 'h3' | 'h4';
  return (
    <div className="stack stack--large record">
      <p>
        {record.commissionName} · séance du {sessionWhen(record.startsAt, record.endsAt)} ·{' '}
        {record.closedAt ? <strong>relevé clos le {dateTime(record.closedAt)}</strong> : <strong>relevé en cours de rédaction</strong>}
      </p>
      {record.closedAt && (
        <p>
          <a className="c__button c__button--brand c__button--brand--secondary c__button--small" href={recordPdfHref(record.sessionId)} download>
            Télécharger le relevé (PDF)
          </a>
        </p>
      )}
      <section aria-labelledby="titre-presents">
        <H id="titre-presents">Présents</H>
        {record.attendees.length || record.guests.length ? (
          <ul className="plain-list">
            {record.attendees.map((a) => (
              <li key={`${a.displayName}-${a.caseReference ?? ''}`}>
                {a.displayName}
                {a.organisationName ? ` (${a.organisationName})` : ''}, {SHEET_ROLE_LABEL[a.as as keyof typeof SHEET_ROLE_LABEL]}
                {a.caseReference ? ` pour la situation ${a.caseReference}` : ''}
              </li>
            ))}
            {record.guests.map((g, i) => (
              <li key={`guest-${i}`}>
                {g.organisationName}
                {g.functionLabel ? `, ${g.functionLabel}` : ''} (partenaire invité){g.caseReference ? ` pour la situation ${g.caseReference}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Aucune présence enregistrée.</p>
        )}
      </section>
      <section aria-labelledby="titre-situations-examinees" className="stack">
        <H id="titre-situations-examinees">Situations examinées</H>
        {!record.items.length && <p className="muted">Aucune situation ne vous est communiquée dans ce relevé.</p>}
        {record.items.map((item) => (
          <article key={item.caseId} className="dossier-item" aria-labelledby={`releve-${item.caseId}`}>
            <Sub id={`releve-${item.caseId}`}>Situation {item.reference}</Sub>
            <p>
              <strong>Décision :</strong> {decisionText(item)}
            </p>
            <p className="record__label">Analyse de la commission</p>
            <Text value={item.analysis} empty="Non renseignée." />
            <p className="record__label">Préconisations</p>
            <Text value={item.recommendations} empty="Non renseignées." />
            {item.contributions.length > 0 && (
              <>
                <p className="record__label">Contributions écrites reçues avant la séance</p>
                <ul className="plain-list">
                  {item.contributions.map((c, i) => (
                    <li key={i}>
                      <strong>{c.organisationName ?? c.authorName}</strong> : {c.held && c.text === null ? HELD : c.text}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </article>
        ))}
      </section>
    </div>
  );
}
