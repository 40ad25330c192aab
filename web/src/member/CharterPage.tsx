import { Button, Checkbox, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAcceptCharter, useCharter, useCommissions } from '../api/queries';
import { dateTime, longDate } from '../shared/format';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';

/**
 * The commission's confidentiality charter: the member reads the current version, then accepts
 * it (DESIGN.md rule 7, "charter first": no attendance, no dossier before).
 */
export default function CharterPage() {
  usePageTitle('Charte de confidentialité');
  const { id = '' } = useParams();
  const charter = useCharter(id);
  const commissions = useCommissions();
  const accept = useAcceptCharter(id);
  const [read, setRead] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [missing, setMissing] = useState(false);
  const name = commissions.data?.find((c) => c.id === id)?.name;

  const onAccept = async () => {
    if (!charter.data) return;
    if (!read) return setMissing(true);
    setError(undefined);
    try {
      await accept.mutateAsync(charter.data.version);
      await charter.refetch();
    } catch (e) {
      setError(generalError(e));
    }
  };

  return (
    <div className="page page--narrow">
      <h1>Charte de confidentialité</h1>
      {name && <p className="page__sub">{name}</p>}
      <QueryState isPending={charter.isPending} error={charter.error} what="la charte" />
      {charter.data && (
        <div className="stack">
          <p className="muted">
            Version {charter.data.version}, publiée le {longDate(charter.data.publishedAt)}.
          </p>
          <section className="charter" aria-label="Texte de la charte" tabIndex={0}>
            <p className="prose">{charter.data.text}</p>
          </section>
          {charter.data.acceptedAt ? (
            <div role="status">
              <Notice type={VariantType.SUCCESS}>
                Vous avez accepté cette version le {dateTime(charter.data.acceptedAt)}. Vous pouvez enregistrer votre présence aux séances.
              </Notice>
            </div>
          ) : (
            <div className="stack">
              <Checkbox
                label="J’ai lu la charte et je m’engage à la respecter"
                checked={read}
                onChange={(e) => {
                  setRead(e.target.checked);
                  setMissing(false);
                }}
                state={missing ? 'error' : 'default'}
              />
              {missing && (
                <p className="field-error" role="alert">
                  Cochez cette case pour accepter la charte.
                </p>
              )}
              {error && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>{error}</Notice>
                </div>
              )}
              <div className="form-actions">
                <Button onClick={() => void onAccept()} disabled={accept.isPending}>
                  Accepter la charte (version {charter.data.version})
                </Button>
              </div>
            </div>
          )}
          <p>
            <Link to="/seances">Retour à mes séances</Link>
          </p>
        </div>
      )}
    </div>
  );
}
