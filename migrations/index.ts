import { InitialSchema1763890000000 } from './1763890000000-InitialSchema.js';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests share one list. */
export const migrations = [InitialSchema1763890000000];
