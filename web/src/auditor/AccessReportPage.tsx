import { Button } from '@gouvfr-lasuite/cunningham-react';
import { Link, useSearchParams } from 'react-router';
import type { Schemas } from '../api/client';
import { useAccessReport } from '../api/queries';
import { AccessReportTable } from '../shared/AccessReportTable';
import { count, dateTime } from '../shared/format';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { useDirectoryNames } from './directoryNames';
import { FoundSituation, REFERENCE, ReferenceForm } from './SituationPicker';
import '../styles/oversight.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a person's access request needs (GDPR art. 15): which organisations read which kinds of
 * information of their situation, first and last time, how often. The auditor finds the situation
 * by its reference; the page shows organisations and kinds, never the content.
 */
export default function AccessReportPage() {
  const [params, setParams] = useSearchParams();
  const reference = REFERENCE.test(params.get('situation') ?? '') ? params.get('situation')!.toUpperCase() : '';
  const chosen = UUID.test(params.get('sid') ?? '') ? params.get('sid')! : undefined;
  usePageTitle(reference ? `Rapport d’accès ${reference}` : 'Rapport d’accès');
  const names = useDirectoryNames();
  return (
    <div className="page">
      <h1>Rapport d’accès d’une situation</h1>
      <p className="lead">
        Pour répondre à la demande d’accès d’une personne (RGPD, article 15) : quelles organisations ont consulté quelles informations de sa situation, et
        quand. Seuls les accès autorisés y figurent ; les tentatives refusées sont dans le journal.
      </p>
      <div className="no-print">
        <ReferenceForm key={reference} initial={reference} onSubmit={(typed) => setParams({ situation: typed })} />
      </div>
      {reference && (
        <FoundSituation reference={reference} chosen={chosen} onChoose={(sid) => setParams({ situation: reference, sid })} territoryName={names.territory}>
          {(situation) => <Report situation={situation} territory={names.territory(situation.territoryId)} />}
        </FoundSituation>
      )}
    </div>
  );
}

function Report({ situation, territory }: { situation: Schemas['AuditSituationDto']; territory: string }) {
  const report = useAccessReport(situation.id);
  if (!report.data) return <QueryState isPending={report.isPending} error={report.error} what="le rapport d’accès" />;
  const { organisations, generatedAt } = report.data;
  const logLink = `/journal?${new URLSearchParams({ situation: situation.reference, sid: situation.id }).toString()}`;
  return (
    <section aria-labelledby="titre-rapport" className="report">
      <div className="results__head">
        <h2 id="titre-rapport">Situation {situation.reference}</h2>
        <div className="results__export no-print">
          <Link to={logLink}>Voir ces accès dans le journal</Link>
          <Button size="small" color="brand" variant="secondary" onClick={() => window.print()}>
            Imprimer le rapport
          </Button>
        </div>
      </div>
      <p className="muted">
        {territory} · rapport établi le {dateTime(generatedAt)} · {count(organisations.length, 'organisation', 'organisations', 'aucune organisation')} y
        {organisations.length > 1 ? ' ont' : ' a'} eu accès.
      </p>
      <AccessReportTable reference={situation.reference} organisations={organisations} />
    </section>
  );
}
