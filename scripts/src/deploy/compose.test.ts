import { describe, test } from '@jest/globals';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT, SUBGRAPHS } from '../stack/subgraphs';

// docker-compose.yml keeps secrets apart: these rules are checked on the file itself, and each rule on a copy broken
// the way a careless edit would break it (so a rule that checks nothing fails here).

type Service = {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  secrets?: (string | { source: string })[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string }> | string[];
};
type Compose = { services: Record<string, Service>; secrets?: Record<string, { file?: string }> };

const AGENCIES = SUBGRAPHS.map((s) => s.name) as string[];
const SHARED_SECRETS = new Set(['kafka-ca', 'gateway-identity-pub', 'analytics-pseudonym-key']);
const SECRETS_DIR = './deploy/secrets';

function load(): Compose {
  return parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
}

function env(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw) ? raw.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]) : Object.entries(raw);
  return Object.fromEntries(entries.filter(([key]) => key !== '<<').map(([key, value]) => [key, value === null || value === undefined ? '' : String(value)]));
}

const secretNames = (service: Service) => (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));

/** Bind mounts as [host path, container path, read-only]. */
function binds(service: Service): [string, string, boolean][] {
  return (service.volumes ?? []).flatMap((v): [string, string, boolean][] => {
    if (typeof v !== 'string') return v.type === 'bind' && v.source ? [[v.source, v.target ?? '', !!v.read_only]] : [];
    const [source, target, mode = ''] = v.split(':');
    return source.startsWith('.') || source.startsWith('/') ? [[source, target, mode.split(',').includes('ro')]] : [];
  });
}

/** Whose secret a file of ./deploy/secrets is (undefined: shared by design, e.g. the CA or the public keys). */
function ownerOf(file: string): string | undefined {
  const rel = path.posix.normalize(file).replace(/^(\.\/)?deploy\/secrets\//, '');
  let match;
  if ((match = /^handoff\/(.+)\.key\.pem$/.exec(rel))) return match[1];
  if ((match = /^(kafka|db)\/(.+)\.password$/.exec(rel))) return match[2] === 'root' ? 'mariadb' : match[2];
  if ((match = /^s3\/(.+)\.password$/.exec(rel))) return match[1] === 'root' ? 'minio' : match[1];
  if (rel === 'auth/gateway-identity.key.pem') return 'gateway';
  if (rel === 'kafka/broker-keystore.pem' || rel === 'kafka/broker.key') return 'kafka-broker';
  if (rel === 'kafka/ca.key') return 'nobody';
  return undefined;
}

/** Everything wrong with a compose file, one line per problem. */
function problems(compose: Compose): string[] {
  const found: string[] = [];
  const services = compose.services;
  const secrets = compose.secrets ?? {};
  const people = [...AGENCIES, 'gateway'];

  for (const agency of AGENCIES) if (!services[agency]) found.push(`no service for ${agency}`);
  for (const [name, service] of Object.entries(services)) {
    const vars = env(service);
    // separation of secrets: an agency or the gateway gets only its own private key and passwords
    if (people.includes(name)) {
      for (const secret of secretNames(service)) {
        const file = secrets[secret]?.file;
        if (!file) { found.push(`${name}: secret ${secret} is not a file secret`); continue; }
        const owner = ownerOf(file);
        if (owner !== undefined && owner !== name) found.push(`${name}: mounts ${owner}'s secret ${file}`);
        if (owner === undefined && !SHARED_SECRETS.has(secret)) found.push(`${name}: unexpected secret ${secret}`);
      }
      if (AGENCIES.includes(name)) {
        for (const kind of [`handoff/${name}.key.pem`, `kafka/${name}.password`, `db/${name}.password`]) {
          if (!secretNames(service).some((s) => secrets[s]?.file === `${SECRETS_DIR}/${kind}`)) found.push(`${name}: does not get its own ${kind}`);
        }
      }
    }
    for (const [source, target, readOnly] of binds(service)) {
      const rel = path.posix.normalize(source);
      if (rel === 'keys' || rel.startsWith('keys/')) found.push(`${name}: mounts ./keys (the development key set)`);
      if (!rel.startsWith('deploy/secrets')) continue;
      if (!readOnly) found.push(`${name}: ${source} is mounted writable`);
      const allowed = rel === 'deploy/secrets/handoff-public' || (name === 'mariadb' && rel === 'deploy/secrets/db');
      if (!allowed) found.push(`${name}: mounts ${source} at ${target}`);
    }
    // Kafka: every listener SASL_SSL or SSL, every client on sasl_ssl
    const map = vars.KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP ?? vars.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP;
    const protocols = new Map((map ?? '').split(',').filter(Boolean).map((pair) => pair.split(':') as [string, string]));
    for (const protocol of protocols.values()) if (protocol !== 'SASL_SSL' && protocol !== 'SSL') found.push(`${name}: listener protocol ${protocol}`);
    for (const [key, value] of Object.entries(vars)) {
      if (/PLAINTEXT/i.test(value) && /^KAFKA/.test(key)) found.push(`${name}: ${key}=${value}`);
      if (!/^KAFKA_(CFG_)?(ADVERTISED_)?LISTENERS$/.test(key)) continue;
      for (const listener of value.split(',').filter(Boolean)) {
        const listenerName = listener.split('://')[0];
        const protocol = protocols.get(listenerName);
        if (protocol !== 'SASL_SSL' && protocol !== 'SSL') found.push(`${name}: listener ${listener} is ${protocol ?? 'not in the protocol map'}`);
      }
    }
    if (vars.KAFKA_BROKERS !== undefined && vars.KAFKA_SECURITY !== 'sasl_ssl') found.push(`${name}: KAFKA_SECURITY=${vars.KAFKA_SECURITY ?? ''} (not sasl_ssl)`);
    // databases: each subgraph its own user on its own database, never root, no password in the file
    for (const [key, value] of Object.entries(vars)) {
      if (!/(^|_)DB_URL$/.test(key)) continue;
      const url = new URL(value);
      const user = decodeURIComponent(url.username);
      if (!user || user === 'root') found.push(`${name}: ${key} connects as ${user || 'root (no user)'}`);
      if (url.password) found.push(`${name}: ${key} has a password in it`);
      const subgraph = AGENCIES.find((a) => key === `${a.toUpperCase().replace(/-/g, '_')}_DB_URL`);
      const own = subgraph && `onestop_${subgraph.replace(/-/g, '_')}`;
      if (!own) found.push(`${name}: ${key} is not a subgraph's own database URL`);
      else if (user !== own || url.pathname !== `/${own}`) found.push(`${name}: ${key} should be ${own}@…/${own}, is ${user}@…${url.pathname}`);
      if (AGENCIES.includes(name) && subgraph !== name) found.push(`${name}: connects to ${subgraph ?? key}'s database`);
    }
    // production: no development mode, no development issuer, no secret in the environment
    if (service.build !== undefined && vars.NODE_ENV !== 'production') found.push(`${name}: NODE_ENV=${vars.NODE_ENV ?? '(unset)'}`);
    for (const [key, value] of Object.entries(vars)) {
      if (/dev-issuer|onestop-dev/.test(value)) found.push(`${name}: ${key}=${value} trusts the development token issuer`);
      if (key === 'AUTH_KEYS_DIR') found.push(`${name}: AUTH_KEYS_DIR (development keys)`);
      if (/^(ANALYTICS_PSEUDONYM_KEY|KAFKA_PASSWORD|KAFKA_ADMIN_PASSWORD|MARIADB_ROOT_PASSWORD|MYSQL_ROOT_PASSWORD|MARIADB_PASSWORD)$/.test(key)) found.push(`${name}: ${key} given in the environment`);
      if ((/_FILE$/.test(key) || key === 'GATEWAY_IDENTITY_KEY') && /(KEY|PASSWORD)/.test(key) && !value.startsWith('/run/')) found.push(`${name}: ${key}=${value} is not a mounted file`);
    }
  }
  const gateway = env(services.gateway ?? {});
  if (!(gateway.AUTH_JWKS_URL ?? '').includes('${AUTH_JWKS_URL') || !(gateway.AUTH_ISSUER ?? '').includes('${AUTH_ISSUER')) {
    found.push('gateway: AUTH_JWKS_URL and AUTH_ISSUER must come from the deployment (the province IdP)');
  }
  // three brokers, the users and the ACLs in place before any agency starts
  const brokers = Object.entries(services).filter(([, s]) => /broker/.test(env(s).KAFKA_CFG_PROCESS_ROLES ?? ''));
  if (brokers.length !== 3) found.push(`${brokers.length} Kafka brokers, not 3`);
  for (const name of [...AGENCIES, 'gateway']) {
    const chain = new Set<string>();
    const walk = (n: string) => {
      const deps = services[n]?.depends_on ?? {};
      for (const d of Array.isArray(deps) ? deps : Object.keys(deps)) if (!chain.has(d)) { chain.add(d); walk(d); }
    };
    walk(name);
    if (!chain.has('kafka-acls')) found.push(`${name}: starts before kafka-acls`);
  }
  return found;
}

const clone = (): Compose => structuredClone(load());

describe('docker-compose.yml keeps secrets apart', () => {
  test('the file follows every rule', () => {
    assert.deepEqual(problems(load()), []);
  });

  test('refused: an agency mounting another agency\'s private key, Kafka password or database password', () => {
    for (const secret of ['handoff-tax-key', 'kafka-tax-password', 'db-tax-password']) {
      const compose = clone();
      compose.services.land.secrets!.push(secret);
      assert.ok(problems(compose).some((p) => p.startsWith(`land: mounts tax's secret`)), secret);
    }
    // the document store: an agency's S3 password is its own, MinIO's root is MinIO's
    for (const [secret, owner] of [['s3-single-window-password', 'single-window'], ['s3-root-password', 'minio']]) {
      const store = clone();
      store.services.land.secrets!.push(secret);
      assert.ok(problems(store).some((p) => p.startsWith(`land: mounts ${owner}'s secret`)), secret);
    }
    const compose = clone();
    compose.services.gateway.secrets!.push('handoff-land-key');
    assert.ok(problems(compose).includes(`gateway: mounts land's secret ${SECRETS_DIR}/handoff/land.key.pem`));
    // a secret's name cannot hide whose it is: the file decides
    const renamed = clone();
    renamed.secrets!['analytics-pseudonym-key'] = { file: `${SECRETS_DIR}/kafka/admin.password` };
    assert.ok(problems(renamed).some((p) => p.startsWith('land: mounts admin\'s secret')));
    const folder = clone();
    folder.services.tax.volumes!.push('./deploy/secrets/handoff:/run/keys:ro');
    assert.ok(problems(folder).includes('tax: mounts ./deploy/secrets/handoff at /run/keys'));
    const devKeys = clone();
    devKeys.services.tax.volumes!.push('./keys:/run/keys:ro');
    assert.ok(problems(devKeys).some((p) => p.startsWith('tax: mounts ./keys')));
    const withoutOwn = clone();
    withoutOwn.services.land.secrets = withoutOwn.services.land.secrets!.filter((s) => s !== 'handoff-land-key');
    assert.ok(problems(withoutOwn).includes('land: does not get its own handoff/land.key.pem'));
  });

  test('refused: a PLAINTEXT listener, a plaintext client, fewer than three brokers', () => {
    const compose = clone();
    const broker = compose.services['kafka-2'].environment as Record<string, string>;
    broker.KAFKA_CFG_LISTENERS = 'SASL_SSL://:9092,CONTROLLER://:9093,PLAINTEXT://:9094';
    broker.KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP += ',PLAINTEXT:PLAINTEXT';
    assert.ok(problems(compose).includes('kafka-2: listener protocol PLAINTEXT'));
    const controller = clone();
    (controller.services['kafka-1'].environment as Record<string, string>).KAFKA_CFG_LISTENER_SECURITY_PROTOCOL_MAP = 'SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT';
    assert.ok(problems(controller).includes('kafka-1: listener protocol PLAINTEXT'));
    const client = clone();
    delete (client.services.tax.environment as Record<string, string>).KAFKA_SECURITY;
    assert.ok(problems(client).includes('tax: KAFKA_SECURITY= (not sasl_ssl)'));
    const two = clone();
    delete two.services['kafka-3'];
    assert.ok(problems(two).includes('2 Kafka brokers, not 3'));
    const early = clone();
    early.services.land.depends_on = { mariadb: { condition: 'service_healthy' } };
    assert.ok(problems(early).includes('land: starts before kafka-acls'));
  });

  test('refused: a subgraph connecting as root, to another subgraph\'s database, or with its password in the URL', () => {
    const root = clone();
    (root.services.land.environment as Record<string, string>).LAND_DB_URL = 'mysql://root@mariadb:3306/onestop_land';
    assert.ok(problems(root).includes('land: LAND_DB_URL connects as root'));
    const shared = clone();
    (shared.services.tax.environment as Record<string, string>).DB_URL = 'mysql://onestop_tax@mariadb:3306';
    assert.ok(problems(shared).includes('tax: DB_URL is not a subgraph\'s own database URL'));
    const other = clone();
    (other.services.tax.environment as Record<string, string>).LAND_DB_URL = 'mysql://onestop_land@mariadb:3306/onestop_land';
    assert.ok(problems(other).includes('tax: connects to land\'s database'));
    const inline = clone();
    (inline.services.land.environment as Record<string, string>).LAND_DB_URL = 'mysql://onestop_land:secret@mariadb:3306/onestop_land';
    assert.ok(problems(inline).includes('land: LAND_DB_URL has a password in it'));
  });

  test('refused: development mode, the development issuer, secrets in the environment', () => {
    const dev = clone();
    (dev.services.gateway.environment as Record<string, string>).NODE_ENV = 'development';
    assert.ok(problems(dev).includes('gateway: NODE_ENV=development'));
    const issuer = clone();
    Object.assign(issuer.services.gateway.environment as Record<string, string>, { AUTH_PUBLIC_KEYS: '/run/keys/auth/dev-issuer.pub.pem', AUTH_ISSUER: 'onestop-dev' });
    assert.ok(problems(issuer).some((p) => p.startsWith('gateway: AUTH_PUBLIC_KEYS=/run/keys/auth/dev-issuer.pub.pem trusts the development token issuer')));
    const baked = clone();
    (baked.services.land.environment as Record<string, string>).ANALYTICS_PSEUDONYM_KEY = 'x'.repeat(40);
    assert.ok(problems(baked).includes('land: ANALYTICS_PSEUDONYM_KEY given in the environment'));
  });

  test('the lists agree: the scripts\' subgraphs, the Kafka users, the secrets folder ignored by git and Docker, the image on Node 22', () => {
    const compose = load();
    const listIn = (file: string) => /subgraphs=\(([^)]*)\)/.exec(fs.readFileSync(path.join(ROOT, file), 'utf8'))![1].trim().split(/\s+/);
    assert.deepEqual(listIn('scripts/deploy/secrets.sh'), AGENCIES);
    assert.deepEqual(listIn('scripts/deploy/db-grants.sh'), AGENCIES);
    const users = fs.readFileSync(path.join(ROOT, 'scripts/kafka/users'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(env(compose.services['kafka-users']).KAFKA_USERS.split(' '), users);
    for (const user of users) assert.equal(compose.secrets![`kafka-${user}-password`]?.file, `${SECRETS_DIR}/kafka/${user}.password`);
    assert.match(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8'), /^\/deploy\/secrets\/$/m);
    assert.match(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'), /^deploy\/secrets$/m);
    // mariadb-init.sh is sourced by the image's entrypoint (its docker_process_sql), which only happens without the x bit
    assert.equal(fs.statSync(path.join(ROOT, 'scripts/deploy/mariadb-init.sh')).mode & 0o111, 0);
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length >= 1 && froms.every((f) => /^node:22[.-]/.test(f)), froms.join(', '));
    assert.match(dockerfile, /npm ci/);
    assert.match(dockerfile, /npm prune --omit=dev/);
    for (const line of dockerfile.split('\n').filter((l) => /^(ENV|ARG)\b/.test(l))) assert.doesNotMatch(line, /KEY|PASSWORD|SECRET|TOKEN/i, line);
  });
});
