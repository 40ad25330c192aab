import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCreateUser, useOrganisations, useRegister, type Account } from '../api/queries';
import { TextField } from '../shared/fields';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { usePageTitle } from '../shared/usePageTitle';
import { OrganisationSelect, PasswordChoice, ProfessionChoice, RoleChoices } from './AccountFields';
import { accountProblems, accountServerProblems, createBody, EMPTY_ACCOUNT, type AccountForm } from './accountForm';
import { FIRST_PASSWORD_HINT, PASSWORD_HANDOVER } from './passwordWords';
import '../styles/oversight.css';

/**
 * A new account: who (name, email), for which organisation, which roles (explained; the server
 * refuses a combination that breaks the separation of duties, on the roles), which professional
 * category, and a first password the admin hands over. The password is shown once, here, and kept
 * nowhere else.
 */
export default function AccountNewPage() {
  usePageTitle('Créer un compte');
  const organisations = useOrganisations();
  const register = useRegister();
  const create = useCreateUser();
  const [form, setForm] = useState<AccountForm>(EMPTY_ACCOUNT);
  const [errors, setErrors] = useState<Partial<Record<keyof AccountForm | 'general', string>>>({});
  const [created, setCreated] = useState<{ account: Account; password: string }>();
  const summary = useRef<HTMLDivElement>(null);
  const set = <K extends keyof AccountForm>(key: K, value: AccountForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = accountProblems(form, true);
    setErrors(problems);
    if (Object.keys(problems).length) return requestAnimationFrame(() => summary.current?.focus());
    try {
      const account = await create.mutateAsync(createBody(form));
      setCreated({ account, password: form.password });
      setForm(EMPTY_ACCOUNT);
      requestAnimationFrame(() => summary.current?.focus());
    } catch (error) {
      const found = accountServerProblems(error);
      setErrors(Object.keys(found).length ? found : { general: generalError(error) });
      requestAnimationFrame(() => summary.current?.focus());
    }
  };

  const count = Object.keys(errors).length;
  return (
    <div className="page page--form">
      <p>
        <Link to="/administration/comptes">← Tous les comptes</Link>
      </p>
      <h1>Créer un compte</h1>
      <div ref={summary} tabIndex={-1} className="error-summary-anchor">
        {created && (
          <div role="status">
            <Notice type={VariantType.SUCCESS}>
              <p className="consent-banner__title">Le compte de {created.account.displayName} est créé.</p>
              <p>
                Mot de passe à lui communiquer : <strong className="mono">{created.password}</strong>
              </p>
              <p>{PASSWORD_HANDOVER}</p>
              <p>
                <Link to={`/administration/comptes/${created.account.id}`}>Voir ce compte</Link> · <Link to="/administration/comptes">Tous les comptes</Link>
              </p>
            </Notice>
            <div className="form-actions section">
              <Button color="brand" variant="secondary" onClick={() => setCreated(undefined)}>
                Créer un autre compte
              </Button>
            </div>
          </div>
        )}
        {count > 0 && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>
              <p className="error-summary__title">{errors.general ?? `Le compte n’est pas créé : ${count} point${count > 1 ? 's' : ''} à corriger.`}</p>
            </Notice>
          </div>
        )}
      </div>
      {!created && (
        <form onSubmit={(e) => void submit(e)} noValidate className="stack stack--large">
          <section className="form-section" aria-labelledby="section-personne">
            <h2 id="section-personne">La personne</h2>
            <div className="grid-2">
              <TextField
                label="Nom affiché"
                hint="Tel que les autres le verront, par exemple « Dr A. Martin »."
                autoComplete="off"
                value={form.displayName}
                onChange={(e) => set('displayName', e.target.value)}
                error={errors.displayName}
              />
              <TextField
                label="Adresse électronique"
                hint="Son identifiant de connexion."
                type="email"
                autoComplete="off"
                value={form.email}
                onChange={(e) => set('email', e.target.value)}
                error={errors.email}
              />
            </div>
            <OrganisationSelect
              organisations={organisations.data ?? []}
              value={form.organisationId}
              onChange={(id) => set('organisationId', id)}
              error={errors.organisationId}
            />
          </section>
          <section className="form-section" aria-labelledby="section-roles">
            <h2 id="section-roles">Ce qu’elle fait dans Cellule</h2>
            <RoleChoices value={form.roles} onChange={(roles) => set('roles', roles)} error={errors.roles} />
            <ProfessionChoice value={form.profession} onChange={(p) => set('profession', p)} error={errors.profession} register={register.data} />
          </section>
          <section className="form-section" aria-labelledby="section-mot-de-passe">
            <h2 id="section-mot-de-passe">Premier mot de passe</h2>
            <PasswordChoice
              label="Mot de passe"
              hint={FIRST_PASSWORD_HINT}
              value={form.password}
              onChange={(p) => set('password', p)}
              error={errors.password}
            />
          </section>
          <div className="form-actions">
            <Button type="submit" disabled={create.isPending}>
              Créer le compte
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
