import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { Schemas } from '../api/client';
import { useAuditSituations } from '../api/queries';
import { TextField } from '../shared/fields';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';

export const REFERENCE = /^[A-Za-z]{1,10}-\d{4}-\d{1,10}$/;

/** A reference typed by the auditor: checked, then found on the server (in their reach), one territory chosen if several. */
export function ReferenceForm({
  initial,
  onSubmit,
  label = 'Référence de la situation',
}: {
  initial: string;
  onSubmit: (reference: string) => void;
  label?: string;
}) {
  const [reference, setReference] = useState(initial);
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const typed = reference.trim().toUpperCase();
    if (!REFERENCE.test(typed)) return setError('Une référence s’écrit comme CAS-2026-0042.');
    setError(undefined);
    onSubmit(typed);
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <TextField
        label={label}
        hint="Par exemple CAS-2026-0042."
        autoComplete="off"
        value={reference}
        onChange={(e) => setReference(e.target.value)}
        error={error}
      />
      <Button type="submit">Afficher le rapport</Button>
    </form>
  );
}

/**
 * The situation of a reference, once the server found it: renders `children(situation)`, or says
 * that none bears it, or asks which territory when several do (references count per territory).
 */
export function FoundSituation({
  reference,
  chosen,
  onChoose,
  territoryName,
  children,
}: {
  reference: string;
  chosen?: string;
  onChoose: (id: string) => void;
  territoryName: (id: string) => string;
  children: (situation: Schemas['AuditSituationDto']) => ReactNode;
}) {
  const matches = useAuditSituations({ reference });
  if (!matches.data) return <QueryState isPending={matches.isPending} error={matches.error} what="la situation" />;
  const found = matches.data.length === 1 ? matches.data[0] : matches.data.find((s) => s.id === chosen);
  if (found) return <>{children(found)}</>;
  if (!matches.data.length) {
    return (
      <div role="status">
        <Notice type={VariantType.WARNING}>Aucune situation ne porte la référence {reference} dans votre périmètre. Vérifiez la référence.</Notice>
      </div>
    );
  }
  return (
    <section className="stack" aria-labelledby="titre-choix">
      <h2 id="titre-choix">Plusieurs territoires utilisent la référence {reference}</h2>
      <p>Les références sont numérotées par territoire. Choisissez celui de la situation recherchée :</p>
      <ul className="actions">
        {matches.data.map((s) => (
          <li key={s.id}>
            <Button color="brand" variant="secondary" onClick={() => onChoose(s.id)}>
              {territoryName(s.territoryId)}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
