import { Button, Radio, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { type EmailPreference, useNotificationPreferences, useSetNotificationPreferences } from '../api/queries';
import { useUser } from '../session/SessionProvider';
import { ButtonLink } from '../shared/ButtonLink';
import { ChoiceGroup } from '../shared/fields';
import { PROFESSION_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { digestTime, emailPreferenceLabels } from './words';

/**
 * The account's own settings: its profession (and whether a Pro Santé Connect sign-in proved it,
 * issue 16), how it is told by email, and its password.
 */
export default function MyAccountPage() {
  usePageTitle('Mon compte');
  const user = useUser();
  const preferences = useNotificationPreferences();
  const save = useSetNotificationPreferences();
  const [choice, setChoice] = useState<EmailPreference | undefined>();
  const [saved, setSaved] = useState(false);
  // The recorded preference until the account picks another.
  const shown = choice ?? preferences.data?.email;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!shown) return;
    setSaved(false);
    save.mutate(shown, { onSuccess: () => setSaved(true) });
  };

  return (
    <div className="page page--narrow">
      <h1>Mon compte</h1>
      <p className="lead">
        {user.displayName} — {user.email}
      </p>
      <div className="account-sections">
        <section aria-labelledby="section-profession" className="form-section">
          <h2 id="section-profession">Profession</h2>
          <p>
            <strong>{PROFESSION_LABEL[user.profession]?.label ?? user.profession}</strong> —{' '}
            {user.professionProven ? 'prouvée par Pro Santé Connect' : 'déclarée par l’administrateur'}
          </p>
          {!user.professionProven && (
            <p className="hint">
              Une connexion par Pro Santé Connect (carte CPS ou e-CPS) prouve la profession enregistrée au RPPS ; elle remplace alors celle déclarée.
            </p>
          )}
        </section>
        <section aria-labelledby="section-courriels" className="form-section">
          <h2 id="section-courriels">Notifications par courriel</h2>
          <QueryState isPending={preferences.isPending} error={preferences.error} what="vos préférences" />
          {preferences.data && (
            <form onSubmit={onSubmit} className="stack">
              {!preferences.data.mailEnabled && (
                <Notice type={VariantType.INFO}>Ce serveur n’envoie pas encore de courriels : votre choix s’appliquera dès qu’il le fera.</Notice>
              )}
              <ChoiceGroup
                legend="Recevoir les notifications par courriel"
                hint={`Les courriels ne contiennent aucune information sur la personne, seulement un lien. Le résumé part chaque jour ${digestTime(
                  preferences.data.digestHour,
                  preferences.data.digestTimeZone,
                )} avec ce qui est arrivé depuis le précédent ; rien les jours sans nouveauté.`}
              >
                {(Object.entries(emailPreferenceLabels(preferences.data)) as [EmailPreference, string][]).map(([value, label]) => (
                  <Radio
                    key={value}
                    name="email"
                    label={label}
                    checked={shown === value}
                    onChange={() => {
                      setChoice(value);
                      setSaved(false);
                    }}
                  />
                ))}
              </ChoiceGroup>
              {save.error && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>L’enregistrement a échoué. Réessayez.</Notice>
                </div>
              )}
              {saved && (
                <div role="status">
                  <Notice type={VariantType.SUCCESS}>Votre choix est enregistré.</Notice>
                </div>
              )}
              <Button type="submit" disabled={save.isPending || !shown}>
                Enregistrer
              </Button>
            </form>
          )}
        </section>
        <section aria-labelledby="section-mot-de-passe" className="form-section">
          <h2 id="section-mot-de-passe">Mot de passe</h2>
          <ButtonLink to="/mot-de-passe" color="neutral" variant="secondary">
            Changer de mot de passe
          </ButtonLink>
        </section>
      </div>
    </div>
  );
}
