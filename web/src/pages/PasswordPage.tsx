import { Button, InputPassword, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { ApiError, getCsrfToken } from '../api/client';
import { postPending } from '../api/pending';
import { passwordProblems } from '../session/signInAnswer';
import { usePageTitle } from '../shared/usePageTitle';
import { Notice } from '../shared/Notice';

/**
 * Self-service password change: POST /me/password (API.md). The server ends the account's other
 * sessions and tokens; this one stays open.
 */
export default function PasswordPage() {
  usePageTitle('Changer de mot de passe');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const current = String(form.get('currentPassword') ?? '');
    const next = String(form.get('newPassword') ?? '');
    const problems = passwordProblems(next, String(form.get('confirmation') ?? ''), current);
    if (!current) problems.unshift('Saisissez votre mot de passe actuel.');
    setDone(false);
    if (problems.length) return setError(problems.join(' '));
    setBusy(true);
    setError(undefined);
    try {
      await postPending('/me/password', { currentPassword: current, newPassword: next }, getCsrfToken());
      formElement.reset();
      setDone(true);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      setError(
        status === 401 || status === 403
          ? 'Le mot de passe actuel est incorrect.'
          : status === 400 || status === 422
            ? 'Ce mot de passe est refusé : trop courant ou déjà divulgué. Choisissez-en un autre, plus long.'
            : status === 404
              ? "Le changement de mot de passe n'est pas encore disponible sur ce serveur. Demandez à l'administration de le faire."
              : 'Le changement a échoué. Réessayez.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page page--narrow">
      <h1>Changer de mot de passe</h1>
      <p>Au moins 12 caractères. Une phrase de plusieurs mots est plus sûre et plus facile à retenir qu'un mot compliqué.</p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="stack">
        <InputPassword name="currentPassword" label="Mot de passe actuel" autoComplete="current-password" required fullWidth variant="classic" />
        <InputPassword name="newPassword" label="Nouveau mot de passe" autoComplete="new-password" required fullWidth variant="classic" />
        <InputPassword name="confirmation" label="Confirmez le nouveau mot de passe" autoComplete="new-password" required fullWidth variant="classic" />
        {error && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{error}</Notice>
          </div>
        )}
        {done && (
          <div role="status">
            <Notice type={VariantType.SUCCESS}>Votre mot de passe est changé. Vos autres sessions sont fermées.</Notice>
          </div>
        )}
        <Button type="submit" disabled={busy}>
          Changer le mot de passe
        </Button>
      </form>
    </div>
  );
}
