import { Button, Input, TextArea, type InputProps, type TextAreaProps } from '@gouvfr-lasuite/cunningham-react';
import { useId, type ReactNode } from 'react';

/**
 * Cunningham's fields with their help and error texts tied to the control (aria-describedby,
 * aria-invalid), so a screen reader reads them with the label; Cunningham's own `text` is shown
 * but not announced.
 */
function described(id: string, hint: ReactNode | undefined, error: string | undefined) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    'aria-describedby': ids || undefined,
    'aria-invalid': error ? true : undefined,
    below: (
      <>
        {hint && (
          <p id={`${id}-hint`} className="field-hint">
            {hint}
          </p>
        )}
        {error && (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        )}
      </>
    ),
  };
}

type Extra = { hint?: ReactNode; error?: string; label: string };

export function TextField({ hint, error, id, ...props }: Omit<InputProps, 'state' | 'text'> & Extra) {
  const generated = useId();
  const fieldId = id ?? generated;
  const { below, ...aria } = described(fieldId, hint, error);
  return (
    <div className="field">
      <Input id={fieldId} variant="classic" fullWidth state={error ? 'error' : 'default'} {...aria} {...props} />
      {below}
    </div>
  );
}

/**
 * The leak guard's rewording of a refused text (the writer's own words, what identifies the person
 * replaced), offered under the field with a button that puts it in place.
 */
export type Proposal = { text: string; use: () => void };

export function TextAreaField({ hint, error, id, proposal, ...props }: Omit<TextAreaProps, 'state' | 'text'> & Extra & { proposal?: Proposal }) {
  const generated = useId();
  const fieldId = id ?? generated;
  const { below, ...aria } = described(fieldId, hint, error);
  return (
    <div className="field">
      <TextArea id={fieldId} variant="classic" fullWidth rows={4} state={error ? 'error' : 'default'} {...aria} {...props} />
      {below}
      {proposal && (
        <div className="proposal">
          <p>
            Proposition sans élément identifiant : <q>{proposal.text}</q>
          </p>
          <Button type="button" size="small" variant="secondary" onClick={proposal.use}>
            Reprendre cette proposition
          </Button>
        </div>
      )}
    </div>
  );
}

/** A group of checkboxes or radios: a fieldset whose legend is the question. */
export function ChoiceGroup({ legend, hint, error, children }: { legend: string; hint?: ReactNode; error?: string; children: ReactNode }) {
  const id = useId();
  const { below, ...aria } = described(id, hint, error);
  return (
    <fieldset className={`choice-group${error ? ' choice-group--error' : ''}`} aria-describedby={aria['aria-describedby']}>
      <legend>{legend}</legend>
      {below}
      <div className="choice-group__items">{children}</div>
    </fieldset>
  );
}

/**
 * A native select (the browser's own list: keyboard, screen readers and phones handle it well),
 * dressed like Cunningham's fields, with its label, help and error tied to it.
 */
export function SelectField({
  label,
  hint,
  error,
  id,
  options,
  placeholder = 'Choisir…',
  value,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  id?: string;
  /** With a `group`, options are gathered under it (an optgroup), in the order groups first appear. */
  options: { value: string; label: string; group?: string }[];
  placeholder?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const generated = useId();
  const fieldId = id ?? generated;
  const { below, ...aria } = described(fieldId, hint, error);
  return (
    <div className="field">
      <label htmlFor={fieldId} className="native-select__label">
        {label}
      </label>
      <select
        id={fieldId}
        className={`native-select${error ? ' native-select--error' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...aria}
      >
        <option value="">{placeholder}</option>
        {groupsOf(options).map(([group, items]) =>
          group ? (
            <optgroup key={group} label={group}>
              {items.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </optgroup>
          ) : (
            items.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))
          ),
        )}
      </select>
      {below}
    </div>
  );
}

function groupsOf<T extends { group?: string }>(options: T[]): [string | undefined, T[]][] {
  const groups = new Map<string | undefined, T[]>();
  for (const option of options) groups.set(option.group, [...(groups.get(option.group) ?? []), option]);
  return [...groups];
}
