import { Loader, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { generalError } from './problems';
import { Notice } from './Notice';

/** The loading and failed states of a screen's data, said the same way everywhere. */
export function QueryState({ isPending, error, what }: { isPending: boolean; error: unknown; what: string }) {
  if (isPending) {
    return (
      <div className="page-loader" role="status">
        <Loader aria-label={`Chargement : ${what}`} />
      </div>
    );
  }
  if (error) {
    return (
      <div role="alert">
        <Notice type={VariantType.ERROR}>{generalError(error)}</Notice>
      </div>
    );
  }
  return null;
}
