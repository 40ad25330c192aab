import { Alert, iconFromType, VariantType, type AlertProps } from '@gouvfr-lasuite/cunningham-react';

const PREFIX: Record<VariantType, string> = {
  [VariantType.INFO]: 'Information : ',
  [VariantType.SUCCESS]: 'Succès : ',
  [VariantType.WARNING]: 'Attention : ',
  [VariantType.ERROR]: 'Erreur : ',
  [VariantType.NEUTRAL]: '',
};

/**
 * Cunningham's Alert, with its icon hidden from screen readers (its ligature, « cancel » or
 * « error_outline », would be read out in English) and the kind of message said in French instead.
 */
export function Notice({ type = VariantType.INFO, children, ...props }: AlertProps) {
  return (
    <Alert
      type={type}
      icon={
        <div className="c__alert__icon" aria-hidden="true">
          <span className="material-icons">{iconFromType(type)}</span>
        </div>
      }
      {...props}
    >
      {/* One block: Cunningham lays an alert's children out in a row. */}
      <div className="notice__body">
        <span className="visually-hidden">{PREFIX[type]}</span>
        {children}
      </div>
    </Alert>
  );
}
