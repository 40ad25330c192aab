import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, unwrap, type CaseEventType, type CaseListItem, type Schemas } from './client';
import type { paths } from './schema';

/**
 * The data of the screens, through TanStack Query over the generated client. Keys are by
 * resource; a write invalidates what it changed. Nothing here is persisted: the cache lives in
 * the page's memory and is cleared at sign-out (SessionProvider).
 */
export const keys = {
  cases: ['cases'] as const,
  case: (id: string) => ['cases', id] as const,
  history: (id: string) => ['cases', id, 'history'] as const,
  commissions: ['commissions'] as const,
  organisations: ['organisations'] as const,
  recent: ['me', 'recent-situations'] as const,
  territories: ['territories'] as const,
  users: ['users'] as const,
  auditEvents: (query: Record<string, string>, cursor: string | undefined) => ['audit', 'events', query, cursor ?? null] as const,
  auditSituations: (by: Record<string, string>) => ['audit', 'situations', by] as const,
  accessReport: (caseId: string) => ['audit', 'access-report', caseId] as const,
  register: ['register'] as const,
};

/** Every situation this account may see (the list is paginated: pages are followed to the end). */
export function useCases() {
  return useQuery({
    queryKey: keys.cases,
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

export function useCase(id: string) {
  return useQuery({ queryKey: keys.case(id), queryFn: async () => unwrap(await api.GET('/cases/{id}', { params: { path: { id } } })) });
}

export function useHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.history(id),
    enabled,
    queryFn: async () => unwrap(await api.GET('/cases/{id}/history', { params: { path: { id } } })),
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
    },
  });
}

// ---- Home page, oversight (auditor) and administration (admin) ----

/** The situations this account opened lately, from its own reads in the server's access log (nothing kept in the browser). */
export function useRecentSituations(enabled = true) {
  return useQuery({ queryKey: keys.recent, enabled, queryFn: async () => unwrap(await api.GET('/me/recent-situations')).items });
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

/** Recomputes the chain on the server (a check the auditor starts, written to the log). */
export function useVerifyLog() {
  return useMutation({ mutationFn: async () => unwrap(await api.GET('/audit/verify')) });
}

export function useRegister() {
  return useQuery({ queryKey: keys.register, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/register', { params: { query: {} } })) as Schemas['RegisterDto'] });
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
