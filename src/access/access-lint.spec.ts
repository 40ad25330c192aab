import { readFileSync } from 'node:fs';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';

/** The lint rule that keeps access decisions in src/access/ (eslint.config.js). */
describe('the access lint rule', () => {
  const eslint = new ESLint();
  const ruleOf = async (file: string) => ((await eslint.calculateConfigForFile(file)) as Linter.Config).rules?.['no-restricted-syntax'];
  const linter = new Linter({ configType: 'flat' });
  let rule: Linter.RuleEntry;
  const problems = (code: string) =>
    linter
      .verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-syntax': rule } }], { filename: 'sample.ts' })
      .map((m) => m.message);

  beforeAll(async () => {
    // The rule exactly as the project's configuration gives it to a file of src/.
    rule = (await ruleOf('src/commissions/commissions.service.ts'))!;
    expect(rule).toBeDefined();
  });

  it.each([
    ["viewer.roles.includes('admin')", /Roles are read in src\/access/],
    ["user.roles.some((r) => r === 'member')", /Roles are read in src\/access/],
    ['session.territoryId !== viewer.territoryId', /Territories are compared/],
    ['row.territory_id === territoryId', /Territories are compared/],
    ['territory != viewer.territoryId', /Territories are compared/],
    ['territoryId === session.territoryId', /Territories are compared/],
  ])('refuses %s', (code, message) => {
    const found = problems(`declare const viewer: any, user: any, session: any, row: any, territory: string, territoryId: string;\n${code};`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    'territoryId !== undefined',
    'viewer.territoryId === null',
    'const scope = access.scope(viewer, "commission.list")',
    'dto.roles ?? []',
    'ids.includes(id)',
  ])('lets %s through', (code) => {
    expect(problems(`declare const viewer: any, access: any, dto: any, ids: string[], id: string, territoryId: string;\n${code};`)).toEqual([]);
  });

  it('applies to src/ but not to src/access/, where the decisions are made', async () => {
    for (const file of ['src/users/directory.service.ts', 'src/stats/stats.service.ts', 'src/auth/auth.guard.ts', 'src/audit/audit-query.service.ts']) {
      expect({ file, rule: await ruleOf(file) }).toEqual({ file, rule });
    }
    expect(await ruleOf('src/access/access.ts')).toBeUndefined();
  });

  it('exempts no file outside src/access/ (the case list, the duplicates and SCHEDULE ask AccessService or the SQL)', async () => {
    for (const file of ['src/cases/cases.service.ts', 'src/cases/duplicates.service.ts', 'src/cases/events/schedule.ts', 'src/cases/workflow.service.ts']) {
      expect({ file, rule: await ruleOf(file) }).toEqual({ file, rule });
      expect({ file, flagged: problems(readFileSync(file, 'utf8')) }).toEqual({ file, flagged: [] });
    }
  });
});
