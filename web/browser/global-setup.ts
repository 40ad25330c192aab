import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { stateFile } from './credentials';
import { chromiumPath } from './browser';
import { seedWorld, type World } from './seed';
import { startServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    world: World;
  }
}

/** One server and one seeded territory for the whole run; each test file opens its own browser. */
export default async function setup(project: TestProject) {
  chromiumPath(); // fails at once, saying how to install Chromium, before the server starts
  const server = await startServer();
  try {
    project.provide('world', await seedWorld(server.url));
  } catch (error) {
    const printed = server.output();
    await server.stop();
    throw new Error(`Seeding the browser tests' territory failed: ${(error as Error).message}\nThe server printed:\n${printed}`, { cause: error });
  }
  return async () => {
    await server.stop();
    rmSync(stateFile(server.url), { force: true });
  };
}
