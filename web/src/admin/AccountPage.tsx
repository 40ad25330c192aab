import { Button, Modal, ModalSize, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useOrganisations, useRegister, useUpdateUser, useUsers, type Account } from '../api/queries';
import { TextField } from '../shared/fields';
import { dateTime } from '../shared/format';
import { SECTOR_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { useUser } from '../session/SessionProvider';
import { PasswordChoice, ProfessionChoice, RoleChoices } from './AccountFields';
import { IdentitySection } from './IdentitySection';
import { accountProblems, accountServerProblems, MIN_PASSWORD, updateBody, type AccountForm } from './accountForm';
import { PASSWORD_HANDOVER, RESET_HELP } from './passwordWords';
import '../styles/oversight.css';

type Problems = Partial<Record<keyof AccountForm | 'general', string>>;

/** One account: its name, roles and category; disable or enable it; set a new password for it. */
export default function AccountPage() {
  usePageTitle('Modifier un compte');
  const { id = '' } = useParams();
  const users = useUsers();
  const account = users.data?.find((u) => u.id === id);
  return (
    <div className="page page--form">
      <p>
        <Link to="/administration/comptes">← Tous les comptes</Link>
      </p>
      {!account ? (
        <>
          <h1>Compte</h1>
          <QueryState isPending={users.isPending} error={users.error} what="le compte" />
          {users.data && <p>Ce compte n’existe pas.</p>}
        </>
      ) : (
        <AccountSections key={account.id} account={account} />
      )}
    </div>
  );
}

function AccountSections({ account }: { account: Account }) {
  const me = useUser();
  const organisations = useOrganisations();
  const organisation = organisations.data?.find((o) => o.id === account.organisationId);
  return (
    <>
      <div className="page__head">
        <div>
          <h1>{account.displayName}</h1>
          <p className="page__sub">
            {account.email} ·{' '}
            {account.disabled ? <span className="decision decision--deny">Désactivé</span> : <span className="decision decision--allow">Actif</span>}
            {' · '}créé le {dateTime(account.createdAt)}
          </p>
        </div>
      </div>
      <p>
        Organisation : <strong>{organisation ? `${organisation.name} (${SECTOR_LABEL[organisation.sector]})` : account.organisationId ? '—' : 'aucune'}</strong>
      </p>
      <div className="stack stack--large">
        <AccessSection account={account} self={me.userId === account.id} />
        <PasswordSection account={account} />
        <IdentitySection userId={account.id} />
        <ProfileSection account={account} />
      </div>
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="form-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Outcome({ done, errors }: { done?: string; errors: Problems }) {
  const count = Object.keys(errors).length;
  if (done) {
    return (
      <div role="status">
        <Notice type={VariantType.SUCCESS}>{done}</Notice>
      </div>
    );
  }
  if (!count) return null;
  return (
    <div role="alert">
      <Notice type={VariantType.ERROR}>{errors.general ?? `Rien n’est enregistré : ${count} point${count > 1 ? 's' : ''} à corriger.`}</Notice>
    </div>
  );
}

function ProfileSection({ account }: { account: Account }) {
  const update = useUpdateUser(account.id);
  const register = useRegister();
  const [form, setForm] = useState<AccountForm>({
    email: account.email,
    displayName: account.displayName,
    organisationId: account.organisationId ?? '',
    roles: account.roles,
    profession: account.profession,
    password: '',
  });
  const [errors, setErrors] = useState<Problems>({});
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(undefined);
    const problems = accountProblems(form, false);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    const body = updateBody(account, form);
    if (!Object.keys(body).length) return setDone('Rien n’a changé.');
    try {
      await update.mutateAsync(body);
      setDone('Les changements sont enregistrés. Ils s’appliquent dès la prochaine action de la personne.');
    } catch (error) {
      const found = accountServerProblems(error);
      setErrors(Object.keys(found).length ? found : { general: generalError(error) });
    }
  };
  return (
    <Section id="section-profil" title="Nom, rôles et catégorie professionnelle">
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <TextField
          label="Nom affiché"
          value={form.displayName}
          autoComplete="off"
          onChange={(e) => setForm((f) => ({ ...f, displayName: e.target.value }))}
          error={errors.displayName}
        />
        <RoleChoices value={form.roles} onChange={(roles) => setForm((f) => ({ ...f, roles }))} error={errors.roles} />
        <ProfessionChoice
          value={form.profession}
          onChange={(profession) => setForm((f) => ({ ...f, profession }))}
          error={errors.profession}
          register={register.data}
        />
        <Outcome done={done} errors={errors} />
        <div className="form-actions">
          <Button type="submit" disabled={update.isPending}>
            Enregistrer
          </Button>
        </div>
      </form>
    </Section>
  );
}

function AccessSection({ account, self }: { account: Account; self: boolean }) {
  const update = useUpdateUser(account.id);
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<Problems>({});
  const [done, setDone] = useState<string>();
  const change = async (disabled: boolean) => {
    setConfirming(false);
    setDone(undefined);
    try {
      await update.mutateAsync({ disabled });
      setErrors({});
      setDone(
        disabled
          ? 'Le compte est désactivé : il ne peut plus se connecter, et ses sessions en cours sont arrêtées.'
          : 'Le compte est réactivé : la personne peut de nouveau se connecter.',
      );
    } catch (error) {
      const found = accountServerProblems(error);
      setErrors(Object.keys(found).length ? found : { general: generalError(error) });
    }
  };
  return (
    <Section id="section-acces" title="Accès à Cellule">
      {account.disabled ? (
        <p>Ce compte est désactivé : la personne ne peut pas se connecter. Son historique reste dans le journal des accès.</p>
      ) : (
        <p>
          Désactivez le compte d’une personne qui quitte son poste ou n’a plus à intervenir : elle ne peut plus se connecter, ses sessions en cours s’arrêtent
          aussitôt, et son historique reste dans le journal.
        </p>
      )}
      {self && !account.disabled && <p className="muted">C’est votre propre compte : vous ne pouvez pas le désactiver.</p>}
      <Outcome done={done} errors={errors} />
      <div className="form-actions">
        {account.disabled ? (
          <Button onClick={() => void change(false)} disabled={update.isPending}>
            Réactiver le compte
          </Button>
        ) : (
          <Button color="error" onClick={() => setConfirming(true)} disabled={update.isPending || self}>
            Désactiver le compte
          </Button>
        )}
      </div>
      {confirming && (
        <Modal isOpen onClose={() => setConfirming(false)} size={ModalSize.MEDIUM} title={`Désactiver le compte de ${account.displayName} ?`}>
          <div className="stack">
            <p>La personne ne pourra plus se connecter et ses sessions en cours s’arrêteront aussitôt. Vous pourrez réactiver le compte plus tard.</p>
            <div className="form-actions">
              <Button color="error" onClick={() => void change(true)}>
                Désactiver
              </Button>
              <Button color="neutral" variant="secondary" onClick={() => setConfirming(false)}>
                Annuler
              </Button>
            </div>
          </div>
        </Modal>
      )}
    </Section>
  );
}

function PasswordSection({ account }: { account: Account }) {
  const update = useUpdateUser(account.id);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Problems>({});
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(undefined);
    if (password.length < MIN_PASSWORD) return setErrors({ password: `Au moins ${MIN_PASSWORD} caractères.` });
    try {
      await update.mutateAsync({ password });
      setErrors({});
      setDone(`Le nouveau mot de passe est enregistré : ${password}. ${PASSWORD_HANDOVER}`);
      setPassword('');
    } catch (error) {
      const found = accountServerProblems(error);
      setErrors(Object.keys(found).length ? found : { general: generalError(error) });
    }
  };
  return (
    <Section id="section-mot-de-passe" title="Nouveau mot de passe">
      <p>{RESET_HELP}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <PasswordChoice
          label="Nouveau mot de passe"
          hint="Au moins 12 caractères, ni courant ni tiré du nom. « Générer » en propose un sûr."
          value={password}
          onChange={setPassword}
          error={errors.password}
        />
        <Outcome done={done} errors={errors} />
        <div className="form-actions">
          <Button type="submit" disabled={update.isPending}>
            Enregistrer le nouveau mot de passe
          </Button>
        </div>
      </form>
    </Section>
  );
}
