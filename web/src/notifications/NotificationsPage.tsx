import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { NOTIFICATION_PAGE, useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications } from '../api/queries';
import { useUser } from '../session/SessionProvider';
import { count, dateTime } from '../shared/format';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { linkOf, sentenceOf } from './words';

/**
 * The account's notifications: unread first, then the newest, a page at a time; each leads to the
 * situation or the session it is about, and is marked read when opened (or by its button).
 */
export default function NotificationsPage() {
  usePageTitle('Notifications');
  const user = useUser();
  const [offset, setOffset] = useState(0);
  const page = useNotifications(offset);
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const data = page.data;

  return (
    <div className="page">
      <div className="page__head">
        <h1>Notifications</h1>
        {data && data.unread > 0 && (
          <Button color="neutral" variant="secondary" disabled={markAll.isPending} onClick={() => markAll.mutate()}>
            Tout marquer comme lu
          </Button>
        )}
      </div>
      <p className="lead">
        Ce qui vous attend ou vient de changer. Les notifications ne disent rien de la personne : ouvrez la situation ou la séance pour en savoir plus. Vous
        choisissez de les recevoir aussi par courriel dans <Link to="/mon-compte">Mon compte</Link>.
      </p>
      <QueryState isPending={page.isPending} error={page.error} what="les notifications" />
      {(markRead.error || markAll.error) && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>Le marquage a échoué. Réessayez.</Notice>
        </div>
      )}
      {data && (
        <>
          <p role="status">{data.unread ? count(data.unread, 'notification non lue', 'notifications non lues') : 'Tout est lu.'}</p>
          {data.items.length ? (
            <ul className="notification-list">
              {data.items.map((n) => {
                const to = linkOf(n, user.roles);
                const sentence = sentenceOf(n);
                return (
                  <li key={n.id} className={`notification${n.readAt ? '' : ' notification--unread'}`}>
                    <div className="notification__text">
                      {!n.readAt && <span className="visually-hidden">Non lue : </span>}
                      {to ? (
                        <Link to={to} onClick={() => !n.readAt && markRead.mutate(n.id)}>
                          {sentence}
                        </Link>
                      ) : (
                        sentence
                      )}
                      <span className="notification__when">{dateTime(n.at)}</span>
                    </div>
                    {!n.readAt && (
                      <Button size="small" color="neutral" variant="tertiary" disabled={markRead.isPending} onClick={() => markRead.mutate(n.id)}>
                        Marquer comme lue<span className="visually-hidden"> : {sentence}</span>
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          ) : (
            <Notice type={VariantType.INFO}>Aucune notification pour le moment.</Notice>
          )}
          {(offset > 0 || offset + NOTIFICATION_PAGE < data.total) && (
            <nav aria-label="Pages des notifications" className="pager">
              <Button
                size="small"
                color="neutral"
                variant="secondary"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - NOTIFICATION_PAGE))}
              >
                Plus récentes
              </Button>
              <span>
                {offset + 1}–{Math.min(offset + NOTIFICATION_PAGE, data.total)} sur {data.total}
              </span>
              <Button
                size="small"
                color="neutral"
                variant="secondary"
                disabled={offset + NOTIFICATION_PAGE >= data.total}
                onClick={() => setOffset(offset + NOTIFICATION_PAGE)}
              >
                Plus anciennes
              </Button>
            </nav>
          )}
        </>
      )}
    </div>
  );
}
