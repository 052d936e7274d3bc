import fs from 'node:fs';
import { CONTRACTS } from './contracts';

export interface AccessRule {
  sender: string;
  messageType: string;
  recipient: string;
}

const keyOf = (rule: AccessRule) => `${rule.sender}|${rule.messageType}|${rule.recipient}`;

/**
 * Which member may send which message type to whom. Denied unless granted; the contracts grant their own
 * senders and recipients, and a revocation file (HANDOFF_ACCESS_FILE: {"revoke": [...], "grant": [...]}) adjusts centrally.
 */
export class AccessTable {
  private readonly allowed = new Set<string>();

  static fromContracts(): AccessTable {
    const table = new AccessTable();
    for (const contract of CONTRACTS.filter((c) => !c.answer)) {
      for (const sender of contract.senders) {
        for (const recipient of contract.recipients) {
          table.grant({ sender, messageType: contract.messageType, recipient });
          // answers (a refusal) go back the way messages came, and only that way
          for (const answer of CONTRACTS.filter((c) => c.answer)) table.grant({ sender: recipient, messageType: answer.messageType, recipient: sender });
        }
      }
    }
    return table;
  }

  static load(file = process.env.HANDOFF_ACCESS_FILE): AccessTable {
    const table = AccessTable.fromContracts();
    if (file) {
      const changes = JSON.parse(fs.readFileSync(file, 'utf8')) as { grant?: AccessRule[]; revoke?: AccessRule[] };
      for (const rule of changes.grant ?? []) table.grant(rule);
      for (const rule of changes.revoke ?? []) table.revoke(rule);
    }
    return table;
  }

  grant(rule: AccessRule): void {
    this.allowed.add(keyOf(rule));
  }

  revoke(rule: AccessRule): void {
    this.allowed.delete(keyOf(rule));
  }

  allows(rule: AccessRule): boolean {
    return this.allowed.has(keyOf(rule));
  }
}
