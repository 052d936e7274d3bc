import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

/**
 * What one agency needs to sign and verify: its own private key and the public keys of the agencies it trusts.
 * Keys live as PEM files in one folder: `<agency>.key.pem` (private, only the agency's own) and `<agency>.pub.pem`.
 */
export class KeyRing {
  private dir?: string;
  private lastReload = 0;

  constructor(
    readonly agency: string,
    readonly privateKey: KeyObject,
    private readonly trusted: Map<string, KeyObject>,
  ) {}

  publicKeyOf(agency: string): KeyObject | undefined {
    return this.trusted.get(agency);
  }

  trust(agency: string, publicKey: KeyObject): void {
    this.trusted.set(agency, publicKey);
  }

  revoke(agency: string): void {
    this.trusted.delete(agency);
  }

  /** Public keys are re-read from the folder, so a key published there is trusted without a restart. */
  static fromDirectory(agency: string, dir: string): KeyRing {
    const own = path.join(dir, `${agency}.key.pem`);
    if (!fs.existsSync(own)) throw new Error(`No signing key for ${agency}: ${own} is missing (HANDOFF_KEYS_DIR)`);
    const ring = new KeyRing(agency, createPrivateKey(fs.readFileSync(own)), new Map());
    ring.reload(dir);
    return ring;
  }

  /**
   * Re-reads the public keys when a message does not verify: a partner's new or rotated key, installed in the folder,
   * is trusted without a restart. At most once a second, so a flood of forged messages cannot turn into disk reads.
   */
  refresh(): boolean {
    if (!this.dir || Date.now() - this.lastReload < 1000) return false;
    this.reload(this.dir);
    return true;
  }

  reload(dir: string): void {
    this.dir = dir;
    this.lastReload = Date.now();
    for (const file of fs.readdirSync(dir)) {
      const match = /^(.+)\.pub\.pem$/.exec(file);
      if (match) this.trusted.set(match[1], createPublicKey(fs.readFileSync(path.join(dir, file))));
    }
  }
}

export function generateAgencyKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/**
 * Writes a key pair for each agency that has none yet: the dev key set for local runs and tests. Safe when several
 * processes start at once: the private key is linked into place atomically, and a loser waits for the winner's public key.
 */
export function ensureDevKeys(dir: string, agencies: readonly string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const agency of agencies) {
    const privatePath = path.join(dir, `${agency}.key.pem`);
    const publicPath = path.join(dir, `${agency}.pub.pem`);
    if (fs.existsSync(privatePath) && fs.existsSync(publicPath)) continue;
    if (!fs.existsSync(privatePath)) {
      const { privateKey, publicKey } = generateAgencyKeys();
      const tmp = path.join(dir, `.${agency}.${process.pid}.${Date.now()}`);
      fs.writeFileSync(`${tmp}.key`, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      fs.writeFileSync(`${tmp}.pub`, publicKey.export({ type: 'spki', format: 'pem' }));
      try {
        fs.linkSync(`${tmp}.key`, privatePath);
        fs.renameSync(`${tmp}.pub`, publicPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        fs.rmSync(`${tmp}.key`, { force: true });
        fs.rmSync(`${tmp}.pub`, { force: true });
      }
    }
    const deadline = Date.now() + 5000;
    while (!fs.existsSync(publicPath)) {
      if (Date.now() > deadline) throw new Error(`${publicPath} did not appear`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}
