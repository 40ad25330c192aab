import type { Schemas } from '../api/client';
import { actionLabel } from '../auditor/logWords';
import { logTime } from './format';
import { CLASS_LABEL, SECTOR_LABEL } from './labels';
import '../styles/oversight.css';

/** The kinds of information in the order the workspace shows them everywhere (reference first, health and social last). */
const CLASS_ORDER = Object.keys(CLASS_LABEL);
const byClassOrder = <T extends { class: string }>(classes: T[]): T[] =>
  [...classes].sort((a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class));

/**
 * Who accessed a situation, by organisation and kind of information: first and last time, how
 * often, which operations — never a professional's name, never content. The auditor's access
 * report and the situation's Accès tab show the same table.
 */
export function AccessReportTable({ reference, organisations }: { reference: string; organisations: Schemas['AccessReportDto']['organisations'] }) {
  return (
    <>
      {organisations.length === 0 ? (
        <p className="empty">Aucune organisation n’a encore consulté cette situation.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--report">
            <caption className="visually-hidden">Accès à la situation {reference}, par organisation et par catégorie d’information</caption>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Informations consultées</th>
                <th scope="col">Première fois</th>
                <th scope="col">Dernière fois</th>
                <th scope="col">Nombre d’accès</th>
                <th scope="col">Opérations</th>
              </tr>
            </thead>
            {organisations.map((org) => (
              <tbody key={org.id ?? 'none'}>
                {byClassOrder(org.classes).map((cls, index) => (
                  <tr key={cls.class}>
                    {index === 0 && (
                      <th scope="rowgroup" rowSpan={org.classes.length}>
                        {org.name ?? 'Sans organisation (opération du système ou de l’administration)'}
                        {org.sector && <span className="muted block">{SECTOR_LABEL[org.sector]}</span>}
                      </th>
                    )}
                    <td>{CLASS_LABEL[cls.class]}</td>
                    <td>{logTime(cls.first)}</td>
                    <td>{logTime(cls.last)}</td>
                    <td>{cls.count}</td>
                    <td>{[...new Set(cls.actions.map(actionLabel))].join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </>
  );
}
