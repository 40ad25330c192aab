import { Button, Modal, ModalSize } from '@gouvfr-lasuite/cunningham-react';
import { useEffect, useRef, useState } from 'react';
import { useClientConfig } from '../shared/ClientConfigContext';
import { idleClock, type IdleClock } from './idle';
import { SESSION_CHANNEL, useSession } from './SessionProvider';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
const SHARE_EVERY_MS = 5_000;

/**
 * Warns before the session ends for inactivity and ends it when the time is up (the server ends
 * it too, src/auth/web-sessions.ts); while the person is active, keeps the server's clock in step.
 */
export function IdleWarning() {
  const { state, signOut, refresh } = useSession();
  const { session } = useClientConfig();
  const idleSeconds = state.status === 'signed-in' ? state.idleTimeoutSeconds : session.idleSeconds;
  const clockRef = useRef<IdleClock | null>(null);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);

  useEffect(() => {
    const clock = idleClock(idleSeconds, session.warningSeconds, Date.now());
    clockRef.current = clock;
    // Only the word "activity" crosses between tabs (same origin, in memory): no data at all.
    const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SESSION_CHANNEL);
    let lastShared = 0;
    const onActivity = () => {
      const now = Date.now();
      clock.activity(now);
      if (channel && now - lastShared >= SHARE_EVERY_MS) {
        lastShared = now;
        channel.postMessage('activity');
      }
    };
    if (channel) {
      channel.onmessage = (event: MessageEvent) => {
        if (event.data !== 'activity') return;
        // Someone is working in another tab: this one's count starts again, its warning closes.
        clock.reset(Date.now());
        setSecondsLeft(null);
      };
    }
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      const now = Date.now();
      if (clock.remaining(now) === 0) {
        window.clearInterval(timer);
        void signOut('idle');
        return;
      }
      setSecondsLeft(clock.warning(now) ? Math.ceil(clock.remaining(now) / 1000) : null);
      if (clock.keepAliveDue(now)) {
        clock.serverTouched(now);
        void refresh();
      }
    }, 1000);
    return () => {
      channel?.close();
      window.clearInterval(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, { capture: true });
    };
  }, [idleSeconds, session.warningSeconds, signOut, refresh]);

  const stay = () => {
    const now = Date.now();
    if (typeof BroadcastChannel !== 'undefined') {
      const channel = new BroadcastChannel(SESSION_CHANNEL);
      channel.postMessage('activity');
      channel.close();
    }
    clockRef.current?.reset(now);
    clockRef.current?.serverTouched(now);
    setSecondsLeft(null);
    void refresh();
  };

  return (
    <Modal
      isOpen={secondsLeft !== null}
      onClose={stay}
      size={ModalSize.MEDIUM}
      title="Votre session va se terminer"
      rightActions={
        <>
          <Button color="neutral" variant="secondary" onClick={() => void signOut()}>
            Se déconnecter
          </Button>
          <Button onClick={stay}>Rester connecté</Button>
        </>
      }
    >
      <p>
        Sans action de votre part, vous serez déconnecté dans <strong>{secondsLeft ?? 0} secondes</strong>, pour protéger les informations affichées.
      </p>
    </Modal>
  );
}
