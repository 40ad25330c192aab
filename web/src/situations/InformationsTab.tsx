import type { CaseView, Schemas } from '../api/client';
import { longDate } from '../shared/format';
import { LEGAL_BASIS_LABEL, REPORT_AUTHOR_LABEL, REPORT_KIND_LABEL } from './afterPlanForms';
import {
  AGE_BAND_LABEL,
  CLASS_LABEL,
  HOUSEHOLD_LABEL,
  PARENT_RELATION_LABEL,
  PLAN_AGREEMENT_LABEL,
  PROBLEM_LABEL,
  PROTECTION_LABEL,
  SECTOR_LABEL,
  WITHHELD_LABEL,
} from '../shared/labels';

type Summary = Schemas['CaseSummaryViewDto'];

function Item({ term, value }: { term: string; value: string | null | undefined }) {
  return (
    <div className="dl__row">
      <dt>{term}</dt>
      <dd>{value?.trim() ? value : <span className="muted">Non renseigné</span>}</dd>
    </div>
  );
}

/** Why a class is not in the answer, from the server's `withheld` code (never guessed at). */
export function whyNot(view: CaseView, cls: keyof typeof CLASS_LABEL): string {
  const reason = view.withheld?.[cls];
  return reason ? WITHHELD_LABEL[reason] : 'Ces informations ne sont pas communiquées à votre compte.';
}

type Level = 2 | 3 | 4;

function H({ level, id, children }: { level: Level; id: string; children: string }) {
  const Tag = `h${level}` as const;
  return <Tag id={id}>{children}</Tag>;
}

/** A protected class this account does not receive: said, with the reason. */
function NotShared({ view, cls, level }: { view: CaseView; cls: 'identity' | 'social' | 'health'; level: Level }) {
  const id = `titre-${cls}-${view.id}`;
  return (
    <section className="info-block" aria-labelledby={id}>
      <H level={level} id={id}>
        {CLASS_LABEL[cls]}
      </H>
      <p className="muted">Non communiqué à votre compte. {whyNot(view, cls)}</p>
    </section>
  );
}

/**
 * The situation's content as released to this account; `headingLevel` fits it under the page's
 * headings. `showWithheld`: say, class by class, what is not shared and why (off where a
 * DisclosureList above already says it).
 */
export function InformationsTab({ view, headingLevel = 2, showWithheld = true }: { view: CaseView; headingLevel?: Level; showWithheld?: boolean }) {
  const summary = view.summary as Summary | undefined;
  const erased = new Set(view.erased ?? []);
  const level = headingLevel;
  const id = (what: string) => `titre-${what}-${view.id}`;
  return (
    <div className="stack stack--large">
      {summary && (
        <section className="info-block" aria-labelledby={id('resume')}>
          <H level={level} id={id('resume')}>
            Résumé pseudonymisé
          </H>
          <dl className="dl">
            <Item term="Tranche d'âge" value={AGE_BAND_LABEL[summary.ageBand as keyof typeof AGE_BAND_LABEL]} />
            <Item term="Quartier" value={summary.district} />
            <Item term="Foyer" value={HOUSEHOLD_LABEL[summary.household as keyof typeof HOUSEHOLD_LABEL]} />
            <Item term="Difficultés" value={summary.problems.map((p) => PROBLEM_LABEL[p as keyof typeof PROBLEM_LABEL]).join(' ; ')} />
            <Item term="Question posée à la cellule" value={summary.question} />
            <Item term="Récit" value={summary.narrative} />
            <Item term="Déjà tenté" value={summary.alreadyTried} />
            <Item term="Partenaires impliqués" value={summary.partnersInvolved.map((s) => SECTOR_LABEL[s]).join(' ; ')} />
            <Item term="Attentes" value={summary.expectations} />
            <Item term="Enfant mineur au foyer" value={summary.minorInHousehold ? 'Oui' : 'Non'} />
            {summary.sendBackReason !== undefined && (
              <Item term="Renvoyée pour complément" value={summary.sendBackReason ?? 'Texte retenu (il nomme la personne)'} />
            )}
            {view.meta?.planAgreement && <Item term="Adhésion de la personne au plan" value={PLAN_AGREEMENT_LABEL[view.meta.planAgreement]} />}
            {summary.rejectReason && <Item term="Raison du refus" value={summary.rejectReason} />}
            {summary.suggestedOrientation && <Item term="Orientation proposée" value={summary.suggestedOrientation} />}
          </dl>
        </section>
      )}
      {view.identity ? (
        <section className="info-block info-block--protected" aria-labelledby={id('identity')}>
          <H level={level} id={id('identity')}>
            {CLASS_LABEL.identity}
          </H>
          <dl className="dl">
            {'lastName' in view.identity && <Item term="Nom" value={view.identity.lastName} />}
            {'firstName' in view.identity && <Item term="Prénom" value={view.identity.firstName} />}
            {'birthDate' in view.identity && (
              <Item
                term="Date de naissance"
                value={/^\d{4}$/.test(view.identity.birthDate ?? '') ? `${view.identity.birthDate} (année seule)` : longDate(view.identity.birthDate)}
              />
            )}
            {'address' in view.identity && <Item term="Adresse" value={view.identity.address} />}
            {'phone' in view.identity && <Item term="Téléphone" value={view.identity.phone} />}
            {'email' in view.identity && <Item term="Adresse électronique" value={view.identity.email} />}
            {view.identity.parentalAuthority?.map((parent, i) => (
              <Item
                key={i}
                term={`Autorité parentale : ${PARENT_RELATION_LABEL[parent.relation].toLowerCase()}`}
                value={[`${parent.firstName} ${parent.lastName}`, parent.phone, parent.address].filter(Boolean).join(' · ')}
              />
            ))}
          </dl>
        </section>
      ) : erased.has('identity') || !showWithheld ? null : (
        <NotShared view={view} cls="identity" level={level} />
      )}
      {(['social', 'health'] as const).map((cls) =>
        view[cls] ? (
          <section key={cls} className="info-block info-block--protected" aria-labelledby={id(cls)}>
            <H level={level} id={id(cls)}>
              {CLASS_LABEL[cls]}
            </H>
            <p className="prose">{view[cls]?.narrative?.trim() ? view[cls]?.narrative : <span className="muted">Non renseigné</span>}</p>
            {cls === 'social' && view.social?.protectionMeasure && (
              <dl className="dl">
                <Item term="Mesure de protection" value={PROTECTION_LABEL[view.social.protectionMeasure]} />
                {view.social.protectionOrganisation && <Item term="Service mandataire" value={view.social.protectionOrganisation} />}
              </dl>
            )}
            {/* A closing outcome written in free text is released like health content, not with the summary. */}
            {cls === 'health' && view.health?.outcomeText && (
              <dl className="dl">
                <Item term="Résultat de la clôture" value={view.health.outcomeText} />
              </dl>
            )}
          </section>
        ) : erased.has(cls) || !showWithheld ? null : (
          <NotShared key={cls} view={view} cls={cls} level={level} />
        ),
      )}
      {view.externalReports?.length ? (
        <section className="info-block info-block--protected" aria-labelledby={id('reports')}>
          <H level={level} id={id('reports')}>
            Signalements et mesures hors de la cellule
          </H>
          <ul className="stack">
            {view.externalReports.map((r) => (
              <li key={r.id}>
                <strong>{REPORT_KIND_LABEL[r.kind]}</strong> — le {longDate(r.madeAt)}, {REPORT_AUTHOR_LABEL[r.madeBy].toLowerCase()} ·{' '}
                {LEGAL_BASIS_LABEL[r.legalBasis]}
                {r.note && <span className="muted"> · {r.note}</span>}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {erased.size > 0 && (
        <p className="muted">Les informations protégées de cette situation ont été effacées (durée de conservation atteinte ou demande de la personne).</p>
      )}
    </div>
  );
}
