import { Button, Checkbox, Radio, Select, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useCommissions, useCreateCase } from '../api/queries';
import { ChoiceGroup, TextAreaField, TextField } from '../shared/fields';
import { AGE_BAND_LABEL, HOUSEHOLD_LABEL, PARENT_RELATION_LABEL, PROBLEM_LABEL, PROTECTION_LABEL, SECTOR_LABEL } from '../shared/labels';
import { fieldErrors, generalError, proposalsOf } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { emptyParent, emptyReferral, fieldId, referralBody, validateReferral, type ParentForm, type ReferralForm } from './referralForm';
import { Notice } from '../shared/Notice';

const entries = <K extends string>(labels: Record<K, string>) => Object.entries(labels) as [K, string][];

/**
 * The fiche de saisine, in plain language: who the person is (encrypted, shared only with their
 * consent), the situation without a name (what the cellule reads), what was tried, what is
 * expected, and the two questions a cellule screens on (a minor at home, an emergency). Saved as a
 * draft; the referrer sends it from the situation page.
 */
export default function ReferralFormPage() {
  usePageTitle('Nouvelle saisine');
  const navigate = useNavigate();
  const commissions = useCommissions();
  const create = useCreateCase();
  const [form, setForm] = useState<ReferralForm>(emptyReferral());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [proposals, setProposals] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const summary = useRef<HTMLDivElement>(null);

  // A territory usually has one cellule: it is then the one saisie, without a question.
  const only = commissions.data?.length === 1 ? commissions.data[0] : undefined;
  const filled: ReferralForm = { ...form, commissionId: form.commissionId || only?.id || '' };

  const set = <K extends keyof ReferralForm>(key: K, value: ReferralForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = <K extends 'problems' | 'partnersInvolved'>(key: K, value: ReferralForm[K][number], on: boolean) =>
    setForm((f) => ({ ...f, [key]: on ? [...f[key], value] : f[key].filter((v) => v !== value) }));

  const showErrors = (found: Record<string, string>, message?: string) => {
    setErrors(found);
    setFailure(message);
    // The summary takes the focus: it lists each problem with a link to its field.
    requestAnimationFrame(() => summary.current?.focus());
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateReferral(filled);
    setProposals({});
    if (Object.keys(found).length) return showErrors(found);
    try {
      const created = await create.mutateAsync(referralBody(filled));
      void navigate(`/situations/${created.id}`, { state: { created: true } });
    } catch (error) {
      const byField = fieldErrors(error);
      setProposals(proposalsOf(error));
      showErrors(byField, Object.keys(byField).length ? undefined : generalError(error));
    }
  };

  const error = (path: string) => errors[path];
  /** The leak guard's rewording of the text refused at `path`, put in place by its button (the error goes with it). */
  const proposal = (path: string, key: 'question' | 'narrative' | 'alreadyTried' | 'expectations') =>
    proposals[path] === undefined
      ? undefined
      : {
          text: proposals[path],
          use: () => {
            set(key, proposals[path]);
            setProposals(({ [path]: _used, ...rest }) => rest);
            setErrors(({ [path]: _fixed, ...rest }) => rest);
          },
        };
  const errorList = Object.entries(errors);

  return (
    <div className="page page--form">
      <h1>Nouvelle saisine</h1>
      <p className="lead">
        Cette fiche demande à la cellule de cas complexes d'étudier une situation que les dispositifs habituels n'ont pas permis de résoudre. Elle est
        enregistrée comme brouillon : vous la relirez avant de l'envoyer à la coordination.
      </p>
      <QueryState isPending={commissions.isPending} error={commissions.error} what="les cellules" />
      <div ref={summary} tabIndex={-1} className="error-summary-anchor">
        {(errorList.length > 0 || failure) && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>
              <p className="error-summary__title">
                {failure ?? `La fiche n'est pas enregistrée : ${errorList.length} point${errorList.length > 1 ? 's' : ''} à corriger.`}
              </p>
              {errorList.length > 0 && (
                <ul>
                  {errorList.map(([path, message]) => (
                    <li key={path}>
                      <a href={`#${fieldId(path)}`}>{message}</a>
                    </li>
                  ))}
                </ul>
              )}
            </Notice>
          </div>
        )}
      </div>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="stack stack--large">
        {commissions.data && commissions.data.length > 1 && (
          <Select
            label="Cellule saisie"
            options={commissions.data.map((c) => ({ label: c.name, value: c.id }))}
            value={form.commissionId}
            onChange={(e) => set('commissionId', String(e.target.value ?? ''))}
            state={error('commissionId') ? 'error' : 'default'}
            text={error('commissionId')}
            fullWidth
          />
        )}
        {commissions.data?.length === 0 && (
          <Notice type={VariantType.WARNING}>
            Aucune cellule n'est encore ouverte dans votre territoire : la fiche ne peut pas être enregistrée. Prévenez la coordination du CLSM.
          </Notice>
        )}
        {only && (
          <p>
            Cellule saisie : <strong>{only.name}</strong>
          </p>
        )}

        <section className="form-section" aria-labelledby="section-personne">
          <h2 id="section-personne">La personne concernée</h2>
          <p className="section-help">
            Ces informations sont chiffrées. Elles ne sont transmises à un partenaire qu'avec le consentement de la personne, et seulement à ceux qui en ont
            besoin pour agir. La coordination ne les voit jamais.
          </p>
          <div className="grid-2">
            <TextField
              id={fieldId('identity.lastName')}
              label="Nom"
              autoComplete="off"
              required
              value={form.lastName}
              onChange={(e) => set('lastName', e.target.value)}
              error={error('identity.lastName')}
            />
            <TextField
              id={fieldId('identity.firstName')}
              label="Prénom"
              autoComplete="off"
              required
              value={form.firstName}
              onChange={(e) => set('firstName', e.target.value)}
              error={error('identity.firstName')}
            />
          </div>
          <TextField
            id={fieldId('identity.birthDate')}
            label="Date de naissance (facultatif)"
            hint="Au format JJ/MM/AAAA, par exemple 14/03/1957 ; ou l'année seule (1957) si c'est tout ce que vous savez. La tranche d'âge suffit sinon."
            inputMode="numeric"
            autoComplete="off"
            value={form.birthDate}
            onChange={(e) => set('birthDate', e.target.value)}
            error={error('identity.birthDate')}
          />
          <TextField
            id={fieldId('identity.address')}
            label="Adresse (facultatif)"
            autoComplete="off"
            value={form.address}
            onChange={(e) => set('address', e.target.value)}
            error={error('identity.address')}
          />
          <div className="grid-2">
            <TextField
              id={fieldId('identity.phone')}
              label="Téléphone (facultatif)"
              type="tel"
              autoComplete="off"
              value={form.phone}
              onChange={(e) => set('phone', e.target.value)}
              error={error('identity.phone')}
            />
            <TextField
              id={fieldId('identity.email')}
              label="Adresse électronique (facultatif)"
              type="email"
              autoComplete="off"
              value={form.email}
              onChange={(e) => set('email', e.target.value)}
              error={error('identity.email')}
            />
          </div>
          <div className="grid-2">
            <div id={fieldId('protection.measure')} tabIndex={-1}>
              <Select
                label="Mesure de protection (facultatif)"
                options={[{ label: 'Aucune mesure connue', value: '' }, ...entries(PROTECTION_LABEL).map(([value, label]) => ({ label, value }))]}
                value={form.protectionMeasure}
                onChange={(e) => set('protectionMeasure', String(e.target.value ?? '') as ReferralForm['protectionMeasure'])}
                state={error('protection.measure') ? 'error' : 'default'}
                text={error('protection.measure')}
                fullWidth
              />
            </div>
            <TextField
              id={fieldId('protection.organisation')}
              label="Service mandataire (facultatif)"
              hint="L'association ou le service qui exerce la mesure, pas le nom d'une personne."
              autoComplete="off"
              value={form.protectionOrganisation}
              onChange={(e) => set('protectionOrganisation', e.target.value)}
              error={error('protection.organisation')}
            />
          </div>
        </section>
        {form.ageBand === '0-17' && (
          <section className="form-section" aria-labelledby="section-parents">
            <h2 id="section-parents">Les titulaires de l'autorité parentale</h2>
            <p className="section-help">
              La personne est mineure : indiquez qui exerce l'autorité parentale. Ces informations sont chiffrées comme l'identité de la personne.
            </p>
            {form.parents.map((parent, i) => {
              const at = `parentalAuthority.${i}`;
              const setParent = (change: Partial<ParentForm>) =>
                setForm((f) => ({ ...f, parents: f.parents.map((p) => (p.key === parent.key ? { ...p, ...change } : p)) }));
              return (
                <fieldset key={parent.key} className="form-subsection">
                  <legend>Titulaire {i + 1}</legend>
                  <ChoiceGroup legend="Lien avec l'enfant" error={error(`${at}.relation`)}>
                    {entries(PARENT_RELATION_LABEL).map(([value, label]) => (
                      <Radio
                        key={value}
                        name={`${parent.key}-relation`}
                        label={label}
                        checked={parent.relation === value}
                        onChange={() => setParent({ relation: value })}
                      />
                    ))}
                  </ChoiceGroup>
                  <div className="grid-2">
                    <TextField
                      id={fieldId(`${at}.lastName`)}
                      label="Nom"
                      autoComplete="off"
                      value={parent.lastName}
                      onChange={(e) => setParent({ lastName: e.target.value })}
                      error={error(`${at}.lastName`)}
                    />
                    <TextField
                      id={fieldId(`${at}.firstName`)}
                      label="Prénom"
                      autoComplete="off"
                      value={parent.firstName}
                      onChange={(e) => setParent({ firstName: e.target.value })}
                      error={error(`${at}.firstName`)}
                    />
                  </div>
                  <TextField
                    id={fieldId(`${at}.phone`)}
                    label="Téléphone (facultatif)"
                    type="tel"
                    autoComplete="off"
                    value={parent.phone}
                    onChange={(e) => setParent({ phone: e.target.value })}
                    error={error(`${at}.phone`)}
                  />
                  <Button
                    type="button"
                    size="small"
                    color="neutral"
                    variant="secondary"
                    onClick={() => setForm((f) => ({ ...f, parents: f.parents.filter((p) => p.key !== parent.key) }))}
                  >
                    Retirer ce titulaire
                  </Button>
                </fieldset>
              );
            })}
            {form.parents.length < 2 && (
              <Button type="button" variant="secondary" onClick={() => setForm((f) => ({ ...f, parents: [...f.parents, emptyParent()] }))}>
                Ajouter un titulaire de l'autorité parentale
              </Button>
            )}
          </section>
        )}

        <section className="form-section" aria-labelledby="section-situation">
          <h2 id="section-situation">La situation, sans nom</h2>
          <p className="section-help">
            C'est ce que lisent les membres de la cellule. N'y écrivez ni nom, ni date de naissance, ni adresse, ni numéro de téléphone : parlez de « la
            personne », « Mme X », « son voisin ». Une fiche qui identifie la personne est refusée, avec le champ à reprendre.
          </p>
          <div className="grid-2">
            <Select
              label="Tranche d'âge"
              options={entries(AGE_BAND_LABEL).map(([value, label]) => ({ value, label }))}
              value={form.ageBand}
              onChange={(e) => set('ageBand', String(e.target.value ?? '') as ReferralForm['ageBand'])}
              state={error('summary.ageBand') ? 'error' : 'default'}
              text={error('summary.ageBand')}
              fullWidth
              variant="classic"
            />
            <Select
              label="Composition du foyer"
              options={entries(HOUSEHOLD_LABEL).map(([value, label]) => ({ value, label }))}
              value={form.household}
              onChange={(e) => set('household', String(e.target.value ?? '') as ReferralForm['household'])}
              state={error('summary.household') ? 'error' : 'default'}
              text={error('summary.household')}
              fullWidth
              variant="classic"
            />
          </div>
          <TextField
            id={fieldId('summary.district')}
            label="Quartier"
            hint="Le quartier ou le secteur, jamais la rue ni le numéro."
            value={form.district}
            onChange={(e) => set('district', e.target.value)}
            error={error('summary.district')}
          />
          <div id={fieldId('summary.problems')} tabIndex={-1}>
            <ChoiceGroup legend="Les difficultés rencontrées" hint="Cochez tout ce qui s'applique." error={error('summary.problems')}>
              {entries(PROBLEM_LABEL).map(([value, label]) => (
                <Checkbox key={value} label={label} checked={form.problems.includes(value)} onChange={(e) => toggle('problems', value, e.target.checked)} />
              ))}
            </ChoiceGroup>
          </div>
          <TextAreaField
            id={fieldId('summary.question')}
            label="La question posée à la cellule"
            hint="Ce que vous demandez aux partenaires, en une ou deux phrases."
            rows={3}
            value={form.question}
            onChange={(e) => set('question', e.target.value)}
            error={error('summary.question')}
            proposal={proposal('summary.question', 'question')}
          />
          <TextAreaField
            id={fieldId('summary.narrative')}
            label="Récit de la situation (facultatif)"
            hint="Les faits utiles à la compréhension, pseudonymisés."
            rows={6}
            value={form.narrative}
            onChange={(e) => set('narrative', e.target.value)}
            error={error('summary.narrative')}
            proposal={proposal('summary.narrative', 'narrative')}
          />
          <TextAreaField
            id={fieldId('summary.alreadyTried')}
            label="Ce qui a déjà été tenté (facultatif)"
            hint="Les démarches faites par les voies habituelles, et pourquoi elles n'ont pas suffi."
            value={form.alreadyTried}
            onChange={(e) => set('alreadyTried', e.target.value)}
            error={error('summary.alreadyTried')}
            proposal={proposal('summary.alreadyTried', 'alreadyTried')}
          />
          <ChoiceGroup legend="Les partenaires déjà impliqués (facultatif)">
            {entries(SECTOR_LABEL)
              .filter(([value]) => value !== 'coordination')
              .map(([value, label]) => (
                <Checkbox
                  key={value}
                  label={label}
                  checked={form.partnersInvolved.includes(value)}
                  onChange={(e) => toggle('partnersInvolved', value, e.target.checked)}
                />
              ))}
          </ChoiceGroup>
          <TextAreaField
            id={fieldId('summary.expectations')}
            label="Ce que vous attendez de la cellule (facultatif)"
            value={form.expectations}
            onChange={(e) => set('expectations', e.target.value)}
            error={error('summary.expectations')}
            proposal={proposal('summary.expectations', 'expectations')}
          />
        </section>

        <section className="form-section" aria-labelledby="section-avant">
          <h2 id="section-avant">Avant d'enregistrer</h2>
          <div id={fieldId('summary.minorInHousehold')} tabIndex={-1}>
            <ChoiceGroup legend="Un enfant mineur vit-il dans le foyer ?" error={error('summary.minorInHousehold')}>
              <Radio name="minor" label="Oui" value="yes" checked={form.minorInHousehold === 'yes'} onChange={() => set('minorInHousehold', 'yes')} />
              <Radio name="minor" label="Non" value="no" checked={form.minorInHousehold === 'no'} onChange={() => set('minorInHousehold', 'no')} />
            </ChoiceGroup>
          </div>
          {form.minorInHousehold === 'yes' && (
            <Notice type={VariantType.WARNING}>
              La cellule n'est pas un circuit de protection de l'enfance : si un enfant peut être en danger, informez la cellule départementale de recueil des
              informations préoccupantes (CRIP), ou appelez le 119 en cas d'urgence.
            </Notice>
          )}
          <div id={fieldId('summary.urgent')} tabIndex={-1}>
            <ChoiceGroup legend="La situation demande-t-elle une intervention en urgence ?" error={form.urgent === 'yes' ? undefined : error('summary.urgent')}>
              <Radio name="urgent" label="Oui" value="yes" checked={form.urgent === 'yes'} onChange={() => set('urgent', 'yes')} />
              <Radio name="urgent" label="Non" value="no" checked={form.urgent === 'no'} onChange={() => set('urgent', 'no')} />
            </ChoiceGroup>
          </div>
          {form.urgent === 'yes' && (
            <Notice type={VariantType.WARNING}>
              <strong>Une cellule de cas complexes n'est pas un service d'urgence.</strong> En cas d'urgence, appelez le 15 (SAMU) ou le 112, ou le service
              d'urgence psychiatrique de l'hôpital ; pour un enfant en danger, le 119. Vous pouvez enregistrer la fiche : elle sera signalée comme urgente à la
              coordination, qui l'étudiera à son rythme.
            </Notice>
          )}
        </section>

        <section className="form-section" aria-labelledby="section-protege">
          <h2 id="section-protege">Éléments protégés (facultatif)</h2>
          <p className="section-help">
            Chiffrés, et partagés seulement avec le consentement de la personne, selon le périmètre qu'elle accepte : la situation sociale avec les
            professionnels du social, les éléments de santé avec les professionnels de santé.
          </p>
          <TextAreaField
            id={fieldId('social.narrative')}
            label="Situation sociale"
            value={form.social}
            onChange={(e) => set('social', e.target.value)}
            error={error('social.narrative')}
          />
          <TextAreaField
            id={fieldId('health.narrative')}
            label="Éléments de santé"
            value={form.health}
            onChange={(e) => set('health', e.target.value)}
            error={error('health.narrative')}
          />
        </section>

        <div className="form-actions">
          <Button type="submit" disabled={create.isPending}>
            Enregistrer le brouillon
          </Button>
          <Button type="button" color="neutral" variant="secondary" onClick={() => void navigate('/mes-situations')}>
            Annuler
          </Button>
        </div>
      </form>
    </div>
  );
}
