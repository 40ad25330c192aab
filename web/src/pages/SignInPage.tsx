import { Button, Input, InputPassword, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useSession, type SignedOutReason } from '../session/SessionProvider';
import { normaliseCode, passwordProblems, type SignInStep } from '../session/signInAnswer';
import { useClientConfig } from '../shared/ClientConfigContext';
import { usePageTitle } from '../shared/usePageTitle';
import { Notice } from '../shared/Notice';
import { OtpQrCode } from '../session/OtpQrCode';
import { ProviderButtons, useProviders } from '../session/ProviderButtons';
import { forgetLogoutState, logoutStateMatches } from '../session/logoutState';

type Step = Exclude<SignInStep, { kind: 'signed-in' }>;

function reasonText(reason: SignedOutReason | undefined, idleMinutes: number): string | undefined {
  switch (reason) {
    case 'idle':
      return `Vous avez été déconnecté après ${idleMinutes} minutes sans activité, pour protéger les informations affichées. Reconnectez-vous pour continuer.`;
    case 'expired':
      return 'Votre session a atteint sa durée maximale. Reconnectez-vous pour continuer.';
    case 'ended':
      return 'Votre session a pris fin. Reconnectez-vous pour continuer.';
    case 'signed-out':
      return 'Vous êtes déconnecté.';
    default:
      return undefined;
  }
}

function refusal(error: unknown): string {
  if (error instanceof ApiError || (error instanceof Error && 'status' in error)) {
    const status = (error as { status: number }).status;
    if (status === 401) return 'Adresse électronique ou mot de passe incorrect.';
    if (status === 429) return 'Trop de tentatives pour ce compte. Patientez quelques minutes avant de réessayer.';
    if (status === 400) return 'Vérifiez la saisie : adresse électronique et mot de passe sont obligatoires.';
  }
  return 'La connexion a échoué. Vérifiez votre réseau et réessayez.';
}

export default function SignInPage() {
  const { state, signIn, completeStep, continueProvider } = useSession();
  const providers = useProviders();
  const { operator, session } = useClientConfig();
  const location = useLocation();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  usePageTitle(step?.kind === 'password-change' ? 'Nouveau mot de passe' : step ? 'Second facteur' : 'Connexion');

  // When the form can be used: the browser tests read this mark (time from navigation start).
  useEffect(() => {
    performance.mark('cellule:sign-in-usable');
  }, []);

  // Back from a provider (GET /auth/oidc/:provider/callback): the second factor to pass, or a refusal.
  const oidc = new URLSearchParams(location.search).get('oidc');
  // Back from the provider's logout: said only when it answers this tab's own logout (its `state`).
  const [signedOutThere] = useState(() => logoutStateMatches(location.search));
  useEffect(() => {
    if (new URLSearchParams(location.search).has('deconnexion')) forgetLogoutState();
  }, [location.search]);
  const continued = useRef(false);
  useEffect(() => {
    if (oidc !== 'suite' || continued.current) return;
    continued.current = true;
    void continueProvider()
      .then((next) => (next.kind === 'signed-in' ? void navigate('/', { replace: true }) : setStep(next)))
      .catch(() => setError('Votre connexion a expiré. Recommencez avec votre fournisseur d’identité.'));
  }, [oidc, continueProvider, navigate]);

  const from = (location.state as { from?: string } | null)?.from;
  if (state.status === 'signed-in') return <Navigate to={from && from !== '/connexion' ? from : '/'} replace />;

  const run = async (action: () => Promise<SignInStep>) => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await action();
      if (next.kind === 'signed-in') void navigate(from ?? '/', { replace: true });
      else setStep(next);
    } catch (e) {
      setError(refusal(e));
    } finally {
      setBusy(false);
    }
  };

  const onCredentials = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(() => signIn(String(form.get('email') ?? ''), String(form.get('password') ?? '')));
  };

  const onCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = normaliseCode(String(new FormData(event.currentTarget).get('code') ?? ''));
    if (!code || !step) return setError('Saisissez les 6 chiffres affichés par votre application.');
    void run(() => completeStep(step, code));
  };

  const onNewPassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('newPassword') ?? '');
    const problems = passwordProblems(password, String(form.get('confirmation') ?? ''));
    if (problems.length || !step) return setError(problems.join(' '));
    void run(() => completeStep(step, password));
  };

  const notice = signedOutThere
    ? 'Vous êtes déconnecté, de Cellule et de votre fournisseur d’identité.'
    : state.status === 'signed-out'
      ? reasonText(state.reason, Math.round(session.idleSeconds / 60))
      : undefined;
  const providerFailed = oidc === 'echec';

  return (
    <div className="signin">
      <main id="contenu" className="signin__card">
        <div className="signin__brand">
          <img src="/app/logo" alt="" width="40" height="40" />
          <span>{operator.name}</span>
        </div>
        {!step && (
          <>
            <h1>Connexion</h1>
            <p className="muted">Espace de travail de la cellule de cas complexes.</p>
            {notice && (
              <Notice type={signedOutThere || (state.status === 'signed-out' && state.reason === 'signed-out') ? VariantType.SUCCESS : VariantType.INFO}>
                {notice}
              </Notice>
            )}
            {providerFailed && (
              <div role="alert">
                <Notice type={VariantType.ERROR}>
                  La connexion avec votre fournisseur d’identité n’a pas abouti. Recommencez ; si cela se reproduit, prévenez votre coordinateur.
                </Notice>
              </div>
            )}
            <ProviderButtons providers={providers} />
            <form onSubmit={onCredentials} noValidate className="stack">
              <Input name="email" type="email" label="Adresse électronique" autoComplete="username" required fullWidth variant="classic" />
              <InputPassword name="password" label="Mot de passe" autoComplete="current-password" required fullWidth variant="classic" />
              {error && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>{error}</Notice>
                </div>
              )}
              <Button type="submit" fullWidth disabled={busy}>
                Se connecter
              </Button>
            </form>
          </>
        )}
        {(step?.kind === 'mfa' || step?.kind === 'mfa-enroll') && (
          <>
            <h1>Second facteur</h1>
            {step.kind === 'mfa-enroll' ? (
              <div className="stack">
                <p>
                  Votre compte demande un second facteur. Ajoutez ce compte dans votre application d'authentification (par exemple FreeOTP, Aegis ou celle de
                  votre établissement) : scannez ce QR code, ou saisissez la clé ci-dessous. Ils ne sont affichés qu'une fois.
                </p>
                <OtpQrCode value={step.otpauthUrl} />
                <p className="secret-key" aria-label="Clé à saisir dans l'application">
                  {step.secret.replace(/(.{4})/g, '$1 ').trim()}
                </p>
                <p>
                  <a href={step.otpauthUrl}>Ouvrir dans l'application d'authentification de cet appareil</a>
                </p>
              </div>
            ) : (
              <p>Saisissez le code à 6 chiffres affiché par votre application d'authentification.</p>
            )}
            <form onSubmit={onCode} noValidate className="stack">
              <Input name="code" label="Code à 6 chiffres" inputMode="numeric" autoComplete="one-time-code" required fullWidth variant="classic" />
              {error && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>{error}</Notice>
                </div>
              )}
              <Button type="submit" fullWidth disabled={busy}>
                Valider
              </Button>
            </form>
          </>
        )}
        {step?.kind === 'password-change' && (
          <>
            <h1>Nouveau mot de passe</h1>
            <p>Le mot de passe que vous avez reçu est temporaire : choisissez le vôtre, d'au moins 12 caractères.</p>
            <form onSubmit={onNewPassword} noValidate className="stack">
              <InputPassword name="newPassword" label="Nouveau mot de passe" autoComplete="new-password" required fullWidth variant="classic" />
              <InputPassword name="confirmation" label="Confirmez le nouveau mot de passe" autoComplete="new-password" required fullWidth variant="classic" />
              {error && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>{error}</Notice>
                </div>
              )}
              <Button type="submit" fullWidth disabled={busy}>
                Enregistrer et continuer
              </Button>
            </form>
          </>
        )}
      </main>
    </div>
  );
}
