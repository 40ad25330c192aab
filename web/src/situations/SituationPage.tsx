import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { useLocation, useParams, useSearchParams } from 'react-router';
import { useCase } from '../api/queries';
import { longDate } from '../shared/format';
import { STATE_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { usePageTitle } from '../shared/usePageTitle';
import { AccessTab } from './AccessTab';
import { ConsentBanner } from './ConsentBanner';
import { PersonDocuments } from './PersonDocuments';
import type { ScopeChoice } from './consentForm';
import { DocumentsTab } from './DocumentsTab';
import { EventActions } from './EventActions';
import { HistoryTab } from './HistoryTab';
import { InformationsTab } from './InformationsTab';
import { PlanTab } from './PlanTab';
import { WhyYouSee } from './WhyYouSee';
import { Notice } from '../shared/Notice';

type Tab = 'informations' | 'plan' | 'documents' | 'historique' | 'acces';
const TABS: { key: Tab; label: string }[] = [
  { key: 'informations', label: 'Informations' },
  { key: 'plan', label: 'Plan' },
  { key: 'documents', label: 'Documents' },
  { key: 'historique', label: 'Historique' },
  { key: 'acces', label: 'Accès' },
];

/**
 * One page per situation: its reference and state, why this account sees it, the consent banner,
 * the actions the server allows now, and tabs. The URL holds the id and the tab, never a name; the
 * title holds the reference only.
 */
export default function SituationPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const situation = useCase(id);
  const view = situation.data;
  const [done, setDone] = useState<string | undefined>((location.state as { created?: boolean } | null)?.created ? 'created' : undefined);
  // The scope printed on the last information letter, kept in memory only: the consent form starts from it.
  const [letterProposal, setLetterProposal] = useState<ScopeChoice | undefined>();
  usePageTitle(view ? `Situation ${view.reference}` : 'Situation');
  // The Accès tab is there for those the server lets read who accessed the situation.
  const tabs = TABS.filter((t) => t.key !== 'acces' || view?.mayReadAccesses);
  const tab = (tabs.find((t) => t.key === params.get('onglet'))?.key ?? 'informations') as Tab;

  if (!view) {
    return (
      <div className="page">
        <h1>Situation</h1>
        <QueryState isPending={situation.isPending} error={situation.error} what="la situation" />
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Situation {view.reference}</h1>
          <p className="page__sub">
            <span className={`state state--${view.state}`}>{STATE_LABEL[view.state]}</span>
            {view.meta && <span> · créée le {longDate(view.meta.createdAt)}</span>}
            {view.meta?.followUpAt && <span> · point d'étape le {longDate(view.meta.followUpAt)}</span>}
          </p>
        </div>
      </div>
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done === 'created' ? 'La fiche est enregistrée comme brouillon. Relisez-la, puis envoyez-la à la coordination.' : done}
          </Notice>
        </div>
      )}
      <WhyYouSee view={view} />
      {view.notices.map((notice) => (
        <Notice key={notice.code} type={VariantType.WARNING}>
          {notice.code === 'emergency'
            ? "La cellule n'est pas un service d'urgence : en cas d'urgence, appelez le 15 (SAMU) ou le 112, ou les urgences psychiatriques de l'hôpital ; pour un enfant en danger, le 119."
            : notice.code === 'child_protection' && view.summary?.ageBand === '0-17'
              ? "La personne est mineure. La cellule n'est pas un circuit de protection de l'enfance : si l'enfant peut être en danger, informez la CRIP du département, ou appelez le 119 en cas d'urgence."
              : notice.code === 'child_protection'
                ? "Un enfant mineur vit dans le foyer. La cellule n'est pas un circuit de protection de l'enfance : si un enfant peut être en danger, informez la CRIP du département, ou appelez le 119 en cas d'urgence."
                : notice.message}
        </Notice>
      ))}
      {view.state === 'draft' && view.summary?.sendBackReason !== undefined && (
        <Notice type={VariantType.WARNING}>
          <strong>La coordination vous a renvoyé cette saisine pour complément.</strong> Ce qu’il faut compléter :{' '}
          {view.summary.sendBackReason ?? 'le texte est retenu, car il nomme la personne.'} Modifiez le brouillon, puis envoyez-le à nouveau.
        </Notice>
      )}
      <ConsentBanner view={view} />
      <PersonDocuments view={view} onLetter={setLetterProposal} />
      <section aria-labelledby="titre-actions" className="actions-block">
        <h2 id="titre-actions">Ce que vous pouvez faire</h2>
        <EventActions view={view} onDone={setDone} consentProposal={letterProposal} />
      </section>
      <Tabs label="Sections de la situation" items={tabs} selected={tab} onSelect={(key) => setParams({ onglet: key }, { replace: true })}>
        {tab === 'informations' && <InformationsTab view={view} />}
        {tab === 'plan' && <PlanTab view={view} />}
        {tab === 'documents' && <DocumentsTab view={view} />}
        {tab === 'historique' && <HistoryTab id={view.id} />}
        {tab === 'acces' && <AccessTab id={view.id} reference={view.reference} />}
      </Tabs>
    </div>
  );
}
