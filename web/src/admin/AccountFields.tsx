import { Button, Checkbox, Radio, Select } from '@gouvfr-lasuite/cunningham-react';
import { useId } from 'react';
import type { Schemas } from '../api/client';
import { ChoiceGroup, TextField } from '../shared/fields';
import { CLASS_LABEL, PROFESSION_LABEL, ROLE_HELP, ROLE_LABEL, SECTOR_LABEL } from '../shared/labels';
import { generatePassword, MIN_PASSWORD, type AccountForm, type Profession, type Role } from './accountForm';

const ROLES = Object.keys(ROLE_LABEL) as Role[];
const PROFESSIONS = Object.keys(PROFESSION_LABEL) as Profession[];

/** The roles, each explained in one sentence; the server's refusal (separation of duties) shown on the group. */
export function RoleChoices({ value, onChange, error }: { value: Role[]; onChange: (roles: Role[]) => void; error?: string }) {
  const id = useId();
  return (
    <ChoiceGroup legend="Rôles" hint="Ce que le compte peut faire dans Cellule. La plupart des comptes n’ont qu’un rôle." error={error}>
      {ROLES.map((role) => (
        <div key={role}>
          <Checkbox
            label={ROLE_LABEL[role]}
            checked={value.includes(role)}
            aria-describedby={`${id}-${role}`}
            onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          <p id={`${id}-${role}`} className="choice-help">
            {ROLE_HELP[role]}
          </p>
        </div>
      ))}
    </ChoiceGroup>
  );
}

/**
 * What a profession may receive, from the register the server generates from its policy: the
 * classes limited to some professions (health, social) that this one is among.
 */
export function professionReach(register: Schemas['RegisterDto'] | undefined, profession: Profession): string | undefined {
  if (!register) return undefined;
  const limited = register.flows.filter((f) => f.professions !== null);
  const classes = [...new Set(limited.filter((f) => f.professions!.includes(profession)).map((f) => f.cls))];
  const all = [...new Set(limited.map((f) => f.cls))];
  if (!all.length) return undefined;
  if (!classes.length) return `Ne reçoit jamais : ${all.map((c) => CLASS_LABEL[c].toLowerCase()).join(', ')}, quel que soit le consentement.`;
  return `Peut recevoir, si le consentement nomme son secteur : ${classes.map((c) => CLASS_LABEL[c].toLowerCase()).join(', ')}.`;
}

/** The profession after the Code de la santé publique (R1110-2), each category explained, with what it may receive. */
export function ProfessionChoice({
  value,
  onChange,
  error,
  register,
}: {
  value: Profession | '';
  onChange: (p: Profession) => void;
  error?: string;
  register?: Schemas['RegisterDto'];
}) {
  const id = useId();
  return (
    <ChoiceGroup
      legend="Catégorie professionnelle"
      hint="Selon l’article R1110-2 du code de la santé publique. Elle décide, avec le consentement de la personne, qui peut recevoir des éléments de santé ou le récit social."
      error={error}
    >
      {PROFESSIONS.map((p) => (
        <div key={p}>
          <Radio
            name={`${id}-profession`}
            label={PROFESSION_LABEL[p].label}
            checked={value === p}
            aria-describedby={`${id}-${p}`}
            onChange={() => onChange(p)}
          />
          <p id={`${id}-${p}`} className="choice-help">
            {PROFESSION_LABEL[p].help} {professionReach(register, p)}
          </p>
        </div>
      ))}
    </ChoiceGroup>
  );
}

export function OrganisationSelect({
  organisations,
  value,
  onChange,
  error,
}: {
  organisations: Schemas['OrganisationDto'][];
  value: string;
  onChange: (id: string) => void;
  error?: string;
}) {
  return (
    <div className="field">
      <Select
        label="Organisation"
        variant="classic"
        clearable
        fullWidth
        options={organisations.map((o) => ({ label: `${o.name} — ${SECTOR_LABEL[o.sector]}`, value: o.id }))}
        value={value || undefined}
        onChange={(e) => onChange(String(e.target.value ?? ''))}
        state={error ? 'error' : 'default'}
      />
      <p className="field-hint">Le territoire et le secteur du compte sont ceux de son organisation. Laissez vide pour l’administration et le DPO.</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A password the admin types or generates, to hand over to the person. */
export function PasswordChoice({
  value,
  onChange,
  error,
  label,
  hint,
}: {
  value: string;
  onChange: (p: string) => void;
  error?: string;
  label: string;
  hint: string;
}) {
  return (
    <div className="password-box">
      <TextField
        label={label}
        hint={hint}
        autoComplete="new-password"
        spellCheck={false}
        value={value}
        minLength={MIN_PASSWORD}
        onChange={(e) => onChange(e.target.value)}
        error={error}
      />
      <Button type="button" color="neutral" variant="secondary" onClick={() => onChange(generatePassword())}>
        Générer
      </Button>
    </div>
  );
}

export type { AccountForm };
