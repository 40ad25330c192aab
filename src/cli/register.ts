/**
 * `npm run register [-- --out FILE]`: the register of processing and the data-flow table, as
 * Markdown, from the policy documents (CELLULE_POLICIES_DIR, default ./policies) — the same
 * validation as at server start, so a document that would stop the server stops this too.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPolicy } from '../access/policy.loader.js';
import { buildRegister, registerMarkdown } from '../access/register.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
try {
  const markdown = registerMarkdown(buildRegister(loadPolicy(path.resolve(process.env.CELLULE_POLICIES_DIR || 'policies'))));
  if (values.out) writeFileSync(values.out, markdown);
  else process.stdout.write(markdown);
} catch (error) {
  process.stderr.write(`register: ${(error as Error).message}\n`);
  process.exit(1);
}
