import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  addKek,
  generateKeyringFile,
  KEYRING_FILE_NAME,
  loadKeyring,
  parseKeyring,
} from "./keyring.js";
import { VaultError } from "./vault-error.js";

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("keyring", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "cellule-keyring-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("generates <dataDir>/keyring.json with mode 0600 on first use, warns once, then reuses it", () => {
    const logs: string[] = [];
    const dataDir = path.join(dir, "var");
    const first = loadKeyring({
      dataDir,
      production: false,
      log: (m) => logs.push(m),
    });
    const file = path.join(dataDir, KEYRING_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(file);
    expect(logs[0]).toMatch(/generated/);
    expect(logs[0]).toMatch(/back it up/i);
    expect(first.keks.get(first.currentKekId)).toHaveLength(32);
    expect(first.blindIndexKey).toHaveLength(32);

    const second = loadKeyring({
      dataDir,
      production: false,
      log: (m) => logs.push(m),
    });
    expect(logs).toHaveLength(1);
    expect(second.currentKekId).toBe(first.currentKekId);
    expect(
      second.keks
        .get(second.currentKekId)!
        .equals(first.keks.get(first.currentKekId)!),
    ).toBe(true);
    // The log never prints key material.
    const doc = JSON.parse(readFileSync(file, "utf8"));
    expect(logs[0]).not.toContain(doc.keks[doc.currentKekId]);
    expect(logs[0]).not.toContain(doc.blindIndexKey);
  });

  it("refuses to start in production without a keyring path", () => {
    const error = catchError(() =>
      loadKeyring({ dataDir: dir, production: true, log: () => undefined }),
    );
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe("invalid_keyring");
    expect((error as VaultError).message).toMatch(/CELLULE_KEYRING/);
  });

  it("loads an explicit file and warns when group or others can read it", () => {
    const file = path.join(dir, "ring.json");
    writeFileSync(file, JSON.stringify(generateKeyringFile()), { mode: 0o600 });
    const logs: string[] = [];
    loadKeyring({
      keyringPath: file,
      dataDir: dir,
      production: true,
      log: (m) => logs.push(m),
    });
    expect(logs).toEqual([]);
    chmodSync(file, 0o644);
    loadKeyring({
      keyringPath: file,
      dataDir: dir,
      production: true,
      log: (m) => logs.push(m),
    });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/chmod 600/);
  });

  it("names the file and the problem, never the key material", () => {
    const good = generateKeyringFile();
    const secret = good.keks[good.currentKekId];
    const cases: Array<[string, RegExp]> = [
      [`{"version":1,"keks":{"kek-a":"${secret}"`, /not valid JSON/],
      [JSON.stringify({ ...good, version: 2 }), /"version" must be 1/],
      [
        JSON.stringify({ ...good, currentKekId: "kek-other" }),
        /"currentKekId"/,
      ],
      [
        JSON.stringify({
          ...good,
          keks: { [good.currentKekId]: secret.slice(0, 20) },
        }),
        /exactly 32 bytes/,
      ],
      [
        JSON.stringify({
          ...good,
          keks: { [good.currentKekId]: `${secret}!` },
        }),
        /base64/,
      ],
      [JSON.stringify({ ...good, blindIndexKey: secret }), /identical/],
      [JSON.stringify({ ...good, [secret]: 1 }), /unknown properties/],
      [
        JSON.stringify({ ...good, keks: { [secret]: secret } }),
        /key id number 1/,
      ],
    ];
    for (const [text, problem] of cases) {
      const error = catchError(() =>
        parseKeyring(text, "/etc/cellule/keyring.json"),
      );
      expect(error).toBeInstanceOf(VaultError);
      expect((error as VaultError).code).toBe("invalid_keyring");
      expect((error as Error).message).toMatch(problem);
      expect((error as Error).message).toContain("/etc/cellule/keyring.json");
      expect((error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain(secret.slice(0, 12));
    }
    const missing = catchError(() =>
      loadKeyring({
        keyringPath: path.join(dir, "nope.json"),
        dataDir: dir,
        production: true,
        log: () => undefined,
      }),
    );
    expect((missing as Error).message).toMatch(/nope\.json: file not found/);
  });

  it("addKek makes a new current KEK and keeps the old ones and the blind-index key", () => {
    const file = path.join(dir, "ring.json");
    const original = generateKeyringFile();
    writeFileSync(file, JSON.stringify(original), { mode: 0o600 });
    const { kekId, keyring } = addKek(file);
    expect(kekId).not.toBe(original.currentKekId);
    expect(keyring.currentKekId).toBe(kekId);
    expect(keyring.keks.get(original.currentKekId)!.toString("base64")).toBe(
      original.keks[original.currentKekId],
    );
    expect(keyring.blindIndexKey.toString("base64")).toBe(
      original.blindIndexKey,
    );
    const reloaded = parseKeyring(readFileSync(file, "utf8"), file);
    expect([...reloaded.keks.keys()].sort()).toEqual(
      [original.currentKekId, kekId].sort(),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
