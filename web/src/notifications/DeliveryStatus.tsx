import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useDeliveryFailures } from '../api/queries';
import { count } from '../shared/format';
import { Notice } from '../shared/Notice';
import { deliveryLine } from './delivery';

/** The admin's line about the notification emails: off, all delivered, or what fails by category. */
export function DeliveryStatus() {
  const failures = useDeliveryFailures();
  if (!failures.data) return null;
  const line = deliveryLine(failures.data);
  const failing = failures.data.items.reduce((n, i) => n + i.count, 0);
  return (
    <div role="status" className="delivery-status">
      <Notice type={failing ? VariantType.WARNING : VariantType.INFO}>
        <strong>Courriels de notification : </strong>
        {line}
        {failing > 0 && ` (${count(failing, 'notification concernée', 'notifications concernées')})`}
      </Notice>
    </div>
  );
}
