import { NavLink } from 'react-router';
import { useUnreadNotifications } from '../api/queries';
import { unreadLabel } from './words';

/** The header's link to the notifications, with the unread count (read again every minute). */
export function NotificationBell() {
  const unread = useUnreadNotifications().data ?? 0;
  return (
    <NavLink to="/notifications" className="header__bell" aria-label={unreadLabel(unread)}>
      <span className="material-icons" aria-hidden="true">
        notifications
      </span>
      <span aria-hidden="true">Notifications</span>
      {unread > 0 && (
        <span className="header__badge" aria-hidden="true" data-testid="unread-count">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </NavLink>
  );
}
