import { Button, Select } from '@gouvfr-lasuite/cunningham-react';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAuditEvents, useAuditSituations, type AuditEvent } from '../api/queries';
import { TextField } from '../shared/fields';
import { logTime } from '../shared/format';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { useDirectoryNames } from './directoryNames';
import { ACTION_FAMILIES, EMPTY_FILTERS, exportHref, filterProblems, filtersFromParams, filtersToParams, serverQuery, type LogFilters } from './filters';
import { actionLabel, classesLabel, purposeLabel } from './logWords';
import { FoundSituation } from './SituationPicker';
import '../styles/oversight.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The DPO's access log: filters (situation by its reference, person, organisation, period,
 * decision, kind of action) kept in the page's address, pages of 50 entries newest first, the
 * names behind the ids, and the export of everything the filters select. Every search is itself
 * written to the log by the server.
 */
export default function AccessLogPage() {
  usePageTitle('Journal des accès');
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => filtersFromParams(params), [params]);
  const chosen = UUID.test(params.get('sid') ?? '') ? params.get('sid')! : undefined;
  const names = useDirectoryNames();

  const search = (filters: LogFilters) => setParams(filtersToParams(filters));

  return (
    <div className="page">
      <h1>Journal des accès</h1>
      <p className="lead">
        Chaque consultation d’une situation, chaque étape, chaque refus, chaque connexion et chaque opération d’administration y est inscrit : qui, pour quelle
        organisation, quoi, quand, et sur quel fondement — jamais le contenu d’une situation. Personne ne peut le modifier ; sa{' '}
        <Link to="/journal/verification">vérification</Link> le prouve.
      </p>
      <FiltersForm key={`filtres?${params.toString()}`} initial={applied} names={names} onSearch={search} />
      {applied.situation ? (
        <FoundSituation
          reference={applied.situation}
          chosen={chosen}
          onChoose={(sid) => setParams({ ...filtersToParams(applied), sid })}
          territoryName={names.territory}
        >
          {(situation) => <Results key={`resultats?${params.toString()}`} filters={applied} caseId={situation.id} names={names} />}
        </FoundSituation>
      ) : (
        <Results key={`resultats?${params.toString()}`} filters={applied} names={names} />
      )}
    </div>
  );
}

type Names = ReturnType<typeof useDirectoryNames>;

function FiltersForm({ initial, names, onSearch }: { initial: LogFilters; names: Names; onSearch: (f: LogFilters) => void }) {
  const [form, setForm] = useState<LogFilters>(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof LogFilters, string>>>({});
  const set = <K extends keyof LogFilters>(key: K, value: LogFilters[K]) => setForm((f) => ({ ...f, [key]: value }));
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = filterProblems(form);
    setErrors(problems);
    if (!Object.keys(problems).length) onSearch(form);
  };
  const value = (v: string) => (v === '' ? undefined : v);
  return (
    <form className="filters" onSubmit={submit} noValidate aria-labelledby="titre-filtres">
      <h2 id="titre-filtres" className="filters__title">
        Rechercher
      </h2>
      <div className="filters__grid">
        <TextField
          label="Situation (référence)"
          hint="Par exemple CAS-2026-0042."
          autoComplete="off"
          value={form.situation}
          onChange={(e) => set('situation', e.target.value)}
          error={errors.situation}
        />
        <Select
          label="Personne"
          variant="classic"
          searchable
          clearable
          fullWidth
          options={names.users.map((u) => ({ label: `${u.displayName} (${u.email})`, value: u.id }))}
          value={value(form.userId)}
          onChange={(e) => set('userId', String(e.target.value ?? ''))}
        />
        <Select
          label="Organisation"
          variant="classic"
          searchable
          clearable
          fullWidth
          options={names.organisations.map((o) => ({ label: o.name, value: o.id }))}
          value={value(form.organisationId)}
          onChange={(e) => set('organisationId', String(e.target.value ?? ''))}
        />
        <Select
          label="Type d’action"
          variant="classic"
          clearable
          fullWidth
          options={ACTION_FAMILIES.map((f) => ({ label: f.label, value: f.key }))}
          value={value(form.action)}
          onChange={(e) => set('action', String(e.target.value ?? ''))}
        />
        <TextField
          label="Du"
          hint="JJ/MM/AAAA"
          inputMode="numeric"
          autoComplete="off"
          value={form.from}
          onChange={(e) => set('from', e.target.value)}
          error={errors.from}
        />
        <TextField
          label="Au"
          hint="JJ/MM/AAAA, inclus"
          inputMode="numeric"
          autoComplete="off"
          value={form.to}
          onChange={(e) => set('to', e.target.value)}
          error={errors.to}
        />
        <Select
          label="Décision"
          variant="classic"
          clearable
          fullWidth
          options={[
            { label: 'Accès autorisés', value: 'allow' },
            { label: 'Accès refusés', value: 'deny' },
          ]}
          value={value(form.decision)}
          onChange={(e) => set('decision', (e.target.value ?? '') as LogFilters['decision'])}
        />
      </div>
      <div className="form-actions">
        <Button type="submit">Rechercher</Button>
        <Button type="button" color="brand" variant="secondary" onClick={() => onSearch(EMPTY_FILTERS)}>
          Effacer les filtres
        </Button>
      </div>
    </form>
  );
}

function Results({ filters, caseId, names }: { filters: LogFilters; caseId?: string; names: Names }) {
  const query = useMemo(() => serverQuery(filters, caseId ? [caseId] : []), [filters, caseId]);
  const [cursors, setCursors] = useState<string[]>([]);
  const page = useAuditEvents(query, cursors.at(-1));
  const items = page.data?.items ?? [];
  const references = useAuditSituations({ ids: items.map((i) => i.caseId).filter((id): id is string => Boolean(id)) });
  const referenceOf = useMemo(() => new Map((references.data ?? []).map((s) => [s.id, s.reference])), [references.data]);
  const heading = useRef<HTMLHeadingElement>(null);

  const turn = (next: string[]) => {
    setCursors(next);
    requestAnimationFrame(() => heading.current?.focus());
  };
  const described = [
    filters.situation && `situation ${filters.situation}`,
    filters.userId && names.person(filters.userId),
    filters.organisationId && names.organisation(filters.organisationId),
    filters.from && `depuis le ${filters.from}`,
    filters.to && `jusqu’au ${filters.to}`,
    filters.decision && (filters.decision === 'allow' ? 'accès autorisés' : 'accès refusés'),
    filters.action && ACTION_FAMILIES.find((f) => f.key === filters.action)?.label.toLowerCase(),
  ].filter(Boolean);

  return (
    <section aria-labelledby="titre-resultats" className="results">
      <div className="results__head">
        <h2 id="titre-resultats" ref={heading} tabIndex={-1}>
          Entrées{cursors.length ? ` — page ${cursors.length + 1}` : ''}
        </h2>
        <div className="results__export">
          <span id="export-aide">Télécharger toutes les entrées de cette recherche :</span>
          <a
            className="c__button c__button--brand c__button--brand--secondary c__button--small"
            href={exportHref('csv', query)}
            download
            aria-describedby="export-aide"
          >
            CSV (tableur)
          </a>
          <a
            className="c__button c__button--brand c__button--brand--secondary c__button--small"
            href={exportHref('json', query)}
            download
            aria-describedby="export-aide"
          >
            JSON
          </a>
        </div>
      </div>
      <p className="muted">
        {described.length ? `Filtres : ${described.join(' · ')}.` : 'Toutes les entrées de votre périmètre, des plus récentes aux plus anciennes.'}
      </p>
      <QueryState isPending={page.isPending} error={page.error} what="les entrées du journal" />
      {page.data && !items.length && <p className="empty">Aucune entrée ne correspond à cette recherche.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table table--log">
            <caption className="visually-hidden">Entrées du journal des accès, des plus récentes aux plus anciennes</caption>
            <thead>
              <tr>
                <th scope="col">Date et heure</th>
                <th scope="col">Personne</th>
                <th scope="col">Action</th>
                <th scope="col">Situation</th>
                <th scope="col">Informations</th>
                <th scope="col">Décision</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <LogRow key={entry.id} entry={entry} names={names} reference={entry.caseId ? referenceOf.get(entry.caseId) : undefined} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.length > 0 || page.data?.nextCursor) && (
        <nav className="pager" aria-label="Pages du journal">
          <Button color="neutral" variant="secondary" disabled={!cursors.length} onClick={() => turn(cursors.slice(0, -1))}>
            Entrées plus récentes
          </Button>
          <Button color="neutral" variant="secondary" disabled={!page.data?.nextCursor} onClick={() => turn([...cursors, page.data!.nextCursor!])}>
            Entrées plus anciennes
          </Button>
        </nav>
      )}
    </section>
  );
}

function LogRow({ entry, names, reference }: { entry: AuditEvent; names: Names; reference?: string }) {
  const denied = entry.decision === 'deny';
  return (
    <tr className={denied ? 'log-row--deny' : undefined}>
      <td className="nowrap">{logTime(entry.at)}</td>
      <td>
        <span className="strong">{names.person(entry.actorId)}</span>
        {entry.actorId && <span className="muted block">{names.organisation(entry.organisationId)}</span>}
      </td>
      <td>{actionLabel(entry.action)}</td>
      <td className="nowrap">
        {entry.caseId ? (
          reference ? (
            <Link to={`/journal/rapport-acces?situation=${encodeURIComponent(reference)}`} title={`Rapport d’accès de la situation ${reference}`}>
              {reference}
            </Link>
          ) : (
            <span className="muted">situation hors périmètre</span>
          )
        ) : (
          '—'
        )}
      </td>
      <td>{entry.classes.length ? classesLabel(entry.classes) : '—'}</td>
      <td>
        <span className={`decision decision--${entry.decision}`}>{denied ? 'Refusé' : 'Autorisé'}</span>
        {entry.purpose && <span className="muted block">{purposeLabel(entry, Boolean(entry.caseId))}</span>}
      </td>
    </tr>
  );
}
