import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaSecurity, kafkaSecurityFromEnv } from '@onestop/platform';
import { Redis } from 'ioredis';

/** A service some suites need, found (or not) before any test runs. */
export interface ServiceProbe {
  /** The variable the suites read (set when the service answers). */
  variable: string;
  label: string;
  /** The value handed to the suites (a URL, brokers, a path), or null when nothing answered. */
  found: string | null;
  /** What answered, in words. */
  detail: string | null;
  /** Why it did not run and how to start it, when not found. */
  howToStart: string;
  /** More variables handed to the suites when found. */
  extra?: Record<string, string>;
}

export async function mysqlAnswers(url: string): Promise<string | null> {
  try {
    const parsed = new URL(url);
    const connection = await mysql.createConnection({
      host: parsed.hostname, port: Number(parsed.port || 3306), user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password), connectTimeout: 3000,
    });
    const [rows] = await connection.query('SELECT VERSION() AS v');
    await connection.end();
    return `${String((rows as { v: string }[])[0].v)} at ${url.replace(/\/\/[^@]*@/, '//')}`;
  } catch {
    return null;
  }
}

/**
 * Asks the brokers for the cluster's metadata; at most ~5 s, silent. Answers with every broker of the cluster (the
 * suites then reach it through any of them, e.g. while one is killed) and a description.
 */
export async function kafkaAnswers(brokers: string[], security: KafkaSecurity = {}): Promise<{ brokers: string; detail: string } | null> {
  const admin = new Kafka({
    clientId: 'onestop-test-probe', brokers, logLevel: logLevel.NOTHING,
    connectionTimeout: 2000, requestTimeout: 3000, retry: { retries: 0 }, ...security,
  }).admin();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), 5000); });
  const probe = (async (): Promise<{ brokers: string; detail: string } | null> => {
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      const all = cluster.brokers.map((b) => `${b.host}:${b.port}`).sort().join(',');
      return { brokers: all, detail: `${cluster.brokers.length} broker${cluster.brokers.length === 1 ? '' : 's'} at ${all}, cluster ${cluster.clusterId}` };
    } catch {
      return null;
    }
  })();
  try {
    return await Promise.race([probe, limit]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The secured cluster (`npm run kafka -- start --secure`), reached as its admin over SASL_SSL with the secrets its
 * script made (ca.pem, admin.password): null when it does not answer or the secrets do not let us in.
 */
export async function secureKafkaAnswers(brokers: string[], secrets: string): Promise<{ brokers: string; detail: string } | null> {
  if (!fs.existsSync(path.join(secrets, 'admin.password')) || !fs.existsSync(path.join(secrets, 'ca.pem'))) return null;
  const security = kafkaSecurityFromEnv('admin', {
    KAFKA_SECURITY: 'sasl_ssl', KAFKA_CA_FILE: path.join(secrets, 'ca.pem'), KAFKA_TLS_SERVERNAME: 'localhost', KAFKA_CREDENTIALS_DIR: secrets,
  });
  const found = await kafkaAnswers(brokers, security);
  return found && { brokers: found.brokers, detail: `SASL_SSL, ${found.detail}, secrets in ${secrets}` };
}

/** PINGs Redis; at most ~2 s, silent. */
export async function redisAnswers(url: string): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1500, commandTimeout: 1500,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') return null;
    const version = /redis_version:(\S+)/.exec(await client.info('server'))?.[1];
    return `Redis ${version ?? '?'} at ${url.replace(/\/\/[^@]*@/, '//')}`;
  } catch {
    return null;
  } finally {
    client.disconnect();
  }
}

/** An S3-compatible server answers ListBuckets with these credentials; at most ~3 s, silent. */
export async function s3Answers(endpoint: string, credentialsFile: string): Promise<string | null> {
  let text: string;
  try {
    text = fs.readFileSync(credentialsFile, 'utf8');
  } catch {
    return null;
  }
  const value = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1]?.trim();
  const { S3Client, ListBucketsCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: value('S3_ACCESS_KEY_ID') ?? '', secretAccessKey: value('S3_SECRET_ACCESS_KEY') ?? '' },
  });
  try {
    const answer = await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(3000) });
    return `S3 at ${endpoint} (${answer.Buckets?.length ?? 0} buckets), credentials in ${credentialsFile}`;
  } catch {
    return null;
  } finally {
    client.destroy();
  }
}

/** The first executable of these names on PATH (a name with a slash is taken as a path). */
export function onPath(...names: string[]): string | null {
  for (const name of names) {
    const dirs = name.includes('/') ? [''] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/**
 * The secrets of the Kafka suites' cluster when it is secured: TEST_KAFKA_SECRETS (empty: plaintext), else those of
 * the development cluster (.cache/kafka) when `npm run kafka -- start --secure` made it a SASL_SSL one.
 */
export function kafkaSuitesSecrets(env: NodeJS.ProcessEnv, devCluster = path.join(__dirname, '../../../.cache/kafka')): string | undefined {
  if (env.TEST_KAFKA_SECRETS !== undefined) return env.TEST_KAFKA_SECRETS ? path.resolve(env.TEST_KAFKA_SECRETS) : undefined;
  if (env.TEST_KAFKA_BROKERS) return undefined;
  const mode = path.join(devCluster, 'security');
  return fs.existsSync(mode) && fs.readFileSync(mode, 'utf8').trim() === 'sasl_ssl' ? path.join(devCluster, 'secrets') : undefined;
}

/** Probes every service the suites may need, from the TEST_* variables or their defaults. */
export async function probeServices(env: NodeJS.ProcessEnv): Promise<ServiceProbe[]> {
  const mysqlUrl = env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';
  const brokerList = (env.TEST_KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  const secureBrokerList = (env.TEST_KAFKA_SECURE_BROKERS || '127.0.0.1:29092').split(',').map((b) => b.trim()).filter(Boolean);
  const secureSecrets = path.resolve(env.TEST_KAFKA_SECURE_SECRETS || path.join(__dirname, '../../../.cache/kafka-secure/secrets'));
  const kafkaSecrets = kafkaSuitesSecrets(env);
  const redisUrl = env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const s3Endpoint = env.TEST_S3_ENDPOINT || 'http://127.0.0.1:9000';
  const s3Credentials = path.resolve(env.TEST_S3_CREDENTIALS || path.join(__dirname, '../../../.cache/s3proxy/credentials'));
  const [mysqlFound, kafkaFound, redisFound, secureFound, s3Found] = await Promise.all([
    mysqlAnswers(mysqlUrl), kafkaSecrets ? secureKafkaAnswers(brokerList, kafkaSecrets) : kafkaAnswers(brokerList), redisAnswers(redisUrl),
    secureKafkaAnswers(secureBrokerList, secureSecrets), s3Answers(s3Endpoint, s3Credentials),
  ]);
  const kcat = env.TEST_KCAT ? onPath(env.TEST_KCAT) : onPath('kcat', 'kafkacat');
  const chromium = env.TEST_CHROMIUM ? onPath(env.TEST_CHROMIUM) : onPath('chromium', 'chromium-browser');
  const python = pythonWithYaml();
  return [
    {
      variable: 'TEST_MYSQL_URL', label: 'MySQL suites', found: mysqlFound ? mysqlUrl : null, detail: mysqlFound,
      howToStart: `no MariaDB/MySQL at ${mysqlUrl}; start one (see .ci/run) or set TEST_MYSQL_URL`,
    },
    {
      variable: 'TEST_KAFKA_BROKERS', label: 'Kafka suites', found: kafkaFound?.brokers ?? null, detail: kafkaFound?.detail ?? null,
      howToStart: kafkaSecrets
        ? `no SASL_SSL cluster at ${brokerList.join(',')} with the secrets of ${kafkaSecrets}; run \`npm run kafka -- start --secure\` or set TEST_KAFKA_BROKERS and TEST_KAFKA_SECRETS`
        : `no broker at ${brokerList.join(',')}; run \`npm run kafka -- start\` or set TEST_KAFKA_BROKERS`,
      extra: { TEST_KAFKA_SECRETS: kafkaSecrets ?? '' },
    },
    {
      variable: 'TEST_KAFKA_SECURE_BROKERS', label: 'secured Kafka suite', found: secureFound?.brokers ?? null, detail: secureFound?.detail ?? null,
      howToStart: `no SASL_SSL cluster at ${secureBrokerList.join(',')} with the secrets of ${secureSecrets}; run \`KAFKA_DIR=.cache/kafka-secure KAFKA_PORT=29092 KAFKA_CONTROLLER_PORT=29093 npm run kafka -- start --secure\` or set TEST_KAFKA_SECURE_BROKERS and TEST_KAFKA_SECURE_SECRETS`,
      extra: { TEST_KAFKA_SECURE_SECRETS: secureSecrets },
    },
    {
      variable: 'TEST_REDIS_URL', label: 'Redis rate-limit tests', found: redisFound ? redisUrl : null, detail: redisFound,
      howToStart: `no Redis at ${redisUrl}; start redis-server or set TEST_REDIS_URL`,
    },
    {
      variable: 'TEST_S3_ENDPOINT', label: 'S3 document store suites', found: s3Found ? s3Endpoint : null, detail: s3Found,
      howToStart: `no S3-compatible server at ${s3Endpoint} with the credentials of ${s3Credentials}; run \`npm run s3 -- start\` or set TEST_S3_ENDPOINT and TEST_S3_CREDENTIALS`,
      extra: { TEST_S3_CREDENTIALS: s3Credentials },
    },
    {
      variable: 'TEST_KCAT', label: 'kcat interop test', found: kcat, detail: kcat,
      howToStart: 'no kcat or kafkacat on PATH; apt-get install kcat, or set TEST_KCAT',
    },
    {
      variable: 'TEST_CHROMIUM', label: 'explorer browser test', found: chromium, detail: chromium,
      howToStart: 'no chromium on PATH; apt-get install chromium, or set TEST_CHROMIUM',
    },
    {
      variable: 'TEST_PYYAML', label: 'YAML read-back checks (PyYAML)', found: python, detail: python,
      howToStart: 'no python3 with PyYAML; apt-get install python3-yaml, or set TEST_PYYAML to such a python3',
    },
  ];
}

/** A python3 that has PyYAML: an implementation of YAML independent of ours (the first on PATH may be a pyenv one without it). */
export function pythonWithYaml(): string | null {
  const candidates = process.env.TEST_PYYAML ? [process.env.TEST_PYYAML] : ['python3', '/usr/bin/python3'];
  return candidates.find((candidate) => {
    const probe = spawnSync(candidate, ['-c', 'import yaml'], { encoding: 'utf8' });
    return !probe.error && probe.status === 0;
  }) ?? null;
}

