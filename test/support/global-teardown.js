import { stopEmbedded } from './global-setup.js';

export default async function globalTeardown() {
  await stopEmbedded();
}
