import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useRef, useState } from 'react';
import { useVerifyLog } from '../api/queries';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { verifyWords } from './verifyReport';
import '../styles/oversight.css';

/**
 * The chain verification: the server seals what is pending, recomputes every entry's hash and
 * checks every signed checkpoint; the page says the result in plain words.
 */
export default function VerifyPage() {
  usePageTitle('Vérification du journal');
  const verify = useVerifyLog();
  const [at, setAt] = useState<string>();
  const result = useRef<HTMLDivElement>(null);
  const run = async () => {
    try {
      await verify.mutateAsync();
    } catch {
      // said by QueryState below
    }
    setAt(new Date().toISOString());
    requestAnimationFrame(() => result.current?.focus());
  };
  const words = verify.data && at ? verifyWords(verify.data, at) : undefined;
  return (
    <div className="page page--narrow">
      <h1>Vérification du journal</h1>
      <p className="lead">
        Chaque entrée du journal est chaînée à la précédente par une empreinte, et des points de contrôle sont signés régulièrement. La vérification recalcule
        toute la chaîne : si une entrée a été modifiée, supprimée ou déplacée, elle le dit et désigne la première entrée qui n’est plus fiable.
      </p>
      <p>
        La vérification relit tout le journal : elle peut prendre quelques secondes. Elle est elle-même inscrite au journal. La même vérification se fait hors
        ligne avec la commande <code>npm run audit:verify</code>.
      </p>
      <div className="form-actions">
        <Button onClick={() => void run()} disabled={verify.isPending}>
          {verify.isPending ? 'Vérification en cours…' : words ? 'Vérifier à nouveau' : 'Vérifier le journal'}
        </Button>
      </div>
      <div ref={result} tabIndex={-1} className="verify-result" aria-live="polite">
        {verify.isPending && <QueryState isPending error={undefined} what="la vérification du journal" />}
        {verify.error && <QueryState isPending={false} error={verify.error} what="la vérification du journal" />}
        {words && !verify.isPending && (
          <Notice type={words.type}>
            <p className="consent-banner__title">{words.title}</p>
            {words.lines.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </Notice>
        )}
        {words && verify.data && !verify.isPending && (
          <details className="details">
            <summary>Détails techniques (pour l’hébergeur)</summary>
            <dl className="dl">
              <div className="dl__row">
                <dt>Positions vérifiées</dt>
                <dd>
                  {verify.data.firstSeq ?? '—'} à {verify.data.lastSeq ?? '—'}
                </dd>
              </div>
              <div className="dl__row">
                <dt>Clés de signature reconnues</dt>
                <dd>{verify.data.keyIds.join(', ') || '—'}</dd>
              </div>
              <div className="dl__row">
                <dt>Clé publique actuelle</dt>
                <dd className="mono">{verify.data.publicKey ?? '—'}</dd>
              </div>
            </dl>
          </details>
        )}
      </div>
      {!words && !verify.isPending && !verify.error && <Notice type={VariantType.INFO}>Le résultat s’affichera ici, avec la date de la vérification.</Notice>}
    </div>
  );
}
