import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, unwrap, type CaseEventType, type CaseListItem, type Schemas } from './client';
import type { paths } from './schema';

/**
 * The data of the screens, through TanStack Query over the generated client. Keys are by
 * resource; a write invalidates what it changed. Nothing here is persisted: the cache lives in
 * the page's memory and is cleared at sign-out (SessionProvider).
 */
/**
 * Screens of shared work (sessions, agendas, dossiers, actions) read their data again when they
 * open (`refetchOnMount: 'always'`): what others did meanwhile shows at once.
 */
export const keys = {
  cases: ['cases'] as const,
  case: (id: string) => ['cases', id] as const,
  history: (id: string) => ['cases', id, 'history'] as const,
  sessionRecords: (id: string) => ['cases', id, 'session-records'] as const,
  documents: (id: string) => ['cases', id, 'documents'] as const,
  duplicates: (id: string) => ['cases', id, 'duplicates'] as const,
  commissions: ['commissions'] as const,
  charter: (commissionId: string) => ['commissions', commissionId, 'charter'] as const,
  organisations: ['organisations'] as const,
  recent: ['me', 'recent-situations'] as const,
  todo: ['me', 'todo'] as const,
  territories: ['territories'] as const,
  users: ['users'] as const,
  auditEvents: (query: Record<string, string>, cursor: string | undefined) => ['audit', 'events', query, cursor ?? null] as const,
  auditSituations: (by: Record<string, string>) => ['audit', 'situations', by] as const,
  accessReport: (caseId: string) => ['audit', 'access-report', caseId] as const,
  caseAccesses: (id: string) => ['cases', id, 'access-report'] as const,
  register: ['register'] as const,
  /** Everything about sessions (lists, agendas, dossiers, invitations) starts with this key. */
  sessions: ['sessions'] as const,
  sessionsOf: (commissionId: string) => ['sessions', 'of', commissionId] as const,
  allSessions: ['sessions', 'all'] as const,
  agenda: (id: string) => ['sessions', id, 'agenda'] as const,
  dossier: (id: string) => ['sessions', id, 'dossier'] as const,
  invitations: (id: string) => ['sessions', id, 'invitations'] as const,
  attendance: (id: string) => ['sessions', id, 'attendance'] as const,
  record: (id: string) => ['sessions', id, 'record'] as const,
  actions: ['actions'] as const,
  actionList: (filter: ActionFilter) => ['actions', filter] as const,
  stats: (year: number, audience: 'coordination' | 'public') => ['stats', year, audience] as const,
  regionalStats: (year: number, territoryIds: string[]) => ['stats', 'regional', year, territoryIds.join(',')] as const,
  /** The account's notifications (the header's counter and the list) start with this key. */
  notifications: ['me', 'notifications'] as const,
  notificationPage: (offset: number) => ['me', 'notifications', offset] as const,
  unreadNotifications: ['me', 'notifications', 'unread'] as const,
  notificationPreferences: ['me', 'notification-preferences'] as const,
  deliveries: ['notifications', 'deliveries'] as const,
};

export type Commission = Schemas['CommissionDto'];
export type Session = Schemas['SessionDto'];
export type SessionRecord = Schemas['SessionRecordDto'];
export type RecordItem = Schemas['RecordItemDto'];
export type AttendanceSheet = Schemas['AttendanceSheetDto'];
export type ActionItem = Schemas['ActionListItemDto'];
export type Stats = Schemas['StatsDto'];
/** The figures of a report, over one territory (StatsDto) or several (RegionalStatsDto). */
export type ReportFigures = Omit<Stats, 'territoryId'>;
export type RegionalStats = Schemas['RegionalStatsDto'];
export interface ActionFilter {
  mine?: boolean;
  overdue?: boolean;
}

/** Every situation this account may see (the list is paginated: pages are followed to the end). */
export function useCases() {
  return useQuery({
    queryKey: keys.cases,
    // Others move situations meanwhile (a referrer records a consent, a member an action): each
    // screen that lists them reads the list again when it opens.
    refetchOnMount: 'always',
    queryFn: async () => {
      const items: CaseListItem[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const data = unwrap(await api.GET('/cases', { params: { query: { limit: 200, cursor } } }));
        items.push(...data.items);
        if (!data.nextCursor) break;
        cursor = data.nextCursor;
      }
      return items;
    },
  });
}

/** One situation as this account may see it; read again whenever a screen showing it opens (its allowed events move with others' work). */
export function useCase(id: string) {
  return useQuery({
    queryKey: keys.case(id),
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/cases/{id}', { params: { path: { id } } })),
  });
}

export function useHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.history(id),
    enabled,
    queryFn: async () => unwrap(await api.GET('/cases/{id}/history', { params: { path: { id } } })),
  });
}

/** The closed session records that hold the situation, as far as this account may read them. */
export function useCaseSessionRecords(id: string) {
  return useQuery({
    queryKey: keys.sessionRecords(id),
    queryFn: async () => unwrap(await api.GET('/cases/{id}/session-records', { params: { path: { id } } })),
  });
}

export function useCommissions() {
  return useQuery({ queryKey: keys.commissions, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/commissions')) });
}

export function useOrganisations() {
  return useQuery({ queryKey: keys.organisations, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/organisations', {})) });
}

export type CreateCaseBody = Schemas['CreateCaseDto'];

export function useCreateCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateCaseBody) => unwrap(await api.POST('/cases', { body })),
    onSuccess: (created) => {
      queryClient.setQueryData(keys.case(created.id), created);
      void queryClient.invalidateQueries({ queryKey: keys.cases, exact: true });
    },
  });
}

/** The body of POST /cases/{id}/events: one payload per event type (the server's registry). */
export type EventRequest = NonNullable<paths['/cases/{id}/events']['post']['requestBody']>['content']['application/json'];
/** What an event carries besides its type and the version read. */
export type EventFields<T extends CaseEventType> = Omit<Extract<EventRequest, { type: T }>, 'type' | 'expectedVersion'>;

/** Sends one event with the version the screen shows; a 409 reloads the situation. */
export function useSendEvent(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: EventRequest) => unwrap(await api.POST('/cases/{id}/events', { params: { path: { id } }, body })),
    onSettled: (_data, error) => {
      if (!error || (error instanceof ApiError && error.status === 409)) void queryClient.invalidateQueries({ queryKey: keys.case(id) });
      void queryClient.invalidateQueries({ queryKey: keys.cases, exact: true });
      // An event moves agendas (SCHEDULE, DEFER), dossiers and plans (ADOPT_PLAN, CLOSE).
      if (!error) {
        void queryClient.invalidateQueries({ queryKey: keys.sessions });
        void queryClient.invalidateQueries({ queryKey: keys.actions });
      }
    },
  });
}

// ---- Home page, oversight (auditor) and administration (admin) ----

/** The situations this account opened lately, from its own reads in the server's access log (nothing kept in the browser). */
export function useRecentSituations(enabled = true) {
  return useQuery({ queryKey: keys.recent, enabled, queryFn: async () => unwrap(await api.GET('/me/recent-situations')).items });
}

/** What waits on this account (GET /me/todo): asked again each time a page shows it, since any change elsewhere may move it. */
export function useTodo(enabled = true) {
  return useQuery({ queryKey: keys.todo, enabled, refetchOnMount: 'always', queryFn: async () => unwrap(await api.GET('/me/todo')) });
}

export type AuditEvent = Schemas['AuditEventDto'];

/** One page of the access log (newest first). Never cached across filters: each search is its own key. */
export function useAuditEvents(query: Record<string, string>, cursor: string | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.auditEvents(query, cursor),
    enabled,
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET('/audit/events', { params: { query: { ...query, limit: 50, cursor } } })),
  });
}

/** Situations by reference, or the references of a page of the log by their ids (no content). */
export function useAuditSituations(by: { reference?: string; ids?: string[] }) {
  const ids = [...new Set(by.ids ?? [])].sort();
  const query = by.reference ? { reference: by.reference } : { ids };
  return useQuery({
    queryKey: keys.auditSituations(by.reference ? { reference: by.reference } : { ids: ids.join(',') }),
    enabled: Boolean(by.reference || ids.length),
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/audit/situations', { params: { query } })).items,
  });
}

export function useAccessReport(caseId: string | undefined) {
  return useQuery({
    queryKey: keys.accessReport(caseId ?? ''),
    enabled: Boolean(caseId),
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET('/audit/access-report', { params: { query: { caseId: caseId! } } })),
  });
}

/** Who accessed a situation, for those who answer the person (its Accès tab). */
export function useCaseAccesses(id: string) {
  return useQuery({
    queryKey: keys.caseAccesses(id),
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET('/cases/{id}/access-report', { params: { path: { id } } })),
  });
}

/** Recomputes the chain on the server (a check the auditor starts, written to the log). */
export function useVerifyLog() {
  return useMutation({ mutationFn: async () => unwrap(await api.GET('/audit/verify')) });
}

export function useRegister() {
  return useQuery({
    queryKey: keys.register,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/register', { params: { query: {} } })) as Schemas['RegisterDto'],
  });
}

export function useTerritories(enabled = true) {
  return useQuery({ queryKey: keys.territories, enabled, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/territories')) });
}

export function useCreateTerritory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateTerritoryDto']) => unwrap(await api.POST('/territories', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.territories }),
  });
}

export function useCreateOrganisation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateOrganisationDto']) => unwrap(await api.POST('/organisations', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.organisations }),
  });
}

export type Account = Schemas['UserDto'];

/** The accounts this caller may list (an admin all of them; an auditor those within reach). */
export function useUsers(enabled = true) {
  return useQuery({ queryKey: keys.users, enabled, staleTime: 60_000, queryFn: async () => unwrap(await api.GET('/users')) });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateUserDto']) => unwrap(await api.POST('/users', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.users }),
  });
}

export function useUpdateUser(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['UpdateUserDto']) => unwrap(await api.PATCH('/users/{id}', { params: { path: { id } }, body })),
    onSuccess: (updated) => {
      queryClient.setQueryData<Account[]>(keys.users, (list) => list?.map((u) => (u.id === updated.id ? updated : u)));
      void queryClient.invalidateQueries({ queryKey: keys.users });
    },
  });
}
// ---- Sessions: the commissions of the territory, their sessions, agenda, dossier, invitations ----

/** The referrers of the referring organisation who may take a situation over (HAND_OVER). */
export function useHandoverCandidates(caseId: string) {
  return useQuery({
    queryKey: ['cases', caseId, 'handover-candidates'],
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/cases/{id}/handover-candidates', { params: { path: { id: caseId } } })),
  });
}

/** The sessions of one commission, newest first, with this account's attendance and invitation. */
export function useSessions(commissionId: string | undefined) {
  return useQuery({
    queryKey: keys.sessionsOf(commissionId ?? ''),
    refetchOnMount: 'always',
    enabled: Boolean(commissionId),
    queryFn: async () => unwrap(await api.GET('/commissions/{id}/sessions', { params: { path: { id: commissionId! } } })),
  });
}

/** Every commission of the territory with its sessions (a territory has one or two cellules). */
export function useAllSessions() {
  return useQuery({
    queryKey: keys.allSessions,
    refetchOnMount: 'always',
    queryFn: async () => {
      const commissions = unwrap(await api.GET('/commissions'));
      return Promise.all(
        commissions.map(async (commission) => ({
          commission,
          sessions: unwrap(await api.GET('/commissions/{id}/sessions', { params: { path: { id: commission.id } } })),
        })),
      );
    },
  });
}

export function useCharter(commissionId: string) {
  return useQuery({
    queryKey: keys.charter(commissionId),
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/commissions/{id}/charter', { params: { path: { id: commissionId } } })),
  });
}

export function useAcceptCharter(commissionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (version: number) =>
      unwrap(await api.POST('/commissions/{id}/charter/accept', { params: { path: { id: commissionId } }, body: { version } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.commissions });
      void queryClient.invalidateQueries({ queryKey: keys.sessions });
    },
  });
}

export function useAttend(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/sessions/{id}/attendance', { params: { path: { id: sessionId } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.sessions });
      void queryClient.invalidateQueries({ queryKey: keys.cases });
      void queryClient.invalidateQueries({ queryKey: keys.actions });
    },
  });
}

export function useDossier(sessionId: string, enabled = true) {
  return useQuery({
    queryKey: keys.dossier(sessionId),
    refetchOnMount: 'always',
    enabled,
    queryFn: async () => unwrap(await api.GET('/sessions/{id}/dossier', { params: { path: { id: sessionId } } })),
  });
}

export function useAgenda(sessionId: string) {
  return useQuery({
    queryKey: keys.agenda(sessionId),
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/sessions/{id}/agenda', { params: { path: { id: sessionId } } })),
  });
}

export function useInvitations(sessionId: string) {
  return useQuery({
    queryKey: keys.invitations(sessionId),
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/sessions/{id}/invitations', { params: { path: { id: sessionId } } })),
  });
}

export function useInvite(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { userId: string; caseId: string }) =>
      unwrap(await api.POST('/sessions/{id}/invitations', { params: { path: { id: sessionId } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.invitations(sessionId) }),
  });
}

export function useCreateSession(commissionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { startsAt: string; endsAt: string }) =>
      unwrap(await api.POST('/commissions/{id}/sessions', { params: { path: { id: commissionId } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

/** Opens or closes a session (the coordinator). */
export function useSessionStatus(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (to: 'open' | 'close') =>
      unwrap(
        to === 'open'
          ? await api.POST('/sessions/{id}/open', { params: { path: { id: sessionId } } })
          : await api.POST('/sessions/{id}/close', { params: { path: { id: sessionId } } }),
      ),
    onSettled: () => {
      // Not the dossier: a closed session has none any more (the page stops asking once it knows).
      void queryClient.invalidateQueries({ queryKey: keys.sessions, predicate: (query) => query.queryKey[2] !== 'dossier' });
      void queryClient.invalidateQueries({ queryKey: keys.cases });
    },
  });
}

// ---- Actions of running plans, duplicates, statistics ----

export function useActions(filter: ActionFilter = {}) {
  return useQuery({
    queryKey: keys.actionList(filter),
    refetchOnMount: 'always',
    queryFn: async () => {
      const query: { mine?: 'true'; overdue?: 'true' } = {};
      if (filter.mine) query.mine = 'true';
      if (filter.overdue) query.overdue = 'true';
      return unwrap(await api.GET('/actions', { params: { query } })).items;
    },
  });
}

/** Moves one action of a plan (its owner, or the coordinator), with an optional pseudonymised note. */
export function useUpdateAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ caseId, actionId, ...body }: { caseId: string; actionId: string; status: Schemas['ActionStatus']; note?: string }) =>
      unwrap(await api.PATCH('/cases/{id}/actions/{actionId}', { params: { path: { id: caseId, actionId } }, body })),
    onSuccess: (_data, { caseId }) => {
      void queryClient.invalidateQueries({ queryKey: keys.actions });
      void queryClient.invalidateQueries({ queryKey: keys.case(caseId) });
      void queryClient.invalidateQueries({ queryKey: keys.sessions });
    },
  });
}

/** The documents of a situation this account may see, why not the others, and whether it may file one. */
export function useDocuments(caseId: string) {
  return useQuery({
    queryKey: keys.documents(caseId),
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/cases/{id}/documents', { params: { path: { id: caseId } } })),
  });
}

/** Files one document (a multipart form: the class first, then the file), read as a stream by the server. */
export function useUploadDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ caseId, cls, file }: { caseId: string; cls: Schemas['DocumentClass']; file: File }) => {
      const form = new FormData();
      form.append('class', cls);
      form.append('file', file, file.name);
      return unwrap(
        await api.POST('/cases/{id}/documents', {
          params: { path: { id: caseId } },
          body: form as never,
          bodySerializer: (body) => body as unknown as FormData,
        }),
      );
    },
    onSuccess: (_data, { caseId }) => {
      void queryClient.invalidateQueries({ queryKey: keys.documents(caseId) });
      void queryClient.invalidateQueries({ queryKey: keys.case(caseId) });
    },
  });
}

/** One document's content, as the server sends it (the download is an audited read). */
export async function fetchDocument(caseId: string, documentId: string): Promise<Blob> {
  return unwrap(await api.GET('/cases/{id}/documents/{documentId}', { params: { path: { id: caseId, documentId } }, parseAs: 'blob' }));
}

/** The information letter for the person (PDF), while their consent is awaited, printing the scope proposed to them (absent: all the policies allow). */
export async function fetchInformationLetter(caseId: string, scope?: Schemas['InformationLetterRequestDto']['scope']): Promise<Blob> {
  return unwrap(await api.POST('/cases/{id}/consent/letter', { params: { path: { id: caseId } }, body: scope ? { scope } : {}, parseAs: 'blob' }));
}

/** A new receipt for the person (PDF): its transparency code replaces the previous one. */
export async function fetchConsentReceipt(caseId: string): Promise<Blob> {
  return unwrap(await api.POST('/cases/{id}/consent/receipt', { params: { path: { id: caseId } }, parseAs: 'blob' }));
}

export function useDuplicates(caseId: string) {
  return useQuery({
    queryKey: keys.duplicates(caseId),
    queryFn: async () => unwrap(await api.GET('/cases/{id}/duplicates', { params: { path: { id: caseId } } })),
  });
}

/** The territory's yearly figures: exact for the coordination, or as published (small counts suppressed). */
export function useStats(year: number, audience: 'coordination' | 'public' = 'coordination') {
  return useQuery({
    queryKey: keys.stats(year, audience),
    // JSON unless a format is asked (the CSV and PDF are downloaded by a link: reportUrl).
    queryFn: async () => unwrap(await api.GET('/stats', { params: { query: { year, audience } } })) as Stats,
  });
}

/** The annual report of several territories together (the administrator's regional view; always as published). */
export function useRegionalStats(year: number, territoryIds: string[], enabled = true) {
  return useQuery({
    queryKey: keys.regionalStats(year, territoryIds),
    enabled,
    queryFn: async () =>
      unwrap(await api.GET('/stats/regional', { params: { query: { year, ...(territoryIds.length ? { territoryIds } : {}) } } })) as RegionalStats,
  });
}

/** The attendance sheet of a session (the coordinator keeps it; attendees read it). */
export function useAttendanceSheet(sessionId: string, enabled = true) {
  return useQuery({
    queryKey: keys.attendance(sessionId),
    refetchOnMount: 'always',
    enabled,
    queryFn: async () => unwrap(await api.GET('/sessions/{id}/attendance', { params: { path: { id: sessionId } } })),
  });
}

export function useMarkAttendance(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, present }: { userId: string; present: boolean }) =>
      unwrap(await api.PUT('/sessions/{id}/attendance/{userId}', { params: { path: { id: sessionId, userId } }, body: { present } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.attendance(sessionId) }),
  });
}

export function useAddGuest(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { organisationId?: string; organisationLabel?: string; functionLabel?: string; caseId?: string }) =>
      unwrap(await api.POST('/sessions/{id}/guests', { params: { path: { id: sessionId } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.attendance(sessionId) }),
  });
}

export function useRemoveGuest(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (guestId: string) => unwrap(await api.DELETE('/sessions/{id}/guests/{guestId}', { params: { path: { id: sessionId, guestId } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.attendance(sessionId) }),
  });
}

/** A member's written contribution on one situation of the dossier, before the session. */
export function useContribute(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ caseId, text }: { caseId: string; text: string }) =>
      unwrap(await api.PUT('/sessions/{id}/contributions/{caseId}', { params: { path: { id: sessionId, caseId } }, body: { text } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.dossier(sessionId) }),
  });
}

/** The session's record (relevé de décisions), as this account may read it. */
export function useRecord(sessionId: string, enabled = true) {
  return useQuery({
    queryKey: keys.record(sessionId),
    refetchOnMount: 'always',
    enabled,
    queryFn: async () => unwrap(await api.GET('/sessions/{id}/record', { params: { path: { id: sessionId } } })) as SessionRecord,
  });
}

export function useWriteRecordItem(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ caseId, body }: { caseId: string; body: Schemas['RecordItemInputDto'] }) =>
      unwrap(await api.PUT('/sessions/{id}/record/items/{caseId}', { params: { path: { id: sessionId, caseId } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.record(sessionId) }),
  });
}

export function useCloseRecord(sessionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/sessions/{id}/record/close', { params: { path: { id: sessionId } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.sessions }),
  });
}

/** Where the closed record's PDF is downloaded (the session cookie goes with a plain link). */
export const recordPdfHref = (sessionId: string) => `/sessions/${sessionId}/record?format=pdf`;

// ---- Notifications (issue 13): the header's counter, the list, the email preference, the admin's failures ----

export type Notification = Schemas['NotificationDto'];
export type EmailPreference = Schemas['NotificationPreferencesDto']['email'];
/** A page of the notifications list. */
export const NOTIFICATION_PAGE = 20;

/** A page of the account's notifications (unread first); read again when a screen opens and every minute. */
export function useNotifications(offset = 0) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: keys.notificationPage(offset),
    refetchOnMount: 'always',
    refetchInterval: 60_000,
    queryFn: async () => {
      const page = unwrap(await api.GET('/me/notifications', { params: { query: { limit: NOTIFICATION_PAGE, offset } } }));
      // The header's counter says what the list just read.
      queryClient.setQueryData(keys.unreadNotifications, page.unread);
      return page;
    },
  });
}

/** The unread count of the header (the smallest page: the count comes with it). */
export function useUnreadNotifications() {
  return useQuery({
    queryKey: keys.unreadNotifications,
    refetchInterval: 60_000,
    queryFn: async () => unwrap(await api.GET('/me/notifications', { params: { query: { limit: 1 } } })).unread,
  });
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/me/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/me/notifications/read-all')),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });
}

export function useNotificationPreferences() {
  return useQuery({ queryKey: keys.notificationPreferences, queryFn: async () => unwrap(await api.GET('/me/notification-preferences')) });
}

export function useSetNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (email: EmailPreference) => unwrap(await api.PUT('/me/notification-preferences', { body: { email } })),
    onSuccess: (data) => queryClient.setQueryData(keys.notificationPreferences, data),
  });
}

/** The admin's view of the emails not delivered (counts by category). */
export function useDeliveryFailures() {
  return useQuery({ queryKey: keys.deliveries, refetchOnMount: 'always', queryFn: async () => unwrap(await api.GET('/notifications/deliveries')) });
}
