import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';

/** A person's rights requests (issue 15): the DPO's, the coordinator's. */
export const rightsKeys = {
  all: ['rights-requests'] as const,
  one: (id: string) => ['rights-requests', id] as const,
  reports: (id: string) => ['rights-requests', id, 'access-reports'] as const,
  lookups: ['rights-requests', 'lookups'] as const,
};

export type RightsRequest = Schemas['RightsRequestDto'];
export type RightsRequestDetail = Schemas['RightsRequestDetailDto'];
export type RightsKind = RightsRequest['kind'];
export type RightsOutcome = Schemas['CloseRightsRequestDto']['outcome'];
export type RightsWaiting = Schemas['RightsWaiting'];
export type RightsSituation = RightsRequestDetail['situations'][number];

export function useRightsRequests() {
  return useQuery({
    queryKey: rightsKeys.all,
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/rights-requests', { params: { query: {} } })),
  });
}

export function useRightsRequest(id: string) {
  return useQuery({
    queryKey: rightsKeys.one(id),
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/rights-requests/{id}', { params: { path: { id } } })),
  });
}

export function useRightsAccessReports(id: string, enabled: boolean) {
  return useQuery({
    queryKey: rightsKeys.reports(id),
    enabled,
    staleTime: 0,
    queryFn: async () => unwrap(await api.GET('/rights-requests/{id}/access-report', { params: { path: { id } } })),
  });
}

export function useLookupsReport() {
  return useQuery({ queryKey: rightsKeys.lookups, refetchOnMount: 'always', queryFn: async () => unwrap(await api.GET('/rights-requests/lookups')) });
}

export function useOpenRightsRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['OpenRightsRequestDto']) => unwrap(await api.POST('/rights-requests', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rightsKeys.all }),
  });
}

/** The lookup by identity: the answer (references only) is kept in the request's cache; the identity nowhere. */
export function useRightsLookup(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['RightsLookupDto']) => unwrap(await api.POST('/rights-requests/{id}/lookup', { params: { path: { id } }, body })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: rightsKeys.one(id) }),
  });
}

export type RightsMeasure = 'erase' | 'object' | 'forward';

export function useRightsMeasure(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (measure: RightsMeasure) => {
      const params = { path: { id } };
      if (measure === 'erase') return unwrap(await api.POST('/rights-requests/{id}/erase', { params }));
      if (measure === 'object') return unwrap(await api.POST('/rights-requests/{id}/object', { params }));
      return unwrap(await api.POST('/rights-requests/{id}/forward', { params }));
    },
    onSuccess: (detail) => queryClient.setQueryData(rightsKeys.one(id), detail),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: rightsKeys.all }),
  });
}

export function useCloseRightsRequest(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (outcome: RightsOutcome) => unwrap(await api.POST('/rights-requests/{id}/close', { params: { path: { id } }, body: { outcome } })),
    onSuccess: (detail) => queryClient.setQueryData(rightsKeys.one(id), detail),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: rightsKeys.all }),
  });
}

export function useNameHandler(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => unwrap(await api.POST('/rights-requests/{id}/handler', { params: { path: { id } }, body: { userId } })),
    onSuccess: (detail) => queryClient.setQueryData(rightsKeys.one(id), detail),
  });
}

export type RightsCopy = Schemas['RightsCopyDto'];

/** The copies of a person's data this account may hand over (referrer of the situation, or named handler). */
export function useMyRightsCopies(enabled = true) {
  return useQuery({
    queryKey: ['me', 'rights-copies'],
    enabled,
    refetchOnMount: 'always',
    queryFn: async () => unwrap(await api.GET('/me/rights-copies')),
  });
}

/** The copy itself (a PDF; the download is audited). */
export async function fetchRightsCopy(requestId: string, caseId: string): Promise<Blob> {
  return unwrap(await api.GET('/rights-requests/{id}/situations/{caseId}/copy', { params: { path: { id: requestId, caseId } }, parseAs: 'blob' }));
}
