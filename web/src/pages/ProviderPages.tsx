import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../session/SessionProvider';
import { ProviderButtons, useProviders } from '../session/ProviderButtons';
import { useClientConfig } from '../shared/ClientConfigContext';
import { Notice } from '../shared/Notice';
import { usePageTitle } from '../shared/usePageTitle';

function Card({ children }: { children: ReactNode }) {
  const { operator } = useClientConfig();
  return (
    <div className="signin">
      <main id="contenu" className="signin__card">
        <div className="signin__brand">
          <img src="/app/logo" alt="" width="40" height="40" />
          <span>{operator.name}</span>
        </div>
        {children}
      </main>
    </div>
  );
}

/**
 * A provider's user no account is linked to (issue 16): nothing else is said — no account is
 * created on the fly, and whether an account exists under some email is not revealed.
 */
export function NoAccountPage() {
  usePageTitle('Aucun compte');
  return (
    <Card>
      <h1>Aucun compte n’est associé à cette identité</h1>
      <p>Demandez à votre coordinateur : il vous enverra une invitation pour associer votre compte.</p>
      <p>
        <Link to="/connexion">Retour à la connexion</Link>
      </p>
    </Card>
  );
}

/** The email the provider gave matches an account an admin prepared: the user confirms that it is theirs. */
export function ConfirmLinkPage() {
  usePageTitle('Associer votre compte');
  const { confirmLink } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = await confirmLink();
      void navigate(next.kind === 'signed-in' ? '/' : '/connexion?oidc=suite', { replace: true });
    } catch {
      setError('Cette demande a expiré ou a déjà servi. Reconnectez-vous avec votre fournisseur d’identité, ou demandez une invitation à votre coordinateur.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card>
      <h1>Associer votre compte</h1>
      <p>
        Votre coordinateur a préparé un compte à l’adresse électronique que votre fournisseur d’identité vient de nous transmettre. Confirmez qu’il s’agit bien
        de vous : vous vous connecterez ensuite par ce fournisseur.
      </p>
      {error && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{error}</Notice>
        </div>
      )}
      <div className="stack">
        <Button onClick={() => void confirm()} disabled={busy} fullWidth>
          C’est mon compte : l’associer
        </Button>
        <Link to="/connexion">Ce n’est pas moi</Link>
      </div>
    </Card>
  );
}

/**
 * The link an admin sent (…/connexion/invitation#jeton): the providers' buttons carry the
 * invitation, so the identity used is linked to the account at its return. The token stays in the
 * fragment of the address (never sent to a server's logs) until the button is followed.
 */
export function InvitationPage() {
  usePageTitle('Invitation');
  const providers = useProviders();
  const token = typeof window === 'undefined' ? '' : window.location.hash.replace(/^#/, '');
  return (
    <Card>
      <h1>Associer votre identité professionnelle</h1>
      {token ? (
        <>
          <p>Connectez-vous avec votre fournisseur d’identité : votre compte lui sera associé, et vous vous connecterez ensuite par lui.</p>
          <ProviderButtons providers={providers} invitation={token} />
        </>
      ) : (
        <Notice type={VariantType.ERROR}>
          Ce lien d’invitation est incomplet. Ouvrez le lien reçu en entier, ou demandez-en un nouveau à votre coordinateur.
        </Notice>
      )}
      <p>
        <Link to="/connexion">Retour à la connexion</Link>
      </p>
    </Card>
  );
}
