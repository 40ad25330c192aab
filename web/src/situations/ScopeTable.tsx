import { Checkbox } from '@gouvfr-lasuite/cunningham-react';
import { CLASS_LABEL, SECTOR_LABEL } from '../shared/labels';
import { CLASS_EXPLAINED, scopeKey, type Proposable, type ScopeChoice } from './consentForm';

/**
 * The sector × class table of a consent scope, one checkbox per cell, with each class explained
 * in one sentence: the proposal printed on the information letter, and the consent recorded. It
 * draws exactly the sectors and classes that may be proposed (served with the situation).
 */
export function ScopeTable({
  value,
  onChange,
  caption,
  proposable,
}: {
  value: ScopeChoice;
  onChange: (next: ScopeChoice) => void;
  caption: string;
  proposable: Proposable;
}) {
  return (
    <>
      <ul className="class-help">
        {proposable.classes.map((cls) => (
          <li key={cls}>
            <strong>{CLASS_LABEL[cls]}</strong> : {CLASS_EXPLAINED[cls]}
          </li>
        ))}
      </ul>
      <div className="table-wrap">
        <table className="table table--scope">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Secteur</th>
              {proposable.classes.map((cls) => (
                <th scope="col" key={cls}>
                  {CLASS_LABEL[cls]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {proposable.sectors.map((sector) => (
              <tr key={sector}>
                <th scope="row">{SECTOR_LABEL[sector]}</th>
                {proposable.classes.map((cls) => (
                  <td key={cls}>
                    <Checkbox
                      aria-label={`${CLASS_LABEL[cls]} — ${SECTOR_LABEL[sector]}`}
                      checked={Boolean(value[scopeKey(sector, cls)])}
                      onChange={(e) => onChange({ ...value, [scopeKey(sector, cls)]: e.target.checked })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
