import type { CaseView } from '../api/client';
import { disclosure } from './disclosure';

/** « Ce qui vous est communiqué » : each class, shown or not, and why not. */
export function DisclosureList({ view, headingLevel = 3 }: { view: CaseView; headingLevel?: 2 | 3 }) {
  const items = disclosure(view);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = `communique-${view.id}`;
  return (
    <section className="disclosure" aria-labelledby={id}>
      <Heading id={id} className="disclosure__title">
        Ce qui vous est communiqué
      </Heading>
      <ul className="disclosure__list">
        {items.map((item) => (
          <li key={item.cls} className={item.shown ? 'disclosure__item disclosure__item--shown' : 'disclosure__item'}>
            <span className="disclosure__mark" aria-hidden="true">
              {item.shown ? '✓' : '—'}
            </span>
            <span>
              <strong>{item.label}</strong> : {item.shown ? 'communiqué' : <>non communiqué. {item.why}</>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
