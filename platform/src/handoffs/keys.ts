import fs from 'node:fs';
import path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

/**
 * What one agency needs to sign and verify: its own private key and the public keys of the agencies it trusts.
 * Keys are PEM files: `<agency>.key.pem` (private, only the agency's own) and `<agency>.pub.pem` in a folder, either one
 * folder for both or (a deployment keeping secrets apart) the private key file alone and a folder of public keys.
 */
export class KeyRing {
  private dir?: string;
  /** Modification times at the last reload: the folder's, and each public key's (replaced in place, the folder's stays). */
  private folderTime = -1;
  private readonly keyTimes = new Map<string, number>();

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
    return KeyRing.fromFiles(agency, path.join(dir, `${agency}.key.pem`), dir, 'HANDOFF_KEYS_DIR');
  }

  /** The agency's private key from its own file; trusted public keys from `publicDir` (re-read as fromDirectory's). */
  static fromFiles(agency: string, privateKeyFile: string, publicDir: string, variable = 'HANDOFF_PRIVATE_KEY_FILE'): KeyRing {
    if (!fs.existsSync(privateKeyFile)) throw new Error(`No signing key for ${agency}: ${privateKeyFile} is missing (${variable})`);
    if (!fs.existsSync(publicDir)) throw new Error(`No public keys for ${agency} to trust: ${publicDir} is missing`);
    // a separate public folder is shared between agencies: a private key there would be handed to all of them
    const stray = path.resolve(publicDir) !== path.dirname(path.resolve(privateKeyFile)) && fs.readdirSync(publicDir).find((file) => file.endsWith('.key.pem'));
    if (stray) throw new Error(`${path.join(publicDir, stray)}: a private key in the public keys folder (HANDOFF_PUBLIC_KEYS_DIR); remove it`);
    const privateKey = createPrivateKey(fs.readFileSync(privateKeyFile));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${privateKeyFile}: not an Ed25519 private key`);
    const ring = new KeyRing(agency, privateKey, new Map());
    ring.reload(publicDir);
    return ring;
  }

  /**
   * Re-reads the public keys when a message does not verify, if the folder changed since they were read: a partner's
   * new or rotated key, installed there, is trusted without a restart and from its first message. A flood of forged
   * messages costs a few stat calls each, never a re-read of unchanged keys.
   */
  refresh(agency?: string): boolean {
    if (!this.dir) return false;
    const changed = mtime(this.dir) !== this.folderTime || (agency !== undefined && mtime(path.join(this.dir, `${agency}.pub.pem`)) !== (this.keyTimes.get(agency) ?? -1));
    if (!changed) return false;
    this.reload(this.dir);
    return true;
  }

  reload(dir: string): void {
    this.dir = dir;
    this.folderTime = mtime(dir);
    const present = new Set<string>();
    for (const file of fs.readdirSync(dir)) {
      const match = /^(.+)\.pub\.pem$/.exec(file);
      if (!match) continue;
      const full = path.join(dir, file);
      present.add(match[1]);
      this.keyTimes.set(match[1], mtime(full));
      this.trusted.set(match[1], createPublicKey(fs.readFileSync(full)));
    }
    // a key removed from the folder is no longer trusted (revocation)
    for (const agency of [...this.keyTimes.keys()]) {
      if (present.has(agency)) continue;
      this.keyTimes.delete(agency);
      this.trusted.delete(agency);
    }
  }
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
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
