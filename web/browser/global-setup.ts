import type { TestProject } from 'vitest/node';
import { chromiumPath } from './browser';
import { resetCredentials } from './credentials';
import { seedWorld, type World } from './seed';
import { startTestProvider } from '../../test/support/oidc-provider';
import { freePort, startServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    world: World;
  }
}

/** One server and one seeded territory for the whole run; each test file opens its own browser. */
export default async function setup(project: TestProject) {
  chromiumPath(); // fails at once, saying how to install Chromium, before the server starts
  resetCredentials();
  // A ProConnect-like provider (test/support/oidc-provider.ts) the server is configured with: its
  // sign-in page is a plain form; `agent.mairie` signs in strongly (eidas2), `agent.inconnu` has
  // no account in Cellule.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const provider = await startTestProvider({
    kind: 'proconnect',
    redirectUri: `${url}/auth/oidc/proconnect/callback`,
    postLogoutRedirectUri: `${url}/app/connexion?deconnexion=1`,
  });
  provider.account('agent.mairie', { claims: { email: 'agent.mairie@ville.test', email_verified: true }, acr: 'eidas2' });
  provider.account('agent.inconnu', { claims: { email: 'agent.inconnu@ville.test', email_verified: true }, acr: 'eidas2' });
  // A Pro Santé Connect-like one: `ps.medecin` is a physician of the RPPS (TRE_G15 code 10) signing
  // in with a CPS card (eidas3).
  const psc = await startTestProvider({
    kind: 'prosanteconnect',
    redirectUri: `${url}/auth/oidc/psc/callback`,
    postLogoutRedirectUri: `${url}/app/connexion?deconnexion=1`,
  });
  psc.account('ps.medecin', {
    claims: { SubjectNameID: '810101234567', SubjectRefPro: { exercices: [{ codeProfession: '10', codeCategorieProfessionnelle: 'C' }] } },
    acr: 'eidas3',
  });
  const server = await startServer(
    {
      CELLULE_PUBLIC_URL: url,
      OIDC_PROCONNECT_ISSUER: provider.issuer,
      OIDC_PROCONNECT_CLIENT_ID: provider.clientId,
      OIDC_PROCONNECT_CLIENT_SECRET: provider.clientSecret,
      OIDC_PROCONNECT_KIND: 'proconnect',
      OIDC_PSC_ISSUER: psc.issuer,
      OIDC_PSC_CLIENT_ID: psc.clientId,
      OIDC_PSC_CLIENT_SECRET: psc.clientSecret,
      OIDC_PSC_KIND: 'prosanteconnect',
    },
    port,
  );
  try {
    project.provide('world', await seedWorld(server.url));
  } catch (error) {
    const printed = server.output();
    await server.stop();
    await provider.close();
    await psc.close();
    throw new Error(`Seeding the browser tests' territory failed: ${(error as Error).message}\nThe server printed:\n${printed}`, { cause: error });
  }
  return async () => {
    await server.stop();
    await provider.close();
    await psc.close();
  };
}
