import { useUser } from '../session/SessionProvider';
import { ROLE_LABEL } from '../shared/labels';
import { usePageTitle } from '../shared/usePageTitle';

/** The landing page of the roles whose screens come in a later version (auditor, admin). */
export default function HomePage() {
  const user = useUser();
  usePageTitle('Accueil');
  return (
    <div className="page">
      <h1>Bonjour {user.displayName}</h1>
      <p>Votre compte : {user.roles.map((r) => ROLE_LABEL[r]).join(', ')}.</p>
      <p>
        Les écrans de votre rôle arrivent dans une prochaine version de l'espace de travail. En attendant, l'interface de programmation reste disponible pour
        vos outils : <a href="/docs">documentation de l'API</a>.
      </p>
    </div>
  );
}
