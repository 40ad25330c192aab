import { useCaseAccesses } from '../api/queries';
import { AccessReportTable } from '../shared/AccessReportTable';
import { dateTime } from '../shared/format';
import { QueryState } from '../shared/QueryState';

/**
 * Who read what (issue 11, the Accès tab): the organisations that consulted or changed each kind
 * of information of the situation, from the access log, for those who answer the person (the
 * referrer, their service, the coordinator). Never a professional's name, never content.
 */
export function AccessTab({ id, reference }: { id: string; reference: string }) {
  const report = useCaseAccesses(id);
  if (!report.data) return <QueryState isPending={report.isPending} error={report.error} what="les accès à la situation" />;
  return (
    <section aria-label="Accès à la situation">
      <p className="lead">
        Quelles organisations ont consulté ou modifié quelles informations, et quand. La personne peut vous le demander : c’est ce que le journal des accès
        enregistre, sans nom de professionnel. État au {dateTime(report.data.generatedAt)}.
      </p>
      <AccessReportTable reference={reference} organisations={report.data.organisations} />
    </section>
  );
}
