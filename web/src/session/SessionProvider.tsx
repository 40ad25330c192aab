import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type PropsWithChildren } from 'react';
import { api, onUnauthenticated, setCsrfToken, type Me } from '../api/client';
import { postPending } from '../api/pending';
import { interpretSignInAnswer, type SignInStep } from './signInAnswer';
import { rememberLogoutState } from './logoutState';

/** The tabs of the workspace share one session; they tell each other of activity and sign-out (words only). */
export const SESSION_CHANNEL = 'cellule-session';

/** Why the person is on the sign-in screen, said there in plain words. */
export type SignedOutReason = 'signed-out' | 'idle' | 'expired' | 'ended';

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; reason?: SignedOutReason }
  | { status: 'signed-in'; user: Me; idleTimeoutSeconds: number; provider?: string | null };

interface SessionApi {
  state: SessionState;
  /** Sends the email and password; answers the next step (signed in, second factor, new password). */
  signIn(email: string, password: string): Promise<SignInStep>;
  /** The second factor or the new password of a step, with the step's challenge token. */
  completeStep(step: Exclude<SignInStep, { kind: 'signed-in' }>, value: string): Promise<SignInStep>;
  signOut(reason?: SignedOutReason): Promise<void>;
  /** After a provider's sign-in sent the browser back for the second factor (POST /auth/oidc/continue): that step. */
  continueProvider(): Promise<SignInStep>;
  /** Confirms the link an email match proposed (POST /auth/oidc/confirm-link): signed in, or the second factor. */
  confirmLink(): Promise<SignInStep>;
  /** Re-reads the session (keep-alive; after a reload). */
  refresh(): Promise<boolean>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

let pendingCheck: ReturnType<typeof checkSession> | undefined;

function checkSession() {
  return api.GET('/auth/session');
}

/**
 * Asks the server whether this browser's session is open. main.tsx calls it before React renders,
 * so the answer travels while the page starts; the provider takes that same answer once.
 */
export function startSessionCheck(): void {
  pendingCheck ??= checkSession();
}

function firstSessionCheck() {
  const check = pendingCheck ?? checkSession();
  pendingCheck = undefined;
  return check;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in account (for screens behind RequireSession). */
export function useUser(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useUser without a session');
  return state.user;
}

function reasonOf(code: string | undefined): SignedOutReason {
  if (code === 'session_idle') return 'idle';
  if (code === 'session_expired') return 'expired';
  return 'ended';
}

export function SessionProvider({ children }: PropsWithChildren) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'checking' });

  const forget = useCallback(
    (reason?: SignedOutReason) => {
      setCsrfToken(undefined);
      // What was read in this session (situations, names) leaves the page's memory with it.
      queryClient.clear();
      setState({ status: 'signed-out', reason });
    },
    [queryClient],
  );

  const refresh = useCallback(async () => {
    const { data, response } = await api.GET('/auth/session');
    if (!response.ok || !data) return false;
    setCsrfToken(data.csrfToken);
    setState({ status: 'signed-in', user: data.user, idleTimeoutSeconds: data.idleTimeoutSeconds, provider: data.provider });
    return true;
  }, []);

  // After a load or a reload: is this browser's session still open?
  useEffect(() => {
    let live = true;
    firstSessionCheck()
      .then(({ data, response }) => {
        if (!live) return;
        if (response.ok && data) {
          setCsrfToken(data.csrfToken);
          setState({ status: 'signed-in', user: data.user, idleTimeoutSeconds: data.idleTimeoutSeconds, provider: data.provider });
        } else setState({ status: 'signed-out' });
      })
      .catch(() => {
        if (live) setState({ status: 'signed-out' });
      });
    return () => {
      live = false;
    };
  }, []);

  // A 401 while signed in: the session ended on the server (inactivity, maximum duration, signed
  // out in another tab). Before sign-in a 401 is the normal answer and changes nothing.
  const signedIn = useRef(false);
  useEffect(() => {
    signedIn.current = state.status === 'signed-in';
  }, [state.status]);
  useEffect(
    () =>
      onUnauthenticated((problem) => {
        if (signedIn.current) forget(reasonOf(problem?.reason));
      }),
    [forget],
  );

  const afterStep = useCallback(
    async (step: SignInStep) => {
      if (step.kind === 'signed-in') {
        setCsrfToken(step.csrfToken);
        await refresh();
      }
      return step;
    },
    [refresh],
  );

  // Signing out in one tab signs out the others (they share the cookie): they forget what they show.
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(SESSION_CHANNEL);
    channel.onmessage = (event: MessageEvent) => {
      const [word, reason] = String(event.data).split(':');
      if (word === 'signed-out' && signedIn.current) forget((reason as SignedOutReason) || 'signed-out');
    };
    return () => channel.close();
  }, [forget]);

  const value = useMemo<SessionApi>(
    () => ({
      state,
      async signIn(email, password) {
        const { data, error, response } = await api.POST('/auth/session', { body: { email, password } });
        if (!response.ok) throw Object.assign(new Error(error ? 'refused' : 'failed'), { status: response.status });
        return afterStep(interpretSignInAnswer(data));
      },
      async completeStep(step, value) {
        const path = step.kind === 'password-change' ? '/auth/session/password' : '/auth/session/mfa';
        const body: Record<string, string> =
          step.kind === 'password-change' ? { challengeToken: step.challengeToken, newPassword: value } : { challengeToken: step.challengeToken, code: value };
        return afterStep(interpretSignInAnswer(await postPending(path, body)));
      },
      async continueProvider() {
        const { data, response } = await api.POST('/auth/oidc/continue');
        if (!response.ok) throw Object.assign(new Error('refused'), { status: response.status });
        return afterStep(interpretSignInAnswer(data));
      },
      async confirmLink() {
        const { data, response } = await api.POST('/auth/oidc/confirm-link');
        if (!response.ok) throw Object.assign(new Error('refused'), { status: response.status });
        return afterStep(interpretSignInAnswer(data));
      },
      async signOut(reason = 'signed-out') {
        // A session opened at a provider signs out of it too (RP-initiated logout): the browser goes there, and comes back.
        const provider = state.status === 'signed-in' ? state.provider : null;
        let leaveTo: string | undefined;
        if (provider && reason === 'signed-out') {
          const { data } = await api.POST('/auth/oidc/logout').catch(() => ({ data: undefined }));
          if (data?.redirectTo && /^https?:/.test(data.redirectTo)) leaveTo = data.redirectTo;
        } else await api.POST('/auth/logout').catch(() => undefined);
        forget(reason);
        if (typeof BroadcastChannel !== 'undefined') {
          const channel = new BroadcastChannel(SESSION_CHANNEL);
          channel.postMessage(`signed-out:${reason}`);
          channel.close();
        }
        if (leaveTo) {
          rememberLogoutState(leaveTo);
          window.location.assign(leaveTo);
        }
      },
      refresh,
    }),
    [state, afterStep, forget, refresh],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
