import { useParams } from 'react-router';
import { useRecord } from '../api/queries';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { RecordView } from './RecordView';

/**
 * The record of one session (relevé de décisions), for whoever may read it: the session's
 * attendees and the coordination; each referrer, once it is closed, the part about their own
 * situations. The server decides (403 otherwise: said in French).
 */
export default function RecordPage() {
  const { id = '' } = useParams();
  usePageTitle('Relevé de décisions');
  const record = useRecord(id);
  return (
    <div className="page">
      <h1>Relevé de décisions</h1>
      <QueryState isPending={record.isPending} error={record.error} what="le relevé de décisions" />
      {record.data && <RecordView record={record.data} />}
    </div>
  );
}
