import path from 'node:path';
import {
  Database, Envelope, HANDOFF_ENTITIES, HandoffHandlers, HandoffNode, HANDOFF_MIGRATIONS, keysFromEnv, openDatabase, SendRequest,
  transportFromEnv, Transport,
} from '@onestop/platform';

/**
 * Police and social insurance are outside this graph; they answer over the same bus. This is a stand-in for their
 * systems, for local runs and tests: its own database (outbox, inbox, log), its own key, the published contracts.
 */
export type PartnerName = 'police' | 'social-insurance';

/** Base salary 2,340,000 đồng (Decree 73/2024) × 10: the funeral allowance (trợ cấp mai táng). */
const FUNERAL_ALLOWANCE = 23_400_000;

type Answer = (envelope: Envelope<Record<string, any>>) => SendRequest | null;

const ANSWERS: Record<PartnerName, Record<string, Answer>> = {
  police: {
    'civil-status.birth-registered': ({ correlationId, payload }) => ({
      messageType: 'police.residence-registered', recipient: 'civil-status', correlationId,
      payload: { personalNumber: payload.personalNumber, communeCode: payload.residenceCommuneCode, registeredAt: new Date().toISOString() },
    }),
    'civil-status.death-registered': ({ correlationId, payload }) => ({
      messageType: 'police.residence-deregistered', recipient: 'civil-status', correlationId,
      payload: { personalNumber: payload.personalNumber, deregisteredAt: new Date().toISOString() },
    }),
  },
  'social-insurance': {
    'civil-status.birth-registered': ({ correlationId, payload }) => ({
      messageType: 'social-insurance.health-card-issued', recipient: 'civil-status', correlationId,
      payload: { personalNumber: payload.personalNumber, cardNumber: `TE1${String(payload.personalNumber).slice(0, 2)}${String(payload.personalNumber).slice(-10)}`, validFrom: payload.birthDate },
    }),
    'civil-status.death-registered': ({ correlationId, payload }) => ({
      messageType: 'social-insurance.funeral-allowance-decided', recipient: 'civil-status', correlationId,
      payload: { personalNumber: payload.personalNumber, decisionNumber: `QĐ-MT-${String(payload.extractNumber).replace(/\D/g, '').slice(0, 20)}`, amount: FUNERAL_ALLOWANCE },
    }),
  },
};

export interface PartnerOptions {
  env?: NodeJS.ProcessEnv;
  transport?: Transport;
  /** Replaces the standard answer (tests: answer late, answer through another client, or not at all). */
  answer?: (name: PartnerName, envelope: Envelope<Record<string, any>>, standard: SendRequest | null) => Promise<SendRequest | null> | SendRequest | null;
  /** Where the partner's node logs (default: nowhere). */
  log?: (name: PartnerName, entry: Record<string, unknown>) => void;
}

export interface RunningPartner {
  name: PartnerName;
  node: HandoffNode;
  database: Database;
  stop(): Promise<void>;
}

export async function startPartner(name: PartnerName, options: PartnerOptions = {}): Promise<RunningPartner> {
  const env = options.env ?? process.env;
  const database = await openDatabase({
    config: { kind: 'sqlite', file: path.resolve(env.DATA_DIR || '.data', `partner-${name}.sqlite`) },
    entities: HANDOFF_ENTITIES, migrations: HANDOFF_MIGRATIONS,
  });
  const transport = options.transport ?? transportFromEnv(name, env);
  const handlers: HandoffHandlers = {};
  for (const [messageType, standard] of Object.entries(ANSWERS[name])) {
    handlers[messageType] = async ({ envelope, send }) => {
      const reply = options.answer ? await options.answer(name, envelope, standard(envelope)) : standard(envelope);
      if (reply) await send(reply);
    };
  }
  const node = new HandoffNode({
    member: name, dataSource: database.dataSource, transport, keys: keysFromEnv(name, env), handlers,
    log: options.log ? (entry) => options.log!(name, entry) : () => undefined,
  });
  await node.start();
  return {
    name, node, database,
    async stop() {
      await node.stop();
      if (!options.transport) await transport.close();
      await database.dataSource.destroy();
    },
  };
}

export async function startPartners(options: PartnerOptions = {}): Promise<RunningPartner[]> {
  return [await startPartner('police', options), await startPartner('social-insurance', options)];
}
