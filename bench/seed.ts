/**
 * The benchmark's dataset, written fast: bulk SQL (multi-row INSERT … SELECT FROM unnest(…) in
 * batches, INSERT … SELECT over generate_series/joins for history and audit), real cryptography
 * (every case its own data key wrapped by the bench keyring's KEK, every identity / summary /
 * social / health value sealed with AD bound to its case, field and territory), real blind
 * indexes, one argon2id hash shared by every account.
 *
 * Shape, per territory: six organisations, a coordinator, four referrers, four commission members
 * (physician, housing, town, association), an auditor; one commission with its charter accepted;
 * twelve closed monthly sessions, one open now, one planned. Cases are spread over every state of
 * the lifecycle with consistent snapshots (built by the real machine), history, consent, agenda,
 * actions and audit trail. About 2 % of cases repeat an earlier person of their territory (the
 * duplicate check then has something to find).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { CaseEvent } from '../src/cases/events/registry.js';
import type { CaseState, PersistedCase } from '../src/cases/machine/context.js';
import { decide, initialCase, stateOf } from '../src/cases/machine/decide.js';
import type { Vault } from '../src/vault/vault.js';
import { CURRENT_KEY_VERSION } from '../src/vault/vault.service.js';
import { HOUSEHOLDS as CASE_HOUSEHOLDS, PROBLEMS as CASE_PROBLEMS } from '../src/cases/dto/create-case.dto.js';

export interface SeedUser {
  id: string;
  email: string;
  organisationId: string | null;
  territoryId: string | null;
}

export interface SeededTerritory {
  id: string;
  commissionId: string;
  orgs: Record<OrgKind, string>;
  coordinator: SeedUser;
  referrers: SeedUser[];
  members: SeedUser[];
  sessions: { closed: string[]; open: string; planned: string };
}

export interface SeededCase {
  id: string;
  territory: number;
  referrerId: string;
  state: CaseState;
  version: number;
  identityIndex: string;
}

export interface Dataset {
  territories: SeededTerritory[];
  users: SeedUser[];
  cases: SeededCase[];
  /** The password of every seeded account. */
  password: string;
  /** The snapshots of the plan_active ⇄ follow_up cycle (for the raw SQL baseline). */
  cycleSnapshots: { plan_active: string; follow_up: string };
  seconds: number;
  rows: Record<string, number>;
}

export interface SeedOptions {
  cases: number;
  territories: number;
  vault: Vault;
  /** argon2id hash of `password`, computed once. */
  passwordHash: string;
  password: string;
  now?: Date;
  batchSize?: number;
  log?: (line: string) => void;
}

type OrgKind = 'social' | 'health' | 'housing' | 'municipal' | 'association' | 'coordination';

const DAY = 86_400_000;

/** Small deterministic PRNG (mulberry32): the same dataset shape on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of cases per state: most situations are followed for months once a plan is adopted. */
const STATE_SHARES: [CaseState, number][] = [
  ['draft', 0.03],
  ['submitted', 0.05],
  ['awaiting_consent', 0.07],
  ['consent_refused', 0.02],
  ['ready_for_review', 0.08],
  ['scheduled', 0.05],
  ['in_review', 0.02],
  ['plan_active', 0.3],
  ['follow_up', 0.15],
  ['closed', 0.23],
];

const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Thomas',
  'Petit',
  'Robert',
  'Richard',
  'Durand',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Lefèvre',
  'Leroy',
  'Roux',
  'David',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Muller',
  'Lefebvre',
  'Faure',
  'André',
  'Mercier',
  'Blanc',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'François',
  'Legrand',
  'Gauthier',
  'Garcia',
  'Perrin',
  'Robin',
  'Clément',
  'Morin',
  'Nicolas',
  'Henry',
  'Roussel',
  'Mathieu',
  'Gautier',
  'Masson',
  'Marchand',
  'Duval',
  'Denis',
  'Dumont',
  'Marie',
  'Lemaire',
  'Noël',
  'Meyer',
  'Dufour',
  'Meunier',
  'Brun',
  'Blanchard',
  'Giraud',
  'Joly',
  'Rivière',
  'Lucas',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Martinez',
  'Gérard',
  'Roche',
  'Renard',
  'Schmitt',
  'Roy',
  'Leroux',
  'Colin',
  'Vidal',
  'Caron',
  "N'Diaye",
  'Benali',
  'Nguyen',
  'Da Silva',
];
const FIRST_NAMES = [
  'Jean',
  'Marie',
  'Michel',
  'Monique',
  'Pierre',
  'Françoise',
  'André',
  'Nathalie',
  'Philippe',
  'Isabelle',
  'Alain',
  'Sylvie',
  'Bernard',
  'Catherine',
  'Jacques',
  'Martine',
  'Daniel',
  'Christine',
  'Patrick',
  'Valérie',
  'Christian',
  'Sandrine',
  'Nicolas',
  'Céline',
  'Éric',
  'Stéphanie',
  'Laurent',
  'Sophie',
  'Frédéric',
  'Aurélie',
  'Karim',
  'Fatima',
  'Mohamed',
  'Aïcha',
  'Julien',
  'Camille',
  'Kévin',
  'Émilie',
  'Thierry',
  'Josiane',
  'Gérard',
  'Odile',
  'Yannick',
  'Chantal',
  'Mathieu',
  'Léa',
  'Hugo',
  'Manon',
];
const STREETS = [
  'rue Victor-Hugo',
  'avenue Jean-Jaurès',
  'rue de la République',
  'boulevard Pasteur',
  'rue des Lilas',
  'impasse du Moulin',
  'allée des Tilleuls',
  'rue Jules-Ferry',
  'place de la Mairie',
  'chemin des Vignes',
];
const DISTRICTS = [
  'Centre-ville',
  'Les Tilleuls',
  'Quartier Nord',
  'La Gare',
  'Les Coteaux',
  'Bas-Bourg',
  'Le Plateau',
  'Les Aubépines',
  'Cité Jardin',
  'Faubourg Est',
];
const HOUSEHOLDS = [...CASE_HOUSEHOLDS];
// Every category but 'other', as referrers would pick them.
const PROBLEMS = CASE_PROBLEMS.filter((p) => p !== 'other');
const PARTNERS = ['health', 'social', 'housing', 'municipal', 'association'];
const QUESTIONS = [
  'Comment éviter une expulsion locative tout en renouant le lien avec le soin ?',
  "Quelle coordination mettre en place autour d'une personne isolée qui refuse les visites ?",
  "Comment répondre aux plaintes du voisinage sans rompre l'accompagnement en cours ?",
  'Quel relais proposer après une hospitalisation, sans suivi ambulatoire organisé ?',
  "Comment sécuriser le logement et l'hygiène sans mesure contraignante ?",
];
const NARRATIVES = [
  "Personne vivant seule depuis le décès de son conjoint, en rupture de soins depuis plusieurs mois. Le bailleur signale des impayés et une accumulation d'objets dans le logement. Le voisinage s'inquiète de cris nocturnes. Les visites du service social restent sans réponse depuis l'été.",
  'Situation suivie par plusieurs services sans coordination. Hospitalisations répétées aux urgences, sorties sans relais. Difficultés administratives importantes, droits non ouverts, courriers non ouverts. La famille est éloignée et épuisée.',
  'Conflit de voisinage ancien, dégradé depuis quelques mois. Signalements à la mairie et au bailleur, dépôt de main courante. La personne exprime un sentiment de persécution et refuse toute aide à domicile.',
  'Logement très encombré, risque incendie signalé par le bailleur. Personne âgée, autonome pour les actes essentiels mais en perte de repères. Pas de médecin traitant déclaré, traitement interrompu.',
];
const TRIED = [
  'Visites à domicile, courriers du bailleur, contact avec le médecin traitant',
  'Orientation vers le CMP restée sans suite, rendez-vous non honorés',
  "Mise en place d'une aide ménagère refusée après deux passages",
  'Signalement au CCAS, proposition de mesure de protection discutée avec la famille',
];
const EXPECTATIONS = [
  'Un plan partagé entre le CMP et le bailleur',
  'Désigner un référent de parcours et un calendrier de visites',
  'Une évaluation conjointe sanitaire et sociale à domicile',
  'Coordonner les interventions pour éviter une hospitalisation sous contrainte',
];
const SOCIAL = [
  'Dette locative de {n} mois, RSA suspendu faute de déclaration trimestrielle, isolement familial marqué.',
  'Allocation adulte handicapé en cours de renouvellement, découvert bancaire, aucune démarche depuis {n} mois.',
  'Mesure de curatelle envisagée, famille en désaccord, {n} signalements du bailleur cette année.',
];
const HEALTH = [
  'Suivi CMP interrompu depuis {n} mois, traitement antipsychotique arrêté, deux passages aux urgences.',
  "Trouble bipolaire diagnostiqué, hospitalisation de {n} semaines l'an dernier, pas de suivi infirmier depuis.",
  "Consommation d'alcool importante, chutes répétées, bilan cognitif proposé il y a {n} mois non réalisé.",
];
const CONSENT_SCOPE = JSON.stringify([
  { sector: 'health', classes: ['identity', 'health', 'social'] },
  { sector: 'social', classes: ['identity', 'social'] },
  { sector: 'housing', classes: ['identity'] },
]);

interface PathStep {
  event: string;
  from: string | null;
  to: string;
  version: number;
  actor: 'r' | 'c';
  dayOffset: number;
}

interface StateTemplate {
  /** Snapshot JSON per territory (the session id differs). */
  snapshots: string[];
  path: PathStep[];
  version: number;
  followUpAt: string | null;
  closedAt: string | null;
}

/** Runs the real machine along the usual path to each state, so every snapshot is one it produced. */
function buildTemplates(territories: SeededTerritory[], now: Date): { templates: Map<CaseState, StateTemplate>; consentExpiresAt: string } {
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const consentExpiresAt = at(330);
  const followUpAt = at(60);
  const templates = new Map<CaseState, StateTemplate>();
  for (const [state] of STATE_SHARES) {
    const snapshots: string[] = [];
    let path: PathStep[] = [];
    let last: PersistedCase | undefined;
    for (const t of territories) {
      const events: { event: CaseEvent; actor: 'r' | 'c' }[] = [];
      const push = (event: CaseEvent, actor: 'r' | 'c') => events.push({ event, actor });
      const consent =
        state === 'consent_refused' ? { decision: 'refused' as const, expiresAt: null } : { decision: 'granted' as const, expiresAt: consentExpiresAt };
      const order = STATE_SHARES.map(([s]) => s);
      const reached = (s: CaseState) => order.indexOf(state) >= order.indexOf(s) && state !== 'consent_refused';
      if (state !== 'draft') push({ type: 'SUBMIT', at: at(-60) }, 'r');
      if (!['draft', 'submitted'].includes(state)) push({ type: 'ACCEPT', at: at(-58) }, 'c');
      if (state === 'consent_refused' || reached('ready_for_review')) push({ type: 'RECORD_CONSENT', at: at(-50), ...consent }, 'r');
      if (state === 'scheduled') push({ type: 'SCHEDULE', at: at(-40), session: { id: t.sessions.planned, status: 'planned', sameCommission: true } }, 'c');
      if (state === 'in_review') push({ type: 'SCHEDULE', at: at(-40), session: { id: t.sessions.open, status: 'planned', sameCommission: true } }, 'c');
      if (reached('plan_active')) push({ type: 'SCHEDULE', at: at(-40), session: { id: t.sessions.closed[0], status: 'planned', sameCommission: true } }, 'c');
      if (reached('in_review')) push({ type: 'START_REVIEW', at: at(-30), sessionOpen: true }, 'c');
      if (reached('plan_active')) {
        push(
          {
            type: 'ADOPT_PLAN',
            at: at(-30),
            followUpAt,
            actions: [
              { title: 'Visite conjointe', ownerOrganisationId: t.orgs.housing, dueAt: at(20), assigneeUserId: null },
              { title: 'Reprise du suivi', ownerOrganisationId: t.orgs.health, dueAt: at(30), assigneeUserId: null },
            ],
          },
          'c',
        );
      }
      if (reached('follow_up')) push({ type: 'FOLLOW_UP_DUE', at: at(-25) }, 'c');
      if (state === 'closed') push({ type: 'CLOSE', at: at(-20), outcome: 'resolved' }, 'c');
      let snapshot = initialCase().snapshot;
      path = [{ event: 'CREATE', from: null, to: 'draft', version: 1, actor: 'r', dayOffset: 0 }];
      for (const [i, { event, actor }] of events.entries()) {
        const decision = decide(snapshot, event);
        if (!decision.ok) throw new Error(`bench seed: ${event.type} refused on the way to ${state}`);
        path.push({ event: event.type, from: stateOf(snapshot), to: decision.state, version: i + 2, actor, dayOffset: 2 + i * 7 });
        snapshot = decision.snapshot;
      }
      if (stateOf(snapshot) !== state) throw new Error(`bench seed: the path to ${state} ends in ${stateOf(snapshot)}`);
      snapshots.push(JSON.stringify(snapshot));
      last = snapshot;
    }
    templates.set(state, {
      snapshots,
      path,
      version: path.length,
      followUpAt: last?.context.plan?.followUpAt ?? null,
      closedAt: last?.context.closedAt ?? null,
    });
  }
  return { templates, consentExpiresAt };
}

/** A column of a bulk insert: its name, the element type of its array parameter, an optional cast. */
export type BulkColumn = [name: string, arrayType: string, cast?: string];

/** `INSERT INTO table (…) SELECT … FROM unnest($n::t[], …)`, parameters numbered from `first`. */
export function unnestSql(table: string, columns: BulkColumn[], first = 1): string {
  const list = columns.map(([name]) => name).join(', ');
  const args = columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');
  const select = columns.map(([, , cast], i) => (cast ? `u.c${i}::${cast}` : `u.c${i}`)).join(', ');
  return `INSERT INTO ${table} (${list}) SELECT ${select} FROM unnest(${args}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})`;
}

/** One statement for a whole batch of rows (one array parameter per column). */
export function unnestInsert(client: pg.Client, table: string, columns: BulkColumn[], values: unknown[][]): Promise<pg.QueryResult> {
  return client.query(unnestSql(table, columns), values);
}

const CASE_COLUMNS: BulkColumn[] = [
  ['id', 'uuid'],
  ['territory_id', 'uuid'],
  ['commission_id', 'uuid'],
  ['reference', 'text'],
  ['referrer_user_id', 'uuid'],
  ['referrer_organisation_id', 'uuid'],
  ['state', 'text'],
  ['snapshot', 'text', 'jsonb'],
  ['version', 'int'],
  ['session_id', 'uuid'],
  ['age_band', 'text'],
  ['district', 'text'],
  ['household', 'text'],
  ['problems', 'text', 'text[]'],
  ['partners_involved', 'text', 'text[]'],
  ['minor_in_household', 'bool'],
  ['identity_index', 'text'],
  ['follow_up_at', 'timestamptz'],
  ['closure', 'text'],
  ['outcome', 'text'],
  ['closed_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['last_activity_at', 'timestamptz'],
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function ageBand(birthYear: number, now: Date): string {
  const age = now.getUTCFullYear() - birthYear;
  if (age < 18) return '0-17';
  if (age < 25) return '18-24';
  if (age < 30) return '25-29';
  if (age >= 80) return '80+';
  const low = Math.floor(age / 10) * 10;
  return `${low}-${low + 9}`;
}

interface Identity {
  lastName: string;
  firstName: string;
  birthDate: string;
  address: string;
  phone: string;
  email?: string;
}

/** Accounts, organisations, commissions, charters and sessions of every territory. */
async function seedTerritories(client: pg.Client, options: SeedOptions, now: Date): Promise<{ territories: SeededTerritory[]; users: SeedUser[] }> {
  const territories: SeededTerritory[] = [];
  const users: SeedUser[] = [];
  const userRows: unknown[][] = [[], [], [], [], [], [], [], []];
  const addUser = (email: string, name: string, organisationId: string | null, territoryId: string | null, roles: string[], profession: string): SeedUser => {
    const user: SeedUser = { id: randomUUID(), email, organisationId, territoryId };
    for (const [i, v] of [user.id, email, options.passwordHash, name, organisationId, territoryId, `{${roles.join(',')}}`, profession].entries())
      userRows[i].push(v);
    users.push(user);
    return user;
  };
  addUser('admin@bench.invalid', 'Bench admin', null, null, ['admin'], 'none');
  const orgRows: unknown[][] = [[], [], [], []];
  const sessionRows: unknown[][] = [[], [], [], [], [], [], [], []];
  for (let t = 0; t < options.territories; t++) {
    const id = randomUUID();
    const code = pad(t + 1, 2);
    const orgNames: Record<OrgKind, string> = {
      social: 'Service social départemental',
      health: 'CMP',
      housing: 'Bailleur social',
      municipal: 'Mairie',
      association: 'Association de quartier',
      coordination: 'Coordination CLSM',
    };
    const orgs = {} as Record<OrgKind, string>;
    for (const [kind, name] of Object.entries(orgNames) as [OrgKind, string][]) {
      orgs[kind] = randomUUID();
      for (const [i, v] of [orgs[kind], id, `${name} ${code}`, kind].entries()) orgRows[i].push(v);
    }
    const coordinator = addUser(`coordinator.${code}@bench.invalid`, `Coordination ${code}`, orgs.coordination, null, ['coordinator'], 'none');
    const referrers = [
      addUser(`referrer1.${code}@bench.invalid`, `Référente ${code}-1`, orgs.social, null, ['referrer'], 'social_worker'),
      addUser(`referrer2.${code}@bench.invalid`, `Référent ${code}-2`, orgs.social, null, ['referrer'], 'social_worker'),
      addUser(`referrer3.${code}@bench.invalid`, `Référente ${code}-3`, orgs.municipal, null, ['referrer'], 'social_care_staff'),
      addUser(`referrer4.${code}@bench.invalid`, `Référent ${code}-4`, orgs.health, null, ['referrer', 'member'], 'physician'),
    ];
    const members = [
      addUser(`psychiatrist.${code}@bench.invalid`, `Psychiatre ${code}`, orgs.health, null, ['member'], 'physician'),
      addUser(`housing.${code}@bench.invalid`, `Bailleur ${code}`, orgs.housing, null, ['member'], 'none'),
      addUser(`town.${code}@bench.invalid`, `Mairie ${code}`, orgs.municipal, null, ['member'], 'none'),
      addUser(`association.${code}@bench.invalid`, `Association ${code}`, orgs.association, null, ['member'], 'educator'),
    ];
    addUser(`auditor.${code}@bench.invalid`, `Audit ${code}`, null, id, ['auditor'], 'none');
    const commissionId = randomUUID();
    const sessions = { closed: [] as string[], open: randomUUID(), planned: randomUUID() };
    const addSession = (sid: string, startsAt: Date, status: string) => {
      const opened = status === 'planned' ? null : startsAt.toISOString();
      const closed = status === 'closed' ? new Date(startsAt.getTime() + 2 * 3600_000).toISOString() : null;
      for (const [i, v] of [
        sid,
        commissionId,
        id,
        startsAt.toISOString(),
        new Date(startsAt.getTime() + 3 * 3600_000).toISOString(),
        status,
        opened,
        closed,
      ].entries())
        sessionRows[i].push(v);
    };
    for (let m = 12; m >= 1; m--) {
      const sid = randomUUID();
      sessions.closed.push(sid);
      addSession(sid, new Date(now.getTime() - m * 30 * DAY), 'closed');
    }
    addSession(sessions.open, new Date(now.getTime() - 3600_000), 'open');
    addSession(sessions.planned, new Date(now.getTime() + 28 * DAY), 'planned');
    territories.push({ id, commissionId, orgs, coordinator, referrers, members, sessions });
  }
  await unnestInsert(
    client,
    'territories',
    [
      ['id', 'uuid'],
      ['name', 'text'],
    ],
    [territories.map((t) => t.id), territories.map((_, i) => `CLSM bench ${pad(i + 1, 2)}`)],
  );
  await unnestInsert(
    client,
    'organisations',
    [
      ['id', 'uuid'],
      ['territory_id', 'uuid'],
      ['name', 'text'],
      ['sector', 'text'],
    ],
    orgRows,
  );
  await unnestInsert(
    client,
    'users',
    [
      ['id', 'uuid'],
      ['email', 'text'],
      ['password_hash', 'text'],
      ['display_name', 'text'],
      ['organisation_id', 'uuid'],
      ['territory_id', 'uuid'],
      ['roles', 'text', 'text[]'],
      ['profession', 'text'],
    ],
    userRows,
  );
  await unnestInsert(
    client,
    'commissions',
    [
      ['id', 'uuid'],
      ['territory_id', 'uuid'],
      ['name', 'text'],
    ],
    [territories.map((t) => t.commissionId), territories.map((t) => t.id), territories.map((_, i) => `Cellule de cas complexes ${pad(i + 1, 2)}`)],
  );
  await client.query(`INSERT INTO commission_members (commission_id, user_id) SELECT c, u FROM unnest($1::uuid[], $2::uuid[]) AS x(c, u)`, [
    territories.flatMap((t) => t.members.map(() => t.commissionId)),
    territories.flatMap((t) => t.members.map((m) => m.id)),
  ]);
  await client.query(
    `INSERT INTO charter_versions (commission_id, version, text, created_by) SELECT c, 1, 'Charte de confidentialité de la cellule, version 1', u FROM unnest($1::uuid[], $2::uuid[]) AS x(c, u)`,
    [territories.map((t) => t.commissionId), territories.map((t) => t.coordinator.id)],
  );
  await client.query(`INSERT INTO charter_acceptances (commission_id, version, user_id) SELECT commission_id, 1, user_id FROM commission_members`);
  await unnestInsert(
    client,
    'sessions',
    [
      ['id', 'uuid'],
      ['commission_id', 'uuid'],
      ['territory_id', 'uuid'],
      ['starts_at', 'timestamptz'],
      ['ends_at', 'timestamptz'],
      ['status', 'text'],
      ['opened_at', 'timestamptz'],
      ['closed_at', 'timestamptz'],
    ],
    sessionRows,
  );
  await client.query(
    `INSERT INTO session_attendance (session_id, user_id, charter_version)
     SELECT s.id, m.user_id, 1 FROM sessions s JOIN commission_members m ON m.commission_id = s.commission_id WHERE s.status <> 'planned'`,
  );
  return { territories, users };
}

function fill(template: string, rand: () => number): string {
  return template.replace('{n}', String(2 + Math.floor(rand() * 10)));
}

/** Seeds everything; returns what the load generators need to address cases and accounts. */
export async function seedDataset(client: pg.Client, options: SeedOptions): Promise<Dataset> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const now = options.now ?? new Date();
  const rand = prng(20260101);
  const vault = options.vault;
  await client.query(`SET synchronous_commit = off`);
  await client.query(`INSERT INTO vault_keys (kek_id, check_value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    vault.currentKekId,
    vault.checkValue(vault.currentKekId),
  ]);
  const { territories, users } = await seedTerritories(client, options, now);
  const { templates, consentExpiresAt } = buildTemplates(territories, now);
  const cumulative: [CaseState, number][] = [];
  let acc = 0;
  for (const [state, share] of STATE_SHARES) cumulative.push([state, (acc += share)]);
  const cases: SeededCase[] = [];
  const counters = new Map<string, number>();
  const recent: Identity[][] = territories.map(() => []);
  const positions = new Map<string, number>();
  const batchSize = options.batchSize ?? 1000;
  let inFlight: Promise<unknown> | undefined;
  let fieldRows = 0;
  for (let start = 0; start < options.cases; start += batchSize) {
    const end = Math.min(options.cases, start + batchSize);
    const c: unknown[][] = CASE_COLUMNS.map(() => []);
    const keys: unknown[][] = [[], [], []];
    const fields: unknown[][] = [[], [], [], [], []];
    const agenda: unknown[][] = [[], [], []];
    for (let i = start; i < end; i++) {
      const t = i % territories.length;
      const territory = territories[t];
      const r = rand();
      const state = (cumulative.find(([, limit]) => r < limit) ?? cumulative[cumulative.length - 1])[0];
      const template = templates.get(state)!;
      const referrer = pick(rand, territory.referrers);
      const id = randomUUID();
      const createdAt = new Date(now.getTime() - (70 + Math.floor(rand() * 900)) * DAY);
      const year = createdAt.getUTCFullYear();
      const counterKey = `${t}/${year}`;
      const n = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, n);
      let person: Identity;
      const seen = recent[t];
      if (seen.length > 10 && rand() < 0.02) {
        person = seen[Math.floor(rand() * seen.length)];
      } else {
        const birthYear = 1935 + Math.floor(rand() * 70);
        const first = pick(rand, FIRST_NAMES);
        const last = pick(rand, LAST_NAMES);
        person = {
          lastName: last,
          firstName: first,
          birthDate: `${birthYear}-${pad(1 + Math.floor(rand() * 12), 2)}-${pad(1 + Math.floor(rand() * 28), 2)}`,
          address: `${1 + Math.floor(rand() * 120)} ${pick(rand, STREETS)}`,
          phone: `0${6 + Math.floor(rand() * 2)} ${pad(Math.floor(rand() * 100), 2)} ${pad(Math.floor(rand() * 100), 2)} ${pad(Math.floor(rand() * 100), 2)} ${pad(Math.floor(rand() * 100), 2)}`,
          ...(rand() < 0.5 ? { email: `${first}.${last}${Math.floor(rand() * 100)}@exemple.fr`.toLowerCase().replace(/[^a-z0-9.@]/g, '') } : {}),
        };
        if (seen.length < 500) seen.push(person);
        else seen[Math.floor(rand() * seen.length)] = person;
      }
      const identityIndex = vault.blindIndex(person);
      const problems = PROBLEMS.filter(() => rand() < 0.22).slice(0, 4);
      if (!problems.length) problems.push(pick(rand, PROBLEMS));
      const sessionId = state === 'scheduled' ? territory.sessions.planned : state === 'in_review' ? territory.sessions.open : null;
      const updatedAt = new Date(Math.min(now.getTime() - DAY, createdAt.getTime() + (template.version - 1) * 7 * DAY));
      const row = [
        id,
        territory.id,
        territory.commissionId,
        `CAS-${year}-${pad(n, 4)}`,
        referrer.id,
        referrer.organisationId,
        state,
        template.snapshots[t],
        template.version,
        sessionId,
        ageBand(Number(person.birthDate.slice(0, 4)), now),
        pick(rand, DISTRICTS),
        pick(rand, HOUSEHOLDS),
        `{${problems.join(',')}}`,
        `{${PARTNERS.filter(() => rand() < 0.4).join(',')}}`,
        rand() < 0.08,
        identityIndex,
        state === 'plan_active' || state === 'follow_up' ? template.followUpAt : null,
        state === 'closed' ? 'outcome' : null,
        state === 'closed' ? 'resolved' : null,
        state === 'closed' ? template.closedAt : null,
        createdAt.toISOString(),
        updatedAt.toISOString(),
        // An open case has had some activity within the year (action updates): one idle for the
        // retention period would be purged by the servers' retention job during the run.
        (state === 'closed' || state === 'purged' ? updatedAt : new Date(Math.max(updatedAt.getTime(), now.getTime() - 365 * DAY))).toISOString(),
      ];
      for (let k = 0; k < row.length; k++) c[k].push(row[k]);
      cases.push({ id, territory: t, referrerId: referrer.id, state, version: template.version, identityIndex });

      // Envelope: the case's own data key, wrapped by the KEK; every value sealed under it.
      const dataKey = vault.newDataKey();
      const { wrapped } = vault.wrapDataKey(dataKey, id);
      keys[0].push(id);
      keys[1].push(vault.currentKekId);
      keys[2].push(wrapped);
      const values: [string, string, string][] = [
        ['identity', 'lastName', person.lastName],
        ['identity', 'firstName', person.firstName],
        ['identity', 'birthDate', person.birthDate],
        ['identity', 'address', person.address],
        ['identity', 'phone', person.phone],
        ...(person.email ? ([['identity', 'email', person.email]] as [string, string, string][]) : []),
        ['summary', 'question', pick(rand, QUESTIONS)],
        ['summary', 'narrative', pick(rand, NARRATIVES)],
        ['summary', 'alreadyTried', pick(rand, TRIED)],
        ['summary', 'expectations', pick(rand, EXPECTATIONS)],
        ['social', 'narrative', fill(pick(rand, SOCIAL), rand)],
        ['health', 'narrative', fill(pick(rand, HEALTH), rand)],
      ];
      for (const [cls, field, plain] of values) {
        fields[0].push(id);
        fields[1].push(cls);
        fields[2].push(field);
        fields[3].push(CURRENT_KEY_VERSION);
        fields[4].push(vault.seal(dataKey, { territoryId: territory.id, caseId: id, cls: cls as 'identity', field, keyVersion: CURRENT_KEY_VERSION }, plain));
      }
      fieldRows += values.length;
      dataKey.fill(0);

      const agendaSession =
        sessionId ??
        (['plan_active', 'follow_up', 'closed'].includes(state) ? territory.sessions.closed[Math.floor(rand() * territory.sessions.closed.length)] : null);
      if (agendaSession) {
        const position = (positions.get(agendaSession) ?? 0) + 1;
        positions.set(agendaSession, position);
        agenda[0].push(agendaSession);
        agenda[1].push(id);
        agenda[2].push(position);
      }
    }
    // One batch in flight while the next is generated: PostgreSQL and Node each take a core.
    await inFlight;
    const statements = [
      unnestSql('cases', CASE_COLUMNS, 1),
      unnestSql(
        'case_keys',
        [
          ['case_id', 'uuid'],
          ['kek_id', 'text'],
          ['wrapped_key', 'bytea'],
        ],
        CASE_COLUMNS.length + 1,
      ),
      unnestSql(
        'case_fields',
        [
          ['case_id', 'uuid'],
          ['class', 'text'],
          ['field', 'text'],
          ['key_version', 'int'],
          ['sealed', 'bytea'],
        ],
        CASE_COLUMNS.length + 4,
      ),
      unnestSql(
        'agenda_items',
        [
          ['session_id', 'uuid'],
          ['case_id', 'uuid'],
          ['position', 'int'],
        ],
        CASE_COLUMNS.length + 9,
      ),
    ];
    // One statement per batch (data-modifying CTEs; foreign keys are checked at its end).
    const sql = `WITH ${statements
      .slice(0, 3)
      .map((q, k) => `w${k} AS (${q})`)
      .join(', ')} ${statements[3]}`;
    inFlight = client.query(sql, [...c, ...keys, ...fields, ...agenda]).catch((error: Error) => {
      throw new Error(`bench seed: batch of cases: ${error.message}`);
    });
    inFlight.catch(() => undefined);
    if ((end / batchSize) % 20 === 0) log(`  ${end} cases written`);
  }
  await inFlight;
  log(`  ${options.cases} cases, ${fieldRows} sealed fields: ${((performance.now() - started) / 1000).toFixed(1)} s; history, consent, plans, audit…`);

  const tc = [
    territories.map((t) => t.id),
    territories.map((t) => t.coordinator.id),
    territories.map((t) => t.orgs.coordination),
    territories.map((t) => t.orgs.housing),
    territories.map((t) => t.orgs.health),
  ];
  const TC = `unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[]) AS tc(territory_id, coordinator_id, coordinator_org, housing_org, health_org)`;
  const steps = [...templates.entries()].flatMap(([state, tpl]) => tpl.path.map((p) => ({ state, ...p })));
  await client.query(
    `INSERT INTO case_events (case_id, territory_id, event, from_state, to_state, version, actor_user_id, actor_organisation_id, at)
     SELECT c.id, c.territory_id, p.event, p.from_state, p.to_state, p.version,
            CASE WHEN p.actor = 'r' THEN c.referrer_user_id ELSE tc.coordinator_id END,
            CASE WHEN p.actor = 'r' THEN c.referrer_organisation_id ELSE tc.coordinator_org END,
            least(c.created_at + p.day_offset * interval '1 day', c.updated_at)
       FROM cases c
       JOIN ${TC} ON tc.territory_id = c.territory_id
       JOIN unnest($6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[])
            AS p(state, version, event, from_state, to_state, actor, day_offset) ON p.state = c.state
      ORDER BY c.created_at, p.version`,
    [
      ...tc,
      steps.map((s) => s.state),
      steps.map((s) => s.version),
      steps.map((s) => s.event),
      steps.map((s) => s.from),
      steps.map((s) => s.to),
      steps.map((s) => s.actor),
      steps.map((s) => s.dayOffset),
    ],
  );
  await client.query(
    `INSERT INTO consents (case_id, decision, method, informed_at, informed_by_user_id, scope, expires_at, recorded_at)
     SELECT c.id, CASE WHEN c.state = 'consent_refused' THEN 'refused' ELSE 'granted' END, 'written',
            c.created_at + interval '9 days', c.referrer_user_id,
            CASE WHEN c.state = 'consent_refused' THEN '[]'::jsonb ELSE $1::jsonb END,
            CASE WHEN c.state = 'consent_refused' THEN NULL ELSE $2::timestamptz END,
            c.created_at + interval '10 days'
       FROM cases c WHERE c.state NOT IN ('draft', 'submitted', 'awaiting_consent')`,
    [CONSENT_SCOPE, consentExpiresAt],
  );
  await client.query(
    `INSERT INTO actions (case_id, territory_id, title, owner_organisation_id, due_at, status, plan_version, created_at, updated_at, updated_by)
     SELECT c.id, c.territory_id, a.title, CASE a.n WHEN 1 THEN tc.housing_org ELSE tc.health_org END,
            now() + (a.n * 15 - 20) * interval '1 day',
            CASE WHEN c.state = 'closed' THEN 'done' WHEN a.n = 1 THEN 'in_progress' ELSE 'todo' END,
            1, c.updated_at, c.updated_at, tc.coordinator_id
       FROM cases c JOIN ${TC} ON tc.territory_id = c.territory_id
      CROSS JOIN (VALUES (1, 'Visite conjointe bailleur et équipe mobile'), (2, 'Reprise du suivi au CMP')) AS a(n, title)
      WHERE c.state IN ('plan_active', 'follow_up', 'closed')`,
    tc,
  );
  // The audit trail: one entry per event, then two reads per case (its referrer, the coordinator).
  await client.query(
    `INSERT INTO audit_events (at, actor_id, organisation_id, territory_id, action, case_id, classes, decision, purpose, detail)
     SELECT e.at, e.actor_user_id, e.actor_organisation_id, e.territory_id,
            CASE WHEN e.event = 'CREATE' THEN 'case.create' ELSE 'case.event.' || e.event END, e.case_id,
            CASE WHEN e.event = 'CREATE' THEN ARRAY['identity','summary','social','health'] ELSE '{}'::text[] END, 'allow',
            CASE WHEN e.actor_user_id = c.referrer_user_id THEN 'referrer' ELSE 'coordinator' END,
            CASE WHEN e.event = 'CREATE' THEN '{}'::jsonb ELSE jsonb_build_object('from', e.from_state, 'to', e.to_state, 'version', e.version) END
       FROM case_events e JOIN cases c ON c.id = e.case_id ORDER BY e.id`,
  );
  await client.query(
    `INSERT INTO audit_events (at, actor_id, organisation_id, territory_id, action, case_id, classes, decision, purpose, detail)
     SELECT c.updated_at + g * interval '1 hour', CASE g WHEN 1 THEN c.referrer_user_id ELSE tc.coordinator_id END,
            CASE g WHEN 1 THEN c.referrer_organisation_id ELSE tc.coordinator_org END, c.territory_id, 'case.read', c.id,
            CASE g WHEN 1 THEN ARRAY['meta','summary','plan','consent','identity','social','health'] ELSE ARRAY['meta','summary','plan','consent'] END,
            'allow', CASE g WHEN 1 THEN 'referrer' ELSE 'coordinator' END, '{}'::jsonb
       FROM cases c JOIN ${TC} ON tc.territory_id = c.territory_id CROSS JOIN generate_series(1, 2) AS g
      ORDER BY c.updated_at`,
    tc,
  );
  await client.query(
    `INSERT INTO reference_counters (territory_id, year, last_value)
     SELECT territory_id, split_part(reference, '-', 2)::int, max(split_part(reference, '-', 3)::int) FROM cases GROUP BY 1, 2`,
  );
  const rows: Record<string, number> = {};
  for (const table of ['cases', 'case_fields', 'case_events', 'consents', 'actions', 'agenda_items', 'audit_events', 'users']) {
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows as { n: number }[];
    rows[table] = n;
  }
  await client.query('VACUUM (ANALYZE)');
  const seconds = (performance.now() - started) / 1000;
  log(
    `  seeded in ${seconds.toFixed(1)} s: ${Object.entries(rows)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const cycleSnapshots = { plan_active: templates.get('plan_active')!.snapshots[0], follow_up: templates.get('follow_up')!.snapshots[0] };
  return { territories, users, cases, password: options.password, cycleSnapshots, seconds, rows };
}
