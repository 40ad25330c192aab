import { createContext, useContext } from 'react';
import { FALLBACK_CONFIG, type ClientConfig } from './config';

export const ClientConfigContext = createContext<ClientConfig>(FALLBACK_CONFIG);

export function useClientConfig(): ClientConfig {
  return useContext(ClientConfigContext);
}
