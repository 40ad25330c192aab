import type { Schemas } from '../api/client';
import { useRegister } from '../api/queries';
import { CLASS_LABEL, RECIPIENT_LABEL, REGIME_LABEL, SECTOR_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { conditionInWords, daysInWords, fieldsInWords, professionsInWords, statesInWords } from './registerWords';
import '../styles/oversight.css';

type Register = Schemas['RegisterDto'];
type Relation = Schemas['Relation'];

/**
 * The register of processing (GDPR art. 30) and the data-flow table a DPIA needs, as the server
 * generates them from the policies it runs with: who receives which kind of information, at which
 * steps, on which condition, for how long. The Markdown document is a download away.
 */
export default function RegisterPage() {
  usePageTitle('Registre des traitements');
  const register = useRegister();
  return (
    <div className="page">
      <div className="page__head">
        <h1>Registre des traitements</h1>
        <a className="c__button c__button--brand c__button--brand--secondary c__button--medium" href="/register?format=markdown" download="registre-cellule.md">
          Télécharger le registre (Markdown)
        </a>
      </div>
      <p className="lead">
        Le registre des activités de traitement (RGPD, article 30) et le tableau des flux de données qu’une analyse d’impact demande. Ils sont produits à partir
        des règles que le serveur applique en ce moment : ils ne peuvent pas dire autre chose que ce qu’il fait.
      </p>
      <QueryState isPending={register.isPending} error={register.error} what="le registre" />
      {register.data && <RegisterContent register={register.data} />}
    </div>
  );
}

function RegisterContent({ register }: { register: Register }) {
  const byRecipient = new Map<Relation, Schemas['DataFlowDto'][]>();
  for (const flow of register.flows) byRecipient.set(flow.relation, [...(byRecipient.get(flow.relation) ?? []), flow]);
  const never = Object.entries(register.never) as [Relation, Schemas['DataClass'][]][];
  return (
    <div className="stack stack--large">
      <section aria-labelledby="titre-traitement" className="info-block">
        <h2 id="titre-traitement">Le traitement</h2>
        <dl className="dl">
          <div className="dl__row">
            <dt>Finalité</dt>
            <dd>
              Examen à plusieurs partenaires de la situation complexe d’une personne par la cellule de cas complexes du conseil local de santé mentale :
              saisine, consentement, examen en séance, plan d’action, suivi.
            </dd>
          </div>
          <div className="dl__row">
            <dt>Personnes concernées</dt>
            <dd>Les personnes dont la situation est présentée à la cellule ; les professionnels qui utilisent le service.</dd>
          </div>
          <div className="dl__row">
            <dt>Catégories d’informations</dt>
            <dd>{Object.values(CLASS_LABEL).join(' ; ')}.</dd>
          </div>
          <div className="dl__row">
            <dt>Protection</dt>
            <dd>
              L’identité, les éléments de santé, la situation sociale et le texte libre du résumé sont chiffrés, avec une clé propre à chaque situation. Chaque
              accès et chaque refus est inscrit dans un journal chaîné et signé, que personne ne peut modifier.
            </dd>
          </div>
          <div className="dl__row">
            <dt>Consentement</dt>
            <dd>
              Valable {register.consentValidityMonths} mois par défaut. Il précise, pour chaque catégorie protégée, les secteurs qui peuvent la recevoir ; la
              personne peut le retirer à tout moment.
            </dd>
          </div>
          <div className="dl__row">
            <dt>Conservation</dt>
            <dd>
              Identité, santé et situation sociale effacées {daysInWords(register.retention.protectedClassesDays)} après la clôture de la situation, ou après sa
              dernière activité si elle reste ouverte. Journal des accès conservé {daysInWords(register.retention.auditLogDays)}, puis purgé sous un point de
              contrôle signé.
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="titre-secteurs">
        <h2 id="titre-secteurs">Les destinataires et le secret qui les lie</h2>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Secteurs des organisations destinataires, régime de confidentialité et fondement</caption>
            <thead>
              <tr>
                <th scope="col">Secteur</th>
                <th scope="col">Régime</th>
                <th scope="col">Fondement</th>
              </tr>
            </thead>
            <tbody>
              {register.sectors.map((s) => (
                <tr key={s.sector}>
                  <th scope="row">{SECTOR_LABEL[s.sector]}</th>
                  <td>{REGIME_LABEL[s.regime] ?? s.regime}</td>
                  <td>{s.basis === 'charter' ? 'Charte de confidentialité de la cellule' : s.basis}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="titre-flux">
        <h2 id="titre-flux">Les flux de données : qui reçoit quoi, quand, à quelle condition</h2>
        {[...byRecipient].map(([relation, flows]) => (
          <div key={relation} className="recipient">
            <h3>{RECIPIENT_LABEL[relation]}</h3>
            <div className="table-wrap">
              <table className="table table--flows">
                <caption className="visually-hidden">Ce que reçoit : {RECIPIENT_LABEL[relation].toLowerCase()}</caption>
                <thead>
                  <tr>
                    <th scope="col">Information</th>
                    <th scope="col">À quelles étapes</th>
                    <th scope="col">Condition</th>
                    <th scope="col">Éléments</th>
                    <th scope="col">Professions</th>
                  </tr>
                </thead>
                <tbody>
                  {flows.map((flow) => (
                    <tr key={flow.cls}>
                      <th scope="row">{CLASS_LABEL[flow.cls]}</th>
                      <td>{statesInWords(flow.states)}</td>
                      <td>{conditionInWords(flow.condition)}</td>
                      <td>{fieldsInWords(flow.fields, flow.cls)}</td>
                      <td>{professionsInWords(flow.professions)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
      </section>

      {never.length > 0 && (
        <section aria-labelledby="titre-jamais" className="info-block">
          <h2 id="titre-jamais">Ce qui n’est jamais communiqué</h2>
          <ul>
            {never.map(([relation, classes]) => (
              <li key={relation}>
                {RECIPIENT_LABEL[relation]} : jamais {classes.map((c) => CLASS_LABEL[c].toLowerCase()).join(', ')}.
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
