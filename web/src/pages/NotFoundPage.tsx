import { Link } from 'react-router';
import { usePageTitle } from '../shared/usePageTitle';

export default function NotFoundPage() {
  usePageTitle('Page introuvable');
  return (
    <div className="page">
      <h1>Page introuvable</h1>
      <p>Cette page n'existe pas, ou votre compte n'y a pas accès.</p>
      <p>
        <Link to="/">Revenir à l'accueil</Link>
      </p>
    </div>
  );
}
