import type { CaseView } from '../api/client';
import { whyAndUntil } from './why';
import '../styles/oversight.css';

/** « Pourquoi vous voyez cette situation, et jusqu’à quand » on every situation page. */
export function WhyYouSee({ view }: { view: CaseView }) {
  const { lines, consent } = whyAndUntil(view);
  return (
    <section className="why" aria-labelledby="titre-pourquoi">
      <h2 id="titre-pourquoi" className="why__title">
        Pourquoi vous voyez cette situation, et jusqu’à quand
      </h2>
      <ul className="why__list">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
        {consent && <li>{consent}</li>}
      </ul>
    </section>
  );
}
