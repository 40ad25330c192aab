import { Checkbox } from '@gouvfr-lasuite/cunningham-react';
import { CLASS_LABEL, SECTOR_LABEL } from '../shared/labels';
import { CLASS_EXPLAINED, SCOPE_CLASSES, SCOPE_SECTORS, scopeKey, type ScopeChoice } from './consentForm';

/**
 * The sector × class table of a consent scope, one checkbox per cell, with each class explained
 * in one sentence: the proposal printed on the information letter, and the consent recorded.
 */
export function ScopeTable({ value, onChange, caption }: { value: ScopeChoice; onChange: (next: ScopeChoice) => void; caption: string }) {
  return (
    <>
      <ul className="class-help">
        {SCOPE_CLASSES.map((cls) => (
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
              {SCOPE_CLASSES.map((cls) => (
                <th scope="col" key={cls}>
                  {CLASS_LABEL[cls]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SCOPE_SECTORS.map((sector) => (
              <tr key={sector}>
                <th scope="row">{SECTOR_LABEL[sector]}</th>
                {SCOPE_CLASSES.map((cls) => (
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
