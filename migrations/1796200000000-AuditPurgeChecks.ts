import type { MigrationInterface, QueryRunner } from 'typeorm';

// Edwards25519 (RFC 8032), computed here rather than typed in: a typo in a 77-digit constant
// would silently refuse every signature. BigInt arithmetic, interpolated into the SQL as numerics.
const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = ((base % m) + m) % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}
const inv = (a: bigint) => modPow(a, P - 2n, P);
const D = (((-121665n * inv(121666n)) % P) + P) % P;
const SQRT_M1 = modPow(2n, (P - 1n) / 4n, P);
const BY = (4n * inv(5n)) % P;
const BX = (() => {
  const u = (BY * BY - 1n + P) % P;
  const v = (D * BY * BY + 1n) % P;
  const v3 = (v * v * v) % P;
  let x = (u * v3 * modPow((u * v3 * v3 * v) % P, (P - 5n) / 8n, P)) % P;
  if ((v * x * x) % P !== u) x = (x * SQRT_M1) % P;
  return x % 2n === 0n ? x : P - x;
})();

/** The shortest retention the database accepts, whatever is registered (policies/ allow 183–1095 days). */
const MIN_DAYS = 183;

/**
 * The purge door checks what it used to take on trust from its caller (issue 14, item 3).
 *
 * Before, `audit_purge` required a purge checkpoint row over the prefix and refused entries younger
 * than 183 days, but the checkpoint's signature was only checked by the verifiers, after the fact,
 * and the retention was the caller's cut-off. The application role may INSERT checkpoints (the
 * sealer writes them), so an insider holding it could write an unsigned checkpoint row and purge
 * everything older than six months, whatever the policy said.
 *
 * - `audit_trusted_keys`: the Ed25519 public keys whose checkpoints the database accepts for a
 *   purge. Only the owner writes it (`npm run migrate` registers the configured audit key; the
 *   embedded default registers its own at start); the application role only reads it.
 * - `audit_settings.retention_days`: the policy's `auditLogDays`, registered the same way (365,
 *   the policy's default, until then; never less than 183).
 * - `audit_ed25519_verify(public key, message, signature)`: Ed25519 verification (RFC 8032,
 *   cofactorless: [S]B − [k]A must encode to R, S < L, canonical encodings) in PL/pgSQL on
 *   numerics. Slow (tens of milliseconds) and only for the purge, once a day.
 * - `audit_purge` now also refuses a cut-off later than now − the registered retention, a
 *   checkpoint whose key is not trusted, and one whose signature does not verify over the
 *   checkpoint message (src/audit/audit-chain.ts `checkpointMessage`, rebuilt here in SQL).
 */
export class AuditPurgeChecks1796200000000 implements MigrationInterface {
  name = 'AuditPurgeChecks1796200000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = (await q.query(`SELECT quote_ident(current_schema()) AS schema`)) as { schema: string }[];
    const p = String(P);
    await q.query(`
      CREATE TABLE audit_trusted_keys (
        key_id text PRIMARY KEY,
        public_key bytea NOT NULL UNIQUE CHECK (octet_length(public_key) = 32),
        registered_at timestamptz NOT NULL DEFAULT now(),
        CHECK (key_id = 'ed25519-' || left(encode(sha256(public_key), 'hex'), 16))
      );
      CREATE TABLE audit_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        retention_days integer NOT NULL CHECK (retention_days >= ${MIN_DAYS}),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO audit_settings (retention_days) VALUES (365);

      -- Little-endian bytes to a number.
      CREATE FUNCTION audit_ed25519_le(b bytea) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT
        SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        n numeric := 0;
      BEGIN
        FOR i IN REVERSE octet_length(b) - 1 .. 0 LOOP
          n := n * 256 + get_byte(b, i);
        END LOOP;
        RETURN n;
      END
      $fn$;

      -- b^e mod p.
      CREATE FUNCTION audit_ed25519_pow(b numeric, e numeric) RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT
        SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        r numeric := 1;
      BEGIN
        b := mod(b, ${p});
        WHILE e > 0 LOOP
          IF mod(e, 2) = 1 THEN
            r := mod(r * b, ${p});
          END IF;
          b := mod(b * b, ${p});
          e := div(e, 2);
        END LOOP;
        RETURN r;
      END
      $fn$;

      -- Sum of two points in extended coordinates [X, Y, Z, T] (add-2008-hwcd-3, complete on this curve: doubling too).
      CREATE FUNCTION audit_ed25519_add(a numeric[], b numeric[]) RETURNS numeric[] LANGUAGE plpgsql IMMUTABLE STRICT
        SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        ea numeric := mod((a[2] - a[1] + ${p}) * (b[2] - b[1] + ${p}), ${p});
        eb numeric := mod((a[2] + a[1]) * (b[2] + b[1]), ${p});
        ec numeric := mod(a[4] * ${String((2n * D) % P)} * b[4], ${p});
        ed numeric := mod(2 * a[3] * b[3], ${p});
        e numeric := eb - ea + ${p};
        f numeric := ed - ec + ${p};
        g numeric := ed + ec;
        h numeric := eb + ea;
      BEGIN
        RETURN ARRAY[mod(e * f, ${p}), mod(g * h, ${p}), mod(f * g, ${p}), mod(e * h, ${p})];
      END
      $fn$;

      CREATE FUNCTION audit_ed25519_verify(public_key bytea, message bytea, signature bytea) RETURNS boolean LANGUAGE plpgsql IMMUTABLE
        SET search_path = ${schema}, pg_catalog, pg_temp AS $fn$
      DECLARE
        y numeric;
        x numeric;
        u numeric;
        v numeric;
        v3 numeric;
        vx2 numeric;
        s numeric;
        k numeric;
        kbits integer[] := '{}';
        sign integer;
        neg_a numeric[];
        base numeric[] := ARRAY[${String(BX)}, ${String(BY)}, 1, ${String((BX * BY) % P)}]::numeric[];
        sum_b_neg_a numeric[];
        acc numeric[] := ARRAY[0, 1, 1, 0]::numeric[];
        zinv numeric;
        bs integer;
        bk integer;
      BEGIN
        IF public_key IS NULL OR message IS NULL OR signature IS NULL OR octet_length(public_key) <> 32 OR octet_length(signature) <> 64 THEN
          RETURN false;
        END IF;
        -- A, from its encoding: y, and the parity of x in the top bit.
        sign := get_bit(public_key, 255);
        y := audit_ed25519_le(set_bit(public_key, 255, 0));
        IF y >= ${p} THEN
          RETURN false;
        END IF;
        u := mod(y * y - 1 + ${p}, ${p});
        v := mod(${String(D)} * y * y + 1, ${p});
        v3 := mod(v * v * v, ${p});
        x := mod(u * v3 * audit_ed25519_pow(u * mod(v3 * v3 * v, ${p}), ${String((P - 5n) / 8n)}), ${p});
        vx2 := mod(v * x * x, ${p});
        IF vx2 = mod(${p} - u, ${p}) AND vx2 <> u THEN
          x := mod(x * ${String(SQRT_M1)}, ${p});
        ELSIF vx2 <> u THEN
          RETURN false;
        END IF;
        IF x = 0 AND sign = 1 THEN
          RETURN false;
        END IF;
        IF mod(x, 2) <> sign THEN
          x := ${p} - x;
        END IF;
        neg_a := ARRAY[mod(${p} - x, ${p}), y, 1, mod((${p} - x) * y, ${p})];
        s := audit_ed25519_le(substring(signature FROM 33 FOR 32));
        IF s >= ${String(L)} THEN
          RETURN false;
        END IF;
        k := mod(audit_ed25519_le(sha512(substring(signature FROM 1 FOR 32) || public_key || message)), ${String(L)});
        FOR i IN 0 .. 252 LOOP
          kbits[i] := mod(k, 2)::integer;
          k := div(k, 2);
        END LOOP;
        -- [S]B + [k](−A), both scalars at once (Straus–Shamir).
        sum_b_neg_a := audit_ed25519_add(base, neg_a);
        FOR i IN REVERSE 252 .. 0 LOOP
          acc := audit_ed25519_add(acc, acc);
          bs := get_bit(signature, 256 + i);
          bk := kbits[i];
          IF bs = 1 AND bk = 1 THEN
            acc := audit_ed25519_add(acc, sum_b_neg_a);
          ELSIF bs = 1 THEN
            acc := audit_ed25519_add(acc, base);
          ELSIF bk = 1 THEN
            acc := audit_ed25519_add(acc, neg_a);
          END IF;
        END LOOP;
        zinv := audit_ed25519_pow(acc[3], ${String(P - 2n)});
        x := mod(acc[1] * zinv, ${p});
        y := mod(acc[2] * zinv, ${p});
        RETURN y = audit_ed25519_le(set_bit(substring(signature FROM 1 FOR 32), 255, 0)) AND mod(x, 2) = get_bit(signature, 255);
      END
      $fn$;

      CREATE OR REPLACE FUNCTION audit_purge(p_through_seq bigint, p_cutoff timestamptz, p_checkpoint_id bigint) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        n bigint;
        days integer;
        cp record;
        trusted bytea;
        message bytea;
      BEGIN
        SELECT greatest(retention_days, ${MIN_DAYS}) INTO days FROM ${schema}.audit_settings;
        IF days IS NULL THEN
          RAISE EXCEPTION 'audit_purge: no retention is registered in the database (npm run migrate registers the policy''s)' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF p_cutoff IS NULL OR p_cutoff > now() - make_interval(days => days) THEN
          RAISE EXCEPTION 'audit_purge: audit entries are kept at least % days (the retention registered in the database)', days USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT c.* INTO cp FROM ${schema}.audit_checkpoints c JOIN ${schema}.audit_events e ON e.seq = c.seq
         WHERE c.id = p_checkpoint_id AND c.kind = 'purge' AND c.seq = p_through_seq AND c.event_id = e.id AND c.hash = e.hash;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'audit_purge: no purge checkpoint over the entries up to %', p_through_seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT public_key INTO trusted FROM ${schema}.audit_trusted_keys WHERE key_id = cp.key_id;
        IF trusted IS NULL THEN
          RAISE EXCEPTION 'audit_purge: purge checkpoint % is signed by key %, which the database does not trust (npm run migrate registers the audit key)', cp.id, cp.key_id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- The message src/audit/audit-chain.ts checkpointMessage() signs, byte for byte.
        message := convert_to('["cellule-audit-checkpoint-v1",' || concat_ws(',',
          to_json(cp.id::text)::text, to_json(cp.kind)::text, to_json(cp.seq::text)::text, to_json(cp.event_id::text)::text,
          to_json(encode(cp.hash, 'hex'))::text, to_json(cp.entries::text)::text,
          to_json(to_char(cp.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text, to_json(cp.key_id)::text) || ']', 'UTF8');
        IF NOT ${schema}.audit_ed25519_verify(trusted, message, cp.signature) THEN
          RAISE EXCEPTION 'audit_purge: the signature of purge checkpoint % does not verify with key %', cp.id, cp.key_id USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM ${schema}.audit_events WHERE seq <= p_through_seq AND at >= p_cutoff) THEN
          RAISE EXCEPTION 'audit_purge: the prefix up to % holds entries younger than the cut-off', p_through_seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('cellule.audit_purge', 'on', true);
        DELETE FROM ${schema}.audit_events WHERE seq <= p_through_seq;
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM set_config('cellule.audit_purge', 'off', true);
        RETURN n;
      END
      $fn$;
      REVOKE ALL ON audit_trusted_keys, audit_settings FROM PUBLIC;
    `);
    await q.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_app') THEN
          REVOKE ALL ON audit_trusted_keys, audit_settings FROM cellule_app;
          GRANT SELECT ON audit_trusted_keys, audit_settings TO cellule_app;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cellule_auditor') THEN
          GRANT SELECT ON audit_trusted_keys, audit_settings TO cellule_auditor;
        END IF;
      END
      $do$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ schema }] = (await q.query(`SELECT quote_ident(current_schema()) AS schema`)) as { schema: string }[];
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_purge(p_through_seq bigint, p_cutoff timestamptz, p_checkpoint_id bigint) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
      DECLARE
        n bigint;
      BEGIN
        IF p_cutoff IS NULL OR p_cutoff > now() - interval '${MIN_DAYS} days' THEN
          RAISE EXCEPTION 'audit_purge: audit entries are kept at least ${MIN_DAYS} days' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT EXISTS (
          SELECT 1 FROM ${schema}.audit_checkpoints c JOIN ${schema}.audit_events e ON e.seq = c.seq
           WHERE c.id = p_checkpoint_id AND c.kind = 'purge' AND c.seq = p_through_seq AND c.event_id = e.id AND c.hash = e.hash) THEN
          RAISE EXCEPTION 'audit_purge: no purge checkpoint over the entries up to %', p_through_seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM ${schema}.audit_events WHERE seq <= p_through_seq AND at >= p_cutoff) THEN
          RAISE EXCEPTION 'audit_purge: the prefix up to % holds entries younger than the cut-off', p_through_seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('cellule.audit_purge', 'on', true);
        DELETE FROM ${schema}.audit_events WHERE seq <= p_through_seq;
        GET DIAGNOSTICS n = ROW_COUNT;
        PERFORM set_config('cellule.audit_purge', 'off', true);
        RETURN n;
      END
      $fn$;
      DROP FUNCTION audit_ed25519_verify(bytea, bytea, bytea);
      DROP FUNCTION audit_ed25519_add(numeric[], numeric[]);
      DROP FUNCTION audit_ed25519_pow(numeric, numeric);
      DROP FUNCTION audit_ed25519_le(bytea);
      DROP TABLE audit_settings;
      DROP TABLE audit_trusted_keys;
    `);
  }
}
