import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useActions, useOrganisations, type ActionItem } from '../api/queries';
import { useUser } from '../session/SessionProvider';
import { count, longDate, relativeDay } from '../shared/format';
import { ACTION_STATUS_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { usePageTitle } from '../shared/usePageTitle';
import { ActionUpdateDialog, type ActionToUpdate } from '../situations/ActionUpdateDialog';
import { BLOCK_REASON_LABEL } from '../situations/actionUpdateForm';

type Tab = 'a-faire' | 'faites';

/** The actions the account's organisation owns in running plans: due dates, overdue marks, status updates. */
export default function ActionsPage() {
  usePageTitle('Actions de mon organisation');
  const user = useUser();
  const actions = useActions({ mine: true });
  const organisation = useOrganisations().data?.find((o) => o.id === user.organisationId)?.name;
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<ActionToUpdate | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const all = actions.data ?? [];
  const open = all.filter((a) => a.status !== 'done');
  const finished = all.filter((a) => a.status === 'done');
  const late = open.filter((a) => a.overdue);
  const tab: Tab = params.get('onglet') === 'faites' ? 'faites' : 'a-faire';
  const shown = tab === 'faites' ? finished : open;

  return (
    <div className="page">
      <h1>Actions de mon organisation</h1>
      <p className="lead">
        Les actions confiées à {organisation ?? 'votre organisation'} par les plans adoptés en séance. Dites où elles en sont : la coordination et les
        partenaires suivent le plan.
      </p>
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done}
          </Notice>
        </div>
      )}
      <QueryState isPending={actions.isPending} error={actions.error} what="les actions" />
      {actions.data && late.length > 0 && (
        <Notice type={VariantType.WARNING}>{count(late.length, 'action en retard', 'actions en retard')} : leur échéance est passée.</Notice>
      )}
      {actions.data && (
        <Tabs
          label="Actions par état"
          items={[
            { key: 'a-faire' as const, label: 'À faire', count: open.length },
            { key: 'faites' as const, label: 'Faites', count: finished.length },
          ]}
          selected={tab}
          onSelect={(key) => setParams({ onglet: key }, { replace: true })}
        >
          {shown.length ? (
            <ActionTable items={shown} onUpdate={setEditing} />
          ) : (
            <p className="empty">{tab === 'faites' ? 'Aucune action terminée.' : 'Aucune action ne vous attend.'}</p>
          )}
        </Tabs>
      )}
      {editing && (
        <ActionUpdateDialog
          action={editing}
          onClose={() => setEditing(undefined)}
          onDone={(message) => {
            setEditing(undefined);
            setDone(message);
          }}
        />
      )}
    </div>
  );
}

export function ActionTable({ items, onUpdate, owner = false }: { items: ActionItem[]; onUpdate?: (action: ActionToUpdate) => void; owner?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Actions, de la plus proche échéance à la plus lointaine</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Situation</th>
            {owner && <th scope="col">Organisation</th>}
            <th scope="col">Échéance</th>
            <th scope="col">État</th>
            {onUpdate && (
              <th scope="col">
                <span className="visually-hidden">Mettre à jour</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <th scope="row">{a.title}</th>
              <td>
                <Link to={`/situations/${a.caseId}?onglet=plan`}>{a.reference}</Link>
              </td>
              {owner && <td>{a.ownerOrganisationName}</td>}
              <td>
                {longDate(a.dueAt)}
                <br />
                {a.overdue ? (
                  <span className="badge badge--late">En retard ({relativeDay(a.dueAt)})</span>
                ) : (
                  <span className="muted">{relativeDay(a.dueAt)}</span>
                )}
              </td>
              <td>
                {ACTION_STATUS_LABEL[a.status]}
                {a.blockReason && <span className="muted"> — {BLOCK_REASON_LABEL[a.blockReason]}</span>}
              </td>
              {onUpdate && (
                <td>
                  <Button
                    size="small"
                    color="brand"
                    variant="secondary"
                    aria-label={`Mettre à jour l’action « ${a.title} » (${a.reference})`}
                    onClick={() =>
                      onUpdate({
                        id: a.id,
                        caseId: a.caseId,
                        reference: a.reference,
                        title: a.title,
                        status: a.status,
                        blockReason: a.blockReason,
                        dueAt: a.dueAt,
                      })
                    }
                  >
                    Mettre à jour
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
